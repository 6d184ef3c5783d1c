"""The names core's compiled kernels (Cython), built with the package.

Each ``src/wayhome/names/_*.pyx`` becomes the extension module of the same name: machine
code made once at install, so a ``wayhome link`` process neither compiles nor loads a
compiler at run time. Floating point stays IEEE (no contraction into fused multiply-add):
the kernels' scores must equal, to the bit, those of the Python definitions they mirror.
"""

from pathlib import Path

from Cython.Build import cythonize
from setuptools import Extension, setup

KERNELS = sorted(Path("src/wayhome/names").glob("_*.pyx"))

setup(
    ext_modules=cythonize(
        [
            Extension(
                f"wayhome.names.{path.stem}",
                [str(path)],
                extra_compile_args=["-O3", "-ffp-contract=off"],
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
