"""The rules engine on real-shaped cases, without a database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from wayhome.repatriation import rules
from wayhome.repatriation.rules import (
    AgeClass,
    Decision,
    MemberFacts,
    ParentFacts,
    StepState,
    build_checklist,
    validate_rules,
)

TODAY = dt.date(2026, 3, 12)
SHIPPED = Path(rules.__file__).parent / "rulesets"


def _rules(name: str = "iraq") -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((SHIPPED / f"{name}.yaml").read_text("utf-8"))
    rules_part: dict[str, Any] = data["rules"]
    return rules_part


def _born(years: int) -> tuple[dt.date, dt.date]:
    day = TODAY.replace(year=TODAY.year - years)
    return day, day


def child(**kw: Any) -> MemberFacts:
    earliest, latest = _born(7)
    base: dict[str, Any] = {
        "birth_earliest": earliest,
        "birth_latest": latest,
        "citizenships": ("RU",),
    }
    base.update(kw)
    return MemberFacts(**base)


def steps_by_code(facts: MemberFacts, name: str = "iraq") -> dict[str, rules.PlannedStep]:
    return {s.code: s for s in build_checklist(_rules(name), facts, TODAY).steps}


@pytest.mark.parametrize("name", ["iraq", "north-east-syria"])
def test_shipped_rule_sets_are_valid(name: str) -> None:
    assert validate_rules(_rules(name)) == []


def test_mother_sentenced_to_life_who_consents_for_her_three_children() -> None:
    """The children's consent steps are done (she consents from prison); her own exit is
    blocked by the sentence, so she stays while they go."""
    mother = ParentFacts(
        role="mother", sentenced=True, decision=Decision.GIVEN, decided_on=dt.date(2026, 3, 1)
    )
    for _ in range(3):
        steps = steps_by_code(child(parents=(mother,)))
        consent = steps["parent_consent"]
        assert consent.state is StepState.DONE
        assert consent.detail["from"] == ["mother"]
        assert consent.since == dt.date(2026, 3, 1)
        assert steps["court_order"].state is StepState.PENDING  # still needs the court
    m_earliest, m_latest = _born(32)
    own = steps_by_code(
        MemberFacts(
            birth_earliest=m_earliest,
            birth_latest=m_latest,
            citizenships=("RU",),
            has_legal_case=True,
            sentenced=True,
        )
    )
    assert own["exit_permission"].state is StepState.BLOCKED
    assert own["exit_permission"].blocker == "serving a sentence"
    assert "legal_case_closed" in own
    assert "parent_consent" not in own
    assert "court_order" not in own


def test_child_with_no_living_parent_needs_a_guardian_or_the_court() -> None:
    dead = (ParentFacts(role="mother", alive=False), ParentFacts(role="father", alive=False))
    consent = steps_by_code(child(parents=dead))["parent_consent"]
    assert consent.detail["from"] == ["court"]  # Iraq: guardian, else the court
    assert consent.state is StepState.PENDING
    guardian = ParentFacts(role="guardian")
    with_guardian = steps_by_code(child(parents=dead, guardians=(guardian,)))["parent_consent"]
    assert with_guardian.detail["from"] == ["guardian"]
    court_given = steps_by_code(child(parents=dead, court_consent=Decision.GIVEN))
    assert court_given["parent_consent"].state is StepState.DONE
    # North-east Syria accepts a guardian only: with none, nobody can consent.
    nes = steps_by_code(child(parents=dead), "north-east-syria")["parent_consent"]
    assert nes.state is StepState.BLOCKED
    assert nes.blocker == "no one able to consent"


def test_mother_who_refuses_blocks_her_children() -> None:
    mother = ParentFacts(role="mother", decision=Decision.REFUSED, decided_on=dt.date(2026, 2, 2))
    consent = steps_by_code(child(parents=(mother,)))["parent_consent"]
    assert consent.state is StepState.BLOCKED
    assert consent.blocker == "mother's consent refused"
    assert consent.since == dt.date(2026, 2, 2)


def test_one_parent_suffices_when_the_other_refuses_in_iraq() -> None:
    parents = (
        ParentFacts(role="mother", decision=Decision.REFUSED),
        ParentFacts(role="father", decision=Decision.GIVEN),
    )
    assert steps_by_code(child(parents=parents))["parent_consent"].state is StepState.DONE


def test_both_parents_rule_blocks_on_either_refusal() -> None:
    data = _rules()
    for step in data["steps"]:
        if step["code"] == "parent_consent":
            step["consent"]["from"] = "both_parents"
    parents = (
        ParentFacts(role="mother", decision=Decision.GIVEN),
        ParentFacts(role="father", decision=Decision.WITHDRAWN),
    )
    consent = {s.code: s for s in build_checklist(data, child(parents=parents), TODAY).steps}
    assert consent["parent_consent"].state is StepState.BLOCKED
    assert consent["parent_consent"].blocker == "father's consent withdrawn"


def test_consent_pending_until_a_parent_decides() -> None:
    consent = steps_by_code(child(parents=(ParentFacts(role="mother"),)))["parent_consent"]
    assert consent.state is StepState.PENDING
    assert consent.blocker == ""


def test_fine_by_citizenship() -> None:
    assert steps_by_code(child())["fine"].detail["fine"]["amount"] == "2500"
    tajik = steps_by_code(child(citizenships=("TJ",)))["fine"].detail["fine"]
    assert (tajik["amount"], tajik["currency"], tajik["basis"]) == ("400", "USD", "TJ")
    # The first citizenship with its own fine counts: a dual Russian-Tajik citizen pays 400.
    assert steps_by_code(child(citizenships=("RU", "TJ")))["fine"].detail["fine"]["amount"] == "400"
    # North-east Syria charges no fine: no fine step.
    assert "fine" not in steps_by_code(child(), "north-east-syria")


def test_proof_steps_depend_on_documents() -> None:
    undocumented = steps_by_code(child())
    assert {"citizenship", "kinship"} <= set(undocumented)
    assert undocumented["kinship"].detail["accepts"] == ["document", "testimony", "dna"]
    papers = steps_by_code(child(has_identity_document=True, has_birth_certificate=True))
    assert "citizenship" not in papers
    assert "kinship" not in papers
    assert papers["handover"].detail["handover_point"].startswith("Baghdad")


def test_age_from_a_fuzzy_birth_date() -> None:
    # Born in a year that makes the person 17 or 18 today: uncertain, minors' steps apply.
    year = TODAY.year - 18
    uncertain = MemberFacts(birth_earliest=dt.date(year, 1, 1), birth_latest=dt.date(year, 12, 31))
    checklist = build_checklist(_rules(), uncertain, TODAY)
    assert checklist.age is AgeClass.UNCERTAIN
    assert "court_order" in {s.code for s in checklist.steps}
    assert checklist.notes
    unknown = build_checklist(_rules(), MemberFacts(None, None), TODAY)
    assert unknown.age is AgeClass.UNCERTAIN
    adult = build_checklist(_rules(), MemberFacts(*_born(25)), TODAY)
    assert adult.age is AgeClass.ADULT
    assert "court_order" not in {s.code for s in adult.steps}
    # The day before the 18th birthday: still a minor.
    day = TODAY.replace(year=TODAY.year - 18) + dt.timedelta(days=1)
    assert rules.age_class(MemberFacts(day, day), TODAY, 18) is AgeClass.MINOR


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda r: r.update(minor_age=0), "minor_age"),
        (lambda r: r.update(colour="red"), "colour: unknown key"),
        (
            lambda r: r["fines"]["by_citizenship"].update(TJK={"amount": 1, "currency": "USD"}),
            "TJK",
        ),
        (lambda r: r["fines"].update(default={"amount": "x", "currency": "USD"}), "not a number"),
        (lambda r: r["fines"].update(default={"amount": 5, "currency": "dollars"}), "currency"),
        (lambda r: r["steps"].append(dict(r["steps"][0])), "used twice"),
        (lambda r: r["steps"][0].update(kind="magic"), "kind"),
        (lambda r: r["steps"][0].update(applies_to="pets"), "applies_to"),
        (lambda r: r["steps"][0].update(when="raining"), "when"),
        (lambda r: r["steps"][0].update(accepts=["hearsay"]), "accepts"),
        (lambda r: r["steps"][3].update(consent={"from": "anyone"}), "consent.from"),
        (
            lambda r: r["steps"][3].update(consent={"from": "one_parent", "fallback": ["uncle"]}),
            "fallback",
        ),
        (lambda r: r["steps"][0].pop("label"), "label"),
        (lambda r: r.update(steps=[]), "at least one step"),
    ],
)
def test_validation_names_each_problem(mutate: Any, expected: str) -> None:
    data = _rules()
    mutate(data)
    problems = validate_rules(data)
    assert any(expected in p for p in problems), problems


def test_validation_refuses_a_non_mapping() -> None:
    assert validate_rules(["steps"]) == ["rules: expected a mapping of minor_age, fines, steps..."]
