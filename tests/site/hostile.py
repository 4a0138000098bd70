"""A hostile site on 127.0.0.1: every way a page can be broken, lying or dangerous.

Served by the same real HTTP server as the demo site (its handler consults HOSTILE first).
"""

from __future__ import annotations

import gzip
import socket
import struct
import time
from collections.abc import Callable
from functools import lru_cache
from http.server import BaseHTTPRequestHandler

Responder = Callable[[BaseHTTPRequestHandler], None]


def _send(handler: BaseHTTPRequestHandler, status: int, body: bytes, headers: list[tuple[str, str]]) -> None:
    handler.send_response(status)
    for name, value in headers:
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def _html(text: str) -> bytes:
    return f"<!DOCTYPE html><html><head><title>Hostile</title></head><body>{text}</body></html>".encode()


def lying_type(h: BaseHTTPRequestHandler) -> None:
    _send(h, 200, _html("<h1>Really HTML</h1><p>" + "served as an image " * 30 + "</p>"), [("Content-Type", "image/png")])


def binary(h: BaseHTTPRequestHandler) -> None:
    _send(h, 200, bytes(range(256)) * 64, [("Content-Type", "text/html; charset=utf-8")])


def mixed_charset(h: BaseHTTPRequestHandler) -> None:
    body = "<html><head><meta charset='utf-8'></head><body><h1>Café crème</h1><p>".encode() + "naïve façade Zürich ".encode("cp1252") * 40 + b"</p></body></html>"
    _send(h, 200, body, [("Content-Type", "text/html; charset=utf-8")])


def empty(h: BaseHTTPRequestHandler) -> None:
    _send(h, 200, b"", [("Content-Type", "text/html")])


@lru_cache(maxsize=1)
def _bomb() -> bytes:
    return gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)  # 64 MB of zeros in ~64 KB


def gzip_bomb(h: BaseHTTPRequestHandler) -> None:
    _send(h, 200, _bomb(), [("Content-Type", "text/html"), ("Content-Encoding", "gzip")])


def deep(h: BaseHTTPRequestHandler) -> None:
    _send(h, 200, b"<html><body>" + b"<div>" * 20000 + b"<p>deep</p>" + b"</div>" * 20000 + b"</body></html>", [("Content-Type", "text/html")])


def bad_jsonld(h: BaseHTTPRequestHandler) -> None:
    body = _html('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Broken", </script>'
                 '<h1>Broken JSON-LD</h1><p>' + "Text of the story goes here, long enough to count. " * 20 + "</p>")
    _send(h, 200, body, [("Content-Type", "text/html")])


def absurd_date(h: BaseHTTPRequestHandler) -> None:
    body = _html('<meta property="article:published_time" content="9999-99-99T99:99"><time datetime="0001-01-01">Year 1</time>'
                 "<h1>When?</h1><p>" + "A story from no plausible time at all. " * 20 + "</p>")
    _send(h, 200, body, [("Content-Type", "text/html")])


def slow(h: BaseHTTPRequestHandler) -> None:
    time.sleep(6)  # longer than the test's DOWNLOAD_TIMEOUT
    _send(h, 200, _html("<p>too late</p>"), [("Content-Type", "text/html")])


def reset(h: BaseHTTPRequestHandler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Length", "100000")
    h.end_headers()
    h.wfile.write(b"<html><body><p>" + b"x" * 2000)
    h.wfile.flush()
    h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # RST, not FIN
    h.close_connection = True


def loop_a(h: BaseHTTPRequestHandler) -> None:
    _send(h, 302, b"", [("Location", "/hostile/loop-b")])


def loop_b(h: BaseHTTPRequestHandler) -> None:
    _send(h, 302, b"", [("Location", "/hostile/loop-a")])


def entity_bomb_sitemap(h: BaseHTTPRequestHandler) -> None:
    lol = '<!ENTITY a "lollollollollollollollollollol">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)
    )
    body = (f'<?xml version="1.0"?><!DOCTYPE urlset [{lol}]>'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>/hostile/empty.html&i;</loc></url></urlset>')
    _send(h, 200, body.encode(), [("Content-Type", "application/xml")])


GIANT_BYTES = 50 * 1024 * 1024


def giant(h: BaseHTTPRequestHandler) -> None:
    """A 50 MB article page, written in 1 MB pieces (never whole in the server's memory)."""
    head = b"<!DOCTYPE html><html><head><title>Giant</title></head><body><article><h1>Giant page</h1>"
    paragraph = b"<p>" + b"An endless live blog that nobody ever archived. " * 20 + b"</p>\n"
    piece = paragraph * (1024 * 1024 // len(paragraph))
    h.send_response(200)
    h.send_header("Content-Type", "text/html; charset=utf-8")
    h.send_header("Content-Length", str(GIANT_BYTES))
    h.end_headers()
    try:
        h.wfile.write(head)
        sent = len(head)
        while sent < GIANT_BYTES:
            chunk = piece[: GIANT_BYTES - sent]
            h.wfile.write(chunk)
            sent += len(chunk)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the crawler stopped reading at its limit, as it should


SITEMAP_URLS = 1_000_000


@lru_cache(maxsize=2)
def million_sitemap(host: str) -> bytes:
    """A gzip sitemap of a million URLs (far past the sitemaps.org 50,000), built once."""
    base = f"http://{host}/hostile/listed/".encode()
    return gzip.compress(
        b'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + b"".join(b"<url><loc>%s%d.html</loc></url>" % (base, i) for i in range(SITEMAP_URLS))
        + b"</urlset>",
        compresslevel=6,
    )


def million(h: BaseHTTPRequestHandler) -> None:
    _send(h, 200, million_sitemap(h.headers.get("Host", "127.0.0.1")), [("Content-Type", "application/x-gzip")])


def meta_refresh(h: BaseHTTPRequestHandler) -> None:
    tag = '<META HTTP-EQUIV="Refresh" CONTENT="0; URL=/hostile/refreshed.html">'
    _send(h, 200, _html(tag + "<p>This page has moved.</p>"), [("Content-Type", "text/html; charset=utf-8")])


def refreshed(h: BaseHTTPRequestHandler) -> None:
    _send(h, 200, _html("<h1>Moved here</h1><p>" + "reached by a meta refresh " * 20 + "</p>"), [("Content-Type", "text/html")])


HOSTILE: dict[str, Responder] = {
    "/hostile/lying-type.html": lying_type,
    "/hostile/binary.html": binary,
    "/hostile/mixed-charset.html": mixed_charset,
    "/hostile/empty.html": empty,
    "/hostile/gzip-bomb.html": gzip_bomb,
    "/hostile/deep.html": deep,
    "/hostile/bad-jsonld.html": bad_jsonld,
    "/hostile/absurd-date.html": absurd_date,
    "/hostile/slow.html": slow,
    "/hostile/reset.html": reset,
    "/hostile/loop-a": loop_a,
    "/hostile/loop-b": loop_b,
    "/hostile/bomb-sitemap.xml": entity_bomb_sitemap,
    "/hostile/giant.html": giant,
    "/hostile/million-sitemap.xml.gz": million,
    "/hostile/meta-refresh.html": meta_refresh,
    "/hostile/refreshed.html": refreshed,
}


def index_page() -> bytes:
    # reached by redirect / meta refresh, or crawled on its own
    unlinked = {"/hostile/loop-b", "/hostile/refreshed.html", "/hostile/million-sitemap.xml.gz"}
    links = "".join(f'<li><a href="{path}">{path}</a></li>' for path in HOSTILE if path not in unlinked)
    return _html(f"<h1>Hostile index</h1><ul>{links}</ul>")
