"""Settings of the fetch-only baseline: Scrapy's defaults, the same politeness-free
concurrency as the pipeline run, and its stats written to BENCH_STATS_FILE."""

BOT_NAME = "fetch_only"
ROBOTSTXT_OBEY = True
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
EXTENSIONS = {"bench.stats_file.StatsFile": 0}
