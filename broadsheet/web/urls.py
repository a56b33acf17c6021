"""Public URLs. Article URLs are /articles/<slug>/ and never change once published."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from broadsheet.publishing.feeds import ArticleAtomFeed, ArticleRssFeed
from broadsheet.publishing.sitemaps import SITEMAPS
from broadsheet.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<slug:slug>/", views.article, name="article"),
    path("preview/<int:pk>/", views.article_preview, name="article-preview"),
    path("authors/", views.author_index, name="author-index"),
    path("authors/<slug:slug>/", views.author, name="author"),
    path("categories/<slug:slug>/", views.category, name="category"),
    path("tags/<slug:slug>/", views.tag, name="tag"),
    path("archive/", views.archive_index, name="archive"),
    path("archive/<int:year>/<int:month>/", views.archive_month, name="archive-month"),
    path("most-read/", views.most_read, name="most-read"),
    path("feed/", ArticleRssFeed(), name="feed-rss"),
    path("feed/atom/", ArticleAtomFeed(), name="feed-atom"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("<slug:slug>/", views.page, name="page"),
]
