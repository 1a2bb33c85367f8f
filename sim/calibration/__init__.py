"""Calibrating to a court's own records (issue 12): import and check its exports, derive its
monthly table, and the example court's data.

- :mod:`.readers` reads CSV (UTF-8, GBK/GB18030, UTF-16), XLSX/XLS, gzipped or not, within bounds;
- :mod:`.columns` recognises headers (Chinese and English synonyms, the user's mapping) and
  drops party columns unread;
- :mod:`.parse` reads one cell (dates, months, case numbers, procedures, closing methods);
- :mod:`.records` imports case-level records; :mod:`.totals` monthly totals and staffing;
- :mod:`.quality` is the data-quality report and batch-filing detection;
- :mod:`.monthly` derives the monthly table from cases; :mod:`.durations` the disposition
  times with pending cases treated as censored;
- :mod:`.example` writes the example court's files from a simulation.

The command line's ``import-records`` is :mod:`sim.cli.records`.
"""
