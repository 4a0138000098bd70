"""Elastic mode: several workers share one frontier on a real redis-server (issue #8)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import duckdb
import redis

from tests.conftest import (
    PROJECT_ROOT,
    CrawlRun,
    RedisServer,
    crawl_args,
    run_crawl,
    wait_until,
)
from tests.site.content import all_articles
from tests.site.server import DemoServer


def _state(key: str) -> str:
    """A Redis state prefix of the test's own (the session's redis-server is shared)."""
    return f"test-{key}:state"


def _workers(server: DemoServer, redis_server: RedisServer, output: Path, key: str, names: list[str]) -> list[subprocess.CompletedProcess]:
    """Worker processes started together; each one's log goes to a file (a pipe left unread
    would stall a worker while the other drains the queue)."""
    logs = {name: output.parent / f"{output.name}-{name}.log" for name in names}
    procs = []
    for name in names:
        with open(logs[name], "w") as log:
            procs.append(subprocess.Popen(
                crawl_args(server.base + "/", output, WORKER_ID=name, REDIS_URL=redis_server.url,
                           NEWSCRAWL_CRAWL_KEY=key, NEWSCRAWL_REDIS_STATE_PREFIX=_state(key), NEWSCRAWL_REDIS_IDLE_SECONDS="6", CONCURRENT_REQUESTS="2",
                           NEWSCRAWL_MIN_DELAY="0.15"),  # slow enough (a worker may start seconds late under load), few requests in hand
                cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=log,
            ))
    return [subprocess.CompletedProcess(p.args, p.wait(timeout=300), "", logs[name].read_text()) for p, name in zip(procs, names)]


def test_two_workers_share_one_frontier_and_store_every_article_once(
    demo_server: DemoServer, demo_crawl: CrawlRun, redis_server: RedisServer, tmp_path: Path
) -> None:
    key = f"test-{uuid.uuid4().hex[:8]}"
    runs = _workers(demo_server, redis_server, tmp_path, key, ["w1", "w2"])
    for run in runs:
        assert run.returncode in (0, 4), run.stderr[-3000:]
        assert "newscrawl.claims.ClaimingScheduler" in run.stderr
    articles = f"read_parquet('{tmp_path}/parquet/articles/**/*.parquet')"
    (rows, distinct, workers), = duckdb.sql(f"SELECT count(*), count(DISTINCT article_id), count(DISTINCT worker_id) FROM {articles}").fetchall()
    single = {r[0] for r in duckdb.sql(f"SELECT article_id FROM read_parquet('{demo_crawl.output}/parquet/articles/**/*.parquet')").fetchall()}
    combined = {r[0] for r in duckdb.sql(f"SELECT article_id FROM {articles}").fetchall()}
    assert rows == distinct and combined == single  # every article exactly once across both workers
    shares = dict(duckdb.sql(
        f"SELECT worker_id, count(*) FROM read_parquet('{tmp_path}/parquet/captures/**/*.parquet') GROUP BY 1"
    ).fetchall())
    assert set(shares) == {"w1", "w2"} and min(shares.values()) >= 3, shares  # each fetched a share
    with redis.Redis.from_url(redis_server.url) as client:
        assert client.exists(f"newscrawl:{key}:news:dupefilter")  # persisted: a finishing worker wipes nothing
    names = sorted(p.name for p in tmp_path.glob("warc/*/*.warc.gz"))
    assert any("-w1." in n for n in names) and any("-w2." in n for n in names), names  # no clash, one file set each


def test_second_run_through_redis_state_fetches_no_unchanged_article(redis_server: RedisServer, tmp_path: Path) -> None:
    """The incremental state lives on Redis: a second crawl (a new crawl key, so a fresh
    duplicate filter, and a new output root, so no SQLite state) of a site that published two
    more articles fetches those two and none of the twelve it knows."""
    prefix = f"test-{uuid.uuid4().hex[:8]}:state"
    known, newer = all_articles()[:12], all_articles()[12:14]
    with DemoServer(articles=known) as site:
        def crawl(key: str, output: Path) -> CrawlRun:
            return run_crawl(site.base + "/", output, site, WORKER_ID="solo", REDIS_URL=redis_server.url, NEWSCRAWL_CRAWL_KEY=key,
                             NEWSCRAWL_REDIS_STATE_PREFIX=prefix, NEWSCRAWL_REDIS_IDLE_SECONDS="1")

        def paths(articles: list) -> set[str]:
            return {site.site.article_url(a).removeprefix(site.base) for a in articles}

        first = crawl(f"first-{prefix}", tmp_path / "first")
        site.site.publish(known + newer)
        second = crawl(f"second-{prefix}", tmp_path / "second")
        known_paths, newer_paths = paths(known), paths(newer)
    assert first.returncode == 0 and second.returncode == 0, second.log[-3000:]
    assert known_paths <= set(first.served)
    assert not known_paths & set(second.served), "an unchanged article was fetched again"
    assert newer_paths <= set(second.served)
    assert not (tmp_path / "second" / "state" / "captures.sqlite").exists()  # the state was Redis' only
    stats = json.loads(next((tmp_path / "second" / "logs").glob("*.json")).read_text())
    assert stats["newscrawl/incremental/skipped_known_article"] >= len(known_paths) - 2  # linked from the changed pages
    second_articles = duckdb.sql(
        f"SELECT url FROM read_parquet('{tmp_path}/second/parquet/articles/**/*.parquet')"
    ).fetchall()
    assert {u.removeprefix(site.base) for u, in second_articles} == newer_paths
    with redis.Redis.from_url(redis_server.url) as client:
        url = site.base + next(iter(known_paths))
        assert client.hget(f"{prefix}:u:{url}", "article_id")  # the fact every worker reads


def test_a_worker_killed_mid_crawl_loses_nothing_after_reconcile(
    demo_server: DemoServer, demo_crawl: CrawlRun, redis_server: RedisServer, tmp_path: Path
) -> None:
    """SIGKILL one of two workers mid-crawl, run `scrapy reconcile` while the other goes on,
    start a new worker: every article of the site exactly once, none lost."""
    key = f"test-{uuid.uuid4().hex[:8]}"
    settings = dict(REDIS_URL=redis_server.url, NEWSCRAWL_CRAWL_KEY=key, NEWSCRAWL_REDIS_STATE_PREFIX=_state(key))

    def worker(name: str) -> subprocess.Popen:
        with open(tmp_path / f"{name}.log", "w") as log:
            return subprocess.Popen(
                crawl_args(demo_server.base + "/", tmp_path / "out", WORKER_ID=name, NEWSCRAWL_REDIS_IDLE_SECONDS="6",
                           CONCURRENT_REQUESTS="2", NEWSCRAWL_MIN_DELAY="0.15", **settings),
                cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=log,
            )

    before = len(demo_server.site.served)
    victim, survivor = worker("w1"), worker("w2")
    wait_until(lambda: len(demo_server.site.served) - before >= 25, timeout=120)
    # w1 itself has archived pages (beyond its warcinfo record) before it is killed
    w1_warcs = lambda: (tmp_path / "out" / "warc").glob("*/*-w1.warc.gz*")  # noqa: E731
    wait_until(lambda: sum(p.stat().st_size for p in w1_warcs()) > 8000, timeout=120)
    with redis.Redis.from_url(redis_server.url) as client:
        claims_key = f"newscrawl:{key}:news:claims:w1"
        wait_until(lambda: client.hlen(claims_key) > 0, timeout=30)  # kill it with requests in hand
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=30)
        assert client.hlen(claims_key) > 0
        reconciled = subprocess.run(
            [sys.executable, "-m", "scrapy", "reconcile", "-s", f"OUTPUT_ROOT={tmp_path / 'out'}",
             *(arg for k, v in settings.items() for arg in ("-s", f"{k}={v}"))],
            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300,
        )
        assert reconciled.returncode == 0, reconciled.stderr[-3000:]
        assert "dead workers: w1 (" in reconciled.stdout, reconciled.stdout  # w2 is live (or between claims)
        assert not client.exists(claims_key)  # handed back to the shared queue
        newcomer = worker("w3")
        assert survivor.wait(timeout=300) in (0, 4) and newcomer.wait(timeout=300) in (0, 4), (tmp_path / "w3.log").read_text()[-3000:]
        assert not list(client.scan_iter(match=f"newscrawl:{key}:news:claims:*"))  # finished workers leave no claims
    out = tmp_path / "out"
    articles = f"read_parquet('{out}/parquet/articles/**/*.parquet')"
    (rows, distinct, urls), = duckdb.sql(f"SELECT count(*), count(DISTINCT article_id), count(DISTINCT url) FROM {articles}").fetchall()
    expected = {r[0] for r in duckdb.sql(f"SELECT article_id FROM read_parquet('{demo_crawl.output}/parquet/articles/**/*.parquet')").fetchall()}
    stored = {r[0] for r in duckdb.sql(f"SELECT article_id FROM {articles}").fetchall()}
    assert stored == expected, f"lost: {sorted(expected - stored)[:5]}"  # zero lost
    assert rows == distinct == urls  # zero duplicates
    by_worker = dict(duckdb.sql(f"SELECT worker_id, count(*) FROM read_parquet('{out}/parquet/captures/**/*.parquet') GROUP BY 1").fetchall())
    assert by_worker.get("w1", 0) > 0, by_worker  # the killed worker's captures were kept
    assert not list(out.glob("warc/*/*.open"))  # every WARC file closed or repaired
