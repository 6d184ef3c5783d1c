"""Writes to the shared place reference data. Atomic and audited like every other write."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from wayhome.accounts.models import User
from wayhome.audit.models import AuditEvent
from wayhome.audit.services import audit_record, diff, snapshot
from wayhome.places.models import Authority, Country, Facility, Region

A = AuditEvent.Action

FACILITY_FIELDS = (
    "name",
    "name_local",
    "kind",
    "country",
    "region",
    "locality",
    "authority",
    "notes",
)


def _check_region_in_country(region: Region | None, country: Country) -> None:
    if region is not None and region.country_id != country.pk:
        raise ValidationError({"region": _("This region is not in the chosen country.")})


def _save_unique(obj: Facility | Region | Authority, message: str) -> None:
    """Save, turning a clash with a unique name into a message the user can act on."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise ValidationError({"name": message}) from exc


@transaction.atomic
def facility_create(
    *,
    actor: User,
    name: str,
    kind: str,
    country: Country,
    name_local: str = "",
    region: Region | None = None,
    locality: str = "",
    authority: Authority | None = None,
    notes: str = "",
) -> Facility:
    """Register a prison, camp or other site."""
    _check_region_in_country(region, country)
    facility = Facility(
        name=name.strip(),
        name_local=name_local.strip(),
        kind=kind,
        country=country,
        region=region,
        locality=locality.strip(),
        authority=authority,
        notes=notes,
    )
    _save_unique(facility, _("A facility of this name is already recorded in this country."))
    audit_record(
        actor=actor, action=A.CREATE, obj=facility, changes=snapshot(facility, FACILITY_FIELDS)
    )
    return facility


@transaction.atomic
def facility_update(
    *,
    actor: User,
    facility: Facility,
    name: str,
    kind: str,
    country: Country,
    name_local: str = "",
    region: Region | None = None,
    locality: str = "",
    authority: Authority | None = None,
    notes: str = "",
) -> Facility:
    _check_region_in_country(region, country)
    before = snapshot(facility, FACILITY_FIELDS)
    facility.name, facility.name_local, facility.kind = name.strip(), name_local.strip(), kind
    facility.country, facility.region, facility.authority = country, region, authority
    facility.locality, facility.notes = locality.strip(), notes
    _save_unique(facility, _("A facility of this name is already recorded in this country."))
    changes = diff(before, snapshot(facility, FACILITY_FIELDS))
    if changes:
        audit_record(actor=actor, action=A.UPDATE, obj=facility, changes=changes)
    return facility


@transaction.atomic
def region_create(*, actor: User, country: Country, name: str, name_ru: str = "") -> Region:
    region = Region(country=country, name=name.strip(), name_ru=name_ru.strip())
    _save_unique(region, _("This region is already recorded for this country."))
    audit_record(
        actor=actor,
        action=A.CREATE,
        obj=region,
        changes=snapshot(region, ("country", "name", "name_ru")),
    )
    return region


@transaction.atomic
def authority_create(
    *, actor: User, name: str, kind: str, country: Country | None = None
) -> Authority:
    authority = Authority(name=name.strip(), kind=kind, country=country)
    _save_unique(authority, _("An authority of this name is already recorded."))
    audit_record(
        actor=actor,
        action=A.CREATE,
        obj=authority,
        changes=snapshot(authority, ("name", "kind", "country")),
    )
    return authority
