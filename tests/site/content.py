"""What the demo news site publishes: its articles as data, the ground truth of every page.

Articles are composed deterministically (seeded) from per-section material, so the site is
the same on every machine; one article is the seed example page rebuilt word for word.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone


@dataclass(frozen=True)
class DemoAuthor:
    name: str
    slug: str


@dataclass(frozen=True)
class DemoArticle:
    slug: str
    style: str  # "classic" (modelled on the example page), "jsonld", "meta"
    section: tuple[str, str]  # (top, sub), e.g. ("News", "Russia")
    headline: str
    standfirst: str
    authors: tuple[DemoAuthor, ...]
    published: datetime
    image_name: str
    caption: str
    credit: str
    paragraphs: tuple[str, ...]
    tags: tuple[str, ...]
    comment_count: int
    related: tuple[str, str] | None = None  # (headline, slug) of a related article
    related_after: int = 1  # the related link sits after this paragraph
    modified: datetime | None = None
    subheading: str | None = None
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def section_slug(self) -> str:
        return self.section[1].lower().replace(" ", "-")


EXAMPLE = DemoArticle(
    slug="russia-iran-meeting-to-pledge-for-strategic-cooperation-20220119-0012",
    style="classic",
    section=("News", "Russia"),
    headline="Russia-Iran Meeting to Pledge for Strategic Cooperation",
    standfirst=(
        "Moscow held on Wednesday the Russian-Iranian meeting, in which strategic cooperation "
        "was one of the further projects on the table."
    ),
    authors=(),
    published=datetime(2022, 1, 19, tzinfo=timezone.utc),
    image_name="russia-iran-summit.jpg",
    caption="Russian-Iranian summit pledge to strategic cooperation between the nations. Jan. 19, 2022.",
    credit="Photo: Twitter/@RusEmbIran",
    paragraphs=(
        "On Wednesday, Moscow held the Russian-Iranian meeting, where Russian President Vladimir "
        "Putin received his Iranian counterpart, Ebrahim Raisi. During the summit, the Iranian "
        "President noted that the bilateral relationship between the two nations must strengthen, "
        "given the policies of the United States and the West.",
        "Raisi emphasized at the very beginning of the meeting that there will be no limits to "
        "\"expanding and developing relations with friendly Russia,\" highlighting that "
        "\"relations with Russia will develop into strategic ones.\"",
        "Iranian President said: \"In light of the policy of the United States and the West, our "
        "relations must be stronger,\" adding, \"We have been confronting the United States with "
        "Russia for 40 years.\"",
        "\"We have presented to our Russian friends a draft of our vision on the strategic "
        "agreement between both countries,\" he exposed, that Iran has documents on strategic "
        "cooperation that can determine the horizon of this cooperation over 20 years, he "
        "continued to explain.",
        "Raisi admitted that current trade and economic relations have not been satisfactory and "
        "that both nations are making efforts to improve bilateral cooperation in multiple "
        "fields. The Iranian President exposed his expectations to \"sign several agreements "
        "during our visit,\" which he considers would improve cooperation, as Iran seeks to "
        "increase the level of diplomatic cooperation with its neighbors.",
        "The leaders praised bilateral cooperation in Syria. \"We have a very good experience of "
        "cooperation with Russia in Syria, and this is cooperation in the fight against terrorism "
        "in the region, in the Syrian Arab Republic,\" he noted. Raisi added, \"Such a very good "
        "experience can create the preconditions for us to apply this experience in many other "
        "areas.\"",
    ),
    tags=("Russia", "Iran"),
    comment_count=0,
    related=(
        "Russian CSTO to Hand Over Protected Sites to Kazakh Authorities",
        "russian-csto-to-hand-over-protected-sites-to-kazakh-authorities-20220113-0021",
    ),
)

SECTIONS: dict[tuple[str, str], dict[str, list[str]]] = {
    ("News", "Russia"): {
        "subjects": ["The Kremlin", "Russian diplomats", "Moscow's mayor", "The Duma", "Regional governors"],
        "verbs": ["announced", "outlined", "defended", "questioned", "postponed"],
        "objects": ["a new energy agreement", "talks on grain exports", "a border security plan", "the federal budget", "a railway link to the east"],
        "places": ["Moscow", "Kazan", "Saint Petersburg", "Vladivostok", "Novosibirsk"],
        "tags": ["Russia", "Diplomacy", "Energy", "Kremlin"],
    },
    ("News", "Latin America"): {
        "subjects": ["Bolivian farmers", "The Mexican senate", "Chile's president", "Colombian unions", "Venezuelan officials"],
        "verbs": ["welcomed", "rejected", "signed", "debated", "celebrated"],
        "objects": ["a pension reform", "a regional trade pact", "a lithium mining law", "a water rights bill", "new school funding"],
        "places": ["La Paz", "Mexico City", "Santiago", "Bogota", "Caracas"],
        "tags": ["Latin America", "Politics", "Labour", "Trade"],
    },
    ("Business", "Markets"): {
        "subjects": ["Central bankers", "Wheat traders", "Shipping firms", "Tech investors", "Small exporters"],
        "verbs": ["warned about", "bet on", "struggled with", "reported", "priced in"],
        "objects": ["rising freight costs", "a weaker currency", "record copper prices", "slower consumer demand", "higher interest rates"],
        "places": ["London", "Shanghai", "New York", "Frankfurt", "Sao Paulo"],
        "tags": ["Markets", "Economy", "Trade", "Inflation"],
    },
    ("Science", "Climate"): {
        "subjects": ["Glaciologists", "Ocean researchers", "City planners", "Farmers' cooperatives", "Meteorologists"],
        "verbs": ["measured", "mapped", "predicted", "documented", "modelled"],
        "objects": ["a record melt season", "warmer coastal waters", "longer dry spells", "heavier spring floods", "shifting monsoon rains"],
        "places": ["Greenland", "the Andes", "the Sahel", "Bangladesh", "the Alps"],
        "tags": ["Climate", "Science", "Environment", "Weather"],
    },
}

AUTHORS = [
    DemoAuthor("Maria Delgado", "maria-delgado"),
    DemoAuthor("Oleg Petrov", "oleg-petrov"),
    DemoAuthor("Aisha Bello", "aisha-bello"),
    DemoAuthor("Tom Whitfield", "tom-whitfield"),
    DemoAuthor("Lena Fischer", "lena-fischer"),
    DemoAuthor("Kenji Watanabe", "kenji-watanabe"),
]

CONNECTORS = [
    "According to officials in {place}, {detail}.",
    "Speaking in {place}, a spokesperson said {detail}.",
    "Critics in {place} argued that {detail}.",
    "Local reporters in {place} noted that {detail}.",
    "Analysts said {detail}, a view shared widely in {place}.",
]
DETAILS = [
    "the decision had been expected for several months",
    "the numbers would be reviewed again before the end of the year",
    "the plan still lacked a clear source of funding",
    "residents had been consulted only at the last minute",
    "similar measures had worked well in neighbouring regions",
    "the timetable depended on negotiations that are still under way",
    "the first results would be published in the spring",
    "the change would affect hundreds of thousands of households",
    "the agreement could be extended to other sectors later",
    "independent observers would be invited to monitor the process",
    "the costs had risen sharply since the project was first announced",
    "the vote was closer than most observers had predicted",
]


def _slugify(text: str) -> str:
    return "-".join("".join(ch.lower() if ch.isalnum() else " " for ch in text).split())


def _paragraph(rng: random.Random, material: dict[str, list[str]], n: int) -> str:
    sentences = []
    for _ in range(n):
        template = rng.choice(CONNECTORS)
        sentences.append(template.format(place=rng.choice(material["places"]), detail=rng.choice(DETAILS)))
    subject, verb, obj = rng.choice(material["subjects"]), rng.choice(material["verbs"]), rng.choice(material["objects"])
    sentences.insert(rng.randrange(len(sentences) + 1), f"{subject} {verb} {obj} on {rng.choice(['Monday', 'Tuesday', 'Thursday', 'Friday'])}.")
    return " ".join(sentences)


def generated_articles(count: int = 33, seed: int = 2022) -> list[DemoArticle]:
    """``count`` articles spread over the sections and the three page styles."""
    rng = random.Random(seed)
    styles = ["classic", "jsonld", "meta"]
    sections = list(SECTIONS)
    start = datetime(2022, 1, 3, 8, 0, tzinfo=timezone.utc)
    articles = []
    used: set[str] = set()
    for i in range(count):
        section = sections[i % len(sections)]
        material = SECTIONS[section]
        subject, verb, obj = rng.choice(material["subjects"]), rng.choice(material["verbs"]), rng.choice(material["objects"])
        place = rng.choice(material["places"])
        headline = f"{subject} {verb} {obj} in {place}"
        if headline in used:
            headline = f"{headline}, again"
        used.add(headline)
        published = start + timedelta(days=i // 2, hours=(i * 5) % 11, minutes=(i * 17) % 60)
        style = styles[i % 3]
        paragraphs = tuple(_paragraph(rng, material, rng.randint(2, 3)) for _ in range(rng.randint(5, 8)))
        authors = tuple(rng.sample(AUTHORS, k=1 + (i % 4 == 0)))
        tags = tuple(rng.sample(material["tags"], k=2))
        slug = f"{_slugify(headline)}-{published:%Y%m%d}-{i:04d}"
        articles.append(
            DemoArticle(
                slug=slug,
                style=style,
                section=section,
                headline=headline,
                standfirst=f"{subject} {verb} {obj}; officials in {place} said {rng.choice(DETAILS)}.",
                authors=authors,
                published=published,
                modified=published + timedelta(hours=3) if style == "jsonld" else None,
                image_name=f"{slug[:40]}.jpg",
                caption=f"{subject} in {place} on {published:%B} {published.day}, {published.year}.",
                credit=f"Photo: {rng.choice(['Reuters', 'AP', 'EFE', 'AFP'])}/{rng.choice(AUTHORS).name}",
                paragraphs=paragraphs,
                tags=tags,
                comment_count=(i * 7) % 13,
                subheading="What happens next" if style != "classic" and len(paragraphs) > 5 else None,
            )
        )
    # link each article to the previous one in its section, as newsrooms do
    linked = []
    last_in_section: dict[tuple[str, str], DemoArticle] = {}
    for article in articles:
        previous = last_in_section.get(article.section)
        if previous is not None:
            article = _with_related(article, previous)
        last_in_section[article.section] = article
        linked.append(article)
    return linked


def _with_related(article: DemoArticle, target: DemoArticle) -> DemoArticle:
    return replace(article, related=(target.headline, target.slug), related_after=2)


def all_articles() -> list[DemoArticle]:
    """Every article on the demo site: the example page plus the generated ones."""
    csto = DemoArticle(
        slug=EXAMPLE.related[1] if EXAMPLE.related else "",
        style="classic",
        section=("News", "Russia"),
        headline="Russian CSTO to Hand Over Protected Sites to Kazakh Authorities",
        standfirst="The Collective Security Treaty Organization begins handing over strategic facilities it protected in Kazakhstan.",
        authors=(),
        published=datetime(2022, 1, 13, tzinfo=timezone.utc),
        image_name="csto-kazakhstan.jpg",
        caption="CSTO troops at a handover ceremony in Almaty. Jan. 13, 2022.",
        credit="Photo: Twitter/@CSTO_ODKB",
        paragraphs=(
            "The peacekeeping forces of the Collective Security Treaty Organization began on Thursday to hand over the strategic facilities they had protected to the Kazakh authorities, the organization said in a statement.",
            "The contingent arrived in Kazakhstan at the request of President Kassym-Jomart Tokayev after a week of unrest that began with protests against a sharp rise in fuel prices.",
            "According to the statement, the withdrawal of the troops will be completed within ten days, once the handover of every site to Kazakh law enforcement has been signed.",
            "Officials in Almaty said public transport and banks were working normally again, and that the curfew in the city would be lifted at the end of the week.",
        ),
        tags=("Russia", "Kazakhstan"),
        comment_count=3,
    )
    return [EXAMPLE, csto, *generated_articles()]
