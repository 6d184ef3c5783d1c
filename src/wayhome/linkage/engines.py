"""Blocking engines: turn per-record blocking keys into candidate pairs.

The engine only does the set-oriented work (the key join, deduplication); scoring is
the same Python everywhere. DuckDB is the default; a Spark engine would implement the
same one method over a cluster (not written yet).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Protocol

KeyRows = Iterable[tuple[int, str]]


class BlockingEngine(Protocol):
    """Something that joins left and right blocking keys into distinct record pairs."""

    name: str

    def candidate_pairs(
        self, left: KeyRows, right: KeyRows, max_key_size: int
    ) -> list[tuple[int, int]]:
        """Distinct (left index, right index) sharing a key held by at most max_key_size rights."""
        ...


def _columns(rows: KeyRows) -> tuple[list[int], list[str]]:
    """Rows as two columns, the shape DuckDB takes as list parameters."""
    recs: list[int] = []
    keys: list[str] = []
    for rec, key in rows:
        recs.append(rec)
        keys.append(key)
    return recs, keys


class DuckDBEngine:
    """Key join in an in-memory DuckDB database (fast, columnar, no server)."""

    name = "duckdb"

    def candidate_pairs(
        self, left: KeyRows, right: KeyRows, max_key_size: int
    ) -> list[tuple[int, int]]:
        """See ``BlockingEngine.candidate_pairs``."""
        import duckdb

        con = duckdb.connect(":memory:")
        try:
            for table, rows in (("lk", left), ("rk", right)):
                recs, keys = _columns(rows)
                con.execute(
                    f"CREATE TABLE {table} AS SELECT unnest($1::INTEGER[]) AS rec, "
                    "unnest($2::VARCHAR[]) AS key",
                    [recs, keys],
                )
            rows = con.execute(
                """
                WITH sizes AS (SELECT key, count(DISTINCT rec) AS n FROM rk GROUP BY key),
                     usable AS (SELECT key FROM sizes WHERE n <= ?)
                SELECT DISTINCT lk.rec, rk.rec
                FROM lk JOIN usable USING (key) JOIN rk USING (key)
                ORDER BY 1, 2
                """,
                [max_key_size],
            ).fetchall()
        finally:
            con.close()
        return [(int(a), int(b)) for a, b in rows]


class PythonEngine:
    """The same join with dictionaries: no dependency, fine for small lists and tests."""

    name = "python"

    def candidate_pairs(
        self, left: KeyRows, right: KeyRows, max_key_size: int
    ) -> list[tuple[int, int]]:
        """See ``BlockingEngine.candidate_pairs``."""
        index: dict[str, set[int]] = defaultdict(set)
        for rec, key in right:
            index[key].add(rec)
        pairs: set[tuple[int, int]] = set()
        for rec, key in left:
            recs = index.get(key, set())
            if len(recs) <= max_key_size:
                pairs.update((rec, other) for other in recs)
        return sorted(pairs)


ENGINES: dict[str, type[DuckDBEngine] | type[PythonEngine]] = {
    "duckdb": DuckDBEngine,
    "python": PythonEngine,
}


def get_engine(name: str) -> BlockingEngine:
    """The engine called ``name``; ValueError lists the available ones."""
    if name == "spark":
        raise ValueError("the spark engine is not implemented yet; use --engine duckdb")
    try:
        return ENGINES[name]()
    except KeyError:
        raise ValueError(f"unknown engine {name!r}; choose from {', '.join(ENGINES)}") from None
