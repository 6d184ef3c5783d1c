"""Birth dates as people write them in lists, read into ``core.fuzzydate``.

Plain Python, no Django. Handles 12.03.2015, 12/03/2015, 2015-03-12, 03/2015, 2015,
Excel serial numbers (a date cell saved as a plain number), ages ("about 4", "около 4
лет", "4 года", "حوالي 4 سنوات", a bare 4) taken on the list's date, and Arabic-Indic
or Persian digits. Day-first throughout: the lists this system receives come from
Russia, Central Asia and the Middle East, where 03/04/2015 is the 3rd of April.
"""

from __future__ import annotations

import datetime as dt
import re

from wayhome.core.fuzzydate import FuzzyDate, FuzzyDateError, Precision, gettext_noop

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_SEP = r"[./\-\s]"
_DMY = re.compile(rf"(\d{{1,2}}){_SEP}(\d{{1,2}}){_SEP}(\d{{4}})")
_YMD = re.compile(rf"(\d{{4}}){_SEP}(\d{{1,2}})(?:{_SEP}(\d{{1,2}}))?")
_MY = re.compile(rf"(\d{{1,2}}){_SEP}(\d{{4}})")
_YEAR = re.compile(r"(\d{4})(?:\s*(?:г\.?|года?|год рождения|م|year))?")
_SERIAL = re.compile(r"(\d{5})(?:\.0+)?")
_ABOUT = (
    r"(?:about|approx\.?|approximately|around|circa|ca\.?|c\.|~|около|примерно|"
    r"приблизительно|прибл\.?|حوالي|حوالى|تقريبا|تقريباً|نحو)"
)
_UNIT = (
    r"(?:years?(?:\s+old)?|yrs?|y\.?o\.?|y|лет|года?|г\.?|годиков|سنوات|سنة|سنه|عام|أعوام|اعوام)"
)
_AGE = re.compile(rf"(?:{_ABOUT}\s*)?(\d{{1,3}})\s*{_UNIT}?")
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0, after its 1900 leap-year bug
SERIAL_RANGE = (7000, 80000)  # 1919 to 2119: a five-digit number outside is not a date


def digits_ascii(text: str) -> str:
    """Arabic-Indic and Persian digits as 0-9, Arabic comma and marks as spaces."""
    return text.translate(_DIGITS).replace("\u060c", " ").replace("\u200f", "").strip()


def parse_written_date(text: str, as_of: dt.date, *, age_only: bool = False) -> FuzzyDate:
    """The birth date a list gives, at the precision it gives; FuzzyDateError if unreadable.

    ``as_of``: the list's date, on which an age was true. ``age_only``: the column holds
    ages (a bare number is an age, never a year).
    """
    s = digits_ascii(text).lower().strip().rstrip(".")
    s = re.sub(r"\s+", " ", s)
    if not s:
        return FuzzyDate()
    if not age_only:
        found = _date_of(s)
        if found is not None:
            return found
    m = _AGE.fullmatch(s)
    if m and (age_only or len(m[1]) <= 2 or m.group(0) != m[1]):
        return FuzzyDate(Precision.AGE, age_years=int(m[1]), as_of=as_of)
    raise FuzzyDateError(
        gettext_noop(
            "Cannot read this as a birth date or an age; write 12.03.2015, 03.2015, 2015 "
            "or an age such as “about 4”."
        )
    )


def _date_of(s: str) -> FuzzyDate | None:
    if m := _DMY.fullmatch(s):
        return FuzzyDate(Precision.EXACT, int(m[3]), int(m[2]), int(m[1]))
    if m := _YMD.fullmatch(s):
        if m[3]:
            return FuzzyDate(Precision.EXACT, int(m[1]), int(m[2]), int(m[3]))
        return FuzzyDate(Precision.MONTH, int(m[1]), int(m[2]))
    if m := _MY.fullmatch(s):
        return FuzzyDate(Precision.MONTH, int(m[2]), int(m[1]))
    if m := _YEAR.fullmatch(s):
        return FuzzyDate(Precision.YEAR, int(m[1]))
    if (m := _SERIAL.fullmatch(s)) and SERIAL_RANGE[0] <= int(m[1]) <= SERIAL_RANGE[1]:
        return FuzzyDate.exact(_EXCEL_EPOCH + dt.timedelta(days=int(m[1])))
    return None
