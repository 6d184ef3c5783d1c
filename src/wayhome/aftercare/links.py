"""The home-country legal case of a returnee, when the legal app records one.

Kept apart so aftercare does not depend on the legal app's models: until that app has
them, a returnee simply shows no legal case.
"""

from __future__ import annotations

from typing import Any

from wayhome.accounts.models import User
from wayhome.people.models import Person


def legal_cases_at_home(user: User, person: Person) -> list[Any]:
    """The person's legal cases in their home country that ``user`` may read."""
    return []
