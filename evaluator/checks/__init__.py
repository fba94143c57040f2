"""`evaluator check`: how every value was understood, and every finding before a 自评表 is submitted.

``check.run_checks`` loads the files and gathers: the forms' arithmetic (``forms.audit``), the
quality of the targets (``quality``), and with actuals the pre-submission review (``submission``).

May import: everything below it (``io``, ``forms``, ``rules``, ``language``, ``results``, ``scoring``).
"""
