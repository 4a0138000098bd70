"""Run identity (worker id, crawl id) and output paths, fixed once per crawler.

``RunIdentityAddon`` fills WORKER_ID and CRAWL_ID before settings freeze, so every component
reads the same values from settings instead of computing its own.
"""

from __future__ import annotations

import os
import re
import socket
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings

from newscrawl.captures import RunIdentity

WORKER_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.]{0,63}$")


def default_worker_id() -> str:
    host = re.sub(r"[^A-Za-z0-9_.]", "_", socket.gethostname().split(".")[0]) or "host"
    return f"{host}_{os.getpid()}"


class RunIdentityAddon:
    """Scrapy add-on: resolves WORKER_ID and CRAWL_ID defaults and validates them."""

    def update_settings(self, settings: BaseSettings) -> None:
        worker_id = settings.get("WORKER_ID") or default_worker_id()
        if not WORKER_ID_PATTERN.match(worker_id):
            raise ValueError(
                f"WORKER_ID={worker_id!r} is not usable in file names: use letters, digits, "
                "'_' or '.', at most 64 characters (e.g. -s WORKER_ID=node1)"
            )
        _replace(settings, "WORKER_ID", worker_id)
        if not settings.get("CRAWL_ID"):
            stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
            _replace(settings, "CRAWL_ID", f"{stamp}-{worker_id}")


def _replace(settings: BaseSettings, name: str, value: str) -> None:
    """Set at the priority the current (empty) value has, so the default really is replaced."""
    settings.set(name, value, priority=settings.getpriority(name) or "addon")


def run_identity(crawler: Crawler) -> RunIdentity:
    settings = crawler.settings
    return RunIdentity(
        crawl_id=settings.get("CRAWL_ID") or "",
        worker_id=settings.get("WORKER_ID") or default_worker_id(),
        spider=crawler.spidercls.name if crawler.spidercls else "",
    )


@dataclass(frozen=True)
class OutputPaths:
    """The output layout of DESIGN §3 under one root."""

    root: Path

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> OutputPaths:
        return cls(Path(settings.get("OUTPUT_ROOT") or "output"))

    @property
    def warc(self) -> Path:
        return self.root / "warc"

    def table(self, name: str) -> Path:
        return self.root / "parquet" / name

    def staging(self, worker_id: str) -> Path:
        return self.root / "_staging" / worker_id

    @property
    def state(self) -> Path:
        return self.root / "state"

    @property
    def logs(self) -> Path:
        return self.root / "logs"
