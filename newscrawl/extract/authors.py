"""Authors from JSON-LD, microdata, meta tags and bylines, each with the raw text kept."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from newscrawl.extract.document import Document
from newscrawl.extract.page_parts import in_site_chrome, inside_named
from newscrawl.extract.structured import JsonLd, MicrodataItem, as_list, nested_item, prop_value, text_value, types_of
from newscrawl.extract.text import clean, element_text, string_value
from newscrawl.items import Author

_BY = re.compile(r"^(?:(?:by|written by|words by|von|por|par|di|door|av|autor(?:es)?|author(?:s)?)\s*:?|text\s*:)\s+", re.I)
# (the conjunctions "y" and "et" in lower case and not an initial: "Bruce Y. Lee" is one name)
_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&|\bund\b|(?-i:\by\b|\bet\b)(?!\.)|\|)\s*", re.I)
_TRAILING_ROLE = re.compile(r"\s*[-–—|,]\s*(?:staff writer|correspondent|reporter|editor|contributor).*$", re.I)
_BYLINE_WORDS = re.compile(r"byline|author")
MAX_NAME_WORDS = 6
_TRAILING_PARENS = re.compile(r"\s*\([^()]*\)\s*$")
# the publication a writer wrote for: "By Jane Doe For Daily Mail Australia"
_FOR_PUBLICATION = re.compile(r"\s+(?i:for)\s+(?:(?i:the)\s+)?[A-Z].*$")
# A part of a byline made of these words only is a role ("By Jane Doe, Staff Writer"), not a name.
ROLE_WORDS = frozenset(
    "staff senior chief political foreign contributing special business sports deputy managing executive "
    "news editor editors writer writers reporter reporters correspondent correspondents contributor columnist "
    "producer journalist photographer redakteur redakteurin korrespondent korrespondentin journalistin "
    "rédacteur rédactrice correspondant correspondante giornalista redattore periodista corresponsal".split()
)
# Words that byline heuristics meet but that never name an author.
NOT_NAMES = frozenset({
    "twitter", "facebook", "instagram", "linkedin", "email", "e-mail", "share", "follow", "x", "more", "author", "authors", "by",
    # a CMS's default accounts, never a writer ("admin" is WordPress's first user)
    "admin", "administrator", "site admin", "siteadmin", "wpadmin", "webmaster", "superuser", "root",
})


def clean_name(raw: str | None) -> str | None:
    """"By JANE DOE" -> "Jane Doe"; None for things that are not a person's name."""
    name = clean(raw)
    if not name:
        return None
    name = _TRAILING_ROLE.sub("", _BY.sub("", name))
    name = _FOR_PUBLICATION.sub("", _TRAILING_PARENS.sub("", name)).strip(" ,;:|-")
    if not name or name.startswith(("http://", "https://")) or "@" in name or ":" in name:
        return None
    if name.casefold() in NOT_NAMES or all(word in ROLE_WORDS for word in name.casefold().split()):
        return None
    if len(name.split()) > MAX_NAME_WORDS or any(ch.isdigit() for ch in name):
        return None
    if name.isupper() and len(name) > 3:
        name = name.title()
    return name


def _given_family(person: dict[str, Any]) -> str | None:
    """schema.org Person without "name": givenName + familyName."""
    parts = [text_value(person.get("givenName")), text_value(person.get("familyName"))]
    return " ".join(p for p in parts if p) or None


_PARTICLES = frozenset({"van", "von", "de", "der", "den", "da", "di", "del", "la", "le", "du", "bin", "al", "el", "y", "e", "dos", "das", "ten", "ter", "zu"})


# the first word of a button or link label that a byline's markup also holds ("Watch Live",
# "Read More", "Sign Up"): no name starts with these
_UI_VERBS = frozenset(
    "watch read sign log subscribe follow share listen view click download play open close show hide load more "
    "jetzt mehr alle zum zur lesen anmelden abonnieren teilen folgen".split()
)


def looks_like_person(name: str) -> bool:
    """2 to 5 words, each capitalised (name particles aside), for names found in page
    furniture where labels ("Themen bearbeiten", "capital") also carry author classes;
    not a button's label ("Watch Live"). Scripts without case (CJK) pass."""
    words = name.split()
    if not 2 <= len(words) <= 5:
        return not any(ch.isalpha() and (ch.isupper() or ch.islower()) for ch in name) and len(name) <= 12
    if words[0].lower() in _UI_VERBS:
        return False
    return all(w[0].isupper() or w.lower() in _PARTICLES or not w[0].isalpha() for w in words)


def split_names(raw: str) -> list[str]:
    return [part for part in _SPLIT.split(_BY.sub("", raw.strip())) if part and part.strip()]


def dedupe(authors: list[Author]) -> list[Author]:
    seen: set[str] = set()
    out = []
    for author in authors:
        key = author.name.casefold()
        if key not in seen:
            seen.add(key)
            out.append(author)
    return out


ORGANIZATION_TYPES = frozenset({"organization", "newsmediaorganization", "corporation", "organisation"})


def from_jsonld(doc: Document, jsonld: JsonLd, node: dict[str, Any] | None, *, organizations: bool) -> list[Author]:
    """Authors named in JSON-LD: people (``organizations=False``) or only organizations."""
    if not node:
        return []
    authors = []
    for value in as_list(node.get("author") or node.get("creator")):
        value = jsonld.resolve(value)
        is_org = isinstance(value, dict) and bool(ORGANIZATION_TYPES.intersection(types_of(value)))
        if is_org != organizations:
            continue
        if isinstance(value, dict):
            raw = text_value(value.get("name")) or _given_family(value)
            url = doc.absolute(text_value(value.get("url") or value.get("sameAs")))
        else:
            raw, url = text_value(value), None
        for part in split_names(raw or ""):
            name = clean_name(part)
            if name:
                authors.append(Author(name=name, name_raw=raw, url=url))
    return dedupe(authors)


def from_microdata(doc: Document, item: MicrodataItem | None) -> list[Author]:
    if item is None:
        return []
    authors = []
    for el in item.elements("author") + item.elements("creator"):
        nested = nested_item(el)
        if nested is not None:
            raw = nested.value("name") or clean(element_text(el))
            url = doc.absolute(nested.value("url"))
        else:
            raw = prop_value(el)
            url = doc.absolute(el.get("href")) if el.tag == "a" else None
        for part in split_names(raw or ""):
            name = clean_name(part)
            if name:
                authors.append(Author(name=name, name_raw=raw, url=url))
    return dedupe(authors)


# the label Yoast SEO gives the writer in its Twitter card ("twitter:label1" = "Written by",
# "twitter:data1" = the name), in the languages of its translations
_WRITTEN_BY_LABEL = re.compile(
    r"^(?:written by|verfasst von|geschrieben von|écrit par|escrito por|scritto da|geschreven door|skrevet af|skrivet av|napisane przez)$",
    re.I,
)


def _card_writers(doc: Document) -> list[str]:
    """The names under a "Written by" label of the page's Twitter card (twitter:labelN /
    twitter:dataN from WordPress with Yoast SEO, twitter:misc:<label> from a headless front
    end rendering Yoast's data; the author <meta> may be an e-mail address)."""
    found = []
    for index in range(1, 5):
        labels, values = doc.meta.get(f"twitter:label{index}", []), doc.meta.get(f"twitter:data{index}", [])
        if labels and values and _WRITTEN_BY_LABEL.match(labels[0]):
            found.append(values[0])
    for key, values in doc.meta.items():
        if key.startswith("twitter:misc:") and values and _WRITTEN_BY_LABEL.match(key[len("twitter:misc:"):]):
            found.append(values[0])
    return found


_AUTHOR_METAS = ("author", "article:author", "dc.creator", "dcterms.creator", "parsely-author", "sailthru.author", "byl")


def from_meta(doc: Document) -> list[Author]:
    """Writers in the author <meta>s, else under the Twitter card's "Written by" label."""
    authors = []
    for values in [*(doc.meta.get(key, []) for key in _AUTHOR_METAS), _card_writers(doc)]:
        for raw in values:
            if raw.startswith(("http://", "https://")):
                continue
            for part in split_names(raw):
                name = clean_name(part)
                if name:
                    authors.append(Author(name=name, name_raw=raw))
        if authors:
            break
    return dedupe(authors)


_NOT_BYLINE_TAGS = frozenset({"meta", "link", "body", "html", "article", "main"})


def byline_elements(doc: Document) -> Iterator[Any]:
    """Elements named as a byline or an author (or rel=author links), in document order; not
    inside a figure, where "author" names the photographer ("image-description__author")."""
    for el, words in doc.named:
        if (
            (_BYLINE_WORDS.search(words) or "author" in (el.get("rel") or "")) and el.tag not in _NOT_BYLINE_TAGS
            and next(el.iterancestors("figure", "figcaption"), None) is None
            and not inside_named(doc, el, _COMMENT_NAME, itself=True) and not inside_named(doc, el, _MENU_NAME, itself=True, layout=True)
        ):
            yield el


# a reader's comment and its thread: "comment-author vcard" names a commenter, not a writer
# (a whole name, or its last part: not "comments-enabled", a page's setting)
_COMMENT_NAME = re.compile(
    r"(?:^|[\s_-])(?:comments?(?:[-_](?:list|area|section|body|author|content|thread|container|wrapper|item|meta))?|commentlist|disqus)(?=\s|$)"
)


# the site's menus: a menu of its columnists ("menu-item-object-guest-author") names no
# writer of the page (a sidebar may: "article-header-sidebar" holds NRK's bylines)
_MENU_NAME = re.compile(r"(?:^|[\s_-])(?:menu|menu-item|mainmenu|megamenu|navbar|navigation)(?:[\s_-]|$)")


def from_byline(doc: Document) -> list[Author]:
    """Visible bylines: author links first, else the byline text split into names."""
    for el in byline_elements(doc):
        raw = clean(element_text(el))
        if not raw or len(raw) > 120:
            continue
        links = [a for a in el.iter("a") if clean(element_text(a))]
        authors = []
        if links:
            for a in links:
                name = clean_name(element_text(a))
                if name and looks_like_person(name):
                    authors.append(Author(name=name, name_raw=raw, url=doc.absolute(a.get("href"))))
        else:
            for part in split_names(raw):
                name = clean_name(part)
                if name and looks_like_person(name):
                    authors.append(Author(name=name, name_raw=raw))
        if authors:
            return dedupe(authors)
    return []


# the path of a writer's page: WordPress's /author/<slug>/, /autoren/name/<slug>, /auteur/…
_AUTHOR_PATH = re.compile(
    r"/(?:author|authors|autor|autoren|autorin|autorinnen|auteur|auteurs|autore|autori|journalist|journalisten|"
    r"reporter|reporters|columnist|columnists)/",
    re.I,
)
# a label in front of the writer's name in a fact box: "<strong>Autorin/Autor</strong> Jana Muster"
_AUTHOR_LABEL = re.compile(r"^(?:autor(?:in)?(?:\s*/\s*autor(?:in)?)?|autoren|author|authors|auteur|autore|written by)\s*:?$", re.I)


def from_author_links(doc: Document) -> list[Author]:
    """Writers linked to their pages by path (/author/…, /autoren/…) outside the page's
    navigation, with the writers linked beside the first one: a byline whose markup names
    nothing ("von <a href="/autoren/name/max-kolter">Dr. Max Kolter</a>")."""
    for a in doc.tree.iter("a"):
        if not _AUTHOR_PATH.search(a.get("href") or "") or in_site_chrome(a, doc, article_asides=True) or inside_named(doc, a, _COMMENT_NAME, itself=True):
            continue  # a menu of the site's columnists; a commenter's profile
        name = clean_name(element_text(a))
        if not name or not looks_like_person(name):
            continue
        line = a.getparent()  # never None: a parsed page's root is <html>
        raw = clean(element_text(line)) or name
        authors = []
        for link in line.iter("a"):
            other = clean_name(element_text(link))
            if _AUTHOR_PATH.search(link.get("href") or "") and other and looks_like_person(other):
                authors.append(Author(name=other, name_raw=raw if len(raw) <= 120 else other, url=doc.absolute(link.get("href"))))
        return dedupe(authors)
    return []


# Chinese news credit lines: "作者：张三", "记者：李四", "(责编：牛镛、岳弘彬)" (the editors in charge,
# whom Chinese news sites name as a text's people), writers first
_CJK_NAME = r"[\u4e00-\u9fff·]{2,4}"
_CJK_CREDITS = tuple(
    re.compile(rf"(?:{labels})\s*[：:]\s*({_CJK_NAME}(?:\s*[、，,]\s*{_CJK_NAME}){{0,5}})")
    for labels in ("作者|记者|撰稿", "责任编辑|责编|编辑")
)
_CJK_CREDIT_WORDS = ("作者", "记者", "撰稿", "责编", "编辑")


def from_cjk_credit(doc: Document) -> list[Author]:
    """The people of a Chinese news page's credit line, from its visible text."""
    if not any(word in doc.source for word in _CJK_CREDIT_WORDS):
        return []
    text = string_value(next(doc.tree.iter("body"), doc.tree))
    for pattern in _CJK_CREDITS:
        match = pattern.search(text)
        if match:
            names = re.split(r"\s*[、，,]\s*", match.group(1))
            return dedupe([Author(name=name, name_raw=match.group(0)) for name in names if name])
    return []


def from_label(doc: Document) -> list[Author]:
    """Writers after their label in a fact box: "<li><strong>Autorin/Autor</strong> Roman
    Muster</li>", "<dt>Author</dt><dd>Jane Doe</dd>"."""
    for raw in doc.labelled(_AUTHOR_LABEL):
        if len(raw) > 120:
            continue
        authors = [Author(name=name, name_raw=raw) for name in map(clean_name, split_names(raw)) if name and looks_like_person(name)]
        if authors:
            return dedupe(authors)
    return []


# the parts of a line: "Do 25.04.24 | 14:07 Uhr | Von Eva Muster"
SEGMENT_SEPARATORS = re.compile(r"\s+[|·•]\s+")
_TEXT_BYLINE_TAGS = frozenset({"div", "p", "span", "li", "address", "small", "strong", "b", "em", "section", "header", "footer"})


def from_text_byline(candidates: Iterable[Any]) -> tuple[Any, list[Author]] | None:
    """The first of ``candidates`` (the article header's elements) whose text, or a part of
    it between separators, is a byline by its words: "Von Eva Muster", "By Jane Doe and John
    Roe", "Do 25.04.24 | 14:07 Uhr | Von Eva Muster" — when no name in the markup says
    "byline" or "author" (class names of CSS modules say nothing). The element and the
    people it names, who must look like people."""
    for el in candidates:
        if el.tag not in _TEXT_BYLINE_TAGS or len(string_value(el)) > 300:
            continue
        raw = clean(element_text(el))
        if not raw or len(raw) > 120:
            continue
        for piece in SEGMENT_SEPARATORS.split(raw):
            if not _BY.match(piece):
                continue
            authors = [Author(name=name, name_raw=raw) for name in map(clean_name, split_names(piece)) if name and looks_like_person(name)]
            if authors:
                return el, dedupe(authors)
    return None


_BARE_NAME_TAGS = frozenset({"div", "p", "span", "li", "address", "small", "strong", "b", "em", "a", "cite"})
_INLINE_NAME_TAGS = frozenset({"span", "strong", "b", "em", "small", "cite"})
_LOOSE_SEPARATORS = re.compile(r"\s*[|·•]\s*")
# links (topic chips, teasers), captions, headings and controls hold no bare byline; nor do
# credits ("© Bart Dewaele", "AP Photo") or lines with digits
_NOT_A_BYLINE = frozenset({"a", "figure", "figcaption", "picture", "h1", "h2", "h3", "h4", "h5", "h6", "nav", "button"})
MAX_BYLINE_CHARS = 120
_NOT_BARE_NAME = re.compile(r"\d|©|\(c\)|\b(?:photo|foto|bild|image|getty|reuters|afp|dpa)\b", re.I)


def from_bare_names(candidates: Iterable[Any]) -> list[Author]:
    """A byline that is only the writer's name in the article's header (``candidates``: the
    elements between the headline and the body), "<span>Duncan Walker</span>", "Fouzia Van Der
    Fort | Published 4 months ago", or names side by side that make up their line
    ("<span>Birgit Baumann</span><span>Anna Giulia Fink</span>"): each a name by the strict
    test of bold lead lines; not a link nor holding one (topic chips name people too), not in
    a caption, a heading or running text, not a credit, not a dateline's place."""
    for el in candidates:
        if el.tag not in _BARE_NAME_TAGS or len(string_value(el)) > 80:
            continue
        name = _bare_name(el)
        if not name:
            continue
        parent = el.getparent()
        if parent is not None:
            texts = [clean(element_text(s)) or "" for s in parent if isinstance(s.tag, str) and s.tag == el.tag]
            names = [from_bold_line(t) for t in texts]
            if len(texts) > 1 and all(len(n) == 1 for n in names) and " ".join(texts) == clean(element_text(parent)):
                return dedupe([n[0] for n in names])[:4]
        return [Author(name=name, name_raw=clean(element_text(parent if parent is not None else el)) or name)]
    return []


def _bare_name(el: Any) -> str | None:
    text = clean(element_text(el))
    if not text or len(text) > 80 or text.endswith(":") or _NOT_BARE_NAME.search(text.split("|")[0]):
        return None
    found = from_bold_line(_LOOSE_SEPARATORS.split(text)[0])
    if len(found) != 1 or el.tag == "a" or el.find(".//a") is not None or el.find(".//img") is not None:
        return None
    # the line starts with the name: "Duncan Walker", "Steffan Rhys Deputy Content Hub Director",
    # "Fouzia Van Der Fort | Published …" — not "New Delhi, News Nation Bureau" (a dateline)
    parent = el.getparent()
    if parent is not None and parent.find(".//img") is not None:  # the caption of a picture beside it
        return None
    if parent is not None and el.tag in _INLINE_NAME_TAGS:  # a block is its own line
        line = clean(element_text(parent)) or ""
        if len(line) > MAX_BYLINE_CHARS or not line.startswith(text):
            return None
    for level, node in enumerate(el.iterancestors()):
        # a name in bold in running text is the story's ("Der FC Liverpool hat …")
        if node.tag in _NOT_A_BYLINE or (node.tag == "p" and len(string_value(node)) > MAX_BYLINE_CHARS):
            return None
        if level < 3:  # nor a place or a label: "New Delhi, News Nation Bureau", "Portion Fix Containers: 1 Green"
            line = clean(element_text(node)) or ""
            at = line.find(text)
            if at >= 0 and line[at + len(text):].lstrip()[:1] in (",", ":"):
                return None
    return found[0].name


# words of a bold lead line that is a kicker or a label, not a byline ("Key Points", "Das Wichtigste")
_NOT_IN_NAMES = frozenset(
    "breaking news update updated live analysis exclusive opinion key points editor's note watch read more "
    "wichtigste überblick kommentar eilmeldung related ähnliche weitere nachrichten artikel themen "
    "thema stories articles latest top".split()
)
# German articles open kickers ("Das Wichtigste", "Im Überblick"); inside a name they are
# particles ("Fouzia Van Der Fort")
_NOT_FIRST_IN_NAMES = frozenset({"das", "die", "der", "im"})


def from_bold_line(text: str) -> list[Author]:
    """Names in a bold line at the top of the body ("Mathatisi Sebusi/Mohalenyane Phakela"):
    every part must look like a person's name of two to four words, or it is no byline."""
    parts = [p for part in split_names(text) for p in part.split("/") if p.strip()]
    authors = []
    for part in parts:
        name = clean_name(part)
        words = name.split() if name else []
        if (
            not name or not 2 <= len(words) <= 4 or not looks_like_person(name) or words[0].lower() in _NOT_FIRST_IN_NAMES
            or any(w.lower() in _NOT_IN_NAMES for w in words)
        ):
            return []
        authors.append(Author(name=name, name_raw=text))
    return dedupe(authors) if 1 <= len(authors) <= 3 else []
