"""bench/site.py: the synthetic site is served as built, and gzip-compressed when asked
(``--compression gzip``) by whichever server the machine has."""

from __future__ import annotations

import gzip
import os
import tempfile
import urllib.request
from pathlib import Path

import pytest

from bench.site import SiteServer, build, free_port


def _get(url: str, accept_gzip: bool) -> tuple[str | None, bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if accept_gzip else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.headers.get("Content-Encoding"), response.read()


@pytest.mark.parametrize("kind", ["python", "default"])
def test_pages_are_served_gzipped_to_clients_that_accept_it(kind: str) -> None:
    """The Python server, and the one SiteServer picks on this machine (nginx when installed)."""
    with tempfile.TemporaryDirectory(prefix="bench-site-") as cache:
        os.chmod(cache, 0o755)  # nginx's workers read the files as another user
        _check_served(Path(cache), kind)


def _check_served(cache: Path, kind: str) -> None:
    port = free_port()
    folder = build(12, port, cache=cache)
    article = next(folder.glob("*/*/*/*/story-*.html"))
    paths = ["/", "/robots.txt", "/" + article.relative_to(folder).as_posix()]
    server = SiteServer(folder, port, "gzip")
    server.kind = server.kind if kind == "default" else kind
    with server:
        for path in paths:
            on_disk = (folder / path.lstrip("/") if path != "/" else folder / "index.html").read_bytes()
            encoding, body = _get(server.base + path, accept_gzip=True)
            assert encoding == "gzip" and gzip.decompress(body) == on_disk, path
            assert _get(server.base + path, accept_gzip=False) == (None, on_disk), path
    plain = SiteServer(folder, port)
    plain.kind = server.kind
    with plain:
        assert _get(plain.base + paths[-1], accept_gzip=True) == (None, article.read_bytes())


def test_unknown_compression_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="compression"):
        SiteServer(tmp_path, free_port(), "br")
