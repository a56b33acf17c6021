"""Template tags of the writing editor: where its built script is, if it was built."""

from __future__ import annotations

from django import template
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.templatetags.static import static

register = template.Library()

# Built by `make` from frontend/editor/ (docs/decisions/0015-editor.md); without
# npm it is absent and the edit page keeps its plain text box.
BUNDLE = "editorial/editor.js"
STYLESHEET = "editorial/editor.css"


@register.simple_tag
def editor_bundle_url() -> str:
    """Return the editor script's URL, or "" when it was never built."""
    if not (finders.find(BUNDLE) or staticfiles_storage.exists(BUNDLE)):
        return ""
    try:
        return static(BUNDLE)
    except ValueError:  # built after the last collectstatic: not in the manifest yet
        return ""


@register.simple_tag
def editor_stylesheet_url() -> str:
    """Return the editor stylesheet's URL (shipped in the repository)."""
    return static(STYLESHEET)
