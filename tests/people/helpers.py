"""Test data for the people tests: synthetic persons, family links and tiny images."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests import factories
from wayhome.accounts.models import User
from wayhome.people import services
from wayhome.people.models import Person, Relationship, Sex


def image_upload(name: str = "photo.png", fmt: str = "PNG") -> SimpleUploadedFile:
    """A real 4x4 image, as a browser would upload it."""
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buf, fmt)
    return SimpleUploadedFile(name, buf.getvalue(), content_type=f"image/{fmt.lower()}")


def link(actor: User, elder: Person, younger: Person, kind: str) -> Relationship:
    return services.relationship_create(
        actor=actor, from_person=elder, to_person=younger, kind=kind
    )


def mother_with_family(actor: User) -> dict[str, Person]:
    """A synthetic mother with her mother, two husbands, a sister and three children."""
    p = factories.person
    fam = {
        "mother": p(actor, "Madina", "Testova", Sex.FEMALE),
        "grandmother": p(actor, "Patimat", "Testova", Sex.FEMALE),
        "husband1": p(actor, "Ruslan", "Primerov", Sex.MALE),
        "husband2": p(actor, "Timur", "Obraztsov", Sex.MALE),
        "sister": p(actor, "Zarema", "Testova", Sex.FEMALE),
        "son": p(actor, "Adam", "Primerov", Sex.MALE),
        "daughter": p(actor, "Aisha", "Primerova", Sex.FEMALE),
        "child": p(actor, "Amir", "Obraztsov", Sex.UNKNOWN),
    }
    k = Relationship.Kind
    link(actor, fam["grandmother"], fam["mother"], k.PARENT)
    link(actor, fam["mother"], fam["husband1"], k.SPOUSE)
    link(actor, fam["husband2"], fam["mother"], k.SPOUSE)
    link(actor, fam["sister"], fam["mother"], k.SIBLING)
    for child in ("son", "daughter", "child"):
        link(actor, fam["mother"], fam[child], k.PARENT)
    return fam
