"""Work lost when an elastic worker died, found and put back (``scrapy reconcile``).

A worker killed mid-crawl (SIGKILL, OOM, lost machine) leaves three things behind:
- requests it had taken from the shared queue: its claims hash on Redis (newscrawl/elastic.py);
- its open WARC file and staged Parquet files in the shared output root;
- captures whose Parquet rows were still in its memory (their WARC records are on disk).

A worker is dead when nobody holds the lock of its staging folder (a live worker holds it
for its whole run; flock works across machines on NFSv4 and on local disks). For every dead
worker with claims, in this order:
1. its open WARC files are repaired and its staged Parquet files published (what a new
   worker does at start-up, done here so the next steps see them);
2. records of its WARC files that no captures row points at get their captures and
   articles rows (articles already stored anywhere are not added again);
3. every claim whose URL has no captures row of that worker is pushed back into the shared
   queue (the duplicate filter already holds it, so nothing else would fetch it), and the
   claims hash is deleted.
Live workers are never touched: reconcile may run while the crawl goes on.
"""

from __future__ import annotations

import fcntl
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.dataset as ds
import redis
from scrapy.settings import BaseSettings

from newscrawl.archive.repair import repair_all
from newscrawl.elastic import claims_pattern, decode_claim, redis_keys
from newscrawl.run import OutputPaths
from pipelines.reparse import append_missing
from pipelines.schema import SCHEMAS
from pipelines.staging import LOCK_NAME, sweep

logger = logging.getLogger(__name__)


@dataclass
class ReconcileResult:
    dead_workers: list[str] = field(default_factory=list)
    live_workers: list[str] = field(default_factory=list)
    repaired_warcs: int = 0
    published_staged: int = 0
    captures_added: int = 0
    articles_added: int = 0
    requeued: int = 0
    already_captured: int = 0

    def summary(self) -> str:
        return (
            f"dead workers: {', '.join(self.dead_workers) or 'none'} (live: {', '.join(self.live_workers) or 'none'}); "
            f"repaired {self.repaired_warcs} WARC files, published {self.published_staged} staged Parquet files, "
            f"added {self.captures_added} captures and {self.articles_added} articles rows from their WARC records; "
            f"re-queued {self.requeued} requests ({self.already_captured} claimed ones were captured already)"
        )


def is_live(staging_folder: Path) -> bool:
    """True while a worker holds its staging folder's lock."""
    if not staging_folder.is_dir():
        return False
    fd = os.open(staging_folder / LOCK_NAME, os.O_CREAT | os.O_RDWR, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing drops a lock taken here
    return False


def reconcile(root: Path, client: redis.Redis, settings: BaseSettings, spider: str = "news") -> ReconcileResult:
    paths = OutputPaths(root)
    result = ReconcileResult()
    claims = {key.decode().rsplit(":", 1)[1]: key for key in client.scan_iter(match=claims_pattern(settings, spider))}
    for worker in sorted(claims):
        (result.live_workers if is_live(paths.staging(worker)) else result.dead_workers).append(worker)
    if not result.dead_workers:
        return result
    result.repaired_warcs = len(repair_all(paths.warc))  # only files no live writer holds
    result.published_staged = len(sweep(root / "_staging", root / "parquet").published)
    warcs = sorted(p for w in result.dead_workers for p in paths.warc.glob(f"crawl_date=*/*-{w}.warc.gz"))
    added = append_missing(root, warcs)
    result.captures_added, result.articles_added = added.captures, added.articles
    captured = _captured_urls(root, result.dead_workers)
    queue_key = redis_keys(settings)["SCHEDULER_QUEUE_KEY"] % {"spider": spider}
    for worker in result.dead_workers:
        for url, value in client.hscan_iter(claims[worker]):
            if url.decode() in captured:
                result.already_captured += 1
                continue
            priority, queued = decode_claim(value)
            client.execute_command("ZADD", queue_key, -priority, queued)
            result.requeued += 1
        client.delete(claims[worker])
    logger.info("reconcile: %s", result.summary())
    return result


def _captured_urls(root: Path, workers: list[str]) -> set[str]:
    files = [str(p) for p in (root / "parquet" / "captures").glob("crawl_date=*/*.parquet")]
    if not files:
        return set()
    table = ds.dataset(files, schema=SCHEMAS["captures"], format="parquet").to_table(
        columns=["url"], filter=ds.field("worker_id").isin(workers)
    )
    return set(table.column(0).to_pylist())
