"""Blocking engines: turn blocking keys and close tokens into candidate record pairs.

An engine does only the set-oriented work, in two joins (the same SQL for DuckDB and
Spark, so both give the same answers by construction):

1. ``candidate_pairs``: left and right *tokens* sharing a blocking key (vocabulary-sized).
2. ``record_pairs``: left and right *records* holding alike tokens. Two left tokens
   close to two tokens of a right record pair the records; one token alone pairs them
   only when it is a strong likeness and the right token is rare (held by at most
   ``rare`` records): a common name ("Muhammad" in a registry of millions) agreeing on
   one frequent word identifies nobody and would flood the scorer.

Scoring stays in Python/numpy everywhere. DuckDB is the default; Spark (local or a
cluster) is loaded only when asked for, so its start-up never slows the default path.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import combinations
from typing import Any, Protocol

KeyRows = Iterable[tuple[int, int]]  # (token, blocking key as a number)
TokenRows = Sequence[tuple[int, int]]  # (record, token)
Pairs = list[tuple[int, int]]

KEY_JOIN_SQL = """
WITH sizes AS (SELECT key, count(DISTINCT rec) AS n FROM rk GROUP BY key),
     usable AS (SELECT key FROM sizes WHERE n <= {max_key_size})
SELECT DISTINCT lk.rec AS l, rk.rec AS r
FROM lk JOIN usable ON lk.key = usable.key JOIN rk ON rk.key = usable.key
ORDER BY l, r
"""

RECORD_JOIN_SQL = """
WITH rsize AS (SELECT tok, count(DISTINCT rec) AS n FROM rtok GROUP BY tok),
single AS (
    SELECT ltok.rec AS l, rtok.rec AS r
    FROM ltok JOIN strong ON strong.lt = ltok.tok
    JOIN rsize ON rsize.tok = strong.rt AND rsize.n <= {rare}
    JOIN rtok ON rtok.tok = strong.rt
),
rpairs AS (SELECT a.rec, a.tok AS t1, b.tok AS t2 FROM rtok a JOIN rtok b
           ON a.rec = b.rec AND a.tok <> b.tok),
lpairs AS (SELECT a.rec, a.tok AS t1, b.tok AS t2 FROM ltok a JOIN ltok b
           ON a.rec = b.rec AND a.tok < b.tok),
double AS (
    SELECT lpairs.rec AS l, rpairs.rec AS r
    FROM lpairs JOIN close c1 ON c1.lt = lpairs.t1 JOIN close c2 ON c2.lt = lpairs.t2
    JOIN rpairs ON rpairs.t1 = c1.rt AND rpairs.t2 = c2.rt
)
SELECT DISTINCT l, r FROM (SELECT l, r FROM single UNION ALL SELECT l, r FROM double) u
ORDER BY l, r
"""


# table name → (first column, second column, type of the second, rows)
Tables = dict[str, tuple[str, str, str, Iterable[tuple[int, int]]]]
_DUCKDB_TYPES = {"int": "INTEGER"}


def _token_pairs_sql(max_key_size: int) -> str:
    return KEY_JOIN_SQL.format(max_key_size=int(max_key_size))


def _key_tables(left: KeyRows, right: KeyRows) -> Tables:
    return {"lk": ("rec", "key", "int", left), "rk": ("rec", "key", "int", right)}


def _token_tables(left: TokenRows, right: TokenRows, close: TokenRows, strong: TokenRows) -> Tables:
    return {
        "ltok": ("rec", "tok", "int", set(left)),
        "rtok": ("rec", "tok", "int", set(right)),
        "close": ("lt", "rt", "int", close),
        "strong": ("lt", "rt", "int", strong),
    }


class BlockingEngine(Protocol):
    """Something that runs the two blocking joins."""

    name: str

    def candidate_pairs(self, left: KeyRows, right: KeyRows, max_key_size: int) -> Pairs:
        """Distinct (left token, right token) sharing a key held by at most max_key_size rights."""
        ...

    def record_pairs(
        self, left: TokenRows, right: TokenRows, close: TokenRows, strong: TokenRows, rare: int
    ) -> Pairs:
        """Distinct (left record, right record) as the module docstring says.

        ``left``/``right``: (record, token); ``close``: (left token, right token) pairs
        alike enough to count as a second agreeing token; ``strong``: pairs alike enough
        to pair records on their own when the right token is held by at most ``rare``.
        """
        ...


def _columns(rows: Iterable[tuple[int, Any]]) -> tuple[list[int], list[Any]]:
    """Rows as two columns, the shape DuckDB takes as list parameters."""
    first: list[int] = []
    second: list[Any] = []
    for a, b in rows:
        first.append(a)
        second.append(b)
    return first, second


class DuckDBEngine:
    """Both joins in an in-memory DuckDB database (fast, columnar, no server)."""

    name = "duckdb"

    def _run(self, sql: str, tables: Tables) -> Pairs:
        import duckdb

        con = duckdb.connect(":memory:")
        try:
            for table, (a, b, kind, rows) in tables.items():
                first, second = _columns(rows)
                con.execute(
                    f"CREATE TABLE {table} AS SELECT unnest($1::INTEGER[]) AS {a}, "
                    f"unnest($2::{_DUCKDB_TYPES[kind]}[]) AS {b}",
                    [first, second],
                )
            found = con.execute(sql).fetchall()
        finally:
            con.close()
        return [(int(a), int(b)) for a, b in found]

    def candidate_pairs(self, left: KeyRows, right: KeyRows, max_key_size: int) -> Pairs:
        """See ``BlockingEngine.candidate_pairs``."""
        return self._run(_token_pairs_sql(max_key_size), _key_tables(left, right))

    def record_pairs(
        self, left: TokenRows, right: TokenRows, close: TokenRows, strong: TokenRows, rare: int
    ) -> Pairs:
        """See ``BlockingEngine.record_pairs``."""
        tables = _token_tables(left, right, close, strong)
        return self._run(RECORD_JOIN_SQL.format(rare=int(rare)), tables)


class PythonEngine:
    """The same joins with dictionaries: no dependency, fine for small lists and tests."""

    name = "python"

    def candidate_pairs(self, left: KeyRows, right: KeyRows, max_key_size: int) -> Pairs:
        """See ``BlockingEngine.candidate_pairs``."""
        index: dict[int, set[int]] = defaultdict(set)
        for rec, key in right:
            index[key].add(rec)
        pairs: set[tuple[int, int]] = set()
        for rec, key in left:
            recs = index.get(key, set())
            if len(recs) <= max_key_size:
                pairs.update((rec, other) for other in recs)
        return sorted(pairs)

    def record_pairs(
        self, left: TokenRows, right: TokenRows, close: TokenRows, strong: TokenRows, rare: int
    ) -> Pairs:
        """See ``BlockingEngine.record_pairs``."""
        holders: dict[int, set[int]] = defaultdict(set)
        for rec, tok in right:
            holders[tok].add(rec)
        left_tokens: dict[int, set[int]] = defaultdict(set)
        left_holders: dict[int, set[int]] = defaultdict(set)
        for rec, tok in left:
            left_tokens[rec].add(tok)
            left_holders[tok].add(rec)
        alike: dict[int, set[int]] = defaultdict(set)
        for lt, rt in close:
            alike[lt].add(rt)
        pairs: set[tuple[int, int]] = set()
        for lt, rt in strong:
            if len(holders[rt]) <= rare:
                pairs.update((rec, r) for rec in left_holders[lt] for r in holders[rt])
        for rec, toks in left_tokens.items():
            for a, b in combinations(sorted(toks), 2):
                for ra in alike.get(a, ()):
                    for rb in alike.get(b, ()):
                        if ra != rb:
                            pairs.update((rec, r) for r in holders[ra] & holders[rb])
        return sorted(pairs)


class SparkEngine:
    """Both joins as Spark SQL: ``local[2]`` by default, a cluster via ``master``.

    The master is the ``master`` argument, else the SPARK_MASTER environment variable,
    else ``local[2]``. The session is created on first use and reused by later joins.
    """

    name = "spark"

    def __init__(self, master: str | None = None) -> None:
        self.master = master or os.environ.get("SPARK_MASTER") or "local[2]"
        self._session: Any = None

    def _spark(self) -> Any:
        if self._session is None:
            try:
                from pyspark.sql import SparkSession
            except ImportError as exc:
                raise ValueError("the spark engine needs pyspark (pip install pyspark)") from exc
            self._session = (
                SparkSession.builder.master(self.master)
                .appName("wayhome-link")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.ui.enabled", "false")
                .getOrCreate()
            )
            self._session.sparkContext.setLogLevel("ERROR")
        return self._session

    def _run(self, sql: str, tables: Tables) -> Pairs:
        spark = self._spark()
        for table, (a, b, kind, rows) in tables.items():
            frame = spark.createDataFrame(list(rows), schema=f"{a} int, {b} {kind}")
            frame.createOrReplaceTempView(table)
        return [(int(row[0]), int(row[1])) for row in spark.sql(sql).collect()]

    def candidate_pairs(self, left: KeyRows, right: KeyRows, max_key_size: int) -> Pairs:
        """See ``BlockingEngine.candidate_pairs``."""
        return self._run(_token_pairs_sql(max_key_size), _key_tables(left, right))

    def record_pairs(
        self, left: TokenRows, right: TokenRows, close: TokenRows, strong: TokenRows, rare: int
    ) -> Pairs:
        """See ``BlockingEngine.record_pairs``."""
        tables = _token_tables(left, right, close, strong)
        return self._run(RECORD_JOIN_SQL.format(rare=int(rare)), tables)


ENGINES = ("duckdb", "python", "spark")


def get_engine(name: str, master: str | None = None) -> BlockingEngine:
    """The engine called ``name``; ValueError lists the available ones."""
    if name == "duckdb":
        return DuckDBEngine()
    if name == "python":
        return PythonEngine()
    if name == "spark":
        return SparkEngine(master)
    raise ValueError(f"unknown engine {name!r}; choose from {', '.join(ENGINES)}")
