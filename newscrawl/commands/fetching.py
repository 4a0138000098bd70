"""Fetch one page with the project's settings, for commands that work on single pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scrapy import Request, Spider
from scrapy.crawler import CrawlerProcess
from scrapy.http import Response


@dataclass(frozen=True)
class FetchedPage:
    url: str
    status: int
    headers: dict[str, str]
    body: bytes


class _FetchOne(Spider):
    """One request (robots.txt, user agent and network guard as configured), no archiving."""

    name = "newscrawl-fetch-one"
    custom_settings = {
        "WARC_ENABLED": False,
        "ITEM_PIPELINES": {},
        "EXTENSIONS": {"pipelines.capture_log.CaptureLog": None},
        "LOG_LEVEL": "WARNING",
        "HTTPERROR_ALLOW_ALL": True,
    }

    def __init__(self, url: str, sink: list[Response], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.url = url
        self.sink = sink

    async def start(self):  # type: ignore[override]
        yield Request(self.url, callback=self.parse, dont_filter=True)

    def parse(self, response: Response) -> None:
        self.sink.append(response)


def fetch_page(process: CrawlerProcess, url: str) -> FetchedPage | None:
    """Run a one-request crawl; None when nothing came back (the log says why)."""
    sink: list[Response] = []
    process.crawl(_FetchOne, url=url, sink=sink)
    process.start()
    if not sink:
        return None
    response = sink[0]
    headers = {k.decode("latin-1"): v[0].decode("latin-1") for k, v in response.headers.items() if v}
    return FetchedPage(url=response.url, status=response.status, headers=headers, body=response.body)
