"""The extraction engine: one parsed Document in, an Article (and a verdict) out.

Each field is an ordered chain of named steps, first non-empty answer wins, and the winning
step's name goes into ``field_sources``: structured data (JSON-LD, microdata, OpenGraph,
meta) first, then the DOM, then the URL. A step that fails records its error in
``extraction_errors`` and the chain moves on: one broken part never costs the article.
"""

from __future__ import annotations

import re
from itertools import islice
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from datetime import datetime, tzinfo
from typing import Any, TypeVar
from urllib.parse import urlsplit

from lxml import html

from newscrawl import __version__
from newscrawl.extract import authors as author_steps
from newscrawl.extract import page_parts as parts
from newscrawl.extract.body import (
    RELATED_NAME, BodyResult, bold_lead_lines, drop_author_bios, drop_repeated_headline, extract_body, is_boilerplate,
)
from newscrawl.extract.classify import Verdict, classify
from newscrawl.extract.dates import ParsedDate, date_from_url, parse_date, parse_date_before_note, without_note
from newscrawl.extract.document import Document
from newscrawl.extract.fingerprint import counted_and_folded, simhash
from newscrawl.extract.language import detect_language, not_english
from newscrawl.extract.profiles import Profile, profile_for
from newscrawl.extract.media import image_from_figure, images_from_jsonld, is_site_icon, is_vector, same_image
from newscrawl.extract.outlinks import PageLinks
from newscrawl.extract.structured import (
    ARTICLE_TYPES,
    JsonLd,
    MicrodataItem,
    data_layer_dates,
    microdata_items,
    parse_jsonld,
    text_value,
)
from newscrawl.extract.text import clean, element_text, string_value
from newscrawl.extract.zones import site_zone
from newscrawl.items import Article, Author, Image, Link
from newscrawl.urls import article_id

EXTRACTOR_VERSION = f"newscrawl-extract/{__version__}"
T = TypeVar("T")
Step = tuple[str, Callable[[], Any]]

PUBLISHED_META = (
    "article:published_time", "article:published:time", "og:published_time", "published_time", "pubdate", "publishdate",
    "publish-date", "publish_date", "datepublished", "dc.date", "dc.date.issued", "dcterms.created",
    "dcterms.date", "date", "sailthru.date", "parsely-pub-date", "cxenseparse:recs:publishtime",
)
MODIFIED_META = ("article:modified_time", "article:modified:time", "og:updated_time", "datemodified", "dcterms.modified", "last-modified")
DATE_WORDS = re.compile(r"date|time|publish|posted|dateline", re.I)  # "lblPublishDate", "postDate"
# a date marked as the last change, not the publication ("Updated 20:49", "Aktualisiert am …")
UPDATE_WORDS = re.compile(
    r"updated|modified|aktualisiert|mis à jour|actualizado|atualizado|aggiornato|bijgewerkt|zaktualizowano|uppdaterad|oppdatert|opdateret",
    re.I,
)
DATE_TAGS = frozenset({"time", "span", "div", "p", "li", "small"})  # and custom elements ("<storefront-html id=publication-date>")
# a date inside a link or a lower heading belongs to a teaser of another article
TEASER_TAGS = frozenset({"a", "h2", "h3", "h4", "h5", "h6"})
# a label in front of the publication date: "<strong>Datum</strong> 28.04.2023", "<dt>Published</dt>"
DATE_LABEL = re.compile(
    r"^(?:date|published|publication date|datum|veröffentlicht|erschienen|publié le|date de publication|"
    r"publicado|fecha|pubblicato|data|gepubliceerd|opublikowano)\s*:?$",
    re.I,
)


# the article header's byline found by its words: (its element, the people it names), or None
TextByline = Callable[[], "tuple[Any, list[Author]] | None"]


@dataclass(frozen=True)
class PageExtraction:
    article: Article
    verdict: Verdict
    links: PageLinks | None = None
    """The page's links (``extract_page(..., links=True)``), for the crawler to follow."""


class FieldChain:
    """Runs ordered steps per field and keeps which step won and which ones failed; a site
    profile's function for a field runs before the generic steps."""

    def __init__(self, overrides: Mapping[str, Callable[[], Any]] | None = None) -> None:
        self.sources: dict[str, str] = {}
        self.errors: dict[str, str] = {}
        self.overrides = dict(overrides or {})

    def first(self, field: str, steps: list[Step]) -> Any:
        if field in self.overrides:
            steps = [("profile", self.overrides[field]), *steps]
        for source, value in self.values_of(field, steps):
            self.sources[field] = source
            return value
        return None

    def vote(
        self, field: str, steps: list[Step], key: Callable[[Any], Any], spelling: str | None = None,
        truncated: Callable[[Any, Any], bool] | None = None,
    ) -> Any:
        """The value most places agree on (compared by ``key``); ties go to the earlier step.
        Of the agreeing places' spellings the most common wins, then the ``spelling`` step's. Publishers
        disagree with themselves (an SEO headline in JSON-LD, the shown one in og:title and
        the <h1>), and agreement between places is the best evidence of which one the page
        shows. A profile's value still wins outright."""
        if field in self.overrides:
            return self.first(field, [])
        found = list(self.values_of(field, steps))
        if not found:
            return None
        keys = [key(value) for _, value in found]
        # a copy cut short (a meta content ended early by an unescaped quote in the page's
        # HTML: "Sieger und" of 'Sieger und "royaler Besuch"') supports the whole text
        values = [value for _, value in found]
        votes = [keys.count(keys[i]) + (sum(1 for v in values if truncated(v, values[i])) if truncated else 0) for i in range(len(found))]
        best = max(range(len(found)), key=lambda i: (votes[i], -i))
        agreeing = [i for i in range(len(found)) if keys[i] == keys[best]]
        texts = [found[i][1] for i in agreeing]  # they may spell it differently: most common wins
        best = max(agreeing, key=lambda i: (texts.count(found[i][1]), found[i][0] == spelling, -i))
        self.sources[field] = found[best][0]
        return found[best][1]

    def values_of(self, field: str, steps: list[Step]) -> Iterator[tuple[str, Any]]:
        """(source, value) of the steps that give one, in order; a step that raises is
        recorded in ``errors`` under ``field``."""
        for source, step in steps:
            try:
                value = step()
            except Exception as exc:  # one broken step must not cost the article (DESIGN §7)
                self.errors[field] = f"{source}: {type(exc).__name__}: {exc}"[:300]
                continue
            if value not in (None, "", [], {}):
                yield source, value


# a call to action, not an article's title: "CLICK HERE TO GET THE FOX NEWS APP", "Mehr über
# die Füchse lesen Sie hier.", "Zum Angebot"
_CALL_TO_ACTION = re.compile(
    r"\bclick(?:ing)?\s+(?:here|for)\b|^(?:click|tap)\b|\b(?:get|download) (?:the|our) (?:[\w-]+ ){0,3}app\b|"
    r"\blesen sie hier\b|\bhier (?:klicken|lesen)\b|\bzum angebot\b",
    re.I,
)


# boxes that advertise (the site's app, a subscription, a sponsor): their pictures are no
# article's lead ("<aside class='banner'><a href='/abo-service/app'><picture>…")
_IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif)$", re.I)
_PROMOTION_NAME = re.compile(r"(?:^|[\s_-])(?:banner|promo|promotion|advert|advertisement|ads?|sponsor|sponsored|newsletter|subscribe|signup)(?:[\s_-]|$)")


def _after_publication(chain: FieldChain, modified: ParsedDate | None, published: ParsedDate | None) -> ParsedDate | None:
    """The last change, unless it is dated before the publication: a CMS's first save of the
    draft (The Nation: "modified" three days before it was published), a change time read
    from another place than the publication time, a day without a time before the published
    clock time: no change of the published article."""
    if modified is None or published is None:
        return modified
    try:
        earlier = modified.value < published.value
    except TypeError:  # one without a zone: not comparable, kept
        return modified
    if earlier:
        chain.sources.pop("date_modified", None)
        return None
    return modified


def _no_article_link(link: Link) -> bool:
    """A related link that leads to no other article: a site's home page (not WordPress's
    "/?p=36843"), a call to action, a link the site is paid for (``parts.is_paid_link``)."""
    return parts.is_home_page(link.url) or _CALL_TO_ACTION.search(link.text) is not None or parts.is_paid_link(link.url)


def _in_teaser(el: html.HtmlElement) -> bool:
    """Inside a link or a lower heading: a teaser of another article."""
    return any(a.tag in TEASER_TAGS for a in el.iterancestors())


def extract_page(
    body: bytes,
    url: str,
    headers: Mapping[str, str] | None = None,
    *,
    fetched_at: datetime | None = None,
    profile: Profile | None = None,
    links: bool = False,
) -> PageExtraction:
    """Parse once and extract every field; never raises for bad input. ``profile`` (else the
    one SITES maps the URL's domain to) adjusts the fields a site needs; ``links`` also finds
    the page's links in the same parse."""
    doc = Document.from_bytes(body, url, headers, links=links)
    profile = profile or profile_for(url)
    if profile is not None:
        for xpath in profile.drop_xpaths:
            for el in doc.tree.xpath(xpath):
                if el.getparent() is not None:
                    el.getparent().remove(el)
    return _ArticleExtractor(doc, fetched_at, profile).run()


class _ArticleExtractor:
    def __init__(self, doc: Document, fetched_at: datetime | None, profile: Profile | None = None) -> None:
        self.doc = doc
        self.fetched_at = fetched_at
        self.profile = profile
        overrides = {name: (lambda fn=fn: fn(doc)) for name, fn in (profile.fields if profile else {}).items()}
        self.chain = FieldChain(overrides)
        self.jsonld: JsonLd = parse_jsonld(doc.jsonld_scripts)
        self.node: dict[str, Any] = self.jsonld.article() or {}
        items = microdata_items(doc.tree, ARTICLE_TYPES, doc.item_scopes)
        self.micro: MicrodataItem | None = items[0] if items else None
        for error in self.jsonld.errors:
            self.chain.errors.setdefault("jsonld", error)

    # -- helpers ------------------------------------------------------------------------------

    def ld(self, key: str) -> str | None:
        return text_value(self.node.get(key)) if self.node else None

    def md(self, key: str) -> str | None:
        return self.micro.value(key) if self.micro else None

    def meta(self, *names: str) -> str | None:
        return clean(self.doc.meta_first(*names))

    def date(self, raw: str | None) -> ParsedDate | None:
        return parse_date(raw, latest=self.fetched_at, zone=self.zone)

    @cached_property
    def zone(self) -> tzinfo | None:
        """The zone of the site's clock times (``zones.site_zone``): its country's, else
        its declared language's."""
        language = next((value for _, value in self.chain.values_of("language", self._language_steps())), None)
        return site_zone(urlsplit(self.doc.url).hostname, language)

    # -- the run ------------------------------------------------------------------------------

    def run(self) -> PageExtraction:
        c, doc = self.chain, self.doc
        host = urlsplit(doc.url).hostname
        og_site = parts.brand_name(_a_name(self.meta("og:site_name")))
        # a handle or the host's own label ("@politifact", "detroitnews") yields to a name written out
        plain = og_site is not None and parts.is_handle_or_label(og_site, host)
        site_name = c.first("site_name", [
            ("opengraph", lambda: None if plain else og_site),
            ("jsonld", lambda: parts.brand_name(_a_name(self._publisher_name()))),
            ("opengraph", lambda: og_site.lstrip("@") if og_site else None),
            ("meta", lambda: _a_name(self.meta("application-name", "apple-mobile-web-app-title"))),
        ])
        h1 = parts.headline_element(doc)
        # the <h1>'s text, read once: a place of the headline's vote and a title no tag repeats
        h1_text = cache(lambda: parts.headline_text(doc, h1) if h1 is not None else None)
        headline = self._headline(h1_text, site_name)
        standfirst_el = parts.standfirst_element(doc, h1)
        # the standfirst is the description and, where it stands inside the body, also the
        # body's first paragraph (a lead above the body's container stays out of it)
        skip = {h1} if h1 is not None else set()
        body = extract_body(doc, skip=skip, container_xpath=self.profile.body_xpath if self.profile else None, headline=h1)
        drop_repeated_headline(body, headline, parts.headline_key)
        lead_byline = self._lead_byline(body)
        # the article's header (between the headline and the body) and the byline found there by
        # its words: looked for only when no step before needs them
        header = cache(lambda: parts.header_elements(doc, h1 if h1 is not None else parts.heading_of(doc, headline), body.container))
        text_byline = cache(lambda: author_steps.from_text_byline(header()))
        authors = self._authors(site_name, lead_byline, text_byline, header)
        drop_author_bios(body, [a.name for a in authors or []])
        body_text = c.first("body", [("dom", lambda: body.text), ("jsonld", lambda: self._jsonld_body())])
        body_html = body.html if c.sources.get("body") == "dom" else None
        word_count, folded_words = counted_and_folded(body_text or "")
        published = self._date_published(text_byline, header)
        modified = _after_publication(c, c.first("date_modified", self._modified_steps()), published)
        breadcrumbs = c.first("breadcrumbs", [
            ("jsonld", lambda: parts.breadcrumbs_from_jsonld(doc, self.jsonld)),
            ("microdata", lambda: parts.breadcrumbs_from_microdata(doc, microdata_items(doc.tree, frozenset({"breadcrumblist"}), doc.item_scopes))),
            ("dom", lambda: parts.breadcrumbs_from_dom(doc)),
        ])
        breadcrumbs = parts.drop_current_page(breadcrumbs or [], (headline, self.meta("og:title"), doc.title), doc.url) or None
        main_image, images = self._images(body)
        canonical = c.first("canonical_url", [
            ("dom", lambda: _not_home(doc.absolute(self._link_rel("canonical")), doc.url)),
            ("opengraph", lambda: _not_home(doc.absolute(self.meta("og:url")), doc.url)),
            ("url", lambda: doc.url),
        ])
        article = Article(
            url=doc.url,
            article_id=article_id(canonical or doc.url),
            canonical_url=canonical,
            site_name=site_name,
            language=self._language(body_text),
            headline=headline,
            page_title=doc.title,
            description=c.first("description", [
                ("dom", lambda: clean(element_text(standfirst_el)) if standfirst_el is not None else None),
                ("jsonld", lambda: self.ld("description")),
                ("microdata", lambda: self.md("description")),
                ("opengraph", lambda: self.meta("og:description")),
                ("meta", lambda: self.meta("description", "twitter:description", "dc.description")),
            ]),
            breadcrumbs=breadcrumbs,
            section=c.first("section", [
                ("jsonld", lambda: parts.chosen_section(parts.listed_section(self.ld("articleSection"), breadcrumbs))),
                ("meta", lambda: parts.chosen_section(parts.listed_section(self.meta("article:section", "section", "parsely-section"), breadcrumbs))),
                ("microdata", lambda: parts.chosen_section(parts.listed_section(self.md("articleSection"), breadcrumbs))),
                ("dom", lambda: parts.trail_section(breadcrumbs)),
            ]),
            authors=authors,
            date_published=published.value if published else None,
            date_modified=modified.value if modified else None,
            date_published_raw=published.raw if published else None,
            date_precision=published.precision if published else None,
            main_image=main_image,
            images=images,
            body=body_text,
            body_html=body_html,
            word_count=word_count if body_text else None,
            tags=parts.without_titles(parts.without_site_names(c.first("tags", [
                ("jsonld", self._jsonld_tags),
                ("microdata", lambda: parts.split_keywords(self.md("keywords"))),
                ("meta", lambda: parts.tags_from_meta(doc)),
                ("dom", lambda: parts.tags_from_dom(doc, h1)),
                ("dom", lambda: parts.tags_from_label(doc)),
                ("dom", lambda: parts.tags_from_links(doc, h1)),
            ]), (site_name, self._publisher_name(), urlsplit(self.doc.url).hostname)),
                (headline, self.meta("og:title"), h1_text())),
            related_links=c.first("related_links", [("dom", lambda: self._related_links(body))]),
            comment_count=c.first("comment_count", [
                ("jsonld", lambda: parts.comment_count_from_jsonld(self.node)),
                ("microdata", lambda: _int(self.md("commentCount"))),
                ("dom", lambda: parts.comment_count_from_dom(doc)),
            ]),
            is_free=c.first("is_free", [("jsonld", self._is_free)]),
            page_type=c.first("page_type", [
                ("jsonld", lambda: _type_name(self.node)),
                ("microdata", lambda: self.micro.element.get("itemtype", "").rsplit("/", 1)[-1] if self.micro else None),
                ("opengraph", lambda: self.meta("og:type")),
            ]),
            fingerprint=simhash(body_text, folded=folded_words),
            field_sources=c.sources,
            extraction_errors=c.errors,
            extractor_version=EXTRACTOR_VERSION,
        )
        has_markup = bool(self.node) or self.micro is not None or (self.meta("og:type") or "").lower() == "article"
        return PageExtraction(article=article, verdict=classify(article, body, has_markup), links=self.doc.links)

    # -- fields -------------------------------------------------------------------------------

    def _publisher_name(self) -> str | None:
        publisher = self.jsonld.resolve(self.node.get("publisher")) if self.node else None
        return text_value(publisher.get("name")) if isinstance(publisher, dict) else None

    def _headline(self, h1_text: Callable[[], str | None], site_name: str | None) -> str | None:
        """The headline most of the page's own places agree on: JSON-LD, microdata,
        OpenGraph, Twitter/meta, the visible <h1>, the <title> without the site name. With no
        agreement the declared (JSON-LD) headline wins, because the <h1> is often restyled
        (curly quotes, kickers, "LIVE:" prefixes)."""
        host = urlsplit(self.doc.url).hostname
        return self.chain.vote("headline", [
            ("jsonld", lambda: parts.strip_site_name(self.ld("headline") or self.ld("name"), site_name, host=host)),
            ("microdata", lambda: parts.strip_site_name(self.md("headline") or self.md("name"), site_name, host=host)),
            ("opengraph", lambda: parts.strip_site_name(self.meta("og:title"), site_name, host=host)),
            ("meta", lambda: parts.strip_site_name(self.meta("twitter:title", "title", "dc.title"), site_name, host=host)),
            ("dom", h1_text),
            ("title", lambda: parts.strip_site_suffix(self.doc.title, site_name, host=host)),
        ], key=parts.headline_key, spelling="opengraph", truncated=parts.cut_at_quote)

    def _jsonld_tags(self) -> list[str] | None:
        """JSON-LD keywords, unless they are one space-joined string while the keywords metas
        hold a separated list (the CMS joined one list two ways): then the metas' step answers.
        When the metas hold the same unseparated string it is one long keyword."""
        value = self.node.get("keywords") if self.node else None
        if parts.space_separated(value):
            same = parts.headline_key(value)
            if any(parts.headline_key(v) == same for k in ("keywords", "news_keywords", "article:tag") for v in self.doc.meta.get(k, [])):
                return [clean(value)]  # both places say it is one phrase
            if len(parts.tags_from_meta(self.doc)) > 1:
                return None
        return parts.split_keywords(value)

    def _jsonld_body(self) -> str | None:
        text = self.ld("articleBody")
        if not text:
            return None
        raw = self.node.get("articleBody")
        paragraphs = [clean(p) for p in str(raw).splitlines()] if isinstance(raw, str) else [text]
        return "\n\n".join(p for p in paragraphs if p) or None

    def _date_published(self, text_byline: TextByline, header: Callable[[], list[Any]]) -> ParsedDate | None:
        steps: list[Step] = [
            ("jsonld", lambda: self.date(self.ld("datePublished") or self.ld("dateCreated"))),
            ("microdata", lambda: self.date(self.md("datePublished"))),
            ("meta", lambda: next(filter(None, (self.date(v) for k in PUBLISHED_META for v in self.doc.meta.get(k, []))), None)),
            ("dom", lambda: self._date_from_time_elements(modified=False)),
            ("dom", lambda: self._date_from_text(modified=False)),
            ("dom", self._date_from_label),
            ("dom", lambda: self._date_from_byline(text_byline)),
            ("dom", lambda: self._date_from_header(header())),
            ("script", lambda: next(filter(None, map(self.date, data_layer_dates(self.doc.source))), None)),
            ("url", lambda: date_from_url(self.doc.url)),
        ]
        parsed = self.chain.first("date_published", steps)
        if parsed is not None:
            self.chain.sources["date_published_raw"] = self.chain.sources["date_published"]
        return parsed

    def _modified_steps(self) -> list[Step]:
        return [
            ("jsonld", lambda: self.date(self.ld("dateModified"))),
            ("microdata", lambda: self.date(self.md("dateModified"))),
            ("meta", lambda: next(filter(None, (self.date(v) for k in MODIFIED_META for v in self.doc.meta.get(k, []))), None)),
            ("dom", lambda: self._date_from_time_elements(modified=True)),
            ("dom", lambda: self._date_from_text(modified=True)),
        ]

    def _date_from_time_elements(self, *, modified: bool) -> ParsedDate | None:
        """The first <time datetime> outside the site's chrome; named "updated" or "modified"
        it is the last change's, unless also named "published" (WordPress themes name a
        post's only date "entry-date published updated")."""
        for el in self.doc.tree.iter("time"):
            if el.get("datetime") is None:
                continue
            words = self.doc.words(el)
            is_modified = any(w in words for w in ("updated", "modified")) and "published" not in words
            if is_modified != modified or parts.in_site_chrome(el, self.doc) or self._in_related(el):
                continue  # today's date in the site's top bar; a related post's date
            parsed = self.date(el.get("datetime"))
            if parsed:
                return parsed
        return None

    def _in_related(self, el: html.HtmlElement) -> bool:
        """Inside a box of other articles ("item-related", "recirculation"). (A <time> inside
        a link is often the article's own, linked to its permalink.)"""
        return parts.inside_named(self.doc, el, RELATED_NAME, layout=True)

    def _date_from_text(self, *, modified: bool) -> ParsedDate | None:
        for el, words in self.doc.named:
            if (el.tag not in DATE_TAGS and "-" not in el.tag) or not DATE_WORDS.search(" ".join(filter(None, (el.get("class"), el.get("id"))))):
                continue
            text = clean(element_text(el))
            if not text or len(text) > 80 or _in_teaser(el) or parts.in_site_chrome(el, self.doc) or self._in_related(el):
                continue  # a teaser's date; today's date in the site's top bar; a related post's
            is_modified = UPDATE_WORDS.search(text + " " + self.doc.words(el)) is not None
            if is_modified != modified:
                continue
            parsed = parse_date_before_note(text, latest=self.fetched_at, zone=self.zone)  # "… 21:17（最終更新 …）"
            if parsed:
                return parsed
        return None

    def _date_from_label(self) -> ParsedDate | None:
        """A date after its label in a fact box: "<li><strong>Datum</strong> 28.04.2023</li>",
        "<dt>Published</dt><dd>3 March 2024</dd>"."""
        for value in self.doc.labelled(DATE_LABEL):
            parsed = self.date(value) if len(value) <= 80 else None
            if parsed:
                return parsed
        return None

    def _date_from_byline(self, text_byline: TextByline) -> ParsedDate | None:
        """A date in the line of the byline: "Do 25.04.24 | 14:07 Uhr | Von Eva Muster" — the
        first byline named as one, else the byline found by its words in the article's
        header."""
        for el in author_steps.byline_elements(self.doc):
            line = el.getparent() if el.tag in ("span", "a", "strong", "b", "em") and el.getparent() is not None else el
            text = clean(element_text(line))
            if text and len(text) <= 120:
                return self._date_in_line(text)  # the first byline's line only: later "author" boxes are bios
        found = text_byline()
        return self._date_in_line(clean(element_text(found[0])) or "") if found else None

    def _date_from_header(self, header: list[Any]) -> ParsedDate | None:
        """The first short line of the article's header (between the headline and the body)
        that holds a date, whatever its markup is named ("Freitag, 28.04.2023, 19:25 Uhr" under
        the headline); not a line that says the date is an update's. Dates in links and lower
        headings are teasers'."""
        for el in header:
            if el.tag in TEASER_TAGS or len(string_value(el)) > 200 or _in_teaser(el):
                continue
            text = clean(element_text(el))
            for link in el.iter("a"):  # a linked date is another page's (a teaser, an archive)
                text = clean((text or "").replace(element_text(link), " "))
            text = without_note(text or "")  # "… 01時28分 (1月14日 01時40分更新)": the update is the note's
            if text and len(text) <= 80 and not UPDATE_WORDS.search(text):
                parsed = self._date_in_line(text)
                if parsed:
                    return parsed
        return None

    def _date_in_line(self, text: str) -> ParsedDate | None:
        """Two neighbouring parts between the line's separators, else one, else the whole
        line: the raw value is the date's own text where the line is cut into parts."""
        pieces = author_steps.SEGMENT_SEPARATORS.split(text)
        pairs = [f"{a} {b}" for a, b in zip(pieces, pieces[1:])] if len(pieces) > 2 else []
        for candidate in (*pairs, *pieces, text) if len(pieces) > 1 else (text,):
            parsed = self.date(candidate)
            if parsed:
                return parsed
        return None

    def _authors(self, site_name: str | None, lead_byline: list[Author], text_byline: TextByline, header: Callable[[], list[Any]]) -> list[Author] | None:
        """People named by the page, in the order of the places that name them; an
        organization only when the page names no person, and last a "person" named as the
        site (a CMS account called "Lesotho Times", found in JSON-LD or in teasers' bylines)."""
        doc = self.doc
        accounts: list[tuple[str, Author]] = []
        # the site's names, once, and only when some place names people
        site_keys = cache(lambda: parts.site_name_keys((site_name, self._publisher_name(), urlsplit(doc.url).hostname)))

        def people(source: str, found: list[Author]) -> list[Author]:
            if not found:
                return found
            named = [parts.names_the_site(a.name, site_keys()) for a in found]
            accounts.extend((source, a) for a, is_site in zip(found, named) if is_site)
            return [a for a, is_site in zip(found, named) if not is_site]

        authors = self.chain.first("authors", [
            ("jsonld", lambda: people("jsonld", author_steps.from_jsonld(doc, self.jsonld, self.node, organizations=False))),
            ("microdata", lambda: people("microdata", author_steps.from_microdata(doc, self.micro))),
            ("dom", lambda: people("dom", author_steps.from_byline(doc))),
            ("dom", lambda: people("dom", author_steps.from_author_links(doc))),
            ("dom", lambda: people("dom", author_steps.from_label(doc))),
            ("dom", lambda: people("dom", author_steps.from_cjk_credit(doc))),
            ("dom", lambda: people("dom", (text_byline() or (None, []))[1])),
            ("dom", lambda: people("dom", lead_byline)),
            ("meta", lambda: people("meta", author_steps.from_meta(doc))),
            ("jsonld", lambda: author_steps.from_jsonld(doc, self.jsonld, self.node, organizations=True)),
            ("dom", lambda: people("dom", author_steps.from_bare_names(header()))),
            ("account", lambda: author_steps.dedupe([a for _, a in accounts])),
        ])
        if self.chain.sources.get("authors") == "account":
            self.chain.sources["authors"] = accounts[0][0]
        return authors

    def _lead_byline(self, body: BodyResult) -> list[Author]:
        """The byline small sites write as the body's first bold line ("<p><strong>Jane
        Doe</strong></p>"): taken out of the body, its names kept for the authors."""
        for index, text in bold_lead_lines(body):
            authors = author_steps.from_bold_line(text)
            if authors:
                del body.blocks[index]
                return authors
        return []

    def _language(self, body_text: str | None) -> str | None:
        """The declared language, else the text's; a declared English that the text is not
        (a theme's default) gives way to the text's, noted in extraction_errors."""
        declared = self.chain.first("language", [*self._language_steps(), ("detected", lambda: detect_language(body_text))])
        if declared and declared.lower().startswith("en") and self.chain.sources.get("language") != "detected":
            actual = not_english(body_text)
            if actual:
                self.chain.sources["language"] = "detected"
                self.chain.errors["language"] = f"declared {declared}, the text is {actual}"
                return actual
        return declared

    def _language_steps(self) -> list[Step]:
        return [
            ("dom", lambda: _iso639(self.doc.tree.get("lang") or self.doc.tree.get("xml:lang"))),
            ("meta", lambda: _iso639(self.meta("content-language", "language", "dc.language"))),
            ("opengraph", lambda: _iso639(self.meta("og:locale"))),
            ("jsonld", lambda: _iso639(self.ld("inLanguage"))),
            ("header", lambda: _iso639(self.doc.headers.get("content-language"))),
        ]

    def _link_rel(self, rel: str) -> str | None:
        for el in self.doc.tree.iter("link"):
            if rel in (el.get("rel") or "").lower().split():
                return el.get("href")
        return None

    def _images(self, body: BodyResult) -> tuple[Image | None, list[Image] | None]:
        # (the site's icon declared as the page's image is no picture of the article)
        structured = [i for i in images_from_jsonld(self.doc, self.node.get("image")) if not is_site_icon(i.url)] if self.node else []
        og_image = self.doc.absolute(self.meta("og:image", "og:image:url", "twitter:image"))
        if og_image and is_site_icon(og_image):
            og_image = None
        lead = self.chain.first("main_image", [
            ("dom", lambda: self._lead_figure(og_image, body)),
            ("jsonld", lambda: structured[0] if structured else None),
            ("opengraph", lambda: Image(url=og_image) if og_image else None),
        ])
        if lead is not None and not lead.caption:  # a <picture> found alone; the body walk saw its caption
            twin = next((i for i in body.images if i.url == lead.url and i.caption), None)
            if twin is not None:
                lead.caption, lead.credit = twin.caption, lead.credit or twin.credit
        if lead is not None and not lead.caption:
            lead.caption = next((i.caption for i in structured if same_image(i.url, lead.url) and i.caption), None)
        if lead is None and body.loose_images:  # no figure, no structured image: the first picture shown
            lead = body.loose_images[0]
            self.chain.sources["main_image"] = "dom"
        images: list[Image] = [lead] if lead else []
        for image in body.images:
            if not any(i.url == image.url for i in images):
                images.append(image)
        for image in body.loose_images:  # (a bare rendition of a picture listed already adds nothing)
            if not any(same_image(i.url, image.url) for i in images):
                images.append(image)
        return lead, images or None

    def _lead_figure(self, og_image: str | None, body: BodyResult) -> Image | None:
        """The lead photo: a figure in the article before the body text, or the body's first
        image, or any figure showing the og:image."""
        scope = _article_scope(body)
        figures = [
            f for f in scope.iter("figure", "picture")
            if not is_boilerplate(self.doc, f) and not self._promotion(f)
        ] if scope is not None else []
        # (a vector graphic is a control's or the site's drawing, never the article's photo)
        candidates = [img for img in (image_from_figure(self.doc, f) for f in figures) if img and not is_vector(img.url)]
        if og_image:
            for image in candidates:
                if same_image(image.url, og_image):
                    return image
        if candidates:
            return candidates[0]
        return body.images[0] if body.images else None

    def _promotion(self, picture: html.HtmlElement) -> bool:
        """A picture that links to another page from an <aside> or a box named as a promotion
        (the site's app, a subscription: "<aside class='banner'><a href='/abo-service/app'>
        <picture>"): an advertisement, not the article's lead. A layout class such as
        "ads-top-after" around a lead photo that links nowhere says nothing."""
        # (the link wraps the picture or its box: a few levels up, not a walk to the root)
        link = next((a for a in islice(picture.iterancestors(), 4) if a.tag == "a"), None)
        href = self.doc.absolute(link.get("href")) if link is not None else None
        if href is None or href.split("#")[0] == self.doc.url or _IMAGE_FILE.search(href.split("?")[0]):
            return False
        return next(picture.iterancestors("aside"), None) is not None or parts.inside_named(self.doc, picture, _PROMOTION_NAME, layout=True)

    def _related_links(self, body: BodyResult) -> list[Link]:
        links = list(body.related_links)
        scope = _article_scope(body)
        if scope is not None:  # related blocks under the body, inside the same <article>
            for el, words in self.doc.named:
                if "related" in words and el is not body.container and self.doc.contains(scope, el):
                    for a in el.iter("a"):
                        url, text = self.doc.absolute(a.get("href")), clean(element_text(a))
                        if url and text and len(text) >= 10:
                            links.append(Link(text=text, url=url))
        seen: set[str] = set()
        unique = []
        for link in links:
            if link.url not in seen and link.url.split("#")[0] != self.doc.url and not _no_article_link(link):
                seen.add(link.url)
                unique.append(link)
        return unique

    def _is_free(self) -> bool | None:
        value = self.node.get("isAccessibleForFree") if self.node else None
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
        return None


HOME_PATHS = frozenset({"", "/", "/index.html", "/index.htm", "/index.php", "/home"})


def _a_name(value: str | None) -> str | None:
    """A site's name, not its address: og:site_name "https://www.kleinezeitung.at" names nothing."""
    return None if value is None or value.lstrip().startswith(("http://", "https://", "www.")) else value


def _not_home(candidate: str | None, page_url: str) -> str | None:
    """A canonical URL (or og:url) unless it names the site's home page while the page is
    not it: a template's default that every article repeats, which as the article id would
    make all of a site's articles one."""
    if candidate and urlsplit(candidate).path.lower() in HOME_PATHS and urlsplit(page_url).path.lower() not in HOME_PATHS:
        return None
    return candidate


def _article_scope(body: BodyResult) -> html.HtmlElement | None:
    """The <article>/<main> around the body (or the body's parent): where lead figures live."""
    if body.container is None:
        return None
    for ancestor in body.container.iterancestors():
        if ancestor.tag in ("article", "main"):
            return ancestor
    parent = body.container.getparent()
    return parent if parent is not None else body.container


def _type_name(node: dict[str, Any]) -> str | None:
    raw = node.get("@type") if node else None
    value = raw[0] if isinstance(raw, list) and raw else raw
    return str(value).rsplit("/", 1)[-1] if value else None


def _iso639(value: str | None) -> str | None:
    if not value:
        return None
    code = value.strip().replace("_", "-").split("-")[0].lower()
    return code if len(code) == 2 and code.isalpha() else None


def _int(value: str | None) -> int | None:
    try:
        return int(str(value).replace(",", "")) if value is not None else None
    except ValueError:
        return None


