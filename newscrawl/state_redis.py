"""The crawl state on Redis (elastic mode, DESIGN §6): what the SQLite StateStore keeps per
output root, shared by every worker of every machine.

One Redis hash per fact, under NEWSCRAWL_REDIS_STATE_PREFIX (default ``newscrawl:state``;
not per crawl key: tomorrow's crawl must know what today's fetched):

- ``<prefix>:u:<url>``     first_seen, last_fetched, status, etag, last_modified, digest,
  warc_date, record_id, warc_filename, warc_offset, warc_length, article_id
- ``<prefix>:p:<digest>``  url, warc_date, record_id (the payload's first capture)
- ``<prefix>:a:<id>``      url, fingerprint, date_published, first_seen, last_seen

The SQLite store's ``coalesce(new, old)`` updates become HSET of the fields that have a
value, and its ``INSERT OR IGNORE`` HSETNX: every write is one atomic round trip (a
pipeline without MULTI), so workers never read-modify-write each other's facts. A URL costs
a few hundred bytes of Redis memory (small hashes are stored as listpacks).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

import redis

from newscrawl.state import ArticleState, CaptureRef, UrlState

DEFAULT_PREFIX = "newscrawl:state"
_URL_FIELDS = (
    "first_seen", "last_fetched", "status", "etag", "last_modified", "digest", "warc_date", "record_id",
    "warc_filename", "warc_offset", "warc_length", "article_id",
)
_FLOATS = frozenset({"first_seen", "last_fetched", "date_published", "last_seen"})
_INTS = frozenset({"status", "warc_offset", "warc_length", "fingerprint"})


def _typed(name: str, raw: bytes | None) -> Any:
    if raw is None:
        return None
    text = raw.decode("utf-8")
    if name in _FLOATS:
        return float(text)
    if name in _INTS:
        return int(text)
    return text


def _present(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None}


class RedisStateStore:
    """Same interface and failure contract as ``state.StateStore``: a Redis error (server
    gone, out of memory, read-only replica) is reported once to ``on_write_error`` and the
    store then answers "unknown" and skips writes (the crawl's owner stops the crawl)."""

    def __init__(
        self, url: str, prefix: str = DEFAULT_PREFIX, on_write_error: Callable[[Exception], None] | None = None
    ) -> None:
        self.client = redis.Redis.from_url(url, socket_timeout=30, socket_connect_timeout=10)
        self.prefix = prefix
        self.on_write_error = on_write_error
        self.write_failures = 0
        self.location = f"{url} ({prefix}:*)"

    def _run(self, fn: Callable[[], Any]) -> Any:
        if self.write_failures:
            self.write_failures += 1
            return None
        try:
            return fn()
        except redis.RedisError as exc:
            self.write_failures += 1
            if self.on_write_error is None:
                raise
            self.on_write_error(exc)
            return None

    def _key(self, kind: str, name: str) -> str:
        return f"{self.prefix}:{kind}:{name}"

    # -- payloads (revisits) ------------------------------------------------------------------

    def payload(self, digest: str) -> CaptureRef | None:
        row = self._run(lambda: self.client.hmget(self._key("p", digest), "url", "warc_date", "record_id"))
        if not row or row[0] is None:
            return None
        return CaptureRef(row[0].decode(), row[1].decode(), row[2].decode(), digest)

    def latest(self, url: str) -> CaptureRef | None:
        row = self._run(lambda: self.client.hmget(self._key("u", url), "warc_date", "record_id", "digest"))
        if not row or row[1] is None:
            return None
        return CaptureRef(url, row[0].decode(), row[1].decode(), row[2].decode())

    def remember_payload(self, ref: CaptureRef) -> None:
        def write() -> None:
            pipe = self.client.pipeline(transaction=False)
            key = self._key("p", ref.digest)
            for name, value in (("url", ref.url), ("warc_date", ref.warc_date), ("record_id", ref.record_id)):
                pipe.hsetnx(key, name, value)
            pipe.execute()

        self._run(write)

    # -- urls ---------------------------------------------------------------------------------

    def url(self, url: str) -> UrlState | None:
        row = self._run(lambda: self.client.hmget(self._key("u", url), *_URL_FIELDS))
        if not row or row[0] is None:
            return None
        return UrlState(url, *(_typed(name, raw) for name, raw in zip(_URL_FIELDS, row)))

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
        now = when or time.time()
        filename, offset, length = location or (None, None, None)
        fields = _present({
            "last_fetched": now, "status": status, "etag": etag, "last_modified": last_modified,
            "digest": payload.digest if payload else None,
            "warc_date": payload.warc_date if payload else None,
            "record_id": payload.record_id if payload else None,
            "warc_filename": filename, "warc_offset": offset, "warc_length": length,
        })
        self._upsert(self._key("u", url), fields, first_seen=now)

    def _upsert(self, key: str, fields: dict[str, Any], **if_new: Any) -> None:
        def write() -> None:
            pipe = self.client.pipeline(transaction=False)
            for name, value in if_new.items():
                pipe.hsetnx(key, name, value)
            if fields:
                pipe.hset(key, mapping=fields)
            pipe.execute()

        self._run(write)

    # -- articles -----------------------------------------------------------------------------

    def article(self, article_id: str) -> ArticleState | None:
        row = self._run(lambda: self.client.hmget(self._key("a", article_id), "url", "fingerprint", "date_published"))
        if not row or row[0] is None:
            return None
        return ArticleState(article_id, row[0].decode(), _typed("fingerprint", row[1]), _typed("date_published", row[2]))

    def record_article(self, article_id: str, url: str, fingerprint: int | None, date_published: float | None) -> None:
        now = time.time()
        fields = {"last_seen": now, "date_published": date_published}
        if fingerprint is not None:
            fields["fingerprint"] = fingerprint
        else:  # the SQLite store sets fingerprint = excluded.fingerprint, NULL included
            self._run(lambda: self.client.hdel(self._key("a", article_id), "fingerprint"))
        self._upsert(self._key("a", article_id), _present(fields), first_seen=now, url=url)
        self._upsert(self._key("u", url), {"article_id": article_id}, first_seen=now)

    def commit(self) -> None:
        """Every write is already on the server."""

    def close(self) -> None:
        self.client.close()
