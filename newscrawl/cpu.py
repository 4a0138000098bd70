"""CPU time by pipeline stage, in the crawl's stats (``newscrawl/cpu_ms/<stage>``).

Thread CPU time (not wall time: waiting on the network is not cost) of the reactor thread
spent in each component, so a benchmark divides by pages and sees where a page's
milliseconds go (bench/throughput.py). Costs about a microsecond per call.
"""

from __future__ import annotations

import functools
import inspect
import resource
import time
from collections.abc import Callable
from typing import Any, TypeVar

from scrapy.statscollectors import StatsCollector

F = TypeVar("F", bound=Callable[..., Any])
PREFIX = "newscrawl/cpu_ms/"
thread_time = time.thread_time


def _stats_of(component: Any) -> StatsCollector | None:
    stats = getattr(component, "stats", None)
    if stats is None:
        crawler = getattr(component, "crawler", None)
        stats = getattr(crawler, "stats", None)
    return stats


class cpu_stage:  # lower case: used like a function, ``with cpu_stage(stats, "warc"):``
    """Context manager: the CPU time inside is added to the stage's stat. For signal
    handlers, whose arguments Scrapy matches by name (a decorator's ``*args, **kwargs``
    would be handed every argument of the signal)."""

    __slots__ = ("key", "started", "stats")

    def __init__(self, stats: StatsCollector | None, stage: str) -> None:
        self.stats, self.key = stats, PREFIX + stage

    def __enter__(self) -> None:
        self.started = thread_time()

    def __exit__(self, *exc: object) -> None:
        _add(self.stats, self.key, self.started)


def charged(stage: str) -> Callable[[F], F]:
    """Method decorator: the CPU time of each call (each step, for a generator) is added to
    the stage's stat of the component's ``stats`` (or ``crawler.stats``). Not for signal
    handlers (see ``cpu_stage``)."""
    key = PREFIX + stage

    def decorate(method: F) -> F:
        if inspect.isgeneratorfunction(method):
            @functools.wraps(method)
            def steps(self: Any, *args: Any, **kwargs: Any) -> Any:
                # the steps' times summed here, added to the stat once: a link-following
                # callback yields dozens of requests per page
                iterator = method(self, *args, **kwargs)
                spent = 0.0
                try:
                    while True:
                        started = thread_time()
                        try:
                            value = next(iterator)
                        except StopIteration:
                            return
                        finally:
                            spent += thread_time() - started
                        yield value
                finally:
                    _inc(_stats_of(self), key, spent * 1000.0)

            return steps  # type: ignore[return-value]

        @functools.wraps(method)
        def call(self: Any, *args: Any, **kwargs: Any) -> Any:
            started = thread_time()
            try:
                return method(self, *args, **kwargs)
            finally:
                _add(_stats_of(self), key, started)

        return call  # type: ignore[return-value]

    return decorate


def _add(stats: StatsCollector | None, key: str, started: float) -> None:
    _inc(stats, key, (thread_time() - started) * 1000.0)


def _inc(stats: StatsCollector | None, key: str, ms: float) -> None:
    """``stats.inc_value`` called through the class: Scrapy's instance-level deprecation shim
    (``StatsCollector.__getattribute__`` and its spider-argument wrapper) cost more than the
    addition itself, several times per page."""
    if stats is not None:
        type(stats).inc_value(stats, key, ms, start=0.0)


def record_process_usage(stats: StatsCollector) -> None:
    """Peak RSS and total CPU of this process (and of its finished child processes, such as
    extraction workers), for the end-of-crawl stats."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    stats.set_value("newscrawl/memory/peak_rss_mb", round(own.ru_maxrss / 1024, 1))
    stats.set_value("newscrawl/memory/children_peak_rss_mb", round(children.ru_maxrss / 1024, 1))
    stats.set_value("newscrawl/cpu_total_ms/process", round((own.ru_utime + own.ru_stime) * 1000.0, 1))
    stats.set_value("newscrawl/cpu_total_ms/children", round((children.ru_utime + children.ru_stime) * 1000.0, 1))
