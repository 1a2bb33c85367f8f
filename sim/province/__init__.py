"""Province-wide studies: many courts, a pool of new posts to hand out, run on Dask.

``spec`` reads a province file, ``tasks`` turns courts × plans into tasks, ``cluster`` runs them
on a Dask cluster (a local one by default), ``sweep`` writes their rows to Parquet and
``allocate`` hands out the pool of posts where it does the most good.
"""
