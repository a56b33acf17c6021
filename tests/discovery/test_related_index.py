"""RelatedIndex (the static export's related reading) agrees with related_ids()."""

import datetime
import random

import pytest
from django.utils import timezone

from broadsheet.content.models import Article
from broadsheet.discovery import related
from broadsheet.discovery.related import RelatedIndex, related_ids
from tests.factories import make_article, make_category, make_tag

pytestmark = pytest.mark.django_db


def test_the_index_ranks_every_article_as_the_query_does(monkeypatch):
    # Few candidates per term, so the newest-links cut-off matters too.
    monkeypatch.setattr(related, "CANDIDATES_PER_TERM", 5)
    draw = random.Random(7)
    tags = [make_tag() for _ in range(4)]
    categories = [make_category() for _ in range(2)]
    same_moment = timezone.now() - datetime.timedelta(days=3)
    articles = [
        make_article(
            tags=draw.sample(tags, draw.randint(0, 3)),
            categories=draw.sample(categories, draw.randint(0, 1)),
            # Ties on the date leave the order to the id, as in the query.
            **({"published_at": same_moment} if n % 4 == 0 else {}),
        )
        for n in range(24)
    ]
    Article.objects.filter(pk=articles[5].pk).update(status=Article.Status.DRAFT)
    index = RelatedIndex()
    compared = 0
    for article in articles:
        terms = {
            "tag_ids": list(article.tags.values_list("pk", flat=True)),
            "category_ids": list(article.categories.values_list("pk", flat=True)),
        }
        expected = related_ids(article.pk, **terms)
        assert index.related_ids(article.pk, **terms) == expected, article
        compared += bool(expected)
    assert compared > 15  # most articles have related reading to compare
