"""Builds synthetic households, one at a time, from a seeded random generator.

A household follows one of the routes the design brief describes: a woman who left home
in 2013-2015 with or without a husband, children born before or after leaving (several in
Raqqa or Mosul, without papers), and then a camp in north-east Syria, an Iraqi prison and
trial, no news at all, or death; some are brought home in batches. Each fact cites the
report it came from, and a few persons get two reports that disagree.

Dates stop at AS_OF, a fixed day, so that the same seed gives the same data every year.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from dataclasses import dataclass

from wayhome.core.fuzzydate import FuzzyDate, Precision
from wayhome.demo import names as nm
from wayhome.demo.plans import (
    DocumentPlan,
    FamilyPlan,
    InquirerPlan,
    NamePlan,
    PersonPlan,
    RelationPlan,
    ReportPlan,
    RequestPlan,
    WhereaboutsPlan,
)
from wayhome.demo.reference import HOME_REGION_WEIGHTS, HOME_REGIONS, HomeRegion
from wayhome.people.models import IdentityDocument, PersonName, Relationship, Script, Sex, Status
from wayhome.tracing.models import InformationReport, TracingRequest

AS_OF = dt.date(2024, 6, 30)
Ch = InformationReport.Channel
Rel = InformationReport.Reliability
Kind = PersonName.Kind

# Where people were last in the conflict zone, in Cyrillic (birth records) and Latin.
WAR_PLACES = (
    ("Ракка", "Raqqa", "SY"),
    ("Мосул", "Mosul", "IQ"),
    ("Тель-Афар", "Tal Afar", "IQ"),
    ("Дейр-эз-Зор", "Deir ez-Zor", "SY"),
    ("Хаджин", "Hajin", "SY"),
)
# Return flights and convoys: people come home in batches on the same days.
RETURNS_FROM_IRAQ = (
    dt.date(2018, 12, 30),
    dt.date(2019, 2, 10),
    dt.date(2019, 4, 30),
    dt.date(2019, 7, 12),
    dt.date(2020, 1, 24),
)
RETURNS_FROM_SYRIA = (
    dt.date(2019, 11, 4),
    dt.date(2020, 10, 8),
    dt.date(2021, 3, 18),
    dt.date(2022, 7, 21),
    dt.date(2023, 5, 11),
    dt.date(2024, 2, 15),
)
RELIABILITY_BY_CHANNEL: dict[str, tuple[str, ...]] = {
    Ch.OFFICIAL_LIST: (Rel.CONFIRMED, Rel.PROBABLE),
    Ch.OTHER_NGO: (Rel.PROBABLE, Rel.POSSIBLE),
    Ch.RELATIVE_CALL: (Rel.PROBABLE, Rel.POSSIBLE, Rel.UNKNOWN),
    Ch.PRISON_LETTER: (Rel.PROBABLE, Rel.CONFIRMED),
    Ch.UNKNOWN_NUMBER: (Rel.POSSIBLE, Rel.DOUBTFUL, Rel.UNKNOWN),
    Ch.MESSENGER: (Rel.POSSIBLE, Rel.PROBABLE),
    Ch.VIDEO: (Rel.POSSIBLE, Rel.DOUBTFUL),
    Ch.MEDIA: (Rel.DOUBTFUL, Rel.POSSIBLE),
    Ch.FIELD_VISIT: (Rel.CONFIRMED,),
}
ROUTES = ("syria", "iraq", "missing", "deceased")
ROUTE_WEIGHTS = (46, 28, 18, 8)


def day_between(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    """A uniformly random day in [lo, hi] (lo when the range is empty)."""
    span = (hi - lo).days
    return lo + dt.timedelta(days=rng.randint(0, span)) if span > 0 else lo


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def age_on(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def fuzzy_birth(rng: random.Random, born: dt.date, *, list_date: dt.date | None) -> FuzzyDate:
    """The true date as some record told it: exact, month, year, or an age on a list."""
    roll = rng.random()
    if list_date is not None and born <= list_date and roll < 0.35:
        return FuzzyDate.about_age(age_on(born, list_date), list_date)
    if roll < 0.6:
        return FuzzyDate.exact(born)
    if roll < 0.75:
        return FuzzyDate(Precision.MONTH, born.year, born.month)
    return FuzzyDate(Precision.YEAR, born.year)


@dataclass
class Household:
    """What the builder knows while it composes one family."""

    region: HomeRegion
    culture: nm.Culture
    route: str
    left_on: dt.date
    war_place: tuple[str, str, str]
    in_arabic_lists: bool
    plan: FamilyPlan


class FamilyBuilder:
    """Composes households; the same rng state always gives the same household."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    # -- the household -----------------------------------------------------------------

    def family(self, budget: int) -> FamilyPlan:
        """One household of at most ``budget`` persons (at least the woman)."""
        rng = self.rng
        region = rng.choices(HOME_REGIONS, HOME_REGION_WEIGHTS)[0]
        route = rng.choices(ROUTES, ROUTE_WEIGHTS)[0]
        war_place = rng.choice(WAR_PLACES)
        hh = Household(
            region=region,
            culture=nm.CULTURES[region.culture],
            route=route,
            left_on=day_between(rng, dt.date(2013, 6, 1), dt.date(2015, 12, 31)),
            war_place=war_place,
            in_arabic_lists=route == "iraq" or rng.random() < 0.15,
            plan=FamilyPlan(persons=[]),
        )
        husband_family = rng.choice(hh.culture.families)
        husband_word = rng.choice(hh.culture.men)
        has_husband = budget >= 2 and rng.random() < 0.7
        wives = 2 if has_husband and budget >= 4 and rng.random() < 0.08 else 1
        husband = self._husband(hh, husband_word, husband_family) if has_husband else None
        room = budget - wives - (1 if husband else 0)
        for n in range(wives):
            kids_room = room if n == wives - 1 else room // 2
            added = self._mother_with_children(
                hh, husband, husband_word if husband else None, husband_family, kids_room
            )
            room -= added - 1  # the woman herself was counted in advance
        if husband is not None:
            self._husband_fate(hh, husband)
        self._conflicting_reports(hh)
        if rng.random() < 0.65:
            self._tracing_request(hh, husband)
        if rng.random() < 0.5:
            first = hh.plan.persons[0] if husband is None else hh.plan.persons[1]
            family_name = first.names[0].family or first.display_name
            hh.plan.group_label = f"{family_name} household, {region.name}"
        return hh.plan

    def _mother_with_children(
        self,
        hh: Household,
        husband: PersonPlan | None,
        husband_word: nm.Word | None,
        husband_family: nm.Word,
        kids_room: int,
    ) -> int:
        """Add a woman and her children; return how many persons were added."""
        rng = self.rng
        plan = hh.plan
        born = day_between(rng, dt.date(1979, 1, 1), dt.date(2001, 6, 30))
        mother = self._adult_woman(hh, born, husband_family if husband else None)
        plan.persons.append(mother)
        if husband is not None:
            plan.relations.append(RelationPlan(husband, mother, Relationship.Kind.SPOUSE))
        earliest = max(dt.date(2008, 1, 1), add_years(born, 16))
        for parent in (mother, husband):
            if parent is not None:  # no child before either parent is sixteen
                earliest = max(earliest, add_years(_born_latest(parent), 16))
        latest = min(dt.date(2019, 12, 31), AS_OF)
        wanted = rng.choices(range(7), (12, 20, 24, 20, 12, 8, 4))[0]
        count = min(wanted, max(kids_room, 0)) if earliest <= latest else 0
        days = sorted(day_between(rng, earliest, latest) for _ in range(count))
        children = [self._child(hh, d, husband_word, husband_family, mother) for d in days]
        for child in children:
            plan.relations.append(RelationPlan(mother, child, Relationship.Kind.PARENT))
            if husband is not None:
                plan.relations.append(RelationPlan(husband, child, Relationship.Kind.PARENT))
        if len(children) > 1 and rng.random() < 0.5:
            for i, older in enumerate(children):
                for younger in children[i + 1 :]:
                    plan.relations.append(RelationPlan(older, younger, Relationship.Kind.SIBLING))
        self._kunya_after_son(hh, mother, children)
        self._timeline(hh, mother, children)
        return 1 + len(children)

    # -- persons -----------------------------------------------------------------------

    def _legal_names(
        self,
        hh: Household,
        given: nm.Word,
        family: nm.Word,
        father: nm.Word | None,
        *,
        female: bool,
    ) -> list[NamePlan]:
        """Cyrillic (primary, with patronymic), Latin (passport style), Arabic on Iraqi lists."""
        rng = self.rng
        fam = nm.feminine_family(family) if female else family
        patro_c, patro_l = ("", "")
        if father is not None and rng.random() < hh.culture.patronymic_share:
            patro_c, patro_l = nm.patronymic(father, female=female, style=hh.culture.style)
        names = [
            NamePlan(Script.CYRILLIC, given.cyrl, patro_c, fam.cyrl, is_primary=True),
            NamePlan(
                Script.LATIN,
                given.latin(rng),
                patro_l if rng.random() < 0.3 else "",
                fam.latin(rng),
            ),
        ]
        if hh.in_arabic_lists:
            # Iraqi lists write the given name, the father's name, then the family name.
            names.append(
                NamePlan(Script.ARABIC, given.arab, father.arab if father else "", fam.arab)
            )
        return names

    def _adult_woman(
        self, hh: Household, born: dt.date, married_into: nm.Word | None
    ) -> PersonPlan:
        rng = self.rng
        own_family = rng.choice(hh.culture.families)
        father = rng.choice(hh.culture.men)
        took_name = married_into is not None and rng.random() < 0.4
        legal_family = married_into if took_name and married_into else own_family
        names = self._legal_names(
            hh, rng.choice(hh.culture.women), legal_family, father, female=True
        )
        if took_name:
            maiden = nm.feminine_family(own_family)
            names.append(NamePlan(Script.CYRILLIC, family=maiden.cyrl, kind=Kind.MAIDEN))
        person = PersonPlan(
            sex=Sex.FEMALE,
            birth=fuzzy_birth(rng, born, list_date=None),
            names=names,
            home_region=hh.region.name,
            birth_place=rng.choice(hh.region.towns),
            birth_country=hh.region.iso2,
        )
        self._papers(hh, person, adult=True)
        return person

    def _husband(self, hh: Household, given: nm.Word, family: nm.Word) -> PersonPlan:
        rng = self.rng
        born = day_between(rng, dt.date(1970, 1, 1), dt.date(1996, 12, 31))
        names = self._legal_names(hh, given, family, rng.choice(hh.culture.men), female=False)
        son = rng.choice(nm.BOYS).word(hh.culture.style)
        if rng.random() < 0.5:
            latn, cyrl, arab = nm.kunya(son, female=False)
            names.append(NamePlan(Script.LATIN, full=latn, kind=Kind.KUNYA))
            names.append(NamePlan(Script.CYRILLIC, full=cyrl, kind=Kind.KUNYA))
        if rng.random() < 0.4:
            nisba = nm.NISBAS.get(hh.region.name) or nm.NISBAS.get(
                hh.culture.key, nm.CAUCASIAN_NISBA
            )
            latn, cyrl, arab = nm.kunya(son, female=False)
            names.append(
                NamePlan(Script.LATIN, full=f"{latn} {nisba.latn}", kind=Kind.NOM_DE_GUERRE)
            )
            names.append(
                NamePlan(Script.ARABIC, full=f"{arab} {nisba.arab}", kind=Kind.NOM_DE_GUERRE)
            )
        person = PersonPlan(
            sex=Sex.MALE,
            birth=fuzzy_birth(rng, born, list_date=None),
            names=names,
            home_region=hh.region.name,
            birth_place=rng.choice(hh.region.towns),
            birth_country=hh.region.iso2,
        )
        self._papers(hh, person, adult=True)
        hh.plan.persons.append(person)
        return person

    def _child(
        self,
        hh: Household,
        born: dt.date,
        father: nm.Word | None,
        family: nm.Word,
        mother: PersonPlan,
    ) -> PersonPlan:
        rng = self.rng
        female = rng.random() < 0.5
        given = rng.choice(nm.GIRLS if female else nm.BOYS).word(hh.culture.style)
        if father is None:
            # No father on record: the child carries the mother's family name.
            family = _masculine_of(mother, hh.culture) or family
        abroad = born >= hh.left_on
        list_date = day_between(rng, dt.date(2019, 4, 1), dt.date(2019, 6, 30))
        place_cyrl, _, place_iso2 = hh.war_place
        person = PersonPlan(
            sex=Sex.FEMALE if female else Sex.MALE,
            birth=fuzzy_birth(rng, born, list_date=list_date if abroad else None),
            names=self._legal_names(hh, given, family, father, female=female),
            home_region=hh.region.name,
            birth_place=place_cyrl if abroad else rng.choice(hh.region.towns),
            birth_country=place_iso2 if abroad else hh.region.iso2,
            notes="Born abroad; no birth certificate." if abroad else "",
        )
        if abroad:
            person.citizenships.append((hh.region.iso2, "claimed"))
        else:
            self._papers(hh, person, adult=False)
        hh.plan.persons.append(person)
        return person

    def _kunya_after_son(
        self, hh: Household, mother: PersonPlan, children: list[PersonPlan]
    ) -> None:
        """Some women are known as "Umm <eldest son>" on lists and in messages."""
        if self.rng.random() >= 0.3:
            return
        son_names = [c.names for c in children if c.sex == Sex.MALE]
        if son_names:
            cyr = son_names[0][0].given
            son = next(
                (b.word(hh.culture.style) for b in nm.BOYS if b.by_style[hh.culture.style] == cyr),
                None,
            )
        else:
            son = None
        son = son or self.rng.choice(nm.BOYS).word(hh.culture.style)
        latn, cyrl, arab = nm.kunya(son, female=True)
        mother.names.append(NamePlan(Script.LATIN, full=latn, kind=Kind.KUNYA))
        mother.names.append(NamePlan(Script.CYRILLIC, full=cyrl, kind=Kind.KUNYA))
        if hh.in_arabic_lists:
            mother.names.append(NamePlan(Script.ARABIC, full=arab, kind=Kind.KUNYA))

    def _papers(self, hh: Household, person: PersonPlan, *, adult: bool) -> None:
        """Citizenship claimed or verified; a passport held, lost or confiscated for some."""
        rng = self.rng
        iso2 = hh.region.iso2
        person.citizenships.append((iso2, "verified" if rng.random() < 0.45 else "claimed"))
        D = IdentityDocument
        if adult and rng.random() < 0.55:
            kind = D.Kind.INTERNAL_PASSPORT if iso2 == "RU" else D.Kind.PASSPORT
            status = rng.choices((D.Status.HELD, D.Status.LOST, D.Status.CONFISCATED), (2, 4, 4))[0]
            number = f"SYN-{rng.randint(0, 999_999):06d}" if rng.random() < 0.4 else ""
            person.documents.append(DocumentPlan(kind, status, iso2, number))
        elif not adult and rng.random() < 0.6:
            status = rng.choice((D.Status.HELD, D.Status.COPY_ONLY, D.Status.LOST))
            person.documents.append(DocumentPlan(D.Kind.BIRTH_CERTIFICATE, status, iso2))

    # -- reports and timelines -------------------------------------------------------

    def _report(
        self,
        hh: Household,
        received_on: dt.date,
        channel: str,
        source: str,
        summary: str,
        persons: list[PersonPlan],
    ) -> ReportPlan:
        reliability = self.rng.choice(RELIABILITY_BY_CHANNEL[channel])
        report = ReportPlan(
            min(received_on, AS_OF), channel, source, reliability, summary, list(persons)
        )
        hh.plan.reports.append(report)
        return report

    def _timeline(self, hh: Household, mother: PersonPlan, children: list[PersonPlan]) -> None:
        """Left home → the conflict zone → one of the four routes, for a mother and her kids."""
        rng = self.rng
        everyone = [mother, *children]
        _, place_latn, place_iso2 = hh.war_place
        told = self._report(
            hh,
            day_between(rng, hh.left_on + dt.timedelta(days=90), dt.date(2018, 12, 31)),
            Ch.RELATIVE_CALL,
            "the woman's mother",
            f"Left home with the children; said to be in {place_latn}.",
            everyone,
        )
        for person in everyone:
            start = max(hh.left_on, _born_latest(person))
            person.whereabouts.append(
                WhereaboutsPlan(
                    Status.CONFLICT_ZONE,
                    start,
                    [told],
                    country=place_iso2,
                    location=place_latn,
                    start_precision="month",
                )
            )
        getattr(self, f"_route_{hh.route}")(hh, mother, children)
        for person in everyone:
            _close_previous_entries(person)

    def _route_syria(self, hh: Household, mother: PersonPlan, children: list[PersonPlan]) -> None:
        rng = self.rng
        everyone = [mother, *children]
        camp = "hol" if rng.random() < 0.75 else "roj"
        arrived = day_between(rng, dt.date(2019, 2, 1), dt.date(2019, 3, 31))
        camp_list = self._report(
            hh,
            day_between(rng, dt.date(2019, 4, 1), dt.date(2019, 6, 30)),
            rng.choice((Ch.OFFICIAL_LIST, Ch.OFFICIAL_LIST, Ch.OTHER_NGO)),
            rng.choice(("camp administration list", "list shared by a humanitarian organisation")),
            "Woman and children registered in the camp.",
            everyone,
        )
        self._enter(everyone, Status.IN_CAMP, arrived, camp_list, facility=camp, country="SY")
        if camp == "hol" and rng.random() < 0.15:
            moved = day_between(rng, dt.date(2020, 6, 1), dt.date(2022, 12, 31))
            report = self._report(
                hh, moved, Ch.MESSENGER, "message from the woman", "Moved to Roj camp.", everyone
            )
            self._enter(everyone, Status.IN_CAMP, moved, report, facility="roj", country="SY")
        if rng.random() < 0.33:
            self._repatriate(hh, everyone, RETURNS_FROM_SYRIA, arrived)

    def _route_iraq(self, hh: Household, mother: PersonPlan, children: list[PersonPlan]) -> None:
        rng = self.rng
        everyone = [mother, *children]
        caught = day_between(rng, dt.date(2017, 7, 1), dt.date(2017, 9, 30))
        facility = "nineveh" if rng.random() < 0.7 else "erbil"
        iraqi_list = self._report(
            hh,
            caught + dt.timedelta(days=rng.randint(20, 150)),
            Ch.OFFICIAL_LIST,
            "list received from the Iraqi authorities",
            "Woman and children held after the fighting ended.",
            everyone,
        )
        self._enter(everyone, Status.DETAINED, caught, iraqi_list, facility=facility, country="IQ")
        trial = day_between(rng, dt.date(2018, 1, 1), dt.date(2018, 4, 30))
        letter = self._report(
            hh,
            trial + dt.timedelta(days=rng.randint(10, 90)),
            Ch.PRISON_LETTER,
            "letter from the woman",
            "Moved to Baghdad; awaiting trial.",
            [mother],
        )
        self._enter([mother], Status.ON_TRIAL, trial, letter, facility="rasafa", country="IQ")
        little = [c for c in children if age_on(_born_latest(c), caught) < 3]
        older = [c for c in children if c not in little]
        self._enter(little, Status.DETAINED, trial, letter, facility="rasafa", country="IQ")
        if older:
            care = day_between(rng, caught + dt.timedelta(days=30), trial)
            self._enter(
                older, Status.DETAINED, care, iraqi_list, facility="baghdad_orphanage", country="IQ"
            )
            if rng.random() < 0.8:
                self._repatriate(hh, older, RETURNS_FROM_IRAQ, care)
        if rng.random() < 0.75:
            verdict = trial + dt.timedelta(days=rng.randint(20, 200))
            court = self._report(
                hh,
                verdict + dt.timedelta(days=rng.randint(5, 60)),
                rng.choice((Ch.OTHER_NGO, Ch.RELATIVE_CALL, Ch.MEDIA)),
                "court observer",
                rng.choice(
                    (
                        "Sentenced to life.",
                        "Sentenced to 15 years.",
                        "Sentenced to 7 years.",
                        "Sentenced to death.",
                    )
                ),
                [mother],
            )
            self._enter([mother], Status.SENTENCED, verdict, court, facility="rasafa", country="IQ")
            if rng.random() < 0.12:
                freed = day_between(rng, dt.date(2021, 1, 1), dt.date(2023, 12, 31))
                note = self._report(
                    hh,
                    freed,
                    Ch.MESSENGER,
                    "message from the woman",
                    "Released after serving the sentence.",
                    [mother],
                )
                self._enter([mother], Status.RELEASED, freed, note, country="IQ")
        if little and rng.random() < 0.5:
            self._repatriate(hh, little, RETURNS_FROM_IRAQ, trial)

    def _route_missing(self, hh: Household, mother: PersonPlan, children: list[PersonPlan]) -> None:
        rng = self.rng
        everyone = [mother, *children]
        lost = day_between(rng, dt.date(2017, 6, 1), dt.date(2019, 3, 31))
        channel = rng.choice((Ch.UNKNOWN_NUMBER, Ch.MESSENGER, Ch.RELATIVE_CALL))
        report = self._report(
            hh,
            lost + dt.timedelta(days=rng.randint(30, 400)),
            channel,
            "relative in the home region",
            f"No news since {lost:%B %Y}; last heard of near {hh.war_place[1]}.",
            everyone,
        )
        self._enter(
            everyone,
            Status.MISSING,
            lost,
            report,
            country=hh.war_place[2],
            location=f"last heard of near {hh.war_place[1]}",
            precision="month",
        )

    def _route_deceased(
        self, hh: Household, mother: PersonPlan, children: list[PersonPlan]
    ) -> None:
        rng = self.rng
        died = day_between(rng, dt.date(2017, 1, 1), dt.date(2019, 3, 15))
        report = self._report(
            hh,
            died + dt.timedelta(days=rng.randint(20, 300)),
            rng.choice((Ch.MEDIA, Ch.OTHER_NGO, Ch.UNKNOWN_NUMBER, Ch.VIDEO)),
            "report of the woman's death",
            "The woman was killed in an airstrike.",
            [mother],
        )
        self._enter(
            [mother],
            Status.DECEASED,
            died,
            report,
            country=hh.war_place[2],
            location=hh.war_place[1],
        )
        if children:
            arrived = day_between(rng, max(died, dt.date(2019, 2, 1)), dt.date(2019, 4, 30))
            camp_list = self._report(
                hh,
                arrived + dt.timedelta(days=rng.randint(10, 90)),
                Ch.OFFICIAL_LIST,
                "camp administration list",
                "Children registered without a parent.",
                children,
            )
            self._enter(children, Status.IN_CAMP, arrived, camp_list, facility="hol", country="SY")
            if rng.random() < 0.5:
                self._repatriate(hh, children, RETURNS_FROM_SYRIA, arrived)

    def _husband_fate(self, hh: Household, husband: PersonPlan) -> None:
        rng = self.rng
        when = day_between(rng, max(hh.left_on, dt.date(2015, 6, 1)), dt.date(2019, 3, 15))
        fate = rng.choices((Status.DECEASED, Status.MISSING, Status.DETAINED), (50, 30, 20))[0]
        channel = rng.choice((Ch.UNKNOWN_NUMBER, Ch.MEDIA, Ch.VIDEO, Ch.MESSENGER, Ch.OTHER_NGO))
        summary = {
            Status.DECEASED: "Reported killed.",
            Status.MISSING: "No news of him.",
            Status.DETAINED: "Held by the forces that took the town.",
        }[fate]
        report = self._report(
            hh,
            when + dt.timedelta(days=rng.randint(10, 500)),
            channel,
            "report about the husband",
            summary,
            [husband],
        )
        husband.whereabouts.append(
            WhereaboutsPlan(
                Status.CONFLICT_ZONE,
                max(hh.left_on, _born_latest(husband)),
                [hh.plan.reports[0]],
                country=hh.war_place[2],
                location=hh.war_place[1],
                start_precision="month",
            )
        )
        # Only households on Iraqi lists (with names in Arabic) are held in Iraq.
        prisons = ("hasakah_prison", "rasafa") if hh.in_arabic_lists else ("hasakah_prison",)
        facility = rng.choice(prisons) if fate == Status.DETAINED else None
        self._enter(
            [husband],
            fate,
            when,
            report,
            facility=facility,
            country=hh.war_place[2] if facility is None else None,
        )
        _close_previous_entries(husband)

    def _repatriate(
        self, hh: Household, persons: list[PersonPlan], batches: tuple[dt.date, ...], after: dt.date
    ) -> None:
        """Bring some home on the next batch flight after ``after``."""
        later = [d for d in batches if d > after + dt.timedelta(days=60)]
        if not later or not persons:
            return
        flight = self.rng.choice(later)
        report = self._report(
            hh,
            flight,
            Ch.FIELD_VISIT,
            "handover at the airport",
            "Returned home on a flight.",
            persons,
        )
        self._enter(
            persons,
            Status.REPATRIATED,
            flight,
            report,
            country=hh.region.iso2,
            location=hh.region.name,
        )

    def _enter(
        self,
        persons: list[PersonPlan],
        status: str,
        start: dt.date,
        report: ReportPlan,
        *,
        facility: str | None = None,
        country: str | None = None,
        location: str = "",
        precision: str = "exact",
    ) -> None:
        for person in persons:
            person.whereabouts.append(
                WhereaboutsPlan(
                    status,
                    max(start, _born_latest(person)),
                    [report],
                    facility=facility,
                    country=country,
                    location=location,
                    start_precision=precision,
                )
            )
            if person not in report.persons:
                report.persons.append(person)

    def _conflicting_reports(self, hh: Household) -> None:
        """About one person in twenty gets a second, doubtful report that disagrees."""
        rng = self.rng
        for person in hh.plan.persons:
            latest = person.latest()
            if latest is None or rng.random() >= 0.05:
                continue
            start = latest.start_date - dt.timedelta(days=rng.randint(5, 40))
            if start <= _born_latest(person):
                continue
            status, facility, country, summary = _contradiction(
                latest.status, latest.facility, iraq=hh.in_arabic_lists
            )
            report = self._report(
                hh,
                start + dt.timedelta(days=rng.randint(1, 30)),
                rng.choice((Ch.UNKNOWN_NUMBER, Ch.VIDEO, Ch.MEDIA)),
                "unverified message",
                summary,
                [person],
            )
            # Left open on purpose: it overlaps the entry it contradicts.
            person.whereabouts.append(
                WhereaboutsPlan(
                    status,
                    start,
                    [report],
                    facility=facility,
                    country=country,
                    notes="Contradicts the other source.",
                )
            )

    # -- the relatives who ask ---------------------------------------------------------

    def _tracing_request(self, hh: Household, husband: PersonPlan | None) -> None:
        rng = self.rng
        plan = hh.plan
        women = [p for p in plan.persons if p.sex == Sex.FEMALE and _is_adult(p)]
        kids = [p for p in plan.persons if not _is_adult(p)]
        if husband is not None and rng.random() < 0.6:
            asker, family = "husband's mother", husband.names[0].family
            sought = [(husband, "son"), *((w, "daughter-in-law") for w in women)]
            sought += [(k, "grandchild") for k in kids]
        else:
            woman = women[0]
            maiden = next((n for n in woman.names if n.kind == Kind.MAIDEN), woman.names[0])
            asker, family = "woman's mother", maiden.family
            own = [r.to_person for r in plan.relations if r.from_person is woman]
            sought = [(woman, "daughter"), *((k, "grandchild") for k in kids if k in own)]
        sought = sought[: rng.randint(1, 4)]
        received = day_between(
            rng,
            max(hh.left_on + dt.timedelta(days=180), dt.date(2016, 1, 1)),
            dt.date(2023, 12, 31),
        )
        request = RequestPlan(
            inquirer=self._inquirer(hh, asker, family),
            received_on=received,
            sought=sought,
            consent_share=rng.random() < 0.7,
            last_known=f"Last heard of near {hh.war_place[1]} in {hh.left_on:%B %Y}.",
            last_known_place=hh.war_place[1],
            last_known_date=hh.left_on.replace(day=1),
            last_known_precision="month",
        )
        _settle(request, rng)
        plan.requests.append(request)

    def _inquirer(self, hh: Household, relationship: str, family: str) -> InquirerPlan:
        """The mother who asks: she bears her child's family name, in its feminine form."""
        rng = self.rng
        culture = hh.culture
        family = nm.feminine_family(nm.Word(family, (), "")).cyrl
        patro, _ = nm.patronymic(rng.choice(culture.men), female=True, style=culture.style)
        given = rng.choice(culture.women)
        phone = {
            "RU": "+7 900 000-{:02d}-{:02d}",
            "KZ": "+7 700 000-{:02d}-{:02d}",
            "TJ": "+992 00 000 {:02d} {:02d}",
        }.get(hh.region.iso2, "+000 00 000 {:02d} {:02d}")
        language = {"TJ": "tg", "KZ": "kk"}.get(hh.region.iso2, "ru")
        return InquirerPlan(
            name=f"{given.cyrl} {patro} {family}",
            relationship=relationship,
            phone=phone.format(rng.randint(0, 99), rng.randint(0, 99)),
            email=f"inquirer.{rng.randint(1, 999_999):06d}@example.org"
            if rng.random() < 0.3
            else "",
            region=hh.region.name,
            language=language,
            consent_contact=rng.random() < 0.8,
        )


def _born_latest(person: PersonPlan) -> dt.date:
    return person.birth.latest or dt.date(1970, 1, 1)


def _is_adult(person: PersonPlan) -> bool:
    return _born_latest(person) < dt.date(2005, 1, 1)


def _masculine_of(mother: PersonPlan, culture: nm.Culture) -> nm.Word | None:
    family = mother.names[0].family
    return next((w for w in culture.families if nm.feminine_family(w).cyrl == family), None)


def _close_previous_entries(person: PersonPlan) -> None:
    """Each entry ends where the next one starts (run before any contradicting entry)."""
    main = sorted(person.whereabouts, key=lambda w: w.start_date)
    for earlier, later in itertools.pairwise(main):
        earlier.end_date = max(later.start_date, earlier.start_date)


def _contradiction(
    status: str, facility: str | None, *, iraq: bool
) -> tuple[str, str | None, str | None, str]:
    """What a doubtful source says instead of ``status`` (in Iraq only if ``iraq``)."""
    if status == Status.IN_CAMP:
        other = "roj" if facility == "hol" else "hol"
        return Status.IN_CAMP, other, "SY", "Seen in the other camp."
    if status in (Status.DETAINED, Status.ON_TRIAL, Status.SENTENCED):
        return Status.DECEASED, None, "IQ", "Said to have died in prison."
    if status == Status.MISSING:
        return Status.IN_CAMP, "hol", "SY", "Someone like her was seen in al-Hol."
    if status == Status.DECEASED:
        prison, country = ("rasafa", "IQ") if iraq else ("hasakah_prison", "SY")
        return Status.DETAINED, prison, country, "A video seems to show her alive in prison."
    return Status.MISSING, None, None, "Not seen since; whereabouts unknown."


def _settle(request: RequestPlan, rng: random.Random) -> None:
    """Open, located or closed, consistent with where the first sought person stands."""
    head = request.sought[0][0]
    latest = head.latest()
    status = head.current_status
    since = latest.start_date if latest else request.received_on
    after = max(request.received_on, since) + dt.timedelta(days=rng.randint(1, 60))
    S = TracingRequest.State
    C = TracingRequest.Closure
    if after > AS_OF:
        return
    if status == Status.REPATRIATED:
        request.status, request.closure_reason = S.CLOSED, C.REUNITED
        request.located_on = request.closed_on = after
    elif status == Status.DECEASED and rng.random() < 0.7:
        request.status, request.closure_reason = S.CLOSED, C.DECEASED
        request.located_on = request.closed_on = after
    elif status == Status.MISSING and rng.random() < 0.1:
        request.status, request.closure_reason = S.CLOSED, C.WITHDRAWN
        request.closed_on = after
    elif status not in (Status.MISSING, Status.DECEASED) and rng.random() < 0.75:
        request.status, request.located_on = S.LOCATED, after
