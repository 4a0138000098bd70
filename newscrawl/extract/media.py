"""Images with their caption and credit line, from figures and structured data."""

from __future__ import annotations

import json
import re
from typing import Any

from lxml import html

from newscrawl.extract.document import Document
from newscrawl.extract.structured import as_list, text_value
from newscrawl.extract.text import clean, element_text
from newscrawl.items import Image

_CREDIT_START = re.compile(
    r"^(?:(?:photo|photograph|picture|image|foto|fotos|credit|credits|source|illustration|graphic|video)s?"
    r"(?:\s+credit)?\s*(?::|by\b)|©|\(c\)|copyright\b)",
    re.I,
)
_CREDIT_TAIL = re.compile(
    r"(?:^|\s)((?:photo|photograph|picture|image|foto|credit|illustration)s?(?:\s+credit)?\s*:\s*\S.*|©\s*\S.*)$",
    re.I,
)
# what stands before a credit said at a caption's end: "©", "Foto:", a bar or a slash
_CREDIT_LEAD = re.compile(r"(?:[|/–-]|©|\(c\)|\b(?:photo|foto|bild|image|picture|credit)s?\s*:)\s*$", re.I)
CREDIT_PARENS = re.compile(
    r"\s*\(((?:photo|photograph|picture|image|foto|credit|illustration)s?(?:\s+credit)?\s*:?[^()]*|©[^()]*|"
    # "(AP Photo/Carolyn Kaster)", "(Lintao Zhang/Getty Images)"
    r"(?:ap|afp|epa|dpa|pa|reuters|xinhua|kyodo) photo\b[^()]*|[^()/]{1,60}/(?:getty images|afp|reuters|ap|epa|dpa|imago|shutterstock)\b[^()]*)\)\s*$",
    re.I,
)
_CREDIT_CLASS = re.compile(r"credit|copyright|source|attribution|byline|author")
_GALLERY_COUNTER = re.compile(r"^\d+\s*(?:of|/|von|de|sur)\s*\d+\s*(?:\||:|-|–)?\s*", re.I)
# where lazy loaders keep the real picture while src holds a placeholder
_LAZY_SRC_ATTRS = ("data-src", "data-lazy-src", "data-original", "data-lazy", "data-url", "data-hi-res-src")
_LAZY_SRCSET_ATTRS = ("data-srcset", "data-lazy-srcset")
_PLACEHOLDER = re.compile(r"(?:placeholder|blank|spacer|transparent|pixel|1x1|lazy|loading|grey|gray)[^/]*$", re.I)
# a site's icons and logos, by their file names ("icon_arrow_right_blue.svg", "techradar_logo_v2.svg")
_DECORATION = re.compile(r"(?:icon|logo|sprite)[^/]*\.(?:svg|png|gif)$", re.I)
# an author's portrait beside the byline, by the picture's names ("StyledHeadshot", "avatar")
_PORTRAIT_NAME = re.compile(r"headshot|avatar|author")
# a picture of the site's, not of an article, by its address: a theme's or the site's assets,
# a vector graphic, a placeholder ("logos/placeholder.png", "leer.gif", "mbl_is.svg"). Stricter
# than _PLACEHOLDER, which only decides which attribute holds a picture ("grey", "lazy" in a
# real photo's name would drop it here).
_SITE_ASSET = re.compile(
    r"/(?:themes?|assets?|static-assets|static)/|\.svg$|(?:placeholder|blank|spacer|empty|leer|transparent|pixel)[^/]*$", re.I
)
# between srcset candidates: a comma and a space, or a comma right after a descriptor
# (a comma inside a URL, as in Cloudinary's "w_320,h_200", is neither)
_SRCSET_SPLIT = re.compile(r",\s+|(?<=\d[wx]),")


def split_caption(text: str | None) -> tuple[str | None, str | None]:
    """("Leaders meet. | Photo: Reuters") -> ("Leaders meet.", "Photo: Reuters")."""
    text = clean(text)
    if text:
        text = clean(_GALLERY_COUNTER.sub("", text))
    if not text:
        return None, None
    if " | " in text:
        left, right = (part.strip() for part in text.rsplit(" | ", 1))
        if _CREDIT_START.match(right) or (len(right) <= 60 and len(left) > len(right)):
            return clean(left), clean(right)
    match = CREDIT_PARENS.search(text)
    if match:
        return clean(text[: match.start()]), clean(match.group(1))
    match = _CREDIT_TAIL.search(text)
    if match and match.start(1) > 0:
        return clean(text[: match.start(1)]), clean(match.group(1))
    if _CREDIT_START.match(text):
        return None, text
    return text, None


_LABEL_ONLY = re.compile(r"^(?:image|photo|picture|foto|bild|imagen|immagine|photograph|video)s?\s*\d*\.?$", re.I)


def img_src(doc: Document, img: html.HtmlElement) -> str | None:
    """The picture an <img> shows once loaded: a lazy loader's attribute over the
    placeholder in src, else src, else the largest candidate of srcset."""
    for attr in _LAZY_SRC_ATTRS:
        value = img.get(attr)
        if value:
            url = _filled(doc.absolute(_json_rendition(value) if value.lstrip()[:1] in ("{", "[") else value))
            if url:
                return url
    for attr in _LAZY_SRCSET_ATTRS:
        value = img.get(attr)
        if value:
            url = _filled(doc.absolute(largest_candidate(value)))
            if url:
                return url
    src = _filled(doc.absolute(img.get("src")))  # a data: URI gives None
    if src and not _PLACEHOLDER.search(src.split("?", 1)[0]):
        return src
    return _filled(doc.absolute(largest_candidate(img.get("srcset")))) or src


def _filled(url: str | None) -> str | None:
    """An address, unless a template left a placeholder in it (DW: ".../59234409_${formatId}.jpg",
    filled in by a script): no picture is there."""
    return None if url is None or "${" in url or "{{" in url else url


def _json_rendition(value: str) -> str | None:
    """A lazy loader's attribute that is JSON: MSN keeps an object of renditions there
    (data-src='{"default": {"src": "//img…/BBWXoiq.img?h=450&w=799"}, "size3column": …}'),
    which urljoin would make a path of the page: its "default" (or first) rendition's
    address, or none."""
    try:
        data = json.loads(value)
    except ValueError:
        return None
    if isinstance(data, dict):
        data = data.get("default", next(iter(data.values()), None))
    elif isinstance(data, list):
        data = data[0] if data else None
    if isinstance(data, dict):
        data = data.get("src") or data.get("url")
    return data if isinstance(data, str) and not data.lstrip().startswith(("{", "[")) else None


def largest_candidate(srcset: str | None) -> str | None:
    """The URL of a srcset's widest (or highest-density) candidate: "a-320.jpg 320w,
    a-1024.jpg 1024w" gives "a-1024.jpg"."""
    best, best_size = None, -1.0
    for candidate in _SRCSET_SPLIT.split(srcset or ""):
        parts = candidate.split()
        if not parts:
            continue
        size = 1.0
        if len(parts) > 1 and parts[1][-1:] in ("w", "x"):
            try:
                size = float(parts[1][:-1])
            except ValueError:
                pass
        if size > best_size:
            best, best_size = parts[0], size
    return best


def image_from_figure(doc: Document, figure: html.HtmlElement) -> Image | None:
    """An image element or a <figure>/<picture> block with its caption and credit."""
    img, url = _shown_picture(doc, figure)
    if img is None or not url:
        return None
    if _byline_figure(figure):
        return None
    caption_el = figure_caption(doc, figure) if figure.tag != "img" else None
    caption = credit = None
    if caption_el is not None:
        credit_el = next(
            (
                el
                for el in caption_el.iterdescendants()
                if isinstance(el.tag, str) and (_CREDIT_CLASS.search(doc.words(el)) or el.tag in ("small", "cite"))
            ),
            None,
        )
        if credit_el is not None:
            credit = clean(element_text(credit_el))
            full = element_text(caption_el)
            # the credit element's text where it stands, at the end (a caption may name the
            # photographer too: "Emma Roma Jayne after her surgery" credited "Emma Roma Jayne")
            head, found, tail = full.rpartition(credit or "\0")
            caption = clean(head + tail) if credit and found else clean(full)
            if credit and credit[0] == "(" and credit[-1] == ")" and "(" not in credit[1:-1]:
                credit = clean(credit[1:-1])  # "(Image: Getty)": the parentheses are layout
            if caption and caption.endswith("|"):
                caption = clean(caption[:-1])
        else:
            caption, credit = split_caption(element_text(caption_el))
    elif figure.tag in ("div", "span"):  # a figure of <div>s or <span>s (body._image_widget): its paragraphs, a credit line last
        caption, credit = split_caption(" | ".join(t for t in map(element_text, figure.iter("p")) if t) or _credit_first(figure))
    if credit is None:
        credit = _credit_nearby(doc, figure)
    caption, credit = _credit_out_of_caption(caption, credit)
    if caption and _LABEL_ONLY.match(caption):  # what is left of "Image Credits: …": a label, no caption
        caption = None
    return Image(url=url, caption=caption, credit=credit, alt=clean(img.get("alt")))


def _byline_figure(el: html.HtmlElement) -> bool:
    """A picture in a <figure> captioned with a byline (an <address>, a rel="author" link):
    the author's portrait, not a picture of the article."""
    figure = el if el.tag == "figure" else next(el.iterancestors("figure"), None)
    caption = next(figure.iter("figcaption"), None) if figure is not None else None
    return caption is not None and (next(caption.iter("address"), None) is not None or any(
        "author" in (a.get("rel") or "").split() for a in caption.iter("a")
    ))


def _credit_out_of_caption(caption: str | None, credit: str | None) -> tuple[str | None, str | None]:
    """A caption that still ends with its credit loses it: the credit said again after the
    caption ("… Wohnhäuser. © Anett Seidler" credited "Anett Seidler"; "… Ampel-Aus. Bild:
    Screenshot: fdp.de"), in parentheses ("… California. (AP Photo/Damian Dovarganes)",
    credited "AP Photo": the fuller line is the credit), after a "©" ("© Arne Dedert/dpa").
    A caption that is only the credit is none."""
    if not caption or not credit:
        return caption, credit
    if caption.endswith(credit):
        head = caption[: -len(credit)].rstrip()
        head = clean(_CREDIT_LEAD.sub("", head))
        return head or None, credit
    parens = CREDIT_PARENS.search(caption)
    if parens and credit.casefold() in parens.group(1).casefold():
        return clean(caption[: parens.start()]) or None, clean(parens.group(1))
    mark = caption.rfind("©")
    if mark >= 0 and credit.casefold() in caption[mark:].casefold():
        return clean(caption[:mark]) or None, clean(caption[mark:])
    tail = _CREDIT_TAIL.search(caption)  # "… Brand im Einsatz. © DPA Images" credited "Christoph Soeder"
    if tail and tail.start(1) > 0:
        return clean(caption[: tail.start(1)]), f"{clean(tail.group(1))} | {credit}"
    return caption, credit


def _shown_picture(doc: Document, figure: html.HtmlElement) -> tuple[html.HtmlElement | None, str | None]:
    """The <img> a figure shows and its URL: the first that is no placeholder (a figure may
    hold a grey placeholder for browsers without scripts before the real picture), else the
    first; never an icon or a logo (an app promotion's arrow, a print header's logo)."""
    if figure.tag == "img":
        url = img_src(doc, figure)
        return (None, None) if _decoration(doc, figure, url) else (figure, url)
    first: tuple[html.HtmlElement | None, str | None] = (None, None)
    for img in figure.iter("img"):
        url = img_src(doc, img)
        if _decoration(doc, img, url):
            continue
        if url and not _PLACEHOLDER.search(_path(url)):
            return img, url
        if first[0] is None:
            first = (img, url)
    return first


def _decoration(doc: Document, img: html.HtmlElement, url: str | None) -> bool:
    """An icon or a logo by its file name, an author's portrait by its names."""
    return bool(url and _DECORATION.search(_path(url))) or _PORTRAIT_NAME.search(doc.words(img)) is not None


_VECTOR = re.compile(r"\.svg(?:$|[?#])", re.I)


def is_vector(url: str) -> bool:
    """A vector graphic: a control's, a badge's or the site's drawing, never an article's photo."""
    return _VECTOR.search(url) is not None


def is_site_picture(url: str) -> bool:
    """A picture of the site's, not of an article, by its address (``_SITE_ASSET``)."""
    return _SITE_ASSET.search(_path(url)) is not None


# the site's own icon given as a page's image (og:image, JSON-LD): WordPress.com's blavatar,
# a favicon or touch icon, a graphic file named as an icon or logo ("techradar_logo_v2.svg",
# "/logo.png"; the word on its own: "silicon-valley.png" is a picture)
_SITE_ICON = re.compile(
    r"/blavatar/|favicon|apple-touch-icon|(?:^|[/_.-])(?:site-?)?(?:icon|logo)(?:[_.-][^/]*)?\.(?:svg|png|gif|ico)$", re.I
)


def is_site_icon(url: str) -> bool:
    """Whether a page's declared image is the site's icon or logo, no picture of the article
    (a WordPress.com blog's og:image is its blavatar when the post has no picture)."""
    return _SITE_ICON.search(_path(url)) is not None


def _path(url: str) -> str:
    return url.split("?", 1)[0]


def _credit_first(figure: html.HtmlElement) -> str:
    """A figure's text, an element of its own that opens with a credit ("<span>© Jane Doe</span>
    The quay on Monday.") moved to its end after a bar, where ``split_caption`` finds it."""
    text = element_text(figure)
    for el in figure.iterdescendants():
        if isinstance(el.tag, str):
            own = clean(element_text(el))
            if own and len(own) <= 60 and _CREDIT_START.match(own) and own != clean(text):
                return f"{clean(text.replace(element_text(el), ' ', 1))} | {own}"
    return text


def figure_caption(doc: Document, figure: html.HtmlElement) -> html.HtmlElement | None:
    """A figure's caption element: its <figcaption>, else an element named as a caption,
    else a <figcaption> right after the figure (a CMS that closes the figure before its
    caption: the caption still belongs to the image above it, not to the body text)."""
    caption_el = next(figure.iter("figcaption"), None)
    if caption_el is None:
        caption_el = next((el for el in figure.iter() if isinstance(el.tag, str) and "caption" in doc.words(el)), None)
    if caption_el is None and figure.tag == "figure":
        after = figure.getnext()
        while after is not None and not isinstance(after.tag, str):
            after = after.getnext()
        if after is not None and after.tag == "figcaption":
            caption_el = after
    return caption_el


def _credit_nearby(doc: Document, figure: html.HtmlElement) -> str | None:
    for el in figure.iterdescendants():
        if isinstance(el.tag, str) and el.tag != "figcaption" and _CREDIT_CLASS.search(doc.words(el)):
            return clean(element_text(el))
    return None


def images_from_jsonld(doc: Document, value: Any) -> list[Image]:
    """schema.org image: a URL, an ImageObject, or a list of either."""
    images = []
    for item in as_list(value):
        if isinstance(item, str):
            url, caption, credit = doc.absolute(item), None, None
        elif isinstance(item, dict):
            url = doc.absolute(text_value(item.get("url") or item.get("contentUrl") or item.get("@id")))
            caption = text_value(item.get("caption") or item.get("description"))
            credit = text_value(item.get("creditText") or item.get("copyrightHolder") or item.get("author"))
        else:
            continue
        if url:
            images.append(Image(url=url, caption=caption, credit=credit))
    return images


def same_image(a: str, b: str) -> bool:
    """Two URLs of one picture (renditions differ in size query, path prefix or a WordPress
    size suffix, "photo-800x533.jpg", not otherwise in file name)."""
    name = _picture_name(a)
    return bool(name) and name == _picture_name(b)


def _picture_name(url: str) -> str:
    return _RENDITION_SIZE.sub("", _path(url).rstrip("/").rsplit("/", 1)[-1])


# WordPress's rendition suffix before the extension: "-800x533", "-scaled"
_RENDITION_SIZE = re.compile(r"-(?:\d{2,5}x\d{2,5}|scaled)(?=\.\w+$)")
