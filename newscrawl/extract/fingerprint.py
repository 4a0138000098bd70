"""64-bit simhash of a text, for finding near-duplicate articles (small Hamming distance).

Word 3-grams are the features. Each distinct word is hashed once (BLAKE2b, stable across
processes); a gram's hash mixes its words' hashes (word i, word i+1 rotated left by 21,
word i+2 by 42, xor-ed, times the 64-bit golden ratio); long texts are sampled (see
SAMPLE_ABOVE). The gram arithmetic and the bit votes run in numpy over uint64 arrays (already
installed with py3langid): a Python step per gram cost more than the rest of the fingerprint.
The values are those of the plain-Python definition in tests/test_fingerprint.py, so stored
fingerprints stay comparable.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

_WORD = re.compile(r"\w+")
_MASK = (1 << 64) - 1
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
MAX_FEATURES = 65535
# Long texts keep the quarter of their features whose hash ends in two zero bits: the same
# grams are kept in both copies of a near-duplicate, so distances hold, at a quarter the cost.
SAMPLE_ABOVE = 256

# word -> hash, shared by every text of the process: a language's common words repeat on
# every page (~10 MB at the cap)
_WORD_HASHES: dict[str, int] = {}
_WORD_CACHE_SIZE = 100_000


def word_hash(word: str) -> int:
    """A word's stable 64-bit hash (BLAKE2b, little-endian)."""
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


# Characters whose casefold moves the edges of \w+ runs (U+0130 "İ" folds to "i" and a
# combining dot, which \w does not match; U+0345 folds to a letter). Without them, the words
# of a casefolded text are the casefolded words of the text. tests/test_fingerprint.py checks
# this list against the running Python's Unicode tables.
CASEFOLD_MOVES_WORDS = re.compile(
    "[\u0130\u01f0\u0345\u0390\u03b0\u1e96-\u1e99\u1f50\u1f52\u1f54\u1f56\u1fb6\u1fb7"
    "\u1fc6\u1fc7\u1fd2\u1fd3\u1fd6\u1fd7\u1fe2-\u1fe4\u1fe6\u1fe7\u1ff6\u1ff7]"
)


# Chinese and Japanese write no spaces, so \w+ takes a whole clause for one word: each of
# their characters (Han, kana, the iteration mark) counts as a word, as word processors count
# them. Korean writes spaces between words; \w+ counts it as it counts Latin script.
_CJK = re.compile(r"[\u3005\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def counted_and_folded(text: str) -> tuple[int, list[str]]:
    r"""(the number of words of ``text``, the \w+ words of ``text.casefold()``): an
    article's word_count and what its fingerprint hashes, from one regex pass over the
    casefolded text where casefolding moves no word edge (then the two have the same words,
    one to one; a \w+ pass costs ~15 µs per KB, its joins and splits half that again).
    The count is of \w+ words, a Chinese or Japanese character counting as one (``_CJK``)."""
    folded = _WORD.findall(text.casefold())
    count = len(_WORD.findall(text)) if CASEFOLD_MOVES_WORDS.search(text) else len(folded)
    if _CJK.search(text) is not None:  # each run of such characters is one \w+ word so far
        count += len(_CJK.findall(text)) - sum(1 for word in folded if _CJK.search(word) is not None)
    return count, folded


def simhash(text: str | None, ngram: int = 3, *, folded: list[str] | None = None) -> int | None:
    r"""Signed 64-bit simhash over word n-grams (signed so it fits Parquet int64) of the
    \w+ words of ``text.casefold()`` (``folded``, when the caller has them:
    ``counted_and_folded``)."""
    words = folded if folded is not None else _WORD.findall((text or "").casefold())
    if not words:
        return None
    cache = _WORD_HASHES
    if len(cache) > _WORD_CACHE_SIZE:  # a process extracting millions of pages stays bounded
        cache.clear()
    for word in set(words).difference(cache):
        cache[word] = word_hash(word)
    hashes = np.fromiter(map(cache.__getitem__, words), dtype=np.uint64, count=len(words))
    grams = _grams(hashes, ngram)[:MAX_FEATURES]
    if len(grams) > SAMPLE_ABOVE:
        grams = grams[(grams & np.uint64(3)) == 0]
    # bit votes: each gram's 8 little-endian bytes unpacked into its 64 bits, column sums
    bits = np.unpackbits(grams.astype("<u8").view(np.uint8).reshape(-1, 8), axis=1, bitorder="little")
    value = 0
    for bit in np.flatnonzero(bits.sum(axis=0, dtype=np.int64) * 2 > len(grams)).tolist():
        value |= 1 << bit
    return value - (1 << 64) if value >= (1 << 63) else value


def _grams(hashes: np.ndarray, ngram: int) -> np.ndarray:
    """Mixed hash of every run of ``ngram`` words (one gram of all words when fewer)."""
    runs = max(1, len(hashes) - ngram + 1)
    mixed = hashes[:runs].copy()
    for k in range(1, min(ngram, len(hashes))):
        part = hashes[k : k + runs]
        mixed ^= (part << np.uint64(21 * k)) | (part >> np.uint64(64 - 21 * k))
    with np.errstate(over="ignore"):  # multiplication modulo 2**64 is the point
        return mixed * _GOLDEN


def hamming(a: int, b: int) -> int:
    return ((a ^ b) & _MASK).bit_count()
