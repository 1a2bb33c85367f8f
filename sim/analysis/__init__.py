"""Replications and what is made of them: results, comparisons, sensitivity, the allocation advisor;
and the run service's engine side: the worker processes (pool, lanes), the app's scheduler and
the settings of them all (run_settings; see docs/runs.md)."""
