"""Explicit factories for test data: make_article(**overrides) and friends."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from broadsheet.content.models import Article, Author, Category, Page, Tag
from broadsheet.content.services import render_bio, render_page
from broadsheet.publishing.services import save_article

_serial = itertools.count(1)

NOTED_BODY = """An opening paragraph about type founding and its many small
crafts.[^first]

## Casting

Hot metal was poured into a hand mould.[^second] The mould was reused.[^first]

[^first]: A note about matrices.
[^second]: A note about moulds.
"""


def make_author(**overrides) -> Author:
    n = next(_serial)
    fields = {
        "name": f"Author {n}",
        "slug": f"author-{n}",
        "bio": "Writes *about* ink.",
    }
    author = Author(**{**fields, **overrides})
    render_bio(author)
    author.save()
    return author


def make_category(**overrides) -> Category:
    n = next(_serial)
    return Category.objects.create(
        **{"name": f"Section {n}", "slug": f"section-{n}", **overrides}
    )


def make_tag(**overrides) -> Tag:
    n = next(_serial)
    return Tag.objects.create(**{"name": f"Tag {n}", "slug": f"tag-{n}", **overrides})


def make_page(**overrides) -> Page:
    n = next(_serial)
    fields = {"title": f"Page {n}", "slug": f"page-{n}", "body": "Plain *page* text."}
    page = Page(**{**fields, **overrides})
    render_page(page)
    page.save()
    return page


def make_article(
    *,
    authors: list[Author] | None = None,
    tags: list[Tag] = (),
    categories: list[Category] = (),
    **overrides,
) -> Article:
    """Create a published article (status and fields overridable) via the service."""
    n = next(_serial)
    fields = {
        "title": f"Article {n}",
        "slug": f"article-{n}",
        "body": NOTED_BODY,
        "status": Article.Status.PUBLISHED,
        "published_at": timezone.now() - datetime.timedelta(days=n),
    }
    article = Article(**{**fields, **overrides})
    save_article(article, authors=authors if authors is not None else [make_author()])
    article.tags.set(tags)
    article.categories.set(categories)
    return article


def log_in_to_back_office(client, username: str, password: str):
    """Submit the admin login form, as a browser would; return the response."""
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "next": "/admin/"},
    )


def _day(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.UTC)


SEARCH_WORK = {
    "type": "book",
    "title": "Mechanick Exercises on the Whole Art of Printing",
    "author": [{"family": "Moxon", "given": "Joseph"}],
    "issued": {"date-parts": [[1683]]},
}


def make_search_corpus() -> dict[str, Article]:
    """Build a small neutral corpus (type, printing, cooking, astronomy) for search
    tests; return its articles by name. Known items, phrases, stems, notes, a
    citation, a draft, a withdrawn and a scheduled article.
    """
    from broadsheet.publishing.services import unpublish_article
    from broadsheet.sources.models import Work

    Work.objects.create(key="moxon1683", csl=SEARCH_WORK)
    hester = make_author(name="Hester Quayle", slug="hester-quayle")
    tobias = make_author(name="Tobias Fenwick", slug="tobias-fenwick")
    mira = make_author(name="Mira Castellan", slug="mira-castellan")
    letterpress = make_tag(name="Letterpress", slug="letterpress")
    baking = make_tag(name="Baking", slug="baking")
    craft = make_category(name="Craft", slug="craft")
    kitchen = make_category(name="Kitchen", slug="kitchen")
    sky = make_category(name="Sky", slug="sky")
    corpus = {
        "typeface": make_article(
            title="The anatomy of a typeface",
            subtitle="Serifs, stems and the x-height",
            slug="anatomy-of-a-typeface",
            body=(
                "Every letter stands on a baseline. Serifs finish the stems, and"
                " the counters are the spaces the strokes enclose. Ascenders rise"
                " above the x-height and descenders fall below it.\n\nA winter of"
                " drawing taught the designer patience with curves."
            ),
            authors=[hester],
            tags=[letterpress],
            categories=[craft],
            published_at=_day("2024-03-10T09:00"),
        ),
        "casting": make_article(
            title="Casting metal type by hand",
            slug="casting-metal-type",
            body=(
                "Hot metal was poured into a hand mould, and the matrix gave each"
                " sort its face.[^mould] The founder pulled a specimen sheet of the"
                " new type, as Moxon describes [@moxon1683, p. 12].\n\n"
                "[^mould]: The mould was adjustable for width."
            ),
            authors=[hester],
            tags=[letterpress],
            categories=[craft],
            published_at=_day("2024-05-02T09:00"),
        ),
        "press": make_article(
            title="Keeping a small press",
            slug="keeping-a-small-press",
            body=(
                "Every sheet is fed by hand. Damp paper grows mould when it is"
                " stacked wet,[^damp] so the printed sheets dry on a line across"
                " the workshop.[^lockup]\n\n"
                "[^damp]: Dry paper takes the ink less evenly.\n"
                "[^lockup]: A quoin locks the forme tight inside the chase.\n"
            ),
            authors=[hester],
            tags=[letterpress],
            categories=[craft],
            published_at=_day("2024-07-20T09:00"),
        ),
        "sourdough": make_article(
            title="The slow rise of sourdough",
            slug="slow-rise-of-sourdough",
            body=(
                "A sourdough starter is flour and water left to ferment. Feed it"
                " daily and the bread rises slowly overnight, even in a cold"
                " winter kitchen."
            ),
            authors=[tobias],
            tags=[baking],
            categories=[kitchen],
            published_at=_day("2024-02-14T09:00"),
        ),
        "roasting": make_article(
            title="Roasting winter vegetables",
            slug="roasting-winter-vegetables",
            body=(
                "Parsnips, carrots and beets caramelise in a hot oven. Cut them"
                " evenly and turn them once."
            ),
            authors=[tobias],
            tags=[baking],
            categories=[kitchen],
            published_at=_day("2023-11-05T09:00"),
        ),
        "constellations": make_article(
            title="A field guide to the winter constellations",
            slug="winter-constellations",
            body=(
                "Orion rises in the east after dusk, with Betelgeuse at his"
                " shoulder and Sirius following. A small telescope shows the"
                " nebula in his sword."
            ),
            authors=[mira],
            categories=[sky],
            published_at=_day("2024-01-08T10:00"),
        ),
        "eclipses": make_article(
            title="Eclipses and the Saros cycle",
            slug="eclipses-and-the-saros-cycle",
            body=(
                "Eclipses repeat after a Saros of about eighteen years. During"
                " totality the constellations appear at midday; observers have"
                " named the constellations they saw, and constellations near the"
                " sun are recorded on every expedition. Constellations, planets"
                " and the corona share the darkened sky."
            ),
            authors=[mira],
            categories=[sky],
            published_at=_day("2024-09-01T09:00"),
        ),
        "draft": make_article(
            title="Unfinished notes on lithography",
            slug="notes-on-lithography",
            body="The lithographic stone is grained before every drawing.",
            authors=[hester],
            status=Article.Status.DRAFT,
            published_at=None,
        ),
        "withdrawn": make_article(
            title="Aquatint for beginners",
            slug="aquatint-for-beginners",
            body="Aquatint gives tone with resin dust bitten into the plate.",
            authors=[hester],
            published_at=_day("2024-04-01T09:00"),
        ),
        "scheduled": make_article(
            title="Mezzotint, rocked by hand",
            slug="mezzotint-rocked-by-hand",
            body="A mezzotint plate is rocked with a toothed tool until velvet.",
            authors=[hester],
            published_at=timezone.now() + datetime.timedelta(days=30),
        ),
    }
    unpublish_article(corpus["withdrawn"])
    return corpus


def make_user(role, *, username: str | None = None, with_author: bool = True):
    """A newsroom user holding `role` (editorial.roles.Role), with an Author
    linked to the account unless `with_author` is False."""
    from django.contrib.auth.models import User

    from broadsheet.editorial.roles import assign

    n = next(_serial)
    # No password: tests log in with force_login, and hashing one costs 50 ms.
    user = User.objects.create_user(username or f"{role.name.lower()}{n}")
    assign(user, role)
    if with_author:
        make_author(name=f"{role.label} {n}", slug=f"writer-{n}", user=user)
    return user


def image_file(
    name: str = "picture.jpg",
    *,
    size: tuple[int, int] = (1200, 800),
    format: str = "JPEG",
    exif=None,
):
    """An uploaded file holding a real image made with Pillow (a colour gradient)."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image as PILImage

    picture = PILImage.linear_gradient("L").resize(size).convert("RGB")
    buffer = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    picture.save(buffer, format=format, **options)
    return SimpleUploadedFile(name, buffer.getvalue())


def make_image(*, alt: str = "A hand press in a print shop", credit: str = "", **file):
    """Store an image through the library's service, as an upload would."""
    from broadsheet.media.services import store_upload

    return store_upload(image_file(**file), alt=alt, credit=credit, user=None)


# Bodies on subjects sharing no telling word with NOTED_BODY or with each other,
# for articles that must not be related by their text (discovery.related).
DISTINCT_BODIES = (
    "Comets shed dust and ice as they swing close to the sun; astronomers follow"
    " their orbits with telescopes.",
    "Sourdough rises slowly: wild yeast and lactic bacteria ferment the flour"
    " overnight in a warm kitchen.",
    "Honeybees dance to tell their sisters where nectar blooms, the angle marking"
    " the direction of the meadow.",
    "Glaciers grind valleys into broad troughs, carrying boulders far from the"
    " mountains where they fell.",
    "Violin makers carve spruce tops and maple backs, tuning each plate by tapping"
    " and listening.",
    "Tidal pools shelter anemones, limpets and crabs between the rising and falling"
    " sea.",
)
