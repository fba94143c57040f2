"""Many files at once, for auditors and finance bureaus: one department over years, all departments of a year.

``discovery`` finds the files; ``compare`` (with ``matching`` and ``flags``) follows one department
over the years; ``batch`` scores every department of a year and writes their reports, with
``outliers`` and the result ``tables``. Pages are rendered by ``evaluator.report``.

May import: everything below it, ``report`` and ``workbook`` included.
"""
