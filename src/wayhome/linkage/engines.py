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

import logging
import os
from collections import defaultdict
from collections.abc import Sequence
from itertools import combinations
from typing import Any, Protocol

import numpy as np

# The left keys are narrowed to the usable ones first (a semi-join, written as IN for
# Spark and DuckDB alike), then joined to the right keys: 0.28 s on ru-dev where a
# three-way join took 0.37. Key rows are distinct (``block_key_codes``), so a key's
# right tokens are counted with count(*).
KEY_JOIN_SQL = """
WITH usable AS (SELECT key FROM rk GROUP BY key HAVING count(*) <= {max_key_size}),
     lu AS (SELECT rec, key FROM lk WHERE key IN (SELECT key FROM usable))
SELECT DISTINCT lu.rec AS l, rk.rec AS r
FROM lu JOIN rk ON rk.key = lu.key
ORDER BY r, l
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


Rows = np.ndarray  # int64 [n, 2]
RowsLike = np.ndarray | Sequence[tuple[int, int]]
# table name → (first column, second column, rows)
Tables = dict[str, tuple[str, str, Rows]]


def as_rows(rows: RowsLike) -> Rows:
    """Two integer columns as an int64 array [n, 2] (tuples are accepted for convenience)."""
    return np.asarray(rows, dtype=np.int64).reshape(-1, 2)


def _key_tables(left: RowsLike, right: RowsLike) -> Tables:
    return {"lk": ("rec", "key", as_rows(left)), "rk": ("rec", "key", as_rows(right))}


def _token_tables(left: RowsLike, right: RowsLike, close: RowsLike, strong: RowsLike) -> Tables:
    return {
        "ltok": ("rec", "tok", as_rows(left)),
        "rtok": ("rec", "tok", as_rows(right)),
        "close": ("lt", "rt", as_rows(close)),
        "strong": ("lt", "rt", as_rows(strong)),
    }


class BlockingEngine(Protocol):
    """Something that runs the two blocking joins; rows are int64 arrays [n, 2]."""

    name: str

    def candidate_pairs(self, left: RowsLike, right: RowsLike, max_key_size: int) -> Rows:
        """Distinct (left token, right token) sharing a key held by at most max_key_size
        right tokens, sorted by right token, then left; ``left``/``right`` rows are
        distinct (token, key number).

        By right token: the linker screens the pairs in this order, and a right token's
        spellings (a few of hundreds of thousands) are then read while in the cache: a
        third less time than in left-token order on ru-dev.
        """
        ...

    def record_pairs(
        self, left: RowsLike, right: RowsLike, close: RowsLike, strong: RowsLike, rare: int
    ) -> Rows:
        """Distinct (left record, right record) as the module docstring says, sorted.

        ``left``/``right``: distinct (record, token); ``close``: (left token, right token)
        pairs alike enough to count as a second agreeing token; ``strong``: pairs alike
        enough to pair records on their own when the right token is held by at most
        ``rare`` records.
        """
        ...

    def close(self) -> None:
        """Release what the engine holds (Spark's session and JVM); the others hold nothing."""
        ...


DUCKDB_MEMORY = "1GB"  # beyond this DuckDB spills joins to disk rather than grow


class DuckDBEngine:
    """Both joins in an in-memory DuckDB database over numpy columns (no copies, no server)."""

    name = "duckdb"

    def close(self) -> None:
        """Nothing to release: each join has its own in-memory database."""

    def _run(self, sql: str, tables: Tables) -> Rows:
        import duckdb

        con = duckdb.connect(":memory:")
        try:
            con.execute(f"SET memory_limit = '{DUCKDB_MEMORY}'")
            for table, (a, b, rows) in tables.items():
                # Copied into real tables: DuckDB then has the statistics to order joins.
                con.register("columns", {a: rows[:, 0], b: rows[:, 1]})
                con.execute(f"CREATE TABLE {table} AS SELECT * FROM columns")  # noqa: S608 - our names
                con.unregister("columns")
            found = con.execute(sql).fetchnumpy()
        finally:
            con.close()
        return as_rows(np.column_stack([found["l"], found["r"]]))

    def candidate_pairs(self, left: RowsLike, right: RowsLike, max_key_size: int) -> Rows:
        """See ``BlockingEngine.candidate_pairs``."""
        return self._run(
            KEY_JOIN_SQL.format(max_key_size=int(max_key_size)), _key_tables(left, right)
        )

    def record_pairs(
        self, left: RowsLike, right: RowsLike, close: RowsLike, strong: RowsLike, rare: int
    ) -> Rows:
        """See ``BlockingEngine.record_pairs``."""
        tables = _token_tables(left, right, close, strong)
        return self._run(RECORD_JOIN_SQL.format(rare=int(rare)), tables)


class PythonEngine:
    """The same joins with dictionaries: no dependency, fine for small lists and tests."""

    name = "python"

    def close(self) -> None:
        """Nothing to release."""

    def candidate_pairs(self, left: RowsLike, right: RowsLike, max_key_size: int) -> Rows:
        """See ``BlockingEngine.candidate_pairs``."""
        index: dict[int, set[int]] = defaultdict(set)
        for rec, key in as_rows(right).tolist():
            index[key].add(rec)
        pairs: set[tuple[int, int]] = set()
        for rec, key in as_rows(left).tolist():
            recs = index.get(key, set())
            if len(recs) <= max_key_size:
                pairs.update((other, rec) for other in recs)
        return as_rows([(rec, other) for other, rec in sorted(pairs)])

    def record_pairs(
        self, left: RowsLike, right: RowsLike, close: RowsLike, strong: RowsLike, rare: int
    ) -> Rows:
        """See ``BlockingEngine.record_pairs``."""
        holders: dict[int, set[int]] = defaultdict(set)
        for rec, tok in as_rows(right).tolist():
            holders[tok].add(rec)
        left_tokens: dict[int, set[int]] = defaultdict(set)
        left_holders: dict[int, set[int]] = defaultdict(set)
        for rec, tok in as_rows(left).tolist():
            left_tokens[rec].add(tok)
            left_holders[tok].add(rec)
        alike: dict[int, set[int]] = defaultdict(set)
        for lt, rt in as_rows(close).tolist():
            alike[lt].add(rt)
        pairs: set[tuple[int, int]] = set()
        for lt, rt in as_rows(strong).tolist():
            if len(holders[rt]) <= rare:
                pairs.update((rec, r) for rec in left_holders[lt] for r in holders[rt])
        for rec, toks in left_tokens.items():
            for a, b in combinations(sorted(toks), 2):
                for ra in alike.get(a, ()):
                    for rb in alike.get(b, ()):
                        if ra != rb:
                            pairs.update((rec, r) for r in holders[ra] & holders[rb])
        return as_rows(sorted(pairs))


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
            # py4j logs its shutdown at INFO, into streams that may be closed by then.
            logging.getLogger("py4j").setLevel(logging.WARNING)
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

    def close(self) -> None:
        """Stop the Spark session (and the local JVM with it)."""
        if self._session is not None:
            self._session.stop()
            self._session = None

    def _run(self, sql: str, tables: Tables) -> Rows:
        spark = self._spark()
        for table, (a, b, rows) in tables.items():
            frame = spark.createDataFrame(rows.tolist(), schema=f"{a} long, {b} long")
            frame.createOrReplaceTempView(table)
        return as_rows([(row[0], row[1]) for row in spark.sql(sql).collect()])

    def candidate_pairs(self, left: RowsLike, right: RowsLike, max_key_size: int) -> Rows:
        """See ``BlockingEngine.candidate_pairs``."""
        return self._run(
            KEY_JOIN_SQL.format(max_key_size=int(max_key_size)), _key_tables(left, right)
        )

    def record_pairs(
        self, left: RowsLike, right: RowsLike, close: RowsLike, strong: RowsLike, rare: int
    ) -> Rows:
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
