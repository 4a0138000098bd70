"""newscrawl: crawl news sites with Scrapy, archive every exchange as WARC, store articles as Parquet."""

__version__ = "0.1.0"
