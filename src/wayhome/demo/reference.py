"""The places the synthetic population lives in and is held at.

Countries, regions and authorities are looked up with get_or_create on their natural keys,
so the seed works whether or not the places reference-data migration has run; facilities
are the seed's own (the migration leaves them out on purpose).
"""

from __future__ import annotations

from dataclasses import dataclass

from wayhome.places.models import Authority, Country, Facility, Region

COUNTRY_NAMES = {
    "RU": "Russia",
    "TJ": "Tajikistan",
    "KZ": "Kazakhstan",
    "UZ": "Uzbekistan",
    "KG": "Kyrgyzstan",
    "AZ": "Azerbaijan",
    "IQ": "Iraq",
    "SY": "Syria",
}


@dataclass(frozen=True)
class HomeRegion:
    iso2: str
    name: str
    name_ru: str
    culture: str
    weight: int
    towns: tuple[str, ...]  # as written in a Cyrillic birth record


HOME_REGIONS = (
    HomeRegion("RU", "Dagestan", "Дагестан", "caucasus", 18, ("Махачкала", "Хасавюрт", "Буйнакск")),
    HomeRegion("RU", "Chechnya", "Чечня", "caucasus", 14, ("Грозный", "Урус-Мартан", "Шали")),
    HomeRegion("RU", "Kabardino-Balkaria", "Кабардино-Балкария", "caucasus", 5, ("Нальчик",)),
    HomeRegion("RU", "Ingushetia", "Ингушетия", "caucasus", 3, ("Назрань", "Магас")),
    HomeRegion("RU", "Karachay-Cherkessia", "Карачаево-Черкесия", "caucasus", 3, ("Черкесск",)),
    HomeRegion("RU", "Tatarstan", "Татарстан", "volga", 4, ("Казань", "Набережные Челны")),
    HomeRegion("RU", "Bashkortostan", "Башкортостан", "volga", 2, ("Уфа",)),
    HomeRegion("RU", "Moscow", "Москва", "caucasus", 3, ("Москва",)),
    HomeRegion("TJ", "Sughd", "Согдийская область", "tajik", 7, ("Худжанд", "Истаравшан")),
    HomeRegion("TJ", "Khatlon", "Хатлонская область", "tajik", 8, ("Бохтар", "Кулоб")),
    HomeRegion("TJ", "Dushanbe", "Душанбе", "tajik", 5, ("Душанбе",)),
    HomeRegion("KZ", "Almaty", "Алматы", "kazakh", 3, ("Алматы",)),
    HomeRegion("KZ", "Aktobe Region", "Актюбинская область", "kazakh", 3, ("Актобе",)),
    HomeRegion("KZ", "Atyrau Region", "Атырауская область", "kazakh", 2, ("Атырау",)),
    HomeRegion(
        "KZ", "West Kazakhstan Region", "Западно-Казахстанская область", "kazakh", 2, ("Уральск",)
    ),
    HomeRegion("KZ", "Turkistan Region", "Туркестанская область", "kazakh", 3, ("Туркестан",)),
    HomeRegion("KZ", "Mangystau Region", "Мангистауская область", "kazakh", 1, ("Актау",)),
    HomeRegion("UZ", "Fergana Region", "Ферганская область", "uzbek", 2, ("Фергана",)),
    HomeRegion("UZ", "Andijan Region", "Андижанская область", "uzbek", 1, ("Андижан",)),
    HomeRegion("KG", "Osh Region", "Ошская область", "uzbek", 2, ("Ош",)),
    HomeRegion("AZ", "Baku", "Баку", "azeri", 2, ("Баку",)),
)
HOME_REGION_WEIGHTS = tuple(r.weight for r in HOME_REGIONS)

GOVERNMENT_OF_IRAQ = "Government of Iraq"
KURDISTAN = "Kurdistan Regional Government (Peshmerga)"
SDF = "Autonomous Administration of North and East Syria (SDF)"
AUTHORITIES = (
    (GOVERNMENT_OF_IRAQ, Authority.Kind.GOVERNMENT, "IQ"),
    (KURDISTAN, Authority.Kind.REGIONAL, "IQ"),
    (SDF, Authority.Kind.NON_STATE, "SY"),
)


@dataclass(frozen=True)
class FacilitySpec:
    key: str
    name: str
    name_local: str
    kind: str
    iso2: str
    region: str
    locality: str
    authority: str


F = Facility.Kind
FACILITIES = (
    FacilitySpec("hol", "al-Hol camp", "مخيم الهول", F.CAMP, "SY", "Al-Hasakah", "al-Hol", SDF),
    FacilitySpec("roj", "Roj camp", "مخيم روج", F.CAMP, "SY", "Al-Hasakah", "al-Malikiyah", SDF),
    FacilitySpec(
        "hasakah_prison",
        "Hasakah detention centre",
        "سجن الحسكة",
        F.PRISON,
        "SY",
        "Al-Hasakah",
        "Hasakah",
        SDF,
    ),
    FacilitySpec(
        "hasakah_hospital",
        "Hasakah national hospital",
        "مستشفى الحسكة الوطني",
        F.HOSPITAL,
        "SY",
        "Al-Hasakah",
        "Hasakah",
        SDF,
    ),
    FacilitySpec(
        "rasafa",
        "al-Rasafa prison (Baghdad)",
        "سجن الرصافة",
        F.PRISON,
        "IQ",
        "Baghdad",
        "Baghdad",
        GOVERNMENT_OF_IRAQ,
    ),
    FacilitySpec(
        "nineveh",
        "Nineveh women's detention facility",
        "مركز احتجاز النساء في نينوى",
        F.DETENTION,
        "IQ",
        "Nineveh",
        "Mosul",
        GOVERNMENT_OF_IRAQ,
    ),
    FacilitySpec(
        "erbil",
        "Erbil reformatory for women and children",
        "إصلاحية أربيل للنساء والأطفال",
        F.PRISON,
        "IQ",
        "Erbil",
        "Erbil",
        KURDISTAN,
    ),
    FacilitySpec(
        "baghdad_orphanage",
        "Baghdad state orphanage",
        "دار أيتام بغداد",
        F.ORPHANAGE,
        "IQ",
        "Baghdad",
        "Baghdad",
        GOVERNMENT_OF_IRAQ,
    ),
    FacilitySpec(
        "baghdad_hospital",
        "Baghdad children's hospital",
        "مستشفى أطفال بغداد",
        F.HOSPITAL,
        "IQ",
        "Baghdad",
        "Baghdad",
        GOVERNMENT_OF_IRAQ,
    ),
    FacilitySpec(
        "crossing",
        "Semalka–Faysh Khabur crossing",
        "معبر فيشخابور",
        F.BORDER_CROSSING,
        "IQ",
        "Nineveh",
        "Faysh Khabur",
        KURDISTAN,
    ),
)
FOREIGN_REGIONS = (
    ("IQ", "Baghdad", "Багдад"),
    ("IQ", "Nineveh", "Найнава"),
    ("IQ", "Erbil", "Эрбиль"),
    ("SY", "Al-Hasakah", "Эль-Хасака"),
)


@dataclass(frozen=True)
class ReferenceIds:
    """Database ids of the places the generator names by key."""

    countries: dict[str, int]
    regions: dict[str, int]  # by region name
    facilities: dict[str, int]  # by FacilitySpec.key
    facility_countries: dict[str, str]  # FacilitySpec.key -> iso2


def ensure_reference() -> ReferenceIds:
    """Create what is missing, return the ids. Cheap: a few dozen get_or_create calls."""
    countries = {
        iso2: Country.objects.get_or_create(iso2=iso2, defaults={"name": name})[0]
        for iso2, name in COUNTRY_NAMES.items()
    }
    regions: dict[str, Region] = {}
    for iso2, name, name_ru in [(r.iso2, r.name, r.name_ru) for r in HOME_REGIONS] + list(
        FOREIGN_REGIONS
    ):
        regions[name] = Region.objects.get_or_create(
            country=countries[iso2], name=name, defaults={"name_ru": name_ru}
        )[0]
    authorities = {
        name: Authority.objects.get_or_create(
            name=name, defaults={"kind": kind, "country": countries[iso2]}
        )[0]
        for name, kind, iso2 in AUTHORITIES
    }
    facilities = {
        spec.key: Facility.objects.get_or_create(
            country=countries[spec.iso2],
            name=spec.name,
            defaults={
                "name_local": spec.name_local,
                "kind": spec.kind,
                "region": regions[spec.region],
                "locality": spec.locality,
                "authority": authorities[spec.authority],
            },
        )[0]
        for spec in FACILITIES
    }
    return ReferenceIds(
        countries={k: v.pk for k, v in countries.items()},
        regions={k: v.pk for k, v in regions.items()},
        facilities={k: v.pk for k, v in facilities.items()},
        facility_countries={spec.key: spec.iso2 for spec in FACILITIES},
    )
