"""The demo's two agencies and a user for each role in each."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from wayhome.accounts.models import Agency, User
from wayhome.accounts.roles import Role

# Shown on the console when the demo starts; the demo listens on 127.0.0.1 only.
DEMO_PASSWORD = "demo-synthetic-only"  # noqa: S105


@dataclass(frozen=True)
class DemoAgency:
    name: str
    kind: str
    prefix: str
    slug: str


DEMO_AGENCIES = (
    DemoAgency("Family Search Network (demo NGO)", Agency.Kind.NGO, "FSN", "ngo"),
    DemoAgency("Children's Ombudsperson (demo office)", Agency.Kind.OMBUDSPERSON, "OMB", "omb"),
)


@transaction.atomic
def ensure_demo_accounts() -> list[tuple[str, str, str]]:
    """Create (or find) the demo agencies and users; return (username, role, agency) rows."""
    rows: list[tuple[str, str, str]] = []
    for spec in DEMO_AGENCIES:
        agency, _ = Agency.objects.get_or_create(
            name=spec.name, defaults={"kind": spec.kind, "reference_prefix": spec.prefix}
        )
        for role in Role:
            username = f"{spec.slug}-{role.value.replace('_', '-')}"
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username, agency=agency, role=role)
                user.set_password(DEMO_PASSWORD)
                user.save()
                # Enrolled already, so the demo shows the real second-factor step; the
                # verify page prints the current code in demo mode only.
                TOTPDevice.objects.create(user=user, name="demo authenticator", confirmed=True)
            rows.append((username, str(role.label), spec.name))
    return rows
