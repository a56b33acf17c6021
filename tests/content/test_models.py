"""Article's QuerySet methods besides the live rule (tests/content/test_live_rule)."""

import threading

import pytest
from django.db import DatabaseError, connection, transaction

from broadsheet.content.models import Article
from broadsheet.discovery.models import RelatedArticle
from tests.factories import DISTINCT_BODIES, make_article


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_article_locked_for_an_edit_may_still_be_pointed_at_by_other_rows():
    """Two publishes each lock their article and write related reading pointing at
    the other's; under FOR UPDATE the foreign key checks at commit deadlocked."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite locks the whole database, not rows")
    locked = make_article(title="Paper Sizes")
    other = make_article(title="Comets", body=DISTINCT_BODIES[0])
    outcome = {}

    def point_at_it() -> None:
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '2s'")
                RelatedArticle.objects.create(
                    article=other, related=locked, rank=7, score=0.5
                )
            outcome["committed"] = True
        except DatabaseError as error:
            outcome["error"] = str(error)
        finally:
            connection.close()

    with transaction.atomic():
        Article.objects.for_update().get(pk=locked.pk)
        elsewhere = threading.Thread(target=point_at_it)
        elsewhere.start()
        elsewhere.join()

    assert outcome == {"committed": True}
