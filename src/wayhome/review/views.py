"""The review pages: the queue, one pair side by side, merge history and undo, proposals.

Reading needs ``Cap.PERSON_VIEW``, deciding ``Cap.PERSON_EDIT``; undoing a merge and
refitting the model need a supervisor, i.e. a holder of ``Cap.AUDIT_VIEW`` as well.
Another agency's pair, merge or person is a 404 (scoped selectors).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from wayhome.accounts.models import User
from wayhome.accounts.permissions import cap_required
from wayhome.accounts.roles import Cap
from wayhome.core.forms import apply_service_errors
from wayhome.core.views import GET_POST, acting_user
from wayhome.people import selectors as people_sel
from wayhome.people.forms import PersonSearchForm
from wayhome.people.models import Person
from wayhome.review import selectors as sel
from wayhome.review import services
from wayhome.review.forms import ConfirmForm, FamilyForm, ProposeForm, RejectForm, UndoForm
from wayhome.review.models import MatchCandidate, PersonMerge


def is_supervisor(user: User) -> bool:
    """Undo and refit: supervisors, i.e. caseworkers who also read the audit trail."""
    return user.has_cap(Cap.PERSON_EDIT) and user.has_cap(Cap.AUDIT_VIEW)


@require_GET
@cap_required(Cap.PERSON_VIEW)
def queue(request: HttpRequest) -> HttpResponse:
    source = request.GET.get("source", "")
    return render(
        request,
        "review/queue.html",
        {
            "q": sel.queue(acting_user(request), source, request.GET.get("page")),
            "sources": MatchCandidate.Source.choices,
            "can_refit": is_supervisor(acting_user(request)),
        },
    )


def _side_of(candidate: MatchCandidate, side: str) -> Person:
    return candidate.left if side == "left" else candidate.right


def _offered(children: list[MatchCandidate]) -> list[tuple[str, str]]:
    return [(str(c.uuid), f"{c.left} ~ {c.right} ({c.score:.2f})") for c in children]


def _detail(
    request: HttpRequest, candidate: MatchCandidate, status: int = 200, **forms: Any
) -> HttpResponse:
    children = sel.children_candidates(candidate, acting_user(request))
    context = {
        "c": candidate,
        "s": sel.side_by_side(candidate, acting_user(request)),
        "children": children,
        "confirm_form": forms.get("confirm_form") or ConfirmForm(),
        "reject_form": forms.get("reject_form") or RejectForm(),
        "family_form": forms.get("family_form") or FamilyForm(offered=_offered(children)),
        "can_decide": acting_user(request).has_cap(Cap.PERSON_EDIT)
        and candidate.status == MatchCandidate.Decision.PENDING,
    }
    return render(request, "review/candidate_detail.html", context, status=status)


@require_GET
@cap_required(Cap.PERSON_VIEW)
def candidate_detail(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    return _detail(request, sel.candidate_get(acting_user(request), key))


def _decided(request: HttpRequest, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("review:queue")


@require_POST
@cap_required(Cap.PERSON_EDIT)
def candidate_confirm(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    candidate = sel.candidate_get(acting_user(request), key)
    form = ConfirmForm(request.POST)
    if form.is_valid():
        try:
            merge = services.candidate_confirm(
                actor=acting_user(request),
                candidate=candidate,
                keep=_side_of(candidate, form.cleaned_data["keep"]),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Confirmed: the two records are merged."))
            return redirect("people:detail", merge.keep.uuid)
    return _detail(request, candidate, status=400, confirm_form=form)


@require_POST
@cap_required(Cap.PERSON_EDIT)
def candidate_reject(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    candidate = sel.candidate_get(acting_user(request), key)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            services.candidate_reject(
                actor=acting_user(request), candidate=candidate, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return _decided(request, _("Rejected: this pair will not be proposed again."))
    return _detail(request, candidate, status=400, reject_form=form)


@require_POST
@cap_required(Cap.PERSON_EDIT)
def family_confirm(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    user = acting_user(request)
    candidate = sel.candidate_get(user, key)
    form = FamilyForm(
        request.POST, offered=_offered(sel.children_candidates(candidate, acting_user(request)))
    )
    if form.is_valid():
        chosen = sel.candidates_visible_to(user).filter(uuid__in=form.cleaned_data["children"])
        try:
            services.family_confirm(
                actor=user,
                candidate=candidate,
                children=list(chosen),
                keep=_side_of(candidate, form.cleaned_data["keep"]),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return _decided(request, _("Confirmed: the mother and her children are merged."))
    return _detail(request, candidate, status=400, family_form=form)


def _history(
    request: HttpRequest, person: Person, failed: PersonMerge | None = None, form: Any = None
) -> HttpResponse:
    return render(
        request,
        "review/merge_history.html",
        {
            "person": person,
            "merges": sel.merges_of(person),
            "can_undo": is_supervisor(acting_user(request)),
            "failed": failed,
            "undo_form": form,
        },
        status=400 if failed else 200,
    )


@require_GET
@cap_required(Cap.PERSON_VIEW)
def merge_history(request: HttpRequest, person: uuid.UUID) -> HttpResponse:
    return _history(request, sel.person_on_record_get(acting_user(request), person))


@require_POST
@cap_required(Cap.PERSON_EDIT)
@cap_required(Cap.AUDIT_VIEW)
def merge_undo(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    merge = sel.merge_get(acting_user(request), key)
    form = UndoForm(request.POST)
    if form.is_valid():
        try:
            services.persons_unmerge(
                actor=acting_user(request), merge=merge, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The merge is undone: both records are back."))
            return redirect("review:merge_history", merge.absorbed.uuid)
    return _history(request, merge.keep, failed=merge, form=form)


@GET_POST
@cap_required(Cap.PERSON_EDIT)
def propose(request: HttpRequest, person: uuid.UUID) -> HttpResponse:
    """ "This may be the same person as ...": pick the other by name, queue the pair."""
    user = acting_user(request)
    p = people_sel.person_get(user, person)
    search = PersonSearchForm(request.GET or None)
    q = search.cleaned_data["q"] if search.is_valid() else ""
    found = [o for o in people_sel.persons_matching(user, q) if o.pk != p.pk]
    picker = {"q": q, "found": found, "field": "other", "input_type": "radio"}
    if getattr(request, "htmx", False) and request.method == "GET":
        return render(request, "people/_person_choices.html", picker)
    form = ProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        other = people_sel.person_get(user, form.cleaned_data["other"])
        try:
            candidate = services.candidate_propose_manual(
                actor=user, person=p, other=other, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The pair waits in the review queue."))
            return redirect("review:candidate", candidate.uuid)
    return render(
        request, "review/propose.html", {"person": p, "form": form, "search": search, **picker}
    )


@require_POST
@cap_required(Cap.PERSON_EDIT)
def propose_pair(request: HttpRequest) -> HttpResponse:
    """ "Review this pair", from a tracing request's candidate list."""
    user = acting_user(request)
    left = people_sel.person_get(user, request.POST.get("left", ""))
    right = people_sel.person_get(user, request.POST.get("right", ""))
    try:
        candidate = services.candidate_propose_manual(
            actor=user, person=left, other=right, source=MatchCandidate.Source.TRACING_REQUEST
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("people:detail", left.uuid)
    return redirect("review:candidate", candidate.uuid)


@require_POST
@cap_required(Cap.PERSON_EDIT)
@cap_required(Cap.AUDIT_VIEW)
def refit(request: HttpRequest) -> HttpResponse:
    try:
        services.model_refit_from_confirmed(actor=acting_user(request))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The matching model is refitted on the confirmed pairs."))
    return redirect(reverse("review:queue"))
