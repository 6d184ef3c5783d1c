"""Kinship in the words a caseworker uses, mapped to and from the stored directed links.

A ``Relationship`` stores few kinds (parent, spouse, sibling, grandparent, guardian) in one
direction; people say "mother", "son", "husband". This module is the only translation
between the two, so the form, the service and every page use the same words.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wayhome.people.models import Relationship, Sex

K = Relationship.Kind


class KinWord(models.TextChoices):
    """What the caseworker says: "<this person> is <word> <the other person>"."""

    MOTHER_OF = "mother_of", _("is mother of")
    FATHER_OF = "father_of", _("is father of")
    CHILD_OF = "child_of", _("is child of")
    SPOUSE_OF = "spouse_of", _("is spouse of")
    SIBLING_OF = "sibling_of", _("is sibling of")
    GRANDPARENT_OF = "grandparent_of", _("is grandparent of")
    GRANDCHILD_OF = "grandchild_of", _("is grandchild of")
    GUARDIAN_OF = "guardian_of", _("is guardian of")
    WARD_OF = "ward_of", _("is ward of")


@dataclass(frozen=True)
class StoredLink:
    """How a ``KinWord`` is stored: the kind, whether this person is ``to_person``, and
    the sex the word implies for this person (mother, father), if any."""

    kind: str
    this_is_to: bool = False
    implies_sex: str = ""


WORD_TO_LINK: dict[str, StoredLink] = {
    KinWord.MOTHER_OF: StoredLink(K.PARENT, implies_sex=Sex.FEMALE),
    KinWord.FATHER_OF: StoredLink(K.PARENT, implies_sex=Sex.MALE),
    KinWord.CHILD_OF: StoredLink(K.PARENT, this_is_to=True),
    KinWord.SPOUSE_OF: StoredLink(K.SPOUSE),
    KinWord.SIBLING_OF: StoredLink(K.SIBLING),
    KinWord.GRANDPARENT_OF: StoredLink(K.GRANDPARENT),
    KinWord.GRANDCHILD_OF: StoredLink(K.GRANDPARENT, this_is_to=True),
    KinWord.GUARDIAN_OF: StoredLink(K.GUARDIAN),
    KinWord.WARD_OF: StoredLink(K.GUARDIAN, this_is_to=True),
}


class Role(models.TextChoices):
    """What the OTHER person is to the one whose page is shown; drives the family graph."""

    GRANDPARENT = "grandparent", _("grandparent")
    PARENT = "parent", _("parent")
    GUARDIAN = "guardian", _("guardian")
    SPOUSE = "spouse", _("spouse")
    SIBLING = "sibling", _("sibling")
    CHILD = "child", _("child")
    WARD = "ward", _("ward")
    GRANDCHILD = "grandchild", _("grandchild")


def role_of_other(kind: str, other_is_from: bool) -> Role:
    """The other person's role, seen from this person, for a stored link."""
    if kind == K.SPOUSE:
        return Role.SPOUSE
    if kind == K.SIBLING:
        return Role.SIBLING
    upward = {K.PARENT: Role.PARENT, K.GRANDPARENT: Role.GRANDPARENT, K.GUARDIAN: Role.GUARDIAN}
    downward = {K.PARENT: Role.CHILD, K.GRANDPARENT: Role.GRANDCHILD, K.GUARDIAN: Role.WARD}
    return upward[K(kind)] if other_is_from else downward[K(kind)]


# Role → (female, male, unknown sex) words.
_WORDS: dict[Role, tuple[Promise, Promise, Promise]] = {
    Role.GRANDPARENT: (_("grandmother"), _("grandfather"), _("grandparent")),
    Role.PARENT: (_("mother"), _("father"), _("parent")),
    Role.GUARDIAN: (_("guardian"), _("guardian"), _("guardian")),
    Role.SPOUSE: (_("wife"), _("husband"), _("spouse")),
    Role.SIBLING: (_("sister"), _("brother"), _("sibling")),
    Role.CHILD: (_("daughter"), _("son"), _("child")),
    Role.WARD: (_("ward"), _("ward"), _("ward")),
    Role.GRANDCHILD: (_("granddaughter"), _("grandson"), _("grandchild")),
}


def kin_word(role: Role, sex: str) -> Promise:
    """ "mother", "son", "husband"...: the role in the words that fit the other's sex."""
    female, male, unknown = _WORDS[role]
    return female if sex == Sex.FEMALE else male if sex == Sex.MALE else unknown
