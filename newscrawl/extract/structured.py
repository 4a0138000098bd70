"""Structured data embedded in pages: JSON-LD (incl. @graph, arrays, @id references) and
schema.org microdata, reduced to plain dicts the field extractors read."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html import unescape
from typing import Any, Iterator

from lxml import etree, html

from newscrawl.extract.text import ESCAPED_ENTITY, clean, element_text

ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "asknewsarticle",
        "askpublicnewsarticle",
        "satiricalarticle",
        "blogposting",
        "liveblogposting",
        "techarticle",
        "report",
        "scholarlyarticle",
    }
)
NEWS_TYPES = frozenset(t for t in ARTICLE_TYPES if "news" in t)

# a // or /* */ comment outside strings (group 1 keeps a string as it is)
_JS_COMMENT = re.compile(r'("(?:\\.|[^"\\])*")|//[^\n]*|/\*.*?\*/', re.S)
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_WRAPPERS = re.compile(r"^\s*(?:<!--|//\s*<!\[CDATA\[|<!\[CDATA\[)|(?:-->|//\s*\]\]>|\]\]>)\s*$")


def types_of(node: dict[str, Any]) -> list[str]:
    """Lower-case schema.org type names of a node ("https://schema.org/NewsArticle" -> "newsarticle")."""
    raw = node.get("@type") or node.get("type") or []
    values = raw if isinstance(raw, list) else [raw]
    return [str(v).rsplit("/", 1)[-1].lower() for v in values if v]


@dataclass
class JsonLd:
    """Every JSON-LD node of a page, flattened, with an @id index and parse errors."""

    nodes: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    by_id: dict[str, dict[str, Any]] = field(default_factory=dict)

    def resolve(self, value: Any) -> Any:
        """Follow a bare {"@id": ...} reference to the node it names, if the page has it."""
        if isinstance(value, dict) and set(value) <= {"@id"} and value.get("@id") in self.by_id:
            return self.by_id[value["@id"]]
        return value

    def first_of(self, wanted: frozenset[str]) -> dict[str, Any] | None:
        for node in self.nodes:
            if wanted.intersection(types_of(node)):
                return node
        return None

    def article(self) -> dict[str, Any] | None:
        """The article node: a *NewsArticle first, else any Article type with a headline."""
        candidates = [n for n in self.nodes if ARTICLE_TYPES.intersection(types_of(n))]
        if not candidates:
            return None
        candidates.sort(
            key=lambda n: (not NEWS_TYPES.intersection(types_of(n)), not n.get("headline"), not n.get("articleBody"))
        )
        return candidates[0]


def jsonld_scripts(tree: html.HtmlElement) -> list[str]:
    """Text of every <script type="application/ld+json"> (read before scripts are stripped)."""
    return [
        script.text or ""
        for script in tree.iter("script")
        if "ld+json" in (script.get("type") or "").lower()
    ]


# keys under which analytics data layers and front-end state (window.dataLayer, __NEXT_DATA__,
# a CMS's page config) hold the publication date, lower case, most specific first
DATA_LAYER_DATE_KEYS = (
    "datepublished", "date_published", "publishedat", "published_at", "publicationdate", "publication_date",
    "firstpublished", "first_published", "publishtime", "publish_time", "publishdate", "publish_date", "pubdate",
)
_DATA_LAYER_VALUE = re.compile(r"""["']?\s*[:=]\s*["'](\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)["']""", re.I)


def data_layer_dates(source: str) -> Iterator[str]:
    """ISO dates under a publication-date key anywhere in the page's source (its scripts'
    data layers: ``"publication_date" : "2024-09-03 00:03:19"``), the keys in the order of
    DATA_LAYER_DATE_KEYS, each key's values in page order. For pages without JSON-LD or
    <meta> dates; the search runs only when asked (one lower-case copy of the page)."""
    lowered = source.lower()
    for key in DATA_LAYER_DATE_KEYS:
        at = lowered.find(key)
        while at >= 0:
            match = _DATA_LAYER_VALUE.match(lowered, at + len(key))  # lower() may change offsets: match there
            if match:
                yield match.group(1).upper()  # "t" and "z" back to ISO's "T" and "Z"
            at = lowered.find(key, at + len(key))


def parse_jsonld(scripts: list[str]) -> JsonLd:
    result = JsonLd()
    for raw in scripts:
        text = _WRAPPERS.sub("", raw).strip()
        if not text:
            continue
        data = _loads(text, result.errors)
        if data is None:
            continue
        for node in _walk(data):
            result.nodes.append(node)
            node_id = node.get("@id")
            if isinstance(node_id, str):
                result.by_id.setdefault(node_id, node)
    return result


def _loads(text: str, errors: list[str]) -> Any:
    """The script's JSON, or what publishers' mistakes leave of it: trailing commas (the
    most common), JavaScript comments, several objects one after another in one script
    (a list of them is returned)."""
    try:
        return json.loads(text, strict=False)
    except json.JSONDecodeError as first:
        repaired = _TRAILING_COMMA.sub(r"\1", _JS_COMMENT.sub(lambda m: m.group(1) or "", text))
        try:
            return json.loads(repaired, strict=False)
        except json.JSONDecodeError as error:
            values = _concatenated(repaired) if error.msg == "Extra data" else None
            if values:
                return values
            errors.append(f"invalid JSON-LD: {first.msg} at line {first.lineno} column {first.colno}")
            return None


_DECODER = json.JSONDecoder(strict=False)


def _concatenated(text: str) -> list[Any] | None:
    """Values written one after another ("{...}{...}" or "{...}\n{...}"), None when the
    text is not only that."""
    values, at = [], 0
    while at < len(text):
        try:
            value, end = _DECODER.raw_decode(text, at)
        except json.JSONDecodeError:
            return None
        values.append(value)
        at = end
        while at < len(text) and text[at] in " \t\r\n,;":
            at += 1
    return values


def _walk(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Typed nodes in document order: top-level objects, arrays, @graph members and
    main entities nested one level down."""
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _walk(item, depth + 1)
    elif isinstance(data, dict):
        if "@type" in data or "type" in data:
            yield data
        graph = data.get("@graph")
        if graph is not None:
            yield from _walk(graph, depth + 1)
        for key in ("mainEntity", "mainEntityOfPage"):
            inner = data.get(key)
            if isinstance(inner, (dict, list)):
                yield from _walk(inner, depth + 1)


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def text_value(value: Any) -> str | None:
    """A string from a JSON-LD value that may be a string, a number, a list or a {"@value"} / {"name"} object."""
    if isinstance(value, list):
        for item in value:
            text = text_value(item)
            if text:
                return text
        return None
    if isinstance(value, dict):
        return text_value(value.get("@value") or value.get("name") or value.get("text"))
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        text = html_unescape(str(value))
        if "<" in text:  # markup in a value: '<p>Here&#x27;s a look at …</p>' (Nine News' description)
            text = _MARKUP_TAG.sub(" ", text)
        return clean(text)
    return None


# the tags of text markup that CMSs leave in JSON-LD strings (not "a < b > c")
_MARKUP_TAG = re.compile(r"</?(?:p|br|div|span|a|em|strong|b|i|u|h[1-6]|ul|ol|li|blockquote|sup|sub)\b[^<>]*>", re.I)


def html_unescape(text: str) -> str:
    """Entities in a JSON-LD string unescaped; twice when the CMS escaped them twice."""
    if "&" not in text:
        return text
    text = unescape(text)
    return unescape(text) if "&" in text and ESCAPED_ENTITY.search(text) else text


# --- microdata ----------------------------------------------------------------------------


@dataclass
class MicrodataItem:
    """One itemscope: its types and its properties (elements, in page order)."""

    element: html.HtmlElement
    types: list[str]
    props: dict[str, list[html.HtmlElement]]

    def elements(self, name: str) -> list[html.HtmlElement]:
        return self.props.get(name.lower(), [])

    def value(self, name: str) -> str | None:
        for el in self.elements(name):
            value = prop_value(el)
            if value:
                return value
        return None


# the itemtype attributes, their elements tested for itemscope in Python: an element test
# with two attribute predicates cost half as much again
_ITEM_TYPES = etree.XPath("//@itemtype")


def item_scopes(tree: html.HtmlElement) -> list[tuple[html.HtmlElement, list[str]]]:
    """Every typed microdata item of the page with its lower-case type names."""
    scopes = []
    for itemtype in _ITEM_TYPES(tree):
        el = itemtype.getparent()
        if el.get("itemscope") is not None:
            scopes.append((el, [t.rsplit("/", 1)[-1].lower() for t in itemtype.split()]))
    return scopes


def microdata_items(
    tree: html.HtmlElement, wanted: frozenset[str], scopes: list[tuple[html.HtmlElement, list[str]]] | None = None
) -> list[MicrodataItem]:
    """The items of the ``wanted`` types; ``scopes`` (item_scopes of the tree) saves the walk."""
    return [MicrodataItem(el, types, _props(el)) for el, types in (item_scopes(tree) if scopes is None else scopes) if wanted.intersection(types)]


def nested_item(el: html.HtmlElement) -> MicrodataItem | None:
    if el.get("itemscope") is None:
        return None
    types = [t.rsplit("/", 1)[-1].lower() for t in (el.get("itemtype") or "").split()]
    return MicrodataItem(el, types, _props(el))


_ITEMPROP_DESCENDANTS = etree.XPath(".//*[@itemprop]")


def _props(scope: html.HtmlElement) -> dict[str, list[html.HtmlElement]]:
    props: dict[str, list[html.HtmlElement]] = {}
    for el in _ITEMPROP_DESCENDANTS(scope):
        names = el.get("itemprop")
        if not names:
            continue
        owner = next((a for a in el.iterancestors() if a.get("itemscope") is not None), None)
        if owner is not scope:
            continue
        for name in names.split():
            props.setdefault(name.lower(), []).append(el)
    return props


def prop_value(el: html.HtmlElement) -> str | None:
    """Microdata property value by the element's kind (content, datetime, href, src, text)."""
    if el.get("content") is not None:
        return clean(el.get("content"))
    tag = el.tag
    if tag == "time" and el.get("datetime"):
        return clean(el.get("datetime"))
    if tag in ("a", "link", "area") and el.get("href"):
        return clean(el.get("href"))
    if tag in ("img", "audio", "video", "source", "embed", "iframe") and el.get("src"):
        return clean(el.get("src"))
    if tag == "meta":
        return None
    return clean(element_text(el))
