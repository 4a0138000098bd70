"""Refuse requests to private, loopback and link-local hosts unless ALLOW_PRIVATE_NETWORKS."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.resolver import CachingThreadedResolver
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred
from twisted.internet.error import DNSLookupError

from newscrawl.urls import is_private_host

logger = logging.getLogger(__name__)


class PrivateNetworkGuardMiddleware:
    """Downloader middleware: a crawler fed URLs by strangers must not reach the operator's
    own network (cloud metadata endpoints, admin panels on localhost).

    This checks the URL's host (also for every redirect target, which passes through the
    middleware chain again); PublicOnlyResolver checks the address a hostname resolves to.
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


class PublicOnlyResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, refusing names that resolve to a private, loopback or
    link-local address (a public-looking hostname pointing at 127.0.0.1 or at a cloud
    metadata endpoint), unless ALLOW_PRIVATE_NETWORKS. The refusal is a DNSLookupError,
    so the fetch is recorded in ``captures`` with the reason."""

    allow_private = False

    @classmethod
    def from_crawler(cls, crawler: Crawler, reactor: Any) -> PublicOnlyResolver:
        # Scrapy builds the resolver once per process, from the process' settings
        resolver = super().from_crawler(crawler, reactor)
        resolver.allow_private = crawler.settings.getbool("ALLOW_PRIVATE_NETWORKS")
        return resolver

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:  # noqa: N802 (Twisted API)
        deferred = super().getHostByName(name, timeout)
        if not self.allow_private:
            deferred.addCallback(self._refuse_private, name)
        return deferred

    @staticmethod
    def _refuse_private(address: str, name: str) -> str:
        if is_private_host(address):
            # Twisted reports any resolver failure as "no results"; the reason is logged here
            message = f"{name} resolves to the private address {address}; set -s ALLOW_PRIVATE_NETWORKS=true to crawl it"
            logger.warning("Refused: %s", message)
            raise DNSLookupError(message)
        return address
