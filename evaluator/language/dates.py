"""Dates in indicator values: deadlines ("12月底前", "2023年底", "第三季度") and completion dates ("2023年10月").

``read_date`` reads a whole value as one date, or returns None; ``find_date`` finds a date inside a
longer text ("推迟至2024年3月完成"). A date with no day means the end of its month; a date with no
year is in the evaluation year (``Deadline.as_date``). Both take normalised text (see ``values``):
full-width folded, no spaces. An impossible date ("12月32日") raises ``ValueError`` with the reason
in Chinese, which ``values`` turns into an unreadable value.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

__all__ = ["VERBS", "Deadline", "completion_date", "find_date", "read_date"]


@dataclass(frozen=True)
class Deadline:
    """A completion date; ``month`` None means no date (按时完成), ``day`` None the end of the month."""

    year: int | None
    month: int | None
    day: int | None

    def as_date(self, default_year: int) -> datetime.date | None:
        if self.month is None:
            return None
        year = self.year or default_year
        last = calendar.monthrange(year, self.month)[1]
        return datetime.date(year, self.month, min(self.day or last, last))


# The verbs a deadline is written with on either side: 12月底前拨付到位, 按时发放, 11月底完成.
VERBS = ("完成|完工|竣工|完毕|到位|办结|拨付|发放|下达|支付|兑付|上报|报送|提交|验收|启动|实施|开展|结算|落实|建成|"
         "交付|印发|出台|召开|举办")
_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0}
_CN_MONTH = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_CN_DAY = r"(?:\d{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"
_TAIL = rf"(?:前|以前|之前|内|以内|之内|止|为止)?(?:(?:全部|全面|已)?(?:{VERBS})(?:到位|完毕|完成)?)?"
_DATE = re.compile(
    rf"(?:截至|截止到|截止|到|于|在|至)?(?:(?P<y>\d{{4}}|[零〇一二三四五六七八九]{{4}})年度?)?"
    rf"(?:(?P<m>{_CN_MONTH})月份?(?:(?P<d>{_CN_DAY})[日号])?"
    rf"(?P<part>底|末|上旬|中旬|下旬|初|中)?)?{_TAIL}")
_ISO_DATE = re.compile(rf"(?P<y>\d{{4}})(?P<sep>[-/.])(?P<m>\d{{1,2}})(?:(?P=sep)(?P<d>\d{{1,2}}))?{_TAIL}")
# 2023年底, 2023年末, 2023年年底, 2023年度内: the end of that year
_YEAR_END_OF = re.compile(r"(?P<y>\d{4})年度?(?:年)?(?:底|末|终|内)")
_YEAR_END = re.compile(rf"(?:本|当|今)?年度?(?:内|底|末|终)(?:前|以前|之前)?{_TAIL}"
                       rf"|(?:本|当)年度?(?:内)?{_TAIL}|下半年(?:内)?{_TAIL}")
_MID_YEAR = re.compile(rf"(?:上半年(?:内|底|末)?|年中)(?:前)?{_TAIL}")
_QUARTER = re.compile(rf"第?(?P<q>[一二三四1-4])季度(?:末|底|内)?(?:前)?{_TAIL}")
_FIND = re.compile(
    r"(?P<y>\d{4})年(?:(?P<m>1[0-2]|0?[1-9])月(?:(?P<d>\d{1,2})[日号])?|(?P<yend>年?底|年?末))"
    r"|(?P<m2>1[0-2]|0?[1-9])月(?:(?P<d2>\d{1,2})[日号]|(?P<part2>底|末))"
    r"|(?P<y3>\d{4})[-/](?P<m3>\d{1,2})(?:[-/](?P<d3>\d{1,2}))?")


def _small_number(token: str) -> int:
    """Read 12, 十二, 二〇二三, 三十一 (the numerals a date is written with)."""
    if token.isdigit():
        return int(token)
    if all(c in _CN_DIGITS for c in token):
        return int("".join(str(_CN_DIGITS[c]) for c in token))
    tens, _, units = token.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


def _checked(year: int | None, month: int, day: int | None) -> Deadline:
    if not 1 <= month <= 12 or not 1 <= (day or 1) <= calendar.monthrange(year or 2000, month)[1]:
        raise ValueError("日期无效")
    return Deadline(year, month, day)


def read_date(text: str) -> Deadline | None:
    """Read a whole value as one date or deadline; None when it is not one (ValueError when impossible)."""
    if year_end := _YEAR_END_OF.match(text):
        rest = text[year_end.end():]
        if re.fullmatch(rf"(?:前|以前|之前)?{_TAIL}", rest):
            year = int(year_end["y"])
            return Deadline(year, 12, None) if 1900 <= year <= 2100 else None
    if _YEAR_END.fullmatch(text):
        return Deadline(None, 12, None)
    if _MID_YEAR.fullmatch(text):
        return Deadline(None, 6, None)
    if match := _QUARTER.fullmatch(text):
        quarter = match["q"]
        return Deadline(None, 3 * (int(quarter) if quarter.isdigit() else "一二三四".index(quarter) + 1), None)
    match = _ISO_DATE.fullmatch(text) or _DATE.fullmatch(text)
    if match is None or not (match["y"] or match["m"]):
        return None
    if match.re is _ISO_DATE and match["sep"] == "." and not match["d"]:
        return None  # 2023.12 is a decimal number
    year, month, day = (_small_number(match[k]) if match[k] else None for k in ("y", "m", "d"))
    part = match.groupdict().get("part")
    day = {"上旬": 10, "初": 10, "中旬": 20, "中": 20}.get(part or "", day)
    if year is not None and not 1900 <= year <= 2100:
        return None
    if month is None:
        return Deadline(year, 12, None)  # 2023年, 2023年度
    return _checked(year, month, day)


_DONE_ON = re.compile(
    r"(?:于|在)(?:(?P<y>\d{4})年)?(?P<m>1[0-2]|0?[1-9])月份?(?:(?P<d>\d{1,2})[日号])?(?P<part>底|末|上旬|中旬|下旬|初)?"
    rf"(?:前|以前|之前)?(?:已|均|全部|全面)*(?:{VERBS})")


def completion_date(text: str) -> Deadline | None:
    """The date a sentence says something was done: "资金已于12月全部拨付", "于2023年11月20日完成"."""
    match = _DONE_ON.search(text)
    if match is None:
        return None
    day = int(match["d"]) if match["d"] else {"上旬": 10, "初": 10, "中旬": 20}.get(match["part"] or "")
    try:
        return _checked(int(match["y"]) if match["y"] else None, int(match["m"]), day)
    except ValueError:
        return None


def find_date(text: str) -> tuple[Deadline, str] | None:
    """Find a date inside a longer text (推迟至2024年3月完成); return it with the words it was read from."""
    for match in _FIND.finditer(text):
        try:
            if match["y"]:
                year = int(match["y"])
                if match["yend"]:
                    return Deadline(year, 12, None), match[0]
                return _checked(year, int(match["m"]), int(match["d"]) if match["d"] else None), match[0]
            if match["m2"]:
                return _checked(None, int(match["m2"]), int(match["d2"]) if match["d2"] else None), match[0]
            return _checked(int(match["y3"]), int(match["m3"]), int(match["d3"]) if match["d3"] else None), match[0]
        except ValueError:
            continue
    return None
