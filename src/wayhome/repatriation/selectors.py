"""Reads of rule sets and repatriation cases, scoped to the user's agency and role.

A case of another agency is not there (404). Rule sets shipped with wayhome are read by
every agency; a version an agency wrote is read by that agency only.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Count, Exists, Model, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from wayhome.accounts.models import User
from wayhome.accounts.roles import Cap
from wayhome.accounts.scope import assignment_filter, sees_whole_agency
from wayhome.audit.models import AuditEvent
from wayhome.audit.services import audit_record
from wayhome.people.models import Person
from wayhome.repatriation.models import (
    CaseDocument,
    CaseMember,
    CaseStep,
    DocumentTemplate,
    RepatriationCase,
    RuleSet,
)

M = TypeVar("M", bound=Model)


def _one(qs: QuerySet[M], key: uuid.UUID | str) -> M:
    try:
        return qs.get(uuid=key)
    except (ObjectDoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


# --- rule sets and templates ----------------------------------------------------------


def _shared_or_own(user: User) -> Q:
    return Q(agency__isnull=True) | Q(agency_id=user.agency_key)


def rule_sets_visible_to(user: User) -> QuerySet[RuleSet]:
    """Rule sets the user may read: case workers to open cases, administrators to edit."""
    if not (user.has_cap(Cap.CASE_VIEW) or user.has_cap(Cap.RULES_ADMIN)):
        return RuleSet.objects.none()
    return RuleSet.objects.filter(_shared_or_own(user)).select_related(
        "host_country", "home_country", "agency"
    )


def rule_set_get(user: User, key: uuid.UUID | str) -> RuleSet:
    return _one(rule_sets_visible_to(user), key)


def rule_sets_usable_by(user: User) -> list[RuleSet]:
    """The active version of each route for a new case: the agency's own active version
    of a route when it has one, else the shipped one."""
    active = list(rule_sets_visible_to(user).filter(status=RuleSet.Status.ACTIVE))
    by_slug: dict[str, RuleSet] = {}
    for rs in sorted(active, key=lambda r: r.agency_id is not None):
        by_slug[rs.slug] = rs  # the agency's own version, sorted last, wins
    return sorted(by_slug.values(), key=lambda r: r.name)


def templates_visible_to(user: User) -> QuerySet[DocumentTemplate]:
    if not (user.has_cap(Cap.CASE_VIEW) or user.has_cap(Cap.RULES_ADMIN)):
        return DocumentTemplate.objects.none()
    return DocumentTemplate.objects.filter(_shared_or_own(user))


def template_get(user: User, key: uuid.UUID | str) -> DocumentTemplate:
    return _one(templates_visible_to(user), key)


def template_current(user: User, kind: str, language: str) -> DocumentTemplate | None:
    """The template a document is generated from: the agency's own current version of
    that kind and language if it has one, else the shipped one."""
    rows = templates_visible_to(user).filter(kind=kind, language=language, is_current=True)
    own = rows.filter(agency__isnull=False).order_by("-version").first()
    return own or rows.filter(agency__isnull=True).order_by("-version").first()


# --- cases ------------------------------------------------------------------------------


def cases_visible_to(user: User) -> QuerySet[RepatriationCase]:
    """The agency's cases whose every member the user may see (need-to-know by team).

    A case's page and checklist name all its members, so, as for a review pair, a case
    with one member another team holds is not shown (404) until a supervisor gives the
    family to one team; members, steps, documents and operations follow from here.
    """
    if not user.has_cap(Cap.CASE_VIEW):
        return RepatriationCase.objects.none()
    qs = RepatriationCase.objects.filter(agency_id=user.agency_key)
    if not sees_whole_agency(user):
        hidden = CaseMember.objects.filter(case=OuterRef("pk")).exclude(
            assignment_filter(user, "person__")
        )
        qs = qs.filter(~Exists(hidden))
    return qs.select_related("rule_set", "family_group")


def case_get(user: User, key: uuid.UUID | str) -> RepatriationCase:
    return _one(cases_visible_to(user), key)


def case_read(user: User, key: uuid.UUID | str) -> RepatriationCase:
    """A case whose page is about to be shown: a read of every member, audited."""
    case = case_get(user, key)
    audit_record(actor=user, action=AuditEvent.Action.VIEW, obj=case)
    for member in case.members.select_related("person"):
        audit_record(
            actor=user, action=AuditEvent.Action.VIEW, obj=case, person_uuid=member.person.uuid
        )
    return case


def member_get(user: User, key: uuid.UUID | str) -> CaseMember:
    qs = CaseMember.objects.filter(case__in=cases_visible_to(user)).select_related("case", "person")
    return _one(qs, key)


def step_get(user: User, key: uuid.UUID | str) -> CaseStep:
    qs = CaseStep.objects.filter(member__case__in=cases_visible_to(user)).select_related(
        "member__case", "member__person"
    )
    return _one(qs, key)


def document_get(user: User, key: uuid.UUID | str) -> CaseDocument:
    qs = CaseDocument.objects.filter(case__in=cases_visible_to(user)).select_related("case")
    return _one(qs, key)


def members_with_steps(case: RepatriationCase) -> list[CaseMember]:
    """The case's members, principal first, each with its steps and their documents."""
    steps = CaseStep.objects.order_by("sort", "id").prefetch_related("documents")
    return list(
        case.members.select_related("person")
        .prefetch_related(Prefetch("steps", queryset=steps))
        .order_by("-is_principal", "id")
    )


def missing_items(case: RepatriationCase) -> dict[Person, list[str]]:
    """What is still open per person: the label of every required step pending or
    blocked, with its blocker ("Consent of a parent: mother's consent refused").

    The flight manifest lists these; a person with nothing open is left out.
    """
    out: dict[Person, list[str]] = {}
    for member in members_with_steps(case):
        items = []
        for step in member.steps.all():
            if step.required and step.is_open:
                items.append(f"{step.label}: {step.blocker}" if step.blocker else step.label)
        if items:
            out[member.person] = items
    return out


def case_has_open_required_steps(case: RepatriationCase) -> bool:
    return CaseStep.objects.filter(
        member__case=case,
        member__travels=True,
        required=True,
        status__in=CaseStep.OPEN,
    ).exists()


# --- figures for the dashboard ------------------------------------------------------------


@dataclass(frozen=True)
class CaseCounts:
    by_stage: dict[str, int]
    by_blocker: dict[str, int]


def case_counts(user: User) -> CaseCounts:
    """Cases by stage, and open blocked steps by step code: counts only, never a name.

    Readable with STATS_VIEW (the dashboard) as well as CASE_VIEW; always one agency.
    """
    if not (user.has_cap(Cap.STATS_VIEW) or user.has_cap(Cap.CASE_VIEW)):
        return CaseCounts(by_stage={}, by_blocker={})
    cases = RepatriationCase.objects.filter(agency_id=user.agency_key)
    by_stage = {s.value: 0 for s in RepatriationCase.Stage}
    for row in cases.values("stage").annotate(n=Count("id")):
        by_stage[row["stage"]] = row["n"]
    blocked = CaseStep.objects.filter(
        member__case__in=cases.exclude(
            stage__in=[RepatriationCase.Stage.RETURNED, RepatriationCase.Stage.CLOSED]
        ),
        status=CaseStep.Status.BLOCKED,
    )
    by_blocker: Counter[str] = Counter()
    for row in blocked.values("code").annotate(n=Count("id")):
        by_blocker[row["code"]] = row["n"]
    return CaseCounts(by_stage=by_stage, by_blocker=dict(by_blocker.most_common()))


def blocker_labels(user: User, codes: list[str]) -> dict[str, str]:
    """A label for each step code, as the agency's checklists name it: the dashboard
    shows "Consent of a parent", not "parent_consent". Labels come from rule sets, never
    from a person."""
    labels: dict[str, str] = {}
    rows = (
        CaseStep.objects.filter(member__case__agency_id=user.agency_key, code__in=codes)
        .values_list("code", "label")
        .order_by("code", "id")
    )
    for code, label in rows.distinct():
        labels.setdefault(code, label)
    return labels


def cases_using(user: User, rule_set: RuleSet) -> int:
    """How many of the agency's cases follow this version (an administrator may not read
    cases, but may know a version is in use)."""
    return RepatriationCase.objects.filter(agency_id=user.agency_key, rule_set=rule_set).count()
