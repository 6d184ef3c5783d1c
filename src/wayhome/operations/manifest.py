"""The manifest of an operation: who travels, which families it would split, seats, and
who would travel as an unaccompanied child.

Rules (docs/operations-and-aftercare.md says the same in words):

- Travellers are the members of the operation's cases marked ``travels``, less anyone
  already repatriated or recorded as deceased.
- A **split** is a traveller whose mother, (minor) child or (minor) sibling stays behind:
  a living relative, recorded in the registry, who is not on board. It is allowed only
  when the traveller's or the relative's case membership says ``may_travel_separately``
  (with its reason). A split is *resolvable* when the relative travels in another ready
  case that is on no other operation: adding that case would close it.
- A child is **unaccompanied** when neither their mother, nor a parent, grandparent or
  guardian recorded in the registry, is on board. It is a flag, not a refusal: the
  operation then needs named escorts before it can be confirmed.

Who counts as a minor uses the birth interval: someone whose latest possible birth date
is less than 18 years before the operation date may be a minor. For the keep-together
rule a child of unknown age counts as a minor too (it never splits them without a
recorded reason); for the unaccompanied flag only a known (possibly) minor age counts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wayhome.operations.models import Operation, OperationCase
from wayhome.people.models import Person, Relationship, Sex, Status
from wayhome.repatriation.models import CaseMember, RepatriationCase
from wayhome.repatriation.selectors import members_with_steps

ADULT_AGE = 18
# Links that make an adult on board the child's carer for the journey.
CARER_KINDS = (
    Relationship.Kind.PARENT,
    Relationship.Kind.GRANDPARENT,
    Relationship.Kind.GUARDIAN,
)
RELATION_LABELS = {
    "mother": _("mother"),
    "child": _("child"),
    "sibling": _("sibling"),
}


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def may_be_minor(person: Person, on: dt.date) -> bool:
    """True when some reading of the birth date makes the person under 18 on ``on``."""
    return person.birth_latest is not None and person.birth_latest > _years_before(on, ADULT_AGE)


def _child_age_unknown_or_minor(person: Person, on: dt.date) -> bool:
    return person.birth_latest is None or may_be_minor(person, on)


@dataclass
class Traveller:
    person: Person
    case: RepatriationCase
    member: CaseMember
    minor: bool
    missing: list[str] = field(default_factory=list)
    unaccompanied: bool = False
    position: int = 0


@dataclass(frozen=True)
class Split:
    """A traveller who would leave a relative behind."""

    traveller: Traveller
    relative: Person
    relation: str
    # The relative's ready case, on no other operation, that would close the split.
    joinable_case: RepatriationCase | None

    @property
    def relation_label(self) -> str:
        return str(RELATION_LABELS[self.relation])

    @property
    def resolvable(self) -> bool:
        return self.joinable_case is not None


@dataclass
class Manifest:
    """Who travels and what stands in the way. ``travellers``, ``splits`` and ``cases``
    are what may be shown; a reader's view (``seen_by``) moves those naming a person
    another team holds to ``withheld`` and the counts, so the seats and tallies stay
    those of the whole operation while no name of another team's record is shown."""

    operation: Operation
    travellers: list[Traveller]
    splits: list[Split]
    cases: list[RepatriationCase]
    withheld: list[Traveller] = field(default_factory=list)
    withheld_splits: int = 0
    withheld_cases: int = 0

    @property
    def aboard(self) -> list[Traveller]:
        """Everyone on board, shown or withheld (for the counts)."""
        return self.travellers + self.withheld

    @property
    def whole(self) -> bool:
        """True when nothing is withheld from this reader."""
        return not (self.withheld or self.withheld_splits or self.withheld_cases)

    @property
    def seats(self) -> int:
        return len(self.aboard)

    @property
    def over_capacity(self) -> int:
        return max(self.seats - self.operation.capacity, 0)

    @property
    def unaccompanied(self) -> list[Traveller]:
        return [t for t in self.aboard if t.unaccompanied]

    @property
    def women(self) -> int:
        return sum(1 for t in self.aboard if not t.minor and t.person.sex == Sex.FEMALE)

    @property
    def children(self) -> int:
        return sum(1 for t in self.aboard if t.minor)

    @property
    def with_missing_items(self) -> int:
        return sum(1 for t in self.aboard if t.missing)

    @property
    def can_confirm(self) -> bool:
        return self.whole and bool(self.travellers) and not self.splits and not self.over_capacity

    def seen_by(self, persons: Collection[int], cases: Collection[int]) -> Manifest:
        """The manifest as a reader who may see these persons and cases sees it: only
        their travellers, the splits whose traveller and relative they may both see, and
        their cases; the rest counted in ``withheld``."""
        shown = [t for t in self.travellers if t.person.pk in persons]
        splits = [
            s for s in self.splits if s.traveller.person.pk in persons and s.relative.pk in persons
        ]
        own = [c for c in self.cases if c.pk in cases]
        return Manifest(
            operation=self.operation,
            travellers=shown,
            splits=splits,
            cases=own,
            withheld=self.withheld + [t for t in self.travellers if t.person.pk not in persons],
            withheld_splits=self.withheld_splits + len(self.splits) - len(splits),
            withheld_cases=self.withheld_cases + len(self.cases) - len(own),
        )


def cases_on(operation: Operation) -> list[RepatriationCase]:
    return [
        link.case
        for link in OperationCase.objects.filter(operation=operation)
        .select_related("case")
        .order_by("id")
    ]


def _travellers(cases: Sequence[RepatriationCase], on: dt.date) -> list[Traveller]:
    members = (
        CaseMember.objects.filter(case__in=cases, travels=True)
        .select_related("person", "case")
        .order_by(
            "case_id", "-is_principal", F("person__birth_earliest").asc(nulls_last=True), "id"
        )
    )
    order = {case.pk: i for i, case in enumerate(cases)}
    seen: set[int] = set()
    out: list[Traveller] = []
    for m in sorted(members, key=lambda m: order[m.case_id]):
        p = m.person
        if p.pk in seen or p.current_status in (Status.REPATRIATED, Status.DECEASED):
            continue
        seen.add(p.pk)
        out.append(Traveller(person=p, case=m.case, member=m, minor=may_be_minor(p, on)))
    for i, t in enumerate(out, start=1):
        t.position = i
    return out


def _links(person_ids: Iterable[int]) -> list[Relationship]:
    """Every current family link touching a traveller, and their parents' links to their
    other children (siblings count even when no sibling link was recorded)."""
    ids = list(person_ids)
    kinds = [*CARER_KINDS, Relationship.Kind.SIBLING]
    rows = Relationship.objects.filter(kind__in=kinds, is_current=True).select_related(
        "from_person", "to_person"
    )
    links = {r.pk: r for r in rows.filter(Q(from_person_id__in=ids) | Q(to_person_id__in=ids))}
    parents = {
        r.from_person_id
        for r in links.values()
        if r.kind == Relationship.Kind.PARENT and r.to_person_id in ids
    }
    for r in rows.filter(kind=Relationship.Kind.PARENT, from_person_id__in=parents):
        links.setdefault(r.pk, r)
    return list(links.values())


def _family_of(
    travellers: Sequence[Traveller], links: Sequence[Relationship], on: dt.date
) -> dict[int, list[tuple[int, str]]]:
    """For each traveller's person id: (relative id, relation) that must stay together."""
    persons: dict[int, Person] = {}
    for r in links:
        persons[r.from_person_id] = r.from_person
        persons[r.to_person_id] = r.to_person
    mothers: dict[int, set[int]] = defaultdict(set)  # child id -> mother ids
    for r in links:
        if r.kind == Relationship.Kind.PARENT and r.from_person.sex == Sex.FEMALE:
            mothers[r.to_person_id].add(r.from_person_id)
    out: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for t in travellers:
        pid = t.person.pk
        if _child_age_unknown_or_minor(t.person, on):
            out[pid] += [(m, "mother") for m in mothers.get(pid, ())]
        for child, ms in mothers.items():
            if pid in ms and _child_age_unknown_or_minor(persons[child], on):
                out[pid].append((child, "child"))
        if t.minor:
            siblings = {
                r.to_person_id if r.from_person_id == pid else r.from_person_id
                for r in links
                if r.kind == Relationship.Kind.SIBLING and pid in (r.from_person_id, r.to_person_id)
            }
            # Children of the same mother are siblings whether or not a link says so.
            for child, ms in mothers.items():
                if child != pid and ms & mothers.get(pid, set()):
                    siblings.add(child)
            out[pid] += [(s, "sibling") for s in siblings if may_be_minor(persons[s], on)]
    return out


def _memberships(person_ids: Iterable[int]) -> dict[int, list[CaseMember]]:
    rows = CaseMember.objects.filter(person_id__in=list(person_ids)).exclude(
        case__stage__in=[RepatriationCase.Stage.RETURNED, RepatriationCase.Stage.CLOSED]
    )
    out: dict[int, list[CaseMember]] = defaultdict(list)
    for m in rows.select_related("case"):
        out[m.person_id].append(m)
    return out


def _busy_cases(case_ids: Iterable[int], operation: Operation) -> set[int]:
    """Of these cases, those already on another active operation."""
    return set(
        OperationCase.objects.filter(
            case_id__in=list(case_ids), operation__status__in=Operation.ACTIVE
        )
        .exclude(operation=operation)
        .values_list("case_id", flat=True)
    )


def _joinable(memberships: list[CaseMember], busy: set[int]) -> RepatriationCase | None:
    for m in memberships:
        if m.travels and m.case.stage == RepatriationCase.Stage.READY and m.case_id not in busy:
            return m.case
    return None


def missing_items_shown(case: RepatriationCase) -> dict[int, list[str]]:
    """``repatriation.selectors.missing_items`` in the reader's language, by person id:
    each required step still open, its label as the rule set gives it for the page's
    language and its blocker through the catalogue (the engine writes them in English)."""
    out: dict[int, list[str]] = {}
    for member in members_with_steps(case):
        items = [
            f"{step.localized_label}: {gettext(step.blocker)}"
            if step.blocker
            else step.localized_label
            for step in member.steps.all()
            if step.required and step.is_open
        ]
        if items:
            out[member.person_id] = items
    return out


def build(operation: Operation, cases: Sequence[RepatriationCase] | None = None) -> Manifest:
    """The manifest for ``cases`` (by default the operation's own) on the operation's date."""
    cases = list(cases_on(operation) if cases is None else cases)
    on = operation.planned_on
    travellers = _travellers(cases, on)
    aboard = {t.person.pk for t in travellers}
    links = _links(aboard)
    family = _family_of(travellers, links, on)
    relatives = {rid for pairs in family.values() for rid, _rel in pairs} - aboard
    persons = {r.from_person_id: r.from_person for r in links} | {
        r.to_person_id: r.to_person for r in links
    }
    memberships = _memberships(relatives)
    busy = _busy_cases({m.case_id for ms in memberships.values() for m in ms}, operation)
    splits: list[Split] = []
    for t in travellers:
        for rid, relation in family.get(t.person.pk, ()):
            relative = persons[rid]
            if rid in aboard or relative.current_status == Status.DECEASED:
                continue
            theirs = memberships.get(rid, [])
            if t.member.may_travel_separately or any(m.may_travel_separately for m in theirs):
                continue
            splits.append(Split(t, relative, relation, _joinable(theirs, busy)))
    carers: dict[int, set[int]] = defaultdict(set)
    for r in links:
        if r.kind in CARER_KINDS:
            carers[r.to_person_id].add(r.from_person_id)
    for t in travellers:
        t.unaccompanied = t.minor and not (carers.get(t.person.pk, set()) & aboard)
    for case in cases:
        items = missing_items_shown(case)
        for t in travellers:
            if t.case.pk == case.pk:
                t.missing = items.get(t.person.pk, [])
    return Manifest(operation=operation, travellers=travellers, splits=splits, cases=cases)
