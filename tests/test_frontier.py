"""The frontier on disk: pending requests wait in a file queue of their own worker, not in
memory, and the queue is gone when the crawl is."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.conftest import PROJECT_ROOT, CrawlRun, crawl_args, run_crawl, start_crawl, wait_until
from tests.site.server import DemoServer


def _stats(output: Path) -> dict:
    (path,) = sorted((output / "logs").glob("*.json"))
    return json.loads(path.read_text(encoding="utf-8"))


def test_pending_requests_wait_on_disk_and_the_queue_is_removed(demo_crawl: CrawlRun) -> None:
    stats = _stats(demo_crawl.output)
    assert stats["scheduler/enqueued"] > 20
    assert stats["scheduler/enqueued/disk"] == stats["scheduler/enqueued"]
    assert stats["scheduler/dequeued/disk"] == stats["scheduler/dequeued"]
    assert "scheduler/enqueued/memory" not in stats
    frontier = demo_crawl.output / "_frontier"
    assert frontier.is_dir() and list(frontier.iterdir()) == []  # queue and lock gone


def test_a_killed_crawls_frontier_is_swept_by_the_next(demo_server: DemoServer, tmp_path: Path) -> None:
    dead = tmp_path / "_frontier" / "gone" / "requests.queue"
    dead.mkdir(parents=True)
    (dead / "p0").write_bytes(b"pickled requests of a crawl that was killed")
    (tmp_path / "_frontier" / "gone" / ".lock").write_bytes(b"")  # nobody holds it
    run = run_crawl(demo_server.base + "/", tmp_path, CLOSESPIDER_ITEMCOUNT="3")
    assert run.returncode == 0, run.log[-2000:]
    assert list((tmp_path / "_frontier").iterdir()) == []


def test_memory_queue_when_asked(demo_server: DemoServer, tmp_path: Path) -> None:
    run = run_crawl(demo_server.base + "/", tmp_path, NEWSCRAWL_FRONTIER_ON_DISK="false", CLOSESPIDER_ITEMCOUNT="3")
    stats = _stats(tmp_path)
    assert stats["scheduler/enqueued/memory"] == stats["scheduler/enqueued"] > 0, run.log[-2000:]
    assert not (tmp_path / "_frontier").exists()


def test_a_second_crawl_with_the_same_worker_id_leaves_the_frontier_alone(demo_server: DemoServer, tmp_path: Path) -> None:
    first = start_crawl(demo_server.base + "/", tmp_path, WORKER_ID="w1", NEWSCRAWL_MIN_DELAY="1", DOWNLOAD_DELAY="1")
    try:
        queue = tmp_path / "_frontier" / "w1" / "requests.queue"
        # many requests pending, not just the seed that the first crawl is about to take
        wait_until(lambda: queue.is_dir() and sum(f.stat().st_size for f in queue.rglob("*") if f.is_file()) >= 8192)
        second = subprocess.run(crawl_args(demo_server.base + "/", tmp_path, WORKER_ID="w1"), cwd=PROJECT_ROOT,
                                capture_output=True, text=True, timeout=120)
        assert second.returncode != 0
        assert "in use by another running process with the same WORKER_ID" in second.stdout + second.stderr
        assert queue.is_dir() and any(queue.iterdir())  # the first crawl's pending requests are intact
    finally:
        first.terminate()
        first.communicate(timeout=120)


def test_the_collector_is_tuned_once_the_engine_runs(demo_crawl: CrawlRun) -> None:
    """newscrawl.gctune: start-up objects frozen (reported in the stats)."""
    assert _stats(demo_crawl.output)["newscrawl/gc/frozen_objects"] > 10_000


def test_a_full_disk_under_the_frontier_loses_no_request_silently(tmp_path: Path) -> None:
    """The queue's file fills a real small tmpfs: the requests that fit on disk before it
    failed are given up (counted, logged), every later one waits in memory, and the scheduler
    empties so the crawl can end."""
    from scrapy import Request, Spider
    from scrapy.utils.test import get_crawler

    from newscrawl.frontier import DiskFrontierScheduler

    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], check=True)
    try:
        class FrontierSpider(Spider):
            name = "frontier-test"

        # the plain priority queue: the downloader-aware one needs a running engine
        crawler = get_crawler(FrontierSpider, {"OUTPUT_ROOT": str(mount), "WORKER_ID": "w1",
                                               "SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.ScrapyPriorityQueue"})
        crawler.spider = crawler._create_spider()
        scheduler = DiskFrontierScheduler.from_crawler(crawler)
        scheduler.open(crawler.spider)
        pushed = [f"http://127.0.0.1/{i:05d}/" + "x" * 400 for i in range(400)]  # ~200 KB pickled
        for url in pushed:
            assert scheduler.enqueue_request(Request(url))
        assert scheduler.disk_failed
        popped = []
        while (request := scheduler.next_request()) is not None:
            popped.append(request.url)
        assert len(scheduler) == 0 and not scheduler.has_pending_requests()
        stats = crawler.stats.get_stats()
        given_up = stats["newscrawl/frontier/requests_given_up"]
        assert stats["scheduler/enqueued/memory"] > 0 and given_up > 0
        assert len(popped) + given_up == len(pushed) and set(popped) <= set(pushed)
        scheduler.close("finished")
        assert not (mount / "_frontier" / "w1").exists()
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_the_frontier_queue_stores_requests_as_scrapy_does(tmp_path: Path) -> None:
    """Requests pushed without Scrapy's member listing come back equal to what Scrapy's own
    serialisation gives, callbacks bound to the spider again; a callback that is not a
    spider method goes Scrapy's way (and fails as Scrapy's does)."""
    import pytest
    from scrapy import Request, Spider
    from scrapy.utils.request import request_from_dict
    from scrapy.utils.test import get_crawler

    from newscrawl.frontier import FrontierDiskQueue

    class QueueSpider(Spider):
        name = "queue-test"

        def parse_page(self, response):  # noqa: ANN001, ANN201
            return None

        def failed(self, failure):  # noqa: ANN001, ANN201
            return None

    crawler = get_crawler(QueueSpider)
    crawler.spider = spider = crawler._create_spider()
    queue = FrontierDiskQueue(crawler, str(tmp_path / "q"))
    pushed = [
        Request("http://127.0.0.1/a", callback=spider.parse_page, errback=spider.failed, priority=10,
                meta={"discovery_method": "link", "depth": 2}, headers={"Referer": "http://127.0.0.1/"}),
        Request("http://127.0.0.1/b", callback=spider.parse_page, dont_filter=True),
        Request("http://127.0.0.1/c"),
    ]
    for request in pushed:
        queue.push(request)
    popped = [queue.pop() for _ in pushed][::-1]  # LIFO
    for original, back in zip(pushed, popped):
        assert back.to_dict(spider=spider) == original.to_dict(spider=spider)
        assert back.callback == original.callback and back.errback == original.errback
    assert pushed[0].callback == spider.parse_page  # the pushed request is left as it was
    with pytest.raises(ValueError, match="is not an instance method"):
        queue.push(Request("http://127.0.0.1/d", callback=lambda response: None))
    queue.close()
    assert request_from_dict(pushed[1].to_dict(spider=spider), spider=spider).url == "http://127.0.0.1/b"
