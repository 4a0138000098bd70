"""Renders the demo site: three article page styles, section, tag and author pages, homepage,
sitemap index + sitemap, RSS feed, robots.txt. Pure functions of the content and a base URL."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from html import escape
from xml.sax.saxutils import escape as xml_escape

from tests.site.content import DemoArticle, all_articles

SITE_NAMES = {"classic": "Demo Sur", "jsonld": "The Daily Demo", "meta": "Demo Wire"}
PAGE_SIZE = 6
MOSCOW = timezone(timedelta(hours=3))


@dataclass
class Page:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)
    gzip: bool = False
    chunked: bool = False
    truncate_at: int | None = None
    """Send only this many body bytes, then close the connection (a lost download)."""


def e(text: str) -> str:
    return escape(text, quote=True)


def article_path(article: DemoArticle) -> str:
    if article.style == "classic":
        return f"/{article.section[0].lower()}/{article.section_slug}/{article.slug}.html"
    if article.style == "jsonld":
        return f"/{article.published:%Y/%m/%d}/{article.slug}/"
    return f"/stories/{article.slug}"


def section_path(section: tuple[str, str]) -> str:
    return f"/{section[0].lower()}/{section[1].lower().replace(' ', '-')}/"


def top_path(top: str) -> str:
    return f"/{top.lower()}/"


def tag_path(tag: str) -> str:
    return f"/tag/{tag.lower().replace(' ', '-')}/"


def author_path(slug: str) -> str:
    return f"/author/{slug}/"


def image_url(base: str, article: DemoArticle) -> str:
    return f"{base}/img/{article.image_name}"


def _chrome(title: str, head: str, body: str) -> bytes:
    sections = "".join(
        f'<li><a href="{section_path(s)}">{e(s[1])}</a></li>' for s in _sections()
    )
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{e(title)}</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="alternate" type="application/rss+xml" title="Latest" href="/feed.xml">'
        f"{head}</head><body>"
        '<header class="site-header"><ul class="live-menu"><li>Live<ul><li>Audio Only</li></ul></li></ul>'
        '<ul class="social-share"><li><a href="https://plus.google.com/">google plus</a></li>'
        '<li><a href="https://www.facebook.com/">facebook</a></li><li><a href="https://twitter.com/">twitter</a></li></ul>'
        f'<nav class="main-menu"><ul><li><a href="/">Home</a></li>{sections}</ul></nav></header>'
        f"{body}"
        '<footer class="site-footer"><p><a href="/about.html">About us</a> · <a href="/private/staff.html">Staff area</a></p>'
        "<p>© 2022 Demo News Group. All rights reserved.</p></footer></body></html>"
    ).encode("utf-8")


def _sections() -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []
    for article in all_articles():
        if article.section not in seen:
            seen.append(article.section)
    return seen


def _body_with_related(article: DemoArticle, base: str, related_html: str, sub_html: str) -> str:
    parts = []
    for i, text in enumerate(article.paragraphs):
        parts.append(f"<p>{e(text)}</p>")
        if article.related and i + 1 == article.related_after:
            parts.append(related_html)
        if article.subheading and i + 1 == 3:
            parts.append(sub_html)
    return "\n".join(parts)


def related_url(base: str, article: DemoArticle) -> str | None:
    if not article.related:
        return None
    target = next(a for a in all_articles() if a.slug == article.related[1])
    return base + article_path(target)


# --- style 1: modelled on the example page ---------------------------------------------------


def render_classic(article: DemoArticle, base: str) -> bytes:
    top, sub = article.section
    related = ""
    if article.related:
        related = (
            f'<div class="related-article"><a href="{e(related_url(base, article) or "")}">'
            f"{e(article.related[0])}</a></div>"
        )
    byline = ""
    if article.authors:
        byline = f'<p class="byline">By {e(" and ".join(a.name for a in article.authors))}</p>'
    comments = "Post with no comments." if article.comment_count == 0 else f"{article.comment_count} comments"
    tags = " ".join(f'<a href="{tag_path(t)}">{e(t)}</a>' for t in article.tags)
    body = (
        f'<div class="breadcrumb"><a href="{top_path(top)}">{e(top)}</a> &gt; '
        f'<a href="{section_path(article.section)}">{e(sub)}</a></div>'
        '<div class="detail">'
        f'<h1 class="title">{e(article.headline)}</h1>'
        '<div class="featured-image"><ul class="slides"><li>'
        f'<figure><img src="/img/{article.image_name}" alt="{e(article.caption)}">'
        f"<figcaption>{e(article.caption)} | {e(article.credit)}</figcaption></figure></li></ul></div>"
        f'<div class="date">Published {article.published.day} {article.published:%B %Y}</div>'
        f"{byline}"
        f'<div class="summary">{e(article.standfirst)}</div>'
        f'<div class="article-body">{_body_with_related(article, base, related, "")}</div>'
        f'<div class="tags">{tags}</div>'
        f'<div class="comments"><p>{comments}</p></div>'
        "</div>"
    )
    head = (
        f'<meta name="description" content="{e(article.standfirst)}">'
        f'<meta property="og:title" content="{e(article.headline)}">'
        f'<meta property="og:image" content="{image_url(base, article)}">'
        f'<meta property="og:site_name" content="{SITE_NAMES["classic"]}">'
    )
    return _chrome(f"{article.headline} | {SITE_NAMES['classic']}", head, body)


# --- style 2: rich JSON-LD -------------------------------------------------------------------


def jsonld_of(article: DemoArticle, base: str) -> dict:
    url = base + article_path(article)
    top, sub = article.section
    node = {
        "@type": "NewsArticle",
        "@id": url + "#article",
        "mainEntityOfPage": url,
        "headline": article.headline,
        "description": article.standfirst,
        "datePublished": article.published.astimezone(MOSCOW).isoformat(),
        "author": [{"@type": "Person", "name": a.name, "url": base + author_path(a.slug)} for a in article.authors],
        "image": {"@type": "ImageObject", "url": image_url(base, article), "caption": article.caption},
        "articleSection": sub,
        "keywords": list(article.tags),
        "publisher": {"@type": "Organization", "name": SITE_NAMES["jsonld"]},
        "commentCount": article.comment_count,
        "isAccessibleForFree": True,
        "inLanguage": "en-GB",
    }
    if article.modified:
        node["dateModified"] = article.modified.isoformat().replace("+00:00", "Z")
    crumbs = {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": top, "item": base + top_path(top)},
            {"@type": "ListItem", "position": 2, "name": sub, "item": base + section_path(article.section)},
        ],
    }
    return {"@context": "https://schema.org", "@graph": [node, crumbs]}


def render_jsonld(article: DemoArticle, base: str) -> bytes:
    top, sub = article.section
    url = base + article_path(article)
    related = ""
    if article.related:
        related = (
            '<aside class="related-stories"><h3>Read more</h3><ul>'
            f'<li><a href="{e(related_url(base, article) or "")}">{e(article.related[0])}</a></li></ul></aside>'
        )
    authors = " and ".join(f'<a rel="author" href="{author_path(a.slug)}">{e(a.name)}</a>' for a in article.authors)
    tags = "".join(f'<li><a href="{tag_path(t)}">{e(t)}</a></li>' for t in article.tags)
    sub_html = f"<h2>{e(article.subheading)}</h2>" if article.subheading else ""
    body = (
        f'<nav aria-label="Breadcrumb"><ol><li><a href="{top_path(top)}">{e(top)}</a></li>'
        f'<li><a href="{section_path(article.section)}">{e(sub)}</a></li></ol></nav>'
        "<main><article>"
        f"<header><h1>{e(article.headline)}</h1>"
        f'<p class="article-standfirst">{e(article.standfirst)}</p>'
        f'<div class="article-meta"><span class="byline">By {authors}</span> '
        f'<time datetime="{article.published.isoformat()}">{article.published.day} {article.published:%B %Y, %H:%M} GMT</time></div></header>'
        f'<figure class="lead"><img src="/img/{article.image_name}" alt="{e(article.headline)}">'
        f'<figcaption><span class="caption-text">{e(article.caption)}</span> <span class="credit">{e(article.credit)}</span></figcaption></figure>'
        f'<div class="article-body">{_body_with_related(article, base, related, sub_html)}</div>'
        f'<ul class="article-tags">{tags}</ul>'
        f'<a class="comment-count" href="#comments">{article.comment_count} comments</a>'
        "</article></main>"
    )
    head = (
        f'<link rel="canonical" href="{url}">'
        '<meta property="og:type" content="article">'
        f'<meta property="og:title" content="{e(article.headline)} – {SITE_NAMES["jsonld"]}">'
        f'<script type="application/ld+json">{json.dumps(jsonld_of(article, base))}</script>'
    )
    return _chrome(f"{article.headline} – {SITE_NAMES['jsonld']}", head, body)


# --- style 3: OpenGraph / meta and microdata only -------------------------------------------


def render_meta(article: DemoArticle, base: str) -> bytes:
    top, sub = article.section
    related = ""
    if article.related:
        related = f'<p>Read more: <a href="{e(related_url(base, article) or "")}">{e(article.related[0])}</a></p>'
    sub_html = f"<h3>{e(article.subheading)}</h3>" if article.subheading else ""
    authors = ", ".join(
        '<span itemprop="author" itemscope itemtype="https://schema.org/Person">'
        f'<span itemprop="name">{e(a.name)}</span></span>'
        for a in article.authors
    )
    iso = article.published.isoformat().replace("+00:00", "Z")
    topics = " ".join(f'<a href="{tag_path(t)}">{e(t)}</a>' for t in article.tags)
    body = (
        '<div class="page" itemscope itemtype="https://schema.org/NewsArticle">'
        f'<ol class="breadcrumbs"><li><a href="{top_path(top)}">{e(top)}</a></li>'
        f'<li><a href="{section_path(article.section)}">{e(sub)}</a></li></ol>'
        f'<h1 itemprop="headline">{e(article.headline)}</h1>'
        f'<p class="dek" itemprop="description">{e(article.standfirst)}</p>'
        f'<div class="byline">By {authors}</div>'
        f'<time itemprop="datePublished" datetime="{iso}">{article.published:%b} {article.published.day}, {article.published.year}</time>'
        '<figure itemprop="image" itemscope itemtype="https://schema.org/ImageObject">'
        f'<img itemprop="url" src="/img/{article.image_name}" alt="">'
        f'<figcaption itemprop="caption">{e(article.caption)} ({e(article.credit)})</figcaption></figure>'
        f'<div itemprop="articleBody">{_body_with_related(article, base, related, sub_html)}</div>'
        f'<div class="topics">Topics: {topics}</div>'
        f'<meta itemprop="commentCount" content="{article.comment_count}">'
        "</div>"
    )
    metas = [
        ("og:type", "article"),
        ("og:title", article.headline),
        ("og:description", article.standfirst),
        ("og:image", image_url(base, article)),
        ("og:site_name", SITE_NAMES["meta"]),
        ("og:url", base + article_path(article)),
        ("article:published_time", iso),
        ("article:section", sub),
        *(("article:tag", t) for t in article.tags),
    ]
    head = "".join(f'<meta property="{k}" content="{e(v)}">' for k, v in metas)
    head += "".join(f'<meta name="author" content="{e(a.name)}">' for a in article.authors)
    return _chrome(f"{article.headline} - {SITE_NAMES['meta']}", head, body)


RENDERERS = {"classic": render_classic, "jsonld": render_jsonld, "meta": render_meta}


def render_article(article: DemoArticle, base: str) -> bytes:
    return RENDERERS[article.style](article, base)


# --- listings and discovery documents --------------------------------------------------------


def _teasers(articles: list[DemoArticle]) -> str:
    return "".join(
        f'<li class="teaser"><a href="{article_path(a)}">{e(a.headline)}</a><p>{e(a.standfirst[:90])}…</p></li>'
        for a in articles
    )


def render_listing(title: str, articles: list[DemoArticle], extra: str = "", pager: str = "") -> bytes:
    body = f'<main class="listing"><h1>{e(title)}</h1><ul class="teasers">{_teasers(articles)}</ul>{pager}{extra}</main>'
    return _chrome(f"{title} | Demo News", '<meta property="og:type" content="website">', body)


def paged(articles: list[DemoArticle], path: str, page: int) -> tuple[list[DemoArticle], str]:
    chunk = articles[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    pager = ""
    if page * PAGE_SIZE < len(articles):
        pager = f'<a class="next" rel="next" href="{path}?page={page + 1}">Older stories</a>'
    return chunk, pager


def render_home(articles: list[DemoArticle]) -> bytes:
    latest = sorted(articles, key=lambda a: a.published, reverse=True)[:8]
    archive = articles[-1]
    extra = (
        f'<p class="archive">From the archive: <a href="/old/{archive.slug}">{e(archive.headline)}</a></p>'
        '<p class="broken">Also: <a href="/news/missing-story.html">A story that was removed</a>, '
        '<a href="/chain/start">an old link that moved twice</a>, <a href="/broken.html">a page that fails</a>, '
        '<a href="/truncated.html">a download that breaks off</a></p>'
    )
    return render_listing("Latest news", latest, extra)


def render_robots(base: str, crawl_delay: float | None = None) -> bytes:
    delay = f"Crawl-delay: {crawl_delay}\n" if crawl_delay else ""
    return f"User-agent: *\nDisallow: /private/\n{delay}\nSitemap: {base}/sitemap.xml\n".encode()


def render_sitemap_index(base: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{base}/sitemap-articles.xml</loc></sitemap>"
        f"<sitemap><loc>{base}/sitemap-news.xml</loc></sitemap></sitemapindex>"
    ).encode()


NEWS_SITEMAP_ENTRIES = 10
NEWS_SITEMAP_STEP = timedelta(hours=12)


def news_sitemap_articles(articles: list[DemoArticle]) -> list[DemoArticle]:
    return sorted(articles, key=lambda a: a.published, reverse=True)[:NEWS_SITEMAP_ENTRIES]


def render_news_sitemap(base: str, articles: list[DemoArticle], now: datetime) -> bytes:
    """A Google News sitemap; publication dates are relative to ``now`` (12 h apart), so a
    crawl's max-age window selects a known number of entries."""
    urls = "".join(
        f"<url><loc>{xml_escape(base + article_path(a))}</loc><news:news><news:publication>"
        "<news:name>Demo News</news:name><news:language>en</news:language></news:publication>"
        f"<news:publication_date>{(now - i * NEWS_SITEMAP_STEP).isoformat()}</news:publication_date>"
        f"<news:title>{xml_escape(a.headline)}</news:title><news:keywords>{xml_escape(', '.join(a.tags))}</news:keywords>"
        "</news:news></url>"
        for i, a in enumerate(news_sitemap_articles(articles))
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>'
    ).encode()


def render_atom(base: str, articles: list[DemoArticle]) -> bytes:
    entries = "".join(
        f"<entry><title>{xml_escape(a.headline)}</title><link rel=\"alternate\" href=\"{xml_escape(base + article_path(a))}\"/>"
        f"<id>{xml_escape(base + article_path(a))}</id><published>{a.published.isoformat()}</published></entry>"
        for a in sorted(articles, key=lambda a: a.published, reverse=True)[:10]
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>Demo News</title>'
        f"<id>{base}/</id>{entries}</feed>"
    ).encode()


def render_feed_links_page() -> bytes:
    """A page whose only way on is an autodiscoverable Atom feed."""
    head = '<link rel="alternate" type="application/atom+xml" title="Atom" href="/atom.xml">'
    return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Feeds</title>" + head + "</head><body><p>Subscribe.</p></body></html>").encode()


def render_sitemap(base: str, articles: list[DemoArticle]) -> bytes:
    urls = "".join(
        f"<url><loc>{xml_escape(base + article_path(a))}</loc><lastmod>{a.published.date().isoformat()}</lastmod></url>"
        for a in articles
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    ).encode()


def render_feed(base: str, articles: list[DemoArticle]) -> bytes:
    latest = sorted(articles, key=lambda a: a.published, reverse=True)[:15]
    items = "".join(
        f"<item><title>{xml_escape(a.headline)}</title><link>{xml_escape(base + article_path(a))}</link>"
        f"<pubDate>{a.published:%a, %d %b %Y %H:%M:%S} GMT</pubDate></item>"
        for a in latest
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Demo News</title>'
        f"<link>{base}/</link><description>Latest stories</description>{items}</channel></rss>"
    ).encode()


def render_about() -> bytes:
    body = '<main><h1>About Demo News</h1><p>Demo News is a small fictional newsroom used to test newscrawl.</p></main>'
    return _chrome("About | Demo News", "", body)
