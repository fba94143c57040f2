"""The Excel workbooks evaluator writes: the actuals entry workbook (``entry``) and the scored 自评表
(``export``). Every cell goes through ``cells``, so user text never becomes a formula and the same
inputs give the same bytes.

May import: everything below it (``io``, ``rules``, ``language``, ``results``, ``scoring``);
third-party: openpyxl, PyYAML.
"""
