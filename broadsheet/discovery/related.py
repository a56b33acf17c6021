"""Related reading v1: articles sharing the most tags and categories, newest first."""

from django.db.models import Count, Q

from broadsheet.content.models import Article


def related_articles(article: Article, *, limit: int = 4) -> list[Article]:
    """Return live articles that share the most tags/categories with `article`."""
    tag_ids = list(article.tags.values_list("pk", flat=True))
    category_ids = list(article.categories.values_list("pk", flat=True))
    if not tag_ids and not category_ids:
        return []
    shared = Q(tags__in=tag_ids) | Q(categories__in=category_ids)
    candidates = (
        Article.objects.live()
        .exclude(pk=article.pk)
        .filter(shared)
        .annotate(
            shared_tags=Count("tags", filter=Q(tags__in=tag_ids), distinct=True),
            shared_categories=Count(
                "categories", filter=Q(categories__in=category_ids), distinct=True
            ),
        )
        .order_by("-shared_tags", "-shared_categories", "-published_at", "-pk")
        .with_bylines()
        .defer("body", "body_html", "notes_html", "toc")
    )
    return list(candidates[:limit])
