"""``wayhome link LEFT RIGHT --out PAIRS.csv``: link two person lists without a database."""

from __future__ import annotations

import argparse

from wayhome.linkage.engines import ENGINES
from wayhome.linkage.io import ListFormatError, read_pairs, read_person_list, write_pairs
from wayhome.linkage.link import OUTPUT_COLUMNS, link, to_stderr


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wayhome link",
        description="Find the people of LEFT in RIGHT across scripts and spellings.",
    )
    parser.add_argument("left", help="person list (CSV or XLSX) to look up")
    parser.add_argument("right", help="person list (CSV or XLSX) to search in")
    parser.add_argument("--out", required=True, help="where to write the pairs (CSV)")
    parser.add_argument("--engine", default="duckdb", choices=ENGINES)
    parser.add_argument(
        "--spark-master",
        help="Spark master URL for --engine spark (default: $SPARK_MASTER, else local[2])",
    )
    parser.add_argument(
        "--confirmed",
        help="CSV of pairs a person confirmed (left_id,right_id): they teach the model",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command; returns the exit status (0 ok, 2 bad input or option)."""
    args = _parser().parse_args(argv)
    try:
        left = read_person_list(args.left)
        right = read_person_list(args.right)
        confirmed = read_pairs(args.confirmed) if args.confirmed else set()
        pairs, _model = link(
            left,
            right,
            engine=args.engine,
            confirmed=confirmed,
            progress=None if args.quiet else to_stderr,
            spark_master=args.spark_master,
        )
    except (ListFormatError, ValueError) as exc:
        to_stderr(f"wayhome link: error: {exc}")
        return 2
    try:
        write_pairs(args.out, OUTPUT_COLUMNS, (p.row() for p in pairs))
    except OSError as exc:
        to_stderr(f"wayhome link: error: cannot write {args.out}: {exc.strerror}")
        return 2
    return 0
