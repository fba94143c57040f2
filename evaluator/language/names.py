"""Indicator and fund names as the tool compares them, across years and against known indicators.

``normalise_name`` folds the ways one name is written ("“三公”经费变动率" and "三公经费变动率", "2023年度内
按时完成" and "2024年度内按时完成") into one key. Matching across years (``analysis.matching``), the
previous year's actual of a relative target (``scoring.previous``) and the department-wide standard
indicators (``language.standards``) all use it, so that a name is the same name everywhere.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["normalise_name"]

_YEAR_IN_NAME = re.compile(r"(?:19|20)\d{2}(?=年)")


@lru_cache(maxsize=65536)
def normalise_name(name: str) -> str:
    """Return a name as matching compares it: NFKC, no whitespace or punctuation, case folded, and
    without year numbers ("2023年度内按时完成" and "2024年度内按时完成" are the same indicator)."""
    text = _YEAR_IN_NAME.sub("", unicodedata.normalize("NFKC", name))
    return "".join(ch for ch in text if not unicodedata.category(ch).startswith(("P", "Z", "C"))).casefold()
