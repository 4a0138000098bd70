"""Stamp the moment a download really starts (after slot delays), for WARC-Date."""

from __future__ import annotations

import time

from scrapy import Request
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.http import Response

FETCH_STARTED_KEY = "newscrawl_fetch_started"


class TimedHTTPDownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 handler, recording the wall-clock start of each download in meta.

    Middlewares run before the download slot's delay, so only the handler knows when the
    fetch began; WARC requires WARC-Date to be that moment.
    """

    async def download_request(self, request: Request) -> Response:
        request.meta[FETCH_STARTED_KEY] = time.time()
        return await super().download_request(request)


def fetch_started(request: Request) -> float:
    """Start of the download of ``request``, estimated from its latency when not stamped."""
    started = request.meta.get(FETCH_STARTED_KEY)
    if started is not None:
        return float(started)
    return time.time() - float(request.meta.get("download_latency", 0.0))
