"""CPU time by stage: what bench/throughput.py divides by pages."""

from __future__ import annotations

import time
from collections.abc import Iterator

from scrapy.utils.test import get_crawler

from newscrawl.cpu import charged, cpu_stage


def _burn(seconds: float) -> None:
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


class Component:
    def __init__(self, stats: object) -> None:
        self.stats = stats

    @charged("steps")
    def steps(self) -> Iterator[int]:
        for i in range(3):
            _burn(0.01)
            yield i

    @charged("call")
    def call(self) -> int:
        _burn(0.01)
        return 7


def test_stages_add_the_thread_cpu_of_calls_generator_steps_and_blocks() -> None:
    crawler = get_crawler()
    stats = crawler.stats
    component = Component(stats)
    consumed = []
    for value in component.steps():
        _burn(0.02)  # the consumer's time between steps is not the stage's
        consumed.append(value)
    assert consumed == [0, 1, 2] and component.call() == 7
    unfinished = component.steps()
    next(unfinished)
    unfinished.close()  # a generator closed early is charged for the steps it ran
    with cpu_stage(stats, "block"):
        _burn(0.01)
    steps_ms = stats.get_value("newscrawl/cpu_ms/steps")
    assert 40 <= steps_ms < 60  # four steps of 10 ms, not the consumer's 60
    assert 10 <= stats.get_value("newscrawl/cpu_ms/call") < 20
    assert 10 <= stats.get_value("newscrawl/cpu_ms/block") < 20


def test_the_crawls_stats_collector_keeps_scrapys_stats_without_its_access_hook() -> None:
    """STATS_CLASS: every method answers as Scrapy's MemoryStatsCollector does, the stats of a
    closed spider are kept the same way; only Scrapy's per-access __getattribute__ is gone."""
    from scrapy import Spider
    from scrapy.statscollectors import MemoryStatsCollector
    from scrapy.utils.project import get_project_settings

    from newscrawl.statscollector import NewsStatsCollector

    settings = get_project_settings()
    assert settings.get("STATS_CLASS") == "newscrawl.statscollector.NewsStatsCollector"
    crawler = get_crawler(Spider, {"STATS_CLASS": settings.get("STATS_CLASS")})
    assert type(crawler.stats) is NewsStatsCollector
    assert "__getattribute__" in NewsStatsCollector.__dict__ and NewsStatsCollector.__getattribute__ is object.__getattribute__
    crawler.spider = Spider("s")
    answers = []
    for stats in (MemoryStatsCollector(crawler), crawler.stats):
        stats.open_spider()
        stats.inc_value("a")
        stats.inc_value("a", 4)
        stats.inc_value("b", start=10)
        stats.set_value("c", "x")
        stats.max_value("m", 3)
        stats.max_value("m", 1)
        stats.min_value("n", 3)
        stats.min_value("n", 1)
        before = dict(stats.get_stats())
        value = stats.get_value("a"), stats.get_value("missing", 0)
        stats.close_spider(reason="finished")
        answers.append((before, value, stats.spider_stats))
    assert answers[0] == answers[1]
    assert answers[1][0] == {"a": 5, "b": 11, "c": "x", "m": 3, "n": 1}
