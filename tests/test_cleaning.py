"""Small (value) -> value cleaning functions, each with a table of cases."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone

import pytest
from lxml import etree

from newscrawl.captures import parse_content_type
from newscrawl.extract.authors import clean_name, from_bold_line, split_names
from newscrawl.extract.body import Block, BodyResult, drop_repeated_headline, is_account_prompt, is_boilerplate, is_furniture_text
from newscrawl.extract.dates import date_from_url, parse_date
from newscrawl.extract.engine import extract_page
from newscrawl.extract.fingerprint import counted_and_folded
from newscrawl.extract.structured import data_layer_dates, parse_jsonld, text_value
from newscrawl.extract.media import image_from_figure, img_src, largest_candidate, split_caption
from newscrawl.extract.document import Document
from newscrawl.items import Article
from newscrawl.extract.page_parts import comment_count_from_dom, headline_key, comment_count_from_text, split_keywords, strip_site_name, strip_site_suffix, without_site_names
from newscrawl.extract.zones import site_zone
from newscrawl.urls import article_id, in_domains, is_private_host, normalize_url, registered_domain

UTC = timezone.utc


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("Published 19 January 2022", datetime(2022, 1, 19, tzinfo=UTC), "day"),
        ("2022-01-19", datetime(2022, 1, 19, tzinfo=UTC), "day"),
        ("2022-01-19T10:22:00+03:00", datetime(2022, 1, 19, 7, 22, tzinfo=UTC), "second"),
        ("2022-01-19T10:22:00.000Z", datetime(2022, 1, 19, 10, 22, tzinfo=UTC), "second"),
        ("2022-01-19 10:22", datetime(2022, 1, 19, 10, 22, tzinfo=UTC), "minute"),
        ("Jan. 19, 2022 10:30 AM EST", datetime(2022, 1, 19, 15, 30, tzinfo=UTC), "minute"),
        ("Wed, 19 Jan 2022 08:00:00 GMT", datetime(2022, 1, 19, 8, tzinfo=UTC), "second"),
        ("Updated: March 3, 2021 at 4:05 pm", datetime(2021, 3, 3, 16, 5, tzinfo=UTC), "minute"),
        ("20220119", datetime(2022, 1, 19, tzinfo=UTC), "day"),
        # dotted dates are day first (dateutil alone reads 05.04.2024 as 4 May), and their
        # day and month are no clock time (the precision stays "day")
        ("05.04.2024", datetime(2024, 4, 5, tzinfo=UTC), "day"),
        ("Veröffentlicht am 28.04.2023.", datetime(2023, 4, 28, tzinfo=UTC), "day"),
        ("Veröffentlicht am 03.02.2023, 14:07 Uhr", datetime(2023, 2, 3, 14, 7, tzinfo=UTC), "minute"),
        ("Do 25.04.24 | 14:07 Uhr", datetime(2024, 4, 25, 14, 7, tzinfo=UTC), "minute"),
        ("Freitag, 28.04.2023, 19.25 Uhr", datetime(2023, 4, 28, 19, 25, tzinfo=UTC), "minute"),
        # month names of other languages (dateutil alone reads "3. Februar 2023" as 1 March)
        ("3. Februar 2023", datetime(2023, 2, 3, tzinfo=UTC), "day"),
        ("25 avril 2024 à 14h07", datetime(2024, 4, 25, 14, 7, tzinfo=UTC), "minute"),
        ("3 de marzo de 2023", datetime(2023, 3, 3, tzinfo=UTC), "day"),
        ("sexta-feira, 22 de outubro de 2010 às 20:13", datetime(2010, 10, 22, 20, 13, tzinfo=UTC), "minute"),
        ("12 maja 2024, 10:15", datetime(2024, 5, 12, 10, 15, tzinfo=UTC), "minute"),
        ("Pubblicato il 7 settembre 2023", datetime(2023, 9, 7, tzinfo=UTC), "day"),
        ("5 апреля 2024, 14:07", datetime(2024, 4, 5, 14, 7, tzinfo=UTC), "minute"),
        ("5 Nisan 2024", datetime(2024, 4, 5, tzinfo=UTC), "day"),
        # the Guardian's dateline: a dotted time before its zone
        ("Fri 5 Apr 2024 14.07 BST", datetime(2024, 4, 5, 13, 7, tzinfo=UTC), "minute"),
        # year, month, day in Chinese, Japanese, Korean
        ("2024年4月5日", datetime(2024, 4, 5, tzinfo=UTC), "day"),
        ("2024年04月05日 14時07分", datetime(2024, 4, 5, 14, 7, tzinfo=UTC), "minute"),
        ("2024년 4월 5일 14:07", datetime(2024, 4, 5, 14, 7, tzinfo=UTC), "minute"),
    ],
)
def test_parse_date(text: str, value: datetime, precision: str) -> None:
    parsed = parse_date(text)
    assert parsed is not None
    assert (parsed.value, parsed.precision, parsed.raw) == (value, precision, text)


@pytest.mark.parametrize(
    "text",
    [
        "", "hello world", "3099-01-01", "1066-10-14", "Monday", "2022-13-45", None, "31.02.2024",
        # a year alone names no day: dateutil would make it 1 January (or the month of a stray number)
        "2023", "Hamburg-Marathon 2024 gestartet", "In 2008, the alliance said that Ukraine could join.",
        "Posted 3 days ago, 2023 edition", "The council may vote in 2024", "They march in 2024",
        "am 14.07 um 2024", "2024年13月5日",
    ],
)
def test_parse_date_rejects_non_dates_and_absurd_years(text: str | None) -> None:
    assert parse_date(text) is None


def test_parse_date_rejects_dates_after_the_fetch() -> None:
    fetched = datetime(2022, 1, 1, tzinfo=UTC)
    assert parse_date("2022-01-02", latest=fetched) is not None  # within the margin
    assert parse_date("2022-02-01", latest=fetched) is None
    assert parse_date("2021-12-31", latest=fetched - timedelta(days=1)) is not None


@pytest.mark.parametrize(
    ("host", "language", "zone"),
    [
        ("www.tokyo-np.co.jp", None, "Asia/Tokyo"),
        ("www.asahi.com", "ja", "Asia/Tokyo"),
        ("www.rbb24.de", "de", "Europe/Berlin"),
        ("www.news.example", "de-AT", "Europe/Berlin"),
        ("www.bbc.co.uk", "en-GB", "Europe/London"),
        # a language read in many zones, a country spanning several, a generic .co: none
        ("www.example.com", "en", None),
        ("www.lemonde.example", "fr", None),
        ("www.news.com.au", "en", None),
        ("www.startup.co", "es", None),
        (None, None, None),
    ],
)
def test_site_zone(host: str | None, language: str | None, zone: str | None) -> None:
    found = site_zone(host, language)
    assert (str(found) if found else None) == zone


def test_a_clock_time_without_an_offset_is_the_sites_local_time() -> None:
    tokyo = site_zone("mainichi.jp", None)
    assert parse_date("2025年1月13日 21時37分", zone=tokyo).value.astimezone(UTC) == datetime(2025, 1, 13, 12, 37, tzinfo=UTC)
    assert parse_date("28.07.2024, 19:25 Uhr", zone=site_zone("x.de", None)).value.astimezone(UTC) == datetime(2024, 7, 28, 17, 25, tzinfo=UTC)
    # an offset written out wins; a date without a time stays its calendar day; no zone: UTC
    assert parse_date("2025-01-13T21:37:00+01:00", zone=tokyo).value.astimezone(UTC) == datetime(2025, 1, 13, 20, 37, tzinfo=UTC)
    assert parse_date("2025年1月13日", zone=tokyo).value == datetime(2025, 1, 13, tzinfo=UTC)
    assert parse_date("2025年1月13日 21時37分").value == datetime(2025, 1, 13, 21, 37, tzinfo=UTC)
    page = f"<html lang='ja'><body><div><h1>港の予算が承認された</h1><span class='date'>2025年1月13日 21時37分</span>{_STORY}</div></body></html>"
    article = extract_page(page.encode(), "https://www.asahi.example/articles/1.html").article
    assert article.date_published.astimezone(UTC) == datetime(2025, 1, 13, 12, 37, tzinfo=UTC)


@pytest.mark.parametrize(
    ("url", "day"),
    [
        ("https://x.com/2022/01/19/some-title", "2022-01-19"),
        ("https://x.com/news/2021-12-03-title.html", "2021-12-03"),
        ("https://x.com/news/12345-title", None),
    ],
)
def test_date_from_url(url: str, day: str | None) -> None:
    parsed = date_from_url(url)
    assert (parsed.value.date().isoformat() if parsed else None) == day


@pytest.mark.parametrize(
    ("text", "caption", "credit"),
    [
        ("Leaders meet. Jan. 19, 2022. | Photo: Twitter/@RusEmbIran", "Leaders meet. Jan. 19, 2022.", "Photo: Twitter/@RusEmbIran"),
        ("Floods in Dhaka (Photo: Reuters/A. Rahman)", "Floods in Dhaka", "Photo: Reuters/A. Rahman"),
        ("Floods in Dhaka. Photo: AP", "Floods in Dhaka.", "Photo: AP"),
        ("The harbour at dawn © Jane Doe", "The harbour at dawn", "© Jane Doe"),
        ("Photo: AFP", None, "Photo: AFP"),
        ("FBI Director Christopher Wray listens. (AP Photo/Carolyn Kaster)", "FBI Director Christopher Wray listens.", "AP Photo/Carolyn Kaster"),
        ("Xi Jinping in Beijing. (Lintao Zhang/Getty Images)", "Xi Jinping in Beijing.", "Lintao Zhang/Getty Images"),
        ("Rates rose (by 3/4 of a point)", "Rates rose (by 3/4 of a point)", None),
        ("Just a caption, no credit", "Just a caption, no credit", None),
        ("", None, None),
    ],
)
def test_split_caption(text: str, caption: str | None, credit: str | None) -> None:
    assert split_caption(text) == (caption, credit)


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("By Jane Doe", "Jane Doe"),
        ("BY JANE DOE", "Jane Doe"),
        ("Jane Doe - Staff Writer", "Jane Doe"),
        ("https://example.com/author/jane", None),
        ("newsroom@example.com", None),
        ("The Editorial Board Of The Daily Planet Newspaper", None),
        ("", None),
        # a role standing as its own part of a byline ("By Jane Doe, Staff Writer")
        ("Staff Writer", None),
        ("Senior Correspondents", None),
        ("Redakteurin", None),
        ("Text: Max Muster", "Max Muster"),
        ("By Jane Doe For Daily Mail Australia", "Jane Doe"),
        ("admin", None),  # a CMS's default account
        ("Webmaster", None),
        ("By Jane Doe for the Guardian", "Jane Doe"),
    ],
)
def test_clean_name(raw: str, name: str | None) -> None:
    assert clean_name(raw) == name


@pytest.mark.parametrize(
    ("img", "url"),
    [
        ('<img src="/a.jpg">', "https://news.example/a.jpg"),
        # a lazy loader's attribute over the placeholder in src
        ('<img src="data:image/gif;base64,R0lGOD" data-src="/a.jpg">', "https://news.example/a.jpg"),
        ('<img src="/img/placeholder.gif" data-lazy-src="/b.jpg">', "https://news.example/b.jpg"),
        ('<img src="/img/blank.png" data-srcset="/f-640.jpg 640w, /f-1280.jpg 1280w">', "https://news.example/f-1280.jpg"),
        # srcset: the widest candidate, when src has none or only a placeholder
        ('<img srcset="/c-320.jpg 320w, /c-1024.jpg 1024w">', "https://news.example/c-1024.jpg"),
        ('<img src="/spacer.gif" srcset="/d.jpg 1x, /d@2x.jpg 2x">', "https://news.example/d@2x.jpg"),
        ('<img src="/g.jpg" srcset="/g-2000.jpg 2000w">', "https://news.example/g.jpg"),
        ("<img alt='none'>", None),
        # a lazy loader's JSON of renditions (MSN): its default one, never the JSON as a path
        ("""<img data-src='{"default":{"load":"default","w":"80","src":"//img.example/BBWXoiq.img?h=450"},"size3column":{"src":"//img.example/s.img"}}' """
         """src="/spacer.gif">""", "https://img.example/BBWXoiq.img?h=450"),
        ("""<img data-src='{"default":"//img.example/BBX0QLY.img?h=76"}' src="/e151e5.gif">""", "https://img.example/BBX0QLY.img?h=76"),
        ("""<img data-src='{"broken": ' src="/h.jpg">""", "https://news.example/h.jpg"),
    ],
)
def test_img_src_is_the_picture_shown_once_loaded(img: str, url: str | None) -> None:
    doc = Document.from_bytes(f"<html><body>{img}</body></html>".encode(), "https://news.example/x/a.html")
    assert img_src(doc, next(doc.tree.iter("img"))) == url


@pytest.mark.parametrize(
    ("figure", "url"),
    [
        # a grey placeholder for browsers without scripts before the real picture
        ('<figure><img src="/bbcx/grey-placeholder.png"><img src="/photos/quay.jpg" alt="The quay"></figure>', "https://news.example/photos/quay.jpg"),
        ('<figure><img src="/img/placeholder.gif"></figure>', "https://news.example/img/placeholder.gif"),  # nothing better
        # a site's icons and logos are no picture of an article
        ('<div><a href="/app"><img src="/img/svg/icon_arrow_right_blue.svg"><span>Read it in our app!</span></a></div>', None),
        ('<figure><img src="/static/logos/logo.times-live.png"><figcaption>Just R20 for the first month</figcaption></figure>', None),
        ('<figure><img src="/media/img/site_logo_v2.svg"><img src="/photos/quay.jpg"></figure>', "https://news.example/photos/quay.jpg"),
        ('<figure><img src="/photos/new-logo-unveiled.jpg"></figure>', "https://news.example/photos/new-logo-unveiled.jpg"),  # a photo
    ],
)
def test_the_picture_a_figure_shows(figure: str, url: str | None) -> None:
    doc = Document.from_bytes(f"<html><body>{figure}</body></html>".encode(), "https://news.example/x/a.html")
    image = image_from_figure(doc, next(doc.tree.iter("body"))[0])
    assert (image.url if image else None) == url


@pytest.mark.parametrize(
    ("picture", "images"),
    [
        # a picture between paragraphs with no text beside it: the article's
        ("<img src='/photos/quay.jpg'>", ["https://x.example/photos/quay.jpg"]),
        ("<div><img src='/photos/quay.jpg'></div>", ["https://x.example/photos/quay.jpg"]),
        ("<center><img src='/photos/quay.jpg'></center>", ["https://x.example/photos/quay.jpg"]),
        # not a tracking pixel, a linked banner, a theme's picture, a vector logo, a placeholder
        ("<img src='/t/70c8fc80' style='position:absolute;width:1px;height:1px'>", []),
        ("<img src='/t.gif' width='1' height='1'>", []),
        ("<a href='/offer'><img src='/banners/offer.jpg'></a>", []),
        ("<img src='/wp-content/themes/news/images/skyline.jpg'>", []),
        ("<img src='/img/site_is.svg'>", []),
        ("<img src='/img/leer.gif'>", []),
    ],
)
def test_a_picture_without_text_between_paragraphs(picture: str, images: list[str]) -> None:
    article = _harbour_article(inside=picture)
    assert [i.url for i in article.images or []] == images
    assert (article.main_image.url if article.main_image else None) == (images[0] if images else None)


def test_a_loose_picture_is_never_the_lead_over_the_og_image() -> None:
    """A body's first bare picture is often a later one; a rendition of the og:image adds nothing."""
    body = f"<div class='x9'>{_STORY}<img src='/uploads/quay-800x533.jpg'><img src='/uploads/crane.jpg'>{_STORY}</div>"
    page = ("<html><head><meta property='og:image' content='https://x.example/uploads/quay.jpg'></head><body><div class='x0'>"
            f"<h1>Harbour budget approved</h1>{body}</div></body></html>")
    article = extract_page(page.encode(), "https://x.example/news/harbour.html").article
    assert article.main_image is not None and article.main_image.url == "https://x.example/uploads/quay.jpg"
    assert [i.url for i in article.images or []] == ["https://x.example/uploads/quay.jpg", "https://x.example/uploads/crane.jpg"]


@pytest.mark.parametrize(
    ("declared", "lead"),
    [
        ("https://x.example/uploads/quay.jpg", "https://x.example/uploads/quay.jpg"),
        ("https://x.example/uploads/silicon-valley.png", "https://x.example/uploads/silicon-valley.png"),  # "icon" inside a word
        # the site's icon or logo declared as the page's image: no picture of the article
        ("https://secure.gravatar.com/blavatar/55bf7238e39ec9fd72a2f40d67d77e99?s=200&ts=1574250735", None),
        ("https://x.example/apple-touch-icon-180x180.png", None),
        ("https://x.example/static/harbour_times_logo_v2.svg", None),
    ],
)
def test_the_sites_icon_as_og_image_or_jsonld_image_is_no_lead_picture(declared: str, lead: str | None) -> None:
    jsonld = f'<script type="application/ld+json">{{"@type": "NewsArticle", "headline": "Harbour budget approved", "image": "{declared}"}}</script>'
    for head in (f"<meta property='og:image' content='{declared}'>", jsonld):
        page = f"<html><head>{head}</head><body><div class='x0'><h1>Harbour budget approved</h1><div class='x9'>{_STORY}</div></div></body></html>"
        article = extract_page(page.encode(), "https://x.example/news/harbour.html").article
        assert (article.main_image.url if article.main_image else None) == lead, head


@pytest.mark.parametrize(
    ("where", "picture", "lead"),
    [
        # an advertisement's picture that links to another page from an <aside> or a promotion box
        ("after", "<aside class='x3'><a href='/abo-service/app'><picture><img src='/img/app/banner_stores.jpg' alt='Get the app'></picture></a></aside>", None),
        ("after", "<div class='banner'><a href='https://shop.example/offer'><figure><img src='/img/offer.jpg'></figure></a></div>", None),
        # a lead photo in a box whose layout class names ads, and one linked to its own full size
        ("header", "<div class='post-img ads-top-after'><figure><picture><img src='/photos/quay.jpg'></picture></figure></div>", "https://x.example/photos/quay.jpg"),
        ("header", "<div class='promo'><a href='/photos/quay-large.jpg'><picture><img src='/photos/quay.jpg'></picture></a></div>", "https://x.example/photos/quay.jpg"),
        # a vector graphic (a control's arrow) before the photo is no lead
        ("header", "<figure><img src='/static/media/chevron-down.a636b93d.svg'></figure><figure><img src='/photos/quay.jpg'></figure>",
         "https://x.example/photos/quay.jpg"),
    ],
)
def test_the_lead_picture_is_no_advertisement_and_no_vector_graphic(where: str, picture: str, lead: str | None) -> None:
    article = _harbour_article(**{where: picture})
    assert (article.main_image.url if article.main_image else None) == lead


_IMG = '<img src="/photos/quay.jpg">'


@pytest.mark.parametrize(
    ("caption", "expected"),
    [
        # the credit element's text taken from where it stands (the caption names the photographer too)
        ("<figcaption>Emma Roe after her surgery. <span class='credit'>Emma Roe</span></figcaption>", ("Emma Roe after her surgery.", "Emma Roe")),
        ("<figcaption><p>Too big to go up your nostrils? (Photo: Getty Images)</p><small>Getty</small></figcaption>",
         ("Too big to go up your nostrils?", "Photo: Getty Images")),
        # the credit said again at the caption's end, after a copyright sign or in parentheses
        ("<figcaption><span>A dark cloud over the houses.</span> <span>© Anett Seidler | Anett Seidler</span></figcaption>",
         ("A dark cloud over the houses.", "Anett Seidler")),
        ("<figcaption><span>Firefighters at work. © DPA Images</span> | <span>Christoph Soeder</span></figcaption>",
         ("Firefighters at work.", "© DPA Images | Christoph Soeder")),
        ("<figcaption><span>A flag over a refinery. (AP Photo/Damian Dovarganes)</span> <span class='captionCredit'>AP Photo</span></figcaption>",
         ("A flag over a refinery.", "AP Photo/Damian Dovarganes")),
        ("<figcaption>The phases of the plan. <span class='credit'>Bild: Screenshot: fdp.de</span></figcaption>",
         ("The phases of the plan.", "Bild: Screenshot: fdp.de")),
        # a caption that is only its credit is none
        ("<figcaption><span class='credit'>Getty Images</span></figcaption>", (None, "Getty Images")),
    ],
)
def test_a_caption_without_its_credit(caption: str, expected: tuple[str | None, str | None]) -> None:
    doc = Document.from_bytes(f"<html><body><figure>{_IMG}{caption}</figure></body></html>".encode(), "https://news.example/x/a.html")
    image = image_from_figure(doc, next(doc.tree.iter("figure")))
    assert image is not None and (image.caption, image.credit) == expected


@pytest.mark.parametrize(
    "figure",
    [
        # an author's portrait: a figure captioned with a byline, a picture named as a headshot
        '<figure><picture><img src="/authors/jane.jpg" alt="Jane Doe"></picture><figcaption><address>Von <a rel="author" '
        'href="/autoren/jane-doe/">Jane Doe</a>, Redakteurin</address><time datetime="2025-09-09T13:15:00Z">09.09.2025</time></figcaption></figure>',
        '<div><a href="/profile/jane-doe"><img class="css-2b5pd6-StyledHeadshot" src="/profiles/JaneDoe_thumb.png"></a><span>Jane Doe</span></div>',
    ],
)
def test_an_authors_portrait_is_no_picture_of_the_article(figure: str) -> None:
    doc = Document.from_bytes(f"<html><body>{figure}</body></html>".encode(), "https://news.example/x/a.html")
    assert image_from_figure(doc, next(doc.tree.iter("body"))[0]) is None
    assert image_from_figure(doc, next(doc.tree.iter("img"))) is None


def test_largest_srcset_candidate_keeps_commas_inside_urls() -> None:
    srcset = "https://r.example/w_320,h_200/a.jpg 320w, https://r.example/w_1024,h_600/a.jpg 1024w"
    assert largest_candidate(srcset) == "https://r.example/w_1024,h_600/a.jpg"
    assert largest_candidate("a.jpg 320w,b.jpg 1024w") == "b.jpg"
    assert largest_candidate("") is None


@pytest.mark.parametrize(
    ("head", "url", "canonical"),
    [
        ('<link rel="canonical" href="/news/story.html">', "https://x.example/news/story.html?ref=home", "https://x.example/news/story.html"),
        # a template's canonical naming the home page on every article: not this page's
        ('<link rel="canonical" href="https://x.example/">', "https://x.example/news/story.html", "https://x.example/news/story.html"),
        ('<link rel="canonical" href="https://x.example/index.php"><meta property="og:url" content="https://x.example/news/story.html">',
         "https://x.example/news/story.html?ref=1", "https://x.example/news/story.html"),
        ('<link rel="canonical" href="https://x.example/">', "https://x.example/", "https://x.example/"),  # the home page itself
        ('<link rel="canonical" href="https://wire.example/2024/story.html">', "https://x.example/news/story.html", "https://wire.example/2024/story.html"),
    ],
)
def test_canonical_url_is_never_the_home_page_of_an_article(head: str, url: str, canonical: str) -> None:
    page = f"<html><head><title>T</title>{head}</head><body><p>Text.</p></body></html>".encode()
    article = extract_page(page, url).article
    assert article.canonical_url == canonical
    assert article.article_id == article_id(canonical)


GERMAN = "Der Stadtrat hat am Donnerstagabend mit großer Mehrheit beschlossen, neue Radwege entlang der Hauptstraßen anzulegen. " * 8
ENGLISH = "The council voted on Thursday evening by a large majority to build new cycle lanes along the main roads. " * 8


@pytest.mark.parametrize(
    ("lang", "text", "language", "source"),
    [
        ("de", GERMAN, "de", "dom"),
        ("en", ENGLISH, "en", "dom"),
        ("en-GB", ENGLISH, "en", "dom"),
        # a theme's default lang="en" on a German page: the text's language, and a note
        ("en", GERMAN, "de", "detected"),
        (None, GERMAN, "de", "detected"),
    ],
)
def test_language_declared_english_gives_way_to_the_text(lang: str | None, text: str, language: str, source: str) -> None:
    attr = f' lang="{lang}"' if lang else ""
    page = f"<html{attr}><head><title>T</title></head><body><article><h1>H</h1><p>{text}</p></article></body></html>"
    article = extract_page(page.encode(), "https://x.example/a.html").article
    assert (article.language, article.field_sources["language"]) == (language, source)
    assert ("language" in (article.extraction_errors or {})) is (lang == "en" and language != "en")


@pytest.mark.parametrize(
    "h1",
    [
        '<span class="kicker">Exclusive:</span> Mayor resigns over budget',
        '<span class="kicker">Exclusive</span><span class="headline">Mayor resigns over budget</span>',
        '<span class="roofline">Premiere</span><span> - </span><span>Mayor resigns over budget</span>',
        "Mayor resigns over budget",
    ],
)
def test_headline_leaves_out_the_kicker_in_the_h1(h1: str) -> None:
    body = "<p>" + "Body text about the council and the budget. " * 30 + "</p>"
    page = f"<html><head><title>Mayor resigns over budget | Daily</title></head><body><article><h1>{h1}</h1>{body}</article></body></html>"
    assert extract_page(page.encode(), "https://x.example/politics/story.html").article.headline == "Mayor resigns over budget"


ARTICLE_LD = '"@type":"NewsArticle","headline":"Mayor resigns","datePublished":"2024-04-05T10:00:00Z"'


@pytest.mark.parametrize(
    "script",
    [
        "{" + ARTICLE_LD + "}",
        "{" + ARTICLE_LD + ",}",  # a trailing comma
        "<!-- {" + ARTICLE_LD + "} -->",
        '{"@context":"https://schema.org", // a comment\n' + ARTICLE_LD + "}",  # JavaScript comments
        "/* made by a plugin */ {" + ARTICLE_LD + "}",
        '{"@type":"Organization","name":"Daily"}\n{' + ARTICLE_LD + "}",  # two objects, one script
        '{"@type":"Organization","name":"Daily"}{' + ARTICLE_LD + "}",
    ],
)
def test_jsonld_as_publishers_write_it(script: str) -> None:
    jsonld = parse_jsonld([script])
    assert not jsonld.errors
    assert jsonld.article()["headline"] == "Mayor resigns"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("Die Sprengung der K&amp;uuml;hlt&amp;uuml;rme markiert das Ende einer &amp;Auml;ra", "Die Sprengung der Kühltürme markiert das Ende einer Ära"),
        ("<p>Here&#x27;s a look at what we know — and what we don&#x27;t.</p>", "Here's a look at what we know — and what we don't."),
        ("Tom &amp; Jerry", "Tom & Jerry"),
        ("if a < b and b > c", "if a < b and b > c"),  # no markup
    ],
)
def test_jsonld_strings_escaped_twice_or_holding_markup(value: str, text: str) -> None:
    """CMSs escape JSON-LD strings twice (Stuttgarter Zeitung) or leave <p> in them (Nine News)."""
    assert text_value(value) == text


def test_jsonld_comment_markers_inside_strings_stay() -> None:
    jsonld = parse_jsonld(['{"@type":"NewsArticle","headline":"A // B /* C */ D",}'])
    assert jsonld.article()["headline"] == "A // B /* C */ D"
    assert parse_jsonld(['{"@type":"NewsArticle","headline":"x" oops}']).errors  # still broken: said so


def test_a_cms_default_category_is_no_section_and_no_tag() -> None:
    ld = '{"@type":"NewsArticle","headline":"H","articleSection":["Uncategorized"],"keywords":["Uncategorized","Budget"]}'
    body = "<p>" + "Body text about the council and the budget. " * 30 + "</p>"
    page = (
        f'<html><head><script type="application/ld+json">{ld}</script><meta property="article:section" content="Non classé">'
        f"</head><body><article><h1>H</h1>{body}</article></body></html>"
    )
    article = extract_page(page.encode(), "https://x.example/politics/story.html").article
    assert (article.section, article.tags) == (None, ["Budget"])


_TRAIL_BODY = "<p>" + "Body text about the council and the budget of the harbour. " * 30 + "</p>"


_STANDFIRST = "The council approved the harbour budget for the coming year after a long debate."
_OG_DESCRIPTION = "What the harbour budget means for the town, in five numbers."


@pytest.mark.parametrize(
    ("header", "description"),
    [
        (f"<p class='intro'>{_STANDFIRST}</p>", _STANDFIRST),
        # lead media (a picture and its caption), not a standfirst, whatever its name says
        (f"<div class='article__lead-content'><figure><img src='/p.jpg'><figcaption>The quay at dawn. Photo: AP</figcaption></figure></div>"
         f"<p class='intro'>{_STANDFIRST}</p>", _STANDFIRST),
        (f"<figure><img src='/p.jpg'><div class='image__description'>The quay at dawn, seen from the harbour wall</div></figure>"
         f"<div class='intro'>{_STANDFIRST}</div>", _STANDFIRST),
        # a teaser card of another article (a link, an inline-teaser figure): the page's own summary then
        ("<a class='teaser' href='/other.html'><p class='teaser__description'>Another story about the city's new tram line today</p></a>",
         _OG_DESCRIPTION),
        ("<figure class='inline-teaser'><div class='inline-teaser__title'>Read also</div><div class='inline-teaser__content'>"
         "The tram line opens next year after years of delay</div></figure>", _OG_DESCRIPTION),
    ],
)
def test_the_standfirst_is_no_caption_no_teaser_and_no_header(header: str, description: str) -> None:
    page = (
        f"<html><head><meta property='og:description' content='{_OG_DESCRIPTION}'></head><body><article>"
        f"<h1>Harbour budget approved</h1>{header}{_TRAIL_BODY}</article></body></html>"
    )
    assert extract_page(page.encode(), "https://x.example/politics/story.html").article.description == description


def test_a_lead_block_holding_the_headline_is_no_standfirst() -> None:
    """The Mirror's "lead-content" holds the kicker, the headline and the standfirst."""
    page = (
        f"<html><head><meta property='og:description' content='{_OG_DESCRIPTION}'></head><body><article>"
        f"<div class='lead-content'><span>Live</span><h1>Harbour budget approved</h1><p>{_STANDFIRST}</p></div>{_TRAIL_BODY}"
        "</article></body></html>"
    )
    assert extract_page(page.encode(), "https://x.example/politics/story.html").article.description == _OG_DESCRIPTION


@pytest.mark.parametrize(
    ("declared", "trail", "section"),
    [
        # the CMS's categories joined by commas: the one the trail ends with, else the first
        ("Mobiles, Mobiles Internet, Vodafone", ["Mobiles", "Mobiles Internet", "Vodafone"], "Vodafone"),
        ("Edendale,Msunduzi,Msunduzi News,News,uMgungundlovu", [], "Edendale"),
        ("ソフトウェア一般, ソフトウェア", ["ソフトウェア", "ソフトウェア一般"], "ソフトウェア一般"),
        # a name with a comma of its own stays whole
        ("Arts, Culture & Entertainment", [], "Arts, Culture & Entertainment"),
        ("Arts, Culture & Entertainment", ["Arts, Culture & Entertainment"], "Arts, Culture & Entertainment"),
        # every post's category names no section
        ("Front Page", [], None),
        ("All", [], None),
    ],
)
def test_a_declared_section_names_one_section(declared: str, trail: list[str], section: str | None) -> None:
    crumbs = "".join(f'<a href="/c{i}/">{name}</a>' for i, name in enumerate(trail))
    ld = json.dumps({"@type": "NewsArticle", "headline": "Harbour budget approved", "articleSection": declared})
    page = (
        f'<html><head><script type="application/ld+json">{ld}</script></head><body><nav class="breadcrumbs">{crumbs}</nav>'
        f"<article><h1>Harbour budget approved</h1>{_TRAIL_BODY}</article></body></html>"
    )
    assert extract_page(page.encode(), "https://x.example/politics/story.html").article.section == section


@pytest.mark.parametrize(
    ("trail", "og_title", "crumbs", "section"),
    [
        # the last crumb is the article itself: however spelt, shortened, or a link to the page
        ('<a href="/">Home</a><a href="/politics/">Politics</a><span>Harbour budget: “approved” at last</span>', None, ["Home", "Politics"], "Politics"),
        ('<a href="/">Home</a><a href="/politics/">Politics</a><span>Harbour budget: "approved" at la…</span>', None, ["Home", "Politics"], "Politics"),
        ('<a href="/">Home</a><a href="/politics/">Politics</a><a href="/politics/story.html">Budget story</a>', None, ["Home", "Politics"], "Politics"),
        # ... or its SEO title (og:title), not the visible headline
        ('<a href="/">Home</a><a href="/politics/">Politics</a><span>6 numbers that show the budget</span>', "6 numbers that show the budget",
         ["Home", "Politics"], "Politics"),
        # the home page alone is no section
        ('<a href="/">Home</a><span>Harbour budget: approved at last</span>', None, ["Home"], None),
        ('<a href="/">Home</a><a href="/politics/">Politics</a>', None, ["Home", "Politics"], "Politics"),
        # a last crumb naming the page's kind (Nature's "nature > news feature > article"), before the headline or not
        ('<a href="/">nature</a><a href="/nature/articles?type=news-feature">news feature</a><span>article</span>', None,
         ["nature", "news feature"], "news feature"),
        ('<a href="/">Home</a><a href="/article/">Article</a><span>Harbour budget: approved at last</span>', None, ["Home"], None),
        ('<a href="/">Home</a><a href="/stories/">Stories</a>', None, ["Home", "Stories"], "Stories"),  # a section of stories
    ],
)
def test_the_section_is_the_trail_before_the_article(trail: str, og_title: str | None, crumbs: list[str], section: str | None) -> None:
    # the headline the page's other places agree on stays the visible one
    og = f'<meta property="og:title" content="{og_title}"><meta name="twitter:title" content="Harbour budget: approved at last">' if og_title else ""
    page = (
        f"<html><head><title>T</title>{og}</head><body><nav class='breadcrumbs'>{trail}</nav>"
        f"<article><h1>Harbour budget: 'approved' at last</h1>{_TRAIL_BODY}</article></body></html>"
    )
    article = extract_page(page.encode(), "https://x.example/politics/story.html").article
    assert ([c.name for c in article.breadcrumbs or []], article.section) == (crumbs, section)


@pytest.mark.parametrize(
    ("og_site_name", "site_name"),
    [("The Harbour Times", "The Harbour Times"), ("https://www.harbour-times.example", None), ("www.harbour-times.example", None)],
)
def test_a_site_name_is_no_address(og_site_name: str, site_name: str | None) -> None:
    page = f'<html><head><meta property="og:site_name" content="{og_site_name}"></head><body><article><h1>H</h1>{_TRAIL_BODY}</article></body></html>'
    assert extract_page(page.encode(), "https://x.example/a.html").article.site_name == site_name


@pytest.mark.parametrize(
    ("lang", "text", "language"),
    [
        # Chinese and Japanese write no spaces: enough text is counted in characters
        (None, "市政府周四晚上以绝大多数票决定，沿着主要道路修建新的自行车道。这项计划将在明年春天开始实施，"
               "预计需要三年时间才能完成。许多市民对此表示欢迎，但也有一些商店老板担心停车位会减少。" * 3, "zh"),
        (None, "フジテレビ問題でスポーツ界にも大激震が走り、協賛企業が次々と撤退している。" * 6, "ja"),
        ("en", "フジテレビ問題でスポーツ界にも大激震が走り、協賛企業が次々と撤退している。" * 30, "ja"),  # a theme's default lang="en"
        (None, "短い。", None),  # too little to tell
    ],
)
def test_the_language_of_texts_without_spaces(lang: str | None, text: str, language: str | None) -> None:
    attr = f' lang="{lang}"' if lang else ""
    page = f"<html{attr}><head><title>T</title></head><body><article><h1>H</h1><p>{text}</p></article></body></html>"
    assert extract_page(page.encode(), "https://x.example/a.html").article.language == language


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("The council met on Monday.", 5),
        ("今回はそのKindleデスクトップアプリ、Kindle for PCに関する話。", 21),  # each kanji and kana a word; Latin words as words
        ("市政府周四晚上决定。", 9),
        ("서울시는 목요일 저녁 결정했다.", 4),  # Korean writes spaces
    ],
)
def test_word_count_counts_chinese_and_japanese_characters(text: str, count: int) -> None:
    assert counted_and_folded(text)[0] == count


def test_a_japanese_article_of_a_few_hundred_characters_is_an_article() -> None:
    """Counted in \\w+ runs, its 300 characters were 21 "words": a news agency's short
    report was dropped as an article without body."""
    text = "".join(f"<p>東京都は{n}日、新しい自転車道の整備計画を発表した。来年春から工事を始め、三年で完成させる予定だという。</p>" for n in range(1, 7))
    page = (
        '<html lang="ja"><head><script type="application/ld+json">{"@type":"NewsArticle","headline":"自転車道を整備"}</script>'
        f"</head><body><article><h1>自転車道を整備</h1>{text}</article></body></html>"
    )
    result = extract_page(page.encode(), "https://x.example/a.html")
    assert result.verdict.is_article and (result.article.word_count or 0) > 250


@pytest.mark.parametrize(
    ("meta", "day"),
    [
        # a template's stray colon after the clock time; the date in a custom element of a component framework
        ("<storefront-html id='publication-date'><div>Frankfurt, October 23, 2024, 3:48: Uhr</div></storefront-html>", "2024-10-23"),
        ("<storefront-html id='publication-date'><div>Frankfurt,  December 16, 2024, 12:30 Uhr</div></storefront-html>", "2024-12-16"),
        # an update's time in a note after the date: the line still gives the publication's
        ("<div class='info'><span class='data'>2025年1月14日 01時28分 (1月14日 01時40分更新)</span></div>", "2025-01-14"),
        ("<div class='info'><span class='data'>14 January 2025 (updated 16 January 2025)</span></div>", "2025-01-14"),
    ],
)
def test_date_lines_as_templates_write_them(meta: str, day: str) -> None:
    page = f"<html><head><title>T</title></head><body><article><h1>Harbour budget approved</h1>{meta}{_TRAIL_BODY}</article></body></html>"
    article = extract_page(page.encode(), "https://x.example/a.html").article
    assert article.date_published is not None and article.date_published.date().isoformat() == day
    assert "Frankfurt" not in (article.body or "")  # a dateline standing alone is no body text


@pytest.mark.parametrize(
    ("box", "modified"),
    [
        # a related post's "updated" stamp is not this article's last change
        ("<div class='item-related'><h4><a href='/other'>Another story</a></h4><time class='updated' datetime='2018-01-27T13:34:54+02:00'>"
         "January 27, 2018</time></div>", None),
        # the article's own, in a layout that wraps the whole page in a name that says "recommended"
        ("<time class='updated' datetime='2025-11-21T15:00:00+00:00'>21 November 2025</time>", "2025-11-21T15:00:00+00:00"),
    ],
)
def test_a_related_posts_date_is_not_the_articles(box: str, modified: str | None) -> None:
    page = (
        "<html><head><title>T</title></head><body><div class='segment--recommended'><article><h1>Harbour budget approved</h1>"
        "<time class='published' datetime='2025-11-21T13:34:26+00:00'>21 November 2025</time>"
        f"{_TRAIL_BODY}</article>{box}</div></body></html>"
    )
    article = extract_page(page.encode(), "https://x.example/a.html").article
    assert article.date_published == datetime(2025, 11, 21, 13, 34, 26, tzinfo=timezone.utc)
    assert (article.date_modified.isoformat() if article.date_modified else None) == modified


def test_meta_values_escaped_twice_are_unescaped() -> None:
    page = (
        b'<html><head><meta property="og:title" content="Tom &amp;amp; Jerry return">'
        b'<meta name="description" content="Rock &amp;#8217;n&amp;#8217; roll &amp; more"></head></html>'
    )
    doc = Document.from_bytes(page, "https://news.example/a.html")
    assert doc.meta["og:title"] == ["Tom & Jerry return"]
    assert doc.meta["description"] == ["Rock \u2019n\u2019 roll & more"]


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("Mathatisi Sebusi/Mohalenyane Phakela", ["Mathatisi Sebusi", "Mohalenyane Phakela"]),
        ("Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
        ("By JANE DOE", ["Jane Doe"]),
        # bold lines that are kickers or labels, not bylines
        ("Key Points", []),
        ("Das Wichtigste im Überblick", []),
        ("Breaking News", []),
        ("The council voted on Thursday", []),
        ("Madonna", []),
    ],
)
def test_bold_first_line_as_byline(line: str, names: list[str]) -> None:
    assert [a.name for a in from_bold_line(line)] == names


def test_split_names() -> None:
    assert split_names("By Jane Doe and John Roe, Ann Lee") == ["Jane Doe", "John Roe", "Ann Lee"]
    assert split_names("Ana López y Juan Pérez") == ["Ana López", "Juan Pérez"]
    assert split_names("Marie Dupont et Jean Martin") == ["Marie Dupont", "Jean Martin"]
    # an initial is no conjunction: "Bruce Y. Lee" was "Bruce" and ". Lee"
    assert split_names("Bruce Y. Lee") == ["Bruce Y. Lee"]
    assert split_names("Jean E. Dupont") == ["Jean E. Dupont"]


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Post with no comments.", 0),
        ("No comments yet", 0),
        ("12 comments", 12),
        ("1 comment", 1),
        ("Comments (3)", 3),
        ("1,204 comments", 1204),
        ("Leave a comment", None),
        ("A very long sentence about comments that goes on and on well past the length of any counter label", None),
        # other languages
        ("12 Kommentare", 12),
        ("Kommentare (1.234)", 1234),
        ("Keine Kommentare", 0),
        ("12 commentaires", 12),
        ("12 comentarios", 12),
        ("3 comentários", 3),
        ("12 commenti", 12),
        ("12 reacties", 12),
        ("5 komentarzy", 5),
        ("Kommentar: Warum die Steuer falsch ist", None),
        ("12 commentators said", None),
    ],
)
def test_comment_count_from_text(text: str, count: int | None) -> None:
    assert comment_count_from_text(text) == count


@pytest.mark.parametrize(
    ("value", "tags"),
    [
        ("Russia, Iran ,Diplomacy", ["Russia", "Iran", "Diplomacy"]),
        (["Russia", "russia", "Iran"], ["Russia", "Iran"]),
        ("Unfall Rettungswesen Berlin Teltow", ["Unfall", "Rettungswesen", "Berlin", "Teltow"]),
        ("Climate change", ["Climate change"]),
        ("Category: Travel, NLP Category: General, 26157981-b4f7-4929-adc1-e860c6f03636", ["Travel"]),
        ("Iran, 100312362, sport:football, source:tagname:cnbc us source, n, KI", ["Iran", "KI"]),
        ("Category:Travel", ["Travel"]),
        (None, []),
    ],
)
def test_split_keywords(value, tags) -> None:
    assert split_keywords(value) == tags


@pytest.mark.parametrize(
    ("tags", "names", "kept"),
    [
        (["CNBC", "Bitcoin"], ("CNBC", None, "www.cnbc.com"), ["Bitcoin"]),
        (["朝日新聞", "宮崎県"], ("朝日新聞デジタル", None, "www.asahi.com"), ["宮崎県"]),
        # a place inside the paper's name is still news there
        (["Berlin", "Unfall"], ("Berliner Morgenpost", None, "www.morgenpost.de"), ["Berlin", "Unfall"]),
        (["AI"], (None, None, "www.straitstimes.com"), ["AI"]),
        (["Wort"], (None, None, "www.wort.lu"), None),
    ],
)
def test_tags_naming_the_site_are_dropped(tags, names, kept) -> None:
    assert without_site_names(tags, names) == kept


@pytest.mark.parametrize(
    ("title", "site", "headline"),
    [
        ("Big News Today | teleSUR", "teleSUR", "Big News Today"),
        ("Big News Today in the Capital - The Daily Demo", None, "Big News Today in the Capital"),
        ("Left - Right: a debate about politics and more things", None, "Left - Right: a debate about politics and more things"),
    ],
)
def test_strip_site_suffix(title: str, site: str | None, headline: str) -> None:
    assert strip_site_suffix(title, site) == headline


@pytest.mark.parametrize(
    ("title", "site", "host", "headline"),
    [
        ("Ziele, Chancen, Risiken | DW | 28.04.2023", None, "www.dw.com", "Ziele, Chancen, Risiken"),
        ("Plot Twist in Idaho | The Gateway Pundit | by Cristina Laila", "The Gateway Pundit", None, "Plot Twist in Idaho"),
        ("Steigende US-Zinsen setzen Dax zu | Börsen-Zeitung", None, "www.boersen-zeitung.de", "Steigende US-Zinsen setzen Dax zu"),
        ("大激震！ビジネスモデル完全崩壊へ｜日刊ゲンダイDIGITAL", "日刊ゲンダイDIGITAL", None, "大激震！ビジネスモデル完全崩壊へ"),
        # a short last part that is not the site stays: it is part of the headline
        ("Protesters 'throw stones' in Plymouth as 3 cops injured - updates", "Mirror", "www.mirror.co.uk",
         "Protesters 'throw stones' in Plymouth as 3 cops injured - updates"),
        # the site's name first
        ("BBC News - Mayor resigns over budget", "BBC News", "www.bbc.co.uk", "Mayor resigns over budget"),
        ("The Daily Planet | Mayor resigns", None, "www.dailyplanet.com", "Mayor resigns"),
        # a first part with a word of the name is not the name
        ("News - Mayor resigns over budget", "BBC News", "www.bbc.co.uk", "News - Mayor resigns over budget"),
    ],
)
def test_strip_site_name_only_strips_the_site(title: str, site: str | None, host: str | None, headline: str) -> None:
    assert strip_site_name(title, site, host=host) == headline


@pytest.mark.parametrize(
    ("url", "normal"),
    [
        ("HTTP://Www.Ex.com:80/a?utm_source=x&b=2&a=1#frag", "http://www.ex.com/a?a=1&b=2"),
        ("https://ex.com:8443/?fbclid=1", "https://ex.com:8443/"),
        ("https://ex.com", "https://ex.com/"),
    ],
)
def test_normalize_url(url: str, normal: str) -> None:
    assert normalize_url(url) == normal


def test_article_id_is_stable_across_url_noise() -> None:
    assert article_id("https://ex.com/a?utm_medium=rss#x") == article_id("HTTPS://EX.COM/a")
    assert article_id("https://ex.com/a") != article_id("https://ex.com/b")


@pytest.mark.parametrize(
    ("host", "domain"),
    [("news.bbc.co.uk", "bbc.co.uk"), ("www.example.com", "example.com"), ("127.0.0.1", "127.0.0.1"), (None, None)],
)
def test_registered_domain(host: str | None, domain: str | None) -> None:
    assert registered_domain(host) == domain


@pytest.mark.parametrize(
    ("host", "private"),
    [
        ("127.0.0.1", True), ("localhost", True), ("10.1.2.3", True), ("169.254.169.254", True),
        ("[::1]", True), ("192.168.0.1", True), ("8.8.8.8", False), ("example.com", False),
    ],
)
def test_is_private_host(host: str, private: bool) -> None:
    assert is_private_host(host) is private


def test_in_domains_ignores_ports_and_accepts_subdomains() -> None:
    assert in_domains("http://127.0.0.1:8765/a", ["127.0.0.1"])
    assert in_domains("https://www.example.com/x", ["example.com"])
    assert not in_domains("https://notexample.com/x", ["example.com"])


@pytest.mark.parametrize(
    ("value", "parsed"),
    [
        ("text/html; charset=UTF-8", ("text/html", "utf-8")),
        ('text/html;charset="iso-8859-1"', ("text/html", "iso-8859-1")),
        ("application/xml", ("application/xml", None)),
        (None, (None, None)),
    ],
)
def test_parse_content_type(value: str | None, parsed: tuple) -> None:
    assert parse_content_type(value) == parsed


@pytest.mark.parametrize(
    ("name", "person"),
    [("Jane Doe", True), ("Ludwig van Beethoven", True), ("Themen bearbeiten", False), ("capital", False), ("APA", False), ("松岡大地", True),
     # a button's label is no name
     ("Watch Live", False), ("Read More", False), ("Jetzt Abonnieren", False)],
)
def test_looks_like_person(name: str, person: bool) -> None:
    from newscrawl.extract.authors import looks_like_person

    assert looks_like_person(name) is person


def test_split_caption_drops_gallery_counters() -> None:
    assert split_caption("1 of 3 | Snow ploughs wait. Photo: AP") == ("Snow ploughs wait.", "Photo: AP")
    assert split_caption("12/40: Crowds at the gate") == ("Crowds at the gate", None)


@pytest.mark.parametrize(
    ("url", "article"),
    [
        ("https://x.example/2022/01/19/russia-iran-meeting/", True),
        ("https://x.example/news/russia-iran-meeting-to-pledge-for-cooperation-20220119-0012.html", True),
        ("https://x.example/world/story/1234567", True),
        ("https://x.example/stories/central-bankers-warned-about-prices", True),
        ("https://x.example/news/russia/", False),
        ("https://x.example/tag/russia-iran-relations-and-more/", False),
        ("https://x.example/author/maria-delgado/", False),
        ("https://x.example/about.html", False),
        ("https://x.example/video/2022/01/19/clip-of-the-day-here", False),
    ],
)
def test_looks_like_article_url(url: str, article: bool) -> None:
    from newscrawl.urls import looks_like_article_url

    assert looks_like_article_url(url) is article


@pytest.mark.parametrize(
    ("markup", "count"),
    [
        ("<p>Story.</p><a href='#c'>12 comments</a>", 12),
        ("<p>Story.</p><span>COMMENTS (4)</span>", 4),  # only the upper-case spelling on the page
        ("<p>Story.</p><h2>Comments <span>(7)</span></h2>", 7),  # the count in a child element
        ("<p>Story.</p><script>var comments = 3;</script><p>No counter here.</p>", None),  # scripts are not text
        ("<p>Story about commentary.</p>", None),
        ("<p>Story.</p>", None),
        ("<p>Artikel.</p><a href='#c'>12 Kommentare</a>", 12),
        ("<p>Artículo.</p><span>12 comentarios</span>", 12),  # one m: found by its own spelling
        ("<p>Artikel.</p><a>8 reacties</a>", 8),
        # a widget of the site's popular posts gives each post's count, not this article's
        ("<p>Story.</p><div class='wpzoom-popular-news'><ul class='popular'><li><a>Other story</a><span class='comments'>19 comments</span></li></ul></div>", None),
        ("<p>Story.</p><aside class='related-posts'><span>5 comments</span></aside><a href='#c'>2 comments</a>", 2),
    ],
)
def test_comment_count_from_dom_reads_the_visible_counter(markup: str, count: int | None) -> None:
    doc = Document.from_bytes(f"<html><body><article>{markup}</article></body></html>".encode(), "https://news.example/a")
    assert comment_count_from_dom(doc) == count


@pytest.mark.parametrize(
    ("href", "prompt"),
    [
        ("/login?next=/a", True), ("https://x.example/sign-in", True), ("/abo/digital", True), ("/subscribe", True),
        ("/service/regist", True), ("/account/register/", True), ("/de/abonnement.html", True),
        ("/login-sso", True), ("https://abo.zeitung.example/abonnement-app", True), ("https://login.example.com/", True),
        ("/blog/logging-on-safely", False), ("/registered-voters", False), ("/politics/subscriber-numbers", False),
        ("/about", False), ("https://abortion-rights.example/news", False), ("/abolition-of-slavery", False),
    ],
)
def test_account_prompts_are_short_blocks_linking_to_log_in_register_or_subscribe(href: str, prompt: bool) -> None:
    block = etree.fromstring(f'<div><p>Members only. <a href="{href}">Continue</a></p></div>')
    assert is_account_prompt(block) is prompt
    long_block = etree.fromstring(f'<div><p>{"A long paragraph of the article. " * 20}<a href="{href}">link</a></p></div>')
    assert is_account_prompt(long_block) is False


@pytest.mark.parametrize(
    ("text", "furniture"),
    [
        ("Share Facebook Twitter Email", True),
        ("Tags: council, budget, rates", True),
        ("Freitag, 28.04.2023, 19:25", True),
        ("(Image: Anadolu via Getty Images)", True),
        ("Foto: dpa", True),
        ("(Quelle: APA/sda/dpa)", True),
        ("21:00Antony Clements-Thrower", True),
        ("9.15am Jane Doe", True),
        ("The image: a crowd outside the town hall at dawn, waiting for the vote.", False),
        ("21:00 was when the polls closed, and counting began at once.", False),
        ("10:30 meeting of the council", False),
        ("The council met on Tuesday and agreed the budget.", False),
        # where a paywall cuts the text
        ("Il vous reste 57.09% de cet article à lire. La suite est réservée aux abonnés.", True),
        ("You have read 80% of this article. The rest is for subscribers only.", True),
        ("Dieser Artikel ist nur für Abonnenten.", True),
        ("Inflation is still at 5% this year, the bank said.", False),
        ("Noch 5% Inflation erwartet die Bundesbank für das kommende Jahr.", False),
        ("Only 12% of the article's sources were named, the review found, and the rest anonymous.", False),
        # a call for readers' tips
        ("Are protests breaking out in your area? Get in touch at webnews@example.co.uk", True),
        ("Do you have a story to share? Email: tips@example.com", True),
        ("The council's office, reachable at info@city.example, did not answer questions on Monday.", False),
        ("Residents were told to get in touch with the council if their homes were damaged.", False),
        # datelines, alone or after a byline; a year alone makes no dateline
        ("Stand: 24.04.2024 22:58 Uhr", True),
        ("segunda-feira, 22 de janeiro de 2018 às 0:13", True),
        ("Von Anna Beispiel Veröffentlicht am 05.04.2024, 14:07 Uhr", True),
        ("By Jane Doe | March 3, 2024", True),
        ("By March 3, 2024, the company must repay the loan in full.", False),
        ("Hamburg-Marathon 2024 gestartet", False),
        ("The best heated clothes airers for 2023, at a glance", False),
        # copyright notices
        ("© The Financial Times Ltd. 2024", True),
        ("Copyright © 2023 The Washington Times, LLC.", True),
        ("Copyright law changed in 2019, the court said.", False),
        # reading times, alone or in the header line that carries them
        ("06. 01. 2026, 14:59 Uhr Lesedauer: 4 Minuten", True),
        ("5 min read", True),
        ("Temps de lecture : 3 min.", True),
        ("The vote took 5 minutes, and reading the results another ten.", False),
        ("Die Lesedauer der Akten betrug Wochen, sagte der Richter am Montag vor dem Landgericht.", False),
        # "read more" and "advertisement" labels in other languages
        ("Czytaj więcej", True),
        ("À lire aussi : Le Sénat adopte le budget", True),
        ("Publicité", True),
        ("Leer más libros ayuda a los niños a escribir mejor, dice el estudio publicado este lunes por la universidad.", False),
        # prompts to sign up for the newsletter or follow on social media; WordPress's "Filed under:"
        ("Get the latest updates right in your inbox. Subscribe to NJ.com’s newsletters.", True),
        ("Sign up for our free newsletter to get the day's headlines every morning.", True),
        ("Follow The New York Times Opinion section on Facebook, Twitter (@NYTopinion) and Instagram.", True),
        ("Mike Wall's book is out now. Follow him on Twitter @michaeldwall.", True),
        ("Filed under: Khawarij |", True),
        ("Police asked witnesses to follow the investigation on Facebook, where updates are posted daily.", False),
        ("Emails poured into the mayor's inbox after the vote, more than 3,000 in a single day, her office said.", False),
        # picture credits as their own line, a newsletter prompt naming the inbox
        ("Photo by Kirk Irwin/Getty Images", True),
        ("Al Goldis, Associated Press", True),
        ("Let our news meet your inbox. The news and stories that matters, delivered weekday mornings.", True),
        ("NOEL CELIS/AFP via Getty Images", True),
        ("Long Wei/Costfoto/Barcroft Media via Getty Images", True),
        ("The photo by the agency was shown to the court on Monday.", False),
        ("Prices rose 3/4 of a point, AP", False),
        ("Francesco Carta Fotografo | Moment | Getty Images", True),
        # a caption set as a paragraph, its credit in parentheses at its end; a share prompt
        ("The core stage of the first SLS after the installation of its four engines. (credit: NASA/Jude Guidry)", True),
        ("FBI Director Christopher Wray listens during a news conference. (AP Photo/Carolyn Kaster)", True),
        ("The minister spoke to the council (in Berlin) on Monday.", False),
        ("Like this story? Share it with a friend!", True),
        ("分享让更多人看到", True),  # "share it so more people see it"
        ("分享经济在中国快速发展。", False),  # "the sharing economy grows fast in China"
        # a reading time glued to the date, the date then the byline, a dateline with a note, a sign-up box's fine print
        ("Aktualisiert am 07.01.2026 - 18:50 UhrLesedauer: 4 Min.", True),
        ("Do 25.04.24 | 14:07 Uhr | Von Eva Kirchner-Rätsch", True),
        ("Von Anna Sleegers, Frankfurt", False),
        ("5 gennaio 2025 ( modifica il 6 gennaio 2025 | 15:24)", True),
        ("Sie können sich jederzeit wieder abmelden, wenn Sie das möchten.", True),
        ("Newsletter: Sport inside", True),
        # a teaser's meta line (writer, date, reading time), an agency credit
        ("Jonas Roth 13.12.2023 4 min", True),
        ("Mit Agenturmaterial.", True),
        ("Am 13.12.2023 lief der Zug 4 min zu spät in Zürich ein.", False),
        ("The newsletter: a short history of the form, from 1700 to today, as the exhibition shows it.", False),
        # the comment section's house rules, a magazine's subscription offer
        ("Note: we are temporarily moderating all comments submitted to deal with a surge in spam.", True),
        ("ATENÇÃO: Comentários com textos ininteligíveis ou que faltem com respeito ao usuário não serão aprovados pelo moderador.", True),
        ("YouTube said on Monday that comments on videos of children would be moderated by a new system.", False),
        ("Get Motor Cycle Monthly delivered through your letterbox every month. 12 issues for £11.99.", True),
        ("The magazine printed 12 issues for the first time in 1990.", False),
        ("Like this story, the film shares its ending with the book.", False),
        ("Sign up to our free breaking news emails", True),
        ("Residents can sign up for the council's flood alerts by text message, the mayor said.", False),
        ("Police warned: check your inbox for fake parcel emails before clicking any link.", False),
        # a control's label standing alone
        ("Caption", True),
        ("Close", True),
        ("comments", True),
        ("Back to top ↑", True),
        ("Close to the river, the new homes will flood.", False),
        # what stands where a script did not run
        ("This advertisement has not loaded yet, but your article continues below.", True),
        ("Story continues below advertisement", True),
        ("This slideshow requires JavaScript.", True),
        ("Aktuelle Zeit:0:00Gesamtdauer:0:00", True),
        ("[button link=”http://example.com/submit/” type=”big”] Send us YOUR kit review[/button]", True),
        # consent placeholders of external content (an embedded post or chart the reader's settings block)
        ("Externer Inhalt nicht verfügbar", True),
        ("Deine Privatsphäre-Einstellungen verhindern das Laden und Anzeigen aller externen Inhalte (z.B. Grafiken, Tabellen).", True),
        ("Your privacy settings prevent the display of this content.", True),
        ("Privacy settings block the loading of trackers, the company said in a statement on its website.", False),
        ("Externe Inhalte machen ein Drittel des Angebots aus, sagte der Verleger am Montag.", False),
        ("The story continues to unfold as rescuers reach the village, officials said on Monday.", False),
        ("Trucks failed to load the grain before the port closed, the ministry said.", False),
        # reporting credits under the text
        ("(Reporting by Greg Roumeliotis and Joshua Franklin; Editing by Martin Howell)", True),
        ("Keith Bradsher contributed reporting from Hong Kong.", True),
        ("Additional reporting by Joseph Hudak", True),
        ("The reporting by local papers was praised by the committee in its final report.", False),
        # appeals to support the site, a classic WordPress theme's post footer
        ("Hat Ihnen dieser Artikel gefallen? Dann unterstützen Sie uns bitte mit einer Spende, oder werden Sie Mitglied.", True),
        ("Independent journalism costs money. Support us today and become a member for as little as $5 a month.", True),
        ("Soutenez-nous : faites un don à la rédaction.", True),
        ("This entry was posted on Monday and is filed under News. You can follow any responses to this entry through the RSS 2.0 feed.", True),
        ("Von israel news am 21/02/2021. Abgelegt unter Israel. Sie können alle Antworten zu diesem Eintrag durch den RSS 2.0 Feed verfolgen.", True),
        ("'Please support us,' the shelter's director said, 'every donation counts this winter.'", False),
        ("The club's supporters gave donations worth 40,000 pounds to the hospital, the chairman said.", False),
        ("The mayor asked voters to support the plan, which needs 300 new members of staff.", False),
    ],
)
def test_furniture_lines(text: str, furniture: bool) -> None:
    assert is_furniture_text(text) is furniture


HEADLINE = "DDR hotel opens as a theatre once more"


@pytest.mark.parametrize(
    ("kind", "text", "dropped"),
    [
        ("h3", "DDR Hotel opens as a theatre once more", True),
        ("h2", "Premiere in Eisenstadt - DDR hotel opens as a theatre once more", True),
        ("p", "“DDR hotel opens as a theatre once more”", True),
        # a paragraph ending with the headline is a wire dateline the body starts with
        ("p", "Xinhua, Beijing, April 24. Title: DDR hotel opens as a theatre once more", False),
        # a heading with far more before the headline is not a kicker
        ("h2", "A long introduction that talks about many other things first and at length: DDR hotel opens as a theatre once more", False),
        ("h3", "Tickets only at the box office", False),
    ],
)
def test_headline_repeated_as_the_first_body_block_is_dropped(kind: str, text: str, dropped: bool) -> None:
    second = Block(kind="p", text=HEADLINE, html="")  # only the first block is judged
    result = BodyResult(container=None, blocks=[Block(kind=kind, text=text, html=""), second])
    drop_repeated_headline(result, HEADLINE, headline_key)
    assert [b.text for b in result.blocks] == ([HEADLINE] if dropped else [text, HEADLINE])


@pytest.mark.parametrize(
    ("names", "boilerplate"),
    [
        ("related-links", True), ("RelatedContent-relatedContent", True), ("newsletterSignup box", True),
        ("socialShare", True), ("embeddedMediaCaption medium", True), ("adSlot adRect", True),
        ("rail rail--trending", True), ("latest-news-box", True), ("most-read", True), ("popular-posts", True),
        ("railway-news", False), ("story-trends", False),
        ("ArticleBody-articleBody", False), ("articleText", False), ("storyContent", False),
        ("Relatedness", False), ("shareholderNews", False), ("InlineImage-wrapper", False),
    ],
)
def test_boilerplate_class_names_also_in_camel_case(names: str, boilerplate: bool) -> None:
    doc = Document.from_bytes(f'<html><body><div class="{names}"><p>Text.</p></div></body></html>'.encode(), "https://x.example/a")
    assert is_boilerplate(doc, next(doc.tree.iter("div"))) is boilerplate


_STORY = "<p>" + "The council met on Monday to vote on the harbour budget for next year. " * 12 + "</p>"


def _harbour_article(*, before: str = "", header: str = "", lead: str = "", inside: str = "", after: str = "") -> Article:
    """The article of a page whose markup names nothing: ``before`` the article's column, in
    its ``header`` (between the headline and the body), at the body's start (``lead``), in the
    middle of it (``inside``, between two stories) and ``after`` the body in the column."""
    second = _STORY.replace("harbour", "port") if inside else ""
    page = (
        f"<html><body>{before}<div class='x0'><h1>Harbour budget approved</h1>{header}"
        f"<div class='x9'>{lead}{_STORY}{inside}{second}</div>{after}</div></body></html>"
    )
    return extract_page(page.encode(), "https://x.example/news/harbour.html").article


@pytest.mark.parametrize(
    ("link", "kept"),
    [
        ("<a href='/politics/harbour-vote-explained.html'>How the harbour board voted, explained</a>", True),
        ("<a href='/?p=36843'>Solar firm to boost clean energy uptake</a>", True),  # WordPress's short link is an article
        # not another article: a call to action, the site's home page
        ("<a href='/apps-products?pid=AppArticleLink'>CLICK HERE TO GET THE FOX NEWS APP</a>", False),
        ("<a href='/thema/fuechse/'>Mehr über die Füchse Berlin lesen Sie hier.</a>", False),
        ("<a href='https://www.foxbusiness.com/'>READ MORE ON FOX BUSINESS BY CLICKING HERE</a>", False),
        ("<a href='https://x.example/'>Back to the Harbour Times front page</a>", False),
        # another site's article is one
        ("<a href='https://www.bbc.co.uk/news/world-11047811'>Profile: the harbour board's new chairman</a>", True),
        # a link the site is paid for: an affiliate network's click address, a shop's product page
        ("<a href='https://track.webgains.com/click.html?wgcampaignid=1400705&wgtarget=https://www.lego.com/de-de/themes'>"
         "Zu den Star-Wars-Angeboten von Lego</a>", False),
        ("<a href='https://www.amazon.de/Elektromobilit%C3%A4t-Grundlagen-Praxis/dp/3446468609?tag=x-21'>"
         "Reklame Hier geht es zu Elektromobilität: Grundlagen und Praxis</a>", False),
        ("<a href='https://www.awin1.com/cread.php?awinmid=1&p=https%3A%2F%2Fshop.example%2F'>Harbour boots in the sale today</a>", False),
        ("<a href='https://www.amazon.co.uk/b?node=123'>Amazon's harbour books section page</a>", True),  # no product page
    ],
)
def test_related_links_lead_to_other_articles(link: str, kept: bool) -> None:
    text = re.sub(r"<[^>]+>", "", link)
    article = _harbour_article(inside=f"<p>{link}</p>")
    assert any(l.text == text for l in article.related_links or []) is kept


def test_addresses_that_do_not_parse_cost_no_section_and_no_related_link() -> None:
    """urlsplit raises on "http://[broken/": the section and related links are still found."""
    page = (
        "<html><head><title>T</title></head><body><nav class='breadcrumbs'><a href='http://[broken/'>Home</a>"
        f"<a href='http://[::1x/politics/'>Politics</a></nav><article><h1>Harbour budget approved</h1>{_TRAIL_BODY}"
        "<p><a href='http://[oops/'>Read the related story about the harbour board today</a></p></article></body></html>"
    )
    article = extract_page(page.encode(), "https://x.example/a.html").article
    assert article.section == "Politics" and [l.url for l in article.related_links or []] == ["http://[oops/"]
    assert not article.extraction_errors


@pytest.mark.parametrize(
    ("wrapper", "after", "authors"),
    [
        # a reader's comment names a commenter, not a writer; a menu of the site's columnists names none
        ("div", "<ol class='comment-list'><li class='comment'><div class='comment-author vcard'><cite class='author-name'>Paul Coker</cite></div>"
         "<p>I have lived by this harbour for years.</p></li></ol>", None),
        ("div", "<ul class='sub-menu'><li class='menu-item menu-item-object-guest-author'><a href='/author/ian-birrell'>Ian Birrell</a></li></ul>", None),
        # ... but a page that allows comments, or a byline in the article's own sidebar, still has its writer
        ("div class='article none comments-enabled'", "<div class='article-header-sidebar'><div class='author'><a class='author__name' "
         "href='/people/jane-doe'>Jane Doe</a></div></div>", ["Jane Doe"]),
    ],
)
def test_commenters_and_menus_name_no_writer(wrapper: str, after: str, authors: list[str] | None) -> None:
    page = f"<html><body><{wrapper}><h1>Harbour budget approved</h1><div class='x3'>{_STORY}</div>{after}</div></body></html>"
    article = extract_page(page.encode(), "https://x.example/news/harbour.html").article
    assert ([a.name for a in article.authors] if article.authors else None) == authors


@pytest.mark.parametrize(
    ("last", "kept"),
    [
        # the writer introduced at the body's end: a bio
        ("<p>Jane Doe is a politics reporter for The Harbour Times.</p>", False),
        ("<p>Jane Doe is a national affairs correspondent. She has written a dozen books on the sea and its ports.</p>", False),
        # a sentence of the story that starts with the writer's name, in the middle, stays; so does another person's
        ("<p>John Roe is the harbour master and has run the port since 2019, he told the council.</p>", True),
    ],
)
def test_an_authors_bio_at_the_bodys_end_is_no_body_text(last: str, kept: bool) -> None:
    byline = "<p class='x1'>By Jane Doe</p>"
    page = (f"<html><body><div class='x0'><h1>Harbour budget approved</h1>{byline}<div class='x9'>{_STORY}{last}</div></div></body></html>")
    article = extract_page(page.encode(), "https://x.example/news/harbour.html").article
    assert [a.name for a in article.authors or []] == ["Jane Doe"]
    assert (last[3:20] in (article.body or "")) is kept and "council met" in (article.body or "")


@pytest.mark.parametrize(
    ("credit", "authors"),
    [
        ("<div class='edit'>(责编：牛镛、岳弘彬)</div>", ["牛镛", "岳弘彬"]),
        ("<p>记者：李明</p><div>(责编：牛镛)</div>", ["李明"]),  # the writer before the editor in charge
        ("<p>新华社北京4月24日电</p>", None),  # a dateline names nobody
    ],
)
def test_a_chinese_credit_line_names_the_people(credit: str, authors: list[str] | None) -> None:
    text = "<p>" + "促进航天技术更好惠及人民，中拉深化航天合作。" * 10 + "</p>"
    page = f"<html lang='zh'><body><div class='x0'><h1>促进航天技术更好惠及人民</h1><div class='x9'>{text}{credit}</div></div></body></html>"
    article = extract_page(page.encode(), "http://world.people.com.cn/n1/2024/0424/c1002-40222222.html").article
    assert ([a.name for a in article.authors] if article.authors else None) == authors


def test_a_pictures_author_is_not_the_articles() -> None:
    """NZZ names the photographer "image-description__author" in the figure's caption."""
    figure = ("<figure><img src='/p.jpg'><figcaption><h2>Protest in Bnei Brak.</h2><div class='image-description__author'>"
              "<span class='image-description__author-single'>Ammar Awad / Reuters</span></div></figcaption></figure>")
    article = _harbour_article(header=figure)
    assert not article.authors and article.main_image and article.main_image.credit == "Ammar Awad / Reuters"


@pytest.mark.parametrize(
    ("header", "authors"),
    [
        # class names that say nothing (CSS modules): the byline by its words
        ('<div class="x1a"><span>Von</span> <span class="x2b">Eva Kirchner-Rätsch</span></div>', ["Eva Kirchner-Rätsch"]),
        ('<div class="x1a">Do 25.04.24 | 14:07 Uhr | Von <span>Eva Muster</span></div>', ["Eva Muster"]),
        ('<p class="x1a">By Jane Doe and John Roe</p>', ["Jane Doe", "John Roe"]),
        ('<ul class="x1a"><li><span>von</span> <span class="x2b">Jemima Kelly</span></li></ul>', ["Jemima Kelly"]),
        # a standfirst is not a byline, nor is "by" before words that are no names
        ('<p class="x1a">By the end of the year, the harbour will have a new master.</p>', None),
        ('<div class="x1a">Von Berlin aus fahren die Fähren</div>', None),
    ],
)
def test_byline_by_its_words_in_the_article_header(header: str, authors: list[str] | None) -> None:
    page = f"<html><body><div class='x0'><h1>Harbour budget approved</h1>{header}<div class='x3'>{_STORY}</div></div></body></html>"
    article = extract_page(page.encode(), "https://x.example/news/harbour.html").article
    assert ([a.name for a in article.authors] if article.authors else None) == authors


def test_byline_line_after_a_headline_set_as_h3_gives_date_and_writer() -> None:
    page = (
        "<html><head><title>DDR-Hotel Lunik öffnet als Theater | rbb24</title></head>"
        "<body><article><h3><span>Premiere in Eisenhüttenstadt</span> - <span>DDR-Hotel Lunik öffnet als Theater</span></h3>"
        "<div class='x1'><div class='x2'>Do 25.04.24 | 14:07 Uhr | Von <span>Eva Muster</span></div></div>"
        f"<div class='x3'>{_STORY}</div></article></body></html>"
    )
    article = extract_page(page.encode(), "https://x.example/kultur/lunik.html").article
    assert [a.name for a in article.authors or []] == ["Eva Muster"]
    assert (article.date_published, article.date_published_raw) == (datetime(2024, 4, 25, 14, 7, tzinfo=timezone.utc), "Do 25.04.24 14:07 Uhr")


@pytest.mark.parametrize(
    ("metas", "authors"),
    [
        # Yoast SEO's Twitter card; the author <meta> is an e-mail address
        ('<meta name="author" content="a.sleegers@example.de"><meta name="twitter:label1" content="Written by">'
         '<meta name="twitter:data1" content="Anna Sleegers"><meta name="twitter:label2" content="Est. reading time">'
         '<meta name="twitter:data2" content="4 Minuten">', ["Anna Sleegers"]),
        ('<meta name="twitter:label1" content="Verfasst von"><meta name="twitter:data1" content="Anna Sleegers">', ["Anna Sleegers"]),
        ('<meta name="twitter:misc:Written by" content="Dieter Kuckelkorn">', ["Dieter Kuckelkorn"]),
        # another label's value is no writer
        ('<meta name="twitter:label1" content="Est. reading time"><meta name="twitter:data1" content="4 Minuten">', None),
    ],
)
def test_writer_in_the_twitter_card(metas: str, authors: list[str] | None) -> None:
    page = f"<html><head>{metas}</head><body><div><h1>Harbour budget approved</h1>{_STORY}</div></body></html>"
    article = extract_page(page.encode(), "https://x.example/news/harbour.html").article
    assert ([a.name for a in article.authors] if article.authors else None) == authors


@pytest.mark.parametrize("path", ["/reporter/matsuokadaichi/", "/reporters/jane-doe", "/columnists/jane-doe/"])
def test_writer_linked_to_a_reporters_page(path: str) -> None:
    page = f"<html><body><div><h1>Harbour budget approved</h1><div><a href='{path}'>Jane Doe</a></div>{_STORY}</div></body></html>"
    article = extract_page(page.encode(), "https://x.example/news/harbour.html").article
    assert [(a.name, a.url) for a in article.authors or []] == [("Jane Doe", "https://x.example" + path)]


@pytest.mark.parametrize(
    ("header", "day"),
    [
        ('<div class="x1a"><span>Freitag, 28.04.2023, 19:25 Uhr</span></div>', "2023-04-28"),
        ('<div class="x1a">Jane Doe · 3 March 2024</div>', "2024-03-03"),
        # an update's date is not the publication's; a date in a link is a teaser's
        ('<div class="x1a">Updated 20:49, 5 Aug 2024</div>', None),
        ('<div class="x1a">Aktualisiert am 05.08.2024</div><p class="x2b">Published 4 Aug 2024</p>', "2024-08-04"),
        ('<div class="x1a"><a href="/other">Older story, 2 March 2021</a></div>', None),
    ],
)
def test_date_in_the_article_header_whatever_its_markup_is_named(header: str, day: str | None) -> None:
    page = f"<html><body><div class='x0'><h1>Harbour budget approved</h1>{header}<div class='x3'>{_STORY}</div></div></body></html>"
    article = extract_page(page.encode(), "https://x.example/news/harbour.html").article
    assert (article.date_published.date().isoformat() if article.date_published else None) == day


@pytest.mark.parametrize(
    ("script", "dates"),
    [
        ('var utag_data = {"page_type" : "Article", "publication_date" : "2024-09-03 00:03:19"};', ["2024-09-03 00:03:19"]),
        ('window.__STATE__={"dateModified":"2026-01-07T18:50:24.595+01:00","datePublished":"2026-01-07T18:34:29.712+01:00"}',
         ["2026-01-07T18:34:29.712+01:00"]),
        ("dataLayer.push({'date_published': '2025-10-25T12:10:35', 'date_modified': '2025-10-25T15:26:09'});", ["2025-10-25T12:10:35"]),
        # the most specific key first, whatever the page order; "İ" lower-cases to two characters
        ('x = {"pubdate": "2024-01-02", "İstanbul": 1, "publishedAt": "2024-01-01T08:00:00Z"}', ["2024-01-01T08:00:00Z", "2024-01-02"]),
        # no date under the key, another key: nothing
        ('x = {"datePublished": "yesterday", "lastUpdate": "2026-01-07"}', []),
    ],
)
def test_data_layer_dates(script: str, dates: list[str]) -> None:
    assert list(data_layer_dates(f"<html><head><script>{script}</script></head><body></body></html>")) == dates


@pytest.mark.parametrize(
    ("before", "header", "day"),
    [
        # WordPress names a post's only date "entry-date published updated": it is the publication's
        ("", '<time class="entry-date published updated" datetime="2025-11-21T15:34:26+02:00">November 21, 2025</time>', "2025-11-21"),
        # today's date in the site's top bar (a <nav>, or a bar named as a menu) is not the article's
        ('<nav><div class="topbar-today-date">Tuesday, November 25 2025</div></nav>', '<span class="date">November 6, 2025</span>', "2025-11-06"),
        ('<div class="td-header-top-menu"><div class="td_data_time">Friday, April 28, 2023</div></div>', "", None),
        ('<div class="td-header-top-menu"><time datetime="2023-04-28">Friday, April 28, 2023</time></div>', "", None),
        # ... but a layout wrapper named "sidebar-enabled" holds the article and its date
        ("", '<div class="cs-sidebar-enabled"><span class="post-date">April 24, 2019</span></div>', "2019-04-24"),
        # a note in parentheses after the date
        ("", '<div class="article-date">2025/1/14 21:17（最終更新 1/14 21:17）</div>', "2025-01-14"),
        ("", '<span class="date">05.01.2025, 03:56 (Lesezeit 4 Minuten)</span>', "2025-01-05"),
    ],
)
def test_publication_date_shown_on_the_page_without_structured_data(before: str, header: str, day: str | None) -> None:
    article = _harbour_article(before=before, header=header)
    assert (article.date_published.date().isoformat() if article.date_published else None) == day


def test_publication_date_from_a_data_layer_when_the_page_has_no_structured_date() -> None:
    page = (
        "<html><head><script>var utag_data = {\"publication_date\" : \"2024-09-03 00:03:19\"};</script></head>"
        f"<body><div><h1>Harbour budget approved</h1>{_STORY}</div></body></html>"
    )
    article = extract_page(page.encode(), "https://x.example/news/harbour.html").article
    assert (article.date_published, article.field_sources["date_published"]) == (datetime(2024, 9, 3, 0, 3, 19, tzinfo=timezone.utc), "script")
    marked = page.replace("<head>", '<head><meta property="article:published_time" content="2024-09-02T22:00:00Z">')
    assert extract_page(marked.encode(), "https://x.example/news/harbour.html").article.date_published == datetime(2024, 9, 2, 22, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("after", "tags"),
    [
        ('<h2 class="x1">Ähnliche Themen</h2><aside class="x2"><a href="/de/long-covid/t-1" class="x3">Long COVID</a>'
         '<a href="/de/coronavirus/t-2" class="x3">Coronavirus</a></aside>', ["Long COVID", "Coronavirus"]),
        ('<p class="x1"><strong>Tags:</strong> <a href="/x/harbour">Harbour</a>, <a href="/x/council">Council</a></p>', ["Harbour", "Council"]),
        # a label wrapped in elements of its own, the links after the wrapper ("read more about")
        ('<section class="x4"><div class="x5"><div class="x6"><h4 class="x7"> Mehr lesen über </h4></div></div>'
         '<ul><li><a href="/politik/hafen/">Hafen</a></li><li><a href="/politik/senat/">Senat</a></li></ul></section>', ["Hafen", "Senat"]),
        ('<div><div><h3>More about</h3></div><div><a href="/t/harbour">Harbour</a> <a href="/t/council">Council</a></div></div>', ["Harbour", "Council"]),
        # a wrapper that holds more than the label is not climbed past
        ('<div><p>Tags</p><h4>Tags</h4></div><ul><li><a href="/t/harbour">Harbour</a></li></ul>', None),
        # the site's topic menu, and teasers under a "Topics" heading, are no tags
        ('<nav><h3>Themen</h3><a href="/politik">Politik</a> <a href="/sport">Sport</a></nav>', None),
        ('<h3>Topics</h3><div><a href="/a/1">Council approves the harbour budget for the next two years after a long debate</a></div>', None),
    ],
)
def test_tags_after_their_label_whatever_the_markup_is_named(after: str, tags: list[str] | None) -> None:
    assert _harbour_article(after=after).tags == tags


@pytest.mark.parametrize(
    ("widget", "caption", "credit", "in_body"),
    [
        # one picture and a short text beside it, whatever the markup is named: a caption
        ('<div class="x5"><span><picture><img src="/q.jpg"></picture></span><p><span>Pictured: the harbour master at the new quay.</span></p></div>',
         "Pictured: the harbour master at the new quay.", None, False),
        ('<div class="x5"><div><picture><img src="/q.jpg"></picture></div><div><div><p><span>The new quay on Monday. </span>'
         '<span>(AP Photo/Jane Doe)</span></p></div></div></div>', "The new quay on Monday.", "AP Photo/Jane Doe", False),
        ('<div class="x5"><div><a href="/photos/1"><img src="/q.jpg"></a></div><span>Der neue Kai am Montag (Foto: Jane Doe)</span></div>',
         "Der neue Kai am Montag", "Foto: Jane Doe", False),
        # a paragraph with an inline picture, a text with a heading, two pictures: text of the body
        ('<div class="x5"><p>The harbour master <img src="/icon.png"> spoke to the board on Monday.</p></div>', None, None, True),
        ('<div class="x5"><img src="/q.jpg"><h3>The harbour master</h3><p>The harbour master spoke to the board on Monday.</p></div>', None, None, True),
        ('<div class="x5"><img src="/q.jpg"><img src="/r.jpg"><p>The harbour master spoke to the board on Monday.</p></div>', None, None, True),
        # set inline between the paragraphs: a <span> of a picture and its caption
        ('<span class="x6"><span><img src="/q.jpg"></span><span><span>© Jane Doe</span> The new quay on Monday.</span></span>',
         "The new quay on Monday.", "© Jane Doe", False),
    ],
)
def test_a_caption_beside_its_picture_whatever_the_markup_is_named(widget: str, caption: str | None, credit: str | None, in_body: bool) -> None:
    article = _harbour_article(inside=widget)
    body = article.body or ""
    assert any(word in body for word in ("quay", "Kai", "spoke to the board")) is in_body
    if not in_body:
        assert [(i.caption, i.credit) for i in article.images if i.url == "https://x.example/q.jpg"] == [(caption, credit)]


@pytest.mark.parametrize(
    ("items", "kept"),
    [
        # a share bar laid out as a list: its buttons' words, most of the items
        (["Kommentare", "E-Mail", "Teilen", "Mehr", "Twitter", "Drucken", "Feedback", "Fehler melden"], False),
        (["Share", "Facebook", "Email", "Print"], False),
        # a list of the article's own: kept
        (["Apples", "Pears", "More rain", "Share prices"], True),
        (["Twitter", "Facebook", "Instagram and TikTok, where the campaign ran for six weeks", "Television"], True),
    ],
)
def test_a_share_bar_laid_out_as_a_list_is_not_body_text(items: list[str], kept: bool) -> None:
    bar = "<ul>" + "".join(f"<li><span>{item}</span></li>" for item in items) + "</ul>"
    body = _harbour_article(lead=bar).body or ""
    assert (items[2] in body) is kept


@pytest.mark.parametrize(
    ("header", "authors"),
    [
        # a byline that is only the writer's name, whatever its markup is named
        ("<div class='x3'><span class='x4'>Duncan Walker</span></div>", ["Duncan Walker"]),
        ("<div class='x3'><span>Birgit Baumann</span> <span>Anna Giulia Fink</span></div>", ["Birgit Baumann", "Anna Giulia Fink"]),
        ("<div class='x3'>Fouzia Van Der Fort<span> | </span><span>Published 4 months ago</span></div>", ["Fouzia Van Der Fort"]),
        ("<div class='x3'><span><strong>Steffan Rhys</strong> Deputy News Editor</span></div>", ["Steffan Rhys"]),
        # not a topic chip, a dateline's place, a caption, a name in bold in the standfirst, a label
        ("<div class='x3'><a href='/thema/giorgia-meloni'>Giorgia Meloni</a></div>", None),
        ("<div class='x3'><span><strong>New Delhi</strong></span>, News Bureau | Updated</div>", None),
        ("<div class='x3'><img src='/k.jpg'><div>Kyle Busch</div></div>", None),
        ("<p class='x3'>Der <strong>FC Liverpool</strong> hat in der Premier League das Derby beim FC Everton verloren"
         " und muss im Titelrennen weiter zittern, sagte der Trainer.</p>", None),
        ("<p class='x3'><strong>Portion Fix Containers:</strong> 1 Green, 1 Red</p>", None),
    ],
)
def test_a_byline_that_is_only_a_name(header: str, authors: list[str] | None) -> None:
    article = _harbour_article(header=header)
    assert ([a.name for a in article.authors] if article.authors else None) == authors


def test_a_writers_box_in_an_aside_inside_the_article_names_its_writer() -> None:
    sidebar = "<aside><p>Most read: by <a href='/autor/max-muster/'>Max Muster</a></p></aside>"
    box = "<aside><span>Von <a href='/autor/sina-zehrfeld-szf/'>Sina Zehrfeld</a></span> <span>Korrespondentin</span></aside>"
    page = f"<html><body>{sidebar}<article><h1>Harbour budget approved</h1><div>{_STORY}</div>{box}</article></body></html>"
    article = extract_page(page.encode(), "https://x.example/news/harbour.html").article
    assert [a.name for a in article.authors or []] == ["Sina Zehrfeld"]
    alone = page.replace(box, "")  # the sidebar's writer is another article's
    assert extract_page(alone.encode(), "https://x.example/news/harbour.html").article.authors is None


@pytest.mark.parametrize(
    ("above", "below", "tags"),
    [
        # the site's topic bar above the headline is no tag list, whether named as one or linking topic pages
        ("<ul class='header-featured-topics'><li><a href='/hub/met-gala'>Met Gala</a></li><li><a href='/hub/nfl-draft'>NFL draft</a></li></ul>",
         "<ul class='tags'><li><a href='/hub/harbour'>Harbour</a></li></ul>", ["Harbour"]),
        ("<div><a href='/thema/met-gala'>Met Gala</a> <a href='/thema/nfl'>NFL</a></div>", "", None),
        ("<div><a href='/thema/met-gala'>Met Gala</a></div>", "<div><a href='/thema/hafen'>Hafen</a></div>", ["Hafen"]),
        # a # set apart as an icon is not part of the tag; a hashtag's is
        ("", "<ul class='tags'><li><a href='/t/1'># Jėzus Kristus</a></li><li><a href='/t/2'>#Brexit</a></li></ul>", ["Jėzus Kristus", "#Brexit"]),
    ],
)
def test_tags_are_the_articles_not_the_sites_topic_bar(above: str, below: str, tags: list[str] | None) -> None:
    assert _harbour_article(before=above, after=below).tags == tags


_RAIL_ITEMS = "".join(
    f"<div><a href='/news/{n}'><img src='/i/{n}.jpg'></a><h3>KICKER {n}</h3><span>Teaser number {n} in a few words</span>"
    f"<a href='/news/{n}'></a></div>"
    for n in range(4)
)


@pytest.mark.parametrize(
    ("box", "kept"),
    [
        # a box of teasers inside the body under a heading that names one, whatever it is named
        (f"<div class='x5'><h3>Most read in world news</h3>{_RAIL_ITEMS}</div>", False),
        (f"<section class='x5'><h2>Lesen Sie auch</h2>{_RAIL_ITEMS}</section>", False),
        (f"<section class='x5'><div><h2>Popular</h2><span>Swipe →</span></div>{_RAIL_ITEMS}</section>", False),
        (f"<section class='x5'><h2>Popular culture in Kiel</h2>{_RAIL_ITEMS}</section>", True),  # a heading that says more
        # a section of the article under such a heading, with running text: kept
        ("<div class='x5'><h3>Related costs</h3><p>" + "The harbour master's office will also need a new boat, <a href='/a'>staff</a> "
         "and <a href='/b'>a crane</a> for the quay, which the board did not discuss on Monday. " * 3 + "</p></div>", True),
        # teasers under another heading: the walk's own rules apply
        ("<div class='x5'><h3>What the fishermen say</h3><p>Teaser number 1 in a few words, said Tom Harbour.</p></div>", True),
    ],
)
def test_a_box_of_teasers_inside_the_body(box: str, kept: bool) -> None:
    body = _harbour_article(inside=box).body or ""
    assert ("Teaser number 1" in body or "new boat" in body) is kept
    assert "budget for next year" in body and "port budget" in body


@pytest.mark.parametrize(
    ("after_heading", "kept"),
    [
        # a recirculation heading over one teaser (a picture and a link to another article) goes
        ("<div><div><img src='/t.jpg'></div><a href='/news/9'><span>Meinung</span><strong>Another article's title here</strong></a></div>", False),
        # over the article's own paragraph it stays
        ("<p>" + "The board will also discuss the ferry timetable and the new quay lights in May. " * 2 + "</p>", True),
    ],
)
def test_a_recirculation_heading_over_a_teaser(after_heading: str, kept: bool) -> None:
    body = _harbour_article(inside=f"<h4>Auch interessant</h4>{after_heading}").body or ""
    assert ("Auch interessant" in body) is kept


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        # names auto-linked in a list line: a region page, then topic pages, with text between them
        ("<p><a href='/area/saga/'>Saga</a>: <a href='/topics/word/kanzaki.html'>Kanzaki</a>, "
         "<a href='/topics/word/shiroishi.html'>Shiroishi</a></p>", True),
        # a row of links with nothing between them, half of them topics: no sentence
        ("<p><a href='/health/'>Health</a> <a href='/tag/marijuana/'>Marijuana</a> <a href='/news/'>News</a> "
         "<a href='/tag/cannabis/'>Cannabis</a></p>", False),
        # links to articles with a word between them: not names
        ("<p><a href='/news/1'>Harbour budget approved after a long debate</a> and <a href='/news/2'>Quay lights to be replaced</a></p>", False),
    ],
)
def test_names_auto_linked_to_topic_pages_are_body_text(line: str, kept: bool) -> None:
    body = _harbour_article(inside=line).body or ""
    assert any(word in body for word in ("Kanzaki", "Marijuana", "Quay lights")) is kept


def test_tailwind_variant_classes_name_styles_not_parts() -> None:
    """"print:article-dropcap-print" styles the first paragraph for printing: no print button."""
    first = ("<div class='my-6 print:article-dropcap-print'><p>The first paragraph of the story, with its drop cap, "
             "tells how the harbour board met on Monday.</p></div>")
    body = _harbour_article(lead=first).body or ""
    assert "drop cap" in body
    assert "Print this page" not in (_harbour_article(lead="<div class='print-button'><p>Print this page and share it with friends</p></div>").body or "")


def test_short_lines_said_again_are_the_texts_structure_long_ones_are_copies() -> None:
    plan = "".join(f"<h3>Meal {n}</h3><p><em>Eat every 2–3 hours</em></p><p>Recipe number {n}: oats, berries and a spoon of honey.</p>" for n in range(3))
    copy = "<p>" + "The harbour board will publish the full budget on its website before the next meeting. " * 2 + "</p>"
    body = _harbour_article(inside=plan + copy + copy).body or ""
    assert body.count("Eat every 2–3 hours") == 3 and body.count("publish the full budget") == 2  # one paragraph, said twice in it


_CALL = "<p>Click here to get more information about the harbour budget or download it.</p>"
_MEAL = "<p>Portion containers: one green, one red, one yellow and a teaspoon of oil.</p>"
_SNACK = "<p>Drink a glass of water within thirty minutes after your morning workout.</p>"
_PLAN = "".join(f"<h3>Day {n}</h3>{_MEAL}<p>Lunch on day {n}: grilled fish with rice and a green salad.</p>{_SNACK}" for n in range(1, 5))
_PASSAGE = "".join(f"<p>Paragraph {n} of the harbour story, said once more by a second layout of the page.</p>" for n in range(3))


@pytest.mark.parametrize(
    ("inside", "counts"),
    [
        # a layout's copies: a call to action before and after the text, a paragraph said twice in a row
        (_CALL + _STORY.replace("harbour", "quay") + _CALL, {_CALL: 1}),
        (_MEAL + _MEAL, {_MEAL: 1}),
        # a text whose lines come back again and again, scattered: a meal plan's days
        (_PLAN, {_MEAL: 4, _SNACK: 4}),
        # ... but a passage said again in order is still a copy, in such a text too
        (_PASSAGE + _PASSAGE, {_PASSAGE: 1}),
        (_PLAN + _PASSAGE + _PASSAGE, {_MEAL: 4, _SNACK: 4, _PASSAGE: 1}),
    ],
)
def test_blocks_said_again_are_copies_unless_the_text_repeats_them_by_its_structure(inside: str, counts: dict[str, int]) -> None:
    body = _harbour_article(inside=inside).body or ""
    for block, count in counts.items():
        paragraphs = re.findall(r"<p>(.*?)</p>", block)
        assert [body.count(p) for p in paragraphs] == [count] * len(paragraphs), block


@pytest.mark.parametrize(
    ("h1", "headline"),
    [
        # a coloured kicker ending with a colon, the headline right after it: read with a space
        ("<span style='color:#FF554B'>Harbour police catch two thieves:</span>Jewels found within two days",
         "Harbour police catch two thieves: Jewels found within two days"),
        ("<span>Harbour:</span> Budget approved", "Harbour: Budget approved"),
        ("AWS re:Invent comes to the harbour", "AWS re:Invent comes to the harbour"),  # a colon inside a word stays
    ],
)
def test_a_kicker_glued_to_its_headline(h1: str, headline: str) -> None:
    page = f"<html><body><div class='x0'><h1>{h1}</h1><div class='x9'>{_STORY}</div></div></body></html>"
    assert extract_page(page.encode(), "https://x.example/news/harbour.html").article.headline == headline


@pytest.mark.parametrize(
    "note",
    [
        # a link's note for screen readers, hidden by a class whose name says nothing
        "<span class='go-vh'>(öffnet im neuen Fenster)</span>",
        "<span class='c7f3a'>(opens in a new window)</span>",
    ],
)
def test_a_links_note_about_a_new_window_is_no_text(note: str) -> None:
    para = (f"<p>The harbour board promised its <a href='https://investors.example/'>investors{note}</a> a new quay; the "
            "booking app opens in a new window on the harbour's website.</p>")
    body = _harbour_article(inside=para).body or ""
    assert "promised its investors a new quay" in body
    assert "opens in a new window on" in body  # the same words as the text's own, outside parentheses, stay


@pytest.mark.parametrize(
    ("wrapper", "kept"),
    [
        ("social-media-embed", True),  # an embedded post is a quote the text makes
        ("social-embed-post social-embed-fallbacktwitter", True),
        ("social-share", False),  # a share bar ("social") is no body
        ("social", False),
    ],
)
def test_an_embedded_post_in_a_wrapper_named_social_is_body_text(wrapper: str, kept: bool) -> None:
    tweet = (f"<div class='{wrapper}'><blockquote class='twitter-tweet'><p>Yes this is real and the harbour board spent half a "
             "million on it</p>— Jane Doe (@jdoe) <a href='https://twitter.com/jdoe/status/1'>November 18, 2019</a></blockquote></div>")
    body = _harbour_article(inside=tweet).body or ""
    assert "council met" in body and ("Yes this is real" in body) is kept


def test_a_list_of_pictures_with_their_captions_is_a_gallery_not_body_text() -> None:
    """A carousel whose names say nothing: each item one picture, its caption (said twice,
    shortened and in full) and credit beside it."""
    caption = "The harbour master, left, speaks with a fisherman on the new quay, Tuesday, in Kiel."
    items = "".join(
        f"<li class='c{n}'><div class='c8'><img src='/photos/{n}.jpg'></div><div class='c7'><div class='c5'>{caption}</div>"
        f"<div class='c6'>{caption}</div><span class='c4'>Photo: Jane Doe, AP</span></div></li>" for n in range(2)
    )
    article = _harbour_article(lead=f"<ul class='c3'>{items}</ul>")
    assert "council met" in (article.body or "") and "harbour master" not in (article.body or "")
    assert [image.url for image in article.images or []] == [f"https://x.example/photos/{n}.jpg" for n in range(2)]


@pytest.mark.parametrize(
    ("widget", "image"),
    [
        # furniture with a picture: a print header's logo beside the page's URL, an ad's label
        ("<div class='print-header'><img src='/img/logo.png'><span>https://x.example/news/harbour.html</span></div>", None),
        ("<div class='c-ad'><img src='/img/logo.svg'><div>ADVERTISEMENT</div></div>", None),
        # names that match furniture and say picture: WordPress's captioned image
        ("<div class='wp-caption aligncenter'><img src='/photos/quay.jpg'><p>The new quay</p></div>", "https://x.example/photos/quay.jpg"),
    ],
)
def test_a_picture_in_furniture_is_no_image_of_the_article(widget: str, image: str | None) -> None:
    article = _harbour_article(lead=widget)
    assert "council met" in (article.body or "")
    assert (article.main_image.url if article.main_image else None) == image


def test_a_share_bar_of_icons_whose_one_item_holds_the_share_dialog_is_no_body() -> None:
    """Icon buttons without text and one item holding the dialog that opens ("Share this
    Story : The Province", then its list of networks), with class names that say nothing."""
    icons = "".join(f"<li class='c{n}'><a class='c9{n}' href='https://share.example/{n}'><svg></svg></a></li>" for n in range(4))
    dialog = ("<li class='c7'><button class='c8'><span>Share</span></button><div class='c5'><div class='c6'>Share this Story : "
              "<span>The Harbour Times</span></div><ul class='c4'><li><a href='#'>Copy Link</a></li><li><a href='mailto:'>Email</a></li>"
              "<li><a href='https://x.example/s'>X</a></li><li><a href='https://reddit.example/s'>Reddit</a></li></ul></div></li>")
    body = _harbour_article(lead=f"<ul class='c3'>{icons}{dialog}</ul>").body or ""
    assert "council met" in body and "Share this Story" not in body and "Reddit" not in body


_ARTICLE = "".join(
    f"<p>The harbour board voted {n} times on Monday before the budget for the new quay passed with a narrow majority.</p>"
    for n in range(2, 8)
)
_THREAD = "".join(
    f"<div class='c{n}'><div><a href='/members/{n}'>reader{n}</a></div><div>{n} hours ago</div>"
    f"<p>Comment number {n}: I have lived by this harbour for years and the board never listens to the people who work on the water.</p></div>"
    for n in range(12)
)


@pytest.mark.parametrize(
    ("heading", "thread_kept"),
    [
        ("Top Rated Comments", False),
        ("27 Kommentare", False),
        ("Comments (12)", False),
        # a region that opens with another heading is text like any other
        ("What the fishermen say", True),
    ],
)
@pytest.mark.parametrize("sibling", [False, True])
def test_a_comment_thread_longer_than_its_article_is_not_the_body(heading: str, thread_kept: bool, sibling: bool) -> None:
    """The thread after the article's column, or next to the article's text in one column."""
    thread = f"<div class='x3'><h2>{heading}</h2><a href='/forum/thread/1'>(View all)</a>{_THREAD}</div>"
    article = f"<h1>Harbour budget approved</h1><div class='x2'>{_ARTICLE}</div>"
    columns = f"<div class='x1'>{article}{thread}</div>" if sibling else f"<div class='x1'>{article}</div>{thread}"
    body = extract_page(f"<html><body>{columns}</body></html>".encode(), "https://x.example/news/harbour.html").article.body or ""
    assert ("Comment number 11" in body, "voted 7 times" in body) == (thread_kept, True)


_TEASERS = "".join(
    f'<p><a href="/news/{n}">The title of teaser number {n}</a></p><p>Teaser number {n} says in a line what another article is about.</p>'
    for n in range(4)
)
_SHORT_PARAGRAPHS = "".join(f"<p>Short paragraph {n} of the article itself, as tabloids write them.</p>" for n in range(4))


@pytest.mark.parametrize(
    ("tail", "kept"),
    [
        # a recirculation block at the body's end: its heading and the teasers' blurbs go
        (f"<h2>More from The Ledger</h2>{_TEASERS}", False),
        (f"<h3>Lesen Sie auch</h3>{_TEASERS}", False),
        # a heading like it before body text, or a heading of the article's own: kept
        ("<h2>Related costs</h2><p>" + "The harbour master's office will also need a new boat and two more staff members. " * 3 + "</p>", True),
        (f"<h2>What the fishermen say</h2>{_TEASERS}", True),
        # a "Most read" heading left over the article's own short paragraphs (no teaser links between them)
        (f"<h2>Most read in Football</h2>{_SHORT_PARAGRAPHS}", True),
        ("<h2>Most read in Football</h2><ul>" + "".join(f'<li><a href="/sport/{n}">Widget teaser title number {n}</a></li>' for n in range(4))
         + f"</ul>{_SHORT_PARAGRAPHS}", True),
    ],
)
def test_recirculation_block_at_the_end_of_the_body(tail: str, kept: bool) -> None:
    page = f"<html><body><div><h1>Harbour budget approved</h1><div>{_STORY}{_STORY.replace('harbour', 'port')}{tail}</div></div></body></html>"
    body = extract_page(page.encode(), "https://x.example/news/harbour.html").article.body or ""
    assert ("Teaser number 3" in body or "new boat" in body or "Short paragraph 3" in body) is kept


@pytest.mark.parametrize(
    ("modified", "kept"),
    [
        ("2023-05-15T12:00:00+00:00", True),
        ("2023-05-15T09:00:37+00:00", True),  # the same instant: no change yet, but no contradiction
        # a "last change" before the publication: a draft's first save, no change of the article
        ("2023-05-12T18:50:46+00:00", False),
        ("2023-05-15T08:59:00+00:00", False),
    ],
)
def test_a_change_dated_before_the_publication_is_none(modified: str, kept: bool) -> None:
    ld = json.dumps({"@type": "NewsArticle", "headline": "Harbour budget approved", "datePublished": "2023-05-15T09:00:37+00:00",
                     "dateModified": modified})
    page = (
        f'<html><head><script type="application/ld+json">{ld}</script></head><body>'
        f"<article><h1>Harbour budget approved</h1>{_TRAIL_BODY}</article></body></html>"
    )
    article = extract_page(page.encode(), "https://x.example/politics/story.html").article
    assert (article.date_modified is not None) is kept and ("date_modified" in article.field_sources) is kept
    assert article.date_published is not None and article.date_published.isoformat() == "2023-05-15T09:00:37+00:00"


@pytest.mark.parametrize(
    ("og_site_name", "publisher", "url", "site_name"),
    [
        ("The Harbour Times", "Harbour Times Media", "https://www.harbourtimes.example/a.html", "The Harbour Times"),
        # a tagline or keywords after a bar
        ("LinkNaija | Nigeria's popular news platform", None, "https://www.linknaija.example/a.html", "LinkNaija"),
        # the host's own label or a handle yields to a name written out, else stays (without the "@")
        ("detroitnews", "The Detroit News", "https://www.detroitnews.example/story/a.html", "The Detroit News"),
        ("inews.co.uk", "iNews", "https://inews.co.uk/news/a.html", "iNews"),
        ("@politifact", None, "https://www.politifact.example/a.html", "politifact"),
        ("oregonlive", None, "https://www.oregonlive.example/a.html", "oregonlive"),
        ("euronews", None, "https://www.euronews.example/a.html", "euronews"),
    ],
)
def test_the_site_name_is_the_name_written_out(og_site_name: str, publisher: str | None, url: str, site_name: str) -> None:
    ld = {"@type": "NewsArticle", "headline": "Harbour budget approved"}
    if publisher:
        ld["publisher"] = {"@type": "Organization", "name": publisher}
    page = (
        f'<html><head><meta property="og:site_name" content="{og_site_name}">'
        f'<script type="application/ld+json">{json.dumps(ld)}</script></head><body>'
        f"<article><h1>Harbour budget approved</h1>{_TRAIL_BODY}</article></body></html>"
    )
    assert extract_page(page.encode(), url).article.site_name == site_name


@pytest.mark.parametrize(
    ("keywords", "tags"),
    [
        ("water, nasa, \", moon", ["water", "nasa", "moon"]),  # a lone quotation mark is no tag
        # the page's own title among its keywords is no topic, from five words on
        ("Health, Harbour budget approved by the council at last", ["Health"]),
        ("Health, Harbour budget", ["Health", "Harbour budget"]),  # a short title is a topic
    ],
)
def test_tags_are_topics_not_titles_or_marks(keywords: str, tags: list[str]) -> None:
    headline = "Harbour budget approved by the council at last" if "approved" in keywords else "Harbour budget"
    page = (
        f'<html><head><meta name="keywords" content=\'{keywords}\'></head><body>'
        f"<article><h1>{headline}</h1>{_TRAIL_BODY}</article></body></html>"
    )
    assert extract_page(page.encode(), "https://x.example/politics/story.html").article.tags == tags


def test_pictures_a_script_would_fill_in_drawings_and_label_captions() -> None:
    """A template's placeholder in the address (DW's "…_${formatId}.jpg"), a vector graphic
    (a sign-in button's logo) are no pictures of the article; "Image", what is left of "Image
    Credits: …", is no caption."""
    body = (
        f"{_STORY}<figure><img src='https://static.example/image/59234409_${{formatId}}.jpg'><figcaption>Cameras in a polling station</figcaption></figure>"
        "<figure><img src='/static/images/orcid-9e54122507.svg'><figcaption>Continue with ORCiD</figcaption></figure>"
        "<figure><img src='/photos/quay.jpg'><figcaption>Image <span class='credit'>Credits: Harbour Times</span></figcaption></figure>"
        "<figure><img src='/photos/crane.jpg'><figcaption>Video</figcaption></figure>"
        f"{_STORY}"
    )
    page = f"<html><body><div class='x0'><h1>Harbour budget approved</h1><div class='x9'>{body}</div></div></body></html>"
    article = extract_page(page.encode(), "https://x.example/news/harbour.html").article
    assert [(i.url, i.caption, i.credit) for i in article.images or []] == [
        ("https://x.example/photos/quay.jpg", None, "Credits: Harbour Times"), ("https://x.example/photos/crane.jpg", None, None),
    ]


def test_a_summary_after_the_article_text_has_begun_is_no_standfirst() -> None:
    """A promotion's summary, a newsletter's pitch, the author's bio below the text (BBC's
    "heron__item-summary", "Get the day's big stories …"): the page's declared description."""
    after = "<div class='promo'><p class='item-summary'>Have you been getting these songs wrong all along?</p></div>"
    page = (
        f"<html><head><meta property='og:description' content='{_OG_DESCRIPTION}'></head><body><article>"
        f"<h1>Harbour budget approved</h1>{_TRAIL_BODY}{after}</article></body></html>"
    )
    assert extract_page(page.encode(), "https://x.example/politics/story.html").article.description == _OG_DESCRIPTION
    before = page.replace(_TRAIL_BODY + after, f"<p class='summary'>{_STANDFIRST}</p>{_TRAIL_BODY}")
    assert extract_page(before.encode(), "https://x.example/politics/story.html").article.description == _STANDFIRST
