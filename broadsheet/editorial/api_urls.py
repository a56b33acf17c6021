"""The writing editor's endpoints, under /newsroom/api/ (in the newsroom namespace)."""

from django.urls import path

from broadsheet.editorial import api

urlpatterns = [
    path("preview/", api.preview, name="preview"),
    path("works/", api.works, name="works"),
    path("sandbox/", api.sandbox, name="editor-sandbox"),
]
