"""Scoring a candidate with the linkage Fellegi–Sunter model, and saying why.

The weights are the shipped defaults (data/default_model.json, see ``weights``) unless
the agency has fitted its own from confirmed pairs (``MatchModel``, newest first).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wayhome.core.fuzzydate import FuzzyDate, Precision
from wayhome.linkage.model import (
    BIRTH_LEVELS,
    GENERATION_YEARS,
    MISSING,
    NAME_LEVELS,
    FellegiSunter,
)

DEFAULT_MODEL_PATH = Path(__file__).resolve().parent / "data" / "default_model.json"
UNSEEN = 1e-6  # m and u of a level stored parameters lack: no evidence either way
Birth = tuple[int, int | None, int | None] | None

# The linkage levels (linkage.model.NAME_LEVELS, ...) in words a caseworker reads,
# in the same order.
NAME_LABELS = (
    _("no agreement"), _("one name part similar"), _("one name part close"),
    _("one name part the same"), _("two name parts close"),
    _("one name part the same, another similar"), _("one name part the same, another close"),
    _("two name parts the same"), _("two name parts agree, another unlike"),
)  # fmt: skip
BIRTH_LABELS = (
    _("more than three years apart"), _("two or three years apart"), _("a year apart"),
    _("same year, different month"), _("same year as far as known"), _("same month"),
    _("same day"),
)  # fmt: skip
SEX_LABELS = (_("different"), _("same"))
FIELD_LABELS = ((_("Name"), NAME_LABELS), (_("Birth"), BIRTH_LABELS), (_("Sex"), SEX_LABELS))


def params_of(model: FellegiSunter) -> dict[str, Any]:
    """The model as JSON-ready parameters (what ``MatchModel.params`` holds)."""
    return {"m": model.m, "u": model.u, "prior": model.prior}


def model_from(params: dict[str, Any]) -> FellegiSunter:
    """The model of stored parameters; those fitted before birth gaps of two or three
    years had a level of their own (six birth levels) get it as a copy of their
    "different years", which is what such a gap weighed then; those fitted before "both
    agree, another unlike" had a level of its own get it as no evidence (m = u), which is
    what a fitting that never saw it learns."""
    m, u = [list(row) for row in params["m"]], [list(row) for row in params["u"]]
    if len(m[1]) == len(BIRTH_LEVELS) - 1:
        m[1].insert(1, m[1][0])
        u[1].insert(1, u[1][0])
    if len(m[0]) == len(NAME_LEVELS) - 1:
        m[0].append(UNSEEN)
        u[0].append(UNSEEN)
    return FellegiSunter(m=m, u=u, prior=float(params["prior"]))


@lru_cache(maxsize=1)
def default_params() -> dict[str, Any]:
    params: dict[str, Any] = json.loads(DEFAULT_MODEL_PATH.read_text(encoding="utf-8"))
    return params


def model_for(agency_id: int | None) -> FellegiSunter:
    """The agency's newest fitted model, else the shipped default."""
    return current_model(agency_id)[1]


def current_model(agency_id: int | None) -> tuple[int | None, FellegiSunter]:
    """The agency's newest fitted model and its id, else the shipped default and None."""
    from wayhome.matching.models import MatchModel

    if agency_id is None:
        return None, model_from(default_params())
    fitted = MatchModel.objects.filter(agency_id=agency_id).values_list("pk", "params").first()
    if fitted is None:
        return None, model_from(default_params())
    return fitted[0], model_from(fitted[1])


def birth_of(date: FuzzyDate) -> Birth:
    """A fuzzy date as the linkage model's (year, month, day) at its precision; an age
    "on a date" gives the year it implies."""
    p = date.precision
    if p is Precision.EXACT or p is Precision.MONTH or p is Precision.YEAR:
        assert date.year is not None  # noqa: S101  (FuzzyDate checks this)
        return date.year, date.month, date.day
    if p is Precision.AGE and date.age_years is not None and date.as_of is not None:
        return date.as_of.year - date.age_years, None, None
    return None


def sex_of(sex: str) -> str:
    """'' for unknown: no evidence either way."""
    return sex if sex in ("F", "M") else ""


@dataclass(frozen=True, slots=True)
class FieldAgreement:
    """How one field compares and how much it moved the score (log2 Bayes factor)."""

    field: Promise
    agreement: Promise | str
    weight: float | None

    @property
    def direction(self) -> str:
        """'for', 'against' or 'none': the CSS hint of the explanation row."""
        if self.weight is None or abs(self.weight) < 0.5:
            return "none"
        return "for" if self.weight > 0 else "against"


def agreements(model: FellegiSunter, vector: tuple[int, ...]) -> list[FieldAgreement]:
    """Each field's agreement in words and its weight; a blank field carries none."""
    out = []
    for k, (field, labels) in enumerate(FIELD_LABELS):
        level = vector[k]
        if level == MISSING:
            out.append(FieldAgreement(field, _("not known on both sides"), None))
        else:
            weight = math.log2(model.m[k][level] / model.u[k][level])
            out.append(FieldAgreement(field, labels[level], round(weight, 1)))
    return out


def probability(model: FellegiSunter, weight: float) -> float:
    """The posterior of a total weight, the way ``FellegiSunter.probability`` computes it."""
    odds: float = model.prior / (1 - model.prior) * 2.0 ** min(weight, 60.0)
    return odds / (1 + odds)


def generations_apart(a: FuzzyDate, b: FuzzyDate) -> bool:
    """Whether every reading of the two birth dates is GENERATION_YEARS or more apart
    ("about 4" and a year alone count by their widest readings)."""
    if not (a.is_known and b.is_known):
        return False
    return any(
        early is not None and late is not None and _whole_years(early, late) >= GENERATION_YEARS
        for early, late in ((a.latest, b.earliest), (b.latest, a.earliest))
    )


def _whole_years(start: dt.date, end: dt.date) -> int:
    """Whole years from ``start`` to ``end`` (negative when ``end`` is earlier)."""
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))
