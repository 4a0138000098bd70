"""The generic ``news`` spider: discovers and fetches pages, yields raw PageItems.

It finds URLs through robots.txt ``Sitemap:`` lines, sitemaps, feeds (given or autodiscovered)
and links inside the allowed domains. It never parses articles: the parse pipeline extracts
each HTML page, in its worker processes, before the spider hands the page on, and finds the
page's links in that same parse for the spider to follow.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta, timezone
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Headers, Response, TextResponse
from scrapy.responsetypes import responsetypes

from newscrawl.archive.extension import CAPTURE_META_KEY
from newscrawl.archive.lookup import archived_response
from newscrawl.archive.records import sha1_base32
from newscrawl.archive.timing import fetch_started
from newscrawl.captures import (
    DISCOVERY_METHOD_KEY,
    DISCOVERY_SOURCE_KEY,
    capture_from_response,
    parse_content_type,
)
from newscrawl.cpu import charged
from newscrawl.extract.dates import parse_date
from newscrawl.extract.outlinks import PageLinks
from newscrawl.items import Capture, PageItem
from newscrawl.run import OutputPaths, run_identity
from newscrawl.sites import Site, SitesFileError, load_sites, site_from_url
from newscrawl.spiders.discovery import (
    FEED_TYPES,
    feed_entries,
    looks_like_feed,
    looks_like_sitemap,
    robots_sitemaps,
    sitemap_entries,
)
from newscrawl.spiders.links import response_links
from newscrawl.state import state_store
from newscrawl.urls import in_domains, looks_like_article_url, registered_domain

logger = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")
ARTICLE_PRIORITY = 10


def shard_of(site: Site, shards: int) -> int:
    """Stable shard of a site: its first allowed domain's registered domain, hashed, so one
    site (and its per-host politeness) always lives in one process."""
    domain = registered_domain(site.allowed_domains[0] if site.allowed_domains else site.name) or site.name
    return int.from_bytes(hashlib.blake2b(domain.encode("utf-8"), digest_size=8).digest(), "big") % shards


def select_shard(sites: list[Site], shard: str | None, shards: str | None) -> list[Site]:
    """The sites of static shard ``shard`` of ``shards`` (-a shard=i -a shards=N); all
    sites without them."""
    if shard is None and shards is None:
        return sites
    try:
        index, total = int(shard or ""), int(shards or "")
    except ValueError:
        raise SitesFileError("-a shard=<i> -a shards=<N> take whole numbers, e.g. -a shard=0 -a shards=4") from None
    if not 0 <= index < total:
        raise SitesFileError(f"-a shard={index} is outside 0..{total - 1} for -a shards={total}")
    return [site for site in sites if shard_of(site, total) == index]


def discovered(method: str, source: str | None) -> dict[str, Any]:
    return {DISCOVERY_METHOD_KEY: method, DISCOVERY_SOURCE_KEY: source}


class NewsSpider(Spider):
    name = "news"
    # 304s reach the callbacks: an unchanged page is re-read from the archive for its links
    handle_httpstatus_list = [304]

    def __init__(
        self,
        url: str | None = None,
        sites: str | None = None,
        shard: str | None = None,
        shards: str | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if bool(url) == bool(sites):
            raise SitesFileError("give exactly one of -a url=<start URL> or -a sites=<sites.toml>")
        all_sites = [site_from_url(url)] if url else load_sites(sites or "")
        self.sites: list[Site] = select_shard(all_sites, shard, shards)
        self.allowed_domains = sorted({d for s in self.sites for d in s.allowed_domains})
        # hash(url) -> the smallest depth it was linked at: a page's 400 links are mostly the
        # menu every page repeats; a URL already requested at this depth or less is not
        # turned into another Request for the duplicate filter to drop (~8 bytes per URL)
        self._linked: dict[int, int] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.robots_parsed, signal=signals.robots_parsed)
        return spider

    async def start(self) -> AsyncIterator[Request]:
        obey_robots = self.settings.getbool("ROBOTSTXT_OBEY")
        for site in self.sites:
            for url in site.sitemaps:
                yield Request(url, callback=self.parse_sitemap, meta=discovered("start", None))
            for url in site.feeds:
                yield Request(url, callback=self.parse_feed, meta=discovered("start", None))
            for url in site.start_urls:
                if not obey_robots:  # RobotsTxtMiddleware is off: fetch robots.txt for its sitemaps
                    parts = urlsplit(url)
                    yield Request(
                        f"{parts.scheme}://{parts.netloc}/robots.txt",
                        callback=self.parse_robots,
                        meta=discovered("start", None),
                    )
                yield Request(url, callback=self.parse_page, meta=discovered("start", None))

    # -- discovery ----------------------------------------------------------------------------

    def robots_parsed(self, robotparser: Any, request: Request) -> None:
        """RobotsTxtMiddleware fetched and parsed robots.txt: queue its Sitemap: lines."""
        if not self.settings.getbool("NEWSCRAWL_ROBOTS_SITEMAPS", True):
            return
        parser = getattr(robotparser, "rp", None)
        sitemaps = list(getattr(parser, "sitemaps", []) or [])
        robots_url = f"{urlsplit(request.url).scheme}://{urlsplit(request.url).netloc}/robots.txt"
        for url in sitemaps:
            self._queue(Request(url, callback=self.parse_sitemap, meta=discovered("robots", robots_url)))

    def _queue(self, request: Request) -> None:
        if not self._allowed(request.url):
            self.crawler.stats.inc_value("newscrawl/discovery/offsite")
            return
        assert self.crawler.engine is not None
        self.crawler.engine.crawl(request)

    def _unchanged(self, response: Response) -> Response | None:
        """For a 304, the earlier capture's response rebuilt from the WARC (its links, sitemap
        entries or feed items are still to be followed); None when it is not archived."""
        store = state_store(self.crawler)
        known = store.url(response.url) if store else None
        if known is None or not known.warc_filename or known.warc_offset is None or known.warc_length is None:
            self.crawler.stats.inc_value("newscrawl/incremental/304_without_archive")
            return None
        root = OutputPaths.from_settings(self.settings).root
        headers, body = archived_response(root, known.warc_filename, known.warc_offset, known.warc_length)
        headers = [(k, v) for k, v in headers if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")]
        cls = responsetypes.from_args(headers=Headers(headers), url=response.url, body=body)
        self.crawler.stats.inc_value("newscrawl/incremental/replayed_from_archive")
        return cls(url=response.url, status=200, headers=Headers(headers), body=body, request=response.request)

    def parse_robots(self, response: Response) -> Iterator[Request]:
        if not self.settings.getbool("NEWSCRAWL_ROBOTS_SITEMAPS", True):
            return
        for url in robots_sitemaps(response.body):
            if self._allowed(url):
                yield Request(url, callback=self.parse_sitemap, meta=discovered("robots", response.url))

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        if response.status == 304:
            archived = self._unchanged(response)
            if archived is not None:
                yield from self.parse_sitemap(archived)
            return
        count = 0
        depth = response.meta.get("depth", 0) + 1
        limit = self.settings.getint("NEWSCRAWL_SITEMAP_MAX_URLS", 50_000)
        for entry in sitemap_entries(response.body):
            if limit and count >= limit:
                self.crawler.stats.inc_value("newscrawl/discovery/sitemap_capped")
                self.logger.warning(
                    "Sitemap %s lists more than %d article URLs (NEWSCRAWL_SITEMAP_MAX_URLS); the rest is not queued",
                    response.url, limit,
                )
                break
            if not self._allowed(entry.url):
                continue
            if entry.is_sitemap:
                yield Request(entry.url, callback=self.parse_sitemap, meta=discovered("sitemap", response.url))
                continue
            if self._too_old(entry.url, entry.published):
                continue
            count += 1
            if not self._first_link(entry.url, depth):
                continue
            meta = {**discovered("news_sitemap" if entry.news_date else "sitemap", response.url),
                    "discovery_title": entry.news_title, "discovery_date": entry.published}
            yield self._page_request(entry.url, meta)
        self.crawler.stats.inc_value("newscrawl/discovery/sitemap_urls", count)

    def parse_feed(self, response: Response) -> Iterator[Request]:
        if response.status == 304:
            archived = self._unchanged(response)
            if archived is not None:
                yield from self.parse_feed(archived)
            return
        entries = feed_entries(response.body, response.url)
        self.crawler.stats.inc_value("newscrawl/discovery/feed_urls", len(entries))
        depth = response.meta.get("depth", 0) + 1
        for entry in entries:
            if self._allowed(entry.url) and not self._too_old(entry.url, entry.published) and self._first_link(entry.url, depth):
                meta = {**discovered("feed", response.url), "discovery_title": entry.title, "discovery_date": entry.published}
                yield self._page_request(entry.url, meta)

    def site_for(self, url: str) -> Site | None:
        return next((s for s in self.sites if in_domains(url, s.allowed_domains)), None)

    def _allowed(self, url: str) -> bool:
        site = self.site_for(url)
        if site is None:
            return False
        if site.denies(url):
            self.crawler.stats.inc_value("newscrawl/discovery/denied")
            return False
        return True

    def _too_old(self, url: str, published: str | None) -> bool:
        """A sitemap or feed entry published before the site's max_age_days (or
        NEWSCRAWL_MAX_ARTICLE_AGE_DAYS) is skipped without being fetched."""
        site = self.site_for(url)
        max_age = site.max_age_days if site and site.max_age_days is not None else self.settings.getfloat("NEWSCRAWL_MAX_ARTICLE_AGE_DAYS", 0)
        if not max_age or not published:
            return False
        parsed = parse_date(published)
        if parsed is None or datetime.now(timezone.utc) - parsed.value <= timedelta(days=max_age):
            return False
        self.crawler.stats.inc_value("newscrawl/discovery/too_old")
        return True

    def _page_request(self, url: str, meta: dict[str, Any]) -> Request:
        """Article-looking URLs are fetched first: the site's article_allow patterns, or
        without them the generic URL evidence (dates, long slugs, numeric ids)."""
        site = self.site_for(url)
        if site is not None and site.article_allow:
            likely = site.looks_like_article(url)
        else:
            likely = looks_like_article_url(url)
        priority = ARTICLE_PRIORITY if likely else 0
        return Request(url, callback=self.parse_page, meta=meta, priority=priority)

    # -- pages --------------------------------------------------------------------------------

    async def parse_page(self, response: Response) -> AsyncIterator[Any]:
        """An HTML page: its PageItem, extracted by the parse pipeline (in its worker processes)
        before it is handed on, and requests for the links that extraction found in the same
        parse of the page. 304s and pages that are not HTML go to ``_other_page``."""
        if response.status == 304 or not self._is_html(response):
            for output in self._other_page(response):
                yield output
            return
        item = self.page_item(response)
        links = await self._extract(item, link_depth=response.meta.get("depth", 0) + 1)
        yield item
        for request in self.follow_links(response, links):
            yield request

    async def _extract(self, item: PageItem, link_depth: int) -> PageLinks | None:
        """Has the parse pipeline extract the page now, with its links (``link_depth``, theirs
        in the crawl: a worker leaves out the links it reported before at that depth or less,
        which ``_first_link`` would drop); the outcome rides on the item. None (links parsed
        here instead) without the pipeline or when extraction fails."""
        if self._parse_pipeline is None:
            return None
        try:
            item.extracted = await self._parse_pipeline.extract(item, links=True, link_depth=link_depth)
        except Exception as exc:  # ParsePipeline.process_item counts, logs and drops it
            item.extracted = exc
            return None
        return item.extracted.links

    @cached_property
    def _parse_pipeline(self) -> Any:
        """The crawl's ParsePipeline (None when it is switched off), known once the engine runs."""
        from pipelines.parse import ParsePipeline

        return self.crawler.get_item_pipeline(ParsePipeline)

    def _is_html(self, response: Response) -> bool:
        mime, _ = parse_content_type((response.headers.get(b"Content-Type") or b"").decode("latin-1"))
        return mime in HTML_TYPES and isinstance(response, TextResponse)

    @charged("spider")
    def _other_page(self, response: Response) -> Iterator[Request]:
        yield from self._other_page_requests(response)

    def _other_page_requests(self, response: Response) -> Iterator[Request]:
        """A 304 (unchanged: no new page item, but its links still count), or a page that is
        not HTML (perhaps a feed or sitemap)."""
        if response.status == 304:
            archived = self._unchanged(response)
            if isinstance(archived, TextResponse) and self._is_html(archived):
                yield from self._link_requests(archived, None)
            elif archived is not None:
                yield from self._other_page_requests(archived)
            return
        mime, _ = parse_content_type((response.headers.get(b"Content-Type") or b"").decode("latin-1"))
        if looks_like_sitemap(response.body):
            yield from self.parse_sitemap(response)
        elif (mime and mime in FEED_TYPES) or looks_like_feed(response.body):
            yield from self.parse_feed(response)
        else:
            self.crawler.stats.inc_value(f"newscrawl/spider/non_html/{mime or 'unknown'}")

    @charged("spider")
    def follow_links(self, response: TextResponse, links: PageLinks | None = None) -> Iterator[Request]:
        yield from self._link_requests(response, links)

    def _link_requests(self, response: TextResponse, links: PageLinks | None) -> Iterator[Request]:
        """Requests for the page's feeds and for the pages it links to that were not linked
        at this depth or less before; ``links`` as extraction found them, else parsed here."""
        links = links if links is not None else response_links(response)
        for kind, url in links.alternates:
            if kind in FEED_TYPES and self._allowed(url):
                yield Request(url, callback=self.parse_feed, meta=discovered("feed_link", response.url))
        if links.repeated:
            self.crawler.stats.inc_value("newscrawl/discovery/links_repeated", links.repeated)
        depth = response.meta.get("depth", 0) + 1
        for url in links.pages:
            if self._first_link(url, depth) and self._allowed(url):
                yield self._page_request(url, discovered("link", response.url))

    def _first_link(self, url: str, depth: int) -> bool:
        """Whether a page URL is new at this depth: one already requested at this depth or
        less (a menu link on every page, an article of the sitemap linked again) would only
        be dropped by the duplicate filter, a Request built and fingerprinted for nothing."""
        key = hash(url)
        if self._linked.get(key, depth + 1) <= depth:
            return False
        self._linked[key] = depth
        return True

    @charged("spider")
    def page_item(self, response: Response) -> PageItem:
        redirects = response.meta.get("redirect_urls") or []
        return PageItem(
            url=response.url,
            requested_url=redirects[0] if redirects else response.url,
            status=response.status,
            headers={
                k.decode("latin-1").lower(): (v[0] if v else b"").decode("latin-1")
                for k, v in response.headers.items()
            },
            body=response.body,
            capture=self._capture(response),
        )

    def _capture(self, response: Response) -> Capture:
        """The capture the WARC extension recorded, or (WARC off) one built here."""
        capture = response.meta.get(CAPTURE_META_KEY)
        if capture is not None:
            return capture
        return capture_from_response(
            response.request,
            response,
            fetch_time=fetch_started(response.request),
            payload_digest=sha1_base32(response.body),
            truncated=None,
            location=None,
            run=run_identity(self.crawler),
        )
