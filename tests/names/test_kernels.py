"""The names core's kernels are built with the package (setup.py), not at run time."""

from __future__ import annotations

import subprocess
import sys
from importlib.machinery import EXTENSION_SUFFIXES

import pytest


@pytest.mark.parametrize("kernels", ["_beams", "_bulk_keys", "_pair_scores"])
def test_the_kernels_come_built_with_the_package(kernels: str) -> None:
    """Each kernel module is machine code built at install (an extension module), and a
    process that uses it loads no compiler: nothing is compiled at run time."""
    code = (
        f"import importlib, sys; m = importlib.import_module('wayhome.names.{kernels}');"
        " print(m.__file__); print(sorted(n for n in sys.modules"
        " if n.partition('.')[0] in ('numba', 'llvmlite', 'Cython', 'pyximport')))"
    )
    found = subprocess.run(  # noqa: S603 - fixed interpreter and code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    path, loaded = found.stdout.splitlines()
    assert path.endswith(tuple(EXTENSION_SUFFIXES))
    assert loaded == "[]"
