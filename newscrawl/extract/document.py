"""One decoded, parsed page shared by every extractor: the single HTML parse per page."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from html import unescape
from urllib.parse import urljoin, urlsplit

from lxml import etree, html
from w3lib.encoding import html_to_unicode

from newscrawl.extract.outlinks import PageLinks, base_url, links_in
from newscrawl.extract.structured import item_scopes, jsonld_scripts
from newscrawl.extract.text import BLOCK_TAGS, ESCAPED_ENTITY, SKIP_TAGS, clean, element_text, string_value

# characters urljoin would remove, re-encode or treat specially (then it decides)
_URL_SPECIAL = re.compile(r"[\x00-\x20\\;]|\?$|#$|\?#")
_ABSOLUTE_WITH_HOST = re.compile(r"https?://[^/?#]")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
# C0 controls other than tab/newline/CR, deleted with bytes.translate (a regex over a
# 400 KB page costs milliseconds); U+FFFE/U+FFFF are rare and replaced only when present.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
_NONCHARACTERS = (b"\xef\xbf\xbe", b"\xef\xbf\xbf")
_NONCHARACTER_LEAD = b"\xef\xbf"  # what both start with (U+FFC0..U+FFFF)
_UTF8_BOM = b"\xef\xbb\xbf"
# Attributes whose words name what an element is; rel only admits an element to the index
# (rel="tag" links), its values are not words of the element's name.
_NAME_ATTRS = ("class", "id", "role", "itemprop", "aria-label")
_NAME_ATTR_SET = frozenset(_NAME_ATTRS)
_WORD_SEPARATORS = frozenset(" \t\n\r\f\v_-")  # the [\s_-] between words of names
# A plain etree parser: lxml.html's element classes add a Python lookup per element touched.
# It reads UTF-8 bytes: libxml2 parses bytes in a known encoding ~1.7x faster than a Python
# str, and the explicit encoding wins over any <meta charset> (the page is decoded already).
# collect_ids=False: no hash table of id attributes (nothing here looks elements up by id;
# the table cost ~15 % of the parse).
# elements whose tag says page chrome (navigation, sidebars, site header and footer, forms)
CHROME_TAGS = frozenset({"nav", "footer", "aside", "form", "header", "menu", "dialog"})
# a chrome-tagged element holding at least this share of the page's text is a layout wrapper
WRAPPER_TEXT_SHARE = 0.5
# elements that label a value beside them (``Document.labelled``)
LABEL_TAGS = ("strong", "b", "dt", "th", "label")
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=False, encoding="utf-8", collect_ids=False)


def decode_html(body: bytes, headers: Mapping[str, str] | None = None) -> tuple[str, str]:
    """(text, encoding): BOM, then Content-Type charset, then <meta charset>, then UTF-8/cp1252."""
    content_type = None
    for key, value in (headers or {}).items():
        if key.lower() == "content-type":
            content_type = value
    encoding, text = html_to_unicode(content_type, body)
    return text, encoding


def parse_html(text: str) -> html.HtmlElement:
    """Parse text into an lxml tree; an empty or unparseable page yields an empty <html>."""
    return _parse_utf8(_XML_DECL.sub("", text, count=1).encode("utf-8", "replace"))


def parse_decoded(body: bytes, text: str, encoding: str) -> html.HtmlElement:
    """``parse_html(text)`` for ``text`` decoded from ``body``: a page that was UTF-8 without
    a flaw (no replacement character) and without an XML declaration is its own UTF-8
    encoding, so its bytes go to libxml2 as they are, without encoding the text again."""
    if encoding.replace("-", "").lower() == "utf8" and "\ufffd" not in text and not _XML_DECL.match(text):
        return _parse_utf8(body[3:] if body.startswith(_UTF8_BOM) else body)
    return parse_html(text)


def _parse_utf8(data: bytes) -> html.HtmlElement:
    data = data.translate(None, _CONTROL_BYTES)
    if _NONCHARACTER_LEAD in data:  # one scan of a 300 KB page, not one per noncharacter
        for noncharacter in _NONCHARACTERS:
            data = data.replace(noncharacter, b"")
    if not data or data.isspace():  # the bytes strip() would remove, without copying the page
        return etree.Element("html")
    try:
        root = etree.fromstring(data, parser=_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return etree.Element("html")
    return root if root is not None else etree.Element("html")


_BUTTONS = etree.XPath("//button")
# the attributes themselves (an XPath testing three per element costs twice as much)
_HIDING_ATTRS = etree.XPath("//@style | //@hidden")
_DISPLAY_NONE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# text for screen readers only (Bootstrap's sr-only, WordPress's screen-reader-text): the
# page does not show it ("Opens in a new window", a card's title said twice)
_SCREEN_READER_CLASSES = ("sr-only", "visually-hidden", "screen-reader-text")
_SCREEN_READER_ONLY = re.compile(r"(?:^|\s)(?:" + "|".join(map(re.escape, _SCREEN_READER_CLASSES)) + r")(?:\s|$)")


def _remove_keeping_tail(el: html.HtmlElement, parent: html.HtmlElement) -> None:
    if el.tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def prepare_tree(tree: html.HtmlElement) -> None:
    """Make the tree's text the page's visible text, once, so that every extractor can read
    an element's text with one C call (text.string_value) instead of walking it in Python: invisible
    elements (scripts, styles, forms controls) go, <br> becomes a newline and every block
    ends with a space, so words of adjacent blocks never run together. Elements hidden with
    the hidden attribute or an inline display:none are removed too (text for screen readers
    only goes with the name index: ``Document._drop_screen_reader_text``)."""
    # a link styled as a button (<button><a href="/thema/euro">Euro</a></button>: tag lists of
    # component frameworks) is a link: the button goes, its content stays (buttons found by
    # tag alone: an XPath testing their content costs twice as much on a page without any)
    for button in _BUTTONS(tree):
        if button.find(".//a[@href]") is not None:
            button.tag = "span"
    etree.strip_elements(tree, *SKIP_TAGS, with_tail=False)
    hidden: list[html.HtmlElement] = []
    for attr in _HIDING_ATTRS(tree):
        if attr.attrname == "hidden" or _DISPLAY_NONE.search(attr):
            el = attr.getparent()
            if not hidden or hidden[-1] is not el:  # style and hidden both: once
                hidden.append(el)
    for el in hidden:
        parent = el.getparent()
        if parent is not None:
            _remove_keeping_tail(el, parent)
    for el in tree.iter(*BLOCK_TAGS, "br"):
        if el.tag == "br":
            el.tail = "\n" + (el.tail or "")
        else:
            el.tail = " " + (el.tail or "")


@dataclass
class Document:
    """A page: URL, headers, text and tree, with lazily built indexes extractors share."""

    url: str
    tree: html.HtmlElement
    headers: dict[str, str] = field(default_factory=dict)
    encoding: str | None = None

    jsonld_scripts: list[str] = field(default_factory=list)
    """Raw JSON-LD script texts, kept before scripts are stripped from the tree."""

    links: PageLinks | None = None
    """The page's links, when asked for: read before hidden menus are stripped from the tree."""

    source: str = ""
    """The decoded page as it came (a reference, not a copy): what the tree no longer holds,
    such as the data layers of its scripts, is searched here."""

    @classmethod
    def from_bytes(cls, body: bytes, url: str, headers: Mapping[str, str] | None = None, *, links: bool = False) -> Document:
        text, encoding = decode_html(body, headers)
        tree = parse_decoded(body, text, encoding)
        scripts = jsonld_scripts(tree)
        outlinks = links_in(tree, url, encoding) if links else None
        prepare_tree(tree)
        lowered = {k.lower(): v for k, v in (headers or {}).items()}
        doc = cls(url=url, tree=tree, headers=lowered, encoding=encoding, jsonld_scripts=scripts, links=outlinks, source=text)
        doc._drop_screen_reader_text()
        return doc

    def _drop_screen_reader_text(self) -> None:
        """Remove text for screen readers only (classes sr-only, visually-hidden,
        screen-reader-text: "Opens in a new window", a card's title said twice), leaving a
        space where it was (it often reads a separator out: "Kicker<sr>: </sr>Headline").
        Found from the name index, which every page builds anyway: an XPath over every class
        attribute cost 8 % of an extraction. Runs before any extractor reads text."""
        text, _ = self._named_text
        if not any(name in text for name in _SCREEN_READER_CLASSES):
            return
        gone: set[html.HtmlElement] = set()
        for el, _words in self.named_with_words(_SCREEN_READER_CLASSES):
            parent = el.getparent()
            if el in gone or parent is None or not _SCREEN_READER_ONLY.search(el.get("class") or ""):
                continue
            gone.update(el.iter())
            el.tail = " " + (el.tail or "")
            _remove_keeping_tail(el, parent)
        if gone:
            self.__dict__["named"] = [(el, words) for el, words in self.named if el not in gone]
            for index in ("_named_text", "_words_by_element"):
                self.__dict__.pop(index, None)

    @cached_property
    def base_url(self) -> str:
        return base_url(self.tree, self.url)

    def absolute(self, href: str | None) -> str | None:
        """Absolute http(s) URL for an href/src, None for javascript:, data:, mailto: and empties."""
        if not href:
            return None
        href = href.strip()
        if not href or href.startswith(("#", "javascript:", "data:", "mailto:", "tel:")):
            return None
        if href[-1] not in "?#;" and not _URL_SPECIAL.search(href):  # no query/fragment/params edge cases
            if _ABSOLUTE_WITH_HOST.match(href):
                return href  # what urljoin gives back for an absolute URL of these characters
            if href[0] == "/" and href[1:2] != "/" and "/." not in href and self._origin:
                return self._origin + href  # root-relative without dot segments
        absolute = urljoin(self.base_url, href)
        return absolute if absolute.startswith(("http://", "https://")) else None

    @cached_property
    def _origin(self) -> str | None:
        """scheme://host of the base URL, for root-relative links (None when it is not http(s))."""
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else None

    @cached_property
    def meta(self) -> dict[str, list[str]]:
        """<meta> contents by lower-case name / property / itemprop / http-equiv, in page order."""
        index: dict[str, list[str]] = {}
        for el in self.tree.iter("meta"):
            content = el.get("content")
            if content is None:
                continue
            if "&" in content and ESCAPED_ENTITY.search(content):  # escaped twice by the CMS
                content = unescape(content)
            for attr in ("property", "name", "itemprop", "http-equiv"):
                key = el.get(attr)
                if key:
                    index.setdefault(key.strip().lower(), []).append(content.strip())
        return index

    def meta_first(self, *names: str) -> str | None:
        for name in names:
            for value in self.meta.get(name, []):
                if value:
                    return value
        return None

    @cached_property
    def named(self) -> list[tuple[html.HtmlElement, str]]:
        """(element, lower-case class/id/role/itemprop/aria-label words) for every element
        that has any of them or a rel, in document order: one walk that the name-based
        extractors share (XPath contains()/translate() over the whole tree per field costs
        far more)."""
        names = _NAME_ATTR_SET
        unnamed = names.isdisjoint
        named = []
        append = named.append
        # a walk in Python beats an XPath whose six attribute tests allocate a node set each;
        # keys() first, values only of the name attributes (items() decodes every style,
        # srcset and data- value)
        for el in self.tree.iter(etree.Element):
            keys = el.keys()
            if not keys or unnamed(keys):
                if keys and "rel" in keys:
                    append((el, ""))
            elif len(keys) == 1:
                append((el, el.get(keys[0]).lower()))
            else:
                get = el.get
                append((el, " ".join([get(k) for k in keys if k in names]).lower()))
        return named

    def named_with_words(self, words: Iterable[str]) -> list[tuple[html.HtmlElement, str]]:
        """The ``named`` entries in which one of ``words`` is a whole word (the words of a name
        are separated by whitespace, "_" or "-"; a word may itself hold "-"), in document
        order. One ``str.find`` pass per word over all names joined by newlines: a regex
        alternation tried at every position of them cost three times as much."""
        text, starts = self._named_text
        end = len(text)
        found: set[int] = set()
        for word in words:
            size = len(word)
            at = text.find(word)
            while at >= 0:
                after = at + size
                if (at == 0 or text[at - 1] in _WORD_SEPARATORS) and (after == end or text[after] in _WORD_SEPARATORS):
                    found.add(bisect_right(starts, at) - 1)
                at = text.find(word, at + 1)
        named = self.named
        return [named[index] for index in sorted(found)]

    @cached_property
    def _named_text(self) -> tuple[str, list[int]]:
        starts, position = [], 0
        for _, words in self.named:
            starts.append(position)
            position += len(words) + 1
        return "\n".join(words for _, words in self.named), starts

    @cached_property
    def layout_wrappers(self) -> frozenset[html.HtmlElement]:
        """Chrome-tagged elements (``CHROME_TAGS``) that hold the page itself: ASP.NET wraps
        every page in one <form>, some themes put the whole content column in an <aside>.
        Such an element is not inside an <article> or <main> (an article's <footer> may hold
        its comments, each an <article>), holds an <h1>, <main> or <article> and at least half
        of the page's text: it is layout, not chrome."""
        body = next(self.tree.iter("body"), self.tree)
        page = 0
        found = []
        for el in body.iter(*CHROME_TAGS):
            if next(el.iter("h1", "main", "article"), None) is None or next(el.iterancestors("article", "main"), None) is not None:
                continue
            page = page or len(string_value(body))
            if len(string_value(el)) >= WRAPPER_TEXT_SHARE * page:
                found.append(el)
        return frozenset(found)

    def is_chrome(self, el: html.HtmlElement) -> bool:
        """Whether ``el``'s tag says page chrome (``CHROME_TAGS``) and it is no layout wrapper."""
        return el.tag in CHROME_TAGS and el not in self.layout_wrappers

    def labelled(self, label: re.Pattern[str]) -> Iterator[str]:
        """The texts after labels that ``label`` matches, in a publisher's fact box:
        "<li><strong>Datum</strong> 28.04.2023</li>" gives "28.04.2023", "<dt>Author</dt>
        <dd>Jane Doe</dd>" gives "Jane Doe"."""
        for el in self.tree.iter(*LABEL_TAGS):
            name = clean(element_text(el))
            if not name or len(name) > 30 or not label.match(name):
                continue
            holder = el.getnext() if el.tag in ("dt", "th") else el.getparent()
            if holder is None:
                continue
            value = clean(element_text(holder))
            if holder is el.getparent() and value.startswith(name):
                value = clean(value[len(name):])
            if value:
                yield value

    def contains(self, scope: html.HtmlElement, el: html.HtmlElement) -> bool:
        """Whether ``el`` is ``scope`` or inside it (filtering ``named`` by a scope costs
        less than walking the scope: most elements fail the name test first)."""
        return scope is self.tree or el is scope or any(a is scope for a in el.iterancestors())

    @cached_property
    def _words_by_element(self) -> dict[html.HtmlElement, str]:
        return dict(self.named)

    def words(self, el: html.HtmlElement) -> str:
        """An element's lower-case class/id/role/itemprop/aria-label words ("" for none),
        looked up in the shared index: extractors ask for the same elements many times."""
        return self._words_by_element.get(el, "")

    def paragraph_text(self, p: html.HtmlElement) -> str:
        """``element_text`` of a <p>, remembered: the body is chosen by its paragraphs' text
        and then walked paragraph by paragraph."""
        text = self._paragraph_texts.get(p)
        if text is None:
            text = self._paragraph_texts[p] = element_text(p)
        return text

    @cached_property
    def _paragraph_texts(self) -> dict[html.HtmlElement, str]:
        return {}

    @cached_property
    def item_scopes(self) -> list[tuple[html.HtmlElement, list[str]]]:
        """Typed microdata items (element, type names): found once, asked for per field."""
        return item_scopes(self.tree)

    @cached_property
    def text(self) -> str:
        """All text of the prepared tree, concatenated (XPath string()): for "does the page
        say X anywhere" before a search per text node."""
        return string_value(self.tree)

    @cached_property
    def title(self) -> str | None:
        el = self.tree.find(".//title")
        if el is None:
            return None
        return element_text(el) or None


def precedes(el: html.HtmlElement, other: html.HtmlElement) -> bool:
    """Whether ``el`` ends before ``other`` starts in document order (neither holds the other)."""
    path = [other, *other.iterancestors()]
    on_path = {a: i for i, a in enumerate(path)}
    below = el
    for ancestor in el.iterancestors():
        if ancestor in on_path:
            index = on_path[ancestor]
            if index == 0:
                return False  # other holds el
            return ancestor.index(below) < ancestor.index(path[index - 1])
        below = ancestor
    return False
