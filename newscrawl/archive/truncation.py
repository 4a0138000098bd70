"""Stop over-long downloads but keep what arrived, so the WARC records a truncated capture
(``WARC-Truncated: length``) instead of nothing at all.

Scrapy's DOWNLOAD_MAXSIZE cancels a download and discards its bytes; this extension stops a
body at NEWSCRAWL_MAX_BODY_BYTES with ``StopDownload(fail=False)``, which hands the partial
response on (flagged ``download_stopped``). DOWNLOAD_MAXSIZE stays as the hard cap, and as
the bound on decompressed size (gzip bombs).
"""

from __future__ import annotations

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured, StopDownload

RECEIVED_KEY = "newscrawl_body_bytes"
EXPECTED_KEY = "newscrawl_body_expected"


class BodySizeLimit:
    def __init__(self, crawler: Crawler) -> None:
        self.limit = crawler.settings.getint("NEWSCRAWL_MAX_BODY_BYTES", 0)
        if self.limit <= 0:
            raise NotConfigured("NEWSCRAWL_MAX_BODY_BYTES is 0: no truncation limit")
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BodySizeLimit:
        ext = cls(crawler)
        crawler.signals.connect(ext.headers_received, signal=signals.headers_received)
        crawler.signals.connect(ext.bytes_received, signal=signals.bytes_received)
        return ext

    def headers_received(self, headers: object, body_length: object, request: Request, spider: Spider) -> None:
        if isinstance(body_length, int) and body_length >= 0:
            request.meta[EXPECTED_KEY] = body_length

    def bytes_received(self, data: bytes, request: Request, spider: Spider) -> None:
        received = request.meta.get(RECEIVED_KEY, 0) + len(data)
        request.meta[RECEIVED_KEY] = received
        expected = request.meta.get(EXPECTED_KEY)
        if received > self.limit and (expected is None or received < expected):
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("newscrawl/fetch/truncated/length")
            raise StopDownload(fail=False)
