"""Every newscrawl setting with its default.

Operators override any of these with ``-s NAME=value``; the ones that scripts rely on
(OUTPUT_ROOT, ALLOW_PRIVATE_NETWORKS, WORKER_ID, REDIS_URL) are contracts and keep their names.
"""

from newscrawl import __version__

BOT_NAME = "newscrawl"
SPIDER_MODULES = ["newscrawl.spiders"]
NEWSPIDER_MODULE = "newscrawl.spiders"
COMMANDS_MODULE = "newscrawl.commands"

# --- where output goes ---------------------------------------------------------------------
# Root of everything a crawl writes: warc/, parquet/, _staging/, state/, logs/.
OUTPUT_ROOT = "output"
# Identifies this process in every file name and in the worker_id column. Empty: "<host>-<pid>".
WORKER_ID = ""
# Identifies this run in the warcinfo record and the crawl_id column. Empty: generated per run.
CRAWL_ID = ""
# Shared frontier for scale-out workers (scrapy-redis, see newscrawl/elastic.py and the
# README's "Many machines"); empty means a single process. Needs `pip install newscrawl[redis]`.
REDIS_URL = ""
# Workers started with the same key share one crawl (queue + duplicate filter on Redis).
# Empty: today's UTC date, so each day's crawl starts with a fresh duplicate filter.
NEWSCRAWL_CRAWL_KEY = ""
# An idle elastic worker stays this long for the shared queue to get work again.
NEWSCRAWL_REDIS_IDLE_SECONDS = 10.0
# Where the incremental state (seen URLs, ETags, payload digests, article fingerprints) lives:
# "sqlite" (OUTPUT_ROOT/state/captures.sqlite), "redis" (REDIS_URL, shared by all workers),
# empty: redis when REDIS_URL is set, else sqlite.
NEWSCRAWL_STATE_BACKEND = ""
# Key prefix of the Redis state; not per crawl key, so tomorrow's crawl knows today's pages.
NEWSCRAWL_REDIS_STATE_PREFIX = "newscrawl:state"

# --- politeness ------------------------------------------------------------------------------
# Contact URL placed in the User-Agent so site owners can reach the operator.
NEWSCRAWL_CONTACT_URL = "https://github.com/newscrawl/newscrawl"
USER_AGENT = f"newscrawl/{__version__} (+{NEWSCRAWL_CONTACT_URL})"
ROBOTSTXT_OBEY = True
# Scrapy's Accept and Accept-Language, and Accept-Encoding without "br": Scrapy would offer
# brotli (it depends on Google's brotli package), and a site that takes the offer sends
# br bodies, which the WARC stores as sent and which warcio (`warcio check`, pywb's reading
# of them) cannot decode with that package (webrecorder/warcio#73: it expects brotlipy).
# gzip and deflate are read by every WARC tool.
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "en",
    "Accept-Encoding": "gzip, deflate",
}
DOWNLOAD_DELAY = 0.5
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
# Per-host delay floor: robots.txt Crawl-delay (and a site's `delay`) can raise it, nothing
# lowers it (AutoThrottle adjusts above it).
NEWSCRAWL_MIN_DELAY = 0.5
# Longest wait honoured from a Retry-After header on 429/503 (exponential backoff without one).
NEWSCRAWL_RETRY_AFTER_MAX = 300
# How many link hops from a start page (homepage -> section -> article is 2).
DEPTH_LIMIT = 4
DOWNLOAD_TIMEOUT = 30
# Bodies longer than this are cut off and archived with WARC-Truncated: length.
NEWSCRAWL_MAX_BODY_BYTES = 32 * 1024 * 1024
# Hard cap (also on decompressed size): such downloads are dropped, with an error in captures.
DOWNLOAD_MAXSIZE = 64 * 1024 * 1024
DOWNLOAD_WARNSIZE = 16 * 1024 * 1024
# Keep truncated bodies: they are archived with WARC-Truncated instead of being lost.
DOWNLOAD_FAIL_ON_DATALOSS = False

# --- safety ----------------------------------------------------------------------------------
# Refuse URLs whose host is a private, loopback or link-local address unless set to True
# (the demo site and the tests run on 127.0.0.1 and set it).
ALLOW_PRIVATE_NETWORKS = False
# ... also when a hostname resolves to such an address (DNS rebinding, metadata endpoints).
TWISTED_DNS_RESOLVER = "newscrawl.netguard.PublicOnlyResolver"
# Scrapy's telnet console and RemoteControl server execute code: off unless the operator asks.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

# --- WARC ------------------------------------------------------------------------------------
WARC_ENABLED = True
# File name prefix: <prefix>-<yyyymmddHHMMSS>-<serial>-<worker_id>.warc.gz
WARC_PREFIX = "NEWS"
# Rotate to a new file (between exchanges) once a file reaches this size.
WARC_MAX_BYTES = 1_000_000_000
# gzip library of each record's gzip member (newscrawl/archive/gzip_engines.py): "isal"
# (ISA-L, levels 0-3, ~a sixth of zlib-ng's CPU at level 6 for ~15 % larger files), "zlib-ng"
# or "zlib" (levels 0-9); empty: isal, or zlib-ng for a WARC_GZIP_LEVEL above 3 (a zlib
# level, as the setting meant before ISA-L). WARC_GZIP_LEVEL None: the engine's default
# (isal 2, zlib 6).
WARC_GZIP_ENGINE = ""
WARC_GZIP_LEVEL = None
# Free text naming who runs the crawl, written into every warcinfo record.
WARC_OPERATOR = ""
# WARC deduplication: a payload archived before (this run or an earlier one, per worker, see
# OUTPUT_ROOT/state/) is written as a revisit record; a 304 as a server-not-modified revisit.
WARC_REVISITS = True
# A metadata record per capture (fetch time, discovery method and source, hops, redirects).
WARC_METADATA_RECORDS = True

# --- Parquet ---------------------------------------------------------------------------------
# Publish a file once this many rows, or about this many bytes, are buffered, or when the
# oldest buffered row has waited this long (and always on close).
PARQUET_MAX_ROWS_PER_FILE = 50_000
PARQUET_MAX_BYTES_PER_FILE = 64 * 1024 * 1024  # the buffer lives in memory: it bounds the crawl's RSS
PARQUET_MAX_SECONDS_PER_FILE = 600
# Row groups are bounded by rows and by (estimated) bytes.
PARQUET_ROW_GROUP_ROWS = 5_000
PARQUET_ROW_GROUP_BYTES = 16 * 1024 * 1024  # publishing holds one row group beside the buffer
PARQUET_COMPRESSION = "zstd"

# --- incremental runs ----------------------------------------------------------------------
# Later runs skip articles archived before and fetch other pages conditionally (state/).
NEWSCRAWL_INCREMENTAL = True
# Re-fetch (conditionally) articles published less than this many days ago, to record
# updates: a changed article becomes a new row with the same article_id. 0: never.
NEWSCRAWL_REFRESH_DAYS = 0

# Follow the Sitemap: lines of every robots.txt met (sites' own sitemaps are always followed).
NEWSCRAWL_ROBOTS_SITEMAPS = True
# Article URLs queued from one sitemap file at most (sitemaps.org allows 50,000 per file). A
# bigger one is read (streamed) up to here, counted in newscrawl/discovery/sitemap_capped and
# logged; this bounds the scheduler's memory. 0: no limit (use JOBDIR disk queues then).
NEWSCRAWL_SITEMAP_MAX_URLS = 50_000
# Skip sitemap and feed entries published more than this many days ago (a site's
# max_age_days wins). 0: no limit.
NEWSCRAWL_MAX_ARTICLE_AGE_DAYS = 0

# --- extraction ---------------------------------------------------------------------------
# Per-site extraction profiles for this crawl, added to newscrawl.extract.profiles.SITES:
# {"example.com": "mypackage.profiles.example_com"} (registered domain -> module with PROFILE).
NEWSCRAWL_PROFILES: dict[str, str] = {}
# Processes extracting articles beside the crawl process (Scrapy's reactor uses one core):
# "auto" = one per core beyond the first, at most 4; 0 = extract in the crawl process.
NEWSCRAWL_EXTRACT_WORKERS = "auto"

# --- components ------------------------------------------------------------------------------
DOWNLOAD_HANDLERS = {
    "http": "newscrawl.archive.timing.TimedHTTPDownloadHandler",
    "https": "newscrawl.archive.timing.TimedHTTPDownloadHandler",
}
DOWNLOADER_MIDDLEWARES = {
    # before OffsiteMiddleware (50) and robots (100): nothing private is even asked for robots.txt
    "newscrawl.netguard.PrivateNetworkGuardMiddleware": 40,
    # skip articles archived by earlier runs; conditional requests for everything else
    "newscrawl.incremental.IncrementalMiddleware": 60,
    # per-host delay floor (NEWSCRAWL_MIN_DELAY, site delay, robots Crawl-delay)
    "newscrawl.politeness.CrawlDelayFloorMiddleware": 110,
    # retries that wait for Retry-After on 429/503 (replaces Scrapy's RetryMiddleware)
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "newscrawl.politeness.PoliteRetryMiddleware": 550,
    # closest to the downloader: sees every failed attempt before retries hide it
    "newscrawl.archive.failures.FetchFailureMiddleware": 990,
    # Scrapy's, without decoding every HTML body to look for the tag (same place, 580)
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "newscrawl.metarefresh.MetaRefreshMiddleware": 580,
}
# MemoryStatsCollector without Scrapy's per-access deprecation hook (newscrawl/statscollector.py)
STATS_CLASS = "newscrawl.statscollector.NewsStatsCollector"
EXTENSIONS = {
    "newscrawl.state.StateKeeper": 50,
    "newscrawl.archive.extension.WarcCaptureExtension": 100,
    "newscrawl.archive.truncation.BodySizeLimit": 105,
    "pipelines.staging.StagingArea": 108,
    "pipelines.capture_log.CaptureLog": 110,
    "newscrawl.elastic.SharedQueueGrace": 120,
    "newscrawl.outcome.RunOutcome": 900,
    "newscrawl.gctune.GcTuning": 950,
}
# Young-generation threshold of the garbage collector in the crawl process and the extraction
# workers, start-up objects frozen (newscrawl.gctune); 0 keeps Python's defaults.
NEWSCRAWL_GC_THRESHOLD = 20_000
# Arrow's memory pool in the crawl process: jemalloc, mimalloc or system (pipelines.parquet_writer.use_arrow_pool)
NEWSCRAWL_ARROW_MEMORY_POOL = "jemalloc"
# Outermost spider middleware (sees the spider's output last): in elastic mode it releases a
# request's claim once its links and item are handed on; NotConfigured otherwise.
SPIDER_MIDDLEWARES = {"newscrawl.elastic.ClaimRelease": 5}
ITEM_PIPELINES = {
    "pipelines.parse.ParsePipeline": 100,
    "pipelines.dedup.DedupPipeline": 200,
    "pipelines.parquet.ParquetPipeline": 300,
}
# Items are cheap to route; a large value only adds task overhead per page.
CONCURRENT_ITEMS = 16
# Pending requests wait in a file queue under OUTPUT_ROOT/_frontier/<WORKER_ID>/ (memory stays
# bytes per URL however far ahead discovery runs); False keeps Scrapy's memory queue.
NEWSCRAWL_FRONTIER_ON_DISK = True

LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

# Fills WORKER_ID / CRAWL_ID defaults once, before any component reads them.
ADDONS = {"newscrawl.run.RunIdentityAddon": 0, "newscrawl.offline.OfflineSuffixListAddon": 0, "newscrawl.elastic.ElasticAddon": 0}
