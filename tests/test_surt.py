"""newscrawl.urls.surt_key answers what the surt library answers (pywb's and cdxj-indexer's
keys), also where it takes its own short way for plain URLs."""

from __future__ import annotations

import surt
from hypothesis import example, given, settings
from hypothesis import strategies as st

from newscrawl.urls import _plain_surt, surt_key

SCHEMES = st.sampled_from(["http", "https", "HTTP", "ftp"])
LABELS = st.sampled_from(["www", "www2", "WWW", "news", "Example", "bbc", "co", "uk", "com", "a-b", "xn--bcher-kva", "1", "0", "255", "256", "017", "08", "_x", ""])
HOSTS = st.one_of(
    st.lists(LABELS, min_size=1, max_size=5).map(".".join),
    st.tuples(*[st.integers(0, 300)] * 4).map(lambda quad: ".".join(map(str, quad))),
    st.sampled_from(["127.0.0.1", "10.0.0.254", "2130706433", "0x7f.1", "[::1]", "bücher.de", "a..b", ".a.", "localhost"]),
)
PORTS = st.sampled_from(["", ":80", ":443", ":8080", ":0", ":65535", ":65536", ":099999", ":"])
SEGMENTS = st.sampled_from([
    "", ".", "..", "...", "a", "Story-001.html", "index.aspx", "(S(abcdefghijklmnopqrstuvwx))", "%41", "%2F", "a%20b",
    "caf\u00e9", "x;jsessionid=1", "~user", "a+b", "it's", "@home", "a=b&c", "*", "$", "!", ",", ":", " ", "\t",
])
TAILS = st.sampled_from(["", "?", "?b=2&a=1", "?JSESSIONID=0123456789abcdef0123456789abcdef", "#top", "?q#f"])
URLS = st.builds(
    lambda scheme, host, port, segments, tail: f"{scheme}://{host}{port}" + "".join("/" + s for s in segments) + tail,
    SCHEMES, HOSTS, PORTS, st.lists(SEGMENTS, max_size=5), TAILS,
)


@settings(max_examples=3000, deadline=None)
@given(URLS)
@example("http://127.0.0.1:8080/business/2026/10/01/story-000.html")
@example("https://www.bbc.co.uk/news/world-europe-123/")
@example("http://www2.Example.COM:80")
@example("http://www.com/")
@example("http://1.2.3.4/")
@example("http://01.2.3.4/")
@example("http://example.com/a/./b/../c//d/")
def test_surt_key_is_the_surt_librarys(url: str) -> None:
    try:
        expected = surt.surt(url)
    except Exception:
        expected = url  # surt_key's answer when the library gives up
    assert surt_key(url) == expected


def test_the_short_way_covers_ordinary_article_urls() -> None:
    # not a tautology of the test above: these must not fall back to the library
    for url in (
        "http://127.0.0.1:8080/business/2026/10/01/story-000.html",
        "https://www.theguardian.com/world/2024/apr/30/swedish-police-leaks",
        "https://edition.cnn.com/2024/04/30/europe/sweden-police/index.html",
        "https://www.spiegel.de/politik/deutschland/a-1234abcd-5678-90ef.html",
    ):
        assert _plain_surt(url) == surt.surt(url)
    assert _plain_surt("https://example.com/search?q=1") is None
    assert _plain_surt("http://example.com/a%20b") is None
