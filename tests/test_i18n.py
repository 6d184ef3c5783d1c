"""Russian and Arabic are complete, compiled and actually served: a missing translation, a
broken placeholder, a forgotten compilemessages or an English menu label fails here."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import polib  # type: ignore[import-untyped]  # no stubs published for polib
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

import wayhome
from tests import factories
from tests.tracing import helpers as tracing
from wayhome.accounts.models import User

LANGS = ("ru", "ar")
LOCALE_DIR = Path(wayhome.__file__).resolve().parent / "locale"

# %(name)s / %s / %d, a leftover {{ var }}, and HTML tags must survive translation unchanged.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\{\s*[^}]+?\s*\}\}|</?[a-zA-Z][^>]*>")

# A word each page must show in the language, so a stale or missing .mo cannot pass.
KNOWN_WORDS = {
    "ru": {
        "dashboard": "Основные показатели",
        "person_list": "Поиск и фильтр лиц",
        "person_detail": "Основные данные",
        "request_list": "Обращения о розыске",
        "facility_list": "Фильтр учреждений",
    },
    "ar": {
        "dashboard": "الأرقام الرئيسية",
        "person_list": "البحث عن الأشخاص وتصفيتهم",
        "person_detail": "البيانات الأساسية",
        "request_list": "طلبات البحث عن المفقودين",
        "facility_list": "تصفية المنشآت",
    },
}
HTML_OPENING = {"ru": '<html lang="ru" dir="ltr">', "ar": '<html lang="ar" dir="rtl">'}
ENGLISH_MENU = ("Dashboard", "Persons", "Families", "Tracing requests", "Information", "Places")
ENGLISH_HEADER = (*ENGLISH_MENU, "Log out", "Change", "Skip to content")


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "django.po"


def placeholders(text: str) -> Counter[str]:
    return Counter(re.sub(r"\s+", "", p) for p in PLACEHOLDER.findall(text))


def translations(entry: polib.POEntry) -> list[tuple[str, str]]:
    """(source, translation) pairs of one entry: one pair, or one per plural form."""
    if entry.msgid_plural:
        return [(entry.msgid_plural, form) for _, form in sorted(entry.msgstr_plural.items())]
    return [(entry.msgid, entry.msgstr)]


def entries_by_key(catalog: polib.MOFile) -> dict[tuple[str | None, str], object]:
    """What a compiled catalogue answers for each (context, msgid): a string or its plurals."""
    return {
        (e.msgctxt, e.msgid): tuple(sorted(e.msgstr_plural.items())) if e.msgid_plural else e.msgstr
        for e in catalog
    }


def test_django_loads_these_catalogs() -> None:
    assert [Path(p).resolve() for p in settings.LOCALE_PATHS] == [LOCALE_DIR]


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_has_a_translation_with_the_same_placeholders(lang: str) -> None:
    po = polib.pofile(str(po_path(lang)))
    assert len(po) > 500, "the catalogue looks truncated; run make messages"
    problems = []
    for entry in po:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.msgid!r}")
        for source, translated in translations(entry):
            if not translated.strip():
                problems.append(f"untranslated: {entry.msgid!r}")
            elif placeholders(translated) != placeholders(source):
                problems.append(f"placeholders differ: {source!r} -> {translated!r}")
    assert problems == []


@pytest.mark.parametrize("lang", LANGS)
def test_plural_forms_match_the_header(lang: str) -> None:
    po = polib.pofile(str(po_path(lang)))
    nplurals = int(re.search(r"nplurals=(\d+)", po.metadata["Plural-Forms"])[1])  # type: ignore[index]
    assert nplurals == {"ru": 4, "ar": 6}[lang]
    plural_entries = [e for e in po if e.msgid_plural and not e.obsolete]
    assert plural_entries
    assert all(len(e.msgstr_plural) == nplurals for e in plural_entries)


@pytest.mark.parametrize("lang", LANGS)
def test_committed_mo_matches_its_po(lang: str) -> None:
    """Compiling the .po in memory must give what the committed .mo holds."""
    po = polib.pofile(str(po_path(lang)))
    compiled = polib.mofile(po.to_binary())
    committed = polib.mofile(str(po_path(lang).with_suffix(".mo")))
    assert entries_by_key(committed) == entries_by_key(compiled)
    assert committed.metadata.get("Plural-Forms") == po.metadata["Plural-Forms"]


@pytest.fixture
def page_urls(caseworker: User) -> dict[str, str]:
    """The main pages, each with something on it: a person with whereabouts, a request."""
    person = factories.person(caseworker, birth=dt.date(2012, 5, 1))
    tracing.entry(caseworker, person, facility=factories.facility())
    tracing.tracing_request(caseworker, sought=[person])
    return {
        "dashboard": reverse("web:dashboard"),
        "person_list": reverse("people:list"),
        "person_detail": reverse("people:detail", args=[person.uuid]),
        "request_list": reverse("tracing:request_list"),
        "facility_list": reverse("places:facility_list"),
    }


def header_of(html: str) -> str:
    match = re.search(r'<header class="top">.*?</header>', html, re.S)
    assert match, "no page header"
    return match[0]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", sorted(KNOWN_WORDS["ru"]))
def test_main_pages_render_in_the_language(
    lang: str,
    page: str,
    caseworker: User,
    page_urls: dict[str, str],
    client_for: Callable[[User], Client],
) -> None:
    client = client_for(caseworker)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    response = client.get(page_urls[page])
    assert response.status_code == 200
    html = response.content.decode()
    assert HTML_OPENING[lang] in html
    assert KNOWN_WORDS[lang][page] in html
    header = header_of(html)
    assert [w for w in ENGLISH_HEADER if f">{w}<" in header] == []


def test_set_language_switches_the_interface_to_arabic(
    caseworker: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(caseworker)
    response = client.post(
        reverse("set_language"), {"language": "ar", "next": reverse("people:list")}, follow=True
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert HTML_OPENING["ar"] in html
    assert "الأشخاص" in header_of(html)
