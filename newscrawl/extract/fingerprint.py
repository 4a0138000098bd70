"""64-bit simhash of a text, for finding near-duplicate articles (small Hamming distance).

Word 3-grams are the features. Each distinct word is hashed once (BLAKE2b, stable across
processes); a gram's hash mixes its words' hashes; long texts are sampled (see
SAMPLE_ABOVE). Bit votes are counted in C: the gram hashes packed as bytes, one bytes slice
per byte position, one translate() and count() per bit (128 C calls per text instead of a
Python step per gram and bit).
"""

from __future__ import annotations

import hashlib
import re

_WORD = re.compile(r"\w+")
_MASK = (1 << 64) - 1
_LANE = 16  # a cap kept from the lane counters: the same features, so the same hashes as before
MAX_FEATURES = (1 << _LANE) - 1
# Long texts keep the quarter of their features whose hash ends in two zero bits: the same
# grams are kept in both copies of a near-duplicate, so distances hold, at a quarter the cost.
SAMPLE_ABOVE = 256
# _BIT[k]: translation table byte -> its bit k (0 or 1)
_BIT = [bytes((b >> k) & 1 for b in range(256)) for k in range(8)]


# word -> hash, shared by every text of the process: a language's common words repeat on
# every page (~10 MB at the cap)
_WORD_HASHES: dict[str, int] = {}
_WORD_CACHE_SIZE = 100_000


def _word_hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


def _rotl(x: int, r: int) -> int:
    return ((x << r) | (x >> (64 - r))) & _MASK


def simhash(text: str | None, ngram: int = 3) -> int | None:
    """Signed 64-bit simhash over word n-grams (signed so it fits Parquet int64)."""
    words = _WORD.findall((text or "").casefold())
    if not words:
        return None
    cache = _WORD_HASHES
    if len(cache) > _WORD_CACHE_SIZE:  # a process extracting millions of pages stays bounded
        cache.clear()
    hashes = [cache[w] if w in cache else cache.setdefault(w, _word_hash(w)) for w in words]
    grams = _grams(hashes, ngram)[:MAX_FEATURES]
    if len(grams) > SAMPLE_ABOVE:
        grams = [g for g in grams if not g & 3]
    # bit votes counted in C: the grams as little-endian bytes; byte position j of every gram
    # is the slice packed[j::8], and translate() maps each byte to its bit k (0/1) to count
    packed = b"".join([g.to_bytes(8, "little") for g in grams])
    half = len(grams) / 2
    value = 0
    for j in range(8):
        column = packed[j::8]
        for k in range(8):
            if column.translate(_BIT[k]).count(1) > half:
                value |= 1 << (8 * j + k)
    return value - (1 << 64) if value >= (1 << 63) else value


def _grams(hashes: list[int], ngram: int) -> list[int]:
    """Mixed hash of every run of ``ngram`` words (one gram of all words when fewer):
    word i, word i+1 rotated by 21, word i+2 by 42, …, xor-ed and multiplied."""
    if len(hashes) < ngram:
        g = hashes[0]
        for k in range(1, len(hashes)):
            g ^= _rotl(hashes[k], 21 * k)
        return [(g * 0x9E3779B97F4A7C15) & _MASK]
    mixed = hashes[: len(hashes) - ngram + 1]
    for k in range(1, ngram):
        r, back = 21 * k, 64 - 21 * k
        rotated = [((h << r) | (h >> back)) & _MASK for h in hashes[k:]]  # _rotl, inlined
        mixed = [a ^ b for a, b in zip(mixed, rotated)]
    return [(g * 0x9E3779B97F4A7C15) & _MASK for g in mixed]


def hamming(a: int, b: int) -> int:
    return ((a ^ b) & _MASK).bit_count()
