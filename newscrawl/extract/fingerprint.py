"""64-bit simhash of a text, for finding near-duplicate articles (small Hamming distance).

Word 3-grams are the features. Each distinct word is hashed once (BLAKE2b, stable across
processes); a gram's hash mixes its words' hashes; long texts are sampled (see SAMPLE_ABOVE). Bit votes are counted eight at a time:
every byte of a hash indexes a table that spreads its bits into 16-bit lanes of one big
integer, so one addition counts eight bits (about 8x fewer Python operations than a loop
over 64 bits per feature).
"""

from __future__ import annotations

import hashlib
import re

_WORD = re.compile(r"\w+")
_MASK = (1 << 64) - 1
_LANE = 16  # bits per counter: up to 65535 features
MAX_FEATURES = (1 << _LANE) - 1
# Long texts keep the quarter of their features whose hash ends in two zero bits: the same
# grams are kept in both copies of a near-duplicate, so distances hold, at a quarter the cost.
SAMPLE_ABOVE = 256
# _SPREAD[j][b]: the 8 bits of byte b placed in lanes 8j..8j+7
_SPREAD = [
    [sum(1 << ((8 * j + bit) * _LANE) for bit in range(8) if b >> bit & 1) for b in range(256)]
    for j in range(8)
]


def _word_hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


def _rotl(x: int, r: int) -> int:
    return ((x << r) | (x >> (64 - r))) & _MASK


def simhash(text: str | None, ngram: int = 3) -> int | None:
    """Signed 64-bit simhash over word n-grams (signed so it fits Parquet int64)."""
    words = _WORD.findall((text or "").casefold())
    if not words:
        return None
    cache: dict[str, int] = {}
    hashes = [cache[w] if w in cache else cache.setdefault(w, _word_hash(w)) for w in words]
    grams = _grams(hashes, ngram)[:MAX_FEATURES]
    if len(grams) > SAMPLE_ABOVE:
        grams = [g for g in grams if not g & 3]
    s0, s1, s2, s3, s4, s5, s6, s7 = _SPREAD
    lanes = sum(
        s0[g & 0xFF] + s1[g >> 8 & 0xFF] + s2[g >> 16 & 0xFF] + s3[g >> 24 & 0xFF]
        + s4[g >> 32 & 0xFF] + s5[g >> 40 & 0xFF] + s6[g >> 48 & 0xFF] + s7[g >> 56]
        for g in grams
    )
    half = len(grams) / 2
    lane_mask = (1 << _LANE) - 1
    value = 0
    for bit in range(64):
        if (lanes >> (bit * _LANE)) & lane_mask > half:
            value |= 1 << bit
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
