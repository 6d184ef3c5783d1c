"""Numba caches its kernels where the process may write, or loading them would fail."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from wayhome.names import compiled


def test_code_that_may_be_written_keeps_its_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    assert compiled.cache_dir(tmp_path) is None


def test_read_only_code_caches_under_the_temporary_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    (tmp_path / "__pycache__").mkdir()
    asked: list[Path] = []

    def no_writes(path: os.PathLike[str], mode: int) -> bool:  # a hardened service
        asked.append(Path(path))
        return False

    monkeypatch.setattr(os, "access", no_writes)
    found = compiled.cache_dir(tmp_path)
    assert found is not None
    assert found.startswith(tempfile.gettempdir())
    assert asked == [tmp_path / "__pycache__"]


def test_a_cache_directory_set_by_the_operator_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    assert compiled.cache_dir(tmp_path) is None
