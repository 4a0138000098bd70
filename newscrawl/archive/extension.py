"""Scrapy extension that archives every HTTP exchange into WARC as it comes off the wire."""

from __future__ import annotations

import logging
import socket

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from warcio.recordloader import ArcWarcRecord

from newscrawl import __version__
from newscrawl import signals as nc_signals
from newscrawl.archive.records import (
    PROFILE_IDENTICAL_PAYLOAD,
    PROFILE_SERVER_NOT_MODIFIED,
    Exchange,
    OriginalCapture,
    RecordFactory,
    sha1_base32,
)
from newscrawl.archive.repair import repair_all
from newscrawl.archive.timing import fetch_started
from newscrawl.archive.gzip_engines import warc_gzip
from newscrawl.archive.writer import RotatingWarcWriter, WarcLocation
from newscrawl.captures import capture_from_response
from newscrawl.cpu import cpu_stage
from newscrawl.items import Capture
from newscrawl.outcome import stop_for_writer
from newscrawl.run import OutputPaths, run_identity
from newscrawl.state import CaptureRef, CrawlState, state_store

logger = logging.getLogger(__name__)

CAPTURE_META_KEY = "newscrawl_capture"

FIDELITY_NOTE = (
    "Scrapy does not expose the server's reason phrase or header order: status lines use the "
    "standard reason phrase and headers are grouped by name in first-seen order. Bodies are "
    "stored as sent (Content-Encoding kept). Chunked bodies are stored de-chunked: Twisted drops "
    "the Transfer-Encoding header (any that remains is renamed X-Crawler-Transfer-Encoding) and "
    "Content-Length is set to the stored length (a differing original is kept as "
    "X-Crawler-Content-Length)."
)


class WarcCaptureExtension:
    """Writes response (or revisit), request and metadata records on ``response_downloaded``.

    That signal fires before any downloader middleware sees the response, so the body is
    exactly what the server sent, and HTTP-cache hits (which never reach the downloader) are
    not archived. The record location goes into ``request.meta["newscrawl_capture"]``.
    """

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("WARC_ENABLED", True):
            raise NotConfigured("WARC_ENABLED is off")
        self.crawler = crawler
        self.stats = crawler.stats
        self.run = run_identity(crawler)
        paths = OutputPaths.from_settings(settings)
        self.root = paths.root
        self.records = RecordFactory()
        self.writer = RotatingWarcWriter(
            paths.root,
            prefix=settings.get("WARC_PREFIX", "NEWS"),
            worker_id=self.run.worker_id,
            max_bytes=settings.getint("WARC_MAX_BYTES", 1_000_000_000),
            warcinfo=self._warcinfo_fields(crawler),
            records=self.records,
            gzip=warc_gzip(settings),
        )
        self.failed = False
        self.metadata_records = settings.getbool("WARC_METADATA_RECORDS", True)
        self.dedup = settings.getbool("WARC_REVISITS", True)
        self.state: CrawlState | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcCaptureExtension:
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.response_downloaded, signal=signals.response_downloaded)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def _warcinfo_fields(self, crawler: Crawler) -> dict[str, str]:
        s = crawler.settings
        return {
            "software": f"newscrawl/{__version__} (Scrapy, warcio)",
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            "operator": s.get("WARC_OPERATOR") or "",
            "isPartOf": self.run.crawl_id,
            "crawl-id": self.run.crawl_id,
            "worker-id": self.run.worker_id,
            "robots": "obey" if s.getbool("ROBOTSTXT_OBEY") else "ignore",
            "http-header-user-agent": s.get("USER_AGENT") or "",
            "ip": _own_ip(),
            "description": FIDELITY_NOTE,
        }

    def response_downloaded(self, response: Response, request: Request, spider: Spider) -> None:
        if self.failed:
            return
        with cpu_stage(self.stats, "warc"):
            capture = self._archive(response, request)
        if capture is not None:
            self.crawler.signals.send_catch_log(signal=nc_signals.capture_recorded, capture=capture)

    def _archive(self, response: Response, request: Request) -> Capture | None:
        """Write the exchange's records; the capture row they make (None: writing failed)."""
        payload_digest = sha1_base32(response.body)
        truncated = truncation_reason(response)
        fetch_time = fetch_started(request)
        exchange = Exchange(
            request=request,
            response=response,
            fetch_time=fetch_time,
            payload_digest=payload_digest,
            truncated=truncated,
            # behind a proxy the peer address is the proxy's, not the server's
            ip_address=str(response.ip_address) if response.ip_address and not request.meta.get("proxy") else None,
        )
        try:
            warcinfo_id = self.writer.prepare()
            primary, request_record = self._records(exchange, warcinfo_id)
            extra = [request_record]
            if self.metadata_records:
                extra.append(self.records.metadata(exchange, primary, self._metadata_fields(request, response)))
            location = self.writer.write_exchange(primary, *extra)
        except OSError as exc:
            self._fail(exc)
            return None
        is_revisit = primary.rec_type == "revisit"
        self._remember(response, primary, payload_digest, location, original=not is_revisit)
        self.stats.inc_value("newscrawl/warc/records", 1 + len(extra))
        self.stats.inc_value("newscrawl/warc/exchanges")
        if is_revisit:
            self.stats.inc_value("newscrawl/warc/revisits")
        else:
            self.stats.inc_value("newscrawl/warc/payload_bytes", len(response.body))
        if truncated:
            self.stats.inc_value(f"newscrawl/warc/truncated/{truncated}")
        capture = capture_from_response(
            request,
            response,
            fetch_time=fetch_time,
            payload_digest=payload_digest,
            truncated=truncated,
            location=location,
            run=self.run,
        )
        capture.record_type = primary.rec_type
        request.meta[CAPTURE_META_KEY] = capture
        return capture

    def _records(self, exchange: Exchange, warcinfo_id: str | None) -> tuple[ArcWarcRecord, ArcWarcRecord]:
        """A revisit when the payload was archived before (a 200 with a body, or a 304 to a
        conditional request), else a full response record."""
        response = exchange.response
        if self.state is not None:
            if response.status == 304:
                earlier = self.state.latest(response.url)
                if earlier is not None:
                    original = OriginalCapture(earlier.url, earlier.warc_date, earlier.record_id)
                    return self.records.revisit(exchange, warcinfo_id, original, PROFILE_SERVER_NOT_MODIFIED)
            elif response.status == 200 and response.body and not exchange.truncated:
                earlier = self.state.payload(exchange.payload_digest)
                if earlier is not None:
                    original = OriginalCapture(earlier.url, earlier.warc_date, earlier.record_id)
                    return self.records.revisit(exchange, warcinfo_id, original, PROFILE_IDENTICAL_PAYLOAD)
        return self.records.exchange(exchange, warcinfo_id)

    def _remember(
        self, response: Response, record: ArcWarcRecord, digest: str, location: WarcLocation, *, original: bool
    ) -> None:
        """Tell the state store what this fetch saw (for revisits and conditional requests)."""
        if self.state is None:
            return
        ref = CaptureRef(
            url=response.url,
            warc_date=record.rec_headers.get_header("WARC-Date"),
            record_id=record.rec_headers.get_header("WARC-Record-ID"),
            digest=digest,
        )
        if original and response.status == 200 and response.body:
            self.state.remember_payload(ref)
        header = response.headers.get
        self.state.record_fetch(
            response.url,
            status=response.status,
            etag=(header(b"ETag") or b"").decode("latin-1") or None,
            last_modified=(header(b"Last-Modified") or b"").decode("latin-1") or None,
            payload=ref if original else None,
            location=(location.filename, location.offset, location.length) if original else None,
        )

    @staticmethod
    def _metadata_fields(request: Request, response: Response) -> dict[str, str]:
        latency = request.meta.get("download_latency")
        return {
            "fetchTimeMs": str(round(latency * 1000)) if latency is not None else "",
            "discoveryMethod": request.meta.get("discovery_method") or "",
            "via": request.meta.get("discovery_source") or "",
            "hopsFromSeed": str(request.meta.get("depth", 0)),
            "redirectedFrom": (request.meta.get("redirect_urls") or [""])[0],
        }

    def _fail(self, exc: OSError) -> None:
        """A WARC that cannot be written means pages would be fetched and lost: stop the crawl."""
        self.failed = True
        logger.error(
            "Cannot write WARC under %s (%s); stopping the crawl so that no fetched page goes "
            "unarchived. Free disk space or fix permissions of OUTPUT_ROOT and run again.",
            self.root,
            exc,
        )
        stop_for_writer(self.crawler, "warc")

    def spider_opened(self, spider: Spider) -> None:
        repaired = repair_all(self.root / "warc")
        if repaired:
            self.stats.set_value("newscrawl/warc/repaired_files", len(repaired))
            self.stats.set_value("newscrawl/warc/repaired_cut_bytes", sum(r.cut_bytes for r in repaired))
            files = " ".join(str(r.path) for r in repaired)
            logger.warning(
                "Repaired %d WARC file(s) a killed crawl left open (cut to whole records, published). Rows "
                "it had not written yet are rebuilt from them with: scrapy reparse %s -s OUTPUT_ROOT=%s",
                len(repaired), files, self.root,
            )
        if self.dedup:
            self.state = state_store(self.crawler)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        self.state = None  # the StateKeeper closes it
        try:
            self.writer.close()
        except OSError as exc:
            logger.error("Could not close WARC file %s: %s", self.writer.current_path, exc)
            self.stats.inc_value("newscrawl/warc/write_failed")
            return
        self.stats.set_value("newscrawl/warc/files", len(self.writer.closed_files))


def truncation_reason(response: Response) -> str | None:
    """WARC-Truncated value: "length" when we stopped the body at the size limit,
    "disconnect" when the server hung up before Content-Length was reached."""
    flags = response.flags or []
    if "download_stopped" in flags:
        return "length"
    if "dataloss" in flags:
        return "disconnect"
    return None


def _own_ip() -> str:
    try:
        return socket.gethostbyname(socket.gethostname())
    except OSError:
        return ""
