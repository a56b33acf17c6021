"""Related reading v1: articles sharing the most tags and categories, newest first."""

from django.db import connection
from django.utils import timezone

from broadsheet.content.models import Article

# One pass over the two link tables, scored in SQL: on a 10,000-article site the
# ORM's double many-to-many join with DISTINCT counts cost tens of milliseconds.
RELATED_SQL = """
SELECT a.id FROM {article} a
JOIN (
    SELECT article_id, COUNT(*) AS score FROM (
        SELECT article_id FROM {tags} WHERE tag_id IN ({tag_ids})
        UNION ALL
        SELECT article_id FROM {categories} WHERE category_id IN ({category_ids})
    ) shared GROUP BY article_id
) s ON s.article_id = a.id
WHERE a.id <> %s AND a.status IN (%s, %s) AND a.published_at <= %s
ORDER BY s.score DESC, a.published_at DESC, a.id DESC
LIMIT %s
"""


def related_ids(
    article_id: int, *, tag_ids: list[int], category_ids: list[int], limit: int = 4
) -> list[int]:
    """Return the ids of live articles sharing the most of these tags and categories."""
    if not tag_ids and not category_ids:
        return []
    sql = RELATED_SQL.format(
        article=Article._meta.db_table,
        tags=Article.tags.through._meta.db_table,
        categories=Article.categories.through._meta.db_table,
        tag_ids=", ".join(["%s"] * len(tag_ids)) or "NULL",
        category_ids=", ".join(["%s"] * len(category_ids)) or "NULL",
    )
    params = [
        *tag_ids,
        *category_ids,
        article_id,
        Article.Status.PUBLISHED,
        Article.Status.SCHEDULED,
        timezone.now(),
        limit,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]
