"""Training sessions: exercises as data, plans within limits, submissions and ranking."""
