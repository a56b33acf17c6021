"""Sitemaps of every live article and static page (django.contrib.sitemaps)."""

from django.contrib.sitemaps import Sitemap

from broadsheet.content.models import Article, Page


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    limit = 10000

    def items(self):
        return (
            Article.objects.live().only("slug", "updated_at").order_by("-published_at")
        )

    def lastmod(self, item: Article):
        return item.updated_at


class PageSitemap(Sitemap):
    changefreq = "yearly"

    def items(self):
        return Page.objects.filter(is_published=True).only("slug", "updated_at")

    def lastmod(self, item: Page):
        return item.updated_at


SITEMAPS = {"articles": ArticleSitemap, "pages": PageSitemap}
