"""The app's side of the run service: results, shared runs, redraw budget, run-ahead (see docs/runs.md)."""
