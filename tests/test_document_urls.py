"""Document.absolute takes shortcuts past urljoin for plain absolute and root-relative links;
whatever the href, the answer must be urljoin's (the definition the shortcuts stand for)."""

from __future__ import annotations

from urllib.parse import urljoin

from hypothesis import example, given, settings
from hypothesis import strategies as st

from newscrawl.extract.document import Document

PIECES = ["http://", "https://", "HTTPS://", "/", "//", "?", "#", "?#", ";", "a", "B", "%20", "..", "./", "/.", "é", " ",
          "\t", "\n", ":", "@", "x.html", "=", "&", "%", "[::1]", "h.org", ":80", "\\", "\x00", "\u3000", "'", '"', "\x7f"]
BASES = ["https://www.example.org/a/b/c.html?x=1#f", "http://h:8080/", "HTTP://Ex.org/a", "https://u:p@h.org/x;y/z"]


def by_definition(base: str, href: str) -> str | None:
    href = href.strip()
    if not href or href.startswith(("#", "javascript:", "data:", "mailto:", "tel:")):
        return None
    joined = urljoin(base, href)
    return joined if joined.startswith(("http://", "https://")) else None


@settings(max_examples=1500, deadline=None)
@example(base=BASES[0], href="http://h?#x")  # urljoin drops an empty query before a fragment
@example(base=BASES[0], href="/a?#b")
@example(base=BASES[0], href="https://")  # no host: urljoin joins it with the base
@example(base=BASES[0], href="https:////x")
@example(base=BASES[1], href="/a/./b")  # dot segments are resolved
@example(base=BASES[3], href="/a;p")
@given(base=st.sampled_from(BASES), href=st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map("".join))
def test_absolute_is_urljoin(base: str, href: str) -> None:
    doc = Document.from_bytes(b"<html><body><p>x</p></body></html>", base, {})
    try:
        expected: str | None = by_definition(doc.base_url, href)
    except ValueError:  # urljoin rejects some hosts ("[" without "]"): so must absolute
        expected = "ValueError"
    try:
        got = doc.absolute(href)
    except ValueError:
        got = "ValueError"
    assert got == expected
