"""What the system tests read from a site's database, run inside the site's own
`broadsheet manage shell` (see `ask()`): each function returns plain JSON data."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]


def ask(env: dict[str, str], function: str, **arguments: Any) -> Any:
    """Call `function` of this module in the site of `env`; return its answer."""
    from tests.system.serving import broadsheet

    code = (
        "import json\nfrom tests.system import site_state\n"
        f"print(json.dumps(site_state.{function}(**json.loads({json.dumps(arguments)!r}))))"
    )
    result = broadsheet(
        {**env, "PYTHONPATH": str(REPO)}, "manage", "shell", "--no-imports", "-c", code
    )
    if result.returncode != 0:
        raise subprocess.SubprocessError(result.stdout + result.stderr)
    return json.loads(result.stdout.splitlines()[-1])


def publication(pk: int) -> dict:
    """Article `pk`'s publication and everything that must agree with it."""
    from broadsheet.content.models import Article
    from broadsheet.discovery.models import (
        ArticleTerms,
        RelatedArticle,
        RelatedTerm,
        SearchDocument,
    )
    from broadsheet.editorial.models import AuditEvent, WorkflowEvent

    article = Article.objects.get(pk=pk)
    shown = set(
        Article.objects.filter(status__in=["published", "scheduled"]).values_list(
            "pk", flat=True
        )
    )
    lists = RelatedArticle.objects.values_list("article_id", "related_id")
    return {
        "status": article.status,
        "version": article.version,
        "body": article.body,
        "first_published": article.first_published_at is not None,
        "indexed": SearchDocument.objects.filter(article_id=pk).exists(),
        "terms": ArticleTerms.objects.filter(article_id=pk).exists(),
        "related_terms": RelatedTerm.objects.filter(article_id=pk).count(),
        "events": list(
            WorkflowEvent.objects.filter(article_id=pk).values_list("action", flat=True)
        ),
        "audited": AuditEvent.objects.filter(
            kind=AuditEvent.Kind.PUBLISHED, target__contains=f"#{pk},"
        ).count(),
        # Derived rows of every article, not this one only: none half-written.
        "index_matches": set(
            SearchDocument.objects.values_list("article_id", flat=True)
        )
        == shown,
        "related_shown": {pk for pair in lists for pk in pair} <= shown,
        "terms_shown": set(RelatedTerm.objects.values_list("article_id", flat=True))
        <= shown,
        "database": database_check(),
    }


def database_check() -> dict:
    """The database's own verdict on its file: SQLite's integrity and foreign key
    checks ({} on PostgreSQL, which keeps its pages checked itself)."""
    from django.db import connection

    if connection.vendor != "sqlite":
        return {}
    with connection.cursor() as cursor:
        integrity = cursor.execute("PRAGMA integrity_check").fetchall()
        foreign_keys = cursor.execute("PRAGMA foreign_key_check").fetchall()
    return {"integrity": [list(row) for row in integrity], "foreign_keys": foreign_keys}


HEALTHY = {"integrity": [["ok"]], "foreign_keys": []}


def load_run(shared: int) -> dict:
    """After the load test: every article's views, the shared draft's saves and
    the live articles' published changes."""
    from broadsheet.content.models import Article
    from broadsheet.editorial.models import Revision
    from broadsheet.readership.counting import view_count

    kind = Revision.Kind
    draft = Article.objects.get(pk=shared)
    revisions = list(draft.revisions.order_by("number"))
    return {
        "views": {
            article.slug: view_count(article) for article in Article.objects.all()
        },
        "shared": {
            "version": draft.version,
            "body": draft.body,
            "saved": [r.content["body"] for r in revisions if r.kind == kind.SAVED],
            "conflicts": sum(r.kind == kind.CONFLICT for r in revisions),
        },
        "live": {str(a.pk): a.body for a in Article.objects.live()},
        "published": sorted(Article.objects.live().values_list("slug", flat=True)),
        "changes": {
            str(article.pk): [
                r.content["body"]
                for r in article.revisions.order_by("number")
                if r.kind == kind.PUBLISHED
            ]
            for article in Article.objects.filter(title__startswith="Crust Notes")
        },
    }


def import_run() -> dict:
    """What a WordPress import leaves: counts of each kind of row it writes."""
    from broadsheet.content.models import Article, Author, Category, Tag
    from broadsheet.migration.models import ImportedItem
    from broadsheet.publishing.models import Redirect
    from broadsheet.readership.models import DailyViews

    return {
        "articles": Article.objects.count(),
        "authors": Author.objects.count(),
        "tags": Tag.objects.count(),
        "categories": Category.objects.count(),
        "imported": ImportedItem.objects.count(),
        "redirects": Redirect.objects.count(),
        "view_rows": DailyViews.objects.count(),
        "database": database_check(),
    }


def views(slug: str) -> int:
    """The article's views as the site counts them."""
    from broadsheet.content.models import Article
    from broadsheet.readership.counting import view_count

    return view_count(Article.objects.get(slug=slug))
