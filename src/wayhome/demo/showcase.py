"""Hand-written families that a person trying the demo can look for.

- The Elmurzaev family (Chechnya): a grandmother asks for her son, his wife and their two
  children, last heard of near Tal Afar in August 2017; the wife and children are found
  in al-Hol, the son is still missing. Search "Эльмурзаев" or "Elmurzaeva".
- The Bobozoda family (Tajikistan): a mother sentenced in Baghdad, her three children in
  Roj camp; the Iraqi list writes her name in Arabic. Search "Бобозода" or "Bobozoda".
- Aigul Turlybekova (Kazakhstan): a camp list and an unknown number disagree about her.
  Search "Тұрлыбекова" or "Turlybekova".

Every name here is invented; none is a real person's.
"""

from __future__ import annotations

import datetime as dt

from wayhome.core.fuzzydate import FuzzyDate, Precision
from wayhome.demo.plans import (
    FamilyPlan,
    InquirerPlan,
    NamePlan,
    PersonPlan,
    RelationPlan,
    ReportPlan,
    RequestPlan,
    WhereaboutsPlan,
)
from wayhome.people.models import PersonName, Relationship, Script, Sex, Status
from wayhome.tracing.models import InformationReport, TracingRequest

Ch = InformationReport.Channel
Rel = InformationReport.Reliability
PARENT, SPOUSE = Relationship.Kind.PARENT, Relationship.Kind.SPOUSE
Parts = tuple[str, str, str]


def _person(
    sex: str,
    birth: FuzzyDate,
    cyrillic: Parts,
    latin: Parts,
    *,
    region: str,
    iso2: str,
    place: str,
    arabic: Parts | None = None,
    others: tuple[NamePlan, ...] = (),
) -> PersonPlan:
    names = [
        NamePlan(Script.CYRILLIC, *cyrillic, is_primary=True),
        NamePlan(Script.LATIN, *latin),
    ]
    if arabic:
        names.append(NamePlan(Script.ARABIC, *arabic))
    return PersonPlan(
        sex=sex,
        birth=birth,
        names=[*names, *others],
        home_region=region,
        birth_place=place,
        birth_country="IQ" if place in ("Мосул", "Тель-Афар") else iso2,
        citizenships=[(iso2, "claimed")],
    )


def _report(day: dt.date, channel: str, source: str, reliability: str, summary: str) -> ReportPlan:
    return ReportPlan(day, channel, source, reliability, summary)


def _at(
    persons: list[PersonPlan],
    report: ReportPlan,
    status: str,
    start: dt.date,
    end: dt.date | None = None,
    *,
    facility: str | None = None,
    country: str | None = None,
    location: str = "",
    start_precision: str = "exact",
    notes: str = "",
) -> None:
    for person in persons:
        person.whereabouts.append(
            WhereaboutsPlan(
                status, start, [report], facility, country, location, start_precision, end, notes
            )
        )
        if person not in report.persons:
            report.persons.append(person)


def elmurzaev() -> FamilyPlan:
    region, iso2 = "Chechnya", "RU"
    son = _person(
        Sex.MALE,
        FuzzyDate.exact(dt.date(1990, 3, 14)),
        ("Ислам", "Русланович", "Эльмурзаев"),
        ("Islam", "", "Elmurzaev"),
        region=region,
        iso2=iso2,
        place="Грозный",
        others=(
            NamePlan(
                Script.LATIN, full="Abu Muhammad al-Shishani", kind=PersonName.Kind.NOM_DE_GUERRE
            ),
        ),
    )
    wife = _person(
        Sex.FEMALE,
        FuzzyDate(Precision.YEAR, 1994),
        ("Мадина", "Ахмедовна", "Эльмурзаева"),
        ("Madina", "", "Elmurzaeva"),
        region=region,
        iso2=iso2,
        place="Урус-Мартан",
        others=(NamePlan(Script.CYRILLIC, family="Дакаева", kind=PersonName.Kind.MAIDEN),),
    )
    boy = _person(
        Sex.MALE,
        FuzzyDate.about_age(4, dt.date(2019, 5, 20)),
        ("Мухаммад", "Исламович", "Эльмурзаев"),
        ("Muhammad", "", "Elmurzaev"),
        region=region,
        iso2=iso2,
        place="Ракка",
    )
    girl = _person(
        Sex.FEMALE,
        FuzzyDate(Precision.YEAR, 2017),
        ("Аиша", "Исламовна", "Эльмурзаева"),
        ("Aisha", "", "Elmurzaeva"),
        region=region,
        iso2=iso2,
        place="Тель-Афар",
    )
    everyone = [son, wife, boy, girl]
    call = _report(
        dt.date(2017, 10, 2),
        Ch.RELATIVE_CALL,
        "the grandmother",
        Rel.PROBABLE,
        "Last heard of near Tal Afar in August 2017.",
    )
    _at(
        everyone,
        call,
        Status.CONFLICT_ZONE,
        dt.date(2015, 9, 1),
        dt.date(2017, 8, 31),
        location="Tal Afar",
        country="IQ",
        start_precision="month",
    )
    _at([son], call, Status.MISSING, dt.date(2017, 8, 31), location="near Tal Afar", country="IQ")
    camp_list = _report(
        dt.date(2019, 5, 20),
        Ch.OFFICIAL_LIST,
        "camp administration list",
        Rel.CONFIRMED,
        "Wife and two children registered in al-Hol.",
    )
    _at(
        [wife, boy, girl],
        camp_list,
        Status.IN_CAMP,
        dt.date(2019, 3, 20),
        facility="hol",
        country="SY",
    )
    grandmother = InquirerPlan(
        "Хадижат Умаровна Эльмурзаева",
        "mother",
        "+7 900 000-10-01",
        "grandmother.e@example.org",
        region,
        "ru",
        consent_contact=True,
    )
    request = RequestPlan(
        grandmother,
        dt.date(2017, 10, 2),
        [(son, "son"), (wife, "daughter-in-law"), (boy, "grandson"), (girl, "granddaughter")],
        status=TracingRequest.State.LOCATED,
        located_on=dt.date(2019, 6, 3),
        consent_share=True,
        last_known="Son, his wife and two children; last heard of near Tal Afar in August 2017.",
        last_known_place="Tal Afar",
        last_known_date=dt.date(2017, 8, 1),
        last_known_precision="month",
    )
    return FamilyPlan(
        persons=everyone,
        relations=[RelationPlan(son, wife, SPOUSE)]
        + [RelationPlan(parent, child, PARENT) for parent in (son, wife) for child in (boy, girl)],
        reports=[call, camp_list],
        requests=[request],
        group_label="Elmurzaev family (showcase)",
    )


def bobozoda() -> FamilyPlan:
    region, iso2 = "Khatlon", "TJ"
    mother = _person(
        Sex.FEMALE,
        FuzzyDate.exact(dt.date(1991, 11, 2)),
        ("Нигора", "Шералиевна", "Бобозода"),
        ("Nigora", "", "Bobozoda"),
        region=region,
        iso2=iso2,
        place="Кулоб",
        arabic=("نيكارا", "شير علي", "بابا زاده"),
        others=(NamePlan(Script.ARABIC, full="أم عمر", kind=PersonName.Kind.KUNYA),),
    )
    kids = [
        _person(
            Sex.MALE,
            FuzzyDate.exact(dt.date(2012, 4, 9)),
            ("Умар", "", "Бобозода"),
            ("Umar", "", "Bobozoda"),
            region=region,
            iso2=iso2,
            place="Кулоб",
        ),
        _person(
            Sex.FEMALE,
            FuzzyDate(Precision.MONTH, 2015, 2),
            ("Оиша", "", "Бобозода"),
            ("Oisha", "", "Bobozoda"),
            region=region,
            iso2=iso2,
            place="Ракка",
        ),
        _person(
            Sex.MALE,
            FuzzyDate.about_age(2, dt.date(2019, 6, 1)),
            ("Юсуф", "", "Бобозода"),
            ("Yusuf", "", "Bobozoda"),
            region=region,
            iso2=iso2,
            place="Ракка",
        ),
    ]
    iraqi_list = _report(
        dt.date(2018, 2, 11),
        Ch.OFFICIAL_LIST,
        "list from the Iraqi authorities",
        Rel.CONFIRMED,
        "Held in Baghdad; tried and sentenced to 20 years.",
    )
    _at(
        [mother],
        iraqi_list,
        Status.SENTENCED,
        dt.date(2018, 1, 15),
        facility="rasafa",
        country="IQ",
    )
    camp_list = _report(
        dt.date(2019, 6, 1),
        Ch.OTHER_NGO,
        "list shared by a humanitarian organisation",
        Rel.PROBABLE,
        "Three children in Roj camp with a neighbour from Khatlon.",
    )
    _at(kids, camp_list, Status.IN_CAMP, dt.date(2019, 4, 2), facility="roj", country="SY")
    grandmother = InquirerPlan(
        "Гулноза Раҳимова", "mother", "+992 00 000 10 02", "", region, "tg", consent_contact=True
    )
    request = RequestPlan(
        grandmother,
        dt.date(2018, 5, 30),
        [(mother, "daughter"), *[(k, "grandchild") for k in kids]][:4],
        status=TracingRequest.State.LOCATED,
        located_on=dt.date(2019, 6, 20),
        consent_share=True,
        last_known="Daughter in prison in Baghdad; her three children in a camp in Syria.",
    )
    return FamilyPlan(
        persons=[mother, *kids],
        relations=[RelationPlan(mother, k, PARENT) for k in kids],
        reports=[iraqi_list, camp_list],
        requests=[request],
        group_label="Bobozoda family (showcase)",
    )


def turlybekova() -> FamilyPlan:
    woman = _person(
        Sex.FEMALE,
        FuzzyDate.exact(dt.date(1988, 7, 23)),
        ("Айгүл", "Серікқызы", "Тұрлыбекова"),
        ("Aigul", "", "Turlybekova"),
        region="Aktobe Region",
        iso2="KZ",
        place="Актобе",
    )
    camp_list = _report(
        dt.date(2019, 5, 14),
        Ch.OFFICIAL_LIST,
        "camp administration list",
        Rel.CONFIRMED,
        "Registered in al-Hol.",
    )
    rumour = _report(
        dt.date(2019, 7, 2),
        Ch.UNKNOWN_NUMBER,
        "message from an unknown number",
        Rel.DOUBTFUL,
        "Says she died in the fighting in February 2019.",
    )
    _at(
        [woman],
        rumour,
        Status.DECEASED,
        dt.date(2019, 2, 20),
        country="SY",
        notes="Contradicts the camp list.",
    )
    _at([woman], camp_list, Status.IN_CAMP, dt.date(2019, 3, 25), facility="hol", country="SY")
    return FamilyPlan(persons=[woman], reports=[camp_list, rumour])


def showcase_families() -> list[FamilyPlan]:
    return [elmurzaev(), bobozoda(), turlybekova()]
