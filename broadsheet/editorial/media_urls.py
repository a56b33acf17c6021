"""The media library's newsroom URLs, under /newsroom/media/ (namespace newsroom)."""

from django.urls import path

from broadsheet.editorial import media_views

urlpatterns = [
    path("", media_views.media_list, name="media-list"),
    path("upload/", media_views.media_upload, name="media-upload"),
    path("<int:pk>/", media_views.media_detail, name="media-detail"),
]
