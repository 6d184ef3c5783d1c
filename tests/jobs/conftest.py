"""Jobs run at once in the committing thread during tests (no queue, no thread)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _jobs_inline(settings: Any) -> None:
    settings.JOBS_INLINE = True
