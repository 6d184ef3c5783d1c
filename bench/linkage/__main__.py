"""Benchmark the linker against two baselines on linkage-dev.

``python -m bench.linkage [--data DIR] [--sets ru,ar] [--sample N] [--again N]``. Our
linker runs with its defaults (no threshold chosen on the answers). The baselines,
measured in the same run: anyascii + rapidfuzz, which as documented in the data README gets the best
threshold chosen on the answers (that flatters it), and Splink's standard recipe on
anyascii-romanised names (``splink_baseline.py``; skipped with a note when Splink, a
benchmark-only dependency from requirements-bench.txt, is not installed). Times are
also given as a ratio to the anyascii baseline's.

What is timed, the same way for every method: in this one process, from the person lists
already read to the decisions, imports excluded for both (on 21 November 2026,
``python -c "import wayhome.linkage.link"`` took 0.45-0.49 s, importing anyascii,
rapidfuzz and numpy 0.31-0.36 s: counting process start would add about 0.15 s to ours;
DuckDB, which the linker imports on first use, is imported before its time as anyascii is
before the baseline's).
Our linker starts from empty caches (``forget_spellings``: the channel model is loaded
inside its time, and nothing computed for the token check or an earlier set is reused).
Wall time is the target; CPU time (this process and its finished workers; the
baseline's cdist runs on every core) is printed beside it because on a shared machine
it moves less with the load. ``--again N`` then runs ours and the anyascii baseline N
more times each and prints their medians (``warm_runs``), and the median of the
ratios of each round's two runs with its 95% bootstrap interval (``ratio_interval``):
whether ours is faster over the rounds as a whole, not in one reading.

``python -m bench.linkage process [--runs 3]`` runs ``wayhome link`` and the baseline as
processes of their own (``baseline_process.py``), alternated, and prints each one's wall,
user and system time: what a user linking once waits for, start-up included; then
the round-by-round ratio as ``--again`` does.

``python -m bench.linkage stages [--runs 5]`` prints where the linker's time goes, stage
by stage (wall and CPU medians, from its own progress messages), beside the baseline's.

``python -m bench.linkage heldout [--share 0.25] [--seed 1] [--keep DIR]`` learns the channel again
without a share of the training names, then links lists built from those names alone
and, as the control, lists of the names it was taught, each beside the baseline
(``heldout.py``): whether the linker generalises, which linkage-dev (built from the
training names) cannot say.

``python -m bench.linkage scale --left 100000 --right 1000000`` generates synthetic lists
of that size in a temporary folder (``synthetic.py``), runs ``wayhome link`` on them as a
child process and reports its wall time, peak memory and quality, then both methods on a
small sample generated the same way.
"""

from __future__ import annotations

import argparse
import csv
import gc
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench.linkage import heldout
from bench.linkage.baseline_process import best_pairs
from bench.linkage.synthetic import write_lists
from wayhome.linkage.io import Person, read_person_list
from wayhome.linkage.link import link
from wayhome.names.similarity import forget_spellings, use_channel
from wayhome.names.train import CHANNEL_PATH, training_pairs

REPO = Path(__file__).resolve().parents[2]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "linkage-dev"


@dataclass(frozen=True)
class Result:
    """Quality and cost of one method on one set."""

    method: str
    precision: float
    recall: float
    f1: float
    partner_recall: float | None
    seconds: float
    cpu: float | None = None  # CPU seconds of this process and its finished children


def _cpu() -> float:
    """CPU seconds used so far by this process and the children it has waited for."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


RESAMPLES = 2000  # bootstrap draws for a ratio's interval


def ratio_interval(mine: Sequence[float], theirs: Sequence[float]) -> tuple[float, float, float]:
    """The median of the per-round ratios mine[n] / theirs[n] (runs alternated, so that
    each round's two ran under about the same load) and its 95% bootstrap interval.

    On a machine shared with other work one reading flips either side of 1.0 with the
    minute; the interval says whether the rounds as a whole do. Seeded: the same times
    give the same interval."""
    ratios = np.asarray(mine, dtype=np.float64) / np.asarray(theirs, dtype=np.float64)
    draws = np.random.default_rng(0).choice(ratios, size=(RESAMPLES, len(ratios)))
    low, high = np.percentile(np.median(draws, axis=1), [2.5, 97.5])
    return float(np.median(ratios)), float(low), float(high)


def _ratio_text(mine: Sequence[float], theirs: Sequence[float]) -> str:
    ratio, low, high = ratio_interval(mine, theirs)
    return f"{ratio:.2f}x (95% {low:.2f}-{high:.2f})"


def read_truth(path: Path) -> set[tuple[str, str]]:
    """The answer pairs (left_id, right_id)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {(row["left_id"], row["right_id"]) for row in csv.DictReader(handle)}


def scores(
    matches: set[tuple[str, str]], truth: set[tuple[str, str]]
) -> tuple[float, float, float]:
    """Precision, recall and F1 of the decided matches."""
    hits = len(matches & truth)
    precision = hits / len(matches) if matches else 0.0
    recall = hits / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return precision, recall, f1


def baseline(
    left: Sequence[Person], right: Sequence[Person], truth: set[tuple[str, str]]
) -> Result:
    """anyascii + token_sort_ratio + birth-year agreement, best threshold on the answers."""
    from anyascii import anyascii  # noqa: F401  (imported outside the time, as ours are)
    from rapidfuzz import fuzz, process  # noqa: F401

    started, cpu = time.monotonic(), _cpu()
    best, best_score = best_pairs(left, right)
    seconds, cpu = time.monotonic() - started, _cpu() - cpu
    top = max(
        (
            (
                scores(
                    {
                        (left[int(i)].id, right[int(best[i])].id)
                        for i in np.nonzero(best_score >= t)[0]
                    },
                    truth,
                ),
                t,
            )
            for t in range(50, 111, 2)
        ),
        key=lambda st: st[0][2],
    )
    (precision, recall, f1), _threshold = top
    return Result("baseline (anyascii+rapidfuzz, tuned)", precision, recall, f1, None, seconds, cpu)


def judged(
    method: str,
    decided: Sequence[tuple[str, str, str]],
    truth: set[tuple[str, str]],
    seconds: float,
) -> Result:
    """Quality of (left_id, right_id, decision) rows against the answers."""
    matches = {(a, b) for a, b, d in decided if d == "match"}
    shown = {(a, b) for a, b, _ in decided}
    precision, recall, f1 = scores(matches, truth)
    partner = len(shown & truth) / len(truth) if truth else 0.0
    return Result(method, precision, recall, f1, partner, seconds)


def splink(
    left: Sequence[Person], right: Sequence[Person], truth: set[tuple[str, str]]
) -> Result | None:
    """Splink's standard recipe, or None (with a note) when Splink is not installed."""
    try:
        import splink  # noqa: F401  (imported lazily by the baseline; checked here)

        from bench.linkage.splink_baseline import splink_decisions
    except ImportError:
        print("splink baseline skipped: pip install -r requirements-bench.txt", flush=True)
        return None
    started = time.monotonic()
    decided = splink_decisions(left, right)
    return judged("splink (standard recipe)", decided, truth, time.monotonic() - started)


def ours(left: Sequence[Person], right: Sequence[Person], truth: set[tuple[str, str]]) -> Result:
    """The linker with its defaults, from cold caches (its models loaded inside the time)."""
    import duckdb  # noqa: F401  (an import, as the baseline's are: outside the time)

    forget_spellings()
    started, cpu = time.monotonic(), _cpu()
    pairs, _model = link(left, right, progress=None)
    seconds, cpu = time.monotonic() - started, _cpu() - cpu
    decided = [(p.left_id, p.right_id, p.decision) for p in pairs]
    result = judged("wayhome linker (defaults)", decided, truth, seconds)
    return _with_cpu(result, cpu)


def _with_cpu(result: Result, cpu: float) -> Result:
    return Result(result.method, result.precision, result.recall, result.f1,
                  result.partner_recall, result.seconds, cpu)  # fmt: skip


def load_set(
    directory: Path, sample: int | None
) -> tuple[list[Person], list[Person], set[tuple[str, str]]]:
    """A set's two lists and its answers (only the first ``sample`` left rows' with it)."""
    left = read_person_list(directory / "left.csv")
    right = read_person_list(directory / "right.csv")
    truth = read_truth(directory / "truth.csv")
    if sample:
        left = left[:sample]
        ids = {p.id for p in left}
        truth = {t for t in truth if t[0] in ids}
    return left, right, truth


def run_set(
    left: Sequence[Person],
    right: Sequence[Person],
    truth: set[tuple[str, str]],
    splink_too: bool = True,
) -> list[Result]:
    """Our linker, then the baselines (anyascii + rapidfuzz last: times are relative to it)."""
    methods = (ours, splink, baseline) if splink_too else (ours, baseline)
    return [r for r in (_timed(m, left, right, truth) for m in methods) if r]


def warm_runs(
    left: Sequence[Person], right: Sequence[Person], truth: set[tuple[str, str]], times: int
) -> None:
    """Both methods ``times`` more times, alternately, in this process, and the median
    of each: a method's first run also pays for what a process does once (the
    baseline's first 60-million-cell matrix faults in its pages, a second run reuses
    them; ours reads its channel model), which a user linking once pays and one linking
    many times does not. Ours still starts from empty spelling caches every time. The
    CPU medians too: on a machine shared with other work, wall times of the same run
    vary by half, and CPU time much less."""
    runs: dict[str, list[Result]] = {"ours": [], "base": []}
    for _ in range(times):
        runs["ours"].append(_timed(ours, left, right, truth))  # type: ignore[arg-type]
        runs["base"].append(_timed(baseline, left, right, truth))  # type: ignore[arg-type]
    walls = [[r.seconds for r in runs[m]] for m in ("ours", "base")]
    cpus = [[r.cpu or 0.0 for r in runs[m]] for m in ("ours", "base")]
    mine, theirs = map(statistics.median, walls)
    mine_cpu, their_cpu = map(statistics.median, cpus)
    print(
        f"later runs ({times} each, median): wayhome linker {mine:.1f}s, "
        f"baseline {theirs:.1f}s, round by round {_ratio_text(*walls)}; "
        f"CPU {mine_cpu:.1f}s vs {their_cpu:.1f}s, {_ratio_text(*cpus)}"
    )


def _timed(
    method: Callable[[Sequence[Person], Sequence[Person], set[tuple[str, str]]], Result | None],
    left: Sequence[Person],
    right: Sequence[Person],
    truth: set[tuple[str, str]],
) -> Result | None:
    """One method after a full collection, outside its time: no method pays for the
    garbage or the young objects another one left."""
    gc.collect()
    return method(left, right, truth)


def held_out_tokens(path: Path) -> None:
    """Token-level check on names the channel never saw (ar2en-eval, not used in training).

    Share of true pairs scoring "same" (>= 0.92) or "close" (>= 0.8), against anyascii +
    rapidfuzz ratio, and the share of random wrong pairings scoring "close".
    """
    from anyascii import anyascii
    from rapidfuzz import fuzz

    from wayhome.names.similarity import compare_names

    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]
    pairs = [(ar, en) for ar, en in (r for r in rows if len(r) == 2)]
    ours = [compare_names(en, ar).score for ar, en in pairs]
    base = [fuzz.ratio(anyascii(ar).lower(), en.lower()) / 100 for ar, en in pairs]
    shifted = [
        compare_names(en, pairs[(n + 7) % len(pairs)][0]).score for n, (_, en) in enumerate(pairs)
    ]
    print(f"\n== held-out name tokens ({path.name}, {len(pairs)} pairs)")
    for label, scores in (("wayhome.names", ours), ("anyascii+ratio", base)):
        same = sum(s >= 0.92 for s in scores) / len(scores)
        close = sum(s >= 0.8 for s in scores) / len(scores)
        print(f"{label:20} same {same:.3f}  close {close:.3f}")
    print(f"{'wrong pairs close':20} {sum(s >= 0.8 for s in shifted) / len(shifted):.3f}")


def print_table(title: str, results: Sequence[Result]) -> None:
    """One line per method, times relative to the last (the baseline)."""
    base_time, base_cpu = results[-1].seconds, results[-1].cpu
    print(f"\n== {title}")
    print(
        f"{'method':40} {'P':>6} {'R':>6} {'F1':>6} {'partner':>8} {'time':>7} {'x base':>7}"
        f" {'CPU':>7} {'x base':>7}"
    )
    for r in results:
        partner = f"{r.partner_recall:.3f}" if r.partner_recall is not None else "-"
        cpu = f"{r.cpu:6.1f}s" if r.cpu is not None else "-"
        cpu_ratio = f"{r.cpu / base_cpu:6.1f}x" if r.cpu is not None and base_cpu else "-"
        print(
            f"{r.method:40} {r.precision:6.3f} {r.recall:6.3f} {r.f1:6.3f} {partner:>8} "
            f"{r.seconds:6.1f}s {r.seconds / base_time:6.1f}x {cpu:>7} {cpu_ratio:>7}"
        )


def link_child(folder: Path, engine: str) -> tuple[float, float, float]:
    """Run ``wayhome link`` on folder's lists in a child process.

    Returns (wall seconds, CPU seconds of the child and its workers, peak RSS in MiB of
    the largest of them). CPU time is the figure to trust on a shared, busy machine.
    """
    files = [str(folder / name) for name in ("left.csv", "right.csv")]
    out = str(folder / "pairs.csv")
    command = [str(Path(sys.executable).with_name("wayhome")), "link", *files, "--out", out]
    command += ["--engine", engine]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    subprocess.run(command, check=True)
    seconds = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return seconds, cpu, after.ru_maxrss / 1024


def scale(argv: list[str]) -> None:
    """Generate lists of the asked size, link them, and print time, memory and quality."""
    parser = argparse.ArgumentParser(prog="python -m bench.linkage scale")
    parser.add_argument("--left", type=int, default=100_000)
    parser.add_argument("--right", type=int, default=1_000_000)
    parser.add_argument("--engine", default="duckdb")
    parser.add_argument("--sample-left", type=int, default=3_000)
    parser.add_argument("--sample-right", type=int, default=20_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="wayhome-scale-") as tmp:
        sample = Path(tmp) / "sample"
        write_lists(sample, args.sample_left, args.sample_right, seed=8)
        run = [ours, baseline]
        left, right = (read_person_list(sample / f) for f in ("left.csv", "right.csv"))
        truth = read_truth(sample / "truth.csv")
        title = f"synthetic sample {args.sample_left} x {args.sample_right}"
        print_table(title, [r for r in (_timed(m, left, right, truth) for m in run) if r])
        big = Path(tmp) / "big"
        write_lists(big, args.left, args.right)
        seconds, cpu, peak = link_child(big, args.engine)
        with (big / "pairs.csv").open(encoding="utf-8", newline="") as handle:
            decided = [(r["left_id"], r["right_id"], r["decision"]) for r in csv.DictReader(handle)]
        result = judged(f"wayhome link --engine {args.engine}", decided,
                        read_truth(big / "truth.csv"), seconds)  # fmt: skip
        print(
            f"\n== scale {args.left} x {args.right}: {seconds:.1f}s wall, {cpu:.1f}s CPU, "
            f"peak RSS {peak:.0f} MiB"
        )
        print_table(f"scale {args.left} x {args.right}", [result])


def timed_child(command: list[str]) -> tuple[float, float, float]:
    """Run a command to its end: (wall, user, system) seconds of it and its children."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    seconds = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return seconds, after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime


def whole_process(argv: list[str]) -> None:
    """``wayhome link`` and the baseline as processes of their own, alternated: what a
    user running either once waits for, start-up, reading and writing included."""
    parser = argparse.ArgumentParser(prog="python -m bench.linkage process")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sets", default="ru,ar")
    parser.add_argument("--runs", type=int, default=3, help="runs of each, alternated")
    args = parser.parse_args(argv)
    wayhome = str(Path(sys.executable).with_name("wayhome"))
    print(f"\n== whole process, {args.runs} runs each, alternated (median, min-max)")
    print(f"{'set':4} {'method':24} {'wall':>18} {'user':>7} {'system':>7} {'x base':>7}")
    with tempfile.TemporaryDirectory(prefix="wayhome-process-") as tmp:
        for name in args.sets.split(","):
            lists = [str(args.data / name / f) for f in ("left.csv", "right.csv")]
            commands = {
                "wayhome link": [wayhome, "link", *lists, "--out", f"{tmp}/ours.csv", "--quiet"],
                "baseline (process)": [sys.executable, "-m", "bench.linkage.baseline_process",
                                       *lists, f"{tmp}/base.csv"],
            }  # fmt: skip
            runs: dict[str, list[tuple[float, float, float]]] = {m: [] for m in commands}
            for _ in range(args.runs):
                for method, command in commands.items():
                    runs[method].append(timed_child(command))
            base_walls = [w for w, _, _ in runs["baseline (process)"]]
            base = statistics.median(base_walls)
            for method, found in runs.items():
                walls = [w for w, _, _ in found]
                wall = statistics.median(walls)
                user = statistics.median(u for _, u, _ in found)
                system = statistics.median(s for _, _, s in found)
                spread = f"{wall:.2f}s ({min(walls):.2f}-{max(walls):.2f})"
                print(f"{name:4} {method:24} {spread:>18} {user:6.2f}s {system:6.2f}s "
                      f"{wall / base:6.2f}x")  # fmt: skip
            ours_walls = [w for w, _, _ in runs["wayhome link"]]
            print(f"{name:4} wayhome link / baseline, round by round: "
                  f"{_ratio_text(ours_walls, base_walls)}")  # fmt: skip


# The linker's progress messages (``link._link``) that close each stage, and its name.
STAGES = (
    ("name features of", "name features (parsing, keying, vocabularies)"),
    ("tokens:", "token pairs (block keys, key join, screening)"),
    ("blocking (", "record join"),
    ("pairs with some name agreement", "scoring the candidates"),
    ("model:", "fitting the model"),
    ("done:", "decisions and explanations"),
)


def stage_times(
    marks: Sequence[tuple[str, float, float]], start: tuple[float, float]
) -> dict[str, tuple[float, float]]:
    """(wall, CPU) seconds of each stage from the progress marks (message, wall clock,
    CPU clock when it was said) and the clocks at the start: a stage runs from the mark
    before it to its own. Messages that close no stage are ignored; a stage not reached
    is left out."""
    times: dict[str, tuple[float, float]] = {}
    wall, cpu = start
    for message, at, used in marks:
        name = next((n for prefix, n in STAGES if prefix in message), None)
        if name is not None:
            times[name] = (at - wall, used - cpu)
            wall, cpu = at, used
    return times


def _recorder() -> tuple[list[tuple[str, float, float]], Callable[[str], None]]:
    """A list of progress marks (message, wall clock, CPU clock) and the callback that
    fills it."""
    marks: list[tuple[str, float, float]] = []

    def mark(message: str) -> None:
        marks.append((message, time.monotonic(), _cpu()))

    return marks, mark


def stages(argv: list[str]) -> None:
    """Where the linker's time goes, stage by stage: medians of wall and CPU seconds over
    ``--runs`` runs from cold spelling caches, alternated with the baseline's."""
    parser = argparse.ArgumentParser(prog="python -m bench.linkage stages")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sets", default="ru,ar")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    import duckdb  # noqa: F401  (imported outside the time, as in ``ours``)

    for name in args.sets.split(","):
        left, right, truth = load_set(args.data / name, None)
        runs: list[dict[str, tuple[float, float]]] = []
        base: list[float] = []
        for _ in range(args.runs):
            forget_spellings()
            gc.collect()
            marks, mark = _recorder()
            start = (time.monotonic(), _cpu())
            link(left, right, progress=mark)
            runs.append(stage_times(marks, start))
            result = _timed(baseline, left, right, truth)
            base.append(result.seconds if result else 0.0)
        print(f"\n== stages, linkage-dev {name}, {args.runs} runs (median seconds)")
        print(f"{'stage':50} {'wall':>6} {'CPU':>6}")
        for _, stage in STAGES:
            wall = statistics.median(r[stage][0] for r in runs)
            cpu = statistics.median(r[stage][1] for r in runs)
            print(f"{stage:50} {wall:6.2f} {cpu:6.2f}")
        total = statistics.median(sum(w for w, _ in r.values()) for r in runs)
        print(f"{'the whole link':50} {total:6.2f}")
        print(f"{'baseline (anyascii+rapidfuzz), for scale':50} {statistics.median(base):6.2f}")


def held_out_lists(argv: list[str]) -> None:
    """``heldout.py``: learn the channel without a share of the names, then link lists
    of those names and lists of the names it was taught, per script, each beside the
    baseline."""
    parser = argparse.ArgumentParser(prog="python -m bench.linkage heldout")
    parser.add_argument("--names", type=Path, default=DEFAULT_DATA.parent / "names")
    parser.add_argument("--share", type=float, default=heldout.HELD_OUT)
    parser.add_argument("--keep", type=Path, default=None, help="keep the lists and channel here")
    parser.add_argument("--seed", type=int, default=1, help="of the first lists (then +1)")
    args = parser.parse_args(argv)
    import duckdb  # noqa: F401  (imported outside the time, as in ``ours``)

    taught, unseen = heldout.split(training_pairs(args.names), args.share)
    with tempfile.TemporaryDirectory(prefix="wayhome-heldout-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        channel = heldout.learn(taught, folder / "channel.json")
        print(f"channel learnt without {args.share:.0%} of the foreign forms "
              f"in {time.monotonic() - started:.0f}s", flush=True)  # fmt: skip
        use_channel(channel)
        try:
            for script, name in heldout.SETS.items():
                print(f"\n{name}: {len(heldout.spellings(unseen[script]))} foreign forms held "
                      f"out, {len(heldout.spellings(taught[script]))} taught")  # fmt: skip
                for seed, kind, pairs in ((0, "never seen", unseen), (1, "taught", taught)):
                    paths = heldout.write_set(
                        folder / name / kind.split()[-1], pairs[script], args.seed + seed
                    )
                    lists = load_set(paths[0].parent, None)
                    title = f"{name}, names {kind} (channel learnt without {args.share:.0%})"
                    print_table(title, run_set(*lists, splink_too=False))
        finally:
            use_channel(CHANNEL_PATH)


def main(argv: list[str] | None = None) -> None:
    """Print a table per set (or run the scale, whole-process, stages or held-out mode)."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["heldout"]:
        held_out_lists(argv[1:])
        return
    if argv[:1] == ["scale"]:
        scale(argv[1:])
        return
    if argv[:1] == ["process"]:
        whole_process(argv[1:])
        return
    if argv[:1] == ["stages"]:
        stages(argv[1:])
        return
    parser = argparse.ArgumentParser(prog="python -m bench.linkage")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sets", default="ru,ar")
    parser.add_argument("--sample", type=int, default=None, help="first N left rows only")
    parser.add_argument("--names", type=Path, default=DEFAULT_DATA.parent / "names")
    parser.add_argument("--again", type=int, default=0,
                        help="then run ours and the baseline N more times each (warm)")  # fmt: skip
    args = parser.parse_args(argv)
    held_out_tokens(args.names / "ar2en-eval.txt")
    for name in args.sets.split(","):
        lists = load_set(args.data / name, args.sample)
        print_table(f"linkage-dev {name}", run_set(*lists))
        if args.again:
            warm_runs(*lists, args.again)


if __name__ == "__main__":
    main()
