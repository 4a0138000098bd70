"""Main text: find the article body in the parsed tree and turn it into clean blocks.

Steps, in order: an explicit body container (itemprop=articleBody, well-known class names);
else the element that collects the most paragraph text (readability-style scoring with link
density). Then a walk of that container emits paragraphs, subheadings, lists, quotes and
code; figures become images, link-only blocks become related links, boilerplate is skipped.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass, field
from html import escape
from typing import NamedTuple

from lxml import etree, html

from newscrawl.extract.authors import SEGMENT_SEPARATORS
from newscrawl.extract.dates import parse_date, parse_date_before_note
from newscrawl.extract.document import Document, precedes
from newscrawl.extract.media import CREDIT_PARENS, image_from_figure, is_site_picture, is_vector, split_caption
from newscrawl.extract.page_parts import RELATED_NAME, TEASER_BLOCK_NAME
from newscrawl.extract.text import SKIP_TAGS, clean, element_text
from newscrawl.items import Image, Link

BODY_CLASSES = frozenset(
    {"article-body", "articlebody", "article__body", "story-body", "entry-content", "post-content",
     "article-content", "article-text", "articletext", "story-text", "article__content", "body-text",
     "c-article-body", "article-body-text", "story-content", "post-body", "text-block", "rich-text"}
)
# Class/id words of page furniture. Words that also name real content containers in common
# themes are left out: "widget" (page builders), "tag-…"/"meta"/"date" (WordPress post
# classes), "hidden" (utility classes such as overflow-hidden).
_BOILERPLATE = re.compile(
    r"(?:^|[\s_-])(?:share|sharing|social|related|recommended|recirculation|newsletter|promo|advert|"
    r"ads?|adv|sponsor|sponsored|subscribe|signup|comments?|tags|tag-list|keywords|topics|byline|"
    r"author|authors|caption|breadcrumbs?|footer|nav|navigation|menu|sidebar|popup|modal|"
    r"cookie|consent|gdpr|banner|toolbar|print|more-stories|read-more|also-read|outbrain|taboola|"
    r"carousel|gallery|slideshow|slider|lightbox|trending|most-read|mostread|popular|latest-news|rail|"
    r"visually-hidden|sr-only|skip|pagination|dateline|timestamp|"
    # "this article contains affiliate links" notices
    r"disclaimer|affiliate[_-](?:info|disclosure|notice|hint|hinweis)|"
    + TEASER_BLOCK_NAME + r")(?:[\s_-]|$)"
)
_RELATED_PREFIX = re.compile(r"^(?:read (?:more|also)|see also|related|also read|more on this)\s*:?\s*", re.I)
_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
# Containers an HTML4 parser (libxml2) leaves inside an unclosed <p>: it does not know that
# HTML5's sectioning elements end a paragraph, so "<p>Text <section>Trending…</section>"
# nests the section (and its links) in the paragraph.
_NESTED_IN_P = frozenset({"section", "article", "aside", "nav", "header", "footer", "main", "div", "ul", "ol", "table", "form", "menu", "dialog", "details"})
_INLINE_KEEP = frozenset({"a", "em", "strong", "b", "i", "sub", "sup", "code"})
_BLOCKS = frozenset(
    {"p", "div", "section", "article", "main", "ul", "ol", "dl", "table", "blockquote", "pre", "figure",
     "h1", "h2", "h3", "h4", "h5", "h6", "hr", "header", "footer", "nav", "aside", "form", "picture",
     "details", "address", "center", "menu", "dialog", "video", "audio", "iframe", "figcaption"}
)
MIN_PARAGRAPH_CHARS = 25
# a block said again is a copy (a responsive layout's second version of a paragraph) from this
# length on; shorter lines come back in a text's own structure ("Pre-Workout Meal", "Eat every 2–3 hours")
MIN_REPEATED_CHARS = 40
# Copies that come back scattered, each far from where it was first said and not as part of a
# passage said again in order: a layout repeats one or two things (a call to action before and
# after the text, a share bar); from this many on, the text itself repeats its lines (a meal
# plan's days, a recipe series), and they stay.
STRUCTURAL_REPEATS = 3
# copies in the order of their first saying, this many in a row, are a passage said again
MIN_COPIED_RUN = 3
# a heading over links to other articles, and the longest blurb of a teaser under it
_RECIRCULATION_HEADING = re.compile(
    r"^(?:more (?:from|on|in|stories|news|to read)\b|related\b|read (?:more|also|next)\b|recommended\b|"
    r"you (?:may|might) (?:also )?like|most (?:read|popular|viewed)\b|popular\s*$|trending\b|latest (?:news|stories)\b|"
    r"mehr (?:zum thema|aus|von|dazu)\b|lesen sie auch|auch interessant|das könnte sie auch interessieren|weitere artikel|"
    r"à lire aussi|lire aussi|sur le même sujet|leer más|lea también|leia (?:mais|também)|leggi anche|lees ook|"
    r"czytaj (?:też|także|więcej))",
    re.I,
)
MAX_TEASER_CHARS = 200
MAX_KICKER_CHARS = 60
MAX_CAPTION_CHARS = 300  # the kicker before a headline repeated in the body ("Premiere in X -")
MAX_BLOCK_LINK_DENSITY = 0.5
_SHARE_WORDS = frozenset(
    {"share", "email", "facebook", "twitter", "x", "linkedin", "pinterest", "flipboard", "reddit",
     "whatsapp", "print", "copy", "link", "copied", "tweet", "telegram", "teilen", "drucken", "mail"}
)
_WORD = re.compile(r"\w+")
# the buttons of a share bar laid out as a list ("Kommentare", "E-Mail", "Teilen", "Mehr", "Drucken")
_BAR_WORDS = _SHARE_WORDS | {"comment", "comments", "kommentare", "kommentar", "more", "mehr", "feedback", "e", "save", "speichern", "merken"}
_LABEL_LINE = re.compile(
    r"^(?:tags|tagged|tagged with|filed under|topics|schlagworte|themen|keywords|share this|share|teilen|"
    r"advertisement|anzeige|werbung|publicidad|publicité|pubblicità|reclame|reklama|"
    r"read more|read also|lesen sie auch|mehr zum thema|à lire aussi|lire aussi|lire la suite|leer más|lea también|"
    r"leia mais|leia também|leggi anche|lees ook|czytaj więcej|czytaj też|czytaj także|läs också|les også|læs også)\b\s*:?",
    re.I,
)


# a picture credit standing alone: "(Image: Anadolu via Getty Images)", "Foto: dpa", "Photo by
# Kirk Irwin/Getty Images", "Al Goldis, Associated Press" (a name and the agency, nothing else)
_CREDIT_LINE = re.compile(
    r"^\(?(?:images?|photos?|pictures?|picture credit|credit|fotos?|bild|quelle)\s*:\s*[^()]{1,80}\)?$|"
    r"^\(?(?:photo|image|picture|foto|bild) (?:by|von|de|por)\s[^()]{1,80}\)?$|"
    r"^[\w.'’-]+(?: [\w.'’-]+){0,3},? (?:associated press|getty images|reuters|afp|ap photo|epa|dpa|shutterstock|imago)$|"
    # "NOEL CELIS/AFP via Getty Images", "Long Wei/Costfoto/Barcroft Media via Getty Images"
    r"^[\w.'’-]+(?: [\w.'’-]+){0,3}(?:\s?/\s?[\w.'’-]+(?: [\w.'’-]+){0,3})*\s?/\s?(?:[\w.'’-]+ ){0,3}?"
    r"(?:associated press|getty images|reuters|afp|ap|epa|dpa|shutterstock|imago|picture alliance|istock|alamy|keystone|anp|ansa)$|"
    # "Francesco Carta Fotografo | Moment | Getty Images"
    r"^[^|]{1,60}(?: \| [^|]{1,40}){0,2} \| (?:getty images|afp|reuters|ap|epa|dpa|shutterstock|imago|istock|alamy)$",
    re.I,
)
# a live blog entry's stamp: time, then the writer's name ("21:00Antony Clements-Thrower")
_ENTRY_STAMP = re.compile(r"^\d{1,2}[:.]\d{2}\s*(?:[AaPp]\.?[Mm]\.?)?\s*(?:[A-ZÀ-Þ][\w'’.-]+\s*){1,4}$")
# a byline and the date after it ("Von Anna Beispiel Veröffentlicht am 05.04.2024, 14:07 Uhr",
# "By Jane Doe | March 3, 2024"): up to four capitalised words after "By", then a dateline
# ("By March 3, 2024, the loan is due" is a sentence: "March" takes the date's month away)
_BYLINE_THEN = re.compile(r"^(?i:by|von|par|por|di|door|av|af)\s+(?:[A-ZÀ-Þ][\w'’.-]*\s+){0,3}[A-ZÀ-Þ][\w'’.-]+[\s,|·–-]*(.*)$")
# a copyright notice ("© The Financial Times Ltd. 2024", "Copyright © 2023 The Washington Times")
_COPYRIGHT_LINE = re.compile(r"^(?:©|\(c\)\s|copyright\s*(?:©|\(c\)))", re.I)


# the line a paywall leaves where the text stops ("Il vous reste 57% de cet article à lire.
# La suite est réservée aux abonnés.", "The rest of this article is for subscribers only")
_PAYWALL_LINE = re.compile(
    r"\d+(?:[.,]\d+)?\s?% (?:de cet article|of this article|des artikels)\b(?!['’])|"
    r"r[ée]serv[ée]e? aux abonn[ée]s|(?:for|to) subscribers only|(?:nur|exklusiv) f[üu]r abonnenten",
    re.I,
)


# a call for readers' tips with the address to send them to ("Are protests breaking out in
# your area? Get in touch at webnews@example.com")
_TIP_LINE = re.compile(r"(?:get in touch|e-?mail us|contact us|send us|write to us|tell us|do you have a story|got a story|story to share)[^@]{0,120}\b[\w.+-]+@[\w-]+\.[\w.-]+", re.I)


# how long the article takes to read, as article headers print it: "Lesedauer: 4 Minuten",
# "7 min read", "Temps de lecture : 3 min"
_READING_TIME = re.compile(
    r"(?:\b|(?<=uhr)|(?<=Uhr))(?:lesedauer|lesezeit|reading time|read time|temps de lecture|tiempo de lectura|tempo di lettura|leestijd)\s*:?\s*"
    r"(?:ca\.\s*)?\d+\s*(?:min|minuten|minutes?|minutos|minuti)\b|"
    r"\b\d+\s*(?:min|minutes?|minuten)\.?\s+(?:read|lesen|lesezeit|de lecture|de lectura|di lettura|leestijd)\b|"
    # a teaser's meta line: writer, date, reading time ("Jonas Roth 13.12.2023 4 min")
    r"\b\d{1,2}\.\d{1,2}\.\d{2,4}\b.{0,30}\b\d{1,2}\s*min\.?$",
    re.I,
)


# an appeal to support the site ("Hat Ihnen dieser Artikel gefallen? Dann unterstützen Sie uns
# bitte mit einer Spende", "Support us: become a member")
_SUPPORT_APPEAL = re.compile(
    r"\b(?:support|unterstützen sie|unterstütze|soutenez|apoya|apoie|sostieni|steun)[\s-]+(?:us|uns|nous|nos|ci|ons)\b"
    r".{0,160}?\b(?:donat\w*|spende\w*|don|dons|donación|doação|donazione|donatie|member\w*|mitglied\w*|abonn\w*|subscri\w*|patron\w*)\b",
    re.I,
)
# a prompt to sign up for the newsletter or to follow the site or writer on social media
# ("Get the latest updates right in your inbox. Subscribe to …", "Follow us on Twitter @…")
_PROMPT_LINE = re.compile(
    r"\b(?:in|to) your inbox\b|\b(?:news|stories|newsletters?|headlines)\b[^.]{0,40}\byour inbox\b|"
    r"\byour inbox\b[^.]{0,40}\b(?:news|stories|newsletters?|headlines|subscribe)\b|"
    r"\bsign up (?:for|to) (?:our|the)\b[^.]{0,60}\bnewsletters?\b|\bsign up (?:for|to) our\b[^.]{0,60}\b(?:emails|alerts)\b|"
    r"(?:^follow\b[^.]{0,80}?|\bfollow (?:us|him|her|them|me)) on (?:facebook|twitter|x|instagram|linkedin|tiktok|threads|bluesky)\b|"
    # a sign-up box's fine print and label: "Sie können sich jederzeit wieder abmelden", "Newsletter: Sport inside"
    r"\bjederzeit (?:wieder )?abmelden\b|\bunsubscribe at any time\b|\bdésinscrire à tout moment\b|^newsletter\s*:",
    re.I,
)
# who reported, wrote and edited, as wire services and papers credit it under the text
# ("(Reporting by Jane Doe; Editing by John Roe)", "Keith Bradsher contributed reporting.")
_CREDITS_LINE = re.compile(
    r"^\(?(?:additional |further )?(?:reporting|writing|editing|research) by\b|\bcontributed (?:reporting|to this (?:report|story|article))\b|"
    r"^\(?(?:mit material von|mitarbeit:|avec l'afp|con información de|mit agenturmaterial)\b",
    re.I,
)
# a control's label standing alone as a block ("Caption", "Close", "Back to top")
_CONTROL_LINE = re.compile(
    r"^(?:caption|close|comments?|menu|skip|next|previous|loading|play|pause|expand|collapse|enlarge|zoom|"
    r"back to top|scroll to top|(?:show|hide|toggle) caption|schließen|schliessen|fermer|cerrar|chiudi|sluiten|"
    r"nach oben|weiterlesen|mehr anzeigen|show more|read more)\W*$",
    re.I,
)
# what a page shows where a script did not run: an ad or player's placeholder ("This
# advertisement has not loaded yet, but your article continues below", "Story continues below
# advertisement"), a no-JavaScript notice, a video player's control text (video.js: "Current
# Time 0:00 / Duration 0:00"), a WordPress shortcode left unrendered ("[button …]…[/button]")
_PLACEHOLDER_LINE = re.compile(
    r"\b(?:story|article|text|reading) continues (?:below|after)\b|\bcontinue reading below\b|"
    r"\b(?:video|advertisement|ad|player|slideshow|gallery|media|content)\b[^.]{0,20}\b(?:has not loaded|hasn't loaded|failed to load)\b|"
    r"\brequires? javascript\b|\b(?:enable|activate) javascript\b|"
    r"\bjavascript (?:is )?(?:disabled|required)\b|\byour browser does not support\b|"
    r"\b(?:current time|aktuelle zeit)\s*:?\s*\d+:\d\d|"
    r"^\[\w+[^\]]*\].*\[/\w+\]$",
    re.I,
)
# what the appeal is for: the site's journalism, not a charity an article quotes
_OUR_WORK = re.compile(
    r"\b(?:journalism|journalismus|journalisme|periodismo|jornalismo|giornalismo|journalistiek|articles?|artikel|"
    r"reporting|rédaction|redaktion|redacción|redação|redazione|redactie|our work|unsere arbeit|notre travail)\b",
    re.I,
)
# a classic WordPress theme's post footer ("… You can follow any responses to this entry
# through the RSS 2.0 feed")
_POST_FOOTER = re.compile(r"\brss 2\.0\b.{0,80}\b(?:feed|eintrag|entry|article|artikel|kommentare|comments)\b|"
                          r"\b(?:entry|eintrag|article|artikel)\b.{0,80}\brss 2\.0\b", re.I)


# a consent placeholder where a page would show external content (an embedded post, a chart)
# the reader's privacy settings block: "Externer Inhalt nicht verfügbar", "Deine
# Privatsphäre-Einstellungen verhindern das Laden und Anzeigen aller externen Inhalte …"
_CONSENT_LINE = re.compile(
    r"\bexterne[rn]? inhalte?\b[^.]{0,80}?\b(?:nicht verfügbar|laden|anzeigen|zustimm|aktivier|einverstanden|freigeben|einwillig)|"
    r"\b(?:deine|ihre|your)\s+(?:privatsphäre|datenschutz|privacy|cookie|consent)[- ]?(?:einstellungen|settings|preferences)\b[^.]{0,60}?"
    r"\b(?:verhinder|prevent|block)\w*\s+(?:das\s+|the\s+)?(?:laden|loading|anzeigen|display)|"
    r"\bexternal content\b[^.]{0,80}?\b(?:load|display|show|consent|accept)",
    re.I,
)


# the comment section's house rules ("Comments are moderated and will appear after approval",
# "Note: we are temporarily moderating all comments …", "Comentários … não serão aprovados")
_COMMENT_RULES = re.compile(
    r"\b(?:we|we're|we are|our)\b.{0,40}\bmoderat\w*.{0,40}\bcomments?\b|"
    r"\bcomments?\b.{0,60}\b(?:are|will be|is) (?:moderated|reviewed|approved)\b|"
    r"\bcoment[áa]rios?\b.{0,120}\b(?:não serão|serão) (?:aprovados|publicados)\b|"
    r"\bcommentaires?\b.{0,120}\bne seront pas (?:publiés|validés)\b|"
    r"\bkommentare?\b.{0,120}\b(?:werden|wird) (?:nicht )?(?:freigeschaltet|moderiert)\b",
    re.I,
)
# a magazine's subscription offer ("12 issues for £11.99", "delivered through your letterbox")
_SUBSCRIPTION_OFFER = re.compile(r"\b\d+ issues? for [£$€]\s?\d|\bdelivered (?:to|through) your (?:door|letterbox|mailbox)\b", re.I)
# "Like this story? Share it with a friend!"
_SHARE_PROMPT = re.compile(
    r"^(?:like|liked|enjoy|enjoyed|love|loved) (?:this|the|our) (?:story|article|post|piece)\?.{0,60}\bshare\b"
    r"|^分享(?:到|至|让更多人看到)?\W*$",  # "分享让更多人看到" (share it so more people see it)
    re.I,
)


class _LineRule(NamedTuple):
    """A kind of furniture line: at most ``max_chars`` long, holding one of ``words`` (folded),
    found by ``pattern`` (and by ``also``, when given). The words are a cheap test first: a
    regex tried at every position of every block cost as much as the rest of
    ``is_furniture_text``."""

    max_chars: int
    words: tuple[str, ...]
    pattern: re.Pattern[str]
    also: re.Pattern[str] | None = None


_LINE_RULES = (
    _LineRule(100, ("min",), _READING_TIME),
    _LineRule(200, ("%", "abonn", "subscribers"), _PAYWALL_LINE),
    _LineRule(200, ("@",), _TIP_LINE),
    _LineRule(400, ("support", "unterst", "souten", "apoy", "apoi", "sostien", "steun"), _SUPPORT_APPEAL, also=_OUR_WORK),
    _LineRule(400, ("rss 2.0",), _POST_FOOTER),
    _LineRule(400, ("inbox", "newsletter", "follow", "sign up", "abmelden", "unsubscribe", "désinscrire"), _PROMPT_LINE),
    _LineRule(300, (" by", "contributed", "mit material", "mitarbeit", "avec l'afp", "con información", "agenturmaterial"), _CREDITS_LINE),
    _LineRule(200, ("continu", "loaded", "to load", "javascript", "browser", "current time", "aktuelle zeit", "[/"), _PLACEHOLDER_LINE),
    _LineRule(400, ("extern", "settings", "einstellungen", "preferences"), _CONSENT_LINE),
    _LineRule(120, ("share", "分享"), _SHARE_PROMPT),
    _LineRule(250, ("moderat", "approv", "aprovad", "publicad", "publiés", "validés", "freigeschaltet"), _COMMENT_RULES),
    _LineRule(250, ("issue", "deliver"), _SUBSCRIPTION_OFFER),
)


def is_furniture_text(text: str) -> bool:
    """Blocks that are page furniture whatever their markup: share bars, "Tags: …" lines,
    standalone datelines ("Freitag, 28.04.2023, 19:25"), picture credits standing alone,
    live blog entry stamps, copyright notices, reading times ("Lesedauer: 4 Minuten", "7 min
    read") and the lines that carry them, appeals to support the site, a WordPress theme's
    post footer, newsletter and follow-us prompts, reporting credits ("(Reporting by …)"),
    placeholders of ads, players and scripts that did not run, consent placeholders of
    external content. A short line with a year but no day and month
    ("Hamburg-Marathon 2024 gestartet") is no dateline: ``parse_date`` wants a month."""
    folded = text.casefold()
    if len(text) <= 100 and (
        _CREDIT_LINE.match(text) or _ENTRY_STAMP.match(text) or _COPYRIGHT_LINE.match(text)
        or (len(text) <= 20 and _CONTROL_LINE.match(text))
    ):
        return True
    # a caption set as a paragraph under its picture, its credit in parentheses at its end:
    # "The core stage … after the installation of its engines. (credit: NASA/Jude Guidry)"
    if len(text) <= MAX_CAPTION_CHARS and text[-1:] == ")" and CREDIT_PARENS.search(text):
        return True
    size = len(text)
    for max_chars, words, pattern, also in _LINE_RULES:
        if size > max_chars:
            continue
        for word in words:
            if word in folded:
                if pattern.search(text) and (also is None or also.search(text)):
                    return True
                break
    if len(text) > 200 and not _LABEL_LINE.match(text):  # a long block: furniture only if wordless
        return _WORD.search(folded) is None
    words = _WORD.findall(folded)
    if not words:
        return True
    if len(text) <= 200 and sum(1 for w in words if w in _SHARE_WORDS) >= 3:
        return True
    if _LABEL_LINE.match(text) and (len(words) <= 12 or text.count(",") >= 3):
        return True
    if len(text) <= 80 and len(words) <= 10 and parse_date_before_note(text) is not None:
        return True
    if len(text) > 120:
        return False
    byline = _BYLINE_THEN.match(text)
    if byline is not None and len(byline.group(1).split()) <= 8 and parse_date(byline.group(1)) is not None:
        return True
    # the date first, then the byline: "Do 25.04.24 | 14:07 Uhr | Von Eva Kirchner-Rätsch"
    pieces = SEGMENT_SEPARATORS.split(text)
    if len(pieces) < 2:
        return False
    rest = [p for p, by in ((p, _BYLINE_THEN.match(p)) for p in pieces) if by is None or by.group(1)]
    return len(rest) < len(pieces) and parse_date(" ".join(rest)) is not None


MAX_CLIMB = 4
CLIMB_RATIO = 2.0


@dataclass
class Block:
    kind: str  # p, h2..h6, ul, ol, blockquote, pre
    text: str
    html: str


@dataclass
class BodyResult:
    container: html.HtmlElement | None
    blocks: list[Block] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    # pictures between blocks without any text beside them: the article's, never its lead
    # (that is a figure's, or the og:image: a body's first bare picture is often a later one)
    loose_images: list[Image] = field(default_factory=list)
    related_links: list[Link] = field(default_factory=list)
    link_density: float = 0.0

    @property
    def text(self) -> str | None:
        return "\n\n".join(b.text for b in self.blocks) or None

    @property
    def html(self) -> str | None:
        return "\n".join(b.html for b in self.blocks) or None

    @property
    def paragraph_count(self) -> int:
        return sum(1 for b in self.blocks if b.kind == "p")


def is_boilerplate(doc: Document, el: html.HtmlElement) -> bool:
    words = doc.words(el)
    if ":" in words:  # Tailwind's variant utilities ("print:article-dropcap-print", "md:hidden") name styles, not parts
        words = " ".join(word for word in words.split() if ":" not in word)
    if not words:
        return False
    if not _BOILERPLATE.search(words):
        # CSS-module class names run words together in camel case: "RelatedContent-container"
        names = el.get("class") or ""
        if names.islower() or not _BOILERPLATE.search(_CAMEL_HUMP.sub(" ", names).lower()):
            return False
    return not _looks_like_body(words)


_CAMEL_HUMP = re.compile(r"(?<=[a-z])(?=[A-Z])")


# where a "log in / register / subscribe to read on" prompt sends the reader
# (a path segment, or a host such as abo.example.de / login.example.com)
_ACCOUNT_HREF = re.compile(
    r"(?:/|//)(?:log-?in|sign-?in|sign-?up|regist(?:er|ration)?|subscribe|subscription|abo(?:nnement)?|"
    r"account/(?:login|register|create))(?:[-_/?#.]|$)",
    re.I,
)
MAX_PROMPT_CHARS = 400


def _holds_blocks(el: html.HtmlElement) -> bool:
    """An element HTML does not define (a custom element, "<storefront-section>") that holds
    paragraphs, headings or other blocks is a container, not inline text."""
    return "-" in el.tag and any(True for _ in el.iter(*_BLOCKS))


def is_account_prompt(el: html.HtmlElement) -> bool:
    """A short block that sends the reader to log in, register or subscribe: a paywall or
    registration prompt in the body's place ("This article is for members. Log in to read
    on"), whatever its language or class names."""
    if len(element_text(el)) > MAX_PROMPT_CHARS:
        return False  # the cheap test first: most blocks a body walk meets are long
    return any(_ACCOUNT_HREF.search(a.get("href") or "") for a in el.iter("a"))


# a wrapper of an embedded post ("social-media-embed" around a twitter-tweet blockquote): a
# quote the text makes, not a share bar ("social")
_SOCIAL_EMBED = re.compile(r"social[-_]?(?:media[-_]?)?(?:post[-_]?)?embed|embed[-_]?social")


def _looks_like_body(words: str) -> bool:
    return any(k in words for k in ("articlebody", "article-body", "article__body", "story-body", "entry-content", "post-content", "article-content", "article-text")) or (
        "embed" in words and _SOCIAL_EMBED.search(words) is not None
    )


def link_density(el: html.HtmlElement, text_len: int | None = None) -> float:
    total = text_len if text_len is not None else len(element_text(el))
    if not total:
        return 0.0
    linked = sum(len(element_text(a)) for a in el.iter("a"))
    return min(1.0, linked / total)


def find_containers(doc: Document, exclude: set[html.HtmlElement], headline: html.HtmlElement | None = None) -> list[html.HtmlElement]:
    """The element(s) holding the article body, in document order.

    Bodies are often split into sibling blocks (one <div> per few paragraphs, around ads and
    embeds): the best block comes with its siblings that carry text of their own."""
    explicit = [
        el for el, words in doc.named
        # every BODY_CLASSES name holds one of these: a substring test skips most elements
        if ("body" in words or "content" in words or "text" in words)
        and (el.get("itemprop") == "articleBody" or BODY_CLASSES.intersection((el.get("class") or "").lower().split()))
    ]
    outermost = set(explicit)
    explicit = [el for el in explicit if not any(a in outermost for a in el.iterancestors())]
    if explicit:
        chars = {el: _paragraph_chars(doc, el) for el in explicit}
        best = max(explicit, key=chars.__getitem__)
        if chars[best] >= 200:
            return [
                el for el in explicit
                if chars[el] > 0 and (el.getparent() is best.getparent() or _split_part(el, best, named=True))
            ]
    scores, mass = _scores(doc, exclude)
    if not scores:
        return []
    # score x (1 - link density / 2) is at least half the score: an element scoring less than
    # half the top score cannot win, and its link density (a walk of its subtree) is not needed
    floor = max(scores.values()) / 2
    best = max((el for el, score in scores.items() if score >= floor), key=lambda el: scores[el] * (1 - 0.5 * link_density(el)))
    container = _climb(best, mass)
    if len(scores) > 1 and _opens_with_comments(container):
        container = _instead_of_comments(doc, container, scores, mass)
    if headline is not None and len(scores) > 1:
        container = _after_headline(doc, headline, container, scores, mass)
    return _with_split_parts(doc, container, _with_siblings(doc, container, scores), scores)


RIVAL_SHARE = 0.25
MIN_RIVAL_CHARS = 500  # of text outside links: a caption or a teaser is no article text


def _unlinked_chars(el: html.HtmlElement) -> float:
    size = len(element_text(el))
    return size * (1 - link_density(el, size))


def _after_headline(
    doc: Document, headline: html.HtmlElement, best: html.HtmlElement, scores: dict[html.HtmlElement, float],
    mass: dict[html.HtmlElement, float],
) -> html.HtmlElement:
    """An article's text follows its headline. When the best text region stands before the
    headline (a cookie notice or a site's blurb at the top of a page whose class names say
    nothing), the first region after the headline that scores at least RIVAL_SHARE of the
    top score and holds MIN_RIVAL_CHARS of its own text is the body instead."""
    if not precedes(best, headline):
        return best
    regions = _rival_regions(doc, best, scores, mass)
    if not regions:
        return best
    seen_headline = False
    for el in doc.tree.iter():
        if el is headline:
            seen_headline = True
        elif seen_headline and el in regions:
            return el
    return best


def _rival_regions(
    doc: Document, best: html.HtmlElement, scores: dict[html.HtmlElement, float], mass: dict[html.HtmlElement, float],
) -> dict[html.HtmlElement, float]:
    """Text regions apart from ``best`` (neither holds the other) that could be the body: each
    climbed from an element scoring at least RIVAL_SHARE of the top score, but not as far as
    an element holding ``best`` (an article's column that also holds the comment thread
    under it), holding MIN_RIVAL_CHARS of text outside links; with the best score climbed
    into each."""
    floor = RIVAL_SHARE * max(scores.values())
    regions: dict[html.HtmlElement, float] = {}
    for el, score in scores.items():
        if score >= floor and not doc.contains(best, el) and not doc.contains(el, best):
            region = _climb(el, mass)
            if doc.contains(region, best):
                region = next(a for a in (el, *el.iterancestors()) if doc.contains(a.getparent(), best))
            if region in regions:
                regions[region] = max(regions[region], score)
            elif _unlinked_chars(region) >= MIN_RIVAL_CHARS:
                regions[region] = score
    return regions


# the heading a comment thread opens with ("Top Rated Comments", "12 Comments", "Leserkommentare")
_COMMENTS_HEADING = re.compile(
    r"^(?:\d+\s+|top[- ]rated\s+|(?:most\s+)?(?:popular|recent|latest|newest)\s+|readers?'?\s+|user\s+|all\s+)?"
    r"(?:comments?|kommentare?|leserkommentare|commentaires?|comentarios?|commenti|reacties|komentarze|kommentarer)"
    r"(?:\s*\(\d+\)|\s+\d+)?\s*:?$",
    re.I,
)


def _opening_heading(el: html.HtmlElement) -> str | None:
    """The text of ``el``'s first heading when no paragraph of text stands before it."""
    for child in el.iter("h2", "h3", "h4", "h5", "h6", "p"):
        text = element_text(child)
        if child.tag == "p":
            if len(text) >= MIN_PARAGRAPH_CHARS:
                return None
        elif text:
            return text
    return None


def _opens_with_comments(region: html.HtmlElement) -> bool:
    """Whether a region's first heading, before any paragraph of text, names a comment thread:
    a thread longer than its article outscores it when no class or id says "comments"."""
    heading = _opening_heading(region)
    return heading is not None and len(heading) <= MAX_KICKER_CHARS and bool(_COMMENTS_HEADING.match(heading.strip()))


def _other_pages(doc: Document, el: html.HtmlElement) -> set[str]:
    """The pages other than this one that ``el``'s links go to."""
    return {href for href in (doc.absolute(a.get("href")) for a in el.iter("a")) if href and href != doc.url}


def _recirculation_widget(doc: Document, el: html.HtmlElement) -> bool:
    """A box of teasers inside the body, whatever its markup is named: its first heading, before
    any paragraph of text, names one ("Most read in world news", "More from …", "Lesen Sie
    auch"), it links to at least two other pages and holds no paragraph of running text."""
    heading = _opening_heading(el)
    if heading is None or len(heading) > MAX_KICKER_CHARS or not _RECIRCULATION_HEADING.match(heading.strip()):
        return False
    if any(len(element_text(p)) >= MAX_TEASER_CHARS for p in el.iter("p")):
        return False
    targets = _other_pages(doc, el)
    return len(targets) >= 2 and len(element_text(el)) < 3 * MAX_TEASER_CHARS * max(1, len(targets))


def _teaser_follows(doc: Document, heading: html.HtmlElement) -> bool:
    """Whether the element after ``heading`` is a teaser: mostly the text of links to other
    pages, and short."""
    box = heading.getnext()
    while box is not None and not isinstance(box.tag, str):
        box = box.getnext()
    if box is None or box.tag in _HEADINGS:
        return False
    text = element_text(box)
    if not text or len(text) > 3 * MAX_TEASER_CHARS or link_density(box, len(text)) < MAX_BLOCK_LINK_DENSITY:
        return False
    return bool(_other_pages(doc, box))


def _instead_of_comments(
    doc: Document, thread: html.HtmlElement, scores: dict[html.HtmlElement, float], mass: dict[html.HtmlElement, float],
) -> html.HtmlElement:
    """The best-scoring other text region that is no comment thread itself, else ``thread``."""
    regions = {region: score for region, score in _rival_regions(doc, thread, scores, mass).items() if not _opens_with_comments(region)}
    return max(regions, key=regions.__getitem__) if regions else thread


def _split_part(el: html.HtmlElement, best: html.HtmlElement, *, named: bool = False) -> bool:
    """Another part of a body split across repeated layout blocks (each part in a wrapper of
    its own between sidebars or ads): the same class as the best part, and a common ancestor
    at most SPLIT_PART_LEVELS above both (a teaser list elsewhere on the page that happens to
    use the class is further away from the body). Parts ``named`` as article bodies may be
    NAMED_SPLIT_PART_LEVELS apart, in the same <article>, and need only share that name:
    "body articleBody" and "body articleBody -bottom-space" are parts of one text between a
    paywall's ad rows."""
    if el.get("class") != best.get("class"):
        if not named or not BODY_CLASSES.intersection((el.get("class") or "").lower().split(), (best.get("class") or "").lower().split()):
            return False
    if named and _article_of(el) is not _article_of(best):  # a teaser under the article, named like it
        return False
    best_levels = {ancestor: level for level, ancestor in enumerate(best.iterancestors(), start=1)}
    for level, ancestor in enumerate(el.iterancestors(), start=1):
        if ancestor in best_levels:
            limit = NAMED_SPLIT_PART_LEVELS if named else SPLIT_PART_LEVELS
            return max(level, best_levels[ancestor]) <= limit and ancestor.tag not in ("body", "html")
    return False


SPLIT_PART_LEVELS = 3


def _article_of(el: html.HtmlElement) -> html.HtmlElement | None:
    return next(el.iterancestors("article"), None)
# a name says more than a layout class ("content" also names each comment of a thread)
NAMED_SPLIT_PART_LEVELS = 6


def _climb(best: html.HtmlElement, mass: dict[html.HtmlElement, float]) -> html.HtmlElement:
    """From the densest block up to the ancestor that holds the article's other blocks:
    climb while the parent holds at least twice the running text of the current element."""
    current = best
    for _ in range(MAX_CLIMB):
        parent = current.getparent()
        # wrappers that add no text of their own are passed through to the next real level
        while parent is not None and mass.get(parent, 0.0) <= 1.05 * mass.get(current, 0.0) and parent.tag not in ("body", "html"):
            parent = parent.getparent()
        if parent is None or parent.tag in ("body", "html") or mass.get(parent, 0.0) < CLIMB_RATIO * mass.get(current, 0.0):
            break
        if link_density(parent) > 0.4:
            break
        current = parent
    return current


def _with_siblings(doc: Document, best: html.HtmlElement, scores: dict[html.HtmlElement, float]) -> list[html.HtmlElement]:
    parent = best.getparent()
    if parent is None:
        return [best]
    threshold = max(1.0, scores.get(best, 0.0) * 0.2)
    chosen = []
    for sibling in parent:
        if sibling is best:
            chosen.append(sibling)
            continue
        if not isinstance(sibling.tag, str) or doc.is_chrome(sibling) or is_boilerplate(doc, sibling):
            continue
        if scores.get(sibling, 0.0) >= threshold:
            if not _opens_with_comments(sibling):
                chosen.append(sibling)
        elif sibling.tag == "p":
            text = element_text(sibling)
            if len(text) >= 80 and link_density(sibling, len(text)) < 0.25:
                chosen.append(sibling)
    return chosen


def _with_split_parts(
    doc: Document, container: html.HtmlElement, chosen: list[html.HtmlElement], scores: dict[html.HtmlElement, float]
) -> list[html.HtmlElement]:
    """``chosen`` plus the other parts of a body split across repeated layout blocks (see
    ``_split_part``) that carry text, for a container found by its text: the same tag and
    (non-empty) class, not inside or around a chosen element. In document order."""
    if not container.get("class"):
        return chosen
    threshold = max(1.0, scores.get(container, 0.0) * 0.2)
    inside = set(chosen)
    parts = [
        el for el, score in scores.items()
        if score >= threshold and el.tag == container.tag and el not in inside and _split_part(el, container)
        and not any(a in inside for a in el.iterancestors())
        and not any(c in inside for c in el.iterdescendants())
        and not is_boilerplate(doc, el)
    ]
    if not parts:
        return chosen
    wanted = set(chosen) | set(parts)
    return [el for el in doc.tree.iter() if el in wanted]


def _paragraph_chars(doc: Document, el: html.HtmlElement) -> int:
    return sum(len(doc.paragraph_text(p)) for p in el.iter("p"))


_INLINE_TAGS = frozenset(
    {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd", "mark",
     "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "br", "wbr"}
)
_TEXT_UNIT_SKIP = frozenset(SKIP_TAGS | {"html", "head", "body", "title", "meta", "link", "a", "li", "td", "th", "option", "label", "h1", "h2", "h3", "h4", "h5", "h6"})


def text_units(doc: Document) -> list[tuple[html.HtmlElement, int, int]]:
    """Elements that carry running text themselves: (element, text length, linked length).

    A <p> is a unit; so is any block that holds text directly (text nodes and inline
    children between its blocks), as in <div>line<br>line</div> layouts without <p>."""
    units = []
    for el in doc.tree.iter():
        tag = el.tag
        if not isinstance(tag, str) or tag in _TEXT_UNIT_SKIP or tag in _INLINE_TAGS:
            continue
        length = len((el.text or "").strip())
        linked = 0
        for child in el:
            ctag = child.tag
            if isinstance(ctag, str) and ctag in _INLINE_TAGS and ctag not in SKIP_TAGS:
                child_len = len(element_text(child))
                length += child_len
                if ctag == "a":
                    linked += child_len
            if child.tail:
                length += len(child.tail.strip())
        if length >= MIN_PARAGRAPH_CHARS:
            units.append((el, length, linked))
    return units


def _scores(
    doc: Document, exclude: set[html.HtmlElement]
) -> tuple[dict[html.HtmlElement, float], dict[html.HtmlElement, float]]:
    """Readability-style: each text unit scores its parent fully and its grandparent by half
    (a unit that is itself a text block, not a <p>, scores itself and its parent)."""
    scores: dict[html.HtmlElement, float] = {}
    mass: dict[html.HtmlElement, float] = {}  # text-unit score of all descendants
    boiler: dict[html.HtmlElement, bool] = {}
    for unit, length, linked in text_units(doc):
        if _in_boilerplate(doc, unit, boiler, exclude):
            continue
        text_share = 1 - min(1.0, linked / length)
        score = 1 + length * text_share / 100 + (unit.text or "").count(",") * 0.2
        first = unit.getparent() if unit.tag in ("p", "pre", "blockquote") else unit
        if first is None:
            continue
        for node in (unit, *unit.iterancestors()):
            mass[node] = mass.get(node, 0.0) + score
        scores[first] = scores.get(first, 0.0) + score
        second = first.getparent()
        if second is not None:
            scores[second] = scores.get(second, 0.0) + score / 2
    return scores, mass


def _in_boilerplate(doc: Document, el: html.HtmlElement, memo: dict[html.HtmlElement, bool], exclude: set[html.HtmlElement]) -> bool:
    """Inside nav/footer/aside/… at any depth, or in a boilerplate-named element one level up
    (class names further up, like "l-sidebar-fixed" on a layout wrapper, say nothing about
    this paragraph)."""
    node = el
    for _ in range(2):
        if node is None:
            return False
        if node in exclude or doc.is_chrome(node) or is_boilerplate(doc, node):
            return True
        node = node.getparent()
    chain = []
    result = False
    while node is not None:
        if node in memo:
            result = memo[node]
            break
        chain.append(node)
        if node in exclude or doc.is_chrome(node):
            result = True
            break
        node = node.getparent()
    for n in chain:
        memo[n] = result
    return result


def extract_body(
    doc: Document, *, skip: set[html.HtmlElement] | None = None, container_xpath: str | None = None,
    headline: html.HtmlElement | None = None,
) -> BodyResult:
    """Blocks, images and related links of the article body; ``skip`` holds elements already
    used for other fields (the headline) that must not repeat in the body;
    ``container_xpath`` (a site profile's) names the body container(s) outright."""
    skip = skip or set()
    containers = (doc.tree.xpath(container_xpath) if container_xpath else None) or find_containers(doc, skip, headline)
    result = BodyResult(container=containers[0] if containers else None)
    if not containers:
        return result
    walker = _Walker(doc, result, skip)
    for container in containers:
        walker.walk(container) if container.tag != "p" else walker._block(container)
    walker.finish()
    if result.text:
        sizes = [len(element_text(c)) for c in containers]
        result.link_density = sum(link_density(c, size) * size for c, size in zip(containers, sizes)) / max(1, sum(sizes))
    else:
        result.link_density = 0.0
    return result


def drop_repeated_headline(result: BodyResult, headline: str | None, key: Callable[[str], str]) -> None:
    """The headline said again as the body's first block (a CMS that renders the title,
    as a heading often behind its kicker, at the top of the article text) is not body text. ``key``
    makes two spellings of a headline equal (page_parts.headline_key)."""
    if not headline or not result.blocks:
        return
    wanted, block = key(headline), result.blocks[0]
    first = key(block.text)
    if len(wanted) < 10:
        return
    # a kicker is allowed before a repeated heading only: a paragraph that ends with the
    # headline is often a wire dateline that the body starts with ("Xinhua, Beijing. Title: …")
    if first == wanted or (block.kind in _HEADINGS and first.endswith(wanted) and len(first) <= len(wanted) + MAX_KICKER_CHARS):
        del result.blocks[0]


# what follows a writer's name in a bio: "John Nichols is a national affairs correspondent …"
_BIO_VERB = re.compile(r"\s+(?:is|was|ist|war|est|es|è|covers|writes|reports|schreibt|berichtet)\b")
MAX_BIO_CHARS = 600
BIO_BLOCKS = 2  # where bios stand: among the body's last blocks


def drop_author_bios(result: BodyResult, names: list[str]) -> None:
    """The article's writer introduced at the body's end ("Aaron Kliegman is a politics
    reporter for Fox News Digital."): the author's bio, not the article's text."""
    blocks = result.blocks
    for index in range(len(blocks) - 1, max(-1, len(blocks) - 1 - BIO_BLOCKS), -1):
        text = blocks[index].text
        if blocks[index].kind == "p" and len(text) <= MAX_BIO_CHARS and any(
            name and text.startswith(name) and _BIO_VERB.match(text, len(name)) for name in names
        ):
            del blocks[index]


# a paragraph that is one bold run of text: "<p><strong>Jane Doe/John Roe</strong></p>"
_BOLD_PARAGRAPH = re.compile(r"^<p\b[^>]*>\s*<(strong|b)>([^<]{3,100})</\1>\s*</p>$")
LEAD_BLOCKS = 3


def bold_lead_lines(result: BodyResult) -> list[tuple[int, str]]:
    """(index, text) of the paragraphs among the body's first blocks that are one bold
    line, before any long paragraph: where small sites put the byline."""
    found = []
    for index, block in enumerate(result.blocks[:LEAD_BLOCKS]):
        match = _BOLD_PARAGRAPH.match(block.html) if block.kind == "p" else None
        if match:
            found.append((index, block.text))
        elif len(block.text) > 200:
            break
    return found


_CAPTION_TAGS = frozenset({"em", "i", "small", "figcaption", "cite"})


def _is_caption_line(p: html.HtmlElement, text: str) -> bool:
    """A paragraph that holds an image and, after it, only a short line in italics or small
    print ("<p><img><br><em>Caption</em></p>", classic WordPress): the image's caption, not
    body text. Text of the paragraph's own, outside such an element, makes it body text."""
    if not text or len(text) > MAX_CAPTION_CHARS or (p.text or "").strip():
        return False
    seen_image = False
    for child in p:
        if not isinstance(child.tag, str):
            continue
        if child.tag in ("img", "picture", "figure") or next(child.iter("img"), None) is not None:
            seen_image = True
        elif child.tag != "br" and (child.tag not in _CAPTION_TAGS or not seen_image) and element_text(child):
            return False
        if (child.tail or "").strip():
            return False
    return seen_image


class _Walker:
    def __init__(self, doc: Document, result: BodyResult, skip: set[html.HtmlElement]) -> None:
        self.doc = doc
        self.result = result
        self.skip = skip
        self.pending: list[html.HtmlElement | str] = []
        self.first_said: dict[str, int] = {}  # a block's text (casefolded) → where it was first said
        self.copies: list[tuple[int, int]] = []  # (index, index of the first saying) of blocks said again
        self.recirculation_marks: list[int] = []  # where headings of recirculation blocks were dropped
        self.related_marks: list[int] = []  # where related links were taken out (the number of blocks before each)

    def walk(self, el: html.HtmlElement) -> None:
        self._flush_inline() if el.text is None else self.pending.append(el.text)
        after_br = False
        for child in el:
            if not isinstance(child.tag, str):
                if child.tail:
                    self.pending.append(child.tail)
                continue
            if child.tag == "br":
                if after_br:  # <br><br>: a paragraph break in text laid out without <p>
                    self._flush_inline()
                else:
                    self.pending.append(child)
                after_br = not (child.tail or "").strip()
                if child.tail:
                    self.pending.append(child.tail)
                continue
            after_br = False
            if child.tag in _BLOCKS or _holds_blocks(child):
                self._flush_inline()
                self._block(child)
            elif (
                child.tag == "span" and not (child.tail or "").strip()
                and not any((p if isinstance(p, str) else element_text(p)).strip() for p in self.pending)
                and _bare_image_widget(child)
            ):  # a picture and its caption set inline between blocks, not inside running text
                self._flush_inline()
                self._image(child)
            else:
                self.pending.append(child)
            if child.tail:
                self.pending.append(child.tail)
        self._flush_inline()

    def _block(self, el: html.HtmlElement) -> None:
        tag = el.tag
        if el in self.skip or tag in SKIP_TAGS:
            return
        if tag in ("figure", "picture") or (tag == "div" and (
            "figure" in self.doc.words(el) or _image_widget(self.doc, el)
            or (_bare_image_widget(el) and not self._furniture_picture(el))
        )):
            self._image(el)
            return
        if tag == "figcaption":  # outside its <figure>: still a caption (media.figure_caption)
            return
        if self.doc.is_chrome(el) or is_boilerplate(self.doc, el):
            if RELATED_NAME.search(self.doc.words(el)):
                self._related_from(el)
            return
        if (tag in ("div", "section") or "-" in tag) and is_account_prompt(el):
            return
        if tag in ("div", "section", "aside") and _recirculation_widget(self.doc, el):
            self.recirculation_marks.append(len(self.result.blocks))  # short blocks after it go too (finish)
            self._related_from(el)
            return
        if tag in ("hr", "iframe", "video", "audio", "h1"):
            return
        if tag == "p":
            self._paragraph(el)
        elif tag in _HEADINGS:
            if _RECIRCULATION_HEADING.match(element_text(el).strip()) and _teaser_follows(self.doc, el):
                self.recirculation_marks.append(len(self.result.blocks))  # "Auch interessant" over a teaser
                return
            self._emit(tag, el, inline=True)
        elif tag in ("ul", "ol"):
            self._list(el)
        elif tag in ("blockquote", "pre"):
            self._emit(tag, el, inline=tag == "blockquote")
        elif tag == "table":
            self._table(el)
        else:
            self.walk(el)

    def _image(self, el: html.HtmlElement) -> None:
        """The picture ``el`` shows (a figure, a widget, an <img>), with its caption and credit."""
        image = image_from_figure(self.doc, el)
        if image and not is_vector(image.url):  # a control's or a badge's drawing (orcid.svg), no photo
            self.result.images.append(image)

    def _furniture_picture(self, el: html.HtmlElement) -> bool:
        """A picture with a line beside it in an element named as furniture, and not for
        pictures ("print-header" with the logo and the page's URL, "article-event-promo", "c-ad",
        an author's headshot in "c-author"): no image of the article. "wp-caption",
        "media-block", a gallery's items stay pictures even where their names match furniture."""
        return is_boilerplate(self.doc, el) and _PICTURE_NAME.search(self.doc.words(el)) is None

    def _table(self, el: html.HtmlElement) -> None:
        """A data table becomes one block of rows (cells separated by spaces); a layout
        table (paragraphs inside cells) is walked like any container."""
        if any(True for _ in el.iter("p", "div", "article", "section")):
            self.walk(el)
            return
        rows = [" ".join(element_text(c) for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")) for tr in el.iter("tr")]
        rows = [r for r in (" ".join(r.split()) for r in rows) if r]
        if not rows or link_density(el) > MAX_BLOCK_LINK_DENSITY:
            return
        cells = "".join(
            "<tr>" + "".join(f"<td>{escape(element_text(c), quote=False)}</td>" for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")) + "</tr>"
            for tr in el.iter("tr")
        )
        self._add("table", "\n".join(rows), f"<table>{cells}</table>")

    def _paragraph(self, el: html.HtmlElement) -> None:
        if any(isinstance(c.tag, str) and c.tag in _NESTED_IN_P for c in el):
            self._paragraph_around_inserts(el)
            return
        text = self.doc.paragraph_text(el)
        if any(isinstance(c.tag, str) and c.tag in ("figure", "img", "picture") for c in el):
            images = [image for image in map(lambda img: image_from_figure(self.doc, img), el.iter("img")) if image]
            self.result.images.extend(images)
            if images and _is_caption_line(el, text):
                if images[-1].caption is None:
                    images[-1].caption, credit = split_caption(text)
                    images[-1].credit = images[-1].credit or credit
                return
        if self._related_link(el, text):
            return
        self._emit("p", el, inline=True, text=text)

    def _paragraph_around_inserts(self, el: html.HtmlElement) -> None:
        """A <p> the parser left open around containers (ads, "Trending" or promo boxes that
        the page's HTML5 placed after the paragraph): its own text is kept, as one paragraph
        or split where the containers sit; the containers are inserts, not body text (their
        related links are kept as related links)."""
        if el.text:
            self.pending.append(el.text)
        for child in el:
            if isinstance(child.tag, str):
                if child.tag in _NESTED_IN_P:
                    self._flush_inline()
                    if RELATED_NAME.search(self.doc.words(child)):
                        self._related_from(child)
                elif child.tag in ("figure", "img", "picture"):
                    self._image(child)
                else:
                    self.pending.append(child)
            if child.tail:
                self.pending.append(child.tail)
        self._flush_inline()

    def _related_link(self, el: html.HtmlElement, text: str) -> bool:
        """A short block that is all link (or "Read more: <link>") is a related article."""
        links = [a for a in el.iter("a") if self.doc.absolute(a.get("href"))]
        if len(links) != 1 or not text or len(text.split()) > 25:
            return False
        link_text = element_text(links[0])
        rest = _RELATED_PREFIX.sub("", text.replace(link_text, "", 1)).strip(" :|-–—»›")
        if len(link_text) < 10 or rest:
            return False
        url = self.doc.absolute(links[0].get("href"))
        assert url is not None
        self._related(Link(text=link_text, url=url))
        return True

    def _related_from(self, el: html.HtmlElement) -> None:
        for a in el.iter("a"):
            url = self.doc.absolute(a.get("href"))
            text = clean(element_text(a))
            if url and text and len(text) >= 10:
                self._related(Link(text=text, url=url))

    def _related(self, link: Link) -> None:
        self.result.related_links.append(link)
        self.related_marks.append(len(self.result.blocks))

    def _list(self, el: html.HtmlElement) -> None:
        items = [li for li in el if isinstance(li.tag, str) and li.tag == "li"]
        texts = [element_text(li) for li in items]
        if not items or not any(texts):
            return
        if link_density(el) > 0.6:
            self._related_from(el) if any(len(t) >= 20 for t in texts) else None
            return
        if _gallery(items):
            for li in items:
                self._image(li)
            return
        if _share_bar(texts) or is_furniture_text(" ".join(t for t in texts if t)):
            return
        inner = "".join(f"<li>{inline_html(self.doc, li)}</li>" for li, t in zip(items, texts) if t)
        self._add(el.tag, "\n".join(f"- {t}" for t in texts if t), f"<{el.tag}>{inner}</{el.tag}>")

    def _emit(self, kind: str, el: html.HtmlElement, *, inline: bool, text: str | None = None) -> None:
        """A block of the body, unless it is furniture or mostly links (``text``: the
        element's text, when the caller has it already)."""
        text = element_text(el) if text is None else text
        if not text or is_furniture_text(text):
            if kind in _HEADINGS and _RECIRCULATION_HEADING.match(text):  # "Lesen Sie auch": where teasers start
                self.recirculation_marks.append(len(self.result.blocks))
            return
        if kind not in ("pre", "blockquote") and link_density(el, len(text)) > MAX_BLOCK_LINK_DENSITY and not _topic_links_only(el):
            return
        inner = inline_html(self.doc, el) if inline else escape(text, quote=False)
        self._add(kind, text, f"<{kind}>{inner}</{kind}>")

    def _flush_inline(self) -> None:
        """Loose text and inline elements between blocks form a paragraph of their own."""
        if not self.pending:
            return
        parts, self.pending = self.pending, []
        wrapper = etree.Element("p")
        last: html.HtmlElement | None = None
        for part in parts:
            if isinstance(part, str):
                if last is None:
                    wrapper.text = (wrapper.text or "") + part
                else:
                    last.tail = (last.tail or "") + part
            else:
                copy = deepcopy(part)
                copy.tail = None
                wrapper.append(copy)
                last = copy
        text = element_text(wrapper)
        if len(text) >= MIN_PARAGRAPH_CHARS and not self._related_link(wrapper, text):
            self._emit("p", wrapper, inline=True, text=text)
        elif not text:
            self._standalone_pictures(parts)

    def _standalone_pictures(self, parts: list[html.HtmlElement | str]) -> None:
        """Pictures set between blocks without any text beside them (a bare <img> in the
        body, `<div><img></div>`, `<center><img></center>`) are the article's images; not
        a tracking pixel or an icon (a width or height of at most ``MAX_ICON_PX``), nor a
        picture inside a link (a banner)."""
        for part in parts:
            if isinstance(part, str) or part.tag == "a":
                continue
            for img in (part,) if part.tag == "img" else part.iter("img"):
                if any(a.tag == "a" for a in img.iterancestors()) or _tiny(img):
                    continue
                image = image_from_figure(self.doc, img)
                if image and not is_site_picture(image.url):
                    self.result.loose_images.append(image)

    def finish(self) -> None:
        """Headings with no text after them (e.g. "More from …" over removed teasers) go, and
        so does a recirculation block at the body's end: a heading that names one ("More from
        The Nation", "Lesen Sie auch") followed only by short blocks, teasers' blurbs, between
        the teasers' links (a "Most read" heading left over short paragraphs of a tabloid's
        text, with no links between them, is no such block)."""
        self._flush_inline()
        self._drop_copies()
        blocks = self.result.blocks
        while blocks and blocks[-1].kind in _HEADINGS:
            blocks.pop()
        tail = len(blocks)  # the short blocks at the end
        while tail > 1 and len(blocks[tail - 1].text) < MAX_TEASER_CHARS:
            tail -= 1
        cuts = [i for i in range(tail, len(blocks)) if blocks[i].kind in _HEADINGS and _RECIRCULATION_HEADING.match(blocks[i].text)]
        cuts += [i for i in self.recirculation_marks if tail <= i < len(blocks)]  # headings dropped as furniture
        if cuts:
            start = min(cuts)
            # the teasers' links stand between the blurbs: links taken out between most of them
            # (a widget's links all taken out in one place, under its heading, are not teasers')
            if 2 * len({mark for mark in self.related_marks if start < mark < len(blocks)}) >= len(blocks) - start - 1:
                del blocks[start:]

    def _add(self, kind: str, text: str, block_html: str) -> None:
        if "(" in text and _NEW_WINDOW_NOTE.search(text):  # a link's note for screen readers, its hiding class unread
            text, block_html = clean(_NEW_WINDOW_NOTE_SPACED.sub("", text)) or "", _NEW_WINDOW_NOTE_SPACED.sub("", block_html)
        blocks = self.result.blocks
        first = self.first_said.setdefault(text.casefold(), len(blocks))
        if first != len(blocks) and len(text) >= MIN_REPEATED_CHARS:
            self.copies.append((len(blocks), first))
        blocks.append(Block(kind=kind, text=text, html=block_html))

    def _drop_copies(self) -> None:
        """Blocks said again go, unless the text repeats itself by its structure: then only
        the copies right after their first saying and passages said again in order go
        (``STRUCTURAL_REPEATS``). The marks of taken-out links and headings move with them."""
        if not self.copies:
            return
        first_of = dict(self.copies)
        layout_copies = {index for index, first in self.copies if first == index - 1}
        run: list[int] = []
        for index, first in [*self.copies, (-1, -1)]:  # the sentinel ends the last run
            if run and (index != run[-1] + 1 or first != first_of[run[-1]] + 1):
                if len(run) >= MIN_COPIED_RUN:
                    layout_copies.update(run)
                run = []
            run.append(index)
        scattered = len(self.copies) - len(layout_copies)
        gone = sorted(layout_copies) if scattered >= STRUCTURAL_REPEATS else [index for index, _ in self.copies]
        for index in reversed(gone):
            del self.result.blocks[index]
        self.related_marks = [mark - bisect_left(gone, mark) for mark in self.related_marks]
        self.recirculation_marks = [mark - bisect_left(gone, mark) for mark in self.recirculation_marks]


# what a link says to screen readers about where it opens, in parentheses: "(öffnet im neuen
# Fenster)", "(opens in a new window)"
_NEW_WINDOW_NOTE = re.compile(
    r"\((?:öffnet (?:sich )?(?:im|in einem) neuen (?:Fenster|Tab)|opens? in (?:a )?new (?:window|tab)"
    r"|s'ouvre dans (?:un nouvel onglet|une nouvelle fenêtre)|se abre en (?:una )?nueva (?:ventana|pestaña)"
    r"|(?:si )?apre in una nuova (?:finestra|scheda)|opent in (?:een )?nieuw (?:venster|tabblad))\)",
    re.I,
)
_NEW_WINDOW_NOTE_SPACED = re.compile(r"\s*" + _NEW_WINDOW_NOTE.pattern, re.I)  # (a leading \s* slows every search)


# a link to a topic (tag, keyword) page: how sites link the names in their running text
_TOPIC_HREF = re.compile(r"/(?:topics?|tags?|themen|thema|themes?|temas?|keywords?|schlagworte?)/", re.I)


# names that say an element holds a picture, even where they also match furniture ("wp-caption")
_PICTURE_NAME = re.compile(r"caption|galler|media|photo|image|img|picture|figure|slide|carousel|lightbox")
_IMAGE_WORD = re.compile(r"(?:^|[\s_-])(?:image|img|photo|picture)(?:[\s_-]|$)")


def _image_widget(doc: Document, el: html.HtmlElement) -> bool:
    """A <figure> built of <div>s ("image-widget" around one picture and one short <p>): the
    paragraph is the picture's caption, not body text."""
    if not _IMAGE_WORD.search(doc.words(el)):
        return False
    images = paragraphs = 0
    for child in el.iter("img", "p", *_HEADINGS, "ul", "ol", "blockquote"):
        if child.tag == "img":
            images += 1
        elif child.tag == "p":
            paragraphs += 1 if element_text(child) else 0
        else:
            return False
    return images == 1 and 1 <= paragraphs <= 2 and len(element_text(el)) <= MAX_CAPTION_CHARS


def _share_bar(items: list[str]) -> bool:
    """A list of a share bar's buttons: at least three items, most of them, only its words."""
    buttons = 0
    for item in items:
        words = _WORD.findall(item.casefold())
        buttons += bool(words) and len(words) <= 2 and _BAR_WORDS.issuperset(words)
    return buttons >= 3 and 2 * buttons >= len(items)


_NOT_IN_CAPTIONS = frozenset({"img", "p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote", "table", "figure"})


def _bare_image_widget(el: html.HtmlElement, *, min_chars: int = 1, max_chars: int = MAX_CAPTION_CHARS) -> bool:
    """A figure of <div>s whose names say nothing (CSS modules, hashed names): one picture
    and, beside it rather than around it, a short text — the picture's caption. A
    paragraph holding an inline image is text; so is anything with headings, lists or a
    second picture."""
    images = 0
    for child in el.iter(*_NOT_IN_CAPTIONS):
        if child.tag == "img":
            images += 1
            if images > 1 or _inside_paragraph(child, el):
                return False
        elif child.tag != "p":
            return False
    if images != 1:
        return False
    return min_chars <= len(element_text(el)) <= max_chars


MAX_ICON_PX = 50


_STYLE_SIZE = re.compile(r"(?:^|[;\s])(?:width|height)\s*:\s*(\d+)px", re.I)


def _tiny(img: html.HtmlElement) -> bool:
    """An <img> whose width or height (attribute or inline style) is at most ``MAX_ICON_PX``
    pixels: an icon, a tracking pixel ("position:absolute;width:1px;height:1px")."""
    for attr in ("width", "height"):
        value = (img.get(attr) or "").strip().removesuffix("px")
        if value.isdigit() and int(value) <= MAX_ICON_PX:
            return True
    return any(int(size) <= MAX_ICON_PX for size in _STYLE_SIZE.findall(img.get("style") or ""))


def _gallery(items: list[html.HtmlElement]) -> bool:
    """A list whose every item is one picture, with at most its caption beside it: a gallery
    or a carousel of photos, whatever its names. Its texts are captions, not body text (a
    carousel may say a caption twice, shortened and in full)."""
    return all(_bare_image_widget(li, min_chars=0, max_chars=2 * MAX_CAPTION_CHARS) for li in items)


def _inside_paragraph(el: html.HtmlElement, scope: html.HtmlElement) -> bool:
    """Whether a <p> between ``el`` and ``scope`` holds ``el``."""
    for ancestor in el.iterancestors():
        if ancestor is scope:
            return False
        if ancestor.tag == "p":
            return True
    return False


def _topic_links_only(el: html.HtmlElement) -> bool:
    """A paragraph whose links go to topic pages, at least half of them: a sentence or list
    with its names auto-linked ("Miyazaki: <a>Takanabe</a>, <a>Shintomi</a>"; the prefecture
    before them links to a region page, "<a href=/area/saga/>Saga</a>: <a>Kanzaki</a>"), body
    text however many of its words are links (a list of related articles links to articles)."""
    links = list(el.iter("a"))
    topics = sum(1 for a in links if _TOPIC_HREF.search(a.get("href") or ""))
    if not links or topics == len(links):
        return bool(links)
    # half of them, in a sentence or list: text between the links ("：", "、"), not a row of links
    between = "".join(filter(None, [el.text, *(child.tail for child in el.iter() if child is not el)])).strip()
    return len(links) >= 2 and 2 * topics >= len(links) and bool(between)


def inline_html(doc: Document, el: html.HtmlElement) -> str:
    """Escaped inner HTML of a block keeping only links (absolute) and simple emphasis."""
    out: list[str] = []
    if el.text:
        out.append(escape(el.text, quote=False))
    for child in el:
        out.append(_inline_child(doc, child))
        if child.tail:
            out.append(escape(child.tail, quote=False))
    return " ".join("".join(out).split())


def _inline_child(doc: Document, el: html.HtmlElement) -> str:
    if not isinstance(el.tag, str) or el.tag in SKIP_TAGS:
        return ""
    if el.tag == "br":
        return "<br>"
    inner = inline_html(doc, el)
    if el.tag == "a":
        url = doc.absolute(el.get("href"))
        return f'<a href="{escape(url)}">{inner}</a>' if url else inner
    if el.tag in _INLINE_KEEP:
        tag = {"b": "strong", "i": "em"}.get(el.tag, el.tag)
        return f"<{tag}>{inner}</{tag}>"
    return inner
