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
