"""The tool's version, written into every report and result (the bottom layer: imports nothing)."""

__version__ = "0.1.0"
__all__ = ["__version__"]
