"""Types of the compiled beam search (``_beams.pyx``)."""

import numpy as np

def search(
    order: np.ndarray,
    starts: np.ndarray,
    singles: np.ndarray,
    pairs: np.ndarray,
    option_starts: np.ndarray,
    option_costs: np.ndarray,
    text_starts: np.ndarray,
    text_chars: np.ndarray,
    k: int,
    longest: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Beams of every token: per token its number of spellings (int64), and per spelling
    its cost [tokens, k] (float64) and code points [tokens, k, longest] (int32), 0 after
    its end. Inputs: int64, float64 costs, int32 code points, all C-contiguous."""
