"""Reference data every installation needs: countries, home regions, controlling authorities.

Idempotent (get_or_create on natural keys) so that a re-run or a seed that loads the same
rows never duplicates them. Facilities are loaded by the seed command, not here.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

# iso2, English, Russian, Arabic
COUNTRIES = [
    ("RU", "Russia", "Россия", "روسيا"),
    ("TJ", "Tajikistan", "Таджикистан", "طاجيكستان"),
    ("KZ", "Kazakhstan", "Казахстан", "كازاخستان"),
    ("UZ", "Uzbekistan", "Узбекистан", "أوزبكستان"),
    ("KG", "Kyrgyzstan", "Киргизия", "قيرغيزستان"),
    ("AZ", "Azerbaijan", "Азербайджан", "أذربيجان"),
    ("IQ", "Iraq", "Ирак", "العراق"),
    ("SY", "Syria", "Сирия", "سوريا"),
    ("TR", "Turkey", "Турция", "تركيا"),
    ("GE", "Georgia", "Грузия", "جورجيا"),
    ("TM", "Turkmenistan", "Туркменистан", "تركمانستان"),
    ("BY", "Belarus", "Беларусь", "بيلاروسيا"),
    ("UA", "Ukraine", "Украина", "أوكرانيا"),
]

# iso2, English, Russian
REGIONS = [
    ("RU", "Chechnya", "Чечня"),
    ("RU", "Dagestan", "Дагестан"),
    ("RU", "Ingushetia", "Ингушетия"),
    ("RU", "Kabardino-Balkaria", "Кабардино-Балкария"),
    ("RU", "Karachay-Cherkessia", "Карачаево-Черкесия"),
    ("RU", "North Ossetia", "Северная Осетия"),
    ("RU", "Tatarstan", "Татарстан"),
    ("RU", "Bashkortostan", "Башкортостан"),
    ("RU", "Moscow", "Москва"),
    ("RU", "Moscow Oblast", "Московская область"),
    ("RU", "Saint Petersburg", "Санкт-Петербург"),
    ("RU", "Stavropol Krai", "Ставропольский край"),
    ("RU", "Astrakhan Oblast", "Астраханская область"),
    ("RU", "Tyumen Oblast", "Тюменская область"),
    ("RU", "Chelyabinsk Oblast", "Челябинская область"),
    ("TJ", "Sughd", "Согдийская область"),
    ("TJ", "Khatlon", "Хатлонская область"),
    ("TJ", "Dushanbe", "Душанбе"),
    ("TJ", "GBAO", "Горно-Бадахшанская автономная область"),
    ("TJ", "Districts of Republican Subordination", "Районы республиканского подчинения"),
    ("KZ", "Almaty", "Алматы"),
    ("KZ", "Astana", "Астана"),
    ("KZ", "Shymkent", "Шымкент"),
    ("KZ", "Almaty Region", "Алматинская область"),
    ("KZ", "Turkistan Region", "Туркестанская область"),
    ("KZ", "Aktobe Region", "Актюбинская область"),
    ("KZ", "Atyrau Region", "Атырауская область"),
    ("KZ", "Karaganda Region", "Карагандинская область"),
    ("KZ", "Mangystau Region", "Мангистауская область"),
    ("KZ", "West Kazakhstan Region", "Западно-Казахстанская область"),
    ("IQ", "Baghdad", "Багдад"),
    ("IQ", "Nineveh", "Найнава"),
    ("IQ", "Erbil", "Эрбиль"),
    ("SY", "Al-Hasakah", "Эль-Хасака"),
    ("SY", "Raqqa", "Ракка"),
    ("SY", "Deir ez-Zor", "Дейр-эз-Зор"),
]

# name, kind, iso2
AUTHORITIES = [
    ("Government of Iraq", "government", "IQ"),
    ("Kurdistan Regional Government (Peshmerga)", "regional", "IQ"),
    ("Autonomous Administration of North and East Syria (SDF)", "non_state", "SY"),
]


def load(apps: Any, schema_editor: Any) -> None:
    Country = apps.get_model("places", "Country")
    Region = apps.get_model("places", "Region")
    Authority = apps.get_model("places", "Authority")
    countries = {}
    for iso2, name, name_ru, name_ar in COUNTRIES:
        country, _ = Country.objects.get_or_create(
            iso2=iso2, defaults={"name": name, "name_ru": name_ru, "name_ar": name_ar}
        )
        countries[iso2] = country
    for iso2, name, name_ru in REGIONS:
        Region.objects.get_or_create(
            country=countries[iso2], name=name, defaults={"name_ru": name_ru}
        )
    for name, kind, iso2 in AUTHORITIES:
        Authority.objects.get_or_create(
            name=name, defaults={"kind": kind, "country": countries[iso2]}
        )


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
