"""Refuse requests to private, loopback and link-local hosts unless ALLOW_PRIVATE_NETWORKS."""

from __future__ import annotations

import logging

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.httpobj import urlparse_cached

from newscrawl.urls import is_private_host

logger = logging.getLogger(__name__)


class PrivateNetworkGuardMiddleware:
    """Downloader middleware: a crawler fed URLs by strangers must not reach the operator's
    own network (cloud metadata endpoints, admin panels on localhost).

    This checks the URL's host (also for every redirect target, which passes through the
    middleware chain again). Checking the address a hostname *resolves* to is a later step.
    """

    def __init__(self, crawler: Crawler) -> None:
        if crawler.settings.getbool("ALLOW_PRIVATE_NETWORKS"):
            raise NotConfigured("ALLOW_PRIVATE_NETWORKS is on: private addresses may be fetched")
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PrivateNetworkGuardMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        host = urlparse_cached(request).hostname
        if is_private_host(host):
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("newscrawl/netguard/refused")
            logger.warning(
                "Refused %s: %s is a private or loopback address. Set "
                "-s ALLOW_PRIVATE_NETWORKS=true to crawl a local site.",
                request.url,
                host,
            )
            raise IgnoreRequest(f"private network address {host}")
        return None
