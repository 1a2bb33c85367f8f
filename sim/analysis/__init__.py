"""Replications and what is made of them: results, comparisons, sensitivity, the allocation advisor."""
