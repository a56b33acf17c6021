"""The XSS corpus through the newsroom (see tests/security/__init__.py): article
body, title, subtitle and excerpt, published; unclosed elements alone in
drafts; the editor's live preview and scratch pad; the media library's alt
text and credit; and the reader's search box, reflected on /search/."""

from __future__ import annotations

import json
import re
import urllib.parse

import pytest

from tests.security import documents as docs
from tests.security import xss_vectors as corpus
from tests.security.backoffice import form_errors, newsroom_saved
from tests.security.browsing import Findings
from tests.security.pushing import (
    BODY_BATCH,
    Publication,
    article_fields,
    category,
    picture,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.xdist_group("browser"),
]


def test_newsroom_article_fields(office, reader, editor, byline, tally):
    findings = Findings()
    section = category(office, "newsroom")
    body = docs.items("NB", corpus.MARKUP) + docs.link_items("NB", corpus.URLS)
    titles = docs.pack(
        docs.items("NT", corpus.SHORT_TEXT, one_line=True, short=True), 300
    )
    subtitles = docs.pack(
        docs.items("NS", corpus.SHORT_TEXT, one_line=True, short=True), 300
    )
    batches = docs.batches(body, BODY_BATCH)
    excerpts = docs.spread(
        docs.items("NE", corpus.TEXT, one_line=True, short=True), len(batches)
    )
    assert len(batches) >= max(len(titles), len(subtitles), len(excerpts))
    listed: list[str] = []
    first = None
    for number, batch in enumerate(batches):
        title = titles[number] if number < len(titles) else []
        subtitle = subtitles[number] if number < len(subtitles) else []
        excerpt = excerpts[number] if number < len(excerpts) else []
        slug = f"newsroom-corpus-{number}"
        fields = article_fields(
            title=docs.joined(title) or f"Newsroom corpus {number}",
            subtitle=docs.joined(subtitle),
            slug=slug,
            excerpt=docs.joined(excerpt),
            authors=[byline],
            categories=[str(section)],
        )
        written = Publication(office, editor, fields, batch, findings)
        tally.report("newsroom body", written.reported)
        first = first or written
        reader.check(
            f"/articles/{slug}/",
            docs.keys(title) + docs.keys(subtitle) + docs.keys(written.kept),
            findings,
        )
        listed += docs.keys(title) + docs.keys(subtitle) + docs.keys(excerpt)
    tally.push("newsroom body", body)
    for path, groups in (
        ("title", titles),
        ("subtitle", subtitles),
        ("excerpt", excerpts),
    ):
        tally.push(f"newsroom {path}", [item for group in groups for item in group])
    reader.check("/categories/newsroom/", listed, findings)
    reader.check("/", [], findings)
    # The writer's own pages show the same text back: the edit page's text box,
    # the preview, the history and the dashboard.
    edit = f"/newsroom/articles/{first.pk}/"
    own = docs.keys(titles[0]) + docs.keys(first.kept)
    editor.check(edit, own, findings)
    editor.check(f"{edit}preview/", own, findings)
    editor.check(f"{edit}history/", [], findings)
    editor.check("/newsroom/", docs.keys(titles[0]), findings)
    assert not findings.problems, findings.report()


def test_newsroom_unclosed_elements_are_shown_or_reported(office, editor, tally):
    """Each vector that takes in what follows goes alone into a draft: its
    marker is on the preview, or the save reported a problem with its line."""
    findings = Findings()
    parts = docs.items("NU", corpus.SOLO)
    for item in parts:
        fields = article_fields(
            title=f"Unclosed {item.vector.id}",
            body=f"An opening line.\n\n{item.text}\n\nA closing line.\n",
        )
        saved = newsroom_saved(office.post("/newsroom/articles/new/", fields))
        reported = [p for p in saved.problems if p.startswith("line ")]
        markers = [] if reported else [item.key]
        editor.check(f"/newsroom/articles/{saved.pk}/preview/", markers, findings)
    tally.push("newsroom body (unclosed)", parts)
    assert not findings.problems, findings.report()


def test_editor_live_preview(office, editor, tally):
    """The editor's preview pane shows the API's HTML as the editor inserts it."""
    findings = Findings()
    body = docs.items("AP", corpus.MARKUP) + docs.link_items("AP", corpus.URLS)
    for batch in docs.batches(body, BODY_BATCH):
        answer = office.post("/newsroom/api/preview/", {"body": docs.markdown(batch)})
        assert answer.status == 200, answer.text[:500]
        shown = json.loads(answer.body)
        html = shown["html"] + shown["notes_html"] + shown["bibliography_html"]
        editor.check_html("/newsroom/api/preview/", html, docs.keys(batch), findings)
    tally.push("editor live preview", body)
    assert not findings.problems, findings.report()


def test_media_library_text(office, reader, editor, byline, tally):
    """Alt text and credit typed at upload and edited later, and the alt and
    caption of `![alt](media:N "caption")`; the article shows the images (one
    as its featured image), the credits page lists them."""
    findings = Findings()

    def text(code, limit):
        return docs.pack(
            docs.items(code, corpus.SHORT_TEXT, one_line=True, short=True), limit
        )

    alts, credits = text("IA", 500), text("IC", 300)
    edited_alt, edited_credit = text("IE", 500), text("IF", 300)
    count = max(len(alts), len(credits), len(edited_alt), len(edited_credit))

    def padded(groups):  # alt text is required: the rest say what they show
        plain = [[docs.neutral(f"I{n}", ["A hand press"])[0]] for n in range(count)]
        return groups + plain[len(groups) :]

    alts, credits, edited_alt, edited_credit = map(
        padded, (alts, credits, edited_alt, edited_credit)
    )
    images = []
    for alt, credit in zip(alts, credits, strict=True):
        answer = office.post(
            "/newsroom/media/upload/",
            {"alt": docs.joined(alt), "credit": docs.joined(credit)},
            files={"file": (f"press-{len(images)}.png", picture(len(images)))},
        )
        match = re.search(r"/newsroom/media/(\d+)/$", answer.url)
        assert match, form_errors(answer) or answer.text[:500]
        images.append(int(match[1]))
        editor.check(
            f"/newsroom/media/{images[-1]}/", docs.keys(alt + credit), findings
        )
    for pk, alt, credit in zip(images, edited_alt, edited_credit, strict=True):
        answer = office.post(
            f"/newsroom/media/{pk}/",
            {"alt": docs.joined(alt), "credit": docs.joined(credit)},
        )
        assert answer.url.endswith(f"/newsroom/media/{pk}/"), answer.url
    captions = docs.items("IM", corpus.SHORT_TEXT, one_line=True, short=True)
    shown = [
        docs.Item(
            item.vector,
            f'![{item.vector.line}](media:{images[n % len(images)]} "{item.text}")',
            item.key,
        )
        for n, item in enumerate(captions)
    ]
    fields = article_fields(
        title="Pictures of the press",
        slug="media-corpus",
        authors=[byline],
        featured_image=str(images[0]),
    )
    written = Publication(office, editor, fields, shown, findings)
    tally.report("article image caption", written.reported)
    every_credit = [k for g in edited_credit for k in docs.keys(g)]
    every_alt = [k for g in edited_alt for k in docs.keys(g)]
    reader.check(
        "/articles/media-corpus/", docs.keys(written.kept) + every_credit, findings
    )
    reader.check("/image-credits/", every_alt + every_credit, findings)
    editor.check("/newsroom/media/", every_alt, findings)
    tally.push("newsroom media alt text", [i for g in alts + edited_alt for i in g])
    tally.push("newsroom media credit", [i for g in credits + edited_credit for i in g])
    tally.push("article image alt and caption", captions)
    assert not findings.problems, findings.report()


def test_editor_sandbox(office, editor, tally):
    """The editor's scratch pad keeps a title and text in the session and shows
    them back in the editor, whose preview pane renders the text."""
    findings = Findings()
    title = docs.pack(
        docs.items("XT", corpus.SHORT_TEXT, one_line=True, short=True), 300
    )[0]
    body = (docs.items("XB", corpus.MARKUP) + docs.link_items("XB", corpus.URLS))[
        :BODY_BATCH
    ]
    answer = office.post(
        "/newsroom/api/sandbox/",
        {"title": docs.joined(title), "body": docs.markdown(body), "version": "0"},
    )
    assert answer.status == 200 and "Kept." in answer.text, form_errors(answer)
    editor.check(
        "/newsroom/api/sandbox/", docs.keys(title + body), findings, wait_for=PREVIEWED
    )
    tally.push("newsroom editor sandbox", title + body)
    assert not findings.problems, findings.report()


# The editor's preview pane once filled (when the editor bundle is built).
PREVIEWED = "#editor-preview > *"


def test_search_query_and_filters(reader, tally):
    """What a reader types into the search box and its filters, reflected on
    /search/; a search for the markers also lists the hostile articles."""
    findings = Findings()
    queries = docs.pack(docs.items("QQ", corpus.TEXT, one_line=True, short=True), 2000)
    filters = docs.pack(
        docs.items("QF", corpus.SHORT_TEXT, one_line=True, short=True), 200
    )
    for number, group in enumerate(queries):
        chosen = filters[number % len(filters)]
        query = urllib.parse.urlencode(
            {
                "q": docs.joined(group),
                "tag": docs.joined(chosen),
                "cites": docs.joined(chosen),
            }
        )
        reader.check(
            f"/search/?{query}", docs.keys(group) + docs.keys(chosen), findings
        )
    reader.check("/search/?q=marker+dried", [], findings)
    tally.push("search query", [i for g in queries for i in g])
    tally.push("search filters", [i for g in filters for i in g])
    assert not findings.problems, findings.report()
