"""Politeness measured from the server's side: request timestamps on 127.0.0.1."""

from __future__ import annotations

from email.utils import format_datetime
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from newscrawl.politeness import retry_after_seconds
from tests.conftest import run_crawl
from tests.site.content import all_articles
from tests.site.server import DemoServer


@pytest.mark.parametrize(
    ("value", "seconds"),
    [(b"120", 120.0), ("7", 7.0), (None, None), (b"soon", None)],
)
def test_retry_after_seconds(value, seconds) -> None:
    assert retry_after_seconds(value) == seconds


def test_retry_after_http_date() -> None:
    now = datetime(2026, 1, 1, 12, tzinfo=timezone.utc)
    later = format_datetime(now + timedelta(seconds=90), usegmt=True)
    assert retry_after_seconds(later, now=now.timestamp()) == pytest.approx(90.0)


def test_robots_crawl_delay_is_a_floor(tmp_path: Path) -> None:
    with DemoServer(articles=all_articles()[:6]) as server:
        server.site.crawl_delay = 0.4
        server.site.publish(server.site.articles)
        run = run_crawl(server.base + "/about.html", tmp_path, server, DEPTH_LIMIT="1", CONCURRENT_REQUESTS_PER_DOMAIN="8")
        times = [t for t, path in server.site.served_at if path != "/robots.txt"]
    assert run.returncode == 0 and len(times) >= 6
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert min(gaps) >= 0.4 * 0.9, gaps


def test_a_429_waits_for_retry_after_then_retries(tmp_path: Path) -> None:
    with DemoServer(articles=all_articles()[:2]) as server:
        run = run_crawl(server.base + "/busy.html", tmp_path, server, DEPTH_LIMIT="1", ROBOTSTXT_OBEY="false")
        busy = [t for t, path in server.site.served_at if path == "/busy.html"]
    assert run.returncode == 0
    assert len(busy) == 2 and busy[1] - busy[0] >= 1.0
    assert "'newscrawl/politeness/waited/429': 1" in run.log
