"""The home-country legal case of a returnee, from the legal app, as links for the file."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from wayhome.accounts.models import User
from wayhome.legal.models import LegalCase
from wayhome.legal.selectors import legal_cases_of
from wayhome.people.models import Person


@dataclass(frozen=True)
class LegalLink:
    label: str
    url: str


def legal_cases_at_home(user: User, person: Person) -> list[LegalLink]:
    """The person's legal cases in their home country that ``user`` may read (none for a
    role without legal.view: the file then shows no link rather than a refusal)."""
    rows = legal_cases_of(user, person).filter(jurisdiction=LegalCase.Jurisdiction.HOME)
    return [
        LegalLink(
            label=f"{case.court or case.country} · {case.get_status_display()}",
            url=reverse("legal:case_detail", args=[case.uuid]),
        )
        for case in rows.order_by("-id")
    ]
