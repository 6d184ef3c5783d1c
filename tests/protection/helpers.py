"""Builders for data-protection tests, through the services like tests/factories.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from tests import factories
from wayhome.accounts.models import User
from wayhome.accounts.roles import Role
from wayhome.people.models import Person
from wayhome.protection import services
from wayhome.protection.models import Disclosure, LegalBasis, Purpose, RecipientKind, Scope
from wayhome.tracing.models import Inquirer

DAY = dt.date(2020, 5, 1)


def second_supervisor(supervisor: User) -> User:
    assert supervisor.agency is not None
    return factories.user(supervisor.agency, Role.SUPERVISOR, "a-supervisor-2")


def basis(actor: User, person: Person, legal_basis: str = LegalBasis.CONSENT) -> None:
    services.processing_record_set(
        actor=actor, person=person, purpose=Purpose.FAMILY_TRACING, legal_basis=legal_basis
    )


def consent(
    actor: User,
    *,
    inquirer: Inquirer | None = None,
    person: Person | None = None,
    given: bool = True,
    scope: str = Scope.SHARE_AUTHORITIES,
    on: dt.date = DAY,
) -> None:
    services.consent_record(
        actor=actor,
        inquirer=inquirer,
        person=person,
        scope=scope,
        given=given,
        method="in_person",
        on=on,
    )


def propose(
    actor: User, persons: Sequence[Person], kind: str = RecipientKind.HOME_AUTHORITY
) -> Disclosure:
    return services.disclosure_propose(
        actor=actor,
        recipient="Ministry of Synthetic Affairs",
        recipient_kind=kind,
        legal_basis=LegalBasis.PUBLIC_INTEREST,
        purpose="identity check before return",
        persons=persons,
        data_kinds=["identity", "citizenship"],
    )
