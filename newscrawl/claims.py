"""The elastic scheduler (its own module: it imports scrapy-redis, an optional extra)."""

from __future__ import annotations

from scrapy import Request, Spider
from scrapy_redis.scheduler import Scheduler

from newscrawl.elastic import claims_key, encode_claim


class ClaimingScheduler(Scheduler):
    """scrapy-redis' scheduler that claims, in Redis, every request it hands to this worker."""

    def open(self, spider: Spider) -> None:
        super().open(spider)
        self.claims_key = claims_key(spider.crawler.settings, spider.crawler.settings["WORKER_ID"], spider.name)

    def next_request(self) -> Request | None:
        request = super().next_request()
        if request is not None:
            self.server.hset(self.claims_key, request.url, encode_claim(request.priority, self.queue._encode_request(request)))
        return request

    def close(self, reason: str) -> None:
        super().close(reason)
        if reason == "finished":  # the shared queue ran dry and every claimed request was done
            self.server.delete(self.claims_key)
