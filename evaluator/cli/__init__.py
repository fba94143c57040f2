"""The `evaluator` command line: typer commands in Chinese, each a thin shell over one library call.

``app`` holds the commands; ``zh`` gives typer's own words (usage, options, errors) in Chinese;
``text`` prints results and check reports as terminal tables. Heavy libraries are imported inside
the commands, so that `evaluator --help` loads neither pandas nor plotly.

May import: every other package of evaluator.
"""

from evaluator.cli.app import app, main

__all__ = ["app", "main"]
