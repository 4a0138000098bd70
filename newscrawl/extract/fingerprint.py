"""64-bit simhash of a text, for finding near-duplicate articles (small Hamming distance)."""

from __future__ import annotations

import hashlib
import re

_WORD = re.compile(r"\w+")


def simhash(text: str | None, ngram: int = 3) -> int | None:
    """Signed 64-bit simhash over word n-grams (signed so it fits Parquet int64)."""
    words = _WORD.findall((text or "").casefold())
    if not words:
        return None
    grams = [" ".join(words[i : i + ngram]) for i in range(max(1, len(words) - ngram + 1))]
    hashes = [int.from_bytes(hashlib.blake2b(g.encode("utf-8"), digest_size=8).digest(), "big") for g in grams]
    half = len(hashes) / 2
    value = 0
    for bit in range(64):
        if sum((h >> bit) & 1 for h in hashes) > half:
            value |= 1 << bit
    return value - (1 << 64) if value >= (1 << 63) else value


def hamming(a: int, b: int) -> int:
    return ((a ^ b) & ((1 << 64) - 1)).bit_count()
