from __future__ import annotations

from collections.abc import Iterator

import pytest

from wayhome.matching import selectors


@pytest.fixture(autouse=True)
def _forget_common_keys() -> Iterator[None]:
    """Agency ids repeat across tests (rolled back), so must the cache of common keys not."""
    selectors._COMMON.clear()
    selectors._COUNTED_LOADED.clear()
    yield
    selectors._COMMON.clear()
    selectors._COUNTED_LOADED.clear()
