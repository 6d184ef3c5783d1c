"""Types of the ``bulk_keys`` kernels (``_bulk_keys.pyx``)."""

from typing import Final

import numpy as np

# The kinds of pass a row of ``bulk_keys._PASSES`` names.
LITERAL: Final[int]
AFFRICATE: Final[int]
HARD_C: Final[int]
LONG_U: Final[int]
LONG_I: Final[int]
MAP: Final[int]
X_TO_KS: Final[int]
GLIDE_J: Final[int]
UNDOUBLED: Final[int]
SILENT_H: Final[int]

def sound_alike_many(
    chars: np.ndarray, starts: np.ndarray, passes: np.ndarray
) -> tuple[np.ndarray, np.ndarray]: ...
def firsts(
    order: np.ndarray, owner: np.ndarray, chars: np.ndarray, starts: np.ndarray
) -> np.ndarray: ...
def joined(
    chosen: np.ndarray, chars: np.ndarray, starts: np.ndarray, separator: int
) -> np.ndarray: ...
