"""Reads of imported lists, scoped to the user's agency."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from wayhome.accounts.models import User
from wayhome.lists.models import ImportRow, ListImport, ListSource


def imports_visible_to(user: User) -> QuerySet[ListImport]:
    if user.agency_id is None:
        return ListImport.objects.none()
    return (
        ListImport.objects.filter(agency_id=user.agency_id)
        .select_related("source", "created_by", "report", "job")
        .defer("content")
    )


def import_get(user: User, uuid: str) -> ListImport:
    """The agency's import (with its file), or 404."""
    if user.agency_id is None:
        raise Http404
    found = ListImport.objects.filter(agency_id=user.agency_id, uuid=uuid).first()
    if found is None:
        raise Http404
    return found


def import_rows(list_import: ListImport) -> QuerySet[ImportRow]:
    return list_import.rows.select_related("person", "candidate").order_by("number")


def sources_of(user: User) -> QuerySet[ListSource]:
    if user.agency_id is None:
        return ListSource.objects.none()
    return ListSource.objects.filter(agency_id=user.agency_id)
