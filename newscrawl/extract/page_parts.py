"""Smaller parts of an article page: breadcrumbs, tags, comment count, standfirst, headline."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from lxml import etree, html

from newscrawl.extract.document import Document, precedes
from newscrawl.extract.fingerprint import counted_and_folded
from newscrawl.extract.structured import JsonLd, MicrodataItem, as_list, nested_item, text_value
from newscrawl.extract.text import clean, element_text
from newscrawl.items import Breadcrumb

# --- breadcrumbs -----------------------------------------------------------------------------

_CRUMB_SEPARATORS = re.compile(r"\s*(?:>|»|›|/|\||→|::)\s*")


def breadcrumbs_from_jsonld(doc: Document, jsonld: JsonLd) -> list[Breadcrumb]:
    node = jsonld.first_of(frozenset({"breadcrumblist"}))
    if not node:
        return []
    elements = [jsonld.resolve(e) for e in as_list(node.get("itemListElement")) if isinstance(e, dict)]
    elements.sort(key=lambda e: _position(e.get("position")))
    crumbs = []
    for element in elements:
        item = jsonld.resolve(element.get("item"))
        name = text_value(element.get("name")) or (text_value(item.get("name")) if isinstance(item, dict) else None)
        if isinstance(item, dict):
            url = text_value(item.get("@id") or item.get("url"))
        else:
            url = text_value(item)
        if name:
            crumbs.append(Breadcrumb(name=name, url=doc.absolute(url)))
    return crumbs


def _position(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 1e9


def breadcrumbs_from_microdata(doc: Document, items: list[MicrodataItem]) -> list[Breadcrumb]:
    for item in items:
        crumbs = []
        for el in item.elements("itemListElement"):
            entry = nested_item(el)
            if entry is None:
                continue
            name = entry.value("name")
            url = None
            for link in entry.elements("item"):
                url = doc.absolute(link.get("href") or link.get("content") or link.get("itemid"))
                inner = nested_item(link)
                if inner is not None:
                    name = name or inner.value("name")
            if name:
                crumbs.append(Breadcrumb(name=name, url=url))
        if crumbs:
            return crumbs
    return []


def breadcrumbs_from_dom(doc: Document) -> list[Breadcrumb]:
    for el, words in doc.named:
        if "breadcrumb" not in words or el.tag in ("body", "html", "a", "li", "span"):
            continue
        links = [a for a in el.iter("a") if clean(element_text(a))]
        crumbs = [Breadcrumb(name=clean(element_text(a)) or "", url=doc.absolute(a.get("href"))) for a in links]
        last = _trailing_text(el, links)
        if last:
            crumbs.append(Breadcrumb(name=last))
        if not crumbs:
            names = [n for n in _CRUMB_SEPARATORS.split(element_text(el)) if n]
            crumbs = [Breadcrumb(name=n) for n in names if len(n) < 60]
        if 0 < len(crumbs) <= 8 and all(len(c.name) < 80 for c in crumbs):
            return crumbs
    return []


def _trailing_text(el: html.HtmlElement, links: list[html.HtmlElement]) -> str | None:
    """The current page shown as plain text after the last link ("News > Russia > <b>Title</b>")."""
    if not links:
        return None
    text = element_text(el)
    tail = text.split(element_text(links[-1]), 1)[-1] if element_text(links[-1]) in text else ""
    tail = _CRUMB_SEPARATORS.sub(" ", tail).strip()
    return clean(tail) if tail and len(tail) < 80 else None


# a trail's last crumb shortened to this many letters and digits still names the article
_MIN_SHORTENED_TITLE = 20


def drop_current_page(crumbs: list[Breadcrumb], titles: tuple[str | None, ...], url: str | None = None) -> list[Breadcrumb]:
    """Breadcrumbs lead to the article; a last crumb naming the article itself is not a
    section: one of its ``titles`` (headline, og:title, <title>) however spelt (quotes,
    dashes, case), or begun ("Surviving Ro…"), or a link to the page itself."""
    if crumbs and _names_the_page(crumbs[-1], titles, url):
        crumbs = crumbs[:-1]
    # "Home > News feature > Article (> the headline)": the page's kind, not its section
    if crumbs and headline_key(crumbs[-1].name) in _PAGE_TYPE_CRUMBS:
        crumbs = crumbs[:-1]
    return crumbs


def _names_the_page(last: Breadcrumb, titles: tuple[str | None, ...], url: str | None) -> bool:
    if url and last.url and last.url.rstrip("/") == url.rstrip("/"):
        return True
    name = headline_key(last.name)
    for title in filter(None, map(headline_key, filter(None, titles))):
        if name == title or (len(name) >= _MIN_SHORTENED_TITLE and (title.startswith(name) or name.startswith(title))):
            return True
    return False


# a last crumb that names what the page is, not where it is filed (headline_key spellings)
_PAGE_TYPE_CRUMBS = frozenset({"article", "story", "post", "artikel", "beitrag", "artículo", "articolo", "artigo"})


def listed_section(value: str | None, crumbs: list[Breadcrumb] | None) -> str | None:
    """A declared section that is the CMS's categories joined by commas ("Mobiles, Mobiles
    Internet, Vodafone", "Edendale,Msunduzi,Msunduzi News,News,uMgungundlovu") names one
    of them: the one the breadcrumb trail ends with, else the last one the trail names, else
    the first. A name that holds a
    comma itself ("Arts, Culture & Entertainment") stays whole: two parts are a list only
    when the trail names one of them, or the whole value is one of its crumbs."""
    if not value or "," not in value:
        return value
    crumb_keys = [headline_key(crumb.name) for crumb in crumbs or []]
    if headline_key(value) in crumb_keys:
        return value
    names = [name.strip() for name in value.split(",") if name.strip()]
    keys = [headline_key(name) for name in names]
    if crumb_keys and crumb_keys[-1] in keys:
        return names[keys.index(crumb_keys[-1])]
    named = [name for name, key in zip(names, keys) if key in crumb_keys]
    if named:
        return named[-1]
    return names[0] if len(names) >= 3 else value


def trail_section(crumbs: list[Breadcrumb] | None) -> str | None:
    """The section a breadcrumb trail names: its last crumb, unless that is the site's home
    page ("Home" linking to "/" is no section)."""
    if not crumbs:
        return None
    last = crumbs[-1]
    if last.url and is_home_page(last.url):
        return None
    return chosen_section(last.name)


def is_home_page(url: str) -> bool:
    """Whether a URL is a site's home page ("https://x.example/", not WordPress's "/?p=36843");
    an address that does not parse ("http://[broken/") is none."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.path in ("", "/") and not parts.query


# Click addresses of affiliate networks (a shop pays for the sales a link brings) and shop
# product pages: links a site is paid for, not other articles ("Zu den Star-Wars-Angeboten von
# Lego" through track.webgains.com, "Reklame … bei Amazon")
_AFFILIATE_HOSTS = frozenset({
    "track.webgains.com", "awin1.com", "www.awin1.com", "click.linksynergy.com", "go.skimresources.com",
    "redirect.viglink.com", "prf.hn", "amzn.to", "amzn.eu", "shareasale.com", "www.shareasale.com",
    "www.anrdoezrs.net", "www.dpbolvw.net", "www.jdoqocy.com", "www.kqzyfj.com", "www.tkqlhce.com",
    "clk.tradedoubler.com", "ad.zanox.com", "rover.ebay.com", "partners.webmasterplan.com",
})
_AMAZON = re.compile(r"(?:^|\.)amazon\.(?:[a-z]{2,3}|co\.[a-z]{2}|com\.[a-z]{2})$")
_PRODUCT_PATH = re.compile(r"/(?:dp|gp/product)/")


def is_paid_link(url: str) -> bool:
    """Whether a link goes through an affiliate network's click address or to a shop's
    product page (Amazon's /dp/): what a site is paid for, not another article."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    host = (parts.hostname or "").lower()
    return host in _AFFILIATE_HOSTS or (_AMAZON.search(host) is not None and _PRODUCT_PATH.search(parts.path) is not None)


# --- tags ------------------------------------------------------------------------------------

_TAGS_CLASS = re.compile(r"(?:^|[\s_-])(?:tags|tag-list|taglist|keywords|topics|post-tags|article-tags)(?:[\s_-]|$)")
_TAG_CONTAINERS = frozenset({"ul", "ol", "div", "p", "section", "nav", "footer", "span", "aside"})


_KEYWORD_PREFIX = re.compile(r"^(?:category|tag|tags|topic|topics|section|sections|organization|person|location)\s*[:/]\s*", re.I)
_NOT_KEYWORD = re.compile(r"^(?:\d+|[a-z]|[a-z_-]+:[a-z_-]+(?::.*)?|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|nlp .*|[\w.-]+\.(?:com|org|net|de|co\.uk|ca))$", re.I)


# the category a CMS files a post under when nobody chose one (WordPress in its languages)
DEFAULT_CATEGORIES = frozenset({
    "uncategorized", "uncategorised", "non classé", "sin categoría", "senza categoria",
    "sem categoria", "geen categorie", "bez kategorii", "без рубрики", "okategoriserade", "ukategoriseret",
    # every post's: "All", Vox Media's "Front Page"
    "all", "front page",
})


def chosen_section(value: str | None) -> str | None:
    """A section unless it is a CMS's default category ("Uncategorized")."""
    return None if value and value.strip().casefold() in DEFAULT_CATEGORIES else value


def clean_keyword(value: str) -> str | None:
    """"Category: Travel" -> "Travel", "#韓国" -> "韓国"; ids, single letters, machine tags
    ("sport:football", "source:tagname:…"), CMS labels and domains -> None."""
    text = clean(value)
    if not text:
        return None
    text = _KEYWORD_PREFIX.sub("", text.strip(" ,;#")).strip(" ,;#")
    if not text or _NOT_KEYWORD.match(text) or text.casefold() in DEFAULT_CATEGORIES or not _squash(text):
        return None  # (no letter or digit at all: a lone quotation mark)
    return text


def without_titles(tags: list[str] | None, titles: tuple[str | None, ...]) -> list[str] | None:
    """Tags minus the page's own title put among its keywords (the headline, the <h1>, the
    og:title: "Michigan Officials: 6th Fatality Linked To …"): a title of five words or more
    is no topic. A short one is ("Classificação Nascar" on the page of the standings)."""
    if not tags:
        return tags
    keys = {headline_key(title) for title in titles if title}
    keys.discard("")
    return [t for t in tags if headline_key(t) not in keys or counted_and_folded(t)[0] < TITLE_TAG_WORDS] or None


TITLE_TAG_WORDS = 5


def without_site_names(tags: list[str] | None, names: tuple[str | None, ...]) -> list[str] | None:
    """Tags minus the ones that only name the publisher ("CNBC", "朝日新聞" on
    asahi.com's "朝日新聞デジタル"): every page of the site carries them, so they say nothing."""
    if not tags:
        return tags
    keys = site_name_keys(names)
    return [t for t in tags if not names_the_site(t, keys)] or None


def site_name_keys(names: tuple[str | None, ...]) -> list[str]:
    """The site's names (the last one a host) as ``names_the_site`` compares them."""
    squashed = [_squash(n) for n in (*names[:-1], host_label(names[-1])) if n]
    return [n for n in squashed if len(n) >= 2]


def names_the_site(text: str, keys: list[str]) -> bool:
    """Whether ``text`` is (most of) one of the site's names."""
    squashed = _squash(text)
    return any(_part_of_name(squashed, key) for key in keys)


def _part_of_name(tag: str, name: str) -> bool:
    # most of the name, not a word inside it: "Berlin" is news on berlinermorgenpost.de
    return bool(tag) and tag in name and 2 * len(tag) >= len(name)


def space_separated(value: Any) -> bool:
    """A keywords string with no separator and four or more words: either one long keyword or
    several joined by spaces ("Berlin Unfall Teltow"), which no rule can tell apart."""
    return isinstance(value, str) and not re.search(r"[,;]", value) and len(value.split()) >= 4


def split_keywords(value: Any) -> list[str]:
    """Tags from a keywords value: a list, or a comma/semicolon-separated string (or a
    space-separated one, see space_separated)."""
    tags: list[str] = []
    if space_separated(value):
        value = value.split()
    for item in as_list(value):
        text = text_value(item)
        if not text:
            continue
        separator = "," if "," in text else ";" if ";" in text else None
        parts = text.split(separator) if separator else [text]
        tags.extend(t for t in (clean_keyword(p) for p in parts) if t)
    return dedupe_strings(tags)


def dedupe_strings(values: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for value in values:
        key = value.casefold()
        if key not in seen:
            seen.add(key)
            out.append(value)
    return out


def tags_from_meta(doc: Document) -> list[str]:
    for key in ("article:tag", "news_keywords", "parsely-tags", "sailthru.tags", "custom-keywords", "keywords"):
        values = doc.meta.get(key)
        if values and len(values) == 1:
            return split_keywords(values[0])
        if values:
            return split_keywords(values)
    return []


def tags_from_dom(doc: Document, headline: html.HtmlElement | None = None) -> list[str]:
    """Links named as tags (rel="tag") or in a list named as tags or topics; given the
    ``headline`` element, not in one above it (the site's "header-featured-topics" bar)."""
    tags: list[str] = []
    for el, words in doc.named:
        is_tag_link = el.tag == "a" and "tag" in (el.get("rel") or "").lower().split()
        if not is_tag_link and not (el.tag in _TAG_CONTAINERS and _TAGS_CLASS.search(words)):
            continue
        if headline is not None and precedes(el, headline):
            continue
        if el.tag == "a":
            text = clean(element_text(el))
            if text:
                tags.append(text)
            continue
        for a in el.iter("a"):
            text = clean(element_text(a))
            if text and len(text) <= 60:
                tags.append(text)
        if tags:
            break
    return _visible_tags(tags)


# the heading or label of an article's tag list ("Ähnliche Themen", "Tags:", "Sujets associés")
TAG_LIST_LABEL = re.compile(
    r"^(?:tags?|tagged(?: with)?|topics?|related topics|more on (?:this|these) topics?|themen|ähnliche themen|"
    r"mehr zum thema|mehr (?:lesen )?über|(?:read )?more about|schlagw[öo]rter|schlagworte|stichw[öo]rter|"
    r"sujets?(?: associés)?|temas?(?: relacionados)?|argomenti|onderwerpen|tematy|ämnen|emner)\s*:?$",
    re.I,
)
_TAG_LABEL_TAGS = ("h2", "h3", "h4", "h5", "h6", "strong", "b", "dt")
MAX_TAG_LINKS = 30


def tags_from_label(doc: Document) -> list[str]:
    """The links after a tag list's heading or label, whatever the markup is named: an
    "<h2>Ähnliche Themen</h2>" over a row of topic chips, "<strong>Tags:</strong> <a>…</a>,
    <a>…</a>" (the links among the label's next siblings, up to the next heading: for a
    label inside a paragraph, the rest of the paragraph). A label wrapped in elements of its
    own (``<div><div><h4>Mehr lesen über</h4></div></div><ul>…``) is read from the outermost
    of them. Not in the page's navigation, header or footer."""
    for label in doc.tree.iter(*_TAG_LABEL_TAGS):
        text = clean(element_text(label))
        if not text or len(text) > 30 or not TAG_LIST_LABEL.match(text) or in_page_chrome(doc, label):
            continue
        label = _outermost_wrapper(label, text)
        links: list[html.HtmlElement] = []
        for sibling in label.itersiblings():
            if sibling.tag in _TAG_LABEL_TAGS[:5]:
                break
            links.extend(sibling.iter("a"))  # the sibling itself, when it is a link
        texts = [t for t in (clean(element_text(a)) for a in links[: MAX_TAG_LINKS + 1]) if t]
        if texts and len(links) <= MAX_TAG_LINKS and all(len(t) <= 60 for t in texts):
            tags = _visible_tags(texts)
            if tags:
                return tags
    return []


def _outermost_wrapper(el: html.HtmlElement, text: str, levels: int = 4) -> html.HtmlElement:
    """The outermost of up to ``levels`` ancestors of ``el`` that hold no text but its own."""
    for _ in range(levels):
        parent = el.getparent()
        if parent is None or parent.tag in ("body", "html") or clean(element_text(parent)) != text:
            break
        el = parent
    return el


_TAG_HREF = re.compile(
    r"/(?:tag|tags|topic|topics|thema|themen|schlagwort|schlagworte|stichwort|keyword|keywords|"
    r"subject|subjects|tema|temas|sujet|sujets|argomenti|onderwerp)/[^/?#]+/?(?:[?#].*)?$",
    re.I,
)
_CHROME = frozenset({"nav", "header", "footer", "menu"})
# the page's menus and sidebars by name: an off-canvas "mainmenu-sidebar" lists topic pages too
_CHROME_NAMES = re.compile(r"(?:^|[\s_-])(?:menu|mainmenu|sidebar|navigation|navbar|offcanvas|drawer|flyout|megamenu)(?:[\s_-]|$)")


_SITE_CHROME_TAGS = frozenset({"nav", "footer", "aside"})


def in_site_chrome(el: html.HtmlElement, doc: Document | None = None, *, article_asides: bool = False) -> bool:
    """Inside the site's furniture around the article: its navigation, footer or a sidebar
    (with ``article_asides``, an <aside> inside the <article> is the article's own: its
    writer's box), the page's own <header> (an article's <header> holds its byline and date) and, given
    ``doc``, an element named as a menu, sidebar or navigation (a theme's top bar with
    today's date, "td-header-top-menu") that does not hold the page's <h1> (a layout
    wrapper "cs-site-content cs-sidebar-enabled" holds the article)."""
    ancestors = list(el.iterancestors())
    tags = {a.tag for a in ancestors}
    if article_asides and "aside" in tags and "article" in tags:
        own = next(i for i, a in enumerate(ancestors) if a.tag == "article")
        tags = {a.tag for i, a in enumerate(ancestors) if a.tag != "aside" or i > own}
    if not _SITE_CHROME_TAGS.isdisjoint(tags) or ("header" in tags and "article" not in tags and "main" not in tags):
        return True
    return doc is not None and inside_named(doc, el, _CHROME_NAMES, layout=True)


def inside_named(doc: Document, el: html.HtmlElement, names: re.Pattern[str], *, itself: bool = False, layout: bool = False) -> bool:
    """Whether an ancestor of ``el`` (or ``el`` itself, with ``itself``) has names that
    ``names`` matches: a menu, a comment thread, a box of related articles. With ``layout``,
    an element that holds the page's <h1> is layout whatever it is named (a theme names
    <body> after its navbar style, The Telegraph wraps the whole page in "segment--recommended")."""
    for a in (el, *el.iterancestors()) if itself else el.iterancestors():
        if names.search(doc.words(a)) and not (layout and next(a.iter("h1"), None) is not None):
            return True
    return False


def in_page_chrome(doc: Document, el: html.HtmlElement) -> bool:
    """Whether ``el`` sits in the page's navigation, header, footer or menus (by tag), or in
    an element named as a menu or sidebar: there topic links are the site's, not the article's."""
    return any(anc.tag in _CHROME or _CHROME_NAMES.search(doc.words(anc)) for anc in el.iterancestors())


def tags_from_links(doc: Document, headline: html.HtmlElement | None = None) -> list[str]:
    """Tag pages linked from the page outside its navigation: /tag/…, /topics/…, /thema/…;
    given the ``headline`` element, only links after it (above it sit the site's trending
    topics)."""
    tags: list[str] = []
    after = headline is None
    for a in doc.tree.iter("a", headline.tag) if headline is not None else doc.tree.iter("a"):
        if a is headline:
            after = True
            continue
        href = a.get("href") or ""
        if not after or a.tag != "a" or not _TAG_HREF.search(href):
            continue
        if in_page_chrome(doc, a):
            continue
        text = clean(element_text(a))
        if text and len(text) <= 60:
            tags.append(text)
    return _visible_tags(tags)[:30]


MAX_TAG_WORDS = 5


_ICON_HASH = re.compile(r"^#\s+")


def _visible_tags(texts: list[str]) -> list[str]:
    """Tag link texts as shown (a hashtag's # kept: "#Brexit"; a # set apart as an icon,
    "# Jėzus Kristus", not), without list punctuation, and without sentences (skip links,
    teasers) that sit in tag lists."""
    tags = [clean(_ICON_HASH.sub("", t.strip(" ,;|·"))) for t in texts]
    return dedupe_strings([t for t in tags if t and len(t.split()) <= MAX_TAG_WORDS and not _NOT_KEYWORD.match(t)])


# --- comments --------------------------------------------------------------------------------

# "comments" in the languages we crawl most: Kommentar(e), commentaire(s), comentario(s),
# comentário(s), commento/commenti, reactie(s), komentarz(e/y), kommentar(er)
_COMMENT_NOUN = (
    r"(?:comments?|reactions?|responses?|kommentare?|kommentarer|commentaires?|comentarios?|comentários?"
    r"|comment[oi]|reacties?|komentarz[ey]?)"
)
_NO_COMMENTS = re.compile(
    r"\b(?:no|zero|0)\s+comments?\b|\bbe the first to comment\b|\bkeine\s+kommentare\b|\baucun\s+commentaire\b"
    r"|\bsin\s+comentarios\b|\bsem\s+comentários\b|\bnessun\s+commento\b|\bgeen\s+reacties\b|\bbrak\s+komentarzy\b",
    re.I,
)
_N_COMMENTS = re.compile(r"(?<![\w.])(\d[\d,.]*)\s*" + _COMMENT_NOUN + r"(?!\w)", re.I)
_COMMENTS_N = re.compile(r"(?<!\w)" + _COMMENT_NOUN + r"\s*[(:\[]\s*(\d[\d,.]*)\s*[)\]]?", re.I)
# what a text node about comments holds in one of those spellings (the upper-case one too)
COMMENT_WORDS = ("omment", "OMMENT", "omentar", "eactie")  # not "oment": "moment"


@lru_cache(maxsize=None)
def _comment_text_xpath(words: tuple[str, ...]) -> etree.XPath:
    """One compiled XPath per set of spellings the page's text holds: each contains() copies
    every text node of the page in libxml2 (~0.8 ms per real news page per spelling)."""
    return etree.XPath("//text()[" + " or ".join(f"contains(., '{w}')" for w in words) + "]")


def comment_count_from_text(text: str | None) -> int | None:
    """"Post with no comments." -> 0, "12 comments" -> 12, "Comments (3)" -> 3."""
    if not text or len(text) > 80:
        return None
    if _NO_COMMENTS.search(text):
        return 0
    for pattern in (_N_COMMENTS, _COMMENTS_N):
        match = pattern.search(text)
        if match:
            digits = re.sub(r"[,.]", "", match.group(1))
            if digits.isdigit():
                return int(digits)
    return None


def comment_count_from_jsonld(node: dict[str, Any] | None) -> int | None:
    if not node:
        return None
    value = node.get("commentCount")
    if value is None:
        for stat in as_list(node.get("interactionStatistic")):
            if isinstance(stat, dict) and "comment" in str(stat.get("interactionType", "")).lower():
                value = stat.get("userInteractionCount")
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


# names of boxes of links to other articles (their dates, bylines and texts are not this article's)
RELATED_NAME = re.compile(r"related|read-more|also-read|more-on|see-also|recommended|recirculation|further-reading")
# ... and lists of the site's most read or commented articles, each with its comment count
_OTHER_ARTICLES = re.compile(RELATED_NAME.pattern + r"|popular|most-read|mostread|trending")


def comment_count_from_dom(doc: Document) -> int | None:
    """The first count a short text about comments gives ("12 comments", "Comments (3)"),
    not one inside a box of other articles (a "popular posts" widget lists each post's count).
    Text nodes are searched only for the spellings the page's whole text contains: a word
    missing from the whole text is in no text node, and most pages show none."""
    words = tuple(w for w in COMMENT_WORDS if w in doc.text)
    if not words:
        return None
    for node in _comment_text_xpath(words)(doc.tree):
        parent = node.getparent()
        if parent is None or parent.tag in ("script", "style", "title") or inside_named(doc, parent, _OTHER_ARTICLES, itself=True, layout=True):
            continue
        text = clean(element_text(parent) if len(str(node)) < 80 else str(node))
        count = comment_count_from_text(text)
        if count is not None:
            return count
    return None


# --- headline and standfirst -----------------------------------------------------------------

# whole words of a name (words separated by whitespace, _ or -): Document.named_with_words
STANDFIRST_WORDS = (
    "standfirst", "summary", "dek", "deck", "lede", "lead", "subtitle", "sub-title", "subheadline",
    "sub-headline", "excerpt", "intro", "teaser", "strapline", "article-summary", "description",
)


_ITEMPROP_HEADLINE = etree.XPath("//*[@itemprop='headline']")
# a kicker inside the headline element: "<h1><span class=kicker>Exclusive:</span> Headline</h1>"
KICKER_WORDS = ("kicker", "overline", "roofline", "dachzeile", "topline", "eyebrow", "spitzmarke", "supertitle", "pretitle")
_KICKER_SEPARATORS = " :|-–—·"


def headline_text(doc: Document, headline: html.HtmlElement) -> str | None:
    """The headline element's text without the kicker it starts with (an element named as
    one), which the page shows as a line of its own."""
    text = element_text(headline)
    for child in headline:  # "<span style='color:red'>Kicker:</span>Headline": read as "Kicker: Headline"
        own = element_text(child) if isinstance(child.tag, str) else ""
        if own.endswith(":") and child.tail and not child.tail[0].isspace() and (own + child.tail[0]) in text:
            text = text.replace(own + child.tail[0], f"{own} {child.tail[0]}", 1)
    if len(headline):
        for el, _words in doc.named_with_words(KICKER_WORDS):
            if el is not headline and doc.contains(headline, el):
                kicker = element_text(el).strip()
                stripped = text.strip()
                if kicker and stripped.startswith(kicker) and len(stripped) > len(kicker):
                    text = stripped[len(kicker):].lstrip(_KICKER_SEPARATORS)
                break
    return clean(text)



def headline_element(doc: Document) -> html.HtmlElement | None:
    """The visible headline: the first <h1> with text, preferring one inside <article>, then
    inside <main>, then an itemprop=headline element, then any <h1>. (One walk for the
    <h1>s: an XPath per preference scanned the whole tree up to four times.)"""
    h1s = [el for el in doc.tree.iter("h1") if clean(element_text(el))]
    for tag in ("article", "main"):
        for el in h1s:
            if any(a.tag == tag for a in el.iterancestors()):
                return el
    for el in _ITEMPROP_HEADLINE(doc.tree):
        if clean(element_text(el)):
            return el
    return h1s[0] if h1s else None


def heading_of(doc: Document, headline: str | None) -> html.HtmlElement | None:
    """The <h2>–<h4> that shows the headline, on a page without an <h1> (its title set as an
    <h3> inside the <article>): the start of the article's header. Its text may hold a kicker
    before the headline ("Premiere in X - Headline")."""
    if not headline:
        return None
    wanted = headline_key(headline)
    if len(wanted) < 10:
        return None
    for el in doc.tree.iter("h2", "h3", "h4"):
        if headline_key(element_text(el)).endswith(wanted):
            return el
    return None


HEADER_ELEMENTS = 80  # elements looked at after the headline: kicker, standfirst, byline, date line


def header_elements(doc: Document, headline: html.HtmlElement | None, body_start: html.HtmlElement | None) -> list[html.HtmlElement]:
    """The elements after the headline and before the body's container, in document order
    (at most HEADER_ELEMENTS): the article's header, where its byline and date line stand
    whatever the markup names them."""
    found: list[html.HtmlElement] = []
    node = headline
    while node is not None and node.tag not in ("body", "html"):
        for sibling in node.itersiblings():
            if body_start is not None and doc.contains(sibling, body_start):
                return found
            for el in sibling.iter(etree.Element):
                found.append(el)
                if len(found) >= HEADER_ELEMENTS:
                    return found
        node = node.getparent()
    return found


# a block of teasers to other pages (body.py counts it as furniture too): "teaser" alone
# names standfirsts
TEASER_BLOCK_NAME = r"teaser[_-](?:block|list|box|grid|row|slider)"
_TEASER_BLOCK = re.compile(TEASER_BLOCK_NAME + r"(?:[\s_-]|$)")


def standfirst_element(doc: Document, headline: html.HtmlElement | None) -> html.HtmlElement | None:
    """A standfirst near the headline, marked by its class or itemprop=description."""
    scope = doc.tree
    if headline is not None:
        for ancestor in headline.iterancestors():
            if ancestor.tag in ("article", "main", "body"):
                scope = ancestor
                break
    text_start = None  # the first paragraph of running text: a standfirst stands before it
    for el, words in doc.named_with_words(STANDFIRST_WORDS):  # itemprop="description" is among the words
        if _TEASER_BLOCK.search(words) or el.tag in ("meta", "body", "html", "article", "main", "section", "img"):
            continue
        if any(_TEASER_BLOCK.search(doc.words(a)) for a in el.iterancestors()) or not doc.contains(scope, el):
            continue  # a teaser of another page, not this one's
        text = clean(element_text(el))
        if not text or not 30 <= len(text) <= 700 or len(list(el.iter("p"))) > 2 or _no_standfirst(doc, el, headline):
            continue
        if text_start is None:
            text_start = next((p for p in scope.iter("p") if len(element_text(p)) >= _RUNNING_TEXT), False)
        if text_start is not False and el is not text_start and not doc.contains(el, text_start) and precedes(text_start, el):
            continue  # after the article's text has begun: a promotion's summary (BBC's "heron__item-summary")
        return el
    return None


_RUNNING_TEXT = 200  # characters of a paragraph that is the article's text, not a caption or blurb


def _no_standfirst(doc: Document, el: html.HtmlElement, headline: html.HtmlElement | None) -> bool:
    """An element named as a lead, summary or teaser that is no standfirst: the article's lead
    media (Stern's "article__lead-content", TimesLive's "b-lead-art": a picture and its
    caption) or its whole header (The Mirror's "lead-content" holds the headline); a caption
    (inside a figure: Stern's "image-element__description"); a teaser card of another article
    (inside a link or an inline-teaser figure: "u-teaser__description", "wp-block-inline-teaser")."""
    if next(el.iter("img", "picture", "figure", "video"), None) is not None:
        return True
    if headline is not None and doc.contains(el, headline):
        return True
    return el.tag == "a" or any(a.tag in ("figure", "figcaption", "a") for a in el.iterancestors())


_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—*·/:]{1,2}\s+|\s*[|｜：]\s*|--")
_DATE_TAIL = re.compile(r"^[\d\s./\-]+$")
_BY_TAIL = re.compile(r"^(by|von|par|di|por)\s", re.I)
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e", "è": "e", "á": "a", "à": "a", "ó": "o", "í": "i", "ñ": "n", "ç": "c"})


_NOT_ALNUM = re.compile(r"[\W_]+")


def _squash(text: str) -> str:
    """Letters and digits only, casefolded, common accents spelled out ("Börsen-Zeitung" ->
    "boersenzeitung", as in its domain)."""
    return _NOT_ALNUM.sub("", text.casefold().translate(_FOLD))


_QUOTES = frozenset("\"'„“”‚‘’«»")


def cut_at_quote(short: str, whole: str) -> bool:
    """Whether ``short`` is ``whole`` cut where a quotation mark begins: what a browser (and
    lxml) make of content="… und "royaler Besuch"" with the inner quotes unescaped."""
    return len(short) < len(whole) and whole.startswith(short) and whole[len(short):].lstrip()[:1] in _QUOTES


def headline_key(text: str) -> str:
    """What two spellings of one headline share: letters and digits, whatever the case,
    quotes, dashes, spacing or trailing ellipsis."""
    return _squash(text)


def _names_site(tail: str, site_names: tuple[str, ...]) -> bool:
    """Whether a title's last part is the site's name, its domain, a date or a byline."""
    squashed = _squash(tail)
    if not squashed or _DATE_TAIL.match(tail) or _BY_TAIL.match(tail):
        return True
    for name in map(_squash, site_names):
        if name and (squashed == name or (len(name) >= 3 and (name in squashed or squashed in name))):
            return True
    return False


def _is_site_name(part: str, site_names: tuple[str, ...]) -> bool:
    """Whether a title's first part is the site's name (all of it: a title may start with a
    word the name contains)."""
    squashed = _squash(part)
    return bool(squashed) and any(name and len(name) >= 3 and name in squashed for name in map(_squash, site_names))


def brand_name(value: str | None) -> str | None:
    """A site's name without the tagline or keywords a theme puts after a bar ("LinkNaija |
    Nigeria's popular news platform", "Autoracing | F1 | Indy | MotoGP")."""
    if not value or "|" not in value:
        return value
    first = value.split("|", 1)[0].strip()
    return first or value


def is_handle_or_label(name: str, host: str | None) -> bool:
    """Whether a site's name is a social handle ("@politifact") or its host's own label in
    lower case ("detroitnews", "theprovince"): what a template fills in when nobody wrote the
    name out."""
    if name.startswith("@"):
        return True
    label = host_label(host)
    return bool(label) and name.islower() and _squash(name) in (label.replace("-", ""), _squash(host or ""))


def host_label(host: str | None) -> str | None:
    """"www.globalnews.ca" -> "globalnews": the part of a host that names the site."""
    if not host:
        return None
    labels = [label for label in host.lower().split(".") if label not in {"www", "m", "amp", "edition", "news"}]
    return labels[-2] if len(labels) >= 2 else (labels[0] if labels else None)


def _last_separator(title: str) -> re.Match[str] | None:
    last = None
    for last in _TITLE_SEPARATORS.finditer(title):
        pass
    return last


def strip_site_suffix(title: str | None, site_name: str | None, *, host: str | None = None, loose: bool = True) -> str | None:
    """"Headline | Site | 28.04.2023" -> "Headline". Trailing parts go while they name the
    site (og:site_name or the host's name), a date or a byline; with ``loose`` (for <title>,
    which nearly always ends in the site) also one short last part ("Headline - Daily Demo").
    A first part that is the site's name goes too ("Site - Headline")."""
    title = clean(title)
    if not title:
        return None
    names = tuple(n for n in (site_name, host_label(host)) if n)
    first = _TITLE_SEPARATORS.search(title)
    if first is not None and first.start() > 0 and _is_site_name(title[: first.start()], names):
        title = title[first.end():].strip() or title  # "Site - Headline"
    while True:
        cut = _last_separator(title)
        if cut is None:
            return title
        head, tail = title[: cut.start()].strip(), title[cut.end():].strip()
        if not head:
            return title
        if _names_site(tail, names):
            title = head
            continue
        return head if loose and len(tail) < len(head) / 2 else title


def strip_site_name(title: str | None, site_name: str | None, *, host: str | None = None) -> str | None:
    """Remove trailing parts only when they name the site (declared headlines rarely have any)."""
    return strip_site_suffix(title, site_name, host=host, loose=False)


def similar(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    a_words, b_words = set(re.findall(r"\w+", a.casefold())), set(re.findall(r"\w+", b.casefold()))
    if not a_words or not b_words:
        return False
    return len(a_words & b_words) / min(len(a_words), len(b_words)) >= 0.8
