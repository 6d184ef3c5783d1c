"""Rule sets and document templates shipped with wayhome, kept in sync after migrate.

``rulesets/*.yaml`` and ``doc_templates/*.html`` are the shipped defaults. After every
``migrate`` the shipped records are compared with the files: a file whose content differs
from the newest shipped version becomes a new version (the old one retired), so a release
that corrects a rule never rewrites the version an open case follows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.db import connection, transaction

from wayhome.places.models import Country
from wayhome.repatriation.models import DocumentTemplate, FacilityKind, RuleSet
from wayhome.repatriation.rules import RulesError, validate_rules

RULESETS_DIR = Path(__file__).parent / "rulesets"
TEMPLATES_DIR = Path(__file__).parent / "doc_templates"
HEADER_KEYS = {"slug", "name", "host_country", "facility_kind", "home_country", "to_be_confirmed"}


def parse_rule_set(text: str) -> dict[str, Any]:
    """A rule set's YAML text as a checked mapping of header fields and ``rules``.

    Raises RulesError listing every problem; YAML that does not parse is one problem.
    """
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise RulesError([f"not valid YAML{where}"]) from exc
    if not isinstance(data, dict):
        raise RulesError(["expected a mapping with slug, name, host_country and rules"])
    problems = [f"{k}: unknown key" for k in sorted(set(data) - HEADER_KEYS - {"rules"})]
    for key in ("slug", "name", "host_country"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            problems.append(f"{key}: required")
    if data.get("facility_kind") is None:
        data["facility_kind"] = ""
    if data["facility_kind"] not in FacilityKind.values:
        problems.append(
            f"facility_kind: one of {', '.join(v or 'any' for v in FacilityKind.values)}"
        )
    problems.extend(validate_rules(data.get("rules")))
    if problems:
        raise RulesError(problems)
    return data


def _country(iso2: str | None) -> Country | None:
    if not iso2:
        return None
    try:
        return Country.objects.get(iso2=iso2.upper())
    except Country.DoesNotExist as exc:
        raise RulesError([f"country {iso2}: not in the reference data"]) from exc


@transaction.atomic
def sync_shipped_rule_sets() -> list[RuleSet]:
    """Load every shipped rule set file that is new or changed; return those added."""
    added = []
    for path in sorted(RULESETS_DIR.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        data = parse_rule_set(text)
        shipped = RuleSet.objects.filter(slug=data["slug"], agency__isnull=True)
        latest = shipped.order_by("-version").first()
        if latest is not None and latest.source_text == text:
            continue
        host = _country(data["host_country"])
        assert host is not None  # noqa: S101 - parse_rule_set requires it
        newest_any = RuleSet.objects.filter(slug=data["slug"]).order_by("-version").first()
        shipped.filter(status=RuleSet.Status.ACTIVE).update(status=RuleSet.Status.RETIRED)
        added.append(
            RuleSet.objects.create(
                slug=data["slug"],
                name=data["name"],
                host_country=host,
                facility_kind=data["facility_kind"],
                home_country=_country(data.get("home_country")),
                version=(newest_any.version + 1) if newest_any else 1,
                status=RuleSet.Status.ACTIVE,
                to_be_confirmed=bool(data.get("to_be_confirmed", True)),
                rules=data["rules"],
                source_text=text,
                change_note="shipped with wayhome",
                previous=latest,
            )
        )
    return added


@transaction.atomic
def sync_shipped_templates() -> list[DocumentTemplate]:
    """Load every shipped document template (``<kind>.<language>.html``) new or changed."""
    added = []
    for path in sorted(TEMPLATES_DIR.glob("*.html")):
        kind, language = path.stem.split(".", 1)
        body = path.read_text(encoding="utf-8")
        rows = DocumentTemplate.objects.filter(kind=kind, language=language, agency__isnull=True)
        latest = rows.order_by("-version").first()
        if latest is not None and latest.body == body:
            continue
        rows.update(is_current=False)
        title = str(DocumentTemplate.Kind(kind).label)
        added.append(
            DocumentTemplate.objects.create(
                kind=kind,
                language=language,
                version=(latest.version + 1) if latest else 1,
                is_current=True,
                title=title,
                body=body,
                change_note="shipped with wayhome",
            )
        )
    return added


def sync_shipped(**_kwargs: Any) -> None:
    """post_migrate receiver: bring the shipped rule sets and templates up to date.

    Skipped when the tables are not there (the app migrated back to zero) or the
    reference countries are not loaded yet."""
    tables = set(connection.introspection.table_names())
    needed = {RuleSet._meta.db_table, DocumentTemplate._meta.db_table, Country._meta.db_table}
    if not needed <= tables or not Country.objects.exists():
        return
    sync_shipped_rule_sets()
    sync_shipped_templates()
