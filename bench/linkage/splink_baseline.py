"""Splink's standard recipe on romanised names: the second baseline of issue 3.

What a data team would do with Splink 4's documentation and no name knowledge of its
own: romanise both lists with anyascii, compare given and family name with
``cl.NameComparison`` (Jaro-Winkler levels), birth year and sex exactly, block on first
letters and on a name with the birth year, estimate u by random sampling and m by EM
without labels, and call a pair a match at probability 0.5. Nothing is chosen on the
answers. Splink is a benchmark-only dependency (requirements-bench.txt).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from wayhome.linkage.io import Person

COLUMNS = ("unique_id", "first_name", "surname", "birth_year", "sex")
SHOWN_PER_QUERY = 5


def _null(text: str) -> str | None:
    return text or None


def splink_row(p: Person) -> tuple[str, str | None, str | None, str | None, str | None]:
    """Romanised, lower-cased fields; a free-text name split as first and last word."""
    from anyascii import anyascii

    given, family = (anyascii(x).lower().strip() for x in (p.given_name, p.family_name))
    if not (given or family):
        words = anyascii(p.full_name).lower().split()
        given, family = (words[0], words[-1]) if words else ("", "")
    year = str(p.birth[0]) if p.birth else ""
    return p.id, _null(given), _null(family), _null(year), _null(p.sex)


def _load(con: Any, table: str, people: Sequence[Person]) -> None:
    """Create ``table`` (a name of this module, never input) holding the romanised rows."""
    con.execute(f"CREATE TABLE {table} ({', '.join(f'{c} VARCHAR' for c in COLUMNS)})")
    rows = [splink_row(p) for p in people]
    con.executemany(f"INSERT INTO {table} VALUES (?, ?, ?, ?, ?)", rows)  # noqa: S608


def splink_decisions(left: Sequence[Person], right: Sequence[Person]) -> list[tuple[str, str, str]]:
    """(left_id, right_id, decision) rows: the likeliest pair of each query at p >= 0.5 is a
    ``match``; its other best pairs (up to 5 in all, any probability) are ``possible``."""
    import duckdb
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    logging.getLogger("splink").setLevel(logging.ERROR)  # its training log would drown the table
    con = duckdb.connect()
    _load(con, "left_people", left)
    _load(con, "right_people", right)
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.NameComparison("first_name"),
            cl.NameComparison("surname"),
            cl.ExactMatch("birth_year"),
            cl.ExactMatch("sex"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("substr(first_name, 1, 1)", "substr(surname, 1, 1)"),
            block_on("first_name", "birth_year"),
            block_on("surname", "birth_year"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(
        ["left_people", "right_people"],
        settings,
        db_api=DuckDBAPI(connection=con),
        input_table_aliases=["l", "r"],
        set_up_basic_logging=False,
    )
    linker.training.estimate_probability_two_random_records_match(
        [
            block_on("first_name", "birth_year"),
            block_on("surname", "birth_year"),
            "l.first_name = r.first_name and levenshtein(l.surname, r.surname) <= 2",
        ],
        recall=0.7,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("substr(first_name, 1, 1)", "substr(surname, 1, 1)")
    )
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("birth_year"))
    rows = linker.inference.predict().as_record_dict()
    return _decisions(rows)


def _decisions(rows: Sequence[dict[str, Any]]) -> list[tuple[str, str, str]]:
    """The best pairs of each query, in the shape of ``wayhome link``'s output."""
    by_query: dict[str, list[tuple[float, str]]] = {}
    for row in rows:
        left_id, right_id = row["unique_id_l"], row["unique_id_r"]
        if row["source_dataset_l"] != "l":
            left_id, right_id = right_id, left_id
        by_query.setdefault(left_id, []).append((float(row["match_probability"]), right_id))
    decided = []
    for left_id, pairs in by_query.items():
        best = sorted(pairs, reverse=True)[:SHOWN_PER_QUERY]
        for rank, (probability, right_id) in enumerate(best):
            decision = "match" if rank == 0 and probability >= 0.5 else "possible"
            decided.append((left_id, right_id, decision))
    return decided
