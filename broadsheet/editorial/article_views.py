"""Writing an article in the newsroom: new, edit (with workflow steps), autosave."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from broadsheet.content.models import Article
from broadsheet.editorial import diffs, editing, revisions, roles, workflow
from broadsheet.editorial.forms import ArticleEditForm
from broadsheet.editorial.roles import newsroom_required
from broadsheet.publishing.services import PublishRefused


@newsroom_required
def article_new(request: HttpRequest) -> HttpResponse:
    """A blank form; saving it starts a draft owned by the writer."""
    if request.method == "POST":
        form = ArticleEditForm(request.POST)
        if form.is_valid() and _slug_is_free(form, None):
            content = form.content()
            content["sticky"] = content["sticky"] and roles.can_pin(request.user)
            own = getattr(request.user, "author", None)
            if not content["authors"] and own is not None:
                content["authors"] = [own.pk]
            saved = editing.create_article(
                content, user=request.user, slug=form.cleaned_data["slug"]
            )
            _report_problems(request, saved.problems)
            messages.success(request, "Draft saved.")
            return redirect("newsroom:article-edit", pk=saved.article.pk)
    else:
        form = ArticleEditForm()
    context = {"form": form, "article": None, "can_pin": roles.can_pin(request.user)}
    return render(request, "editorial/article_edit.html", context)


@newsroom_required
def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit an article's working content and take a workflow step."""
    article = editable_article(request, pk)
    if request.method != "POST":
        return _edit_page(request, article, _loaded_form(article))
    step = request.POST.get("step", "")
    if step in workflow.PUBLISHING_STEPS and not roles.can_publish(
        request.user, article
    ):
        raise PermissionDenied("Your role does not allow publishing this article.")
    form = ArticleEditForm(request.POST)
    if not (form.is_valid() and _slug_is_free(form, article)):
        return _edit_page(request, article, form, status=400)
    outcome = _save(request, article, form)
    if isinstance(outcome, editing.Conflict):
        return _conflict_page(request, outcome, form)
    if outcome is None:
        return _edit_page(request, article, form, status=400)
    if step and not _take_step(request, outcome.article, step, form):
        return _edit_page(request, outcome.article, _loaded_form(outcome.article))
    return redirect("newsroom:article-edit", pk=article.pk)


@newsroom_required
@require_POST
def article_autosave(request: HttpRequest, pk: int) -> JsonResponse:
    """Save the form in the background; 409 with the reason on a conflict."""
    article = editable_article(request, pk)
    form = ArticleEditForm(request.POST)
    if not (form.is_valid() and _slug_is_free(form, article)):
        return JsonResponse({"error": form.errors.get_json_data()}, status=400)
    try:
        outcome = _save_form(request, article, form, autosave=True)
    except PublishRefused as refused:
        return JsonResponse({"error": "; ".join(refused.problems)}, status=400)
    if isinstance(outcome, editing.Conflict):
        return JsonResponse(
            {
                "conflict": f"{outcome.by} saved this article after you opened it."
                " Reload to see their version; your text is kept in History.",
            },
            status=409,
        )
    return JsonResponse(
        {
            "version": outcome.article.version,
            "saved_at": outcome.revision.created_at.isoformat()
            if outcome.revision
            else None,
            "pending": outcome.pending,
        }
    )


def editable_article(request: HttpRequest, pk: int) -> Article:
    """The article `pk`, if the user's role lets them edit it; else 403."""
    article = get_object_or_404(Article.objects.with_bylines(), pk=pk)
    if not roles.can_edit(request.user, article):
        raise PermissionDenied("You may not edit this article.")
    return article


def _loaded_form(article: Article) -> ArticleEditForm:
    form = ArticleEditForm.for_content(
        revisions.working_content(article), version=article.version
    )
    form.initial["slug"] = article.slug
    return form


def _slug_is_free(form: ArticleEditForm, article: Article | None) -> bool:
    """Add an error to the form when its slug names another article."""
    slug = form.cleaned_data.get("slug")
    others = Article.objects.filter(slug=slug)
    if article is not None:
        others = others.exclude(pk=article.pk)
    if slug and others.exists():
        form.add_error("slug", f"Another article is at /articles/{slug}/ already.")
        return False
    return True


def _save_form(request, article: Article, form: ArticleEditForm, *, autosave: bool):
    """Save a valid edit form over the version it was loaded at."""
    content = form.content()
    if not roles.can_pin(request.user):
        content["sticky"] = revisions.working_content(article).get("sticky", False)
    return editing.save_edit(
        article,
        content,
        user=request.user,
        base_version=form.cleaned_data["version"] or 0,
        autosave=autosave,
        slug=form.cleaned_data["slug"],
    )


def _save(request, article: Article, form: ArticleEditForm):
    try:
        outcome = _save_form(request, article, form, autosave=False)
    except PublishRefused as refused:
        messages.error(request, f"Not saved: {'; '.join(refused.problems)}")
        return None
    if isinstance(outcome, editing.Conflict):
        return outcome
    _report_problems(request, outcome.problems)
    if outcome.revision is not None:
        messages.success(
            request,
            "Changes saved as pending: readers see the published version until you"
            " publish them."
            if outcome.pending
            else "Saved.",
        )
    return outcome


def _take_step(request, article: Article, step: str, form: ArticleEditForm) -> bool:
    if step not in workflow.STEPS:
        messages.error(request, f"Unknown step \u201c{step}\u201d.")
        return False
    label, action = workflow.STEPS[step]
    kwargs = {"at": form.cleaned_data.get("publish_at")} if step == "publish" else {}
    try:
        action(article, request.user, **kwargs)
    except (PublishRefused, workflow.StepRefused) as refused:
        reason = (
            "; ".join(refused.problems)
            if isinstance(refused, PublishRefused)
            else str(refused)
        )
        messages.error(request, f"{label}: refused, {reason}.")
        return False
    messages.success(
        request,
        f"{label}: done. The article is now {article.get_status_display().lower()}.",
    )
    return True


def _report_problems(request, problems: list[str]) -> None:
    for problem in problems:
        messages.warning(request, problem.capitalize())


def _edit_page(
    request, article: Article, form, *, status: int = 200, **extra
) -> HttpResponse:
    context = {
        "form": form,
        "article": article,
        "pending": revisions.open_pending(article),
        "steps": [
            (name, workflow.STEPS[name][0])
            for name in workflow.available_steps(article, request.user)
        ],
        "can_publish": roles.can_publish(request.user, article),
        "can_pin": roles.can_pin(request.user),
        "autosave_url": reverse("newsroom:article-autosave", kwargs={"pk": article.pk}),
        **extra,
    }
    return render(request, "editorial/article_edit.html", context, status=status)


def _conflict_page(request, conflict: editing.Conflict, form) -> HttpResponse:
    """The writer's text stays in the form, now based on the newer version, with a
    diff of what the other person saved against it."""
    data = request.POST.copy()
    data["version"] = str(conflict.article.version)
    form = ArticleEditForm(data)
    form.is_valid()
    messages.error(
        request,
        f"Not saved: {conflict.by} saved this article after you opened it."
        " Below is how their version differs from yours; your text is still in the"
        " form (and kept in History as revision"
        f" {conflict.revision.number if conflict.revision else ''})."
        " Merge and save again.",
    )
    return _edit_page(
        request,
        conflict.article,
        form,
        status=409,
        conflict={
            "fields": diffs.field_changes(conflict.yours, conflict.theirs),
            "lines": diffs.body_lines(
                str(conflict.yours.get("body", "")),
                str(conflict.theirs.get("body", "")),
            ),
        },
    )
