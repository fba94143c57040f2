"""Word documents (.docx) the tool writes: the page, the fonts, the tables, and files that are the same byte for byte.

``document``: an A4 portrait page laid out as 党政机关公文 (GB/T 9704-2012: margins, 小标宋 title, 仿宋 body,
黑体 and 楷体 headings, page numbers “— 1 —” outside at the foot), fonts with named fallbacks, text made
safe for XML, and ``document_bytes`` (fixed document properties and zip times). ``tables``: real Word
tables with fixed column widths, merged cells and header rows repeated on every page. ``selfeval``: the
official 自评表 of one scope (财预〔2020〕10号), used by both the Word 自评表 (``workbook.export_docx``)
and the Word report (``report.docx``).

May import: ``evaluator.decimals``, ``evaluator.model``, ``evaluator.results``; third-party: python-docx.
"""
