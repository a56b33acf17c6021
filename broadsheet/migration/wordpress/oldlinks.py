"""Every address the old site answered, sent on to where its content lives now.

Posts and pages record their own permalinks as they are saved (load.py); this
module records the rest once every record is in: category, tag and author
archives and their feeds (as paths and as the home page's ?cat=, ?tag= and
?author= queries), attachment pages (?attachment_id=N and their own paths) to
the library's file or else to their post, and the site's other feeds.
WordPress's default bases are assumed (/category/, /tag/, /author/): an export
does not say which bases the site had configured.
"""

from __future__ import annotations

from urllib.parse import unquote

from broadsheet.migration.models import ImportedItem
from broadsheet.migration.wordpress.media import MediaLibrary
from broadsheet.migration.wordpress.terms import Vocabulary, slug_of
from broadsheet.publishing import redirects

_BATCH = 500  # ids per query: under every database's limit on parameters
# The old site's own feeds that have one here: comments have none, so the posts'.
SITE_FEEDS = {
    "/feed/rss2/": "/feed/",
    "/feed/rss/": "/feed/",
    "/feed/rdf/": "/feed/",
    "/comments/feed/": "/feed/",
    "/comments/feed/atom/": "/feed/atom/",
}


def remember_old_addresses(source: str, terms: Vocabulary, media: MediaLibrary) -> None:
    """Record a redirect for every old archive, feed and attachment address."""
    for old, target in SITE_FEEDS.items():
        redirects.remember_path(old, target)
    for old, target in archive_addresses(terms):
        redirects.remember_path(old, target)
        if not old.startswith("/?"):
            redirects.remember_path(old + "feed/", target + "feed/")
            redirects.remember_path(old + "feed/atom/", target + "feed/atom/")
    _attachments(source, media)


def archive_addresses(terms: Vocabulary) -> list[tuple[str, str]]:
    """(old address, new path) of each category, tag and author archive."""
    pairs = []
    for raw_slug, parent, term_id, category in terms.declared_categories():
        target = category.get_absolute_url()
        pairs.append((f"/category/{unquote(raw_slug)}/", target))
        chain = _chain(raw_slug, parent, terms)
        if len(chain) > 1:
            pairs.append(("/category/" + "/".join(chain) + "/", target))
        if term_id:
            pairs.append((redirects.old_query("cat", term_id), target))
    for raw_slug, tag in terms.declared_tags():
        target = tag.get_absolute_url()
        pairs.append((f"/tag/{unquote(raw_slug)}/", target))
        pairs.append((redirects.old_query("tag", unquote(raw_slug)), target))
    for login, author_id, author in terms.declared_authors():
        target = author.get_absolute_url()
        # WordPress's address uses the login's "nicename", its slug.
        for name in dict.fromkeys([slug_of(login), login]):
            if name and "/" not in name:
                pairs.append((f"/author/{name}/", target))
        if author_id:
            pairs.append((redirects.old_query("author", author_id), target))
    return pairs


def _chain(raw_slug: str, parent: str, terms: Vocabulary) -> list[str]:
    """The category's path under /category/: its ancestors' slugs, then its own."""
    chain, seen = [unquote(raw_slug)], {raw_slug}
    parents = terms.category_parents
    while parent and parent not in seen and len(chain) < 20:  # a loop in bad data
        seen.add(parent)
        chain.insert(0, unquote(parent))
        parent = parents.get(parent, "")
    return chain


def _attachments(source: str, media: MediaLibrary) -> None:
    """An attachment page goes to the library's file, else to its post."""
    waiting = sorted({a.parent for a in media.by_id.values() if not a.image_url})
    posts = {}
    for start in range(0, len(waiting), _BATCH):
        rows = ImportedItem.objects.filter(
            source=source, wp_id__in=waiting[start : start + _BATCH]
        ).select_related("article", "page")
        posts.update((row.wp_id, row) for row in rows)
    for attachment in media.by_id.values():
        olds = [redirects.old_query("attachment_id", attachment.wp_id)]
        path = redirects.old_path(attachment.link)
        if path is not None and "?" not in attachment.link:
            olds.append(path)
        for old in olds:
            if attachment.image_url:
                redirects.remember_path(old, attachment.image_url)
            elif (row := posts.get(attachment.parent)) is not None:
                redirects.remember_at(old, article=row.article, page=row.page)
