"""The editor's scratch pad ("Try the editor"): the edit page's editor, kept in the
writer's session, never published, with an autosave answering as the edit page's."""

from __future__ import annotations

from django import forms
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from broadsheet.editorial.api import content_length
from broadsheet.editorial.roles import newsroom_required

SESSION_KEY = "editor_sandbox"
# A scratch pad lives in the session row: room for a long article, not for a book.
MAX_BYTES = 500_000

START = """Type here and watch the preview: a note goes in square brackets,\
[^1] a citation too.

[^1]: The note's own text, written at the end.
"""


class SandboxForm(forms.Form):
    """The fields an article's edit page gives the editor; kept in the session."""

    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    body = forms.CharField(
        label=_("Text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 24, "cols": 80, "spellcheck": "true"}),
        help_text=_("Markdown: [^1] for a note, [@key] for a citation."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


def _kept(session: SessionBase) -> dict:
    return session.get(SESSION_KEY) or {"title": "", "body": START, "version": 0}


def _conflict(kept: dict) -> str:
    return (
        f"This scratch pad was saved in another tab or window (version "
        f"{kept['version']}) after you opened it. Copy what you need from here, "
        "then reload the page."
    )


def _keep(session: SessionBase, form: SandboxForm) -> dict:
    """Store the form's text as the next version; return what was stored."""
    version = _kept(session)["version"] + 1
    session[SESSION_KEY] = {
        "title": form.cleaned_data["title"],
        "body": form.cleaned_data["body"].replace("\r\n", "\n"),
        "version": version,
    }
    return session[SESSION_KEY]


@newsroom_required
@require_http_methods(["GET", "POST"])
def sandbox(request: HttpRequest) -> HttpResponse:
    """Try the editor: the edit page's text box and preview, kept for this login."""
    kept = _kept(request.session)
    if request.method == "GET":
        form = SandboxForm(initial=kept)
        return render(request, "editorial/sandbox.html", {"form": form})
    form = SandboxForm(request.POST)
    kept_now = False
    if form.is_valid():
        if content_length(request) > MAX_BYTES:
            form.add_error("body", _too_long())
        elif form.cleaned_data["version"] != kept["version"]:
            form.add_error(None, _conflict(kept))
        else:
            # Shown again as kept, with the new version for the next save.
            form = SandboxForm(initial=_keep(request.session, form))
            kept_now = True
    # An error shows the text as typed: nothing a writer typed vanishes.
    return render(request, "editorial/sandbox.html", {"form": form, "kept": kept_now})


def _too_long() -> str:
    return f"The scratch pad keeps up to {MAX_BYTES:,} bytes; this text is longer."


@newsroom_required
@require_POST
@never_cache
def autosave(request: HttpRequest) -> JsonResponse:
    """Keep the posted form in the session, as the edit page's autosave saves it.

    Answers {"version", "saved_at"}, or 409 {"conflict"} when another tab saved
    since this one's version, 413 past MAX_BYTES and 400 with the form's errors.
    """
    if content_length(request) > MAX_BYTES:
        return JsonResponse({"error": _too_long()}, status=413)
    form = SandboxForm(request.POST)
    if not form.is_valid():
        # The edit page's autosave answers its form's errors in this shape too.
        return JsonResponse({"error": form.errors.get_json_data()}, status=400)
    kept = _kept(request.session)
    if form.cleaned_data["version"] != kept["version"]:
        return JsonResponse({"conflict": _conflict(kept)}, status=409)
    kept = _keep(request.session, form)
    return JsonResponse(
        {"version": kept["version"], "saved_at": timezone.now().isoformat()}
    )
