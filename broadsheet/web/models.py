"""Article fragments: the parts of an article page rendered once, not per request."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ArticleFragments(models.Model):
    """An article page's own parts, rendered once instead of on every request.

    Everything on the article page that depends only on the article, its byline,
    taxonomy and republication line (head metadata, header, body and notes, works
    cited, footer, the card other pages list it with) is rendered here when first
    needed and deleted, in the same transaction, by any change to what it shows
    (web.fragments). A request then adds only what changes between readers: the
    view count, related reading and the site's header and footer. See
    docs/decisions/0006-article-fragments.md.
    """

    article = models.OneToOneField(
        "content.Article",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="fragments",
    )
    version = models.CharField(max_length=32)
    title = models.TextField()
    summary = models.TextField()
    head_html = models.TextField()
    header_html = models.TextField()
    main_html = models.TextField()
    card_html = models.TextField()
    author_ids = models.JSONField(default=list)
    tag_ids = models.JSONField(default=list)
    category_ids = models.JSONField(default=list)

    class Meta:
        verbose_name = _("article fragments")
        verbose_name_plural = _("article fragments")
        # Which articles have current fragments, answered from the index alone: the
        # rows are kilobytes of HTML, and reading them all took an export 30 ms.
        indexes = [
            models.Index(fields=["version", "article"], name="fragments_version")
        ]

    def __str__(self) -> str:
        return f"fragments of article {self.article_id}"
