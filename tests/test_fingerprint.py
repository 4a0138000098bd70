"""Simhash: stable, near-duplicates close, different texts far."""

from __future__ import annotations

from newscrawl.extract.fingerprint import hamming, simhash
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
