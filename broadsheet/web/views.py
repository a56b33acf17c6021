"""Public views: wrap stored HTML in templates; never render Markdown per request."""

from __future__ import annotations

import dataclasses
import datetime
import html
import sys
from collections.abc import Iterable

from django.conf import settings
from django.core import paginator
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from broadsheet.content.models import Article, Author, Category, Page, SiteSettings, Tag
from broadsheet.discovery import related as related_reading
from broadsheet.pagecache.middleware import cache_surfaces
from broadsheet.publishing import redirects
from broadsheet.publishing.site_address import absolute_url
from broadsheet.publishing.surfaces import (
    ALL_LISTS,
    AUTHOR_INDEX,
    SITE,
    article_surface,
    related_surface,
    row_surface,
    term_surfaces,
)
from broadsheet.readership import counting
from broadsheet.web import fragments, fronts, layout, snapshot
from broadsheet.web.models import ArticleFragments
from broadsheet.web.storage_refusals import storage_refusal

# Shown view counts may lag by at most 60 s: this, plus pagecache.store's
# LOCAL_SECONDS (15), plus the default view flush (BROADSHEET_VIEW_FLUSH_SECONDS, 2).
ARTICLE_TIMEOUT = 40


def _paginate(
    request: HttpRequest, number: int, *, lead: bool = False, **filters: object
) -> paginator.Page:
    """Return page `number` of the list of live articles matching `filters`; page 1
    of an empty list exists, nothing else. Lists page over article ids; each article
    shows as its stored card. With `lead`, a front's pinned lead story comes first
    (web.fronts).

    Pages are paths (/tags/ink/page/2/), not query strings, so the static export can
    write every page to a file at the same URL; it reads each list once (web.snapshot),
    and then does not even build the query (which cost as much as the page).
    """

    def query() -> QuerySet:
        return Article.objects.live().filter(**filters).values_list("pk", flat=True)

    key = ("list", *sorted((name, getattr(v, "pk", v)) for name, v in filters.items()))
    held = snapshot.held(request, key, lambda: list(query()))
    ids = query() if held is None else held
    pinned = fronts.lead_id(request, filters) if lead else None
    if pinned is not None:
        ids = fronts.LeadFirst(pinned, ids)
    pages = paginator.Paginator(ids, settings.BROADSHEET_PAGE_SIZE)
    if not 1 <= number <= pages.num_pages:
        raise Http404("No such page of results.")
    return pages.page(number)


def shown(articles: Iterable[fragments.Card]) -> set[str]:
    """Surfaces of articles shown on a page: each article, its byline's authors and
    the categories its card names."""
    surfaces = set()
    for item in articles:
        surfaces.add(article_surface(item.article_id))
        surfaces |= {row_surface("author", pk) for pk in item.author_ids}
        surfaces |= {row_surface("category", pk) for pk in item.category_ids}
    return surfaces


@dataclasses.dataclass
class ListPage:
    """One page of a list, drawn from its template's layout (web.layout).

    The list's own values fill the layout's slots: `texts` are plain text (escaped
    here), `html` is markup already; an empty value leaves its slot out, so the
    template's {% if %} sees it absent. Rendering the whole template per page cost
    three quarters of a list page (and of a static export's thousands of them).
    """

    request: HttpRequest
    template: str
    page: paginator.Page
    first_page: str
    surfaces: set[str]
    texts: dict[str, str] = dataclasses.field(default_factory=dict)
    html: dict[str, str] = dataclasses.field(default_factory=dict)
    card_level: int = 2
    front: bool = False  # page 1 opens with a lead and secondary stories

    def response(self) -> HttpResponse:
        listed = fragments.cards_for(self.page.object_list)
        values = {name: html.escape(text) for name, text in self.texts.items()}
        values |= self.html
        if self.front and self.page.number == 1:
            values |= fronts.front_slots(listed)
        else:
            values["cards"] = "\n".join(
                fragments.card_at_level(item, self.card_level) for item in listed
            )
        values["pagination"] = loader.render_to_string(
            "web/_pagination.html",
            {"page_obj": self.page, "first_page": self.first_page},
        )
        if self.page.number > 1:
            values["page_suffix"] = f" · page {self.page.number}"
        present = sorted(name for name, value in values.items() if value)
        slots = {name: layout.slot(name) for name in present}
        frame = layout.layout(self.request, self.template, slots, variant=present)
        body = frame.fill({name: values[name].encode() for name in present})
        return cache_surfaces(
            HttpResponse(body), {SITE, *self.surfaces, *shown(listed)}
        )


def home(request: HttpRequest, page: int = 1) -> HttpResponse:
    if page == 1 and (old := redirects.home_query(request.META.get("QUERY_STRING"))):
        # A moved-in site's /?p=21. Kept under its own key (the hot path asks
        # for it only when such a redirect exists: serving.moved); any other
        # value is the home page, as every other query string is.
        response = moved(old)
        if response is not None:
            response.query_params = frozenset(redirects.OLD_QUERY_KEYS)
            return response
    page = _paginate(request, page, lead=True)
    template = "web/article_list.html"
    listing = ListPage(request, template, page, "/", {ALL_LISTS}, front=True)
    return listing.response()


# A redirect answer is kept in the page cache at most this long, though what it
# depends on (its target, the Redirect rows) is invalidated by surfaces: a row
# changed by hand in the database sends no signal.
MOVED_TIMEOUT = 3600


def moved(old: str) -> HttpResponse | None:
    """A 301 from a moved-in site's old address to where it lives now, marked for
    the page cache (so the hot path answers it next time); None when unknown."""
    found = redirects.find(old)
    if found is None:
        return None
    response = HttpResponsePermanentRedirect(found.url)
    return cache_surfaces(response, set(found.surfaces), timeout=MOVED_TIMEOUT)


def article(request: HttpRequest, slug: str) -> HttpResponse:
    """The article page: stored fragments plus view count and related reading."""
    own = fragments.live_article(slug, timezone.now())
    if own is None:
        raise Http404("No such article.")
    pk = own.article_id
    if request.method == "GET":
        # META, not request.headers: that builds a dict of every header first
        counting.record_reader_view(pk, request.META.get("HTTP_USER_AGENT", ""))
    related = _related(request, own)
    cards = "".join(fragments.card_at_level(item, 3) for item in related)
    page_layout = _article_layout(request, has_related=bool(related))
    page = page_layout.fill(
        {
            "title": html.escape(own.title).encode(),
            "summary": html.escape(own.summary).encode(),
            "head": own.head,
            "header": fragments.header_bytes_with_views(
                own.header, counting.view_count(pk), page_layout.site.views_shown_from
            ),
            "main": own.main,
            "related": cards.encode(),
        }
    )
    response = HttpResponse(page)
    response["Last-Modified"] = http_date(own.updated_at.timestamp())
    surfaces = {SITE, related_surface(pk), article_surface(pk), *shown(related)}
    surfaces |= {row_surface("author", author) for author in own.author_ids}
    for kind, ids in [("tag", own.tag_ids), ("category", own.category_ids)]:
        # Re-linking one of these terms may change the stored related list; a
        # publish or edit announces the lists it changed (discovery.related).
        surfaces |= {name for pk in ids for name in term_surfaces(kind, pk)}
    return cache_surfaces(response, surfaces, timeout=ARTICLE_TIMEOUT, article_id=pk)


def _article_layout(request: HttpRequest, *, has_related: bool) -> layout.Layout:
    slots = {
        "fragments": {
            "title": layout.slot("title"),
            "summary": layout.slot("summary"),
            "head_html": layout.slot("head"),
            "main_html": layout.slot("main"),
        },
        "header": layout.slot("header"),
        "related": [layout.slot("related")] if has_related else [],
    }
    return layout.layout(
        request, "web/article_detail.html", slots, variant=[has_related]
    )


def _related(
    request: HttpRequest, own: ArticleFragments | fragments.ArticlePage
) -> list[fragments.Card]:
    # The stored list (discovery.related); the static export reads every list once.
    lists = snapshot.held(request, "related", related_reading.all_lists)
    if lists is None:
        ids = related_reading.related_to(own.article_id)
    else:
        ids = lists.get(own.article_id, [])
    return fragments.cards_for(ids)


def author_index(request: HttpRequest) -> HttpResponse:
    # Counting only live articles hides authors known only from drafts.
    live = Q(articles__in=Article.objects.live())
    authors = (
        Author.objects.annotate(article_count=Count("articles", filter=live))
        .filter(article_count__gt=0)
        .order_by("name", "pk")  # stated: PostgreSQL's grouping left it to chance
    )
    response = render(request, "web/author_index.html", {"authors": authors})
    return cache_surfaces(response, {SITE, ALL_LISTS, AUTHOR_INDEX})


def author(request: HttpRequest, slug: str, page: int = 1) -> HttpResponse:
    obj = get_object_or_404(Author.objects.prefetch_related("links"), slug=slug)
    page = _paginate(request, page, authors=obj)
    header = loader.render_to_string("web/_author_header.html", {"author": obj})
    surfaces = term_surfaces("author", obj.pk)
    return ListPage(
        request,
        "web/author_detail.html",
        page,
        obj.get_absolute_url(),
        surfaces,
        texts={"name": obj.name},
        html={"author_header": header, "feed_links": _feed_links("author", obj)},
        card_level=3,
    ).response()


def category(request: HttpRequest, slug: str, page: int = 1) -> HttpResponse:
    obj = get_object_or_404(Category.objects.select_related("parent"), slug=slug)
    page = _paginate(request, page, lead=True, categories=obj)
    texts = {"heading": obj.name, "kind": "Section", "description": obj.description}
    surfaces = term_surfaces("category", obj.pk)
    template = "web/article_list.html"
    links = {"feed_links": _feed_links("category", obj)}
    nearby = [obj.parent] if obj.parent else []
    children = list(obj.children.order_by("name"))
    if nearby or children:  # their names are shown: renaming one retires this page
        links["sections"] = loader.render_to_string(
            "web/_sections.html", {"parent": obj.parent, "children": children}
        )
        surfaces |= {row_surface("category", c.pk) for c in nearby + children}
    return ListPage(
        request,
        template,
        page,
        obj.get_absolute_url(),
        surfaces,
        texts,
        links,
        front=True,
    ).response()


def tag(request: HttpRequest, slug: str, page: int = 1) -> HttpResponse:
    obj = get_object_or_404(Tag, slug=slug)
    page = _paginate(request, page, tags=obj)
    texts = {"heading": obj.name, "kind": "Tag"}
    surfaces = term_surfaces("tag", obj.pk)
    template = "web/article_list.html"
    links = {"feed_links": _feed_links("tag", obj)}
    return ListPage(
        request, template, page, obj.get_absolute_url(), surfaces, texts, links
    ).response()


def _feed_links(kind: str, term: Author | Category | Tag) -> str:
    """The <link rel=alternate> tags that let feed readers find a term's feeds."""
    return loader.render_to_string(
        "web/_feed_links.html",
        {
            "name": str(term),
            "rss": reverse(f"web:{kind}-feed-rss", kwargs={"slug": term.slug}),
            "atom": reverse(f"web:{kind}-feed-atom", kwargs={"slug": term.slug}),
        },
    )


def archive_index(request: HttpRequest) -> HttpResponse:
    months = (
        Article.objects.live()
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by("-month")
    )
    response = render(request, "web/archive_index.html", {"months": months})
    return cache_surfaces(response, {SITE, ALL_LISTS})


def archive_month(
    request: HttpRequest, year: int, month: int, page: int = 1
) -> HttpResponse:
    if not 1 <= month <= 12 or not 1 <= year <= 9999:
        raise Http404("No such month.")
    start = datetime.datetime(year, month, 1, tzinfo=datetime.UTC)
    end = (start + datetime.timedelta(days=32)).replace(day=1)
    page = _paginate(request, page, published_at__gte=start, published_at__lt=end)
    texts = {"heading": start.strftime("%B %Y"), "kind": "Archive"}
    first_page = request.path.split("page/")[0]
    template = "web/article_list.html"
    return ListPage(request, template, page, first_page, {ALL_LISTS}, texts).response()


def most_read(request: HttpRequest) -> HttpResponse:
    articles = counting.most_read(days=None, limit=20)
    views = {article.pk: article.period_views for article in articles}
    listed = [(card, views[card.article_id]) for card in fragments.cards_for(views)]
    shown_from = SiteSettings.load().views_shown_from
    entries = [
        (fragments.card_at_level(item, 2), fragments.views_text(count, shown_from))
        for item, count in listed
    ]
    response = render(request, "web/most_read.html", {"entries": entries})
    surfaces = {SITE, ALL_LISTS, *shown(item for item, _ in listed)}
    return cache_surfaces(response, surfaces, timeout=ARTICLE_TIMEOUT)


def page(request: HttpRequest, slug: str) -> HttpResponse:
    obj = Page.objects.filter(slug=slug, is_published=True).first()
    if obj is None:
        # /slug/ was a WordPress post's address as often as a page's.
        response = moved(request.path_info)
        if response is None:
            raise Http404("No such page.")
        return response
    response = render(request, "web/page_detail.html", {"page": obj})
    return cache_surfaces(response, {SITE, row_surface("page", obj.pk)})


def robots_txt(request: HttpRequest) -> HttpResponse:
    """Keep crawlers out of the back office and previews; point them to the sitemap."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /preview/",
        "Disallow: /newsroom/",
        f"Sitemap: {absolute_url('/sitemap.xml')}",
    ]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
    return cache_surfaces(response, {SITE})


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A moved-in site's old address is sent on (301); anything else is a 404."""
    response = moved(request.path_info)
    if response is not None:
        return response  # kept by the page cache: the hot path answers it next
    return render(request, "web/404.html", status=404)


# Seconds a client is told to wait when storage refused a write (web/503.html).
RETRY_AFTER_SECONDS = 120


def server_error(request: HttpRequest) -> HttpResponse:
    """500 for an error in the code; 503 saying why when the disk or the database
    refused a write (the editor's autosave, asking with fetch, gets JSON)."""
    reason = storage_refusal(sys.exc_info()[1])
    if reason is None:
        # No context processors: the database may be what failed.
        return HttpResponse(loader.get_template("web/500.html").render(), status=500)
    if request.headers.get("X-Requested-With") == "fetch":
        response = JsonResponse({"error": reason}, status=503)
    else:
        page = loader.get_template("web/503.html").render({"reason": reason})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
