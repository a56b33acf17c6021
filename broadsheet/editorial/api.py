"""The writing editor's endpoints: live preview and bibliography search (JSON)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from broadsheet.content.models import Article
from broadsheet.content.services import render_source
from broadsheet.editorial.roles import can_edit, newsroom_required
from broadsheet.sources.models import Work

# Under Django's own DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB), so an oversized text
# gets this JSON answer rather than Django's bare 400; the longest demo article
# is about 45 kB.
PREVIEW_MAX_BYTES = 2_000_000
WORKS_LIMIT = 20
QUERY_MAX_CHARS = 200
TITLE_SHORT_CHARS = 60


@newsroom_required
@require_POST
@never_cache
def preview(request: HttpRequest) -> JsonResponse:
    """Render the posted `body` as readers would see it; JSON for the editor."""
    length = content_length(request)
    if length > PREVIEW_MAX_BYTES:
        return JsonResponse(
            {
                "error": f"The text is too long to preview ({length:,} bytes; "
                f"the limit is {PREVIEW_MAX_BYTES:,}). Saving is not affected."
            },
            status=413,
        )
    if pk := request.POST.get("article"):
        if not pk.isdigit():
            return JsonResponse({"error": f"No article {pk!r}."}, status=400)
        article = get_object_or_404(Article, pk=int(pk))
        if not can_edit(request.user, article):
            return JsonResponse(
                {"error": "Your role does not allow editing this article."},
                status=403,
            )
    body = request.POST.get("body", "").replace("\r\n", "\n")
    document = render_source(body)
    return JsonResponse(
        {
            "html": document.html,
            "notes_html": document.notes_html,
            "bibliography_html": document.bibliography_html,
            "problems": [
                {
                    "line": problem.line,
                    "code": problem.code,
                    "message": problem.message,
                    "severity": problem.severity,
                }
                for problem in document.problems
            ],
            "words": document.word_count,
            "notes": len(document.notes),
            "reading_minutes": document.reading_minutes,
        }
    )


def content_length(request: HttpRequest) -> int:
    """The request's declared body size in bytes (0 when absent or garbled)."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


@newsroom_required
@require_GET
def works(request: HttpRequest) -> JsonResponse:
    """Works whose key, title, authors or year hold every word of `q` (20 at most)."""
    words = request.GET.get("q", "")[:QUERY_MAX_CHARS].casefold().split()
    found = []
    # A bibliography is hundreds of works, and a database's case-insensitive
    # match is ASCII-only on SQLite and cannot see into CSL name lists portably:
    # matching here, on casefolded text, finds "Müller" for "müller" everywhere.
    for key, csl in Work.objects.order_by("key").values_list("key", "csl"):
        record = csl if isinstance(csl, dict) else {}
        names, year, title = _names(record), _year(record), _text(record.get("title"))
        haystack = " ".join((key, title, year, *names)).casefold()
        if all(word in haystack for word in words):
            found.append(
                {"key": key, "label": _label(names, year, title), "insert": f"[@{key}]"}
            )
            if len(found) == WORKS_LIMIT:
                break
    return JsonResponse(found, safe=False)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _names(record: dict[str, Any]) -> list[str]:
    people = record.get("author") or record.get("editor") or []
    if not isinstance(people, list):
        return []
    names = []
    for person in people:
        if isinstance(person, dict):
            name = _text(person.get("family")) or _text(person.get("literal"))
            if name:
                names.append(name)
    return names


def _year(record: dict[str, Any]) -> str:
    issued = record.get("issued")
    if not isinstance(issued, dict):
        return ""
    parts = issued.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        return str(parts[0][0])
    return _text(issued.get("literal")) or _text(issued.get("raw"))[:4]


def _label(names: list[str], year: str, title: str) -> str:
    """'Brandt and Ames, 1998, Almanacs for Farmers…': who, when, what (short)."""
    who = f"{names[0]} et al." if len(names) > 2 else " and ".join(names)
    if len(title) > TITLE_SHORT_CHARS:
        title = title[: TITLE_SHORT_CHARS - 1].rstrip() + "\u2026"
    return ", ".join(part for part in (who, year, title) if part)
