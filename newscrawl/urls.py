"""URL helpers shared by capture rows, extraction and the network guard."""

from __future__ import annotations

import hashlib
import ipaddress
import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import surt
import tldextract

# Offline: never refresh the public suffix list from the network (DESIGN §5).
_TLD_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "ref", "ref_src", "cmpid"}
)


@lru_cache(maxsize=1024)  # the capture row and the CDXJ line of a record both ask
def surt_key(url: str) -> str:
    """SURT form of ``url`` as pywb, cdxj-indexer and Common Crawl compute it."""
    key = _plain_surt(url)
    if key is not None:
        return key
    try:
        return surt.surt(url)
    except Exception:  # surt raises assorted errors on malformed URLs
        return url


# What most article URLs look like: http(s), a host name of ASCII labels or a dotted-quad
# IPv4, an optional port, a path of characters that the surt library neither unescapes,
# escapes nor rewrites, no query or fragment.
_PLAIN_URL = re.compile(
    r"(https?)://((?:[A-Za-z0-9-]+\.)*[A-Za-z0-9-]+)(?::([1-9][0-9]{0,4}))?(/[A-Za-z0-9\-._~!$&'*+,=:@/]*)?"
)
_DOTTED_QUAD = re.compile(r"(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])")
_WWW = re.compile(r"www[0-9]*\.")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _plain_surt(url: str) -> str | None:
    """``surt.surt(url)`` for URLs of the plain shape above, without the library's parse,
    canonicalizer passes and resolver call for numeric hosts (~20 µs a URL, every capture);
    None for every other URL. tests/test_urls.py compares the two on generated URLs."""
    match = _PLAIN_URL.fullmatch(url)
    if match is None:
        return None
    scheme, host, port, path = match.groups()
    host = host.lower()
    if host.replace(".", "").isdigit() and not _DOTTED_QUAD.fullmatch(host):
        return None  # decimal/octal/short IPv4 forms: the library asks the resolver
    path = (path or "/").lower()
    if "//" in path or "/./" in path + "/" or "/../" in path + "/" or path.endswith(("/.", "/..")):
        return None  # dot segments and empty segments: the library normalises them
    if len(path) > 1 and path.endswith("/"):
        path = path[:-1]
    www = _WWW.match(host)
    if www is not None:
        host = host[www.end():]
    if not host:
        return None
    netloc = ",".join(reversed(host.split(".")))
    if port is not None:
        number = int(port)
        if number > 65535:
            return None
        if number != _DEFAULT_PORTS[scheme]:
            netloc += f":{number}"
    return f"{netloc}){path}"


def host_name(url: str) -> str | None:
    return urlsplit(url).hostname


@lru_cache(maxsize=4096)
def registered_domain(host: str | None) -> str | None:
    """Domain under its public suffix ("bbc.co.uk" for "news.bbc.co.uk"); IPs stay as they are."""
    if not host:
        return None
    parts = _TLD_EXTRACT(host)
    if parts.suffix and parts.domain:
        return f"{parts.domain}.{parts.suffix}"
    return host  # an IP address, or a name under no public suffix (intranet, .example, .test)


def normalize_url(url: str) -> str:
    """Canonical form for identity: lower-case scheme and host, default port, no fragment,
    no tracking parameters (utm_* and friends), sorted query, no trailing index slash noise."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith("utm_") and k.lower() not in TRACKING_PARAMS
    ]
    path = parts.path or "/"
    return urlunsplit((scheme, host, path, urlencode(sorted(query)), ""))


def article_id(canonical_url: str) -> str:
    """Stable article id: 128-bit BLAKE2b of the normalised canonical URL, hex."""
    return hashlib.blake2b(normalize_url(canonical_url).encode("utf-8"), digest_size=16).hexdigest()


def is_private_host(host: str | None) -> bool:
    """True for hosts that name this machine or a private, loopback or link-local network."""
    if not host:
        return False
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_unspecified


def in_domains(url: str, domains: list[str] | tuple[str, ...]) -> bool:
    """True when the URL's host is one of ``domains`` or a subdomain of one (ports ignored,
    unlike scrapy.utils.url.url_is_from_any_domain, which compares host:port)."""
    host = (urlsplit(url).hostname or "").lower()
    return bool(host) and any(host == d or host.endswith("." + d) for d in (d.lower() for d in domains))


_DATE_PATH = re.compile(r"/(?:19|20)\d{2}/(?:0?[1-9]|1[0-2])/(?:\d{1,2}/)?|[-_/](?:19|20)\d{2}-?(?:0[1-9]|1[0-2])-?(?:[0-2]\d|3[01])(?:\D|$)")
_NUMERIC_ID = re.compile(r"(?:^|[/\-_.])\d{5,}(?:\.html?|/|$|[-_])")
_NOT_ARTICLE = re.compile(r"/(?:tag|tags|topic|topics|author|authors|category|categories|section|video|videos|live|search|page)/", re.I)


def looks_like_article_url(url: str) -> bool:
    """URL evidence of an article page, before fetching it: a date in the path, a long slug
    (four or more hyphenated words) or a long numeric id, and no tag/author/section/video
    path segment. Used to fetch likely articles first, never to skip a page."""
    path = urlsplit(url).path
    if _NOT_ARTICLE.search(path + "/"):
        return False
    last = path.rstrip("/").rsplit("/", 1)[-1]
    slug = re.sub(r"\.[a-z]{2,5}$", "", last)
    return bool(_DATE_PATH.search(path) or _NUMERIC_ID.search(path) or slug.count("-") >= 3)
