"""Public URLs. Article URLs are /articles/<slug>/ and never change once published."""

from django.urls import path

from broadsheet.web import (
    credits_views,
    feed_views,
    icon_views,
    search_views,
    sitemap_views,
    sources_views,
    term_views,
    views,
)

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("page/<int:page>/", views.home, name="home-page"),
    path("articles/<slug:slug>/", views.article, name="article"),
    path("authors/", views.author_index, name="author-index"),
    path("authors/<slug:slug>/", views.author, name="author"),
    path("authors/<slug:slug>/page/<int:page>/", views.author, name="author-page"),
    path("categories/", term_views.category_index, name="category-index"),
    path("categories/<slug:slug>/", views.category, name="category"),
    path(
        "categories/<slug:slug>/page/<int:page>/",
        views.category,
        name="category-page",
    ),
    path("tags/", term_views.tag_index, name="tag-index"),
    path("tags/<slug:slug>/", views.tag, name="tag"),
    path("tags/<slug:slug>/page/<int:page>/", views.tag, name="tag-page"),
    path("archive/", views.archive_index, name="archive"),
    path("archive/<int:year>/<int:month>/", views.archive_month, name="archive-month"),
    path(
        "archive/<int:year>/<int:month>/page/<int:page>/",
        views.archive_month,
        name="archive-month-page",
    ),
    path("most-read/", views.most_read, name="most-read"),
    path("feed/", feed_views.rss, name="feed-rss"),
    path("feed/atom/", feed_views.atom, name="feed-atom"),
    path("feed.json", feed_views.json_feed_view, name="feed-json"),
    path("authors/<slug:slug>/feed/", feed_views.author_rss, name="author-feed-rss"),
    path(
        "authors/<slug:slug>/feed/atom/",
        feed_views.author_atom,
        name="author-feed-atom",
    ),
    path("tags/<slug:slug>/feed/", feed_views.tag_rss, name="tag-feed-rss"),
    path("tags/<slug:slug>/feed/atom/", feed_views.tag_atom, name="tag-feed-atom"),
    path(
        "categories/<slug:slug>/feed/",
        feed_views.category_rss,
        name="category-feed-rss",
    ),
    path(
        "categories/<slug:slug>/feed/atom/",
        feed_views.category_atom,
        name="category-feed-atom",
    ),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", icon_views.favicon, name="favicon"),
    path("apple-touch-icon.png", icon_views.apple_touch_icon, name="apple-touch-icon"),
    path("icon-192.png", icon_views.app_icon, {"size": 192}, name="icon-192"),
    path("icon-512.png", icon_views.app_icon, {"size": 512}, name="icon-512"),
    path("site.webmanifest", icon_views.manifest, name="web-manifest"),
    path("sitemap.xml", sitemap_views.sitemap_index, name="sitemap"),
    path(
        "sitemaps/<slug:section>.xml",
        sitemap_views.sitemap_section,
        name="sitemap-section",
    ),
    path("sources/", sources_views.source_index, name="sources"),
    path(
        "sources/by/<slug:order>/",
        sources_views.source_index,
        name="sources-sorted",
    ),
    path(
        "sources/bibliography.<str:fmt>",
        sources_views.bibliography_export,
        name="bibliography-export",
    ),
    path("sources/<str:key>/", sources_views.source, name="source"),
    path(
        "articles/<slug:slug>/works-cited.<str:fmt>",
        sources_views.article_works_export,
        name="article-works-export",
    ),
    path(
        "articles/<slug:slug>/cite.<str:fmt>",
        sources_views.article_cite_export,
        name="article-cite-export",
    ),
    path("image-credits/", credits_views.image_credits, name="image-credits"),
    path("search/", search_views.search, name="search"),  # before the catch-all
    path("<slug:slug>/", views.page, name="page"),
]
