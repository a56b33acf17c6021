"""Root URLconf: the newsroom under /newsroom/, site administration under /admin/,
the public site everywhere else."""

from django.contrib import admin
from django.urls import include, path

from broadsheet.editorial import previews
from broadsheet.media.views import serve_media

urlpatterns = [
    path("admin/", admin.site.urls),
    path("newsroom/", include("broadsheet.editorial.urls")),
    # Outside /newsroom/: whoever holds the link reads the draft, with no account.
    path("preview/share/<str:token>/", previews.shared_preview, name="newsroom-share"),
    path("preview/<int:pk>/", previews.article_preview, name="preview"),
    path("media/<path:path>", serve_media),
    path("", include("broadsheet.web.urls")),
]

handler404 = "broadsheet.web.views.not_found"
handler500 = "broadsheet.web.views.server_error"
