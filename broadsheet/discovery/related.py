"""Related reading: recent articles sharing the most tags and categories."""

from django.db import connection
from django.utils import timezone

from broadsheet.content.models import Article

# Candidates are the CANDIDATES_PER_TERM most recently added articles of each of
# the article's tags and categories, read from the link tables' own indexes; then
# scored by how many terms they share. Scoring every article of a broad tag (a
# third of a 10,000-article site) cost ~40 ms per uncached page and dominated the
# static export; the bounded version costs about a millisecond at any size.
CANDIDATES_PER_TERM = 200
RELATED_SQL = """
SELECT a.id FROM {article} a
JOIN (
    SELECT article_id, COUNT(*) AS score FROM ({candidates}) shared
    GROUP BY article_id
) s ON s.article_id = a.id
WHERE a.id <> %s AND a.status IN (%s, %s) AND a.published_at <= %s
ORDER BY s.score DESC, a.published_at DESC, a.id DESC
LIMIT %s
"""
NEWEST_OF_TERM = (
    "SELECT * FROM (SELECT article_id FROM {table} WHERE {column} = %s"
    " ORDER BY article_id DESC LIMIT {limit}) {alias}"
)


def related_ids(
    article_id: int, *, tag_ids: list[int], category_ids: list[int], limit: int = 4
) -> list[int]:
    """Return the ids of live articles sharing the most of these tags and categories."""
    if not tag_ids and not category_ids:
        return []
    terms = [(Article.tags.through, "tag_id", pk) for pk in tag_ids] + [
        (Article.categories.through, "category_id", pk) for pk in category_ids
    ]
    candidates = " UNION ALL ".join(
        NEWEST_OF_TERM.format(
            table=through._meta.db_table,
            column=column,
            limit=CANDIDATES_PER_TERM,
            alias=f"t{n}",
        )
        for n, (through, column, _) in enumerate(terms)
    )
    sql = RELATED_SQL.format(article=Article._meta.db_table, candidates=candidates)
    params = [
        *(pk for _, _, pk in terms),
        article_id,
        Article.Status.PUBLISHED,
        Article.Status.SCHEDULED,
        timezone.now(),
        limit,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]
