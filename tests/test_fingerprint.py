"""Simhash: stable, near-duplicates close, different texts far."""

from __future__ import annotations

import re
import sys

from newscrawl.extract.fingerprint import CASEFOLD_MOVES_WORDS, counted_and_folded, hamming, simhash
from tests.site.content import all_articles


def test_simhash_is_stable_and_signed_64_bit() -> None:
    text = "\n\n".join(all_articles()[0].paragraphs)
    value = simhash(text)
    assert value == simhash(text)
    assert value is not None and -(1 << 63) <= value < (1 << 63)
    assert simhash("") is None


def test_near_duplicates_are_close_and_different_articles_far() -> None:
    articles = all_articles()
    text = "\n\n".join(articles[0].paragraphs)
    edited = text.replace("Wednesday", "Thursday", 1) + " Updated with a correction."
    a, b = simhash(text), simhash(edited)
    assert a is not None and b is not None
    assert hamming(a, b) <= 8
    others = [simhash("\n\n".join(x.paragraphs)) for x in articles[2:12]]
    assert min(hamming(a, o) for o in others if o is not None) >= 12


def reference_simhash(text: str, ngram: int = 3) -> int | None:
    """The definition, one gram and one bit at a time in plain Python: what the numpy code
    must equal bit for bit (stored fingerprints of earlier crawls stay comparable)."""
    import re

    from newscrawl.extract.fingerprint import MAX_FEATURES, SAMPLE_ABOVE, word_hash

    mask = (1 << 64) - 1
    hashes = [word_hash(w) for w in re.findall(r"\w+", text.casefold())]
    if not hashes:
        return None
    grams = []
    for i in range(max(1, len(hashes) - ngram + 1)):
        g = hashes[i]
        for k in range(1, min(ngram, len(hashes))):
            h, r = hashes[i + k], 21 * k
            g ^= ((h << r) | (h >> (64 - r))) & mask
        grams.append((g * 0x9E3779B97F4A7C15) & mask)
    grams = grams[:MAX_FEATURES]
    if len(grams) > SAMPLE_ABOVE:
        grams = [g for g in grams if not g & 3]
    value = sum(1 << bit for bit in range(64) if 2 * sum((g >> bit) & 1 for g in grams) > len(grams))
    return value - (1 << 64) if value >= (1 << 63) else value


def test_simhash_equals_its_plain_python_definition() -> None:
    texts = ["\n\n".join(a.paragraphs) for a in all_articles()[:6]]
    texts += ["One", "one Two", "one two three", "Ünïcode wörds, déjà vu — 2024", " ".join(f"w{i % 5000}" for i in range(70_000))]
    for text in texts:
        assert simhash(text) == reference_simhash(text), text[:40]


def test_casefold_list_names_every_character_whose_casefold_moves_word_edges() -> None:
    """The words of a casefolded text are the casefolded words of the text unless a listed
    character is in it: checked against this Python's Unicode tables, every code point."""
    word = re.compile(r"\w+")
    moves = []
    for point in range(sys.maxunicode + 1):
        char = chr(point)
        folded = char.casefold()
        if folded != char and (not folded or any(bool(word.fullmatch(c)) != bool(word.fullmatch(char)) for c in folded)):
            moves.append(char)
    assert moves and all(CASEFOLD_MOVES_WORDS.fullmatch(c) for c in moves)
    assert not CASEFOLD_MOVES_WORDS.search("".join(chr(p) for p in range(0x2000) if chr(p) not in moves))


def test_one_pass_gives_the_word_count_and_the_fingerprinted_words() -> None:
    """word_count is the number of \\w+ words of the body, the fingerprint hashes those of its
    casefold; one pass over the casefolded text gives both, also where casefolding moves
    word edges (İ, ͅ: then the count comes from a second pass)."""
    texts = ["\n\n".join(a.paragraphs) for a in all_articles()[:3]]
    texts += ["", "—", "Straße STRASSE ǅemal ﬁne", "İstanbul'da", "ᾳ ͅ x", "Ünïcode wörds, déjà vu — 2024", "snake_case it's"]
    for text in texts:
        folded = re.findall(r"\w+", text.casefold())
        assert counted_and_folded(text) == (len(re.findall(r"\w+", text)), folded), text[:40]
        assert simhash(text, folded=folded) == simhash(text)
    assert counted_and_folded("İİ x") == (2, ["i", "i", "x"])  # the two passes disagree on the count here
