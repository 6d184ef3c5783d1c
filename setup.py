"""The names core's compiled kernels (Cython), built with the package.

Each ``src/wayhome/names/_*.pyx`` becomes the extension module of the same name: machine
code made once at install, so a ``wayhome link`` process neither compiles nor loads a
compiler at run time. Floating point stays IEEE (no contraction into fused multiply-add):
the kernels' scores must equal, to the bit, those of the Python definitions they mirror.
"""

import platform
from pathlib import Path

from Cython.Build import cythonize
from setuptools import Extension, setup

KERNELS = sorted(Path("src/wayhome/names").glob("_*.pyx"))


def _machine_flags() -> list[str]:
    """-mpopcnt where the building x86-64 processor has the instruction (every one since
    2008-2009): the pair-score bounds count letters with it, a seventh of the screen's
    time. Elsewhere the compiler's own popcount serves (ARM has one in its base set)."""
    if platform.machine().lower() not in ("x86_64", "amd64"):
        return []
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="ascii", errors="replace")
    except OSError:
        return []
    return ["-mpopcnt"] if " popcnt" in flags else []


setup(
    ext_modules=cythonize(
        [
            Extension(
                f"wayhome.names.{path.stem}",
                [str(path)],
                extra_compile_args=["-O3", "-ffp-contract=off", *_machine_flags()],
            )
            for path in KERNELS
        ],
        build_dir="build/cython",
        compiler_directives={
            "language_level": 3,
            "boundscheck": False,
            "wraparound": False,
            "initializedcheck": False,
            "cdivision": True,
        },
    )
)
