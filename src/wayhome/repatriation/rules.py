"""The rules engine: a route's rule set and the facts about one person give a checklist.

Plain Python, no Django, so the rules can be checked and tested without a database and an
administrator's edit can be validated before it is saved. The rule set is data (YAML in
``rulesets/``, JSON in ``RuleSet.rules``); its schema is checked by ``validate_rules``.

A rule set's ``steps`` each say whom they apply to (``adults``, ``minors`` or ``all``),
optionally when (``undocumented``, ``no_birth_certificate``, ``no_living_parent``,
``has_legal_case``) and their ``kind``, which decides what the engine works out:

- ``consent``: whose consent is needed (``from: one_parent`` or ``both_parents``, then
  ``fallback`` when no parent can give it, e.g. ``[guardian, court]``), and whether it is
  already given, refused (blocked, "mother's consent refused") or still awaited;
- ``fine``: the amount and currency for the person's citizenship (``fines``);
- ``proof``: the proofs accepted (``accepts: [document, testimony, dna]``);
- ``handover``: the handover point of the route;
- ``court_order``, ``travel_document``, ``exit_permission``, ``other``: a plain step.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

MINOR_AGE_DEFAULT = 18


class Applies(enum.StrEnum):
    ALL = "all"
    ADULTS = "adults"
    MINORS = "minors"


class When(enum.StrEnum):
    UNDOCUMENTED = "undocumented"
    NO_BIRTH_CERTIFICATE = "no_birth_certificate"
    NO_LIVING_PARENT = "no_living_parent"
    HAS_LEGAL_CASE = "has_legal_case"


class Kind(enum.StrEnum):
    CONSENT = "consent"
    COURT_ORDER = "court_order"
    FINE = "fine"
    PROOF = "proof"
    TRAVEL_DOCUMENT = "travel_document"
    EXIT_PERMISSION = "exit_permission"
    HANDOVER = "handover"
    OTHER = "other"


class ConsentFrom(enum.StrEnum):
    ONE_PARENT = "one_parent"
    BOTH_PARENTS = "both_parents"


class Fallback(enum.StrEnum):
    GUARDIAN = "guardian"
    COURT = "court"


class Proof(enum.StrEnum):
    DOCUMENT = "document"
    TESTIMONY = "testimony"
    DNA = "dna"


class Decision(enum.StrEnum):
    GIVEN = "given"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


class StepState(enum.StrEnum):
    """Mirrors CaseStep.Status for the states the engine can decide on its own."""

    PENDING = "pending"
    DONE = "done"
    BLOCKED = "blocked"


class RulesError(ValueError):
    """A rule set that cannot be used; ``problems`` lists each problem with its path."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


# --- validating a rule set --------------------------------------------------------------

_TOP_KEYS = {"minor_age", "handover_point", "fines", "steps", "sources", "notes"}
_STEP_KEYS = {
    "code",
    "label",
    "label_ru",
    "label_ar",
    "kind",
    "applies_to",
    "when",
    "required",
    "documents",
    "consent",
    "accepts",
    "note",
}


def _money(value: Any, path: str, problems: list[str]) -> None:
    if not isinstance(value, Mapping):
        problems.append(f"{path}: expected amount and currency")
        return
    try:
        amount = Decimal(str(value.get("amount")))
    except (InvalidOperation, ValueError):
        problems.append(f"{path}.amount: not a number")
        return
    if amount < 0:
        problems.append(f"{path}.amount: cannot be negative")
    currency = value.get("currency")
    if not (isinstance(currency, str) and len(currency) == 3 and currency.isalpha()):
        problems.append(f"{path}.currency: a three-letter code such as USD")


def validate_rules(rules: Any) -> list[str]:
    """Every problem of a rule set's ``rules``, each with its path; empty when usable."""
    problems: list[str] = []
    if not isinstance(rules, Mapping):
        return ["rules: expected a mapping of minor_age, fines, steps..."]
    for key in sorted(set(rules) - _TOP_KEYS):
        problems.append(f"{key}: unknown key (expected one of {', '.join(sorted(_TOP_KEYS))})")
    minor_age = rules.get("minor_age", MINOR_AGE_DEFAULT)
    if not isinstance(minor_age, int) or isinstance(minor_age, bool) or not 1 <= minor_age <= 25:
        problems.append("minor_age: a whole number of years between 1 and 25")
    fines = rules.get("fines", {})
    if not isinstance(fines, Mapping):
        problems.append("fines: expected default and by_citizenship")
    else:
        if "default" in fines:
            _money(fines["default"], "fines.default", problems)
        by_cit = fines.get("by_citizenship", {})
        if not isinstance(by_cit, Mapping):
            problems.append("fines.by_citizenship: expected country codes")
        else:
            for iso2, money in by_cit.items():
                if not (isinstance(iso2, str) and len(iso2) == 2 and iso2.isalpha()):
                    problems.append(f"fines.by_citizenship.{iso2}: a two-letter country code")
                _money(money, f"fines.by_citizenship.{iso2}", problems)
    steps = rules.get("steps")
    if not isinstance(steps, Sequence) or isinstance(steps, str) or not steps:
        problems.append("steps: at least one step is needed")
        return problems
    seen: set[str] = set()
    for i, step in enumerate(steps):
        problems.extend(_validate_step(step, f"steps[{i}]", seen))
    return problems


def _validate_step(step: Any, path: str, seen: set[str]) -> list[str]:
    problems: list[str] = []
    if not isinstance(step, Mapping):
        return [f"{path}: expected a mapping with code, label and kind"]
    for key in sorted(set(step) - _STEP_KEYS):
        problems.append(f"{path}.{key}: unknown key")
    code = step.get("code")
    if not (isinstance(code, str) and code and code.replace("_", "").replace("-", "").isalnum()):
        problems.append(f"{path}.code: letters, digits, '-' and '_' only")
    elif code in seen:
        problems.append(f"{path}.code: '{code}' is used twice")
    else:
        seen.add(code)
        path = f"{path} ({code})"
    if not (isinstance(step.get("label"), str) and step["label"].strip()):
        problems.append(f"{path}.label: a label is needed")
    kind = step.get("kind", Kind.OTHER)
    if kind not in Kind.__members__.values():
        problems.append(f"{path}.kind: one of {', '.join(Kind)}")
    if step.get("applies_to", Applies.ALL) not in Applies.__members__.values():
        problems.append(f"{path}.applies_to: one of {', '.join(Applies)}")
    when = step.get("when")
    if when is not None and when not in When.__members__.values():
        problems.append(f"{path}.when: one of {', '.join(When)}")
    if not isinstance(step.get("required", True), bool):
        problems.append(f"{path}.required: true or false")
    docs = step.get("documents", [])
    if not (isinstance(docs, list) and all(isinstance(d, str) for d in docs)):
        problems.append(f"{path}.documents: a list of document names")
    if kind == Kind.CONSENT:
        consent = step.get("consent")
        if not isinstance(consent, Mapping):
            problems.append(f"{path}.consent: say from whom (one_parent or both_parents)")
        else:
            if consent.get("from") not in ConsentFrom.__members__.values():
                problems.append(f"{path}.consent.from: one of {', '.join(ConsentFrom)}")
            fallback = consent.get("fallback", [])
            if not isinstance(fallback, list) or any(
                f not in Fallback.__members__.values() for f in fallback
            ):
                problems.append(f"{path}.consent.fallback: a list of {', '.join(Fallback)}")
            if not isinstance(consent.get("written", True), bool):
                problems.append(f"{path}.consent.written: true or false")
    if kind == Kind.PROOF:
        accepts = step.get("accepts", [])
        if (
            not isinstance(accepts, list)
            or not accepts
            or any(a not in Proof.__members__.values() for a in accepts)
        ):
            problems.append(f"{path}.accepts: a list of {', '.join(Proof)}")
    return problems


# --- the facts about one person ------------------------------------------------------------


@dataclass(frozen=True)
class ParentFacts:
    """A parent as the consent rules see them."""

    role: str  # "mother", "father", "guardian"
    alive: bool = True
    sentenced: bool = False
    decision: Decision | None = None
    decided_on: dt.date | None = None


@dataclass(frozen=True)
class MemberFacts:
    """What the engine needs to know about one case member, gathered by the services."""

    birth_earliest: dt.date | None
    birth_latest: dt.date | None
    citizenships: tuple[str, ...] = ()  # ISO codes, verified first
    has_identity_document: bool = False
    has_birth_certificate: bool = False
    has_legal_case: bool = False
    sentenced: bool = False  # serving (or awaiting) a sentence in the host country
    parents: tuple[ParentFacts, ...] = ()
    guardians: tuple[ParentFacts, ...] = ()
    court_consent: Decision | None = None  # a court's decision standing in for a parent


class AgeClass(enum.StrEnum):
    ADULT = "adult"
    MINOR = "minor"
    UNCERTAIN = "uncertain"  # the birth interval straddles the age of majority


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def age_class(facts: MemberFacts, today: dt.date, minor_age: int) -> AgeClass:
    """Adult only when every reading of the fuzzy birth date makes the person an adult."""
    threshold = _years_before(today, minor_age)  # born on or before this: adult
    if facts.birth_latest is not None and facts.birth_latest <= threshold:
        return AgeClass.ADULT
    if facts.birth_earliest is not None and facts.birth_earliest > threshold:
        return AgeClass.MINOR
    return AgeClass.UNCERTAIN


# --- the checklist ------------------------------------------------------------------------


@dataclass
class PlannedStep:
    code: str
    label: str
    kind: str
    required: bool
    state: StepState = StepState.PENDING
    blocker: str = ""
    since: dt.date | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class Checklist:
    age: AgeClass
    steps: list[PlannedStep]
    notes: list[str] = field(default_factory=list)


def _applies(step: Mapping[str, Any], age: AgeClass, facts: MemberFacts) -> bool:
    applies = step.get("applies_to", Applies.ALL)
    # An uncertain age gets the minors' steps as well: the stricter reading protects a
    # child whose age nobody can prove, and a caseworker can waive what turns out moot.
    if applies == Applies.ADULTS and age is AgeClass.MINOR:
        return False
    if applies == Applies.MINORS and age is AgeClass.ADULT:
        return False
    when = step.get("when")
    if when == When.UNDOCUMENTED:
        return not facts.has_identity_document
    if when == When.NO_BIRTH_CERTIFICATE:
        return not facts.has_birth_certificate
    if when == When.NO_LIVING_PARENT:
        return not any(p.alive for p in facts.parents)
    if when == When.HAS_LEGAL_CASE:
        return facts.has_legal_case
    return True


def fine_for(rules: Mapping[str, Any], citizenships: Sequence[str]) -> dict[str, Any] | None:
    """The fine for a person: the first citizenship with its own amount, else the default."""
    fines = rules.get("fines") or {}
    by_cit = fines.get("by_citizenship") or {}
    for iso2 in citizenships:
        if iso2.upper() in by_cit:
            money = by_cit[iso2.upper()]
            return {
                "amount": str(money["amount"]),
                "currency": money["currency"],
                "basis": iso2.upper(),
                "note": money.get("note", ""),
            }
    if "default" in fines:
        money = fines["default"]
        return {
            "amount": str(money["amount"]),
            "currency": money["currency"],
            "basis": "default",
            "note": money.get("note", ""),
        }
    return None


def gettext_noop(message: str) -> str:
    """Marks a message for the translation catalogues; pages translate it when shown."""
    return message


# Blockers the engine writes, kept in English in the database and translated on display.
CONSENT_BLOCKERS = {
    ("mother", Decision.REFUSED): gettext_noop("mother's consent refused"),
    ("mother", Decision.WITHDRAWN): gettext_noop("mother's consent withdrawn"),
    ("father", Decision.REFUSED): gettext_noop("father's consent refused"),
    ("father", Decision.WITHDRAWN): gettext_noop("father's consent withdrawn"),
    ("guardian", Decision.REFUSED): gettext_noop("guardian's consent refused"),
    ("guardian", Decision.WITHDRAWN): gettext_noop("guardian's consent withdrawn"),
    ("parent", Decision.REFUSED): gettext_noop("parent's consent refused"),
    ("parent", Decision.WITHDRAWN): gettext_noop("parent's consent withdrawn"),
}
COURT_REFUSED = gettext_noop("court refused consent")
NOBODY_TO_CONSENT = gettext_noop("no one able to consent")
SERVING_SENTENCE = gettext_noop("serving a sentence")
AGE_UNCERTAIN = gettext_noop("age uncertain: the minors' steps apply until it is proven")


def _consent(step: PlannedStep, spec: Mapping[str, Any], facts: MemberFacts) -> None:
    """Who must consent, and whether they have: fills state, blocker and detail."""
    living = [p for p in facts.parents if p.alive]
    fallback = [Fallback(f) for f in spec.get("fallback", [])]
    step.detail["written"] = bool(spec.get("written", True))
    if living:
        step.detail["from"] = [p.role for p in living]
        step.detail["rule"] = spec.get("from", ConsentFrom.ONE_PARENT)
        givers: list[ParentFacts] = living
    elif Fallback.GUARDIAN in fallback and facts.guardians:
        step.detail["from"] = [g.role for g in facts.guardians]
        step.detail["rule"] = "guardian"
        givers = list(facts.guardians)
    elif Fallback.COURT in fallback:
        step.detail["from"] = ["court"]
        step.detail["rule"] = "court"
        if facts.court_consent is Decision.GIVEN:
            step.state = StepState.DONE
        elif facts.court_consent in (Decision.REFUSED, Decision.WITHDRAWN):
            step.state, step.blocker = StepState.BLOCKED, COURT_REFUSED
        step.detail["fallback"] = [str(f) for f in fallback]
        return
    else:
        step.detail["from"] = []
        step.state, step.blocker = StepState.BLOCKED, NOBODY_TO_CONSENT
        return
    step.detail["fallback"] = [str(f) for f in fallback]
    given = [p for p in givers if p.decision is Decision.GIVEN]
    refused = [p for p in givers if p.decision in (Decision.REFUSED, Decision.WITHDRAWN)]
    need_all = step.detail["rule"] == ConsentFrom.BOTH_PARENTS
    if (need_all and len(given) == len(givers)) or (not need_all and given):
        step.state = StepState.DONE
        step.since = max((p.decided_on for p in given if p.decided_on), default=None)
    elif refused and (need_all or len(refused) == len(givers)):
        first = refused[0]
        role = first.role if first.role in ("mother", "father", "guardian") else "parent"
        step.state = StepState.BLOCKED
        step.blocker = CONSENT_BLOCKERS[(role, first.decision or Decision.REFUSED)]
        step.since = refused[0].decided_on
    # else: pending, waiting for a decision


def build_checklist(rules: Mapping[str, Any], facts: MemberFacts, today: dt.date) -> Checklist:
    """The steps this person needs under these rules, with what the facts already settle.

    The rules must have passed ``validate_rules``.
    """
    minor_age = int(rules.get("minor_age", MINOR_AGE_DEFAULT))
    age = age_class(facts, today, minor_age)
    checklist = Checklist(age=age, steps=[])
    if age is AgeClass.UNCERTAIN:
        checklist.notes.append(AGE_UNCERTAIN)
    for spec in rules["steps"]:
        if not _applies(spec, age, facts):
            continue
        kind = spec.get("kind", Kind.OTHER)
        step = PlannedStep(
            code=spec["code"],
            label=spec["label"],
            kind=kind,
            required=bool(spec.get("required", True)),
        )
        step.detail["kind"] = str(kind)
        for lang in ("ru", "ar"):
            if spec.get(f"label_{lang}"):
                step.detail[f"label_{lang}"] = spec[f"label_{lang}"]
        if spec.get("documents"):
            step.detail["documents"] = list(spec["documents"])
        if spec.get("note"):
            step.detail["note"] = spec["note"]
        if kind == Kind.CONSENT:
            _consent(step, spec["consent"], facts)
        elif kind == Kind.FINE:
            fine = fine_for(rules, facts.citizenships)
            if fine is None:
                continue  # the route charges no fine
            step.detail["fine"] = fine
        elif kind == Kind.PROOF:
            step.detail["accepts"] = list(spec["accepts"])
        elif kind == Kind.EXIT_PERMISSION and facts.sentenced:
            step.state, step.blocker = StepState.BLOCKED, SERVING_SENTENCE
        elif kind == Kind.HANDOVER and rules.get("handover_point"):
            step.detail["handover_point"] = rules["handover_point"]
        checklist.steps.append(step)
    return checklist
