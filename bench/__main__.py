"""``python -m bench``: run every benchmark, then print one summary of their tables.

``python -m bench [--database-url postgres://...]`` runs, each in its own process:
linkage (linkage-dev ru and ar, beside anyascii+rapidfuzz and Splink, in one process and
then each method as a whole process of its own; then lists of names the channel never
saw, ``linkage heldout``), and, only when a database URL is given
(or BENCH_DATABASE_URL is set), pages (``<url>_100000`` and ``<url>_1000000``, seeded
the first time), candidates_quality (scratch databases, dropped afterwards) and
candidates (on ``<url>_1000000``, which must have been keyed once: ``python -m bench
candidates --database-url <url>_1000000 --reindex``). Each
benchmark prints its figures beside baselines measured in the same run; the summary at
the end repeats those tables so they can be read together.

``python -m bench <name> [options]`` runs one (the same as ``python -m bench.<name>``).
Each benchmark is a module or package of this folder. See bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import pkgutil
import runpy
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

DATABASE_BENCHMARKS = ("pages", "candidates_quality", "candidates", "load", "fact_hooks")


@dataclass(frozen=True)
class Outcome:
    """What one benchmark's process printed and how it ended."""

    name: str
    tables: list[str]
    failure: str | None


def available() -> list[str]:
    here = str(Path(__file__).resolve().parent)
    return sorted(m.name for m in pkgutil.iter_modules([here]) if not m.name.startswith("_"))


def with_suffix(url: str, suffix: str) -> str:
    """The URL of the database named like url's plus suffix."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}{suffix}"))


def plan(database_url: str | None) -> list[tuple[str, list[str]]]:
    """(benchmark, arguments) to run: the database ones only with a database URL."""
    runs: list[tuple[str, list[str]]] = [
        ("linkage", []),
        ("linkage", ["process"]),
        ("linkage", ["heldout"]),
    ]
    if database_url:
        runs += [
            ("pages", ["--database-url", database_url]),
            ("candidates_quality", ["--database-url", database_url]),
            ("candidates", ["--database-url", with_suffix(database_url, "_1000000")]),
            ("load", ["--database-url", with_suffix(database_url, "_1000000")]),
            ("fact_hooks", ["--database-url", database_url]),
        ]
    return runs


def tables(lines: Sequence[str]) -> list[str]:
    """The blocks a benchmark printed under ``== title`` lines, or its last lines if none."""
    kept: list[str] = []
    inside = False
    for line in lines:
        if line.startswith("== "):
            inside = True
            kept.append("")
        elif not line.strip():
            inside = False
        if inside:
            kept.append(line)
    return kept or [line for line in lines if line.strip()][-5:]


def run_child(name: str, args: list[str]) -> Outcome:
    """Run ``python -m bench.<name> args``, echoing its output as it comes."""
    print(f"\n#### {name} {' '.join(args)}", flush=True)
    command = [sys.executable, "-m", f"bench.{name}", *args]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as child:
        assert child.stdout is not None
        lines = []
        for line in child.stdout:
            print(line, end="", flush=True)
            lines.append(line.rstrip("\n"))
    failure = (
        f"failed (exit {child.returncode}), see its output above" if child.returncode else None
    )
    return Outcome(name, tables(lines), failure)


def summary(outcomes: Sequence[Outcome], database_url: str | None) -> None:
    """Every benchmark's tables together, and what was skipped."""
    print("\n\n######## summary: each figure beside the baselines of the same run")
    for outcome in outcomes:
        print(f"\n### {outcome.name}" + (f": {outcome.failure}" if outcome.failure else ""))
        print("\n".join(outcome.tables))
    if not database_url:
        print(
            f"\n### skipped: {', '.join(DATABASE_BENCHMARKS)} (they need PostgreSQL). Run them "
            "with `python -m bench --database-url postgres://postgres@127.0.0.1:5432/"
            "bench_wayhome` or BENCH_DATABASE_URL set (make bench passes it through); "
            "see bench/README.md."
        )


def run_all(argv: list[str]) -> int:
    """Every benchmark in turn, then the summary; non-zero if one of them failed."""
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=f"benchmarks: {', '.join(available())}",
    )
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    args = parser.parse_args(argv)
    outcomes = [run_child(name, child_args) for name, child_args in plan(args.database_url)]
    summary(outcomes, args.database_url)
    return 1 if any(o.failure for o in outcomes) else 0


def main(argv: list[str]) -> int:
    names = available()
    if argv[:1] and argv[0] in names:
        sys.argv = [f"bench.{argv[0]}", *argv[1:]]
        runpy.run_module(f"bench.{argv[0]}", run_name="__main__", alter_sys=True)
        return 0
    if argv[:1] and not argv[0].startswith("-"):
        print(f"unknown benchmark {argv[0]!r}; benchmarks: {', '.join(names)}")
        return 2
    return run_all(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
