"""The places data migration: what every installation has without a seed."""

from __future__ import annotations

import pytest

from wayhome.places.models import Authority, Country, Facility, Region

pytestmark = pytest.mark.django_db


def test_countries_with_russian_and_arabic_names() -> None:
    needed = {"RU", "TJ", "KZ", "UZ", "KG", "AZ", "IQ", "SY", "TR"}
    assert needed <= set(Country.objects.values_list("iso2", flat=True))
    iraq = Country.objects.get(iso2="IQ")
    assert (iraq.name, iraq.name_ru, iraq.name_ar) == ("Iraq", "Ирак", "العراق")
    assert not Country.objects.filter(name_ru="").exists()
    assert not Country.objects.filter(name_ar="").exists()


def test_home_regions() -> None:
    by_country = {
        iso2: set(Region.objects.filter(country__iso2=iso2).values_list("name", flat=True))
        for iso2 in ("RU", "TJ", "KZ")
    }
    assert {
        "Chechnya",
        "Dagestan",
        "Ingushetia",
        "Kabardino-Balkaria",
        "Karachay-Cherkessia",
        "Tatarstan",
        "Bashkortostan",
        "Moscow",
    } <= by_country["RU"]
    assert {
        "Sughd",
        "Khatlon",
        "Dushanbe",
        "GBAO",
        "Districts of Republican Subordination",
    } == by_country["TJ"]
    assert {"Almaty", "Astana", "Shymkent"} <= by_country["KZ"]
    assert Region.objects.get(name="Dagestan").name_ru == "Дагестан"


def test_controlling_authorities() -> None:
    kinds = dict(Authority.objects.values_list("name", "kind"))
    assert kinds["Government of Iraq"] == Authority.Kind.GOVERNMENT
    assert kinds["Kurdistan Regional Government (Peshmerga)"] == Authority.Kind.REGIONAL
    assert (
        kinds["Autonomous Administration of North and East Syria (SDF)"] == Authority.Kind.NON_STATE
    )


def test_facilities_are_left_to_the_seed() -> None:
    assert not Facility.objects.exists()


def test_loading_twice_duplicates_nothing() -> None:
    from importlib import import_module

    from django.apps import apps

    migration = import_module("wayhome.places.migrations.0002_reference_data")
    counts = (Country.objects.count(), Region.objects.count(), Authority.objects.count())
    migration.load(apps, None)
    assert (Country.objects.count(), Region.objects.count(), Authority.objects.count()) == counts
