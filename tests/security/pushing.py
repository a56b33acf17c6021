"""Pushing vectors through the back office and the command line: forms filled
as a browser fills them, refusals read, articles published, imports run."""

from __future__ import annotations

import io
import re
import time
import urllib.parse
from collections import Counter

import PIL.Image
from bs4 import BeautifulSoup

from tests.security import documents as docs
from tests.security import xss_vectors as corpus
from tests.security.backoffice import (
    BackOffice,
    added_id,
    form_errors,
    newsroom_saved,
)
from tests.security.browsing import Inspector
from tests.system import serving

BODY_BATCH = 60  # vectors per Markdown document: one page load each


class Tally:
    """Vectors pushed per path and pages loaded, for the summary line."""

    def __init__(self) -> None:
        self.pushed: Counter[str] = Counter()
        self.reported: dict[str, list[str]] = {}
        self.inspectors: list[Inspector] = []
        self.started = time.monotonic()

    def push(self, path: str, parts) -> None:
        self.pushed[path] += len({item.vector.id for item in parts if item.vector})

    def report(self, path: str, answered: dict) -> None:
        """Note vectors the product answered with a problem instead of a page."""
        self.reported.setdefault(path, []).extend(
            f"#{item.vector.id} {item.vector.text[:50]!r}: {problem}"
            for item, problem in answered.items()
        )

    def summary(self) -> str:
        pages = sum(i.pages_loaded for i in self.inspectors)
        loading = sum(i.seconds for i in self.inspectors)
        return (
            f"XSS corpus: {len(corpus.VECTORS)} vectors through {len(self.pushed)}"
            f" input paths, {sum(self.pushed.values())} vector pushes, {pages}"
            f" pages loaded in Chromium ({loading:.1f} s),"
            f" {time.monotonic() - self.started:.1f} s in all"
        ) + "".join(
            f"\n  answered with a problem ({path}): {line}"
            for path, lines in self.reported.items()
            for line in lines
        )


def category(office: BackOffice, slug: str) -> int:
    """A neutral category whose page lists what one path published."""
    response = office.post(
        "/admin/content/category/add/",
        {"name": f"Corpus {slug}", "slug": slug, "description": ""},
    )
    made = added_id(response)
    assert made, form_errors(response)
    return made


def article_fields(**fields) -> dict:
    defaults = {"title": "", "subtitle": "", "slug": "", "body": "", "excerpt": ""}
    return {**defaults, "version": "", **fields}


def settle(parts, submit):
    """Submit `parts` until the product takes them: `submit(kept)` returns the
    answer and its problems; vectors on the line of a blocking problem are
    answered by it, left out, and the rest submitted again."""
    kept, reported = list(parts), {}
    for _attempt in range(8):
        answer, problems = submit(kept)
        if not docs.error_lines(problems):
            return kept, reported, answer
        hit = docs.answered(kept, problems)
        assert hit, f"problems on no vector's line: {problems}"
        reported.update(hit)
        kept = [item for item in kept if item not in hit]
    raise AssertionError(f"still refused after 8 attempts: {problems}")


class Publication:
    """An article written in the newsroom with vectors in its body, published.

    The text a save reports blocking problems for is opened in the preview
    first, where it may not run either.
    """

    def __init__(self, office, editor, fields: dict, parts, findings) -> None:
        self.pk = None
        self.version = ""

        def save(kept):
            path = (
                f"/newsroom/articles/{self.pk}/"
                if self.pk
                else "/newsroom/articles/new/"
            )
            body = {**fields, "body": docs.markdown(kept), "version": self.version}
            saved = newsroom_saved(office.post(path, body))
            self.pk, self.version = saved.pk, saved.version
            if docs.error_lines(saved.problems):
                editor.check(f"/newsroom/articles/{saved.pk}/preview/", [], findings)
            return saved, saved.problems

        self.kept, self.reported, _saved = settle(parts, save)
        edit = f"/newsroom/articles/{self.pk}/"
        published = newsroom_saved(
            office.post(
                edit,
                {
                    **fields,
                    "body": docs.markdown(self.kept),
                    "version": self.version,
                    "step": "publish",
                },
            )
        )
        if not any(m.startswith("Publish: done") for m in published.messages):
            findings.add(edit, [f"not published: {published.messages}"])


def admin_add(office: BackOffice, model: str, fields: dict):
    """Submit an admin add form; return (answer, id or None, errors shown)."""
    answer = office.post(f"/admin/{model}/add/", fields)
    made = added_id(answer)
    return answer, made, [] if made else form_errors(answer)


def carrier(office, editor, byline, findings, **terms) -> str:
    """A published article that shows the given authors, categories and tags."""
    slug = f"carrier-{'-'.join(sorted(terms))}"
    fields = article_fields(
        title=f"Carrier of {', '.join(sorted(terms))}",
        slug=slug,
        authors=terms.pop("authors", [byline]),
        **terms,
    )
    Publication(
        office, editor, fields, docs.neutral("CA", ["It shows them all."]), findings
    )
    return f"/articles/{slug}/"


def links_management(rows: int) -> dict:
    return {
        "links-TOTAL_FORMS": str(rows),
        "links-INITIAL_FORMS": "0",
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "1000",
    }


def link_rows(rows: list[tuple[str, str]]) -> dict:
    fields = links_management(len(rows))
    for number, (label, url) in enumerate(rows):
        fields |= {
            f"links-{number}-label": label,
            f"links-{number}-url": url,
            f"links-{number}-position": str(number),
        }
    return fields


def run_cli(site, *args: str):
    """Run `broadsheet ARGS` against the served site's database, as its owner does."""
    return serving.broadsheet(site.env, *args)


def newsroom_markdown(office, title_start: str) -> tuple[int, str]:
    """The id and Markdown of the article whose title starts so, as the writer
    sees them (the admin's list finds it; the edit page holds the text)."""
    found = BeautifulSoup(
        office.get(f"/admin/content/article/?q={urllib.parse.quote(title_start)}").text,
        "html.parser",
    ).select("#result_list a[href*='/change/']")
    assert found, f"no article titled {title_start!r}"
    pk = int(re.search(r"/(\d+)/change/", found[0]["href"])[1])
    edit = BeautifulSoup(office.get(f"/newsroom/articles/{pk}/").text, "html.parser")
    return pk, edit.select_one("textarea[name=body]").get_text()


def marked_at(markdown: str, parts, lines) -> dict:
    """The items whose markers come first at or after each of `lines` of
    `markdown` (an import's own text, whose lines are not the vectors')."""
    rows = markdown.split("\n")
    found = {}
    for line, problem in lines.items():
        for row in rows[line - 1 :]:
            hit = [i for i in parts if i.key.lower() in row.lower()]
            if hit:
                found.setdefault(hit[0], problem)
                break
    return found


def drafted(report: str) -> dict[str, list[str]]:
    """The report's drafts: item label -> its problems."""
    found, inside = {}, False
    for line in report.splitlines():
        if line.endswith(":") and not line.startswith("  "):
            inside = line.startswith("Imported as drafts")
        elif inside and line.startswith("  "):
            label, _, problems = line.strip().partition(": ")
            found[label] = problems.split("; ")
    return found


def picture(number: int) -> bytes:
    """A small PNG of its own colour: each upload is a new image."""
    buffer = io.BytesIO()
    PIL.Image.new("RGB", (64, 48), (number * 40 % 256, 90, 120)).save(buffer, "PNG")
    return buffer.getvalue()


def check_works(
    office, reader, editor, byline, findings, works, slug, pages: int = 99
) -> None:
    """Cite every work in one article; load it, the Sources index and the page
    of each work that carries vectors (the first `pages` of them)."""
    fields = article_fields(title=f"Citing {slug}", slug=slug, authors=[byline])
    citing = docs.neutral("CW", [f"Cited here [@{w.key}]." for w in works])
    Publication(office, editor, fields, citing, findings)
    every = [key for work in works for key in docs.keys(work.items)]
    reader.check(f"/articles/{slug}/", every, findings)
    reader.check("/sources/", [], findings)
    for work in [w for w in works if w.items][:pages]:
        reader.check(f"/sources/{work.key}/", docs.keys(work.items), findings)
