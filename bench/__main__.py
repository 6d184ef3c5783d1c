"""``python -m bench <name> [options]``: run one benchmark; without a name, list them.

Each benchmark is a module or package of this folder (``bench/pages.py``,
``bench/linkage/``) runnable on its own as ``python -m bench.<name>``; this entry point
only finds it and hands it the remaining arguments. See bench/README.md.
"""

from __future__ import annotations

import pkgutil
import runpy
import sys
from pathlib import Path


def available() -> list[str]:
    here = str(Path(__file__).resolve().parent)
    return sorted(m.name for m in pkgutil.iter_modules([here]) if not m.name.startswith("_"))


def main(argv: list[str]) -> int:
    names = available()
    if not argv or argv[0] in ("-h", "--help") or argv[0] not in names:
        print(__doc__)
        print("benchmarks:", ", ".join(names))
        print("e.g. python -m bench pages --persons 100000 1000000")
        return 0 if not argv or argv[0] in ("-h", "--help") else 2
    sys.argv = [f"bench.{argv[0]}", *argv[1:]]
    runpy.run_module(f"bench.{argv[0]}", run_name="__main__", alter_sys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
