"""Elastic mode: several workers share one frontier on a real redis-server (issue #8)."""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

import duckdb
import redis

from tests.conftest import PROJECT_ROOT, CrawlRun, RedisServer, crawl_args
from tests.site.server import DemoServer


def _workers(server: DemoServer, redis_server: RedisServer, output: Path, key: str, names: list[str]) -> list[subprocess.CompletedProcess]:
    """Worker processes started together; each one's log goes to a file (a pipe left unread
    would stall a worker while the other drains the queue)."""
    logs = {name: output.parent / f"{output.name}-{name}.log" for name in names}
    procs = []
    for name in names:
        with open(logs[name], "w") as log:
            procs.append(subprocess.Popen(
                crawl_args(server.base + "/", output, WORKER_ID=name, REDIS_URL=redis_server.url,
                           NEWSCRAWL_CRAWL_KEY=key, NEWSCRAWL_REDIS_IDLE_SECONDS="6", CONCURRENT_REQUESTS="2",
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
        assert "scrapy_redis.scheduler.Scheduler" in run.stderr
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
