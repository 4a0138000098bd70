"""Item pipelines and the captures log, each built from a crawler like Scrapy builds them."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from newscrawl import signals as nc_signals
from newscrawl.items import ArticleItem, Capture, PageItem
from newscrawl.urls import surt_key
from pipelines.capture_log import CaptureLog
from pipelines.dedup import DedupPipeline
from pipelines.parquet import ParquetPipeline
from pipelines.parse import ParsePipeline
from pipelines.schema import ARTICLES_SCHEMA, CAPTURES_SCHEMA

PAGES = Path(__file__).parent / "pages"


def crawler_for(tmp_path: Path, **settings):
    return get_crawler(settings_dict={"OUTPUT_ROOT": str(tmp_path), "WORKER_ID": "w1", "CRAWL_ID": "c1", **settings})


def capture_for(url: str, when: datetime) -> Capture:
    return Capture(
        url=url,
        url_surtkey=surt_key(url),
        fetch_time=when,
        fetch_status=200,
        warc_filename="warc/x.warc.gz",
        warc_record_offset=0,
        warc_record_length=10,
        record_type="response",
        worker_id="w1",
    )


def page_item(case: str, when: datetime | None = None) -> PageItem:
    info = json.loads((PAGES / case / "info.json").read_text())
    when = when or datetime(2022, 2, 1, 12, tzinfo=timezone.utc)
    return PageItem(
        url=info["url"],
        requested_url=info["url"] + "?utm_source=feed",
        status=200,
        headers={k.lower(): v for k, v in info["headers"].items()},
        body=(PAGES / case / "body.html").read_bytes(),
        capture=capture_for(info["url"], when),
    )


def parsed(pipeline: ParsePipeline, item: PageItem) -> ArticleItem:
    """ParsePipeline.process_item is a coroutine (it may await a worker process)."""
    return asyncio.run(pipeline.process_item(item))


def test_parse_pipeline_turns_article_pages_into_article_items(tmp_path: Path) -> None:
    crawler = crawler_for(tmp_path)
    pipeline = build_from_crawler(ParsePipeline, crawler)
    page = page_item("example-article")
    item = parsed(pipeline, page)
    assert isinstance(item, ArticleItem)
    assert item.headline == "Russia-Iran Meeting to Pledge for Strategic Cooperation"
    assert item.requested_url == page.requested_url
    assert (item.warc_filename, item.warc_record_offset, item.fetch_time) == (
        "warc/x.warc.gz", 0, page.capture.fetch_time,
    )
    assert crawler.stats.get_value("newscrawl/parse/articles") == 1


def test_parse_pipeline_counts_and_drops_non_articles(tmp_path: Path) -> None:
    crawler = crawler_for(tmp_path)
    pipeline = build_from_crawler(ParsePipeline, crawler)
    with pytest.raises(DropItem, match="not an article"):
        parsed(pipeline, page_item("section-listing"))
    dropped = {k: v for k, v in crawler.stats.get_stats().items() if k.startswith("newscrawl/parse/non_article/")}
    assert sum(dropped.values()) == 1


def test_parse_pipeline_survives_binary_garbage(tmp_path: Path) -> None:
    crawler = crawler_for(tmp_path)
    pipeline = build_from_crawler(ParsePipeline, crawler)
    page = page_item("example-article")
    page.body = bytes(range(256)) * 50
    with pytest.raises(DropItem, match="not an article"):
        parsed(pipeline, page)


def test_dedup_pipeline_drops_the_same_article_under_another_url(tmp_path: Path) -> None:
    crawler = crawler_for(tmp_path)
    parse = build_from_crawler(ParsePipeline, crawler)
    dedup = build_from_crawler(DedupPipeline, crawler)
    first = parsed(parse, page_item("jsonld-newsarticle"))
    again = page_item("jsonld-newsarticle")
    again.url = again.url + "?utm_campaign=x"  # canonical link still names the first URL
    second = parsed(parse, again)
    assert dedup.process_item(first) is first
    with pytest.raises(DropItem):
        dedup.process_item(second)
    assert crawler.stats.get_value("newscrawl/dedup/dropped/canonical_url") == 1


def test_parquet_pipeline_publishes_partitioned_sorted_files(tmp_path: Path) -> None:
    crawler = crawler_for(tmp_path, PARQUET_MAX_ROWS_PER_FILE=3)
    parse = build_from_crawler(ParsePipeline, crawler)
    pipeline = build_from_crawler(ParquetPipeline, crawler)
    days = [datetime(2022, 2, d, 9, tzinfo=timezone.utc) for d in (2, 1, 2, 1, 2)]
    cases = ["opengraph-microdata", "example-article", "jsonld-newsarticle", "classic-with-byline", "example-article"]
    for case, day in zip(cases, days):
        pipeline.process_item(parsed(parse, page_item(case, day)))
    assert pipeline.process_item("not an article item") == "not an article item"
    pipeline.close_spider()
    files = sorted((tmp_path / "parquet" / "articles").rglob("*.parquet"))
    assert {f.parent.name for f in files} == {"crawl_date=2022-02-01", "crawl_date=2022-02-02"}
    assert all(f.name.startswith("articles-") and "-w1-" in f.name for f in files)
    assert not list((tmp_path / "_staging").rglob("*.staged"))
    for path in files:
        table = pq.read_table(path)
        assert table.schema.equals(ARTICLES_SCHEMA, check_metadata=False)
        keys = table.column("url_surtkey").to_pylist()
        assert keys == sorted(keys)
    dataset = ds.dataset(tmp_path / "parquet" / "articles", format="parquet", partitioning="hive", schema=None)
    assert dataset.to_table().num_rows == 5
    names = duckdb.sql(
        f"SELECT a.name FROM (SELECT unnest(authors) AS a FROM read_parquet('{tmp_path}/parquet/articles/**/*.parquet', hive_partitioning=true))"
    ).fetchall()
    assert names
    assert crawler.stats.get_value("newscrawl/parquet/rows/articles") == 5


def test_capture_log_writes_every_capture_signal(tmp_path: Path) -> None:
    crawler = crawler_for(tmp_path)
    log = build_from_crawler(CaptureLog, crawler)
    crawler.signals.connect(log.capture_recorded, signal=nc_signals.capture_recorded)
    when = datetime(2022, 3, 1, tzinfo=timezone.utc)
    for url in ("http://b.example/2", "http://a.example/1"):
        crawler.signals.send_catch_log(signal=nc_signals.capture_recorded, capture=capture_for(url, when))
    failed = Capture(url="http://c.example/", fetch_time=when, error="TimeoutError: took too long")
    crawler.signals.send_catch_log(signal=nc_signals.capture_recorded, capture=failed)
    log.spider_closed(crawler.spider, "finished")
    (path,) = (tmp_path / "parquet" / "captures" / "crawl_date=2022-03-01").glob("*.parquet")
    table = pq.read_table(path)
    assert table.schema.equals(CAPTURES_SCHEMA, check_metadata=False)
    assert table.column("url").to_pylist() == ["http://a.example/1", "http://b.example/2", "http://c.example/"]
    assert table.column("error").to_pylist() == [None, None, "TimeoutError: took too long"]


def test_parquet_files_are_never_overwritten_by_a_later_run(tmp_path: Path) -> None:
    fixed = datetime(2022, 3, 1, 12, tzinfo=timezone.utc)
    for run in range(2):
        crawler = crawler_for(tmp_path)
        log = build_from_crawler(CaptureLog, crawler)
        log.writer._clock = lambda: fixed  # both runs publish in "the same second"
        log.capture_recorded(capture_for(f"http://a.example/{run}", fixed))
        log.spider_closed(crawler.spider, "finished")
    files = sorted((tmp_path / "parquet" / "captures").rglob("*.parquet"))
    assert len(files) == 2
    assert sorted(pq.read_table(f).column("url")[0].as_py() for f in files) == ["http://a.example/0", "http://a.example/1"]


def test_parse_pipeline_applies_the_profiles_of_the_crawl(tmp_path: Path) -> None:
    crawler = crawler_for(tmp_path, NEWSCRAWL_PROFILES={"quirkywire.example": "tests.profiles.quirky_wire"})
    pipeline = build_from_crawler(ParsePipeline, crawler)
    item = parsed(pipeline, page_item("profile-quirky-wire"))
    assert [a.name for a in item.authors] == ["Ines Moreau", "Pavel Novak"]
    assert item.field_sources["body"] == "dom" and "Partner" not in item.body


def test_an_extraction_the_spider_awaited_is_used_not_repeated(tmp_path: Path) -> None:
    """The spider has each page extracted (for its links) before handing it on: the pipeline
    routes that extraction; a page whose extraction raised is counted, logged and dropped."""
    crawler = crawler_for(tmp_path, NEWSCRAWL_EXTRACT_WORKERS=0)
    pipeline = build_from_crawler(ParsePipeline, crawler)
    page = page_item("example-article")
    extraction = asyncio.run(pipeline.extract(page, links=True))
    assert extraction.links is not None and extraction.links.pages
    before = crawler.stats.get_value("newscrawl/cpu_ms/extract")
    page.extracted = extraction
    item = parsed(pipeline, page)
    assert crawler.stats.get_value("newscrawl/cpu_ms/extract") == before  # not extracted twice
    assert item.headline == extraction.article.headline and page.extracted is None
    failed = page_item("example-article")
    failed.extracted = ValueError("broken page")
    with pytest.raises(DropItem, match="extraction failed: ValueError: broken page"):
        parsed(pipeline, failed)
    assert crawler.stats.get_value("newscrawl/parse/failed/ValueError") == 1


def crashing_job(body: bytes, url: str, headers: dict, fetched_at: datetime | None, links: bool = False) -> tuple:
    """An extraction job that takes its worker process down on pages named "crash"."""
    import os

    from pipelines.extract_pool import extract_job

    if "crash" in url:
        os._exit(3)
    return extract_job(body, url, headers, fetched_at, links)


def test_extraction_in_worker_processes_gives_the_same_items(tmp_path: Path) -> None:
    inline = build_from_crawler(ParsePipeline, crawler_for(tmp_path, NEWSCRAWL_EXTRACT_WORKERS=0))
    pooled_crawler = crawler_for(tmp_path, NEWSCRAWL_EXTRACT_WORKERS=2)
    pooled = build_from_crawler(ParsePipeline, pooled_crawler)
    pooled.open_spider()
    assert pooled.pool is not None and inline.pool is None
    cases = ["example-article", "jsonld-newsarticle", "classic-with-byline", "opengraph-microdata"]

    async def all_pooled() -> list:
        return await asyncio.gather(*(pooled.process_item(page_item(c)) for c in cases))

    try:
        from_pool = asyncio.run(all_pooled())
    finally:
        pooled.close_spider()
    for case, item in zip(cases, from_pool):
        expected = parsed(inline, page_item(case))
        assert ItemAdapter(item).asdict() == ItemAdapter(expected).asdict(), case
    stats = pooled_crawler.stats.get_stats()
    assert stats["newscrawl/parse/workers"] == 2 and stats["newscrawl/cpu_ms/extract_workers"] > 0


def test_a_worker_that_dies_is_replaced_and_only_its_page_is_given_up(tmp_path: Path) -> None:
    from pipelines.extract_pool import BrokenWorker, ExtractionPool

    pool = ExtractionPool(1, {}, job=crashing_job)
    good, bad = page_item("example-article"), page_item("jsonld-newsarticle")

    async def run() -> list:
        return await asyncio.gather(
            pool.extract(good.body, good.url, good.headers, None),
            pool.extract(bad.body, "https://news.example/crash", bad.headers, None),
            pool.extract(good.body, good.url, good.headers, None),
            return_exceptions=True,
        )

    try:
        first, crashed, third = asyncio.run(run())
    finally:
        pool.close()
    assert isinstance(crashed, BrokenWorker)
    assert first[0].verdict.is_article and third[0].verdict.is_article  # lost with the pool, retried in the next
    assert pool.replaced >= 1


def echo_job(body: bytes, url: str, headers: dict, fetched_at: datetime | None, links: bool = False) -> tuple:
    """Answers with what it was given (sizes and a digest), or raises what the URL asks for."""
    import hashlib
    import threading

    if url.endswith("/raise"):
        raise ValueError(f"broken page {url}")
    if url.endswith("/unpicklable"):
        error = RuntimeError("holds a lock")
        error.lock = threading.Lock()  # an exception that cannot be pickled back
        raise error
    return (url, len(body), hashlib.sha1(body).hexdigest(), headers), 0.0


def test_pool_answers_each_job_to_its_caller_and_raises_a_jobs_exception_there() -> None:
    """Many jobs in flight on two workers, bodies far larger than a socket buffer (written
    in pieces by the event loop), answers matched to their callers; a job's exception is
    raised where it was asked for, and the pool goes on."""
    import hashlib

    from pipelines.extract_pool import ExtractionPool, RemoteError

    pool = ExtractionPool(2, {}, job=echo_job)
    bodies = [bytes([i]) * size for i, size in enumerate([0, 1, 100_000, 9_000_000, 70_000, 3, 12_000_000, 500] * 3)]

    async def run() -> list:
        jobs = [pool.extract(body, f"https://news.example/{i}", {"n": str(i)}, None) for i, body in enumerate(bodies)]
        jobs.insert(5, pool.extract(b"x", "https://news.example/raise", {}, None))
        jobs.insert(9, pool.extract(b"x", "https://news.example/unpicklable", {}, None))
        return await asyncio.gather(*jobs, return_exceptions=True)

    try:
        answers = asyncio.run(run())
    finally:
        pool.close()
    unpicklable, raised = answers.pop(9), answers.pop(5)
    assert isinstance(raised, ValueError) and str(raised) == "broken page https://news.example/raise"
    assert isinstance(unpicklable, RemoteError) and "holds a lock" in str(unpicklable)
    for i, (body, (answer, _)) in enumerate(zip(bodies, answers)):
        assert answer == (f"https://news.example/{i}", len(body), hashlib.sha1(body).hexdigest(), {"n": str(i)})
    assert pool.replaced == 0


def collector_settings_job(body: bytes, url: str, headers: dict, fetched_at: datetime | None, links: bool = False) -> tuple:
    """Reports the worker's garbage-collector settings instead of extracting."""
    import gc

    return gc.get_threshold()[0], gc.get_freeze_count()


def test_extraction_workers_get_the_crawls_collector_settings() -> None:
    from pipelines.extract_pool import ExtractionPool

    tuned, default = ExtractionPool(1, {}, job=collector_settings_job, gc_threshold=12345), ExtractionPool(1, {}, job=collector_settings_job)
    try:
        (threshold, frozen), (plain_threshold, plain_frozen) = (
            asyncio.run(pool.extract(b"", "https://news.example/", {}, None)) for pool in (tuned, default)
        )
    finally:
        tuned.close()
        default.close()
    assert threshold == 12345 and frozen > 1000  # the imported extraction code is frozen
    assert plain_threshold == 700 and plain_frozen == 0


def test_reported_links_leave_out_what_was_reported_at_that_depth_or_less() -> None:
    """What the spider's index would drop (a link seen before at a depth no greater) is left
    out in the worker; a link now at a smaller depth goes again; a full memory forgets."""
    from newscrawl.extract.outlinks import PageLinks
    from pipelines.extract_pool import ReportedLinks

    reported = ReportedLinks(capacity=6)
    menu = ["https://n.example/", "https://n.example/world/", "https://n.example/sport/"]
    first = reported.fresh(PageLinks(pages=[*menu, "https://n.example/a1"], alternates=[("application/rss+xml", "https://n.example/feed")]), 2)
    assert first.pages == [*menu, "https://n.example/a1"] and first.repeated == 0 and first.alternates  # feeds untouched
    second = reported.fresh(PageLinks(pages=[*menu, "https://n.example/a2"]), 2)
    assert second.pages == ["https://n.example/a2"] and second.repeated == 3
    deeper = reported.fresh(PageLinks(pages=[*menu, "https://n.example/a2"]), 3)
    assert deeper.pages == [] and deeper.repeated == 4
    shallower = reported.fresh(PageLinks(pages=["https://n.example/a2", "https://n.example/a3"]), 1)
    assert shallower.pages == ["https://n.example/a2", "https://n.example/a3"]  # a2 now linked nearer the start
    assert reported.fresh(PageLinks(pages=["https://n.example/a2"]), 1).pages == []
    assert reported.fresh(PageLinks(pages=["https://n.example/a4"]), 1).pages == ["https://n.example/a4"]
    full = reported.fresh(PageLinks(pages=menu), 1)  # 7 remembered > capacity 6: all forgotten first
    assert full.pages == menu and full.repeated == 0


def test_a_worker_sends_each_link_once_per_depth(tmp_path: Path) -> None:
    """The same page twice through one worker: the second answer holds none of its links
    (all were reported at that depth), and at a smaller depth all of them again."""
    from pipelines.extract_pool import ExtractionPool, extract_job

    pool = ExtractionPool(1, {}, job=extract_job)
    page = page_item("example-article")

    async def run() -> list:
        return [
            (await pool.extract(page.body, page.url, page.headers, None, True, link_depth=depth))[0].links
            for depth in (2, 2, 1, None)
        ]

    try:
        first, again, nearer, unasked = asyncio.run(run())
    finally:
        pool.close()
    assert len(first.pages) >= 3 and first.repeated == 0
    assert again.pages == [] and again.repeated == len(first.pages)
    assert nearer.pages == first.pages
    assert unasked.pages == first.pages and unasked.repeated == 0  # without a depth, every link
