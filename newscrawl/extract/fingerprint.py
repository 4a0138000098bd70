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
    n = max(1, len(hashes) - ngram + 1)
    if n > MAX_FEATURES:
        n = MAX_FEATURES
    spread = _SPREAD
    lanes = 0
    counted = 0
    sample = n > SAMPLE_ABOVE
    for i in range(n):
        g = hashes[i]
        for k in range(1, ngram):
            if i + k < len(hashes):
                g ^= _rotl(hashes[i + k], 21 * k)
        g = (g * 0x9E3779B97F4A7C15) & _MASK
        if sample and g & 3:
            continue
        counted += 1
        for j in range(8):
            lanes += spread[j][(g >> (8 * j)) & 0xFF]
    half = counted / 2
    lane_mask = (1 << _LANE) - 1
    value = 0
    for bit in range(64):
        if (lanes >> (bit * _LANE)) & lane_mask > half:
            value |= 1 << bit
    return value - (1 << 64) if value >= (1 << 63) else value


def hamming(a: int, b: int) -> int:
    return ((a ^ b) & _MASK).bit_count()
