"""Writes of the review queue: propose, confirm (merge), reject, undo, refit.

Each is atomic and audited in its transaction; a ``ValidationError`` says what the user
must fix and nothing is written. A merge writes one event carrying every moved id (on the
kept person's trail) and one on the absorbed person's trail (its ``merged_into``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wayhome.accounts.models import User
from wayhome.audit.models import AuditEvent
from wayhome.audit.services import audit_record
from wayhome.core.signals import FactChange, announce_facts_changed
from wayhome.figures import history as figures_history
from wayhome.matching.scoring import model_for
from wayhome.matching.selectors import (
    candidates_for_person,
    described,
    name_data_of,
    score_persons,
)
from wayhome.matching.services import model_refit, rankings_stale
from wayhome.names.similarity import compare_names
from wayhome.people import services as people_services
from wayhome.people.models import Person, Sex
from wayhome.review import merging
from wayhome.review.models import MatchCandidate, PersonMerge
from wayhome.tracing import services as tracing_services
from wayhome.tracing.models import TracingRequest

A = AuditEvent.Action
C = MatchCandidate.Decision
CANDIDATE_FIELDS = ("status", "decided_by", "decided_at", "reason")


def _check_own(actor: User, *objs: Any) -> None:
    """Another agency's record handed in by id (the pages never offer one)."""
    if any(o.agency_id != actor.agency_key for o in objs):
        raise ValidationError(_("A chosen record belongs to another agency."))


def _check_not_merged(*persons: Person) -> None:
    for person in persons:
        if person.merged_into_id is not None:
            raise ValidationError(
                _("%(person)s is already merged into another record.") % {"person": person}
            )


def _reason(reason: str, message: str) -> str:
    if not reason.strip():
        raise ValidationError({"reason": message})
    return reason.strip()


# --- merging ----------------------------------------------------------------------------


def _check_mergeable(actor: User, keep: Person, absorb: Person) -> None:
    _check_own(actor, keep, absorb)
    if keep.pk == absorb.pk:
        raise ValidationError(_("A record cannot be merged with itself."))
    _check_not_merged(keep, absorb)
    if Sex.UNKNOWN not in (keep.sex, absorb.sex) and keep.sex != absorb.sex:
        raise ValidationError(
            _("The two records give different sexes: correct the wrong one before merging.")
        )
    if merging.own_ancestor_after_merge(keep, absorb) or merging.guardian_of_each_other(
        keep, absorb
    ):
        raise ValidationError(
            _(
                "These records are linked as parent (or guardian) and child: merging them "
                "would make someone their own parent."
            )
        )
    unmovable = merging.unmovable_relations(absorb)
    if unmovable:
        raise ValidationError(
            _("%(person)s has records a merge cannot move yet: %(what)s.")
            % {"person": absorb, "what": ", ".join(unmovable)}
        )


def _refresh_derived(actor: User, *persons: Person) -> None:
    """Names and current whereabouts shown on lists, recomputed after rows moved."""
    for person in persons:
        people_services.person_names_refresh(person)
        tracing_services.person_current_refresh(actor=actor, person=person)


def _merge(
    actor: User, keep: Person, absorb: Person, reason: str, candidate: MatchCandidate | None
) -> PersonMerge:
    _check_mergeable(actor, keep, absorb)
    moved = merging.move_all(absorb, keep)
    merging.check_births_in_family(keep)
    Person.objects.filter(pk=absorb.pk).update(merged_into=keep, updated_at=timezone.now())
    absorb.merged_into = keep
    merge = PersonMerge.objects.create(
        agency_id=keep.agency_id,
        created_by=actor,
        keep=keep,
        absorbed=absorb,
        candidate=candidate,
        reason=reason.strip(),
        moved=moved,
    )
    _refresh_derived(actor, keep)
    figures_history.persons_refresh([absorb.pk])  # counted under the surviving record now
    rankings_stale(keep.agency_id, persons=[keep.pk, absorb.pk])
    # The kept record gained the other's citizenships, documents and family links.
    announce_facts_changed(sender=PersonMerge, persons=[keep], cause=FactChange.MERGE, actor=actor)
    audit_record(
        actor=actor,
        action=A.CREATE,
        obj=merge,
        person_uuid=keep.uuid,
        changes={"keep": keep, "absorbed": absorb, "moved": moved},
        reason=merge.reason,
    )
    audit_record(
        actor=actor,
        action=A.UPDATE,
        obj=absorb,
        person_uuid=absorb.uuid,
        changes={"merged_into": [None, keep], "merge": merge},
        reason=merge.reason,
    )
    return merge


@transaction.atomic
def persons_merge(*, actor: User, keep: Person, absorb: Person, reason: str = "") -> PersonMerge:
    """Fold ``absorb`` into ``keep``: every name, fact and source of both is kept on
    ``keep``, and ``absorb`` stays behind empty, hidden, pointing at ``keep``."""
    return _merge(actor, keep, absorb, reason, candidate=None)


@transaction.atomic
def persons_unmerge(*, actor: User, merge: PersonMerge, reason: str) -> PersonMerge:
    """Put back every row the merge moved, if none of them has changed since."""
    _check_own(actor, merge)
    reason = _reason(reason, _("Say why the merge is undone."))
    merge = (
        PersonMerge.objects.select_for_update().select_related("keep", "absorbed").get(pk=merge.pk)
    )
    keep, absorb = merge.keep, merge.absorbed
    if merge.is_undone:
        raise ValidationError(_("This merge is already undone."))
    if keep.merged_into_id is not None:
        raise ValidationError(
            _("%(person)s was merged again since: undo that merge first.") % {"person": keep}
        )
    changed = merging.changes_since(keep, merge.moved)
    if changed:
        raise ValidationError(
            _(
                "The merged record changed since the merge (%(what)s): the merge cannot be "
                "undone automatically."
            )
            % {"what": ", ".join(changed)}
        )
    merging.restore(absorb, keep, merge.moved)
    Person.objects.filter(pk=absorb.pk).update(merged_into=None, updated_at=timezone.now())
    absorb.merged_into = None
    merge.undone_at, merge.undone_by, merge.undo_reason = timezone.now(), actor, reason
    merge.save(update_fields=["undone_at", "undone_by", "undo_reason", "updated_at"])
    _refresh_derived(actor, keep, absorb)
    rankings_stale(keep.agency_id, persons=[keep.pk, absorb.pk])
    announce_facts_changed(
        sender=PersonMerge, persons=[keep, absorb], cause=FactChange.MERGE, actor=actor
    )
    if merge.candidate is not None:
        _decide(actor, merge.candidate, C.PENDING, reason)
    audit_record(
        actor=actor,
        action=A.UPDATE,
        obj=merge,
        person_uuid=keep.uuid,
        changes={"undone_at": [None, merge.undone_at], "moved": merge.moved},
        reason=reason,
    )
    audit_record(
        actor=actor,
        action=A.UPDATE,
        obj=absorb,
        person_uuid=absorb.uuid,
        changes={"merged_into": [keep, None], "merge": merge},
        reason=reason,
    )
    return merge


# --- the queue ---------------------------------------------------------------------------


def names_explanation(left: Person, right: Person) -> dict[str, Any]:
    """How the best pair of names of the two persons aligned (the name core's
    ``compare_names``), for the side-by-side page."""
    best: dict[str, Any] = {"score": 0.0, "left": "", "right": "", "explain": ""}
    for a in left.names.all():
        for b in right.names.all():
            cmp = compare_names(a.text, b.text)
            if cmp.score > best["score"]:
                best = {
                    "score": cmp.score,
                    "left": a.text,
                    "right": b.text,
                    "explain": cmp.explain(),
                }
    return best


def pair_score(left: Person, right: Person) -> tuple[float, dict[str, Any]]:
    """The matching model's score of one pair and its reasons (each field's agreement and
    weight); a pair whose names agree too little for the model scores its names only."""
    query = described(name_data_of(left), left.sex, left.birth)
    names = names_explanation(left, right)
    found = score_persons(query, [right], model_for(left.agency_id), 1)
    if not found:
        return round(names["score"], 4), {"names": names, "reasons": []}
    c = found[0]
    reasons = [
        f"{f.field}: {f.agreement}" + ("" if f.weight is None else f" ({f.weight:+.1f})")
        for f in c.fields
    ]
    return round(c.score, 4), {"names": names, "alignment": c.alignment, "reasons": reasons}


def pair_of(left: Person, right: Person) -> MatchCandidate | None:
    """The candidate row of this pair, whichever way round it was proposed."""
    return MatchCandidate.objects.filter(
        Q(left=left, right=right) | Q(left=right, right=left)
    ).first()


@transaction.atomic
def candidate_propose(
    *,
    actor: User,
    left: Person,
    right: Person,
    score: float,
    explanation: Mapping[str, Any],
    source: str,
    left_is_new: bool = False,
) -> MatchCandidate:
    """Put a pair in the queue; proposing it again changes nothing but a pending pair's
    score, and a rejected (or confirmed) pair is never proposed again.

    ``left_is_new``: ``left`` was created in this very transaction (a list's new row), so
    no pair of it exists and no other transaction can propose one: the look-up and the
    savepoint that guard against both are skipped."""
    _check_own(actor, left, right)
    if left.pk == right.pk:
        raise ValidationError(_("A person cannot be a match of themselves."))
    _check_not_merged(left, right)
    if not 0.0 <= score <= 1.0:
        raise ValidationError({"score": _("A score lies between 0 and 1.")})
    if source not in MatchCandidate.Source.values:
        raise ValidationError({"source": _("Choose where the proposal comes from.")})
    fields = {
        "agency_id": actor.agency_key,
        "created_by": actor,
        "left": left,
        "right": right,
        "score": score,
        "explanation": dict(explanation),
        "source": source,
    }
    if left_is_new:
        candidate = MatchCandidate.objects.create(**fields)
    else:
        existing = pair_of(left, right)
        if existing is not None:
            return _rescore(actor, existing, score, dict(explanation))
        try:
            with transaction.atomic():
                candidate = MatchCandidate.objects.create(**fields)
        except IntegrityError:  # proposed at the same moment by someone else
            found = pair_of(left, right)
            assert found is not None  # noqa: S101  (the constraint says it exists)
            return found
    audit_record(
        actor=actor,
        action=A.CREATE,
        obj=candidate,
        person_uuid=left.uuid,
        changes={"left": left, "right": right, "score": score, "source": source},
    )
    return candidate


@transaction.atomic
def candidates_propose_new(
    *, actor: User, pairs: Sequence[tuple[Person, Person, float, Mapping[str, Any]]], source: str
) -> list[MatchCandidate]:
    """Queue pairs (left, right, score, explanation) whose left person was created in
    this very transaction (a list's new rows), in one insert: no pair of them can exist
    yet, so ``candidate_propose``'s look-up and savepoint are not needed. An audit event
    per pair, as ``candidate_propose`` writes."""
    if source not in MatchCandidate.Source.values:
        raise ValidationError({"source": _("Choose where the proposal comes from.")})
    made = []
    for left, right, score, explanation in pairs:
        _check_own(actor, left, right)
        if left.pk == right.pk:
            raise ValidationError(_("A person cannot be a match of themselves."))
        _check_not_merged(left, right)
        if not 0.0 <= score <= 1.0:
            raise ValidationError({"score": _("A score lies between 0 and 1.")})
        made.append(
            MatchCandidate(
                agency_id=actor.agency_key,
                created_by=actor,
                left=left,
                right=right,
                score=score,
                explanation=dict(explanation),
                source=source,
            )
        )
    MatchCandidate.objects.bulk_create(made, batch_size=1000)
    for c in made:
        audit_record(
            actor=actor,
            action=A.CREATE,
            obj=c,
            person_uuid=c.left.uuid,
            changes={"left": c.left, "right": c.right, "score": c.score, "source": source},
            agency=actor.agency if actor.agency_id == c.agency_id else None,
        )
    return made


def _rescore(
    actor: User, candidate: MatchCandidate, score: float, explanation: dict[str, Any]
) -> MatchCandidate:
    if candidate.status != C.PENDING or (candidate.score, candidate.explanation) == (
        score,
        explanation,
    ):
        return candidate
    before = candidate.score
    candidate.score, candidate.explanation = score, explanation
    candidate.save(update_fields=["score", "explanation", "updated_at"])
    audit_record(
        actor=actor,
        action=A.UPDATE,
        obj=candidate,
        person_uuid=candidate.left.uuid,
        changes={"score": [before, score]},
    )
    return candidate


@transaction.atomic
def candidate_propose_manual(
    *,
    actor: User,
    person: Person,
    other: Person,
    reason: str = "",
    source: str = MatchCandidate.Source.MANUAL,
) -> MatchCandidate:
    """A caseworker's own proposal, scored by names for the reviewer."""
    score, explanation = pair_score(person, other)
    candidate = candidate_propose(
        actor=actor,
        left=person,
        right=other,
        score=score,
        explanation={**explanation, "note": reason.strip()},
        source=source,
    )
    if candidate.status == C.REJECTED:
        raise ValidationError(
            _("This pair was already rejected as not the same person: %(reason)s")
            % {"reason": candidate.reason}
        )
    return candidate


# A candidate at least this likely waits in the queue on its own: "more likely than not",
# the same line the linker draws for ``match`` (no threshold tuned on any answers).
QUEUE_AT = 0.5


@transaction.atomic
def candidates_queue_for_request(
    *, actor: User, request: TracingRequest, per_person: int = 3
) -> list[MatchCandidate]:
    """Put each sought person's likely matches in the review queue (a request just
    opened); a pair rejected before is never proposed again."""
    queued = []
    for link in request.sought_links.select_related("person"):
        for found in candidates_for_person(actor, link.person, limit=per_person):
            if found.score < QUEUE_AT:
                continue
            score, explanation = pair_score(link.person, found.person)
            candidate = candidate_propose(
                actor=actor,
                left=link.person,
                right=found.person,
                score=score,
                explanation=explanation,
                source=MatchCandidate.Source.TRACING_REQUEST,
            )
            if candidate.status == C.PENDING:
                queued.append(candidate)
    return queued


def _decide(actor: User, candidate: MatchCandidate, status: str, reason: str) -> None:
    before = {"status": candidate.status, "reason": candidate.reason}
    candidate.status, candidate.reason = status, reason
    pending = status == C.PENDING
    candidate.decided_by = None if pending else actor
    candidate.decided_at = None if pending else timezone.now()
    candidate.save(update_fields=[*CANDIDATE_FIELDS, "updated_at"])
    audit_record(
        actor=actor,
        action=A.UPDATE,
        obj=candidate,
        person_uuid=candidate.left.uuid,
        changes={"status": [before["status"], status], "reason": [before["reason"], reason]},
        reason=reason,
    )


def _check_pending(actor: User, candidate: MatchCandidate) -> MatchCandidate:
    _check_own(actor, candidate)
    candidate = (
        MatchCandidate.objects.select_for_update()
        .select_related("left", "right")
        .get(pk=candidate.pk)
    )
    if candidate.status != C.PENDING:
        raise ValidationError(
            _("This pair is already %(status)s.") % {"status": candidate.get_status_display()}
        )
    return candidate


def older_of(candidate: MatchCandidate) -> Person:
    """The record registered first: kept by default, as other records cite it longer."""
    return min(candidate.left, candidate.right, key=lambda p: (p.created_at, p.pk))


@transaction.atomic
def candidate_confirm(
    *, actor: User, candidate: MatchCandidate, keep: Person | None = None, reason: str = ""
) -> PersonMerge:
    """The two are one person: merge them, keeping ``keep`` (by default the older)."""
    candidate = _check_pending(actor, candidate)
    keep = keep or older_of(candidate)
    if keep.pk not in (candidate.left_id, candidate.right_id):
        raise ValidationError(_("Keep one of the two records of this pair."))
    absorb = candidate.right if keep.pk == candidate.left_id else candidate.left
    merge = _merge(actor, keep, absorb, reason, candidate=candidate)
    _decide(actor, candidate, C.CONFIRMED, reason.strip())
    return merge


@transaction.atomic
def candidate_reject(*, actor: User, candidate: MatchCandidate, reason: str) -> MatchCandidate:
    """Not the same person: remembered, so the pair is never proposed again."""
    reason = _reason(reason, _("Say why these are not the same person."))
    candidate = _check_pending(actor, candidate)
    _decide(actor, candidate, C.REJECTED, reason)
    return candidate


@transaction.atomic
def family_confirm(
    *,
    actor: User,
    candidate: MatchCandidate,
    children: Sequence[MatchCandidate],
    keep: Person | None = None,
    reason: str = "",
) -> list[PersonMerge]:
    """A mother and her children confirmed in one action: every merge or none."""
    from wayhome.review.selectors import children_candidates  # selectors import services

    offered = {c.pk for c in children_candidates(candidate, actor)}
    if not children or any(c.pk not in offered for c in children):
        raise ValidationError(_("Choose among the children's pairs this page offers."))
    merges = [candidate_confirm(actor=actor, candidate=candidate, keep=keep, reason=reason)]
    merges += [candidate_confirm(actor=actor, candidate=c, reason=reason) for c in children]
    return merges


# --- retraining ------------------------------------------------------------------------------


def confirmed_pairs(actor: User) -> list[tuple[Person, Person]]:
    rows = MatchCandidate.objects.filter(agency_id=actor.agency_key, status=C.CONFIRMED)
    return [(c.left, c.right) for c in rows.select_related("left", "right").order_by("pk")]


@transaction.atomic
def model_refit_from_confirmed(*, actor: User) -> Any:
    """Refit the matching model (wayhome.matching) on the agency's confirmed pairs; the
    audit event lists which pairs were used."""
    pairs = confirmed_pairs(actor)
    if not pairs:
        raise ValidationError(_("No confirmed pair yet: confirm some matches first."))
    result = model_refit(actor=actor, confirmed_pairs=pairs)
    audit_record(
        actor=actor,
        action=A.SYSTEM,
        changes={
            "refit": "matching model",
            "pairs": [[str(a.uuid), str(b.uuid)] for a, b in pairs],
            "result": str(result)[:500],
        },
    )
    return result
