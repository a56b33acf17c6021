"""Template tags for public pages: absolute URLs, JSON-LD metadata, lazy images."""

from __future__ import annotations

import json
import re

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from broadsheet import rendering
from broadsheet.publishing.site_address import absolute_url

register = template.Library()

# The characters that could end a <script> element or open a comment inside it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
_IMG_WITHOUT_LOADING = re.compile(r"<img\b(?![^>]*\sloading=)", re.IGNORECASE)


@register.simple_tag
def site_url(path: str) -> str:
    """Return `path` as an absolute URL on the site's public address.

    The configured address, not the Host a reader happened to use: canonical links
    must not vary by request, and article fragments are rendered once for everyone.
    """
    return absolute_url(path)


@register.simple_tag(takes_context=True)
def article_json_ld(context, article) -> SafeString:
    """Return a JSON-LD <script> describing `article` as a schema.org Article."""
    site = context.get("site")
    republication = context.get("republication")
    url = site_url(article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": article.title,
        "description": article.summary,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "author": [
            {
                "@type": "Person",
                "name": author.name,
                "url": site_url(author.get_absolute_url()),
            }
            for author in context.get("authors") or article.ordered_authors
        ],
        "publisher": {
            "@type": "Organization",
            "name": site.site_name if site else "",
            "url": site_url(reverse("web:home")),
        },
        "wordCount": article.word_count,
        "inLanguage": "en",
    }
    if article.subtitle:
        data["alternativeHeadline"] = article.subtitle
    if article.published_at:
        data["datePublished"] = article.published_at
    if article.updated_at:
        data["dateModified"] = max(
            filter(None, [article.updated_at, article.published_at])
        )
    if republication and republication.url:
        data["isBasedOn"] = republication.url
    if article.featured_image_id:
        image = article.featured_image
        data["image"] = {
            "@type": "ImageObject",
            "url": site_url(image.largest_url),
            "width": image.largest["width"],
            "height": image.largest["height"],
            "description": image.alt,
        }
        if image.credit:
            data["image"]["creditText"] = image.credit
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=None)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(_SCRIPT_ESCAPES)),  # noqa: S308 - escaped above
    )


@register.filter(is_safe=True)
def lazy_images(html: str) -> SafeString:
    """Let the browser defer offscreen images in stored article HTML."""
    lazy = _IMG_WITHOUT_LOADING.sub('<img loading="lazy" decoding="async"', html)
    return mark_safe(lazy)  # noqa: S308 - the stored HTML was sanitised on save


@register.filter(name="typeset")
def typeset_filter(text: str) -> str:
    """Curly quotes and real dashes in plain text (titles), as in article bodies."""
    return rendering.typeset(text or "")
