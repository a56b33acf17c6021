"""The XSS corpus through the Django admin (see tests/security/__init__.py):
authors (name, biography, links), categories and tags, static pages, the site
settings, and works typed as CSL-JSON."""

from __future__ import annotations

import json

import pytest

from tests.security import documents as docs
from tests.security import files
from tests.security import xss_vectors as corpus
from tests.security.backoffice import form_errors, form_fields, row_errors
from tests.security.browsing import Findings
from tests.security.pushing import (
    admin_add,
    carrier,
    check_works,
    link_rows,
    links_management,
    settle,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.xdist_group("browser"),
]

TERM_PAGES = 3  # of each kind of term, pages of their own (all are in the lists)


def test_admin_authors(office, reader, editor, byline, tally):
    """Names, Markdown biographies, and links (labels and addresses)."""
    findings = Findings()
    names = docs.pack(
        docs.items("AN", corpus.SHORT_TEXT, one_line=True, short=True), 200
    )
    bios = docs.items("AB", corpus.MARKUP) + docs.link_items("AB", corpus.URLS)
    authors, shown_bios = [], []
    for number, bio in enumerate(docs.spread(bios, len(names))):
        fields = {
            "name": docs.joined(names[number]),
            "slug": f"corpus-author-{number}",
            "user": "",
            **links_management(0),
        }

        def add(kept, fields=fields):
            answer, made, errors = admin_add(
                office, "content/author", {**fields, "bio": docs.markdown(kept)}
            )
            authors.append(made) if made else None
            return answer, errors

        kept, reported, _answer = settle(bio, add)
        tally.report("admin author bio", reported)
        shown_bios.append(kept)
        reader.check(
            f"/authors/corpus-author-{number}/",
            docs.keys(names[number]) + docs.keys(kept),
            findings,
        )
    tally.push("admin author name", [i for group in names for i in group])
    tally.push("admin author bio", bios)
    page = carrier(
        office, editor, byline, findings, authors=[str(pk) for pk in authors]
    )
    every_name = [key for group in names for key in docs.keys(group)]
    reader.check(page, every_name + docs.keys(shown_bios[0]), findings)
    reader.check("/authors/", every_name, findings)
    check_author_links(office, reader, tally, findings)
    assert not findings.problems, findings.report()


def check_author_links(office, reader, tally, findings) -> None:
    """Every URL vector as a link's address, in one form: those refused carry
    an error on their row; the rest are saved with every label vector."""
    labels = [
        docs.joined(group)
        for group in docs.pack(
            docs.items("AL", corpus.SHORT_TEXT, one_line=True, short=True), 100
        )
    ]

    def rows(addresses: list[str]) -> dict:
        fillers = [f"https://example.org/label-{n}" for n in range(len(labels))]
        addresses = addresses + fillers[len(addresses) :]
        named = [
            labels[n] if n < len(labels) else "Link" for n in range(len(addresses))
        ]
        return link_rows(list(zip(named, addresses, strict=True)))

    base = {
        "name": "Links of the corpus",
        "slug": "corpus-links",
        "bio": "",
        "user": "",
    }
    urls = corpus.URLS
    answer, made, _errors = admin_add(
        office, "content/author", base | rows([v.text for v in urls])
    )
    refused = {} if made else row_errors(answer, "links", "url")
    for number, errors in refused.items():
        if not any("valid URL" in e or "may only start with" in e for e in errors):
            findings.add(f"link #{urls[number].id}", [f"unclear refusal: {errors}"])
    if not made:
        taken = [v.text for n, v in enumerate(urls) if n not in refused]
        _answer, made, errors = admin_add(office, "content/author", base | rows(taken))
        assert made, errors
    tally.push("admin author link URL", docs.items("AU", urls))
    tally.push(
        "admin author link label",
        docs.items("AL", corpus.SHORT_TEXT, one_line=True, short=True),
    )
    keys = docs.keys(docs.items("AL", corpus.SHORT_TEXT, one_line=True, short=True))
    reader.check("/authors/corpus-links/", keys, findings)


def test_admin_categories_and_tags(office, reader, editor, byline, tally):
    """Category names and descriptions, tag names: their pages, the indexes,
    and an article filed under all of them."""
    findings = Findings()
    names = {
        kind: docs.pack(
            docs.items(code, corpus.SHORT_TEXT, one_line=True, short=True), 100
        )
        for kind, code in (("category", "CN"), ("tag", "TN"))
    }
    described = docs.items("CD", corpus.TEXT, one_line=True, short=True)
    descriptions = docs.spread(described, len(names["category"]))
    made: dict[str, list[str]] = {"category": [], "tag": []}
    for kind, groups in names.items():
        for number, group in enumerate(groups):
            fields = {"name": docs.joined(group), "slug": f"corpus-{kind}-{number}"}
            if kind == "category":
                fields["description"] = docs.joined(descriptions[number])
            _answer, pk, errors = admin_add(office, f"content/{kind}", fields)
            assert pk, errors
            made[kind].append(str(pk))
    page = carrier(
        office, editor, byline, findings, categories=made["category"], tags=made["tag"]
    )
    every = {
        kind: [k for g in groups for k in docs.keys(g)]
        for kind, groups in names.items()
    }
    reader.check(page, every["category"] + every["tag"], findings)
    reader.check("/categories/", every["category"] + docs.keys(described), findings)
    reader.check("/tags/", every["tag"], findings)
    for kind, groups in names.items():
        path = "categories" if kind == "category" else "tags"
        for number, group in enumerate(groups[:TERM_PAGES]):
            shown = docs.keys(group)
            if kind == "category":
                shown += docs.keys(descriptions[number])
            reader.check(f"/{path}/corpus-{kind}-{number}/", shown, findings)
    tally.push("admin category name", [i for g in names["category"] for i in g])
    tally.push("admin category description", described)
    tally.push("admin tag name", [i for g in names["tag"] for i in g])
    assert not findings.problems, findings.report()


def test_admin_pages_and_site_settings(office, reader, tally):
    """Static pages (title, Markdown body), linked from the footer; then the
    site's name, tagline, footer text, donation wording and donation link."""
    findings = Findings()
    titles = docs.pack(
        docs.items("PT", corpus.SHORT_TEXT, one_line=True, short=True), 200
    )
    bodies = docs.items("PB", corpus.MARKUP) + docs.link_items("PB", corpus.URLS)
    pages = []
    for number, body in enumerate(docs.spread(bodies, len(titles))):
        fields = {
            "title": docs.joined(titles[number]),
            "slug": f"corpus-page-{number}",
            "is_published": "on",
        }

        def add(kept, fields=fields):
            answer, pk, errors = admin_add(
                office, "content/page", {**fields, "body": docs.markdown(kept)}
            )
            pages.append(str(pk)) if pk else None
            return answer, errors

        kept, reported, _answer = settle(body, add)
        tally.report("admin page body", reported)
        reader.check(
            f"/corpus-page-{number}/",
            docs.keys(titles[number]) + docs.keys(kept),
            findings,
        )
    tally.push("admin page title", [i for g in titles for i in g])
    tally.push("admin page body", bodies)
    settings_page = "/admin/content/sitesettings/1/change/"
    form = form_fields(office.get(settings_page), "form#sitesettings_form")
    form["footer_pages"] = pages
    every_title = [k for g in titles for k in docs.keys(g)]
    check_site_settings(office, reader, tally, findings, form, every_title)
    assert not findings.problems, findings.report()


def check_site_settings(office, reader, tally, findings, form, footer_titles) -> None:
    settings_page = "/admin/content/sitesettings/1/change/"
    texts = {
        name: docs.pack(
            docs.items(code, corpus.SHORT_TEXT, one_line=True, short=True), limit
        )
        for name, code, limit in (
            ("site_name", "SN", 200),
            ("tagline", "SL", 300),
            ("donation_label", "SD", 100),
        )
    }
    footer = docs.items("SF", corpus.TEXT, one_line=True, short=True)
    rounds = max(len(groups) for groups in texts.values())
    for number in range(rounds):
        changes = {
            name: docs.joined(groups[number % len(groups)])
            for name, groups in texts.items()
        }
        changes |= {
            "footer_text": docs.joined(footer),
            "donation_url": "https://example.org/give",
        }
        answer = office.post(settings_page, form | changes)
        assert "/sitesettings/" not in answer.url or not form_errors(answer), (
            form_errors(answer)
        )
        shown = [
            key
            for name, groups in texts.items()
            if number < len(groups)
            for key in docs.keys(groups[number])
        ]
        if number == 0:
            shown += docs.keys(footer) + footer_titles
        reader.check("/archive/", shown, findings)
    for name, groups in texts.items():
        tally.push(f"admin {name.replace('_', ' ')}", [i for g in groups for i in g])
    tally.push("admin footer text", footer)
    # The donation link: each address refused on the field, or shown on the page.
    for vector in corpus.URLS:
        answer = office.post(settings_page, form | {"donation_url": vector.text})
        errors = form_errors(answer)
        if errors:
            if not any("valid URL" in e or "may only start with" in e for e in errors):
                findings.add(
                    f"donation link #{vector.id}", [f"unclear refusal: {errors}"]
                )
            continue
        reader.check("/archive/", [], findings)
    tally.push("admin donation URL", docs.items("SU", corpus.URLS))


def test_admin_works(office, reader, editor, byline, tally):
    """Works typed in the admin as CSL-JSON: every text vector in their fields,
    every URL vector as a work's URL; an article cites them all."""
    findings = Findings()
    works = files.works(("WT", "WN", "WJ"), corpus.SHORT_TEXT, corpus.HOSTILE_WEB)
    addressed = []  # works of the URL vectors the admin took
    for work in works:
        csl = {k: v for k, v in work.csl.items() if k != "id"}
        _answer, pk, errors = admin_add(
            office, "sources/work", {"key": work.key, "csl": json.dumps(csl)}
        )
        assert pk, errors
    for vector in corpus.URLS:
        csl = {"type": "webpage", "title": f"Address {vector.id}", "URL": vector.text}
        _answer, pk, errors = admin_add(
            office,
            "sources/work",
            {"key": f"wa-url-{vector.id}", "csl": json.dumps(csl)},
        )
        if pk is None and not any("http" in e for e in errors):
            findings.add(f"work URL #{vector.id}", [f"unclear refusal: {errors}"])
        elif pk is not None:
            addressed.append(files.Work(f"wa-url-{vector.id}", csl, []))
    check_works(
        office, reader, editor, byline, findings, works + addressed, "admin-works"
    )
    tally.push("admin work (CSL-JSON)", [i for w in works for i in w.items])
    tally.push("admin work URL", docs.items("WU", corpus.URLS))
    assert not findings.problems, findings.report()
