"""The XSS corpus through every input path (the overview, what is pushed where
and what is left out: tests/security/__init__.py), in three parts: the
newsroom (articles, drafts, the editor, the media library, search), the Django
admin (authors, terms, pages, site settings, works) and the command line's
imports (bibliographies, WordPress, Markdown folders), then the feeds.

One module, so one demo site serves them all in a test process."""

from __future__ import annotations

import json
import re
import urllib.parse
import xml.etree.ElementTree

import pytest

from tests.security import browsing, files
from tests.security import documents as docs
from tests.security import xss_vectors as corpus
from tests.security.backoffice import (
    form_errors,
    form_fields,
    newsroom_saved,
    row_errors,
)
from tests.security.browsing import Findings
from tests.security.pushing import (
    BODY_BATCH,
    Publication,
    admin_add,
    article_fields,
    carrier,
    category,
    check_works,
    drafted,
    link_rows,
    links_management,
    marked_at,
    newsroom_markdown,
    picture,
    run_cli,
    settle,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.xdist_group("browser"),
]


# The newsroom.

# The editor's preview pane once filled (when the editor bundle is built).
PREVIEWED = "#editor-preview > *"


def test_newsroom_article_fields(office, reader, editor, byline, tally):
    """Articles written and published in the newsroom: the whole corpus in their
    bodies (each address in every link syntax), the short one in titles and
    subtitles, all of it in excerpts; their pages, the section listing their
    cards, the home page, and the writer's edit, preview, history and desk."""
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
        # A blocking problem naming its line answers it; a warning does not.
        markers = [] if docs.error_lines(saved.problems) else [item.key]
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


def test_search_query_and_filters(reader, tally):
    """What a reader types into the search box and its filters, reflected on
    /search/; a search for the markers also lists the hostile articles."""
    findings = Findings()
    queries = docs.pack(docs.items("QQ", corpus.TEXT, one_line=True, short=True), 2000)
    filters = docs.pack(
        docs.items("QF", corpus.SHORT_TEXT, one_line=True, short=True), 200
    )
    for number in range(max(len(queries), len(filters))):
        group = queries[number % len(queries)]
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


# The Django admin.

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
            if made:
                authors.append(made)
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
            if pk:
                pages.append(str(pk))
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
    """The site's name, tagline and donation wording, a part of the corpus per
    save (each page shows them all), the footer text whole; then every URL
    vector as the donation link."""
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
        assert not form_errors(answer), form_errors(answer)
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


# The command line's imports, then the feeds.


@pytest.mark.parametrize(
    ("fmt", "codes", "write"),
    [
        ("bib", ("BT", "BN", "BJ"), files.bibtex),
        ("json", ("JT", "JN", "JJ"), files.csl_json),
        ("ris", ("RT", "RN", "RJ"), files.ris),
    ],
    ids=["bibtex", "csl-json", "ris"],
)
def test_sources_import(
    hostile_site, office, reader, editor, byline, tally, tmp_path, fmt, codes, write
):
    """`broadsheet sources import`: every text vector in titles, authors and
    journals, the web addresses as URLs; a file of script addresses is refused,
    naming its entry and line, with nothing imported."""
    findings = Findings()
    works = files.works(codes, corpus.SHORT_TEXT, corpus.HOSTILE_WEB)
    done = run_cli(
        hostile_site,
        "sources",
        "import",
        str(files.write(tmp_path / f"w.{fmt}", write(works))),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    scripted = [
        files.Work(
            f"{codes[0].lower()}-url-{v.id}",
            {**works[0].csl, "id": f"{codes[0].lower()}-url-{v.id}", "URL": v.text},
        )
        for v in corpus.URLS
        if not v.text.startswith(("http://", "https://"))
    ]
    refused = run_cli(
        hostile_site,
        "sources",
        "import",
        str(files.write(tmp_path / f"s.{fmt}", write(scripted))),
    )
    assert refused.returncode == 1 and "nothing imported" in refused.stderr, (
        refused.stderr
    )
    assert "line " in refused.stderr and "must start with http" in refused.stderr, (
        refused.stderr
    )
    check_works(office, reader, editor, byline, findings, works, f"citing-{fmt}", 1)
    tally.push(f"CLI sources import ({fmt})", [i for w in works for i in w.items])
    tally.push(f"CLI sources import ({fmt}) URL", docs.items("XU", corpus.URLS))
    assert not findings.problems, findings.report()


def test_wordpress_import(hostile_site, office, reader, tally, tmp_path):
    """`broadsheet import wordpress`: post titles, HTML content and excerpts,
    author display names, category names and descriptions, tag names, a page.
    Posts drafted for a problem are fixed in the export and imported again.

    WordPress text is HTML: a vector ending in an open tag takes in what
    follows it there, as WordPress shows it, so each goes last in a post of its
    own, where its own marker may go with it."""
    findings = Findings()

    def text(code, vectors):
        shown, _open = docs.for_html(
            files.xml_safe(docs.items(code, vectors, one_line=True, short=True))
        )
        return shown

    authors = [docs.joined(g) for g in docs.pack(text("WA", corpus.SHORT_TEXT), 200)]
    names = docs.pack(text("WC", corpus.SHORT_TEXT), 100)
    described = text("WD", corpus.TEXT)
    descriptions = docs.spread(described, len(names))
    categories = [
        (f"wp-cat-{n}", docs.joined(g), docs.joined(descriptions[n]))
        for n, g in enumerate(names)
    ]
    tag_names = docs.pack(text("WG", corpus.SHORT_TEXT), 100)
    tags = [(f"wp-tag-{n}", docs.joined(g)) for n, g in enumerate(tag_names)]
    body, open_tags = docs.for_html(
        docs.items("WB", corpus.MARKUP) + docs.link_items("WB", corpus.URLS, "cd")
    )
    batches = docs.batches(body, BODY_BATCH)
    titles = docs.pack(text("WT", corpus.SHORT_TEXT), 285)  # after "Wpcorpus901 "
    excerpted = text("WE", corpus.TEXT)
    count = max(len(batches), len(authors) + 1)  # the last, a page, has no byline
    excerpts = docs.spread(excerpted, count)

    def part(groups, n):
        return groups[n] if n < len(groups) else []

    posts = [
        files.Post(
            900 + n,
            f"wp-corpus-{n}",
            part(titles, n),
            part(batches, n),
            part(excerpts, n),
            creator=f"corpus-{n % len(authors)}",
        )
        for n in range(count)
    ]
    posts[-1].kind = "page"
    opened = [
        files.Post(
            950 + n, f"wp-open-{n}", [], [docs.neutral("WO", ["Before."])[0], item]
        )
        for n, item in enumerate(open_tags)
    ]
    export = tmp_path / "export.xml"
    # XML cannot carry a control character: such a file is refused, clearly.
    files.write(export, files.wordpress(posts + opened, authors, categories, tags))
    refused = run_cli(hostile_site, "import", "wordpress", str(export))
    assert refused.returncode == 1, refused.stdout
    assert (
        "control character" in refused.stderr and "nothing imported" in refused.stderr
    )
    for post in posts:
        post.body = files.xml_safe(post.body)
    for _attempt in range(6):
        files.write(export, files.wordpress(posts + opened, authors, categories, tags))
        done = run_cli(hostile_site, "import", "wordpress", str(export))
        assert done.returncode == 0, done.stdout + done.stderr
        drafts = drafted(done.stdout)
        if not drafts:
            break
        for post in posts:
            label = next(
                (k for k in drafts if k.startswith(f"post {post.wp_id} ")), None
            )
            if label is None:
                continue
            _pk, markdown = newsroom_markdown(office, f"Wpcorpus{post.wp_id}")
            hit = marked_at(markdown, post.body, docs.error_lines(drafts[label]))
            assert hit, f"{label}: {drafts[label]}"
            tally.report("CLI WordPress content", hit)
            post.body = [item for item in post.body if item not in hit]
    else:
        raise AssertionError(f"still drafted: {drafts}")
    for post in posts:
        path = f"/{post.slug}/" if post.kind == "page" else f"/articles/{post.slug}/"
        reader.check(path, docs.keys(post.title) + docs.keys(post.body), findings)
    for post in opened:
        reader.check(f"/articles/{post.slug}/", docs.keys(post.body[:1]), findings)
    reader.check("/categories/", docs.keys(names[0]) + docs.keys(described), findings)
    reader.check("/tags/", [k for g in tag_names for k in docs.keys(g)], findings)
    reader.check("/authors/", docs.keys(text("WA", corpus.SHORT_TEXT)), findings)
    cards = [
        k for p in posts if p.kind == "post" for k in docs.keys(p.title + p.excerpt)
    ]
    reader.check("/categories/wp-cat-0/", cards, findings)
    for code, parts in (
        ("title", titles),
        ("category name", names),
        ("tag name", tag_names),
    ):
        tally.push(f"CLI WordPress {code}", [i for g in parts for i in g])
    tally.push("CLI WordPress content", body + open_tags)
    tally.push("CLI WordPress excerpt", excerpted)
    tally.push("CLI WordPress author", text("WA", corpus.SHORT_TEXT))
    tally.push("CLI WordPress category description", described)
    assert not findings.problems, findings.report()


def test_markdown_folder_import(hostile_site, reader, tally, tmp_path):
    """`broadsheet import markdown` of a Hugo folder: title, subtitle, summary,
    body, tags, categories, authors and the republication line (venue, title,
    issue, pages, address) of posts, and a page. A file whose republication
    address is a script is refused with the folder, each named; drafted posts
    are fixed in their files and the folder imported again."""
    findings = Findings()

    def text(code, vectors=corpus.SHORT_TEXT):
        return docs.items(code, vectors, one_line=True, short=True)

    body = docs.items("MB", corpus.MARKUP) + docs.link_items("MB", corpus.URLS)
    batches = docs.batches(body, BODY_BATCH)
    titles, subtitles = (docs.pack(text(c), 300) for c in ("MT", "MS"))
    venues, originals = (docs.pack(text(c), 300) for c in ("MV", "MO"))
    issues = docs.pack(text("MI"), 100)
    summary = text("ME", corpus.TEXT)
    summaries = docs.spread(summary, len(batches))
    people, terms = text("MA"), text("MC")
    web = corpus.HOSTILE_WEB

    def part(groups, n):
        return groups[n] if n < len(groups) else []

    posts = {}
    for n, batch in enumerate(batches):
        shown = part(titles, n) + part(subtitles, n)  # the summary is the cards'
        shown += part(venues, n) + part(originals, n) + part(issues, n)
        fields = {
            "title": docs.joined(part(titles, n)) or f"Folder post {n}",
            "subtitle": docs.joined(part(subtitles, n)),
            "summary": docs.joined(part(summaries, n)),
            "date": f"2020-03-{n + 1:02d}",
            "authors": [i.text for i in people[n :: len(batches)]],
            "tags": [i.text for i in terms],
            "categories": ["Folder corpus"]
            + ([i.text for i in terms] if n == 0 else []),
            "republication": {
                "venue": docs.joined(part(venues, n)) or "Printing Quarterly",
                "original_title": docs.joined(part(originals, n)),
                "volume_issue": docs.joined(part(issues, n)),
                "pages": "pp. 1-9",
                "url": web[n].text if n < len(web) else "https://example.org/",
            },
        }
        posts[f"content/posts/folder-{n}.md"] = (fields, batch, shown)
    page_body = batches[-1][: BODY_BATCH // 4]
    pages = {"content/folder-page.md": ({"title": "Folder page"}, page_body, [])}
    # Script addresses: the folder is refused, and every such file named.
    bad = tmp_path / "refused"
    scripted = [v for v in corpus.URLS if not v.text.startswith("http")]
    for n, vector in enumerate(scripted):
        fields = {
            "title": f"Bad {n}",
            "republication": {"venue": "V", "url": vector.text},
        }
        files.write(
            bad / f"content/posts/bad-{n}.md", files.front_matter(fields, "Text.\n")
        )
    refused = run_cli(hostile_site, "import", "markdown", str(bad))
    assert refused.returncode == 1 and "nothing imported" in refused.stderr
    named = refused.stderr.count("republication: url must start with http")
    more = re.search(r"\(and (\d+) more\)", refused.stderr)
    assert named + (int(more[1]) if more else 0) == len(scripted), refused.stderr
    root = tmp_path / "site"
    for _attempt in range(6):
        for path, (fields, parts, _shown) in {**posts, **pages}.items():
            files.write(root / path, files.front_matter(fields, docs.markdown(parts)))
        done = run_cli(hostile_site, "import", "markdown", str(root))
        assert done.returncode == 0, done.stdout + done.stderr
        drafts = drafted(done.stdout)
        if not drafts:
            break
        for path, (fields, parts, shown) in posts.items():
            relative = path.removeprefix("content/")
            problems = next(
                (p for k, p in drafts.items() if k.endswith(relative)), None
            )
            if problems:
                written = (root / path).read_text()
                hit = marked_at(written, parts, docs.error_lines(problems))
                assert hit, f"{path}: {problems}"
                tally.report("CLI Markdown folder body", hit)
                posts[path] = (fields, [i for i in parts if i not in hit], shown)
    else:
        raise AssertionError(f"still drafted: {drafts}")
    cards = []
    for n, (_fields, parts, shown) in enumerate(posts.values()):
        extra = docs.keys(terms) if n == 0 else []
        reader.check(
            f"/articles/folder-{n}/", docs.keys(parts + shown) + extra, findings
        )
        cards += docs.keys(part(titles, n) + part(subtitles, n) + part(summaries, n))
    reader.check("/folder-page/", docs.keys(page_body), findings)
    reader.check("/authors/", docs.keys(people), findings)
    reader.check("/tags/", docs.keys(terms), findings)
    reader.check("/categories/folder-corpus/", cards, findings)
    for name, groups in (
        ("title", titles),
        ("subtitle", subtitles),
        ("republication venue", venues),
        ("republication title", originals),
        ("republication issue", issues),
    ):
        tally.push(f"CLI Markdown folder {name}", [i for g in groups for i in g])
    tally.push("CLI Markdown folder body", body)
    tally.push("CLI Markdown folder summary", summary)
    tally.push("CLI Markdown folder authors", people)
    tally.push("CLI Markdown folder terms", terms)
    tally.push("CLI Markdown folder republication URL", docs.items("MU", corpus.URLS))
    assert not findings.problems, findings.report()


# The site's feeds, and those of terms and an author of the corpus (if made).
FEEDS = ["/feed/", "/feed/atom/", "/feed.json"]
TERM_FEEDS = [
    "/categories/newsroom/feed/",
    "/tags/corpus-tag-0/feed/atom/",
    "/authors/corpus-author-0/feed/",
]


# Where each feed carries HTML: RSS's description and content:encoded, Atom's
# summary (type="html") and content, JSON Feed's content_html (its summary is
# plain text by the JSON Feed specification).
HTML_IN_XML = ("description", "encoded", "summary", "content")


def test_feeds_hold_no_script(hostile_site):
    """The feeds (not HTML: read over HTTP) parse, and the HTML they carry
    holds no script, handler or script link."""
    problems = []
    for path in FEEDS + TERM_FEEDS:
        response = hostile_site.fetch(path)
        if response.status == 404 and path in TERM_FEEDS:
            continue
        if response.status != 200:
            problems.append(f"{path}: answered {response.status}")
            continue
        if path.endswith(".json"):
            items = json.loads(response.body)["items"]
            carried = [item.get("content_html", "") for item in items]
            links = [item.get("url", "") for item in items]
        else:
            tree = xml.etree.ElementTree.fromstring(response.body)
            elements = list(tree.iter())
            carried = [
                e.text or ""
                for e in elements
                if e.tag.rpartition("}")[2] in HTML_IN_XML
            ]
            links = [
                e.get("href") or e.text or ""
                for e in elements
                if e.tag.endswith("link")
            ]
        for html in carried:
            found = browsing.as_served(f"<body>{html}</body>") + browsing.script_links(
                html
            )
            problems += [f"{path}: {problem}" for problem in found]
        problems += [
            f"{path}: script link {u!r}" for u in links if browsing.is_script_url(u)
        ]
    assert not problems, "\n".join(problems[:50])
