"""The records a WXR export holds (site, authors, terms, items), built from XML."""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree.ElementTree import Element

CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
CREATOR = "{http://purl.org/dc/elements/1.1/}creator"


class FieldError(ValueError):
    """A field of a record holds what it cannot (a post id that is no number)."""


@dataclass(frozen=True)
class WxrSite:
    """The export's header: its WXR version and the address of the site."""

    version: str
    title: str
    link: str
    base_site_url: str

    @property
    def address(self) -> str:
        """The site the export came from, naming it across re-runs."""
        return (self.base_site_url or self.link).rstrip("/")


@dataclass(frozen=True)
class WxrAuthor:
    """A `<wp:author>`: a login and the name shown in bylines."""

    login: str
    display_name: str
    first_name: str
    last_name: str
    line: int
    author_id: str = ""  # for the old /?author=N links
    email: str = ""  # for the account --create-accounts makes


@dataclass(frozen=True)
class WxrTerm:
    """A `<wp:category>`, `<wp:tag>` or `<wp:term>` declared in the header."""

    taxonomy: str  # "category", "post_tag", or a custom taxonomy's name
    slug: str
    name: str
    parent: str  # the parent's slug, for categories
    description: str
    line: int
    term_id: str = ""  # for the old /?cat=N links


@dataclass(frozen=True)
class WxrItemTerm:
    """A `<category domain=... nicename=...>` on an item: one of its terms."""

    domain: str
    slug: str
    name: str


@dataclass(frozen=True)
class WxrItem:
    """An `<item>`: a post, page, attachment or any other WordPress post type."""

    wp_id: int
    post_type: str
    title: str
    link: str
    creator: str
    content: str
    excerpt: str
    status: str
    post_name: str
    post_date: str
    post_date_gmt: str
    pub_date: str
    parent_id: int
    password: str
    is_sticky: bool
    terms: tuple[WxrItemTerm, ...]
    meta: tuple[tuple[str, str], ...]
    comments: int
    line: int
    attachment_url: str = ""  # <wp:attachment_url>, for attachments

    def meta_value(self, key: str) -> str | None:
        """Return the first value of post meta `key`, or None."""
        for name, value in self.meta:
            if name == key:
                return value
        return None


Record = WxrSite | WxrAuthor | WxrTerm | WxrItem


def _text(element: Element, tag: str) -> str:
    return element.findtext(tag) or ""


def author_from(element: Element, wp: str, line: int) -> WxrAuthor:
    return WxrAuthor(
        login=_text(element, wp + "author_login").strip(),
        display_name=_text(element, wp + "author_display_name").strip(),
        first_name=_text(element, wp + "author_first_name").strip(),
        last_name=_text(element, wp + "author_last_name").strip(),
        line=line,
        author_id=_text(element, wp + "author_id").strip(),
        email=_text(element, wp + "author_email").strip(),
    )


def term_from(element: Element, wp: str, line: int) -> WxrTerm:
    kind = element.tag.removeprefix(wp)
    if kind == "category":
        return WxrTerm(
            taxonomy="category",
            slug=_text(element, wp + "category_nicename").strip(),
            name=_text(element, wp + "cat_name").strip(),
            parent=_text(element, wp + "category_parent").strip(),
            description=_text(element, wp + "category_description").strip(),
            line=line,
            term_id=_text(element, wp + "term_id").strip(),
        )
    if kind == "tag":
        return WxrTerm(
            taxonomy="post_tag",
            slug=_text(element, wp + "tag_slug").strip(),
            name=_text(element, wp + "tag_name").strip(),
            parent="",
            description=_text(element, wp + "tag_description").strip(),
            line=line,
            term_id=_text(element, wp + "term_id").strip(),
        )
    return WxrTerm(
        taxonomy=_text(element, wp + "term_taxonomy").strip(),
        slug=_text(element, wp + "term_slug").strip(),
        name=_text(element, wp + "term_name").strip(),
        parent=_text(element, wp + "term_parent").strip(),
        description=_text(element, wp + "term_description").strip(),
        line=line,
        term_id=_text(element, wp + "term_id").strip(),
    )


def item_from(element: Element, wp: str, line: int) -> WxrItem:
    fields: dict[str, str] = {}
    terms: list[WxrItemTerm] = []
    meta: list[tuple[str, str]] = []
    comments = 0
    for child in element:
        tag = child.tag
        if tag == "category":
            terms.append(
                WxrItemTerm(
                    domain=child.get("domain", ""),
                    slug=child.get("nicename", ""),
                    name=(child.text or "").strip(),
                )
            )
        elif tag == wp + "postmeta":
            meta.append(
                (_text(child, wp + "meta_key"), _text(child, wp + "meta_value"))
            )
        elif tag == wp + "comment":
            comments += 1
        else:
            fields[tag.removeprefix(wp)] = child.text or ""

    def number(field: str, *, default: int | None = None) -> int:
        raw = fields.get(field, "").strip()
        if not raw and default is not None:
            return default
        if not raw.isascii() or not raw.isdigit():
            raise FieldError(f"the item's <wp:{field}> is {raw!r}, not a whole number")
        return int(raw)

    return WxrItem(
        wp_id=number("post_id"),
        post_type=fields.get("post_type", "post").strip() or "post",
        title=fields.get("title", ""),
        link=fields.get("link", "").strip(),
        creator=fields.get(CREATOR, "").strip(),
        content=fields.get(CONTENT, ""),
        excerpt=fields.get(wp.replace("}", "excerpt/}") + "encoded", ""),
        status=fields.get("status", "").strip(),
        post_name=fields.get("post_name", "").strip(),
        post_date=fields.get("post_date", "").strip(),
        post_date_gmt=fields.get("post_date_gmt", "").strip(),
        pub_date=fields.get("pubDate", "").strip(),
        parent_id=number("post_parent", default=0),
        password=fields.get("post_password", ""),
        is_sticky=fields.get("is_sticky", "0").strip() == "1",
        terms=tuple(terms),
        meta=tuple(meta),
        comments=comments,
        line=line,
        attachment_url=fields.get("attachment_url", "").strip(),
    )
