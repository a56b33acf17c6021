"""Root URLconf: the newsroom under /newsroom/, site administration under /admin/,
the public site everywhere else."""

from django.contrib import admin
from django.urls import include, path

from broadsheet.media.views import serve_media

urlpatterns = [
    path("admin/", admin.site.urls),
    path("newsroom/", include("broadsheet.editorial.urls")),
    path("media/<path:path>", serve_media),
    path("", include("broadsheet.web.urls")),
]

handler404 = "broadsheet.web.views.not_found"
handler500 = "broadsheet.web.views.server_error"
