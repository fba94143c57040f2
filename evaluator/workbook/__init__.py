"""The workbooks and forms evaluator writes: the actuals entry workbook (``entry``), the scored 自评表 as
Excel (``export``) and as Word (``export_docx``, through ``evaluator.word``). Every Excel cell goes through
``cells``, so user text never becomes a formula; the same inputs give the same bytes.

May import: everything below it (``io``, ``rules``, ``language``, ``results``, ``scoring``, ``word``);
third-party: openpyxl, PyYAML, python-docx.
"""
