"""Dates known only roughly: exact, month, year, or "about N years old on a date".

Plain Python, no Django. Every fuzzy date maps to an interval [earliest, latest] so that
comparisons ("was the child born before the mother?") and age filters work whatever the
precision; a comparison only fails when the intervals prove it wrong.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import re
from dataclasses import dataclass


class Precision(enum.StrEnum):
    UNKNOWN = "unknown"
    EXACT = "exact"
    MONTH = "month"
    YEAR = "year"
    AGE = "age"  # "about N years old on <as_of>"


def gettext_noop(message: str) -> str:
    """Marks a message for translation catalogues; the Django side translates it."""
    return message


class FuzzyDateError(ValueError):
    """A date that cannot be true or cannot be read; the message is shown to the user.

    ``template`` is an untranslated message with ``%(name)s`` placeholders and ``params``
    fills them, so the web layer can translate it (``core.forms.error_text``) while this
    module stays free of Django.
    """

    def __init__(self, template: str, **params: object) -> None:
        self.template = template
        self.params = params
        super().__init__(template % params if params else template)


@dataclass(frozen=True)
class FuzzyDate:
    precision: Precision = Precision.UNKNOWN
    year: int | None = None
    month: int | None = None
    day: int | None = None
    age_years: int | None = None
    as_of: dt.date | None = None

    def __post_init__(self) -> None:
        p = self.precision
        if p is Precision.EXACT and None in (self.year, self.month, self.day):
            raise FuzzyDateError(gettext_noop("An exact date needs a year, a month and a day."))
        if p is Precision.MONTH and None in (self.year, self.month):
            raise FuzzyDateError(gettext_noop("A month needs a year and a month."))
        if p is Precision.YEAR and self.year is None:
            raise FuzzyDateError(gettext_noop("A year is needed."))
        if p is Precision.AGE and (self.age_years is None or self.as_of is None):
            raise FuzzyDateError(
                gettext_noop("An age needs the number of years and the date it was given.")
            )
        if self.age_years is not None and not 0 <= self.age_years <= 120:
            raise FuzzyDateError(gettext_noop("An age must be between 0 and 120 years."))
        if self.year is not None and not 1880 <= self.year <= 2200:
            raise FuzzyDateError(gettext_noop("The year is out of range."))
        if self.month is not None and not 1 <= self.month <= 12:
            raise FuzzyDateError(gettext_noop("The month must be between 1 and 12."))
        if self.day is not None:
            if self.year is None or self.month is None:
                raise FuzzyDateError(gettext_noop("A day needs a month and a year."))
            last = calendar.monthrange(self.year, self.month)[1]
            if not 1 <= self.day <= last:
                raise FuzzyDateError(gettext_noop("That day does not exist in that month."))

    @classmethod
    def exact(cls, value: dt.date) -> FuzzyDate:
        return cls(Precision.EXACT, value.year, value.month, value.day)

    @classmethod
    def about_age(cls, years: int, as_of: dt.date) -> FuzzyDate:
        return cls(Precision.AGE, age_years=years, as_of=as_of)

    @classmethod
    def parse(cls, text: str) -> FuzzyDate:
        """Read ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``, ``DD.MM.YYYY``, ``MM.YYYY`` or blank."""
        s = text.strip()
        if not s:
            return cls()
        m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", s)
        if m:
            y, mo, d = (int(g) if g else None for g in m.groups())
        else:
            m = re.fullmatch(r"(?:(\d{1,2})[./])?(\d{1,2})[./](\d{4})", s)
            if not m:
                raise FuzzyDateError(
                    gettext_noop(
                        "Cannot read “%(text)s” as a date; write 2015-03-12, 2015-03 or 2015."
                    ),
                    text=s,
                )
            d, mo, y = (int(g) if g else None for g in m.groups())
        if d is not None:
            return cls(Precision.EXACT, y, mo, d)
        if mo is not None:
            return cls(Precision.MONTH, y, mo)
        return cls(Precision.YEAR, y)

    @property
    def is_known(self) -> bool:
        return self.precision is not Precision.UNKNOWN

    @property
    def earliest(self) -> dt.date | None:
        return self._bounds()[0]

    @property
    def latest(self) -> dt.date | None:
        return self._bounds()[1]

    def _bounds(self) -> tuple[dt.date | None, dt.date | None]:
        y, m, d = self.year, self.month, self.day
        if self.precision is Precision.EXACT and y and m and d:
            return dt.date(y, m, d), dt.date(y, m, d)
        if self.precision is Precision.MONTH and y and m:
            return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])
        if self.precision is Precision.YEAR and y:
            return dt.date(y, 1, 1), dt.date(y, 12, 31)
        if self.precision is Precision.AGE and self.as_of and self.age_years is not None:
            # Someone "about 4" on the date may have just turned 4 or be nearly 5; a
            # further year either side absorbs how loosely ages are reported.
            earliest = _minus_years(self.as_of, self.age_years + 2) + dt.timedelta(days=1)
            return earliest, _minus_years(self.as_of, max(self.age_years - 1, 0))
        return None, None

    def __str__(self) -> str:
        p = self.precision
        if p is Precision.EXACT:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if p is Precision.MONTH:
            return f"{self.year:04d}-{self.month:02d}"
        if p is Precision.YEAR:
            return f"{self.year:04d}"
        if p is Precision.AGE and self.as_of is not None:
            return f"~{self.age_years} y on {self.as_of.isoformat()}"
        return ""

    def check_not_future(self, today: dt.date, what: str = "The date") -> None:
        """Refuse a date that certainly lies after today."""
        earliest = self.earliest
        if earliest is not None and earliest > today:
            raise FuzzyDateError(gettext_noop("%(what)s is in the future."), what=what)
        if self.as_of is not None and self.as_of > today:
            raise FuzzyDateError(
                gettext_noop("%(what)s: the age was given on a future date."), what=what
            )

    def certainly_before(self, other: FuzzyDate) -> bool:
        """True only when every reading of self is earlier than every reading of other."""
        a, b = self.latest, other.earliest
        return a is not None and b is not None and a < b


def _minus_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)
