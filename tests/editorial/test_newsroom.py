"""Writing in the newsroom through HTTP: drafts, conflicts, pending changes, history."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from broadsheet.content.models import Article
from broadsheet.editorial.models import Revision, ShareLink, WorkflowEvent
from broadsheet.editorial.roles import Role
from tests.factories import make_article, make_user

# Also run against PostgreSQL by `make test` (the postgres selection).
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def form_data(article: Article | None = None, **fields) -> dict:
    """What the edit form posts, from the article's stored content."""
    data = {
        "title": article.title if article else "A study of paper sizes",
        "subtitle": "",
        "excerpt": "",
        "body": article.body if article else "Foolscap was once a watermark.",
        "version": article.version if article else "",
        "authors": [a.pk for a in article.ordered_authors] if article else [],
    }
    data.update(fields)
    return data


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_new_draft_is_owned_by_its_writer_and_bylined_to_them():
    writer = make_user(Role.CONTRIBUTOR)
    response = client_for(writer).post("/newsroom/articles/new/", form_data())
    article = Article.objects.get(title="A study of paper sizes")
    assert response.status_code == 302
    assert response["Location"] == f"/newsroom/articles/{article.pk}/"
    assert article.status == Article.Status.DRAFT
    assert article.created_by == writer
    assert article.ordered_authors == [writer.author]
    assert article.revisions.get().kind == Revision.Kind.SAVED


def test_saving_an_edit_bumps_the_version_and_keeps_a_revision():
    writer = make_user(Role.AUTHOR)
    article = make_article(authors=[writer.author], status=Article.Status.DRAFT)
    client = client_for(writer)
    page = client.get(f"/newsroom/articles/{article.pk}/")
    assert page.status_code == 200
    assert f'name="version" value="{article.version}"' in page.content.decode()
    client.post(
        f"/newsroom/articles/{article.pk}/",
        form_data(article, body="Quarto is a sheet folded twice."),
    )
    article.refresh_from_db()
    assert article.body == "Quarto is a sheet folded twice."
    assert article.version == 2
    assert article.revisions.count() == 1


def test_the_second_of_two_saves_from_the_same_version_is_refused_with_a_diff():
    editor = make_user(Role.EDITOR)
    writer = make_user(Role.AUTHOR)
    article = make_article(authors=[writer.author], status=Article.Status.DRAFT)
    loaded = form_data(article)
    first = client_for(writer).post(
        f"/newsroom/articles/{article.pk}/",
        {**loaded, "body": article.body + "\n\nA sentence the writer added."},
    )
    second = client_for(editor).post(
        f"/newsroom/articles/{article.pk}/",
        {**loaded, "body": article.body + "\n\nThe editor's own sentence."},
    )
    assert first.status_code == 302
    assert second.status_code == 409
    text = second.content.decode()
    assert "saved this article after you opened it" in text
    assert "A sentence the writer added." in text  # in the diff
    assert "The editor&#x27;s own sentence." in text  # still in the form
    article.refresh_from_db()
    assert "A sentence the writer added." in article.body
    assert "The editor's own sentence." not in article.body
    kinds = list(article.revisions.order_by("number").values_list("kind", flat=True))
    assert kinds == [Revision.Kind.SAVED, Revision.Kind.CONFLICT]
    refused = article.revisions.get(kind=Revision.Kind.CONFLICT)
    assert "The editor's own sentence." in refused.content["body"]


def test_after_a_conflict_the_form_is_based_on_the_newer_version_and_saves():
    writer = make_user(Role.AUTHOR)
    article = make_article(authors=[writer.author], status=Article.Status.DRAFT)
    client = client_for(writer)
    stale = form_data(article, body="Version one.")
    client.post(f"/newsroom/articles/{article.pk}/", stale)
    refused = client.post(
        f"/newsroom/articles/{article.pk}/", {**stale, "body": "Version two."}
    )
    assert 'name="version" value="2"' in refused.content.decode()
    client.post(
        f"/newsroom/articles/{article.pk}/",
        {**stale, "body": "Merged text.", "version": 2},
    )
    article.refresh_from_db()
    assert article.body == "Merged text."


def test_edits_to_a_live_article_stay_pending_until_published():
    writer = make_user(Role.AUTHOR)
    article = make_article(authors=[writer.author], body="The live sentence.")
    client = client_for(writer)
    client.post(
        f"/newsroom/articles/{article.pk}/",
        form_data(article, body="The corrected sentence."),
    )
    reader = Client().get(article.get_absolute_url())
    assert "The live sentence." in reader.content.decode()
    preview = client.get(f"/newsroom/articles/{article.pk}/preview/")
    assert "The corrected sentence." in preview.content.decode()
    assert preview["Cache-Control"] == "private, no-store"
    article.refresh_from_db()
    client.post(
        f"/newsroom/articles/{article.pk}/",
        form_data(article, body="The corrected sentence.", step="publish_changes"),
    )
    reader = Client().get(article.get_absolute_url())
    assert "The corrected sentence." in reader.content.decode()
    kinds = list(article.revisions.order_by("number").values_list("kind", flat=True))
    assert kinds == [Revision.Kind.PENDING, Revision.Kind.PUBLISHED]


def test_a_contributor_submits_for_review_and_an_editor_publishes_with_steps_noted():
    writer = make_user(Role.CONTRIBUTOR)
    editor = make_user(Role.EDITOR)
    client_for(writer).post(
        "/newsroom/articles/new/", form_data(title="On deckle edges")
    )
    article = Article.objects.get(title="On deckle edges")
    client_for(writer).post(
        f"/newsroom/articles/{article.pk}/", form_data(article, step="submit")
    )
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW
    client_for(editor).post(
        f"/newsroom/articles/{article.pk}/", form_data(article, step="publish")
    )
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    steps = list(
        WorkflowEvent.objects.filter(article=article)
        .order_by("at", "id")
        .values_list("action", "user__username")
    )
    assert steps == [
        ("submitted for review", writer.username),
        ("published", editor.username),
    ]
    history = client_for(editor).get(f"/newsroom/articles/{article.pk}/history/")
    assert "Submitted for review by " + writer.username in history.content.decode()


def test_publishing_without_an_author_is_refused_with_the_reason():
    editor = make_user(Role.EDITOR, with_author=False)
    client = client_for(editor)
    client.post("/newsroom/articles/new/", form_data(title="Unsigned"))
    article = Article.objects.get(title="Unsigned")
    page = client.post(
        f"/newsroom/articles/{article.pk}/",
        form_data(article, step="publish"),
        follow=True,
    )
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert "the byline is empty" in page.content.decode()


def test_publishing_with_an_error_in_the_notes_is_refused_with_its_line():
    writer = make_user(Role.AUTHOR)
    client = client_for(writer)
    client.post(
        "/newsroom/articles/new/",
        form_data(title="Dangling", body="Text.\n\nMore text.[^gone]"),
    )
    article = Article.objects.get(title="Dangling")
    page = client.post(
        f"/newsroom/articles/{article.pk}/",
        form_data(article, step="publish"),
        follow=True,
    )
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert "line 3" in page.content.decode()


def test_scheduling_a_time_ahead_makes_the_article_scheduled():
    writer = make_user(Role.AUTHOR)
    article = make_article(authors=[writer.author], status=Article.Status.DRAFT)
    when = timezone.localtime() + datetime.timedelta(days=2)
    client_for(writer).post(
        f"/newsroom/articles/{article.pk}/",
        form_data(article, step="publish", publish_at=when.strftime("%Y-%m-%dT%H:%M")),
    )
    article.refresh_from_db()
    assert article.status == Article.Status.SCHEDULED
    assert article.published_at.replace(second=0, microsecond=0) == when.replace(
        second=0, microsecond=0
    )
    event = article.workflow_events.get()
    assert event.action == "scheduled"


def test_history_names_the_notes_and_citations_a_revision_changed():
    writer = make_user(Role.AUTHOR)
    client = client_for(writer)
    client.post(
        "/newsroom/articles/new/",
        form_data(title="Noted", body="Ink.[^a]\n\n[^a]: First note."),
    )
    article = Article.objects.get(title="Noted")
    client.post(
        f"/newsroom/articles/{article.pk}/",
        form_data(
            article, body="Ink.[^a] Paper.[^b]\n\n[^a]: Revised note.\n[^b]: New."
        ),
    )
    history = client.get(f"/newsroom/articles/{article.pk}/history/").content.decode()
    assert "Notes added: b" in history
    assert "Notes changed: a" in history
    detail = client.get(f"/newsroom/articles/{article.pk}/history/2/").content.decode()
    assert "<del>− [^a]: First note.</del>" in detail
    assert "<ins>+ [^a]: Revised note.</ins>" in detail


def test_restoring_a_revision_saves_its_text_as_a_new_revision():
    writer = make_user(Role.AUTHOR)
    client = client_for(writer)
    client.post("/newsroom/articles/new/", form_data(title="Restored", body="One."))
    article = Article.objects.get(title="Restored")
    client.post(f"/newsroom/articles/{article.pk}/", form_data(article, body="Two."))
    article.refresh_from_db()
    client.post(
        f"/newsroom/articles/{article.pk}/history/1/restore/",
        {"version": article.version},
    )
    article.refresh_from_db()
    assert article.body == "One."
    latest = article.revisions.order_by("-number").first()
    assert (latest.number, latest.kind, latest.restored_from) == (
        3,
        Revision.Kind.RESTORED,
        1,
    )


def test_autosaves_by_one_writer_coalesce_into_one_revision():
    writer = make_user(Role.AUTHOR)
    article = make_article(authors=[writer.author], status=Article.Status.DRAFT)
    client = client_for(writer)
    version = article.version
    for text in ("Draft a.", "Draft ab.", "Draft abc."):
        response = client.post(
            f"/newsroom/articles/{article.pk}/autosave/",
            form_data(article, body=text, version=version),
        )
        assert response.status_code == 200
        version = response.json()["version"]
    article.refresh_from_db()
    assert article.body == "Draft abc."
    assert article.revisions.count() == 1
    assert article.revisions.get().autosave


def test_an_autosave_based_on_an_old_version_answers_409_and_changes_nothing():
    writer = make_user(Role.AUTHOR)
    article = make_article(authors=[writer.author], status=Article.Status.DRAFT)
    client = client_for(writer)
    client.post(f"/newsroom/articles/{article.pk}/", form_data(article, body="New."))
    response = client.post(
        f"/newsroom/articles/{article.pk}/autosave/",
        form_data(article, body="Old tab's text."),
    )
    assert response.status_code == 409
    assert "saved this article after you opened it" in response.json()["conflict"]
    article.refresh_from_db()
    assert article.body == "New."


def test_a_share_link_opens_the_draft_without_an_account_until_revoked():
    writer = make_user(Role.AUTHOR)
    article = make_article(
        authors=[writer.author], status=Article.Status.DRAFT, body="Secret proof."
    )
    page = client_for(writer).post(
        f"/newsroom/articles/{article.pk}/share/", {"days": 3}, follow=True
    )
    text = page.content.decode()
    url = text.split("in 3 days; it is shown only now): ")[1].split("<")[0]
    path = url.removeprefix("http://testserver").removeprefix("http://127.0.0.1:8000")
    assert path.startswith("/preview/share/")
    shared = Client().get(path)
    assert shared.status_code == 200
    assert "Secret proof." in shared.content.decode()
    assert shared["X-Robots-Tag"] == "noindex"
    link = ShareLink.objects.get()
    assert link.token_hash not in url  # only the hash is stored
    client_for(writer).post(f"/newsroom/articles/{article.pk}/share/{link.pk}/revoke/")
    assert Client().get(path).status_code == 404


def test_an_expired_share_link_opens_nothing():
    writer = make_user(Role.AUTHOR)
    article = make_article(authors=[writer.author], status=Article.Status.DRAFT)
    ShareLink.objects.create(
        article=article,
        token_hash=ShareLink.hash_token("old-token"),
        expires_at=timezone.now() - datetime.timedelta(seconds=1),
    )
    assert Client().get("/preview/share/old-token/").status_code == 404


def test_the_byline_keeps_the_order_it_was_given():
    editor = make_user(Role.EDITOR, with_author=False)
    first, second = make_user(Role.AUTHOR).author, make_user(Role.AUTHOR).author
    client = client_for(editor)
    client.post(
        "/newsroom/articles/new/",
        form_data(title="Two hands", authors=[second.pk, first.pk]),
    )
    article = Article.objects.get(title="Two hands")
    assert article.ordered_authors == [second, first]
    page = client.get(f"/newsroom/articles/{article.pk}/").content.decode()
    assert page.index(f'<option value="{second.pk}" selected>') < page.index(
        f'<option value="{first.pk}" selected>'
    )


def test_the_desk_shows_a_writer_their_own_articles_and_an_editor_everyones():
    writer, other = make_user(Role.AUTHOR), make_user(Role.AUTHOR)
    mine = make_article(authors=[writer.author], title="Mine", status="draft")
    theirs = make_article(authors=[other.author], title="Theirs", status="review")
    desk = client_for(writer).get("/newsroom/").content.decode()
    assert mine.title in desk and theirs.title not in desk
    everyone = client_for(make_user(Role.EDITOR)).get("/newsroom/?state=review")
    text = everyone.content.decode()
    assert theirs.title in text and mine.title not in text
    assert "In review (1)" in text


def test_a_noted_article_published_from_the_newsroom_reaches_the_home_page():
    writer = make_user(Role.AUTHOR)
    client = client_for(writer)
    client.post(
        "/newsroom/articles/new/",
        form_data(title="Paper Moulds", body="Laid lines.[^1]\n\n[^1]: From wires.\n"),
    )
    article = Article.objects.get(title="Paper Moulds")
    client.post(f"/newsroom/articles/{article.pk}/", form_data(article, step="publish"))
    home = Client().get("/").content.decode()
    assert "Paper Moulds" in home and writer.author.name in home
    page = Client().get(Article.objects.get(pk=article.pk).get_absolute_url())
    assert 'id="note-1"' in page.content.decode()


def test_saving_a_draft_with_problems_warns_and_reopening_lists_them():
    writer = make_user(Role.AUTHOR)
    client = client_for(writer)
    saved = client.post(
        "/newsroom/articles/new/",
        form_data(title="Unfinished", body="Fine.\n\nDangling.[^missing]\n"),
        follow=True,
    )
    assert "Line 3" in saved.content.decode()
    article = Article.objects.get(title="Unfinished")
    reopened = client.get(f"/newsroom/articles/{article.pk}/").content.decode()
    assert "Problems in the saved text" in reopened
    assert article.render_problems[0] in reopened


def test_markup_the_page_leaves_out_is_a_warning_that_does_not_block_publishing():
    writer = make_user(Role.AUTHOR)
    client = client_for(writer)
    body = 'Laid lines.\n\n<iframe src="https://example.com/map"></iframe>\n'
    client.post("/newsroom/articles/new/", form_data(title="Mapped", body=body))
    article = Article.objects.get(title="Mapped")
    page = client.post(
        f"/newsroom/articles/{article.pk}/",
        form_data(article, step="publish"),
        follow=True,
    ).content.decode()
    assert Article.objects.get(pk=article.pk).is_live
    assert "warning: &lt;iframe&gt; is not allowed" in page


def test_the_slug_is_chosen_before_publication_and_fixed_after():
    writer = make_user(Role.AUTHOR)
    client = client_for(writer)
    client.post("/newsroom/articles/new/", form_data(title="Quoins", slug="on-quoins"))
    article = Article.objects.get(slug="on-quoins")
    taken = make_article(slug="taken-slug")
    refused = client.post(
        f"/newsroom/articles/{article.pk}/", form_data(article, slug=taken.slug)
    )
    assert refused.status_code == 400
    assert "Another article is at /articles/taken-slug/" in refused.content.decode()
    client.post(f"/newsroom/articles/{article.pk}/", form_data(article, step="publish"))
    article.refresh_from_db()
    client.post(f"/newsroom/articles/{article.pk}/", form_data(article, slug="moved"))
    assert Article.objects.get(pk=article.pk).slug == "on-quoins"


def test_the_featured_image_is_chosen_in_the_newsroom_and_waits_when_live(
    settings, tmp_path
):
    from tests.factories import make_image

    settings.MEDIA_ROOT = tmp_path
    image = make_image(alt="A composing stick")
    writer = make_user(Role.AUTHOR)
    draft = make_article(authors=[writer.author], status=Article.Status.DRAFT)
    client = client_for(writer)
    client.post(
        f"/newsroom/articles/{draft.pk}/", form_data(draft, featured_image=image.pk)
    )
    assert Article.objects.get(pk=draft.pk).featured_image == image
    live = make_article(authors=[writer.author])
    client.post(
        f"/newsroom/articles/{live.pk}/", form_data(live, featured_image=image.pk)
    )
    assert Article.objects.get(pk=live.pk).featured_image is None  # pending
    pending = live.revisions.get(kind=Revision.Kind.PENDING)
    assert pending.content["featured_image"] == image.pk
    live.refresh_from_db()
    client.post(f"/newsroom/articles/{live.pk}/", form_data(live, featured_image=""))
    history = client.get(f"/newsroom/articles/{live.pk}/history/").content.decode()
    assert "Featured image: “A composing stick” → “(none)”" in history


def test_an_editor_makes_an_article_the_lead_story_and_an_author_cannot():
    writer = make_user(Role.AUTHOR)
    article = make_article(authors=[writer.author], status=Article.Status.DRAFT)
    writer_page = client_for(writer).get(f"/newsroom/articles/{article.pk}/")
    assert 'name="sticky"' not in writer_page.content.decode()
    client_for(writer).post(
        f"/newsroom/articles/{article.pk}/",
        form_data(article, body=article.body + "\n\nMore.", sticky="on"),
    )
    article.refresh_from_db()
    assert article.sticky is False
    client_for(make_user(Role.EDITOR)).post(
        f"/newsroom/articles/{article.pk}/", form_data(article, sticky="on")
    )
    article.refresh_from_db()
    assert article.sticky is True
    assert article.revisions.order_by("-number").first().content["sticky"] is True
