"""Dates as publishers write them -> timezone-aware datetimes with their precision."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from dateutil import parser as dateutil_parser
from dateutil import tz as dateutil_tz

_ISO = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?$", re.I
)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?)?Z?$")
_YEAR = re.compile(r"(?<!\d)(1[89]\d{2}|2[01]\d{2})(?!\d)")
_TIME = re.compile(r"(?<!\d)\d{1,2}[:.h]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?(?!\d)", re.I)
_SECONDS = re.compile(r"(?<!\d)\d{1,2}:\d{2}:\d{2}")
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:/|[-_]|$)")
_LABELS = re.compile(
    r"^(?:published|posted|updated|last updated|modified|first published|date|on|publicado|veröffentlicht)\s*(?:on|at)?\s*:?\s*",
    re.I,
)
TZINFOS = {
    "UTC": 0, "GMT": 0, "Z": 0,
    "BST": 3600, "CET": 3600, "CEST": 7200, "EET": 7200, "EEST": 10800, "MSK": 10800,
    "EST": -18000, "EDT": -14400, "CST": -21600, "CDT": -18000,
    "MST": -25200, "MDT": -21600, "PST": -28800, "PDT": -25200,
    "IST": 19800, "JST": 32400, "KST": 32400, "AEST": 36000, "AEDT": 39600,
}
EARLIEST = datetime(1800, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class ParsedDate:
    value: datetime
    """Timezone-aware; UTC is assumed when the text gives no zone."""
    precision: str
    """"day", "minute" or "second"."""
    raw: str


def parse_date(text: str | None, *, latest: datetime | None = None) -> ParsedDate | None:
    """Parse a machine or human date; None when it holds no plausible date.

    ``latest`` bounds plausible dates (the fetch time plus a margin, when known): pages carry
    absurd years, and a date in the future is a template bug, not a publication date.
    """
    if not text:
        return None
    raw = " ".join(str(text).split())
    if not raw or len(raw) > 200:
        return None
    parsed = _parse_machine(raw) or _parse_human(raw)
    if parsed is None:
        return None
    value, precision = parsed
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    upper = (latest + timedelta(days=2)) if latest else datetime(2200, 1, 1, tzinfo=timezone.utc)
    if not (EARLIEST <= value <= upper):
        return None
    return ParsedDate(value=value, precision=precision, raw=raw)


def _precision(text: str) -> str:
    if _SECONDS.search(text):
        return "second"
    if _TIME.search(text):
        return "minute"
    return "day"


def _parse_machine(raw: str) -> tuple[datetime, str] | None:
    if _ISO.match(raw):
        text = raw.replace(" ", "T", 1) if re.match(r"^\d{4}-\d{2}-\d{2} \d", raw) else raw
        text = text.replace(",", ".")
        try:
            value = datetime.fromisoformat(text.replace("z", "Z"))
        except ValueError:
            return None
        return value, _precision(raw)
    match = _COMPACT.match(raw)
    if match:
        y, mo, d, h, mi, s = match.groups()
        try:
            value = datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0), tzinfo=timezone.utc)
        except ValueError:
            return None
        return value, ("second" if s else "minute" if h else "day")
    return None


def _parse_human(raw: str) -> tuple[datetime, str] | None:
    """dateutil's fuzzy parser, but only for text that names a year (no invented dates)."""
    if not _YEAR.search(raw):
        return None
    text = _LABELS.sub("", raw)
    default = datetime(2000, 1, 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = dateutil_parser.parse(text, fuzzy=True, default=default, tzinfos=_tzinfo)
    except (ValueError, OverflowError, TypeError):
        return None
    if str(value.year) not in raw:
        return None
    return value, _precision(text)


def _tzinfo(name: str, offset: int | None):  # dateutil's tzinfos callable signature
    if name and name.upper() in TZINFOS:
        return dateutil_tz.tzoffset(name, TZINFOS[name.upper()])
    if offset is not None:
        return dateutil_tz.tzoffset(name, offset)
    return None


def date_from_url(url: str) -> ParsedDate | None:
    """/2022/01/19/ or /2022-01-19- in a URL path."""
    match = _URL_DATE.search(url)
    if not match:
        return None
    y, m, d = (int(g) for g in match.groups())
    try:
        value = datetime(y, m, d, tzinfo=timezone.utc)
    except ValueError:
        return None
    return ParsedDate(value=value, precision="day", raw=match.group(0).strip("/-_"))
