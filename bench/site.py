"""A deterministic synthetic news site for throughput benchmarks, and a fast server for it.

    python -m bench.site --pages 5000 --serve        # generate (cached) and serve until Ctrl-C

N article pages of 40–120 KB in three layouts (semantic <article> with JSON-LD; class-named
<div>s with OpenGraph only; a JSON-LD @graph page with its body in the markup), like the
pages of real news sites: a big navigation menu, inline scripts and state blobs, a lead
figure, subheadings, inline links, related-article lists, tags, a comment count, a footer.
Around them: a homepage, one page and one RSS feed per section, robots.txt pointing at a
sitemap index of sitemaps of up to 10,000 URLs each. Page i is the same on every machine
(seeded by i), so runs compare.

The files are written once to a cache folder and served by nginx from Debian when it is
installed (``apt-get install nginx-light``), else by a multi-process Python server (one
process per core, SO_REUSEPORT): either way the server is not what limits the crawl.
``--compression gzip`` serves them gzip-compressed, as news sites and their CDNs do, from
files compressed once beside them (nginx's gzip_static): the server spends no CPU on it.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

VERSION = 1  # bump when pages change: cached sites are regenerated
SECTIONS = ("world", "politics", "business", "technology", "science", "health", "sport", "culture", "opinion", "climate", "education", "travel")
LAYOUTS = ("semantic", "divs", "graph")
SITEMAP_SIZE = 10_000
EPOCH = datetime(2026, 10, 1, 6, 0, tzinfo=timezone.utc)
_WORDS = (
    "the of and to in a is that for on with as was at by from his her said it be are have an not they this "
    "government minister report council market company year people city police court election policy health "
    "school study research climate energy water price rates bank growth workers union strike hospital data "
    "officials according statement spokesperson week month tuesday wednesday thursday friday announced "
    "plans project funding budget billion million percent increase decline record local national regional "
    "international agreement talks support opposition leader party vote campaign community residents team "
    "season match coach players league final results scientists university evidence analysis experts warned"
).split()
_NAMES = ("Ana Ruiz", "Tom Becker", "Mira Shah", "John Okafor", "Lena Vogel", "Sam Carter", "Priya Nair", "Olle Berg", "Chen Wei", "Maria Rossi")


@dataclass(frozen=True)
class Page:
    index: int
    section: str
    layout: str
    published: datetime

    @property
    def path(self) -> str:
        return f"/{self.section}/{self.published:%Y/%m/%d}/story-{self.index:06d}.html"


def page_meta(index: int) -> Page:
    rng = random.Random(index)
    published = EPOCH + timedelta(minutes=index * 7 + rng.randrange(7))
    return Page(index, SECTIONS[index % len(SECTIONS)], LAYOUTS[rng.randrange(len(LAYOUTS))], published)


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(_WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random, site: str, n_pages: int) -> str:
    parts = [_sentence(rng, rng.randint(8, 24)) for _ in range(rng.randint(2, 5))]
    if rng.random() < 0.3:
        other = page_meta(rng.randrange(n_pages))
        parts.insert(1, f'See <a href="{site}{other.path}">{html.escape(_sentence(rng, 5))}</a>')
    return " ".join(parts)


def _menu(site: str) -> str:
    links = "".join(
        f'<li class="menu-item"><a href="{site}/{s}/">{s.title()}</a><ul class="sub-menu">'
        + "".join(f'<li><a href="{site}/{s}/topic-{k}/">{s.title()} topic {k}</a></li>' for k in range(8))
        + "</ul></li>"
        for s in SECTIONS
    )
    return f'<nav class="site-nav" role="navigation"><ul class="menu">{links}</ul></nav>'


def _footer(site: str) -> str:
    cols = "".join(
        f'<div class="footer-col"><h4>{s.title()}</h4><ul>' + "".join(f'<li><a href="{site}/{s}/more-{k}/">More {s} {k}</a></li>' for k in range(6)) + "</ul></div>"
        for s in SECTIONS
    )
    return f'<footer class="site-footer">{cols}<p class="copyright">© 2026 Bench Gazette</p></footer>'


def _script_blob(rng: random.Random, size: int) -> str:
    """Inline state as real pages carry it (hydration data, analytics config)."""
    state = {"props": {"items": [{"id": rng.randrange(10**9), "t": _sentence(rng, 6), "k": rng.choice(_WORDS)} for _ in range(max(1, size // 80))]}}
    return f'<script id="__STATE__" type="application/json">{json.dumps(state)}</script>'


def article_html(index: int, site: str, n_pages: int) -> str:
    meta = page_meta(index)
    rng = random.Random(index * 7919 + 1)
    headline = _sentence(rng, rng.randint(6, 12))[:-1]
    standfirst = _sentence(rng, rng.randint(18, 30))
    authors = rng.sample(_NAMES, rng.choice((1, 1, 2)))
    tags = sorted({rng.choice(_WORDS[40:]) for _ in range(rng.randint(2, 6))})
    target = rng.randint(40_000, 120_000)
    blocks: list[str] = []
    for k in range(rng.randint(8, 30)):
        if k and k % 6 == 0:
            blocks.append(f"<h2>{html.escape(_sentence(rng, 5)[:-1])}</h2>")
        blocks.append(f"<p>{_paragraph(rng, site, n_pages)}</p>")
    related = "".join(
        f'<li><a href="{site}{page_meta(j).path}">{html.escape(_sentence(random.Random(j), 8)[:-1])}</a></li>'
        for j in rng.sample(range(n_pages), min(6, n_pages))
    )
    image = f"{site}/img/{index:06d}.jpg"
    figure = (
        f'<figure class="lead"><img src="{image}" alt="{html.escape(headline)}" width="1200" height="675">'
        f'<figcaption>{html.escape(_sentence(rng, 10))} <span class="credit">Photo: {rng.choice(_NAMES)}</span></figcaption></figure>'
    )
    iso = meta.published.isoformat()
    byline = ", ".join(f'<a rel="author" href="{site}/authors/{a.lower().replace(" ", "-")}/">{a}</a>' for a in authors)
    tag_list = "".join(f'<li><a href="{site}/tags/{t}/">{t}</a></li>' for t in tags)
    comments = rng.randrange(0, 400)
    body = "\n".join(blocks)
    ld = {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": headline, "datePublished": iso,
        "author": [{"@type": "Person", "name": a} for a in authors], "keywords": tags, "articleSection": meta.section.title(),
        "image": {"@type": "ImageObject", "url": image}, "publisher": {"@type": "Organization", "name": "Bench Gazette"},
        "commentCount": comments,
    }
    if meta.layout == "graph":
        ld = {"@context": "https://schema.org", "@graph": [
            {"@type": "WebSite", "name": "Bench Gazette", "url": site + "/"},
            {"@type": "BreadcrumbList", "itemListElement": [
                {"@type": "ListItem", "position": 1, "name": "Home", "item": site + "/"},
                {"@type": "ListItem", "position": 2, "name": meta.section.title(), "item": f"{site}/{meta.section}/"}]},
            {k: v for k, v in ld.items() if k != "@context"},
        ]}
    head = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(headline)} | Bench Gazette</title>'
        f'<meta name="viewport" content="width=device-width"><link rel="canonical" href="{site}{meta.path}">'
        f'<meta property="og:title" content="{html.escape(headline)}"><meta property="og:site_name" content="Bench Gazette">'
        f'<meta property="og:image" content="{image}"><meta property="og:description" content="{html.escape(standfirst)}">'
        f'<meta property="article:published_time" content="{iso}"><meta property="article:section" content="{meta.section.title()}">'
        + "".join(f'<meta property="article:tag" content="{t}">' for t in tags)
        + '<style>' + "".join(f".c{k}{{margin:{k}px;padding:{k % 7}px}}" for k in range(300)) + '</style>'
        + (f'<script type="application/ld+json">{json.dumps(ld)}</script>' if meta.layout != "divs" else "")
        + "</head>"
    )
    crumbs = f'<ol class="breadcrumb"><li><a href="{site}/">Home</a></li><li><a href="{site}/{meta.section}/">{meta.section.title()}</a></li></ol>'
    if meta.layout == "divs":
        main = (
            f'<div class="page"><div class="container">{crumbs}<div class="story">'
            f'<h1 class="story-title">{html.escape(headline)}</h1><div class="story-summary">{html.escape(standfirst)}</div>'
            f'<div class="byline">By {byline} <span class="date">{meta.published:%d %B %Y, %H:%M}</span></div>{figure}'
            f'<div class="story-body">{body}</div><div class="tags"><ul>{tag_list}</ul></div>'
            f'<div class="comments-link">{comments} comments</div></div>'
            f'<div class="sidebar"><div class="related"><h3>Most read</h3><ul>{related}</ul></div></div></div></div>'
        )
    else:
        main = (
            f'<main id="main">{crumbs}<article class="article">'
            f'<header><h1>{html.escape(headline)}</h1><p class="standfirst">{html.escape(standfirst)}</p>'
            f'<p class="byline">By {byline} <time datetime="{iso}">{meta.published:%d %B %Y}</time></p></header>{figure}'
            f'<div class="article-body">{body}</div><ul class="tags">{tag_list}</ul>'
            f'<a class="comment-count" href="#comments">{comments} Comments</a></article>'
            f'<aside class="related"><h3>Related</h3><ul>{related}</ul></aside></main>'
        )
    page = head + f"<body><header class=\"masthead\"><a href=\"{site}/\">Bench Gazette</a>{_menu(site)}</header>{main}{_footer(site)}"
    pad = target - len(page) - 200
    if pad > 0:
        page += _script_blob(rng, pad)
    return page + '<script>window.dataLayer=window.dataLayer||[];</script></body></html>'


def _listing(site: str, title: str, pages: list[Page]) -> str:
    items = "".join(f'<li><a href="{site}{p.path}">Story {p.index}: {html.escape(_sentence(random.Random(p.index), 8)[:-1])}</a></li>' for p in pages)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)} | Bench Gazette</title></head>'
        f"<body><header>{_menu(site)}</header><main><h1>{html.escape(title)}</h1><ul class=\"teasers\">{items}</ul></main>{_footer(site)}</body></html>"
    )


def _rss(site: str, section: str, pages: list[Page]) -> str:
    items = "".join(
        f"<item><title>Story {p.index}</title><link>{site}{p.path}</link><pubDate>{p.published:%a, %d %b %Y %H:%M:%S} +0000</pubDate></item>"
        for p in pages
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{section}</title><link>{site}/{section}/</link>{items}</channel></rss>'


def site_files(n_pages: int, site: str) -> Iterator[tuple[str, str]]:
    """(path, content) of every file of the site."""
    metas = [page_meta(i) for i in range(n_pages)]
    newest = sorted(metas, key=lambda p: p.published, reverse=True)
    yield "/robots.txt", f"User-agent: *\nAllow: /\nSitemap: {site}/sitemap_index.xml\n"
    yield "/index.html", _listing(site, "Bench Gazette", newest[:60])
    for section in SECTIONS:
        own = [p for p in newest if p.section == section]
        yield f"/{section}/index.html", _listing(site, section.title(), own[:40])
        yield f"/feeds/{section}.xml", _rss(site, section, own[:20])
    chunks = [metas[i : i + SITEMAP_SIZE] for i in range(0, n_pages, SITEMAP_SIZE)]
    index = "".join(f"<sitemap><loc>{site}/sitemaps/sitemap-{k:04d}.xml</loc></sitemap>" for k in range(len(chunks)))
    yield "/sitemap_index.xml", f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{index}</sitemapindex>'
    for k, chunk in enumerate(chunks):
        urls = "".join(f"<url><loc>{site}{p.path}</loc><lastmod>{p.published.isoformat()}</lastmod></url>" for p in chunk)
        yield f"/sitemaps/sitemap-{k:04d}.xml", f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    for meta in metas:
        yield meta.path, article_html(meta.index, site, n_pages)


CACHE = Path(tempfile.gettempdir()) / "newscrawl-bench-sites"


def build(n_pages: int, port: int, cache: Path | None = None) -> Path:
    """The site's files for this size and port (URLs are absolute), generated once; a site
    of the same size built for another port is replaced (50,000 pages are 4 GB)."""
    cache = cache or CACHE
    folder = cache / f"v{VERSION}-{n_pages}-{port}"
    if (folder / ".complete").exists():
        return folder
    for stale in [folder, *cache.glob(f"v*-{n_pages}-*")]:
        if stale.exists():
            shutil.rmtree(stale)
    site = f"http://127.0.0.1:{port}"
    for path, content in site_files(n_pages, site):
        target = folder / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    (folder / ".complete").write_text(datetime.now(timezone.utc).isoformat())
    return folder


COMPRESSIONS = ("none", "gzip")
_COMPRESSED_SUFFIXES = frozenset({".html", ".xml", ".txt"})


def precompress(folder: Path) -> None:
    """``<file>.gz`` beside every page, feed and sitemap (level 6, as nginx and CDNs compress),
    once per built site."""
    marker = folder / ".gzip-complete"
    if marker.exists():
        return
    for path in sorted(folder.rglob("*")):
        if path.suffix in _COMPRESSED_SUFFIXES and path.is_file():
            path.with_name(path.name + ".gz").write_bytes(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))
    marker.write_text(datetime.now(timezone.utc).isoformat())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def site_port(n_pages: int, cache: Path | None = None) -> int:
    """The port of an already built site of this size when that port is free (no rebuild),
    else a free port."""
    for folder in sorted((cache or CACHE).glob(f"v{VERSION}-{n_pages}-*")):
        port = int(folder.name.rsplit("-", 1)[1])
        if (folder / ".complete").exists():
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", port))
                except OSError:
                    continue
            return port
    return free_port()


class SiteServer:
    """nginx (when installed) or a multi-process Python server for ``folder`` on 127.0.0.1."""

    def __init__(self, folder: Path, port: int, compression: str = "none") -> None:
        if compression not in COMPRESSIONS:
            raise ValueError(f"compression must be one of {COMPRESSIONS}, not {compression!r}")
        if compression == "gzip":
            precompress(folder)
        self.folder, self.port, self.compression = folder, port, compression
        self.base = f"http://127.0.0.1:{port}"
        self.kind = "nginx" if shutil.which("nginx") or Path("/usr/sbin/nginx").exists() else "python"
        self._procs: list[subprocess.Popen] = []
        self._workdir = Path(tempfile.mkdtemp(prefix="bench-server-"))

    def __enter__(self) -> SiteServer:
        if self.kind == "nginx":
            conf = self._workdir / "nginx.conf"
            conf.write_text(f"""
daemon off; worker_processes 1; pid {self._workdir}/nginx.pid; error_log {self._workdir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  include /etc/nginx/mime.types; default_type application/octet-stream; charset utf-8; charset_types text/xml application/xml;
  access_log off; sendfile on; tcp_nopush on; keepalive_requests 100000;
  client_body_temp_path {self._workdir}/body; proxy_temp_path {self._workdir}/proxy; fastcgi_temp_path {self._workdir}/fcgi;
  uwsgi_temp_path {self._workdir}/uwsgi; scgi_temp_path {self._workdir}/scgi;
  {"gzip_static on; gzip_vary on;" if self.compression == "gzip" else ""}
  server {{ listen 127.0.0.1:{self.port}; root {self.folder}; index index.html; }}
}}
""")
            binary = shutil.which("nginx") or "/usr/sbin/nginx"
            self._procs.append(subprocess.Popen([binary, "-c", str(conf), "-p", str(self._workdir)], stderr=subprocess.DEVNULL))
        else:
            for _ in range(os.cpu_count() or 1):
                self._procs.append(subprocess.Popen(
                    [sys.executable, "-m", "bench.site", "--serve-folder", str(self.folder), "--port", str(self.port),
                     "--compression", self.compression],
                    cwd=Path(__file__).resolve().parent.parent,
                ))
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"{self.kind} did not start on port {self.port}")

    def __exit__(self, *exc: object) -> None:
        for proc in self._procs:
            proc.send_signal(signal.SIGTERM)
        for proc in self._procs:
            proc.wait(timeout=20)
        shutil.rmtree(self._workdir, ignore_errors=True)


def _serve_folder(folder: Path, port: int, compression: str = "none") -> None:
    """One process of the Python fallback server (several share the port)."""
    import functools
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Handler(SimpleHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".html": "text/html; charset=utf-8", ".xml": "application/xml; charset=utf-8", ".txt": "text/plain; charset=utf-8"}

        def log_message(self, format: str, *args: object) -> None:
            pass

        def send_head(self):  # type: ignore[no-untyped-def]
            """The precompressed file, as nginx's gzip_static serves it, when gzip is accepted."""
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                path = path / "index.html"
            packed = path.with_name(path.name + ".gz")
            if compression != "gzip" or "gzip" not in self.headers.get("Accept-Encoding", "") or not packed.is_file():
                return super().send_head()
            body = open(packed, "rb")  # noqa: SIM115 (copyfile reads it, end_headers' caller closes it)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
            self.send_header("Content-Length", str(packed.stat().st_size))
            self.end_headers()
            return body

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def server_bind(self) -> None:
            self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            super().server_bind()

    with Server(("127.0.0.1", port), functools.partial(Handler, directory=str(folder))) as server:
        signal.signal(signal.SIGTERM, lambda *a: (_ for _ in ()).throw(KeyboardInterrupt()))
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--serve", action="store_true", help="serve until Ctrl-C")
    parser.add_argument("--compression", choices=COMPRESSIONS, default="none", help="gzip: serve precompressed, as real sites do")
    parser.add_argument("--serve-folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_folder:
        _serve_folder(args.serve_folder, args.port, args.compression)
        return 0
    port = args.port or site_port(args.pages)
    started = time.perf_counter()
    folder = build(args.pages, port)
    sizes = [p.stat().st_size for p in folder.glob("*/*/*/*/story-*.html")]
    print(f"{len(sizes)} article pages in {folder} ({time.perf_counter() - started:.1f} s), "
          f"{min(sizes) // 1024}-{max(sizes) // 1024} KB, mean {sum(sizes) // len(sizes) // 1024} KB")
    if args.serve:
        # SIGTERM (kill, pkill) ends the server like Ctrl-C: nginx is stopped, not orphaned
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        with SiteServer(folder, port, args.compression) as server:
            print(f"serving {server.base}/ with {server.kind} ({args.compression}); Ctrl-C or SIGTERM stops")
            try:
                signal.pause()
            except KeyboardInterrupt:
                pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
