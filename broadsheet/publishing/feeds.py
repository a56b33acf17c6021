"""RSS and Atom feeds of the latest live articles (django.contrib.syndication).

Every link is absolute on the configured address: Django would otherwise prefix
relative ones with the request's Host, and a feed cached after one reader's request
is sent to every other.
"""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from broadsheet.content.models import Article, SiteSettings
from broadsheet.publishing.site_address import absolute_url

FEED_LENGTH = 20


class ArticleRssFeed(Feed):
    description_template = None
    url_name = "web:feed-rss"

    def title(self) -> str:
        return SiteSettings.load().site_name

    def description(self) -> str:
        return SiteSettings.load().tagline

    def link(self) -> str:
        return absolute_url(reverse("web:home"))

    def feed_url(self) -> str:
        return absolute_url(reverse(self.url_name))

    def item_link(self, item: Article) -> str:
        return absolute_url(item.get_absolute_url())

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
    url_name = "web:feed-atom"

    def subtitle(self) -> str:
        return SiteSettings.load().tagline
