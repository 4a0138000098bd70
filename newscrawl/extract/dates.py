"""Dates as publishers write them -> timezone-aware datetimes with their precision."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo

from dateutil import parser as dateutil_parser
from dateutil import tz as dateutil_tz

_ISO = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?$", re.I
)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?)?Z?$")
_YEAR = re.compile(r"(?<!\d)(1[89]\d{2}|2[01]\d{2})(?!\d)")
# a clock time ("14:07", "2.30pm", "14h07", "14.07 Uhr"), not the day and month of a dotted
# date ("28.04.2023": no dot-separated digits before or after it)
_TIME = re.compile(r"(?<![\d.])\d{1,2}(?::\d{2}|[.h]\d{2}(?!\.\d))(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?(?!\d)", re.I)
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

# d.m.y, as every country that writes dates with dots orders them ("05.04.2024" is 5 April;
# dateutil reads it month first); a two-digit year is this century's unless that is ahead
_DOTTED = re.compile(r"(?<![\d.])(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4}|\d{2})(?!\d|\.\d)")
# year-month-day in Chinese, Japanese and Korean ("2024年4月5日 14:07", "2024년 4월 5일")
_CJK_DATE = re.compile(r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?(?:[^\d]{0,4}?(\d{1,2})\s*[:時시]\s*(\d{2}))?")
# a clock time with a dot, which dateutil does not read: "19.25 Uhr", "2.30pm", "14.07 BST"
_DOTTED_TIME = re.compile(
    r"(?<![\d.])(\d{1,2})\.(\d{2})(?=\s*(?:(?i:uhr|[ap]\.?m)\b|(?:" + "|".join(sorted(TZINFOS, key=len, reverse=True)) + r")\b))"
)
# a colon left after a clock time by a template ("October 23, 2024, 3:48: Uhr")
_STRAY_COLON = re.compile(r"(?<=\d:\d\d):(?!\d)")
# month names dateutil does not know (it knows English), by the languages of the news we
# crawl most, with their usual abbreviations and the genitives of Polish, Czech, Russian and
# Ukrainian dates ("5 апреля 2024"); read as English.
# Abbreviations that are English words ("ago", "set", "out") are left out: "3 days ago".
_FOREIGN_MONTHS = {
    month: english
    for english, names in {
        "January": "januar jänner jan janvier janv enero ene gennaio genn janeiro januari stycznia styczeń ledna leden января січня ocak",
        "February": "februar feber feb février févr fevr febrero febbraio fevereiro fev februari lutego luty února únor февраля лютого şubat subat",
        "March": "märz maerz mär mrz mars marzo mar março maart marca marzec března březen марта березня mart",
        "April": "april apr avril avr abril abr aprile kwietnia kwiecień dubna duben апреля квітня nisan",
        "May": "mai maggio mayo maio mei maja maj května květen мая травня mayıs mayis",
        "June": "juni jun juin junio giugno giu junho czerwca czerwiec června červen июня червня haziran",
        "July": "juli jul juillet juil julio luglio lug julho lipca lipiec července červenec июля липня temmuz",
        "August": "august aug août aout agosto augustus sierpnia sierpień srpna srpen августа серпня ağustos agustos augusti",
        "September": "september sep sept septembre septiembre settembre setembro września wrzesień září сентября вересня eylül eylul",
        "October": "oktober okt octobre oct octubre ottobre ott outubro października październik října říjen октября жовтня ekim",
        "November": "november nov novembre noviembre novembro listopada listopad listopadu ноября листопада kasım kasim",
        "December": "dezember dez décembre déc dec diciembre dic dicembre dezembro december grudnia grudzień prosince prosinec декабря грудня aralık aralik desember",
    }.items()
    for month in names.split()
}
_MONTH_WORD = re.compile(r"(?<!\w)(" + "|".join(sorted(map(re.escape, _FOREIGN_MONTHS), key=len, reverse=True)) + r")\.?(?!\w)", re.I)
# "may" and "march" are verbs too: months only beside a number ("May 3", "3 March", "May 2024",
# "3 de marzo" read as "3 de March")
_ENGLISH_MONTH = re.compile(
    r"\b(?:january|february|april|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b"
    r"|\b(?:may|march)\s+(?:(?:de|of)\s+)?\d|\d\.?\s+(?:(?:de|of|di)\s+)?(?:may|march)\b",
    re.I,
)
# what names the month of a date: a month name, or digits in a date layout
_NUMERIC_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}[./]\d{1,2}[./]\d{1,2}")


@dataclass(frozen=True)
class ParsedDate:
    value: datetime
    """Timezone-aware; UTC is assumed when the text gives no zone."""
    precision: str
    """"day", "minute" or "second"."""
    raw: str


# a note in parentheses after a date: "2025/1/14 21:17（最終更新 1/14 21:17）",
# "5 gennaio 2025 ( modifica il 6 gennaio 2025 | 15:24)"
_TRAILING_NOTE = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")


def parse_date(text: str | None, *, latest: datetime | None = None, zone: tzinfo | None = None) -> ParsedDate | None:
    """Parse a machine or human date; None when it holds no plausible date.

    ``latest`` bounds plausible dates (the fetch time plus a margin, when known): pages carry
    absurd years, and a date in the future is a template bug, not a publication date.
    ``zone`` is the site's (``zones.site_zone``): a clock time written without an offset is
    its local time; without one it is read as UTC. A date without a time stays that
    calendar day (midnight UTC), whatever the zone.
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
        value = value.replace(tzinfo=zone if zone is not None and precision != "day" else timezone.utc)
    upper = (latest + timedelta(days=2)) if latest else datetime(2200, 1, 1, tzinfo=timezone.utc)
    if not (EARLIEST <= value <= upper):
        return None
    return ParsedDate(value=value, precision=precision, raw=raw)


def parse_date_before_note(text: str, *, latest: datetime | None = None, zone: tzinfo | None = None) -> ParsedDate | None:
    """``parse_date``, and for a text that ends with a note in parentheses ("… 21:17（最終更新
    1/14 21:17）") that does not parse as a whole, the date before the note."""
    parsed = parse_date(text, latest=latest, zone=zone)
    if parsed is None and text[-1:] in ")）":
        parsed = parse_date(without_note(text), latest=latest, zone=zone)
    return parsed


def without_note(text: str) -> str:
    """A text without the note in parentheses at its end ("2025年1月14日 01時28分 (1月14日
    01時40分更新)" -> "2025年1月14日 01時28分"): the note may say "updated" of another time."""
    return _TRAILING_NOTE.sub("", text) if text[-1:] in ")）" else text


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
    """dateutil's fuzzy parser, for text that names a year and a month (no invented dates:
    given "3. Februar 2023" alone it returns 1 March); dotted dates are read day first and
    month names of other languages as their English names."""
    if not _YEAR.search(raw) and not _DOTTED.search(raw):  # most short texts a page holds
        return None
    text = _CJK_DATE.sub(_iso_cjk, _DOTTED.sub(_iso_day, _LABELS.sub("", raw), count=1), count=1)
    if not _YEAR.search(text):
        return None
    text = _MONTH_WORD.sub(lambda m: _FOREIGN_MONTHS[m.group(1).lower()], _DOTTED_TIME.sub(r"\1:\2", _STRAY_COLON.sub("", text)))
    if not (_ENGLISH_MONTH.search(text) or _NUMERIC_DATE.search(text)):
        return None
    default = datetime(2000, 1, 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = dateutil_parser.parse(text, fuzzy=True, default=default, tzinfos=_tzinfo)
    except (ValueError, OverflowError, TypeError):
        return None
    if str(value.year) not in text:
        return None
    return value, _precision(text)


def _iso_cjk(match: re.Match[str]) -> str:
    """A Chinese/Japanese/Korean date (and time) as Y-M-D H:M (left as it is when invalid)."""
    year, month, day, hour, minute = match.groups()
    try:
        value = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0))
    except ValueError:
        return match.group(0)
    return value.strftime(" %Y-%m-%d %H:%M " if hour else " %Y-%m-%d ")


def _iso_day(match: re.Match[str]) -> str:
    """A d.m.y date as Y-M-D (left as it is when it is no valid day)."""
    day, month, year = (int(g) for g in match.groups())
    if len(match.group(3)) == 2:
        year += 2000 if 2000 + year <= datetime.now(timezone.utc).year + 1 else 1900
    try:
        return datetime(year, month, day).strftime(" %Y-%m-%d ")
    except ValueError:
        return match.group(0)


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
