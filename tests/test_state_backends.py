"""The two state stores (SQLite per output root, Redis shared by elastic workers) give the
same answers to the same history of facts; a Redis that goes away stops the crawl once."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import redis

from newscrawl.state import CaptureRef, CrawlState, StateStore
from newscrawl.state_redis import RedisStateStore
from tests.conftest import RedisServer


def _history(store: CrawlState) -> list[object]:
    """Facts in the order a crawl tells them, and what the store answers after each."""
    answers: list[object] = [store.url("https://a.test/x"), store.payload("D1"), store.article("A1")]
    first = CaptureRef("https://a.test/x", "2026-11-28T01:00:00Z", "<urn:uuid:1>", "D1")
    store.remember_payload(first)
    store.remember_payload(CaptureRef("https://a.test/y", "2026-11-28T02:00:00Z", "<urn:uuid:2>", "D1"))  # first one stays
    store.record_fetch("https://a.test/x", status=200, etag='"e1"', last_modified=None, payload=first,
                       location=("warc/crawl_date=2026-11-28/a.warc.gz", 10, 900), when=1000.0)
    answers += [store.payload("D1"), store.latest("https://a.test/x"), store.url("https://a.test/x")]
    # a 304 later: new status and time, the earlier ETag, digest and WARC pointer are kept
    store.record_fetch("https://a.test/x", status=304, etag=None, last_modified="Sat, 28 Nov 2026 01:00:00 GMT",
                       payload=None, when=2000.0)
    answers += [store.url("https://a.test/x"), store.latest("https://a.test/x")]
    store.record_article("A1", "https://a.test/x", -12345678901234, 1_700_000_000.0)
    store.record_article("A1", "https://a.test/x2", 42, None)  # changed body; date and first URL kept
    answers += [store.article("A1"), store.url("https://a.test/x").article_id, store.url("https://a.test/x2").article_id]
    store.record_article("A2", "https://a.test/z", None, None)
    answers.append(store.article("A2"))
    return [_without_clock(a) for a in answers]


def _without_clock(answer: object) -> object:
    """first_seen comes from the wall clock: compare whether it is set, not its value."""
    if hasattr(answer, "first_seen"):
        return {**vars(answer), "first_seen": answer.first_seen is not None}  # type: ignore[attr-defined]
    return answer


def test_sqlite_and_redis_stores_answer_alike(redis_server: RedisServer, tmp_path: Path) -> None:
    sqlite = StateStore.in_dir(tmp_path)
    shared = RedisStateStore(redis_server.url, prefix=f"test-{uuid.uuid4().hex[:8]}:state")
    try:
        expected, got = _history(sqlite), _history(shared)
    finally:
        sqlite.close()
        shared.close()
    assert got == expected
    assert expected[3] is not None and expected[-1] is not None  # the history did store facts


def test_redis_gone_is_reported_once_and_later_calls_are_skipped() -> None:
    errors: list[Exception] = []
    store = RedisStateStore("redis://127.0.0.1:1/0", on_write_error=errors.append)  # nothing listens on port 1
    store.record_fetch("https://a.test/x", status=200, etag=None, last_modified=None, payload=None)
    assert store.url("https://a.test/x") is None and store.article("A1") is None
    assert len(errors) == 1 and store.write_failures == 3
    with pytest.raises(redis.ConnectionError):
        RedisStateStore("redis://127.0.0.1:1/0").url("https://a.test/x")  # without a handler it raises
