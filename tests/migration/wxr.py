"""Build WordPress export (WXR) files for tests, as WordPress writes them."""

from __future__ import annotations

import json
from collections.abc import Iterable

SITE = "https://old.example.org"


def cdata(text: str) -> str:
    """Wrap text in CDATA the way WordPress does, splitting any "]]>" inside."""
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def author(login: str, display_name: str, *, first="", last="") -> str:
    return (
        "<wp:author>"
        f"<wp:author_id>1</wp:author_id><wp:author_login>{cdata(login)}</wp:author_login>"
        f"<wp:author_email>{cdata(login + '@example.org')}</wp:author_email>"
        f"<wp:author_display_name>{cdata(display_name)}</wp:author_display_name>"
        f"<wp:author_first_name>{cdata(first)}</wp:author_first_name>"
        f"<wp:author_last_name>{cdata(last)}</wp:author_last_name>"
        "</wp:author>\n"
    )


def category(slug: str, name: str, *, parent: str = "", description: str = "") -> str:
    return (
        "<wp:category><wp:term_id>1</wp:term_id>"
        f"<wp:category_nicename>{cdata(slug)}</wp:category_nicename>"
        f"<wp:category_parent>{cdata(parent)}</wp:category_parent>"
        f"<wp:cat_name>{cdata(name)}</wp:cat_name>"
        f"<wp:category_description>{cdata(description)}</wp:category_description>"
        "</wp:category>\n"
    )


def tag(slug: str, name: str) -> str:
    return (
        "<wp:tag><wp:term_id>2</wp:term_id>"
        f"<wp:tag_slug>{cdata(slug)}</wp:tag_slug><wp:tag_name>{cdata(name)}</wp:tag_name>"
        "</wp:tag>\n"
    )


def footnotes_meta(notes: Iterable[tuple[str, str]]) -> tuple[str, str]:
    """WordPress core footnotes: the `footnotes` post meta, JSON."""
    return ("footnotes", json.dumps([{"id": i, "content": c} for i, c in notes]))


def core_note_anchor(note_id: str, number: int) -> str:
    """The anchor the footnotes block puts in the content for one note."""
    return (
        f'<sup data-fn="{note_id}" class="fn">'
        f'<a href="#{note_id}" id="{note_id}-link">{number}</a></sup>'
    )


def item(
    wp_id: int,
    *,
    title: str = "A note on type",
    content: str = "<p>Plain text.</p>",
    excerpt: str = "",
    post_type: str = "post",
    status: str = "publish",
    slug: str | None = None,
    creator: str = "ada",
    date: str = "2019-04-02 12:30:00",
    date_gmt: str = "2019-04-02 10:30:00",
    categories: Iterable[tuple[str, str]] = (),
    tags: Iterable[tuple[str, str]] = (),
    meta: Iterable[tuple[str, str]] = (),
    comments: int = 0,
    parent: int = 0,
    password: str = "",
    raw_title: str | None = None,
    sticky: bool = False,
    link: str | None = None,
    extra: str = "",
) -> str:
    """One <item>; `raw_title` is put in as written, without CDATA."""
    slug = f"post-{wp_id}" if slug is None else slug
    terms = "".join(
        f'<category domain="category" nicename="{s}">{cdata(n)}</category>'
        for s, n in categories
    ) + "".join(
        f'<category domain="post_tag" nicename="{s}">{cdata(n)}</category>'
        for s, n in tags
    )
    metas = "".join(
        f"<wp:postmeta><wp:meta_key>{cdata(k)}</wp:meta_key>"
        f"<wp:meta_value>{cdata(v)}</wp:meta_value></wp:postmeta>"
        for k, v in meta
    )
    replies = "".join(
        f"<wp:comment><wp:comment_id>{n}</wp:comment_id>"
        f"<wp:comment_content>{cdata('Lovely press.')}</wp:comment_content>"
        "</wp:comment>"
        for n in range(comments)
    )
    return f"""<item>
<title>{raw_title if raw_title is not None else cdata(title)}</title>
<link>{link if link is not None else f"{SITE}/{slug}/"}</link>
<pubDate>Tue, 02 Apr 2019 10:30:00 +0000</pubDate>
<dc:creator>{cdata(creator)}</dc:creator>
<guid isPermaLink="false">{SITE}/?p={wp_id}</guid>
<description></description>
<content:encoded>{cdata(content)}</content:encoded>
<excerpt:encoded>{cdata(excerpt)}</excerpt:encoded>
<wp:post_id>{wp_id}</wp:post_id>
<wp:post_date>{cdata(date)}</wp:post_date>
<wp:post_date_gmt>{cdata(date_gmt)}</wp:post_date_gmt>
<wp:comment_status>{cdata("open")}</wp:comment_status>
<wp:post_name>{cdata(slug)}</wp:post_name>
<wp:status>{cdata(status)}</wp:status>
<wp:post_parent>{parent}</wp:post_parent>
<wp:menu_order>0</wp:menu_order>
<wp:post_type>{cdata(post_type)}</wp:post_type>
<wp:post_password>{cdata(password)}</wp:post_password>
<wp:is_sticky>{int(sticky)}</wp:is_sticky>
{extra}{terms}{metas}{replies}
</item>
"""


def export(*parts: str, version: str = "1.2", site: str = SITE) -> str:
    """A whole WXR file around header records (authors, terms) and items."""
    ns = f"http://wordpress.org/export/{version}/"
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
\txmlns:excerpt="{ns}excerpt/"
\txmlns:content="http://purl.org/rss/1.0/modules/content/"
\txmlns:wfw="http://wellformedweb.org/CommentAPI/"
\txmlns:dc="http://purl.org/dc/elements/1.1/"
\txmlns:wp="{ns}"
>
<channel>
<title>The Composing Room</title>
<link>{site}</link>
<description>Notes on printing and type</description>
<pubDate>Mon, 01 Jan 2024 00:00:00 +0000</pubDate>
<language>en-GB</language>
<wp:wxr_version>{version}</wp:wxr_version>
<wp:base_site_url>{site}</wp:base_site_url>
<wp:base_blog_url>{site}</wp:base_blog_url>
{"".join(parts)}<generator>https://wordpress.org/?v=6.4</generator>
</channel>
</rss>
"""


def default_header() -> list[str]:
    """Two authors, a category with a child, and two tags."""
    return [
        author("ada", "Ada Compositor"),
        author("ben", "Ben Pressman"),
        category("printing", "Printing &amp; Presses"),
        category("letterpress", "Letterpress", parent="printing"),
        tag("ink", "Ink"),
        tag("type", "Type"),
    ]


def attachment(
    wp_id: int,
    file: str,
    *,
    parent: int = 0,
    alt: str = "",
    caption: str = "",
    title: str = "",
    slug: str | None = None,
    meta: Iterable[tuple[str, str]] = (),
    link: str | None = None,
) -> str:
    """An attachment <item> as WordPress exports an upload: its URL and file."""
    name = slug or file.rpartition("/")[2].rpartition(".")[0]
    url = cdata(f"{SITE}/wp-content/uploads/{file}")
    extra = f"<wp:attachment_url>{url}</wp:attachment_url>"
    metas = [("_wp_attached_file", file), *meta]
    if alt:
        metas.append(("_wp_attachment_image_alt", alt))
    return item(
        wp_id,
        title=title or name,
        content="",
        excerpt=caption,
        post_type="attachment",
        status="inherit",
        slug=name,
        parent=parent,
        meta=metas,
        link=link if link is not None else f"{SITE}/?attachment_id={wp_id}",
        extra=extra,
    )


def upload_url(file: str) -> str:
    return f"{SITE}/wp-content/uploads/{file}"
