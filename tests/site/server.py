"""The demo news site served over real HTTP on 127.0.0.1 (random free port by default).

Besides pages it serves the awkward parts of the web a crawler must archive faithfully:
gzip- or brotli-encoded responses (brotli first, to clients that accept it, as CDNs do),
chunked transfer encoding, repeated
Set-Cookie headers, a permanent redirect, a 404, and a robots.txt that disallows /private/.
"""

from __future__ import annotations

import gzip
import hashlib

import brotli
import threading
import time
from collections import defaultdict
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from tests.site import pages
from tests.site.hostile import HOSTILE
from tests.site.hostile import index_page as hostile_index
from tests.site.content import DemoArticle, all_articles


LAST_MODIFIED = "Wed, 19 Jan 2022 12:00:00 GMT"


class DemoSite:
    """Route table of every page for one base URL (pages embed absolute URLs)."""

    def __init__(self, base: str, articles: list[DemoArticle] | None = None) -> None:
        self.base = base.rstrip("/")
        self.served: list[str] = []
        """Request targets (path?query) in the order they were asked for."""
        self.served_at: list[tuple[float, str]] = []
        self.crawl_delay: float | None = None
        """Crawl-delay announced in robots.txt (None: no such line)."""
        self.busy_left = 1
        """How many more times /busy.html answers 429 Too Many Requests."""
        self.publish(articles if articles is not None else all_articles())

    def publish(self, articles: list[DemoArticle]) -> None:
        """Replace the site's articles (and every page listing them), as a newsroom would."""
        self.articles = articles
        self.routes: dict[str, pages.Page] = {}
        self._build()

    def article_url(self, article: DemoArticle) -> str:
        return self.base + pages.article_path(article)

    def _build(self) -> None:
        base, arts = self.base, self.articles
        home = pages.Page(pages.render_home(arts), headers=[("Set-Cookie", "session=abc123; Path=/"), ("Set-Cookie", "consent=none; Path=/")])
        self.routes["/"] = home
        self.routes["/robots.txt"] = pages.Page(pages.render_robots(base, self.crawl_delay), "text/plain; charset=utf-8")
        self.routes["/busy.html"] = pages.Page(pages.render_about())
        self.routes["/atom.xml"] = pages.Page(pages.render_atom(base, arts), "application/atom+xml")
        self.routes["/feeds.html"] = pages.Page(pages.render_feed_links_page())
        self.routes["/sitemap.xml"] = pages.Page(pages.render_sitemap_index(base), "application/xml")
        self.routes["/sitemap-articles.xml"] = pages.Page(pages.render_sitemap(base, arts), "application/xml", gzip=True)
        self.routes["/feed.xml"] = pages.Page(pages.render_feed(base, arts), "application/rss+xml; charset=utf-8", chunked=True)
        self.routes["/about.html"] = pages.Page(pages.render_about())
        # awkward exchanges an archive must keep faithfully
        first = pages.article_path(self.articles[0])
        self.routes["/chain/start"] = pages.Page(b"", status=302, headers=[("Location", "/chain/middle")])
        self.routes["/chain/middle"] = pages.Page(b"", status=301, headers=[("Location", first)])
        self.routes["/broken.html"] = pages.Page(pages.render_listing("Internal error", []), status=500)
        self.routes["/truncated.html"] = pages.Page(pages.render_about(), truncate_at=600)
        # not linked: a 300 KB page for size-limit tests
        self.routes["/big.html"] = pages.Page(pages.render_listing("Archive", self.articles * 40))
        self.routes["/private/staff.html"] = pages.Page(pages.render_listing("Staff only", []))
        by_section: dict[tuple[str, str], list[DemoArticle]] = defaultdict(list)
        by_tag: dict[str, list[DemoArticle]] = defaultdict(list)
        by_author: dict[str, list[DemoArticle]] = defaultdict(list)
        for article in arts:
            self.routes[pages.article_path(article)] = pages.Page(
                pages.render_article(article, base),
                gzip=article.style == "jsonld",
                chunked=article.style == "meta",
            )
            self.routes[f"/old/{article.slug}"] = pages.Page(
                b"", status=301, headers=[("Location", pages.article_path(article))]
            )
            by_section[article.section].append(article)
            for tag in article.tags:
                by_tag[tag].append(article)
            for author in article.authors:
                by_author[author.slug].append(article)
        self.sections = by_section
        for top in sorted({s[0] for s in by_section}):
            subs = "".join(
                f'<li><a href="{pages.section_path(s)}">{pages.e(s[1])}</a></li>' for s in by_section if s[0] == top
            )
            self.routes[pages.top_path(top)] = pages.Page(
                pages.render_listing(top, [], extra=f'<ul class="subsections">{subs}</ul>'), gzip=True
            )
        for tag, items in by_tag.items():
            self.routes[pages.tag_path(tag)] = pages.Page(pages.render_listing(f"Tag: {tag}", items))
        for slug, items in by_author.items():
            name = next(a.name for item in items for a in item.authors if a.slug == slug)
            self.routes[pages.author_path(slug)] = pages.Page(pages.render_listing(f"Stories by {name}", items))

    def page(self, path: str, query: str) -> pages.Page | None:
        for section, items in self.sections.items():
            if path == pages.section_path(section):
                page_no = int((parse_qs(query).get("page") or ["1"])[0] or 1)
                chunk, pager = pages.paged(sorted(items, key=lambda a: a.published, reverse=True), path, page_no)
                if not chunk:
                    return None
                broken = '<p><a href="/news/missing-story.html">Removed story</a></p>' if page_no == 1 else ""
                return pages.Page(pages.render_listing(f"{section[1]}", chunk, extra=broken, pager=pager), gzip=True)
        if path == "/sitemap-news.xml":  # dated relative to now, see pages.render_news_sitemap
            return pages.Page(pages.render_news_sitemap(self.base, self.articles, datetime.now(timezone.utc)), "application/xml")
        if path.startswith("/img/"):
            return pages.Page(b"\xff\xd8\xff\xe0demo-jpeg", "image/jpeg")
        return self.routes.get(path)


class DemoHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    site: DemoSite  # set on the server's handler subclass

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        self.site.served.append(self.path)
        self.site.served_at.append((time.monotonic(), self.path))
        hostile = HOSTILE.get(urlsplit(self.path).path)
        if hostile is not None:
            hostile(self)
            return
        if self.path == "/hostile/":
            body = hostile_index()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if self.path.startswith("/busy.html") and self.site.busy_left > 0:  # 429 first, then the page
            self.site.busy_left -= 1
            self.send_response(429)
            self.send_header("Retry-After", "1")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        parts = urlsplit(self.path)
        page = self.site.page(parts.path, parts.query)
        if page is None:
            page = pages.Page(pages.render_listing("Page not found", []), status=404)
        body = page.body
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if page.status == 200 and page.truncate_at is None and self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(page.status)
        if page.status == 200:
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", LAST_MODIFIED)
        self.send_header("Content-Type", page.content_type)
        for name, value in page.headers:
            self.send_header(name, value)
        accepted = {token.split(";")[0].strip() for token in (self.headers.get("Accept-Encoding") or "").split(",")}
        if page.gzip and "br" in accepted:
            body = brotli.compress(body)
            self.send_header("Content-Encoding", "br")
            self.send_header("Vary", "Accept-Encoding")
        elif page.gzip and "gzip" in accepted:
            body = gzip.compress(body, mtime=0)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        if page.truncate_at is not None:  # promise the whole body, send part, hang up
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: page.truncate_at])
            self.wfile.flush()
            self.close_connection = True
            return
        if page.chunked:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(0, len(body), 4096):
                chunk = body[i : i + 4096]
                self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
            return
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # quiet by default
        pass


class DemoServer:
    """A DemoSite on a real socket, run in a background thread."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, articles: list[DemoArticle] | None = None) -> None:
        handler = type("BoundDemoHandler", (DemoHandler,), {})
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True
        self.base = f"http://{host}:{self.httpd.server_address[1]}"
        self.site = DemoSite(self.base, articles)
        handler.site = self.site
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> DemoServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
