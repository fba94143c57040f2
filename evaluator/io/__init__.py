"""Files in and out: every input is read here, every output is written here.

``files`` reads a file's bytes (regular files only, within the one size limit, recording what a
command read); ``yamlread`` parses YAML safely with line numbers; ``load`` turns
targets and actuals files into the model (an actuals file may be the Excel entry workbook, read by
``entry_read`` in the layout of ``entry_layout``); ``office`` checks every Office file before a parser
sees it; ``dump`` writes targets YAML; ``output`` writes any output atomically, never over a user's
file without ``force`` and never over one of the command's inputs; ``store`` gives a batch its folders, local
or fsspec URLs (s3://…) for a cluster.

May import: ``evaluator.errors``, ``evaluator.decimals``, ``evaluator.model``, ``evaluator.language``,
``evaluator.rules``; third-party: PyYAML, openpyxl, defusedxml; fsspec (only for URLs).
"""
