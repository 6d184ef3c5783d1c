"""Defined registry queries a ledger entry can be compared with.

Each definition counts persons of the user's agency on a given day with the same rule as
the dashboards (status of the entry in force that day), so "women from Russia detained in
Iraq" means one thing everywhere it is shown. New definitions are added here, in code and
reviewed, not typed by users: a figure shown beside an official's needs a stable meaning.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wayhome.accounts.models import User
from wayhome.figures.selectors import HELD, Filters, count_matching, sought_on
from wayhome.people.models import Sex, Status
from wayhome.places.models import Country


@dataclass(frozen=True)
class Definition:
    key: str
    label: str | Promise
    statuses: tuple[str, ...] = ()
    citizenship: str = ""  # ISO code
    host_country: str = ""  # ISO code
    sex: str = ""
    age_band: str = ""
    # Counted from tracing requests (persons sought then) rather than whereabouts.
    sought: bool = False

    def count(self, user: User, on: dt.date, *, scratch: bool = False) -> int | None:
        """The registry's count on the day ``on``; None when a country it names is not
        in the reference data (nothing can match then, and 0 would mislead). ``scratch``
        counts from the timelines instead of the kept spans (tests, benchmark)."""
        countries = {c.iso2: c for c in Country.objects.filter(iso2__in=self._isos())}
        if any(iso not in countries for iso in self._isos()):
            return None
        f = Filters(
            start=on,
            end=on,
            host_country=countries.get(self.host_country),
            citizenship=countries.get(self.citizenship),
            sex=self.sex,
            age_band=self.age_band,
            statuses=self.statuses,
        )
        if self.sought:
            return sought_on(user, f, on, scratch=scratch)
        return count_matching(user, f, on, scratch=scratch)

    def _isos(self) -> list[str]:
        return [iso for iso in (self.citizenship, self.host_country) if iso]


_HELD = tuple(s.value for s in HELD)
_AWAITING = (Status.DETAINED.value, Status.ON_TRIAL.value)

DEFINITIONS: dict[str, Definition] = {
    d.key: d
    for d in [
        Definition("held", _("Persons held (detained, in a camp, on trial or sentenced)"), _HELD),
        Definition("held_children", _("Children held"), _HELD, age_band="child"),
        Definition("sought", _("Persons sought in open tracing requests"), sought=True),
        Definition(
            "sought_women", _("Women sought"), sought=True, sex=Sex.FEMALE, age_band="adult"
        ),
        Definition("sought_children", _("Children sought"), sought=True, age_band="child"),
        Definition("repatriated", _("Persons repatriated"), (Status.REPATRIATED.value,)),
        Definition(
            "repatriated_women_ru",
            _("Women with Russian citizenship repatriated"),
            (Status.REPATRIATED.value,),
            citizenship="RU",
            sex=Sex.FEMALE,
            age_band="adult",
        ),
        Definition(
            "repatriated_children_ru",
            _("Children with Russian citizenship repatriated"),
            (Status.REPATRIATED.value,),
            citizenship="RU",
            age_band="child",
        ),
        Definition(
            "held_women_ru_iq",
            _("Women with Russian citizenship held in Iraq"),
            _HELD,
            citizenship="RU",
            host_country="IQ",
            sex=Sex.FEMALE,
            age_band="adult",
        ),
        Definition(
            "held_children_ru_iq",
            _("Children with Russian citizenship held in Iraq"),
            _HELD,
            citizenship="RU",
            host_country="IQ",
            age_band="child",
        ),
        Definition(
            "sentenced_women_ru_iq",
            _("Women with Russian citizenship sentenced in Iraq"),
            (Status.SENTENCED.value,),
            citizenship="RU",
            host_country="IQ",
            sex=Sex.FEMALE,
            age_band="adult",
        ),
        Definition(
            "awaiting_women_ru_iq",
            _("Women with Russian citizenship detained or on trial in Iraq (not yet sentenced)"),
            _AWAITING,
            citizenship="RU",
            host_country="IQ",
            sex=Sex.FEMALE,
            age_band="adult",
        ),
        Definition(
            "held_tj_sy",
            _("Persons with Tajik citizenship held in Syria"),
            _HELD,
            citizenship="TJ",
            host_country="SY",
        ),
        Definition(
            "held_children_tj_iq",
            _("Children with Tajik citizenship held in Iraq"),
            _HELD,
            citizenship="TJ",
            host_country="IQ",
            age_band="child",
        ),
        Definition(
            "held_women_tj_iq",
            _("Women with Tajik citizenship held in Iraq"),
            _HELD,
            citizenship="TJ",
            host_country="IQ",
            sex=Sex.FEMALE,
            age_band="adult",
        ),
        Definition("deceased", _("Persons recorded as deceased"), (Status.DECEASED.value,)),
    ]
}


def definition_choices() -> list[tuple[str, str]]:
    return [("", "—"), *[(d.key, str(d.label)) for d in DEFINITIONS.values()]]
