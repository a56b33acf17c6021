"""The writing editor's endpoints, under /newsroom/api/ (in the newsroom namespace)."""

from django.urls import path

from broadsheet.editorial import api, sandbox

urlpatterns = [
    path("preview/", api.preview, name="preview"),
    path("works/", api.works, name="works"),
    path("sandbox/", sandbox.sandbox, name="editor-sandbox"),
    path("sandbox/autosave/", sandbox.autosave, name="editor-sandbox-autosave"),
]
