"""Many files at once, for auditors and finance bureaus: one department over years, all departments of a year.

``discovery`` finds the files; ``compare`` (with ``matching`` and ``flags``) follows one department
over the years; ``batch`` scores every department of a year in chunks (``plan``, ``chunk``,
``columnar``, ``engines``: this process, a process pool or a Dask cluster) and writes their reports
and the result files (``assemble``, ``tables``, ``parquet``), with the findings (``summaries``) and
the departments to look at first (``outliers``). Pages are rendered by ``evaluator.report``.

May import: everything below it, ``report`` and ``workbook`` included; third-party: openpyxl, pyarrow,
and dask.distributed for the Dask engine (imported only when it is used).
"""
