"""Plain-data demo site and benchmark corpus for Broadsheet (no Django here)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from broadsheet.demo.bibliography import demo_works
from broadsheet.demo.citing import cite_works, keys_for, note_citer
from broadsheet.demo.prose import Shape, Writer, capitalise, compose_body, titlecase
from broadsheet.demo.vocabulary import (
    AUTHOR_TEXTS,
    CATEGORY_TEXTS,
    FIRST_NAMES,
    FLAGSHIP_INTRO,
    PAGE_TEXTS,
    SURNAMES,
    TOPICS,
    Topic,
    split_bar,
)

UTC = dt.UTC
END = dt.datetime(2026, 11, 1, tzinfo=UTC)
MINUTE = dt.timedelta(minutes=1)
_WORD = re.compile(r"[A-Za-z0-9][\w'’-]*")
_NOTE_DEF = re.compile(r"^\[\^[^\]\s]+\]:", re.M)


@dataclass(frozen=True)
class AuthorSpec:
    name: str
    slug: str
    bio_markdown: str
    links: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class CategorySpec:
    name: str
    slug: str
    description: str


@dataclass(frozen=True)
class TagSpec:
    name: str
    slug: str


@dataclass(frozen=True)
class SourceSpec:
    title: str
    venue: str
    volume_issue: str
    date: dt.date
    pages: str
    url: str


@dataclass(frozen=True)
class ArticleSpec:
    title: str
    subtitle: str
    slug: str
    body_markdown: str
    author_slugs: tuple[str, ...]
    category_slugs: tuple[str, ...]
    tag_slugs: tuple[str, ...]
    published_at: dt.datetime
    excerpt: str = ""
    source: SourceSpec | None = None


@dataclass(frozen=True)
class PageSpec:
    title: str
    slug: str
    body_markdown: str


@dataclass(frozen=True)
class DemoSite:
    site_name: str
    tagline: str
    footer_text: str
    donation_url: str
    donation_label: str
    authors: tuple[AuthorSpec, ...]
    categories: tuple[CategorySpec, ...]
    tags: tuple[TagSpec, ...]
    articles: tuple[ArticleSpec, ...]
    pages: tuple[PageSpec, ...]
    works: tuple[dict, ...] = ()  # the bibliography the long articles cite (CSL-JSON)


def slugify(text: str) -> str:
    text = re.sub(r"['’]", "", text.lower())
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def word_count(markdown: str, *, include_notes: bool = True) -> int:
    """Count words in Markdown, optionally ignoring footnote definitions."""
    if not include_notes:
        match = _NOTE_DEF.search(markdown)
        markdown = markdown[: match.start()] if match else markdown
    return len(_WORD.findall(re.sub(r"\[\^[^\]]+\]", "", markdown)))


# ---------------------------------------------------------------- demo site
AUTHORS = tuple(AuthorSpec(*author) for author in AUTHOR_TEXTS)
TOPIC_AUTHOR = {
    "printing": 0,
    "typography": 0,
    "bookbinding": 0,
    "clocks": 1,
    "astronomy": 1,
    "weather": 1,
    "bread": 2,
    "tea": 2,
    "bees": 2,
    "cartography": 3,
    "paper": 3,
    "glass": 3,
}
CATEGORIES = tuple(CategorySpec(*category) for category in CATEGORY_TEXTS)
RELATED_CATEGORY = {
    "print-and-type": "paper-and-binding",
    "paper-and-binding": "print-and-type",
    "hearth": "field-and-workshop",
    "sky-and-time": "field-and-workshop",
    "field-and-workshop": "sky-and-time",
}
TAG_NAMES = split_bar(
    "Letterpress|Typefaces|Bookbinding|Paper|Sourdough|Astronomy|Beekeeping|Clocks|"
    "Maps|Tea|Glass|Weather|Archives|Apprenticeship|Instruments|Trade"
)
TAGS = tuple(TagSpec(n, slugify(n)) for n in TAG_NAMES)
GENERIC_TAGS = ("archives", "apprenticeship", "instruments", "trade")

FLAGSHIP = (
    "The Long Life of Movable Type",
    "Five centuries of lead, ink and habit, and why the compositor's case "
    "outlived nearly everything built around it",
)
FLAGSHIP_LABELS = ("ledger", "pie", "quoins", "rag-prices", "devil", "wayzgoose")

SHAPES = {
    "flagship": Shape(
        words=6300,
        notes=44,
        headings=7,
        subheadings=3,
        repeats=5,
        multi=5,
        lists=2,
        quotes=2,
        word_labels=FLAGSHIP_LABELS,
        shuffle_definitions=True,
        extras=("quote", "list", "table", "quote"),
        intro=FLAGSHIP_INTRO,
    ),
    "long": Shape(
        words=4300,
        notes=32,
        headings=6,
        subheadings=2,
        repeats=3,
        multi=3,
        lists=1,
        quotes=1,
        extras=("quote", "list"),
    ),
    "long_table": Shape(
        words=4600,
        notes=35,
        headings=8,
        subheadings=3,
        repeats=4,
        multi=3,
        lists=1,
        quotes=1,
        extras=("table", "list"),
    ),
    "medium": Shape(
        words=2000, notes=8, headings=3, repeats=1, multi=1, extras=("quote",)
    ),
}


def _short_shape(rng: random.Random) -> Shape:
    words = rng.randint(450, 1150)
    return Shape(
        words,
        rng.randint(0, 5),
        rng.randint(0, 3),
        extras=rng.choice(((), (), ("quote",), ("list",))),
    )


def _article(
    rng: random.Random,
    topic: Topic,
    kind: str,
    title: tuple[str, str],
    when: dt.datetime,
    authors: tuple[str, ...],
    cite: Callable[[], str] | None = None,
) -> ArticleSpec:
    writer = Writer(rng, topic, cite=cite)
    shape = SHAPES.get(kind) or _short_shape(rng)
    body = compose_body(writer, shape)
    categories = [topic.category]
    if rng.random() < 0.2:
        categories.append(RELATED_CATEGORY[topic.category])
    tags = [topic.tag] + rng.sample(GENERIC_TAGS, rng.randint(0, 2))
    return ArticleSpec(
        title=title[0],
        subtitle=capitalise(title[1]),
        slug=slugify(title[0]),
        body_markdown=body,
        author_slugs=authors,
        category_slugs=tuple(categories),
        tag_slugs=tuple(tags),
        published_at=when,
    )


CITING = ("long", "long_table", "flagship")  # the kinds of article that cite works


def build_demo_site(seed: int = 1455) -> DemoSite:
    """Build the whole demo magazine deterministically from `seed`."""
    rng = random.Random(seed)
    plan: list[tuple[Topic, tuple[str, str]]] = []
    for round_ in range(4):
        for topic in TOPICS:
            if not (topic.key == "printing" and round_ == 3):
                plan.append((topic, topic.title[round_]))
    rng.shuffle(plan)
    plan = plan[:45]
    kinds = ["long_table"] + ["long"] * 4 + ["medium"] * 10 + ["short"] * 30
    printing = next(t for t in TOPICS if t.key == "printing")
    plan.append((printing, FLAGSHIP))
    kinds.append("flagship")

    start = END - dt.timedelta(days=548)
    step = (END - start) / len(plan)
    order = list(range(len(plan)))
    rng.shuffle(order)
    articles: list[ArticleSpec] = []
    all_keys = [work["id"] for work in demo_works()]
    cited = 0
    for n, (topic, title) in enumerate(plan):
        when = start + step * order[n] + dt.timedelta(hours=rng.randint(6, 200))
        when = when.replace(minute=0, second=0, microsecond=0)
        author = AUTHORS[TOPIC_AUTHOR[topic.key]].slug
        authors = (author,)
        if kinds[n] == "flagship" or rng.random() < 0.15:
            other = rng.choice([a.slug for a in AUTHORS if a.slug != author])
            authors = (author, other)
        if kinds[n] not in CITING:
            art = _article(
                random.Random(f"{seed}:{n}"), topic, kinds[n], title, when, authors
            )
        else:
            # Deal the bibliography out so every demo work is cited somewhere.
            share = all_keys[cited :: kinds.count("long") + 2]
            cited += 1
            count = 12 if kinds[n] == "flagship" else 7
            keys = keys_for(topic.key, share, count)
            # Sources in notes are citations too: one house style throughout.
            cite = note_citer(keys, random.Random(f"{seed}:n{n}"))
            art = _article(
                random.Random(f"{seed}:{n}"),
                topic,
                kinds[n],
                title,
                when,
                authors,
                cite,
            )
            art = cite_works(
                art, keys=keys, count=count, rng=random.Random(f"{seed}:c{n}")
            )
        articles.append(art)

    flagship = articles[-1]
    articles[-1] = _replace(
        flagship,
        excerpt="Movable type was never a single invention. It was a set of habits "
        "that outlasted the machines around them, and the compositor's case is the "
        "best witness we have.",
        tag_slugs=("letterpress", "typefaces", "apprenticeship"),
        category_slugs=("print-and-type", "paper-and-binding"),
    )
    medium = next(i for i, k in enumerate(kinds) if k == "medium")
    articles[medium] = _replace(
        articles[medium],
        source=SourceSpec(
            title=articles[medium].title,
            venue="The Compositor's Quarterly",
            volume_issue="vol. 3, no. 2",
            date=dt.date(2019, 4, 1),
            pages="41-58",
            url="https://example.org/compositors-quarterly/3-2/"
            + articles[medium].slug,
        ),
    )
    articles.sort(key=lambda a: a.published_at)
    return DemoSite(
        site_name="The Composing Room",
        tagline="Long essays on old crafts, patient sciences and the things people "
        "make by hand",
        footer_text="The Composing Room is an independent magazine of long-form "
        "essays. All demo content is fictional.",
        donation_url="https://example.org/donate",
        donation_label="Support the magazine",
        authors=AUTHORS,
        categories=CATEGORIES,
        tags=TAGS,
        articles=tuple(articles),
        pages=PAGES,
        works=tuple(demo_works()),
    )


def _replace(article: ArticleSpec, **changes: object) -> ArticleSpec:
    return dataclasses.replace(article, **changes)


# ---------------------------------------------------------- benchmark corpus
def build_corpus_taxonomy(
    seed: int = 1,
) -> tuple[tuple[AuthorSpec, ...], tuple[CategorySpec, ...], tuple[TagSpec, ...]]:
    """Authors, categories and tags used by `build_corpus(seed=seed)`."""
    rng = random.Random(f"taxonomy:{seed}")
    names: list[str] = []
    while len(names) < 8:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
        if name not in names:
            names.append(name)
    authors = tuple(
        AuthorSpec(
            n,
            slugify(n),
            f"{n} is a benchmark author. They write about {rng.choice(TOPICS).key}.",
            (("Website", f"https://example.org/{slugify(n)}"),),
        )
        for n in names
    )
    tags = tuple(TagSpec(t.tag.title(), t.tag) for t in TOPICS) + TAGS[-4:]
    return authors, CATEGORIES, tags


def build_corpus(
    articles: int, *, seed: int = 1, words: int = 800, notes: int = 3
) -> Iterator[ArticleSpec]:
    """Yield `articles` benchmark articles of about `words` words and `notes` notes.

    Article i depends only on (seed, i), so a shorter corpus is a prefix of a
    longer one. Load `build_corpus_taxonomy(seed)` first: articles refer to it.
    """
    authors, categories, tags = build_corpus_taxonomy(seed)
    span = dt.timedelta(days=3 * 365)
    headings = max(0, min(12, words // 500))
    for index in range(articles):
        rng = random.Random(f"corpus:{seed}:{index}")
        topic = rng.choice(TOPICS)
        writer = Writer(rng, topic)
        title = titlecase(
            writer.fill(
                rng.choice(
                    (
                        "the {adj} {thing}",
                        "notes on {process}",
                        "{makers} of {place}",
                        "on {quality} and {quality2}",
                        "{material} and {material2}",
                    )
                )
            )
        )
        shape = Shape(words, notes, headings, extras=("quote",) if words > 600 else ())
        when = END - dt.timedelta(minutes=rng.randrange(span // MINUTE))
        author_pool = [a.slug for a in authors]
        yield ArticleSpec(
            title=title,
            subtitle=capitalise(
                writer.fill(
                    "{process} in {place}, and what it taught {makers} about {quality}"
                )
            ),
            slug=f"{slugify(title)}-{index + 1}",
            body_markdown=compose_body(writer, shape),
            author_slugs=tuple(rng.sample(author_pool, 1 + (rng.random() < 0.1))),
            category_slugs=(topic.category,),
            tag_slugs=(topic.tag,)
            + tuple(rng.sample([t.slug for t in tags[-4:]], rng.randint(0, 2))),
            published_at=when,
        )


PAGES = tuple(PageSpec(*page) for page in PAGE_TEXTS)
