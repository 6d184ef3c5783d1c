"""Types of the compiled ``_pair_scores`` (see ``_pair_scores.pyx``)."""

import numpy as np

BIT_PARALLEL_LETTERS: int

def score_pairs(
    lt: np.ndarray,
    rt: np.ndarray,
    l_tokens: np.ndarray,
    l_keys: np.ndarray,
    l_letters: np.ndarray,
    l_doubts: np.ndarray,
    l_masks: np.ndarray,
    l_sets: np.ndarray,
    r_tokens: np.ndarray,
    r_keys: np.ndarray,
    r_letters: np.ndarray,
    r_doubts: np.ndarray,
    r_sets: np.ndarray,
    floor: float,
    root: bool,
    root_letters: int,
    root_cost: float,
    free_edits: int,
    out: np.ndarray,
) -> None: ...
def best_spellings(
    lt: np.ndarray,
    rt: np.ndarray,
    l_tokens: np.ndarray,
    l_keys: np.ndarray,
    l_letters: np.ndarray,
    l_doubts: np.ndarray,
    l_masks: np.ndarray,
    r_tokens: np.ndarray,
    r_keys: np.ndarray,
    r_letters: np.ndarray,
    r_doubts: np.ndarray,
    root_letters: int,
    root_cost: float,
    free_edits: int,
    scores: np.ndarray,
    chosen: np.ndarray,
) -> None: ...
def block_codes(
    tokens: np.ndarray, keys: np.ndarray, points: np.ndarray, spellings: int, widths: np.ndarray
) -> np.ndarray: ...
def letter_sets(starts: np.ndarray, letters: np.ndarray) -> np.ndarray: ...
def masks(starts: np.ndarray, letters: np.ndarray, size: int) -> np.ndarray: ...
