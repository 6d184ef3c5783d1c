"""Compiled token-pair scores equal rapidfuzz's, key pair by key pair, to the bit."""

from __future__ import annotations

import random

import numpy as np
import pytest
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from wayhome.names.pair_scores import WORD, TokenPairs
from wayhome.names.romanise import Spelling
from wayhome.names.similarity import TokenFeatures, name_features, root_penalties

NAMES = [
    "Aisha Naloyeva", "Аиша Налоева", "عائشة نالوييفا", "Эльмурзаева Зарема",
    "Бекмурзаева Зарема", "Elmurzaeva Zaryema", "Сайдуллаев Ахмед", "Абдуллаев Ахмад",
    "Mahomedov Rustam", "Магомедов Рустам", "Amagomedov Rustom", "Mgomedov R",
    "Юсупов Ибрагим", "Yusupov Ibrahim", "Рахмонзода Зарина", "Rakhmonzoda Zarina",
    "Umm Muhammad al-Shishani", "أبو محمد الشيشاني", "Ли Ан", "Li An", "Ab Ob",
]  # fmt: skip


def _tokens() -> list[TokenFeatures]:
    found = {id(t): t for n in NAMES for t in name_features(full=n).tokens}
    return list(found.values())


def _definition(
    left: TokenFeatures, right: TokenFeatures, floor: float = 0.0, root: bool = True
) -> np.float32:
    """The score as rapidfuzz computes it: every spelling pair in one cdist, in float32."""
    mine, theirs = [k.key for k in left.keys], [k.key for k in right.keys]
    raw = process.cdist(mine, theirs, scorer=Levenshtein.normalized_similarity,
                        dtype=np.float32, score_cutoff=floor)  # fmt: skip
    if root:
        raw -= root_penalties(mine, theirs)
    own = np.array([k.penalty for k in left.keys], dtype=np.float32)[:, None]
    doubt = np.array([k.penalty for k in right.keys], dtype=np.float32)[None, :]
    return np.float32(np.clip((raw - own - doubt).max(), 0.0, 1.0))


def _all_pairs(
    left: list[TokenFeatures], right: list[TokenFeatures]
) -> tuple[np.ndarray, np.ndarray]:
    lt, rt = np.meshgrid(np.arange(len(left)), np.arange(len(right)), indexing="ij")
    return lt.reshape(-1), rt.reshape(-1)


@pytest.mark.parametrize("root", [True, False])
def test_scores_of_names_in_three_scripts_are_rapidfuzzs(root: bool) -> None:
    tokens = _tokens()
    left, right = tokens[::2], tokens[1::2]
    lt, rt = _all_pairs(left, right)
    got = TokenPairs(left, right).scores(lt, rt, 0.0, root)
    want = [_definition(left[a], right[b], 0.0, root) for a, b in zip(lt, rt, strict=True)]
    assert got.tolist() == np.array(want, dtype=np.float32).tolist()
    assert got.max() > 0.9  # alike tokens took part
    assert (got > 0).sum() < len(got)  # and unlike ones


def test_a_floor_keeps_every_score_above_it_exact() -> None:
    tokens = _tokens()
    lt, rt = _all_pairs(tokens, tokens)
    pairs = TokenPairs(tokens, tokens)
    exact = pairs.scores(lt, rt, 0.0, root=False)
    floored = pairs.scores(lt, rt, 0.6, root=False)
    high = exact >= 0.6
    assert high.any()
    assert floored[high].tolist() == exact[high].tolist()
    assert (floored[~high] < 0.6).all()
    want = [_definition(tokens[a], tokens[b], 0.6, False) for a, b in zip(lt, rt, strict=True)]
    assert floored.tolist() == np.array(want, dtype=np.float32).tolist()


def _word(rng: random.Random, alphabet: str, size: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(size))


def _single(key: str) -> TokenFeatures:
    return TokenFeatures(key, "name", (Spelling(key, key, "as written", 0.0),))


@pytest.mark.parametrize("floor", [0.0, 0.45, 0.6, 0.8])
def test_each_similarity_is_rapidfuzzs_at_its_cutoff(floor: float) -> None:
    rng = random.Random(int(floor * 100))
    sizes = [*range(1, 12), WORD - 1, WORD, WORD + 1, 90]
    left = [_word(rng, "abc~", rng.choice(sizes)) for _ in range(60)]
    right = [w[: rng.randint(1, len(w))] + _word(rng, "abcd", rng.randint(0, 3)) for w in left]
    right += ["aaabb", "a" * 20, "ab" * 40, _word(rng, "xyz", 5)]
    left += ["aaaaa", "a" * 12 + "b" * 8, "ab" * 45, "abc"]  # exactly on a cutoff, long
    lt, rt = _all_pairs([_single(w) for w in left], [_single(w) for w in right])
    got = TokenPairs([_single(w) for w in left], [_single(w) for w in right]).scores(
        lt, rt, floor, root=False
    )
    want = process.cdist(left, right, scorer=Levenshtein.normalized_similarity,
                         dtype=np.float32, score_cutoff=floor)  # fmt: skip
    assert got.tolist() == want.reshape(-1).tolist()
    if floor:
        assert (got == 0).any()
        assert (got > 0).any()


def _variant(rng: random.Random, word: str, alphabet: str) -> str:
    return word[: rng.randint(1, len(word))] + _word(rng, alphabet, rng.randint(0, 3))


def _doubtful(rng: random.Random, word: str, alphabet: str) -> TokenFeatures:
    """A token of several spellings of ``word``, each with its own doubt."""
    keys = dict.fromkeys([word, *(_variant(rng, word, alphabet) for _ in range(5))])
    spellings = tuple(Spelling(k, k, "learned", round(rng.random() * 0.1, 3)) for k in keys)
    return TokenFeatures(word, "name", spellings)


@pytest.mark.parametrize(("floor", "root"), [(0.0, True), (0.0, False), (0.6, False)])
def test_pairs_skipped_by_their_letters_could_not_win(floor: float, root: bool) -> None:
    """Letters and lengths bound a similarity, so a pair that cannot beat the best so far
    (or the floor) is skipped: the scores stay rapidfuzz's, over more distinct letters
    than a machine word has bits (the letter sets share bits then)."""
    rng = random.Random(6)
    alphabet = "".join(chr(0x400 + n) for n in range(100))
    words = [_word(rng, alphabet[: rng.choice([20, 100])], rng.randint(2, 9)) for _ in range(70)]
    left = [_doubtful(rng, w, alphabet) for w in words]
    right = [_doubtful(rng, _variant(rng, w, alphabet), alphabet) for w in words]
    lt, rt = _all_pairs(left, right)
    got = TokenPairs(left, right).scores(lt, rt, floor, root)
    want = [_definition(left[a], right[b], floor, root) for a, b in zip(lt, rt, strict=True)]
    assert got.tolist() == np.array(want, dtype=np.float32).tolist()
    assert (got > 0.6).sum() >= len(words) // 2
    assert (got == 0).any()


def test_root_penalties_are_rapidfuzzs_on_short_and_long_keys() -> None:
    rng = random.Random(4)
    words = [_word(rng, "abcd", rng.randint(1, 5)) for _ in range(80)] + ["a" * 70, "b" * 66]
    tokens = [_single(w) for w in words]
    lt, rt = _all_pairs(tokens, tokens)
    pairs = TokenPairs(tokens, tokens)
    penalised = pairs.scores(lt, rt, 0.0, root=True)
    plain = pairs.scores(lt, rt, 0.0, root=False)
    want = np.float32(plain.reshape(len(words), -1) - root_penalties(words, words))
    assert penalised.tolist() == np.clip(want, 0.0, 1.0).reshape(-1).tolist()
    assert (penalised < plain).any()


def test_threads_give_the_same_scores_in_the_same_order() -> None:
    tokens = _tokens()
    lt, rt = _all_pairs(tokens, tokens)
    pairs = TokenPairs(tokens, tokens)
    alone = pairs.scores(lt, rt, 0.0, True, workers=1)
    assert pairs.scores(lt, rt, 0.0, True, workers=2).tolist() == alone.tolist()
    assert pairs.scores(lt[:0], rt[:0]).shape == (0,)


def test_matches_are_token_similarity_one_by_one() -> None:
    from wayhome.names.similarity import token_similarity

    tokens = _tokens()
    lt, rt = _all_pairs(tokens, tokens)
    found = TokenPairs(tokens, tokens).matches(lt, rt)
    assert found == [token_similarity(tokens[a], tokens[b]) for a, b in zip(lt, rt, strict=True)]
    assert {m.via for m in found} > {"as written"}  # learned and scheme spellings chosen


def test_block_key_codes_are_the_block_keys_of_each_token() -> None:
    from wayhome.names.pair_scores import KeyTable
    from wayhome.names.similarity import block_key_code, block_keys

    tokens = _tokens()
    for spellings, widths in ((8, (3,)), (2, (3, 4)), (8, (3, 4)), (1, (4,))):
        rows = KeyTable(tokens).block_key_codes(spellings, widths).tolist()
        assert len(rows) == len({tuple(r) for r in rows})
        for n, token in enumerate(tokens):
            mine = {code for owner, code in rows if owner == n}
            expected = {block_key_code(k) for k in block_keys(token, spellings, widths)}
            assert mine == expected, token.text
