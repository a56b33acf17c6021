"""RSS and Atom feeds of the latest live articles (django.contrib.syndication)."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from broadsheet.content.models import Article, SiteSettings

FEED_LENGTH = 20


class ArticleRssFeed(Feed):
    description_template = None

    def title(self) -> str:
        return SiteSettings.load().site_name

    def description(self) -> str:
        return SiteSettings.load().tagline

    def link(self) -> str:
        return "/"

    def items(self):
        return Article.objects.live().with_bylines()[:FEED_LENGTH]

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.summary

    def item_author_name(self, item: Article) -> str:
        return ", ".join(author.name for author in item.ordered_authors)

    def item_pubdate(self, item: Article):
        return item.published_at

    def item_updateddate(self, item: Article):
        return item.updated_at

    def item_categories(self, item: Article) -> list[str]:
        return [tag.name for tag in item.tags.all()]


class ArticleAtomFeed(ArticleRssFeed):
    feed_type = Atom1Feed

    def subtitle(self) -> str:
        return SiteSettings.load().tagline
