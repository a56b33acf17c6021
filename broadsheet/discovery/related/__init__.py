"""Related reading: each article's "Read more" list, stored, never scored per request.

Articles are related by what their text is about (the cosine of their heaviest
TF-IDF terms, from the search index's text: `terms`, `vectors`), blended with the
tags, categories, authors and works they share (`scoring`). Publishing calls
``update_for()`` inside each publish, edit, withdrawal and scheduled flip, which
recomputes the lists that change (`lists`) and returns whose they are, for the
page cache; receivers do the same when an article's tags or categories change.
``related_to()`` reads one list (the article page), ``all_lists()`` every list
(the static export), ``rebuild_related()`` redoes everything (`broadsheet reindex`).
Inside ``deferred()`` (an import), ``defer()`` collects the changed articles and
``update_many()`` relates them together as the block ends (`bulk`).
"""

from broadsheet.discovery.related.bulk import defer, deferred, update_many
from broadsheet.discovery.related.lists import (
    SHOWN,
    all_lists,
    recompute,
    related_to,
    update_for,
)
from broadsheet.discovery.related.rebuild import rebuild_related

__all__ = [
    "SHOWN",
    "all_lists",
    "defer",
    "deferred",
    "rebuild_related",
    "recompute",
    "related_to",
    "update_for",
    "update_many",
]
