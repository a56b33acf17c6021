"""The newsroom's URLs, under /newsroom/ (the back office writers work in)."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from broadsheet.editorial import (
    article_views,
    history_views,
    previews,
    two_factor,
    views,
)

app_name = "newsroom"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="editorial/login.html",
            authentication_form=two_factor.LoginForm,
        ),
        name="login",
    ),
    path("account/two-factor/", two_factor.setup, name="two-factor"),
    path("account/two-factor/qr.svg", two_factor.qr_code, name="two-factor-qr"),
    path("articles/new/", article_views.article_new, name="article-new"),
    path("articles/<int:pk>/", article_views.article_edit, name="article-edit"),
    path(
        "articles/<int:pk>/autosave/",
        article_views.article_autosave,
        name="article-autosave",
    ),
    path(
        "articles/<int:pk>/preview/", previews.article_preview, name="article-preview"
    ),
    path("articles/<int:pk>/share/", previews.article_share, name="article-share"),
    path(
        "articles/<int:pk>/share/<int:link_id>/revoke/",
        previews.share_revoke,
        name="share-revoke",
    ),
    path(
        "articles/<int:pk>/history/",
        history_views.article_history,
        name="article-history",
    ),
    path(
        "articles/<int:pk>/history/<int:number>/",
        history_views.revision_detail,
        name="revision",
    ),
    path(
        "articles/<int:pk>/history/<int:number>/restore/",
        history_views.revision_restore,
        name="revision-restore",
    ),
    path("media/", include("broadsheet.editorial.media_urls")),
    path("api/", include("broadsheet.editorial.api_urls")),
]
