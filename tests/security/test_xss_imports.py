"""The XSS corpus through the command line's imports (see
tests/security/__init__.py): `broadsheet sources import` of BibTeX, CSL-JSON
and RIS, `broadsheet import wordpress` and `broadsheet import markdown`; then
the feeds, which are not HTML and are read over HTTP."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree

import pytest

from tests.security import browsing, files
from tests.security import documents as docs
from tests.security import xss_vectors as corpus
from tests.security.browsing import Findings
from tests.security.pushing import (
    BODY_BATCH,
    check_works,
    drafted,
    marked_at,
    newsroom_markdown,
    run_cli,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.xdist_group("browser"),
]


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
        if not v.text.startswith("http")
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
