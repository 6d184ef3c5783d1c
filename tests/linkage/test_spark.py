"""The Spark engine gives the same answers as DuckDB (runs wherever pyspark and Java are)."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest
from bench.linkage.synthetic import write_lists

from tests.linkage.test_link import CLOSE, LEFT_TOKENS, RIGHT_TOKENS, STRONG
from wayhome import cli
from wayhome.linkage import link as linker
from wayhome.linkage.engines import get_engine

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("pyspark") is None or shutil.which("java") is None,
    reason="the spark engine needs pyspark (requirements.txt) and a Java runtime on PATH",
)


def test_spark_joins_like_duckdb(request: pytest.FixtureRequest) -> None:
    spark, duckdb = get_engine("spark"), get_engine("duckdb")
    request.addfinalizer(spark.close)
    for rare in (2, 10):
        args = LEFT_TOKENS, RIGHT_TOKENS, CLOSE, STRONG, rare
        assert spark.record_pairs(*args).tolist() == duckdb.record_pairs(*args).tolist()
    keys = [(0, 1), (0, 2), (1, 3)], [(0, 1), (1, 2), (2, 2)]
    assert spark.candidate_pairs(*keys, 1).tolist() == [[0, 0]]
    assert duckdb.candidate_pairs(*keys, 1).tolist() == [[0, 0]]


def test_spark_and_duckdb_write_identical_pair_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    left, right, _truth = write_lists(tmp_path, 120, 1000)
    # A low rarity limit so that both ways of pairing records (rare and common) are used.
    monkeypatch.setattr(linker, "RARE_TOKEN", 3)
    outputs = []
    for engine in ("duckdb", "spark"):
        out = tmp_path / f"{engine}.csv"
        args = ["link", str(left), str(right), "--out", str(out), "--engine", engine, "--quiet"]
        if engine == "spark":
            args += ["--spark-master", "local[2]"]
        with pytest.raises(SystemExit) as excinfo:
            cli.main(args)
        assert excinfo.value.code in (0, None)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0].count(b",match,") > 50
