"""An article's History: revisions with who, when and what changed; restoring one."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from broadsheet.editorial import diffs, editing, revisions
from broadsheet.editorial.article_views import editable_article
from broadsheet.editorial.models import Revision
from broadsheet.editorial.roles import newsroom_required
from broadsheet.publishing.services import PublishRefused


@newsroom_required
def article_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every revision, newest first, each with what it changed from the one before,
    and the workflow steps."""
    article = editable_article(request, pk)
    rows = list(article.revisions.select_related("created_by").order_by("number"))
    entries = []
    for before, revision in zip([None, *rows], rows, strict=False):
        entries.append(
            {
                "revision": revision,
                "fields": diffs.field_changes(before.content, revision.content)
                if before
                else [],
                "sources": diffs.source_changes(
                    before.notes if before else {},
                    revision.notes,
                    before.cited_keys if before else [],
                    revision.cited_keys,
                ),
                "lines_changed": _lines_changed(before, revision),
            }
        )
    entries.reverse()
    events = article.workflow_events.select_related("user")
    return render(
        request,
        "editorial/history.html",
        {"article": article, "entries": entries, "events": events},
    )


@newsroom_required
def revision_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """One revision's Markdown against the one before it and against now."""
    article = editable_article(request, pk)
    revision = get_object_or_404(article.revisions, number=number)
    before = article.revisions.filter(number__lt=number).order_by("-number").first()
    working = revisions.working_content(article)
    context = {
        "article": article,
        "revision": revision,
        "before": before,
        "against_before": diffs.body_lines(
            str(before.content.get("body", "")) if before else "",
            str(revision.content.get("body", "")),
        ),
        "fields_before": diffs.field_changes(before.content, revision.content)
        if before
        else [],
        "against_now": diffs.body_lines(
            str(revision.content.get("body", "")), str(working.get("body", ""))
        ),
    }
    return render(request, "editorial/revision.html", context)


@newsroom_required
@require_POST
def revision_restore(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Save an old revision's content again, as a new revision."""
    article = editable_article(request, pk)
    revision = get_object_or_404(article.revisions, number=number)
    try:
        outcome = editing.save_edit(
            article,
            dict(revision.content),
            user=request.user,
            base_version=int(request.POST.get("version") or 0),
            restored_from=revision.number,
        )
    except PublishRefused as refused:
        messages.error(request, f"Not restored: {'; '.join(refused.problems)}")
        return redirect("newsroom:article-history", pk=article.pk)
    if isinstance(outcome, editing.Conflict):
        messages.error(
            request,
            f"Not restored: {outcome.by} saved the article after you opened this"
            " page. Look again and restore if you still want to.",
        )
        return redirect("newsroom:revision", pk=article.pk, number=number)
    where = " as pending changes" if outcome.pending else ""
    messages.success(request, f"Revision {number} restored{where}.")
    return redirect("newsroom:article-edit", pk=article.pk)


def _lines_changed(before: Revision | None, revision: Revision) -> int:
    old = str(before.content.get("body", "")) if before else ""
    lines = diffs.body_lines(old, str(revision.content.get("body", "")))
    return sum(line.kind in ("added", "removed") for line in lines)
