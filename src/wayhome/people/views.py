"""The people pages: find, register, read and edit persons, their families and groups.

Every view: the capability gate first (``cap_required``), then a scoped selector (another
agency's record is a 404), then a form, then a service. A ``ValidationError`` from the
service goes back onto the form and nothing is written.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from itertools import groupby
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from wayhome.accounts.permissions import cap_required
from wayhome.accounts.roles import Cap
from wayhome.accounts.sensitivity import (
    Visibility,
    field_class,
    redact,
    redact_all,
    visibility,
    withhold,
)
from wayhome.comms.selectors import family_log_visible
from wayhome.core.forms import apply_service_errors
from wayhome.core.versioning import Conflict, StaleVersion, conflict_for
from wayhome.core.views import GET_POST, acting_user, form_page
from wayhome.matching.step import StepGroup, StepQuery, candidate_step
from wayhome.people import selectors as sel
from wayhome.people import services
from wayhome.people.forms import (
    CitizenshipEditForm,
    CitizenshipForm,
    DocumentForm,
    FamilyGroupCreateForm,
    FamilyGroupForm,
    NameForm,
    NameFormSet,
    PersonFactsForm,
    PersonFilterForm,
    PersonSearchForm,
    PhotoForm,
    RelationshipForm,
    document_initial,
    facts_initial,
    name_initial,
)
from wayhome.people.graphs import group_graph, person_graph
from wayhome.people.models import FamilyGroup, Person, PersonName, Script

# A service's error key → the form field it belongs next to, where the names differ.
SERVICE_FIELD_ON_FORM = {"birth": "birth_precision"}
IMAGE_TYPES = {"jpg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp"}


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _form_page(
    request: HttpRequest,
    form: forms.Form,
    save: Callable[[], Any],
    *,
    done: str | Callable[[Any], str],
    success: str,
    template: str = "people/object_form.html",
    context: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """Show the form; on a valid POST call ``save`` and redirect (to ``done``, or to what
    ``done`` makes of the saved object), or show the service's errors on the form."""
    return form_page(
        request,
        form,
        save,
        template=template,
        done=done,
        success=success,
        context=context,
        field_map=SERVICE_FIELD_ON_FORM,
    )


def _person_url(person: Person, anchor: str = "") -> str:
    return reverse("people:detail", args=[person.uuid]) + (f"#{anchor}" if anchor else "")


def _post_action(
    request: HttpRequest, action: Callable[[], Any], done: str, success: str
) -> HttpResponse:
    """Run a one-button service (remove, add a member); a refusal becomes an error message
    on the page the button was on."""
    try:
        action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect(done)


# --- list and detail ------------------------------------------------------------------


@require_GET
@cap_required(Cap.PERSON_VIEW)
def person_list(request: HttpRequest) -> HttpResponse:
    """Search and filter the agency's persons, 50 a page; htmx swaps only the results."""
    form = PersonFilterForm(request.GET or None)
    filters, number = sel.PersonFilters(), 1
    if form.is_bound:
        form.is_valid()  # invalid fields are left out of cleaned_data, hence the filters
        filters, number = form.filters(), form.cleaned_data.get("page") or 1
    page = sel.person_page(acting_user(request), filters, number)
    template = "people/_person_results.html" if _is_htmx(request) else "people/person_list.html"
    return render(request, template, {"form": form, "page": page})


NameGroups = list[tuple[str, list[tuple[str, list[PersonName]]]]]


def _names_by_script_and_kind(person: Person) -> NameGroups:
    """[(script, [(kind, [names])])]: the detail page's name table, Cyrillic apart from Arabic."""
    names = person.names.order_by("script", "kind", "-is_primary", "id")
    return [
        (
            str(Script(script).label),
            [
                (str(PersonName.Kind(kind).label), list(of_kind))
                for kind, of_kind in groupby(in_script, key=lambda n: n.kind)
            ],
        )
        for script, in_script in groupby(names, key=lambda n: n.script)
    ]


@require_GET
@cap_required(Cap.PERSON_VIEW)
def person_detail(request: HttpRequest, person: uuid.UUID) -> HttpResponse:
    p = sel.person_read(acting_user(request), person)
    if p.uuid != person:  # a merged record's old link: show the surviving record's URL
        return redirect("people:detail", p.uuid)
    user = acting_user(request)
    kin = sel.kin_of(p, user)
    graph = person_graph(p, kin) if kin else ""
    # A role that may not see names in full gets "restricted" (or nothing) for the table.
    names_seen = visibility(user, field_class(PersonName, "full"))
    name_groups = _names_by_script_and_kind(p) if names_seen is Visibility.SEE else []
    # Fields the role may not see are replaced before the template sees them.
    documents = redact_all(user, p.documents.select_related("issuing_country"))
    photos = redact_all(user, p.photos.all())
    redact(user, p)
    return render(
        request,
        "people/person_detail.html",
        {
            "person": p,
            "name_groups": name_groups,
            "names_restricted": names_seen is Visibility.MASK,
            "kin": kin,
            "graph": graph,
            "citizenships": p.citizenships.select_related("country"),
            "documents": documents,
            "photos": photos,
            "family_groups": sel.family_groups_visible_to(acting_user(request)).filter(members=p),
            "can_edit": acting_user(request).has_cap(Cap.PERSON_EDIT),
        },
    )


# --- the person's own facts ------------------------------------------------------------


@GET_POST
@cap_required(Cap.PERSON_EDIT)
def person_create(request: HttpRequest) -> HttpResponse:
    """Register a person: facts and several names, all written or none."""
    form = PersonFactsForm(request.POST or None)
    names = NameFormSet(request.POST or None, prefix="names")
    groups: list[StepGroup] = []
    if request.method == "POST" and form.is_valid() and names.is_valid():
        entered = [f.name_data() for f in names.forms if f.has_changed()]
        facts = form.facts()
        groups = candidate_step(request, [StepQuery("", entered, facts["sex"], facts["birth"])])
        if not groups:
            try:
                person = services.person_create(actor=acting_user(request), names=entered, **facts)
            except ValidationError as exc:
                apply_service_errors(form, exc, SERVICE_FIELD_ON_FORM)
            else:
                messages.success(request, _("The person is registered."))
                return redirect(_person_url(person))
    context = {"form": form, "names": names, "candidate_groups": groups}
    return render(request, "people/person_form.html", context)


@GET_POST
@cap_required(Cap.PERSON_EDIT)
def person_update(request: HttpRequest, person: uuid.UUID) -> HttpResponse:
    """Edit a person's facts. The form carries the version it was opened at: if someone
    else saved since, nothing is written and the page shows what they changed."""
    p = sel.person_get(acting_user(request), person)
    form = PersonFactsForm(request.POST or None, initial=facts_initial(p))
    withhold(acting_user(request), form, p, {"notes": "notes"})
    form.fields["version"].required = True
    conflict: Conflict | None = None
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                actor=acting_user(request),
                person=p,
                expected_version=form.cleaned_data["version"],
                **form.facts(),
            )
        except StaleVersion as exc:
            fresh = sel.person_get(acting_user(request), person)
            conflict = conflict_for(form, fresh, exc, facts_initial(fresh))
        except ValidationError as exc:
            apply_service_errors(form, exc, SERVICE_FIELD_ON_FORM)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect(_person_url(p))
    context = {"form": form, "person": p, "conflict": conflict}
    return render(request, "people/person_form.html", context)


# --- names, citizenships, documents, photos ----------------------------------------------


def _child_context(person: Person, title: str) -> dict[str, Any]:
    return {"person": person, "title": title}


@GET_POST
@cap_required(Cap.PERSON_EDIT)
def name_add(request: HttpRequest, person: uuid.UUID) -> HttpResponse:
    p = sel.person_get(acting_user(request), person)
    form = NameForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda: services.name_add(actor=acting_user(request), person=p, data=form.name_data()),
        done=_person_url(p, "names"),
        success=_("The name is added."),
        context=_child_context(p, _("Add a name")),
    )


@GET_POST
@cap_required(Cap.PERSON_EDIT)
def name_edit(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    name = sel.name_get(acting_user(request), key)
    form = NameForm(request.POST or None, initial=name_initial(name))
    return _form_page(
        request,
        form,
        lambda: services.name_update(actor=acting_user(request), name=name, data=form.name_data()),
        done=_person_url(name.person, "names"),
        success=_("The name is saved."),
        context=_child_context(name.person, _("Edit a name")),
    )


@require_POST
@cap_required(Cap.PERSON_EDIT)
def name_remove(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    name = sel.name_get(acting_user(request), key)
    return _post_action(
        request,
        lambda: services.name_remove(actor=acting_user(request), name=name),
        _person_url(name.person, "names"),
        _("The name is removed."),
    )


@GET_POST
@cap_required(Cap.PERSON_EDIT)
def citizenship_add(request: HttpRequest, person: uuid.UUID) -> HttpResponse:
    p = sel.person_get(acting_user(request), person)
    form = CitizenshipForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda: services.citizenship_add(actor=acting_user(request), person=p, **form.cleaned_data),
        done=_person_url(p, "citizenships"),
        success=_("The citizenship is added."),
        context=_child_context(p, _("Add a citizenship")),
    )


@GET_POST
@cap_required(Cap.PERSON_EDIT)
def citizenship_edit(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    cit = sel.citizenship_get(acting_user(request), key)
    form = CitizenshipEditForm(
        request.POST or None, initial={"status": cit.status, "basis": cit.basis}
    )
    return _form_page(
        request,
        form,
        lambda: services.citizenship_update(
            actor=acting_user(request), citizenship=cit, **form.cleaned_data
        ),
        done=_person_url(cit.person, "citizenships"),
        success=_("The citizenship is saved."),
        context=_child_context(cit.person, _("Citizenship: %(c)s") % {"c": cit.country}),
    )


@require_POST
@cap_required(Cap.PERSON_EDIT)
def citizenship_remove(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    cit = sel.citizenship_get(acting_user(request), key)
    return _post_action(
        request,
        lambda: services.citizenship_remove(actor=acting_user(request), citizenship=cit),
        _person_url(cit.person, "citizenships"),
        _("The citizenship is removed."),
    )


@GET_POST
@cap_required(Cap.PERSON_EDIT)
def document_add(request: HttpRequest, person: uuid.UUID) -> HttpResponse:
    p = sel.person_get(acting_user(request), person)
    form = DocumentForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda: services.document_add(actor=acting_user(request), person=p, **form.cleaned_data),
        done=_person_url(p, "documents"),
        success=_("The document is added."),
        context=_child_context(p, _("Add an identity document")),
    )


@GET_POST
@cap_required(Cap.PERSON_EDIT)
def document_edit(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    doc = sel.document_get(acting_user(request), key)
    form = DocumentForm(request.POST or None, initial=document_initial(doc))
    withhold(acting_user(request), form, doc, {"number": "number", "notes": "notes"})
    return _form_page(
        request,
        form,
        lambda: services.document_update(
            actor=acting_user(request), document=doc, **form.cleaned_data
        ),
        done=_person_url(doc.person, "documents"),
        success=_("The document is saved."),
        context=_child_context(doc.person, _("Edit an identity document")),
    )


@require_POST
@cap_required(Cap.PERSON_EDIT)
def document_remove(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    doc = sel.document_get(acting_user(request), key)
    return _post_action(
        request,
        lambda: services.document_remove(actor=acting_user(request), document=doc),
        _person_url(doc.person, "documents"),
        _("The document is removed."),
    )


@GET_POST
@cap_required(Cap.PERSON_EDIT)
def photo_add(request: HttpRequest, person: uuid.UUID) -> HttpResponse:
    p = sel.person_get(acting_user(request), person)
    form = PhotoForm(request.POST or None, request.FILES or None)
    return _form_page(
        request,
        form,
        lambda: services.photo_add(actor=acting_user(request), person=p, **form.cleaned_data),
        done=_person_url(p, "photos"),
        success=_("The photograph is added."),
        context={**_child_context(p, _("Add a photograph")), "multipart": True},
    )


@require_POST
@cap_required(Cap.PERSON_EDIT)
def photo_remove(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    photo = sel.photo_get(acting_user(request), key)
    return _post_action(
        request,
        lambda: services.photo_remove(actor=acting_user(request), photo=photo),
        _person_url(photo.person, "photos"),
        _("The photograph is removed."),
    )


@require_GET
@cap_required(Cap.PERSON_VIEW)
def photo_file(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    """A photograph's bytes, only for a reader who may see the person; never cached."""
    photo = sel.photo_read(acting_user(request), key)
    suffix = photo.image.name.rsplit(".", 1)[-1].lower()
    with photo.image.open("rb") as f:  # at most 5 MB, checked on upload
        content = f.read()
    response = HttpResponse(
        content, content_type=IMAGE_TYPES.get(suffix, "application/octet-stream")
    )
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


# --- family links ------------------------------------------------------------------------


def _picker_context(request: HttpRequest) -> dict[str, Any]:
    """The person picker's search box and its results (for the no-JS page and htmx)."""
    search = PersonSearchForm(request.GET or None)
    q = search.cleaned_data["q"] if search.is_valid() else ""
    return {"search": search, "q": q, "found": sel.persons_matching(acting_user(request), q)}


def _picker_choices(request: HttpRequest, field: str, input_type: str) -> HttpResponse:
    """Only the picker's results: what htmx swaps in while the caseworker types."""
    ctx = {**_picker_context(request), "field": field, "input_type": input_type}
    return render(request, "people/_person_choices.html", ctx)


@GET_POST
@cap_required(Cap.PERSON_EDIT)
def relationship_add(request: HttpRequest, person: uuid.UUID) -> HttpResponse:
    """ "This person is mother of ...": pick the other by searching names."""
    user = acting_user(request)
    p = sel.person_get(user, person)
    if _is_htmx(request) and request.method == "GET":
        return _picker_choices(request, "other", "radio")
    form = RelationshipForm(request.POST or None, initial={"word": request.GET.get("word")})

    def save() -> Any:
        d = form.cleaned_data
        other = sel.person_get(user, d["other"])  # another agency's person: 404
        return services.relationship_add_in_words(
            actor=user,
            person=p,
            word=d["word"],
            other=other,
            is_current=d["is_current"],
            notes=d["notes"],
        )

    return _form_page(
        request,
        form,
        save,
        done=_person_url(p, "family"),
        success=_("The relationship is recorded."),
        template="people/relationship_form.html",
        context={"person": p, **_picker_context(request)},
    )


@require_POST
@cap_required(Cap.PERSON_EDIT)
def relationship_remove(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    rel = sel.relationship_get(acting_user(request), key)
    from_other_side = request.POST.get("back") == str(rel.to_person.uuid)
    back = rel.to_person if from_other_side else rel.from_person
    return _post_action(
        request,
        lambda: services.relationship_remove(actor=acting_user(request), relationship=rel),
        _person_url(back, "family"),
        _("The relationship is removed."),
    )


# --- family groups ------------------------------------------------------------------------


def _group_url(group: FamilyGroup) -> str:
    return reverse("people:family_detail", args=[group.uuid])


@require_GET
@cap_required(Cap.PERSON_VIEW)
def family_list(request: HttpRequest) -> HttpResponse:
    groups = sel.family_groups_listed(acting_user(request))
    return render(request, "people/family_list.html", {"groups": groups[:200]})


@GET_POST
@cap_required(Cap.PERSON_EDIT)
def family_create(request: HttpRequest) -> HttpResponse:
    """A new group; from a person's page it starts with the person and their relatives."""
    user = acting_user(request)
    if _is_htmx(request) and request.method == "GET":
        return _picker_choices(request, "members", "checkbox")
    start = request.GET.get("person")
    chosen: list[Person] = []
    if start:
        focus = sel.person_get(user, start)
        chosen = [focus, *(k.other for k in sel.kin_of(focus, acting_user(request)))]
    form = FamilyGroupCreateForm(
        request.POST or None,
        initial={"label": _("Family of %(name)s") % {"name": chosen[0]} if chosen else ""},
    )
    if request.method == "POST" and form.is_valid():
        chosen = [sel.person_get(user, u) for u in form.cleaned_data.pop("members")]

    return _form_page(
        request,
        form,
        lambda: services.family_group_create(actor=user, members=chosen, **form.cleaned_data),
        done=_group_url,
        success=_("The family group is created."),
        template="people/family_form.html",
        context={"chosen": list(dict.fromkeys(chosen)), **_picker_context(request)},
    )


@require_GET
@cap_required(Cap.PERSON_VIEW)
def family_detail(request: HttpRequest, group: uuid.UUID) -> HttpResponse:
    g = sel.family_group_get(acting_user(request), group)
    members = sel.group_members(g, acting_user(request))
    return render(
        request,
        "people/family_detail.html",
        {
            "group": redact(acting_user(request), g),
            "members": members,
            "graph": group_graph(g.label, members, sel.links_among(members)) if members else "",
            "can_edit": acting_user(request).has_cap(Cap.PERSON_EDIT),
            "family_log": family_log_visible(acting_user(request), g),
            **_picker_context(request),
        },
    )


@GET_POST
@cap_required(Cap.PERSON_EDIT)
def family_edit(request: HttpRequest, group: uuid.UUID) -> HttpResponse:
    g = sel.family_group_get(acting_user(request), group)
    form = FamilyGroupForm(request.POST or None, initial={"label": g.label, "notes": g.notes})
    withhold(acting_user(request), form, g, {"notes": "notes"})
    return _form_page(
        request,
        form,
        lambda: services.family_group_update(
            actor=acting_user(request), group=g, **form.cleaned_data
        ),
        done=_group_url(g),
        success=_("The family group is saved."),
        context={"title": _("Edit the family group"), "cancel": _group_url(g)},
    )


@require_POST
@cap_required(Cap.PERSON_EDIT)
def family_member_add(request: HttpRequest, group: uuid.UUID) -> HttpResponse:
    user = acting_user(request)
    g = sel.family_group_get(user, group)
    person = sel.person_get(user, request.POST.get("person", ""))
    return _post_action(
        request,
        lambda: services.family_group_add_member(actor=user, group=g, person=person),
        _group_url(g),
        _("The person is added to the group."),
    )


@require_POST
@cap_required(Cap.PERSON_EDIT)
def family_member_remove(request: HttpRequest, group: uuid.UUID, person: uuid.UUID) -> HttpResponse:
    user = acting_user(request)
    g = sel.family_group_get(user, group)
    p = sel.person_get(user, person)
    return _post_action(
        request,
        lambda: services.family_group_remove_member(actor=user, group=g, person=p),
        _group_url(g),
        _("The person is removed from the group."),
    )
