"""Import files carrying the corpus: bibliographies (BibTeX, CSL-JSON, RIS), a
WordPress export and a folder of Markdown, written as their tools write them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tests.migration import wxr
from tests.security import documents as docs
from tests.security.xss_vectors import Vector

TITLE_LIMIT = 480  # a work's title is listed up to 500 characters


@dataclass
class Work:
    """One work of a bibliography: its key, CSL-JSON, and the markers it holds."""

    key: str
    csl: dict
    items: list[docs.Item] = field(default_factory=list)


def works(
    codes: tuple[str, str, str], text: Sequence[Vector], web_urls: Sequence[Vector]
) -> list[Work]:
    """Works whose titles, authors and journals (marker codes `codes`) carry
    `text`, and whose URLs carry `web_urls`, every vector with its marker."""
    title_code, name_code, journal_code = codes
    titles = docs.pack(
        docs.items(title_code, text, one_line=True, short=True), TITLE_LIMIT
    )
    names = docs.items(name_code, text, one_line=True, short=True)
    journals = docs.pack(
        docs.items(journal_code, text, one_line=True, short=True), TITLE_LIMIT
    )
    count = max(len(titles), len(journals), len(web_urls))
    made = []
    for number in range(count):
        key = f"{title_code.lower()}-{number}"
        title = titles[number] if number < len(titles) else []
        journal = journals[number] if number < len(journals) else []
        people = names[number::count]
        csl = {
            "id": key,
            "type": "article-journal",
            "title": docs.joined(title) or f"Neutral title {number}",
            "author": [{"family": p.text, "given": "Ada"} for p in people]
            or [{"family": "Compositor", "given": "Ada"}],
            "container-title": docs.joined(journal) or "Printing Quarterly",
            "issued": {"date-parts": [[1990 + number]]},
        }
        if number < len(web_urls):
            csl["URL"] = web_urls[number].text
        made.append(Work(key, csl, title + journal + people))
    return made


_LATEX = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\{",
        "}": r"\}",
        "%": r"\%",
        "$": r"\$",
        "#": r"\#",
        "&": r"\&",
        "_": r"\_",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
    }
)


def bibtex(entries: Sequence[Work]) -> str:
    """The works as BibTeX, every special character escaped as LaTeX wants."""
    out = []
    for work in entries:
        csl = work.csl
        authors = " and ".join(
            f"{a['family'].translate(_LATEX)}, {a['given']}" for a in csl["author"]
        )
        fields = {
            "title": csl["title"],
            "journal": csl["container-title"],
            "year": str(csl["issued"]["date-parts"][0][0]),
        }
        if "URL" in csl:
            fields["url"] = csl["URL"]
        body = ",\n".join(
            f"  {name} = {{{value.translate(_LATEX)}}}"
            for name, value in fields.items()
        )
        out.append(f"@article{{{work.key},\n  author = {{{authors}}},\n{body}\n}}\n")
    return "\n".join(out)


def csl_json(entries: Sequence[Work]) -> str:
    return json.dumps([work.csl for work in entries], ensure_ascii=False, indent=1)


def ris(entries: Sequence[Work]) -> str:
    """The works as RIS, one tag a line (so a vector's own breaks become spaces)."""
    lines = []
    for work in entries:
        csl = work.csl
        lines += ["TY  - JOUR", f"ID  - {work.key}"]
        lines += [f"AU  - {a['family']}, {a['given']}" for a in csl["author"]]
        lines += [f"TI  - {csl['title']}", f"JO  - {csl['container-title']}"]
        lines.append(f"PY  - {csl['issued']['date-parts'][0][0]}")
        if "URL" in csl:
            lines.append(f"UR  - {' '.join(csl['URL'].split())}")
        lines.append("ER  - ")
    return "\n".join(lines) + "\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def front_matter(fields: dict, body: str) -> str:
    """A Hugo content file: YAML front matter (PyYAML escapes what YAML must)."""
    head = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=10**6)
    return f"---\n{head}---\n\n{body}"


__all__ = [
    "Work",
    "bibtex",
    "csl_json",
    "front_matter",
    "ris",
    "works",
    "write",
    "wxr",
]


@dataclass
class Post:
    """One WordPress post or page of the export, and the markers it carries."""

    wp_id: int
    slug: str
    title: list[docs.Item]
    body: list[docs.Item]
    excerpt: list[docs.Item] = field(default_factory=list)
    creator: str = "corpus-0"
    kind: str = "post"


def xml_safe(parts: Sequence[docs.Item]) -> list[docs.Item]:
    """The items XML 1.0 can carry (no C0 control character but tab and breaks)."""
    return [
        item
        for item in parts
        if not any(ord(c) < 32 and c not in "\t\n\r" for c in item.text)
    ]


def wordpress(
    posts: Sequence[Post],
    authors: Sequence[str],
    categories: Sequence[tuple[str, str, str]],
    tags: Sequence[tuple[str, str]],
) -> str:
    """A WXR 1.2 export: the authors (display names), categories (slug, name,
    description) and tags in its header; every post filed under all terms."""
    header = [wxr.author(f"corpus-{n}", name) for n, name in enumerate(authors)]
    header += [wxr.category(s, n, description=d) for s, n, d in categories]
    header += [wxr.tag(s, n) for s, n in tags]
    items = [
        wxr.item(
            post.wp_id,
            title=f"Wpcorpus{post.wp_id} {docs.joined(post.title)}",
            content="\n\n".join(item.text for item in post.body),
            excerpt=docs.joined(post.excerpt),
            post_type=post.kind,
            slug=post.slug,
            creator=post.creator,
            categories=[(s, n) for s, n, _d in categories],
            tags=list(tags),
        )
        for post in posts
    ]
    return wxr.export(*header, *items)
