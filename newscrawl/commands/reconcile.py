"""``scrapy reconcile -s REDIS_URL=... [-s NEWSCRAWL_CRAWL_KEY=...]``: put back the work of
elastic workers that died mid-crawl (see newscrawl/reconcile.py)."""

from __future__ import annotations

import argparse
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from newscrawl.elastic import crawl_key


class Command(ScrapyCommand):
    requires_project = True

    def syntax(self) -> str:
        return "[-s REDIS_URL=redis://host:6379/0] [-s NEWSCRAWL_CRAWL_KEY=key] [-s OUTPUT_ROOT=dir]"

    def short_desc(self) -> str:
        return "Re-queue the requests of dead elastic workers that have no capture; add their missing rows"

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        from newscrawl.reconcile import reconcile  # here, not at the top: every `scrapy` process imports all commands
        import redis

        assert self.settings is not None
        url = self.settings.get("REDIS_URL")
        if not url:
            raise UsageError("reconcile needs the crawl's REDIS_URL (-s REDIS_URL=...)")
        root = Path(self.settings.get("OUTPUT_ROOT") or "output").resolve()
        with redis.Redis.from_url(url) as client:
            result = reconcile(root, client, self.settings)
        print(f"crawl key {crawl_key(self.settings)}: {result.summary()}")
