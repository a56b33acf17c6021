"""The fast path of a search without filters (search/backends/topk.py).

Above a backend's RANK_LIMIT hits only the newest and the heading hits are
scored; the count is still every live hit. RANK_LIMIT is lowered here so that
the small corpus reaches it. Run on SQLite and PostgreSQL.
"""

import datetime

import pytest
from django.db import connection

from broadsheet.discovery.search import Filters, backends, search

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def slugs(results) -> list[str]:
    return [hit.slug for hit in results.hits]


def test_a_very_common_query_counts_every_hit_and_keeps_heading_hits_first(
    corpus, monkeypatch
):
    exact = [slugs(search("winter", page=n, per_page=1)) for n in (1, 2, 3, 4)]
    monkeypatch.setattr(backends.for_connection(connection), "RANK_LIMIT", 1)
    capped = search("winter", per_page=1)
    assert capped.total == 4
    assert slugs(capped) == exact[0]  # a title hit, scored whatever its age
    pages = [slugs(search("winter", page=n, per_page=1)) for n in (1, 2, 3, 4)]
    assert sorted(sum(pages, [])) == sorted(sum(exact, []))  # every hit reachable


def test_the_fast_path_and_the_filtered_query_agree(corpus):
    # A date range that holds everything takes the exact query (filters).
    everything = Filters(date_from=datetime.date(1900, 1, 1))
    for query in ["winter", "type", '"hand mould"', "printing press"]:
        fast, exact = search(query), search(query, everything)
        assert (slugs(fast), fast.total) == (slugs(exact), exact.total), query
