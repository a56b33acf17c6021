"""Front pages: the lead story first, then a few secondary stories, then the rest.

The home page and each category's section page are fronts. Their first page opens
with a lead story (the newest live article an editor marked `sticky`, else the
newest), drawn wide with its image loaded first; the next few stories sit beside or
below it, and the rest follow as a list. Later pages are plain lists of the same
order, so an article never appears on two pages of one list.

The cards are the stored ones (web.fragments): a role changes only the card's class,
heading level and image hints, by replacing strings its own template writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import overload

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from broadsheet.content.models import Article
from broadsheet.web import fragments, snapshot

SECONDARY = 4  # stories after the lead on a front's first page
# What web/_article_card.html writes, and what each role puts in its place: the
# browser picks a rendition from srcset by these sizes (web/site.css widths).
CARD_CLASS = '<article class="card'
CARD_SIZES = 'sizes="(min-width: 37.5rem) 10rem, 30vw"'
LAZY = ' loading="lazy"'
ROLE_SIZES = {
    "lead": 'sizes="(min-width: 64em) 42rem, calc(100vw - 2.5rem)"',
    "secondary": 'sizes="(min-width: 64em) 14rem, (min-width: 40em) 10rem, 30vw"',
}


def lead_id(request: HttpRequest, filters: dict[str, object]) -> int | None:
    """The newest live sticky article among `filters`, or None when none is sticky."""

    def read() -> list[int | None]:
        pinned = Article.objects.live().filter(sticky=True, **filters)
        return [pinned.values_list("pk", flat=True).first()]

    key = ("lead", *sorted((name, getattr(v, "pk", v)) for name, v in filters.items()))
    held = snapshot.held(request, key, read)
    return (read() if held is None else held)[0]


class LeadFirst(Sequence):
    """A list's article ids with its lead moved to the front, for Paginator.

    Slices only what a page asks for, so a front of 10,000 articles still reads ten
    ids per page; `ids` is a QuerySet (the server) or a list (an export's snapshot).
    """

    def __init__(self, lead: int, ids: QuerySet | list[int]) -> None:
        self.lead = lead
        self.total = ids.count() if isinstance(ids, QuerySet) else len(ids)
        if isinstance(ids, QuerySet):
            self.rest = ids.exclude(pk=lead)
        else:
            self.rest = [pk for pk in ids if pk != lead]

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> list[int]: ...

    def __getitem__(self, index):
        if isinstance(index, int):
            return self[index : index + 1][0]
        start, stop, _ = index.indices(self.total)
        if start >= stop:
            return []
        if start == 0:
            return [self.lead, *self.rest[0 : stop - 1]]
        return list(self.rest[start - 1 : stop - 1])


def card_in_role(card: fragments.Card, role: str, level: int = 2) -> SafeString:
    """A stored card drawn as the front's "lead" or a "secondary" story."""
    html = str(fragments.card_at_level(card, level))
    html = html.replace(CARD_CLASS, f"{CARD_CLASS} card-{role}", 1)
    html = html.replace(CARD_SIZES, ROLE_SIZES[role], 1)
    if role == "lead":  # the largest paint of the page: fetched first, never lazily
        html = html.replace(LAZY, ' fetchpriority="high"', 1)
    return mark_safe(html)  # noqa: S308 - a stored card, fixed strings replaced


def front_slots(cards: list[fragments.Card]) -> dict[str, str]:
    """The lead, secondary and remaining cards of a front's first page, as markup."""
    lead, secondary, rest = cards[:1], cards[1 : 1 + SECONDARY], cards[1 + SECONDARY :]
    return {
        "lead": "".join(card_in_role(card, "lead") for card in lead),
        "secondary": "\n".join(card_in_role(card, "secondary") for card in secondary),
        "cards": "\n".join(fragments.card_at_level(card, 3) for card in rest),
    }
