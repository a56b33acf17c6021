"""The works-cited list: the style's entries, each linked back to its citations.

Kept apart from formatting: the style decides each entry's text and their
order, while the list's markup is the page's own, with a stable id per work
made from its key and a back-link to every spot that cites it, so a reader can
return from the list to the text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from broadsheet.rendering.citations.syntax import Cluster


def works_cited(
    bibliography: Sequence[tuple[str, str]], order: Sequence[Cluster]
) -> str:
    """Return the works-cited section for entries formatted in the style's order."""
    if not bibliography:
        return ""
    anchors: dict[str, list[str]] = {}
    for cluster in order:
        if cluster.problems:
            continue
        for item in cluster.items:
            spots = anchors.setdefault(item.key, [])
            if cluster.anchor not in spots:
                spots.append(cluster.anchor)
    items = []
    for key, entry in bibliography:
        links = " ".join(
            f'<a href="#{anchor}" class="cite-backref" role="doc-backlink"'
            f' aria-label="Back to citation {number}">↩'
            + (f"<sup>{number}</sup>" if number > 1 else "")
            + "</a>"
            for number, anchor in enumerate(anchors.get(key, []), start=1)
        )
        items.append(
            f'<li id="{work_anchor(key)}" class="csl-entry">{entry} {links}</li>\n'
        )
    return (
        '<section class="works-cited" role="doc-bibliography"'
        ' aria-labelledby="works-cited-heading">\n'
        '<h2 id="works-cited-heading">Works cited</h2>\n'
        '<ul class="works-cited-list">\n' + "".join(items) + "</ul>\n</section>\n"
    )


def work_anchor(key: str) -> str:
    """Return the HTML id of a work's entry in an article's works cited."""
    return "work-" + re.sub(r"[^\w-]+", "-", key).strip("-").lower()
