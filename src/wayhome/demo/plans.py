"""What the generator plans before anything is written: plain objects, no database ids.

Keeping generation (random, reproducible) apart from writing (batched, database-specific)
means the same seed gives the same plans whatever the batch size or the database, and the
showcase families can be written by hand in the same shapes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from wayhome.core.fuzzydate import FuzzyDate
from wayhome.people.models import PersonName, Script, Status


@dataclass
class NamePlan:
    script: str
    given: str = ""
    patronymic: str = ""
    family: str = ""
    full: str = ""
    kind: str = PersonName.Kind.LEGAL
    is_primary: bool = False

    @property
    def text(self) -> str:
        """The same text PersonName.text shows: parts, else the name as written."""
        return " ".join(p for p in (self.given, self.patronymic, self.family) if p) or self.full


@dataclass
class ReportPlan:
    received_on: dt.date
    channel: str
    source: str
    reliability: str
    summary: str
    persons: list[PersonPlan] = field(default_factory=list)
    db_id: int = 0


@dataclass
class WhereaboutsPlan:
    status: str
    start_date: dt.date
    reports: list[ReportPlan]
    facility: str | None = None  # reference.FacilitySpec.key
    country: str | None = None  # iso2
    location: str = ""
    start_precision: str = "exact"
    end_date: dt.date | None = None
    notes: str = ""
    db_id: int = 0


@dataclass
class DocumentPlan:
    kind: str
    status: str
    country: str | None
    number: str = ""


@dataclass
class PersonPlan:
    sex: str
    birth: FuzzyDate
    names: list[NamePlan]
    home_region: str | None = None  # Region.name
    birth_place: str = ""
    birth_country: str | None = None
    citizenships: list[tuple[str, str]] = field(default_factory=list)  # (iso2, status)
    documents: list[DocumentPlan] = field(default_factory=list)
    whereabouts: list[WhereaboutsPlan] = field(default_factory=list)
    notes: str = ""
    db_id: int = 0

    @property
    def display_name(self) -> str:
        primary = next((n for n in self.names if n.is_primary), self.names[0])
        return primary.text[:300]

    def latest(self) -> WhereaboutsPlan | None:
        """The entry that sets the current status: the latest start, ties to the last added."""
        if not self.whereabouts:
            return None
        order = sorted(enumerate(self.whereabouts), key=lambda e: (e[1].start_date, e[0]))
        return order[-1][1]

    @property
    def current_status(self) -> str:
        latest = self.latest()
        return latest.status if latest else Status.UNKNOWN

    def name_in(self, script: Script) -> NamePlan | None:
        return next((n for n in self.names if n.script == script), None)


@dataclass
class RelationPlan:
    from_person: PersonPlan
    to_person: PersonPlan
    kind: str


@dataclass
class InquirerPlan:
    name: str
    relationship: str
    phone: str
    email: str
    region: str | None
    language: str
    consent_contact: bool
    db_id: int = 0


@dataclass
class RequestPlan:
    inquirer: InquirerPlan
    received_on: dt.date
    sought: list[tuple[PersonPlan, str]]  # (person, relation to the inquirer)
    status: str = "open"
    closure_reason: str = ""
    located_on: dt.date | None = None
    closed_on: dt.date | None = None
    consent_share: bool = False
    last_known: str = ""
    last_known_place: str = ""
    last_known_date: dt.date | None = None
    last_known_precision: str = "unknown"
    reference: str = ""  # given by the writer: <prefix>-<year>-<number>
    db_id: int = 0


@dataclass
class FamilyPlan:
    persons: list[PersonPlan]
    relations: list[RelationPlan] = field(default_factory=list)
    reports: list[ReportPlan] = field(default_factory=list)
    requests: list[RequestPlan] = field(default_factory=list)
    group_label: str = ""  # a FamilyGroup when set
