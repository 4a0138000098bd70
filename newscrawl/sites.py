"""Sites to crawl: from a TOML sites file (``-a sites=``) or one start URL (``-a url=``).

    [[sites]]
    name = "example"
    start_urls = ["https://www.example.com/"]
    allowed_domains = ["example.com"]        # default: the hosts of start_urls, sitemaps, feeds
    sitemaps = ["https://www.example.com/sitemap.xml"]
    feeds = ["https://www.example.com/rss.xml"]
    article_allow = ['/\\d{4}/\\d{2}/\\d{2}/']   # article URLs: fetched first
    article_deny = ['/video/', '/live/']      # never fetched
    max_age_days = 3                          # skip sitemap/feed entries published earlier
    delay = 2.0                               # seconds between requests to the site (a floor)
    profile = "mypackage.profiles.example"    # per-site extraction profile module
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit


class SitesFileError(ValueError):
    """A sites file or URL argument that cannot be crawled; the message says how to fix it."""


@dataclass(frozen=True)
class Site:
    name: str
    start_urls: tuple[str, ...] = ()
    allowed_domains: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    article_allow: tuple[re.Pattern[str], ...] = ()
    article_deny: tuple[re.Pattern[str], ...] = ()
    max_age_days: float | None = None
    delay: float | None = None
    profile: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def looks_like_article(self, url: str) -> bool:
        return any(p.search(url) for p in self.article_allow)

    def denies(self, url: str) -> bool:
        return any(p.search(url) for p in self.article_deny)


def _check_url(url: Any, where: str) -> str:
    if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
        raise SitesFileError(f"{where}: {url!r} is not an absolute http(s) URL")
    return url


def site_from_url(url: str) -> Site:
    url = _check_url(url, "-a url")
    host = urlsplit(url).hostname or ""
    return Site(name=host, start_urls=(url,), allowed_domains=(host,))


def _url_list(entry: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise SitesFileError(f"{where}: '{key}' must be a list of URLs")
    return tuple(_check_url(u, f"{where}.{key}") for u in value)


def site_from_entry(entry: Any, where: str) -> Site:
    if not isinstance(entry, dict):
        raise SitesFileError(f"{where}: expected a table like [[sites]] with name and start_urls")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise SitesFileError(f"{where}: 'name' is required (a short name for the site)")
    start_urls = _url_list(entry, "start_urls", where)
    sitemaps = _url_list(entry, "sitemaps", where)
    feeds = _url_list(entry, "feeds", where)
    if not (start_urls or sitemaps or feeds):
        raise SitesFileError(f"{where} ({name}): give at least one of start_urls, sitemaps, feeds")
    domains = entry.get("allowed_domains")
    if domains is None:
        domains = sorted({urlsplit(u).hostname or "" for u in start_urls + sitemaps + feeds})
    if not isinstance(domains, list) or not all(isinstance(d, str) and d for d in domains):
        raise SitesFileError(f"{where} ({name}): 'allowed_domains' must be a list of host names")
    known = {"name", "start_urls", "sitemaps", "feeds", "allowed_domains", "article_allow", "article_deny", "max_age_days", "delay", "profile"}
    unknown = sorted(set(entry) - known)
    if unknown:
        raise SitesFileError(f"{where} ({name}): unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    profile = entry.get("profile")
    if profile is not None and (not isinstance(profile, str) or not re.fullmatch(r"[A-Za-z_][\w.]*", profile)):
        raise SitesFileError(f"{where} ({name}): 'profile' must be a module path like mypackage.profiles.example")
    return Site(
        name=name.strip(),
        start_urls=start_urls,
        allowed_domains=tuple(domains),
        sitemaps=sitemaps,
        feeds=feeds,
        article_allow=_patterns(entry, "article_allow", where),
        article_deny=_patterns(entry, "article_deny", where),
        max_age_days=_number(entry, "max_age_days", where),
        delay=_number(entry, "delay", where),
        profile=profile,
    )


def _patterns(entry: dict[str, Any], key: str, where: str) -> tuple[re.Pattern[str], ...]:
    value = entry.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SitesFileError(f"{where}: '{key}' must be a list of regular expressions")
    try:
        return tuple(re.compile(v) for v in value)
    except re.error as exc:
        raise SitesFileError(f"{where}: '{key}' has an invalid regular expression {exc.pattern!r}: {exc}") from None


def _number(entry: dict[str, Any], key: str, where: str) -> float | None:
    value = entry.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise SitesFileError(f"{where}: '{key}' must be a number of at least 0")
    return float(value)


def load_sites(path: str | Path) -> list[Site]:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SitesFileError(f"sites file {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise SitesFileError(f"sites file {path} is not valid TOML: {exc}") from None
    entries = data.get("sites")
    if not isinstance(entries, list) or not entries:
        raise SitesFileError(f"{path}: no [[sites]] tables found (see README, 'Adding a site')")
    sites = [site_from_entry(e, f"{path} sites[{i}]") for i, e in enumerate(entries)]
    names = [s.name for s in sites]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise SitesFileError(f"{path}: site names must be unique, repeated: {', '.join(duplicates)}")
    return sites
