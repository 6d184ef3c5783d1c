"""Numba for the names core's bulk kernels (``beams``, ``pair_scores``), its machine code
cached where this process may write.

Numba keeps compiled kernels in the package's ``__pycache__``, else in the user's cache
directory, and refuses to load a module at all when it can write neither (a hardened
service: code read-only, no home; deploy/wayhome.service). Then the kernels are cached
under the temporary directory instead; NUMBA_CACHE_DIR, when set (deploy/env.example
sets it in the data directory), always wins.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def cache_dir(package: Path = Path(__file__).parent) -> str | None:
    """Where Numba should cache, when it cannot next to the code; None to leave it be."""
    if os.environ.get("NUMBA_CACHE_DIR"):
        return None
    cached = package / "__pycache__"
    if os.access(cached if cached.exists() else package, os.W_OK):
        return None
    return str(Path(tempfile.gettempdir()) / f"wayhome-numba-{os.getuid()}")


if (_DIR := cache_dir()) is not None:
    os.environ["NUMBA_CACHE_DIR"] = _DIR

from numba import njit  # noqa: E402 - after the cache directory is chosen

__all__ = ["cache_dir", "njit"]
