"""Benchmarks: extraction quality and speed, crawl throughput. They print figures."""
