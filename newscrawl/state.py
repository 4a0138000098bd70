"""What earlier runs saw (DESIGN §5): SQLite at OUTPUT_ROOT/state/captures.sqlite.

Per URL: first seen, last fetched, last status, ETag / Last-Modified, payload digest and
the WARC record holding it, the article it produced. Per payload digest: its first capture
(for revisit records). Per article id: its body fingerprint and publication date (so a
later run stores an article once, and again only when it changed).

One database per output root, shared by the runs and by the processes writing to that root
on one machine (SQLite WAL). Writes are grouped into transactions of at most
BATCH_SECONDS (a commit per write cost ~0.5 ms of a page's CPU budget); the StateKeeper
commits on a timer too, so a process never holds the write lock longer than that.
synchronous=NORMAL makes commits cheap; a crash or power cut can only cost the latest
facts: a missed revisit, a page fetched once more.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings
from scrapy.utils.asyncio import create_looping_call

from newscrawl.outcome import stop_for_writer
from newscrawl.run import OutputPaths

logger = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS payloads (
    digest TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    warc_date TEXT NOT NULL,
    record_id TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY,
    first_seen REAL NOT NULL,
    last_fetched REAL,
    status INTEGER,
    etag TEXT,
    last_modified TEXT,
    digest TEXT,
    warc_date TEXT,
    record_id TEXT,
    warc_filename TEXT,
    warc_offset INTEGER,
    warc_length INTEGER,
    article_id TEXT
);
CREATE TABLE IF NOT EXISTS articles (
    article_id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    fingerprint INTEGER,
    date_published REAL,
    first_seen REAL NOT NULL,
    last_seen REAL NOT NULL
);
"""


@dataclass(frozen=True)
class CaptureRef:
    """Where an earlier capture is: enough for a revisit record's WARC-Refers-To* headers."""

    url: str
    warc_date: str
    record_id: str
    digest: str


@dataclass(frozen=True)
class UrlState:
    url: str
    first_seen: float
    last_fetched: float | None
    status: int | None
    etag: str | None
    last_modified: str | None
    digest: str | None
    warc_date: str | None
    record_id: str | None
    warc_filename: str | None
    """Where the body of the latest capture that stored one is (relative to OUTPUT_ROOT)."""
    warc_offset: int | None
    warc_length: int | None
    article_id: str | None


@dataclass(frozen=True)
class ArticleState:
    article_id: str
    url: str
    fingerprint: int | None
    date_published: float | None


class CrawlState(Protocol):
    """What the incremental middleware, the WARC capture and the dedup pipeline ask of the
    state: StateStore (SQLite, one output root) or state_redis.RedisStateStore (elastic)."""

    location: str
    write_failures: int

    def payload(self, digest: str) -> CaptureRef | None: ...
    def latest(self, url: str) -> CaptureRef | None: ...
    def remember_payload(self, ref: CaptureRef) -> None: ...
    def url(self, url: str) -> UrlState | None: ...
    def record_fetch(
        self, url: str, *, status: int, etag: str | None, last_modified: str | None, payload: CaptureRef | None,
        location: tuple[str, int, int] | None = None, when: float | None = None,
    ) -> None: ...
    def article(self, article_id: str) -> ArticleState | None: ...
    def record_article(self, article_id: str, url: str, fingerprint: int | None, date_published: float | None) -> None: ...
    def commit(self) -> None: ...
    def close(self) -> None: ...


class StateStore:
    """The state database. A write that fails (disk full, read-only file system) is reported
    once to ``on_write_error`` and later writes are skipped: the facts lost cost at worst a
    page fetched again; the crawl's owner decides whether to go on (the crawl stops)."""

    FILENAME = "captures.sqlite"

    def __init__(
        self, path: Path, busy_timeout_s: float = 30.0, on_write_error: Callable[[sqlite3.Error], None] | None = None
    ) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.location = str(path)
        self.on_write_error = on_write_error
        self.write_failures = 0
        self._batch_started: float | None = None
        self._db = sqlite3.connect(path, isolation_level=None, timeout=busy_timeout_s, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)

    @classmethod
    def in_dir(cls, state_dir: Path, on_write_error: Callable[[sqlite3.Error], None] | None = None) -> StateStore:
        return cls(state_dir / cls.FILENAME, on_write_error=on_write_error)

    BATCH_SECONDS = 0.5

    def _write(self, sql: str, params: tuple) -> None:
        if self.write_failures:
            self.write_failures += 1
            return
        try:
            if self._batch_started is None:
                self._db.execute("BEGIN IMMEDIATE")
                self._batch_started = time.monotonic()
            self._db.execute(sql, params)
            if time.monotonic() - self._batch_started >= self.BATCH_SECONDS:
                self._commit()
        except (sqlite3.OperationalError, sqlite3.DatabaseError) as exc:  # "database or disk is full", read-only
            self._failed(exc)

    def _commit(self) -> None:
        self._batch_started = None
        self._db.execute("COMMIT")

    def commit(self) -> None:
        """Make the facts written so far durable and visible to other processes."""
        if self._batch_started is None or self.write_failures:
            return
        try:
            self._commit()
        except (sqlite3.OperationalError, sqlite3.DatabaseError) as exc:
            self._failed(exc)

    def _failed(self, exc: sqlite3.Error) -> None:
        self.write_failures += 1
        if self._db.in_transaction:
            try:
                self._db.execute("ROLLBACK")
            except sqlite3.Error:
                pass
        self._batch_started = None
        if self.on_write_error is None:
            raise exc
        self.on_write_error(exc)

    # -- payloads (revisits) ------------------------------------------------------------------

    def payload(self, digest: str) -> CaptureRef | None:
        row = self._db.execute(
            "SELECT url, warc_date, record_id, digest FROM payloads WHERE digest = ?", (digest,)
        ).fetchone()
        return CaptureRef(*row) if row else None

    def latest(self, url: str) -> CaptureRef | None:
        """The latest capture of ``url`` that stored a payload."""
        row = self._db.execute(
            "SELECT url, warc_date, record_id, digest FROM urls WHERE url = ? AND record_id IS NOT NULL", (url,)
        ).fetchone()
        return CaptureRef(*row) if row else None

    def remember_payload(self, ref: CaptureRef) -> None:
        self._write(
            "INSERT OR IGNORE INTO payloads (digest, url, warc_date, record_id) VALUES (?, ?, ?, ?)",
            (ref.digest, ref.url, ref.warc_date, ref.record_id),
        )

    # -- urls ---------------------------------------------------------------------------------

    def url(self, url: str) -> UrlState | None:
        row = self._db.execute(
            "SELECT url, first_seen, last_fetched, status, etag, last_modified, digest, warc_date, record_id, "
            "warc_filename, warc_offset, warc_length, article_id FROM urls WHERE url = ?",
            (url,),
        ).fetchone()
        return UrlState(*row) if row else None

    def record_fetch(
        self,
        url: str,
        *,
        status: int,
        etag: str | None,
        last_modified: str | None,
        payload: CaptureRef | None,
        location: tuple[str, int, int] | None = None,
        when: float | None = None,
    ) -> None:
        """A fetch of ``url``; ``payload`` and ``location`` (warc file, offset, length) name
        the record holding its body (None for a 304 or a revisit, which keep the earlier)."""
        now = when or time.time()
        filename, offset, length = location or (None, None, None)
        self._write(
            "INSERT INTO urls (url, first_seen, last_fetched, status, etag, last_modified, digest, warc_date, record_id, "
            "warc_filename, warc_offset, warc_length) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(url) DO UPDATE SET last_fetched = excluded.last_fetched, status = excluded.status, "
            "etag = coalesce(excluded.etag, urls.etag), last_modified = coalesce(excluded.last_modified, urls.last_modified), "
            "digest = coalesce(excluded.digest, urls.digest), warc_date = coalesce(excluded.warc_date, urls.warc_date), "
            "record_id = coalesce(excluded.record_id, urls.record_id), "
            "warc_filename = coalesce(excluded.warc_filename, urls.warc_filename), "
            "warc_offset = coalesce(excluded.warc_offset, urls.warc_offset), "
            "warc_length = coalesce(excluded.warc_length, urls.warc_length)",
            (
                url, now, now, status, etag, last_modified,
                payload.digest if payload else None,
                payload.warc_date if payload else None,
                payload.record_id if payload else None,
                filename, offset, length,
            ),
        )

    # -- articles -----------------------------------------------------------------------------

    def article(self, article_id: str) -> ArticleState | None:
        row = self._db.execute(
            "SELECT article_id, url, fingerprint, date_published FROM articles WHERE article_id = ?", (article_id,)
        ).fetchone()
        return ArticleState(*row) if row else None

    def record_article(self, article_id: str, url: str, fingerprint: int | None, date_published: float | None) -> None:
        now = time.time()
        self._write(
            "INSERT INTO articles (article_id, url, fingerprint, date_published, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(article_id) DO UPDATE SET fingerprint = excluded.fingerprint, last_seen = excluded.last_seen, "
            "date_published = coalesce(excluded.date_published, articles.date_published)",
            (article_id, url, fingerprint, date_published, now, now),
        )
        self._write(
            "INSERT INTO urls (url, first_seen, article_id) VALUES (?, ?, ?) "
            "ON CONFLICT(url) DO UPDATE SET article_id = excluded.article_id",
            (url, now, article_id),
        )

    def close(self) -> None:
        self.commit()
        self._db.close()


class StateBackendError(ValueError):
    """NEWSCRAWL_STATE_BACKEND names no usable store; the message says how to fix it."""


def state_backend(settings: BaseSettings) -> str:
    """``sqlite`` or ``redis`` from NEWSCRAWL_STATE_BACKEND (empty: redis when REDIS_URL is set)."""
    backend = settings.get("NEWSCRAWL_STATE_BACKEND") or ("redis" if settings.get("REDIS_URL") else "sqlite")
    if backend not in ("sqlite", "redis"):
        raise StateBackendError(f"NEWSCRAWL_STATE_BACKEND must be sqlite or redis, not {backend!r}")
    if backend == "redis" and not settings.get("REDIS_URL"):
        raise StateBackendError("NEWSCRAWL_STATE_BACKEND=redis needs REDIS_URL (-s REDIS_URL=redis://host:6379)")
    return backend


class StateKeeper:
    """Scrapy extension owning the crawl's state store: opened when the spider opens, closed
    when the engine stops. Other components find it with ``crawler.get_extension``.

    NEWSCRAWL_STATE_BACKEND picks it: ``sqlite`` (OUTPUT_ROOT/state/captures.sqlite),
    ``redis`` (REDIS_URL, shared by every worker), or empty (default): redis when REDIS_URL
    is set, else sqlite."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.state_dir = OutputPaths.from_settings(crawler.settings).state
        self.store: CrawlState | None = None
        self._timer: Any = None
        self.backend = state_backend(crawler.settings)

    def open_store(self) -> CrawlState:
        if self.store is None:
            if self.backend == "redis":
                from newscrawl.state_redis import DEFAULT_PREFIX, RedisStateStore

                settings = self.crawler.settings
                self.store = RedisStateStore(
                    settings["REDIS_URL"], settings.get("NEWSCRAWL_REDIS_STATE_PREFIX") or DEFAULT_PREFIX,
                    on_write_error=self._write_failed,
                )
            else:
                self.store = StateStore.in_dir(self.state_dir, on_write_error=self._write_failed)
        return self.store

    def _write_failed(self, exc: Exception) -> None:
        """Like a WARC or Parquet write failure: stop cleanly, say why, exit status 2."""
        where = self.store.location if self.store is not None else self.backend
        logger.error(
            "Cannot use the crawl state %s (%s); stopping the crawl. Free disk space, fix "
            "permissions of OUTPUT_ROOT or bring Redis back, and run again.", where, exc,
        )
        stop_for_writer(self.crawler, "state")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StateKeeper:
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.engine_stopped, signal=signals.engine_stopped)
        return ext

    def spider_opened(self, spider: Spider) -> None:
        self.open_store()
        self._timer = create_looping_call(self._commit)
        self._timer.start(StateStore.BATCH_SECONDS, now=False)

    def _commit(self) -> None:
        if self.store is not None:
            self.store.commit()

    def engine_stopped(self) -> None:
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        if self.store is not None:
            self.store.close()
            self.store = None


def state_store(crawler: Crawler) -> CrawlState | None:
    """The crawl's open state store, or None when the StateKeeper extension is off."""
    keeper = crawler.get_extension(StateKeeper)
    if keeper is None:
        return None
    return keeper.open_store()
