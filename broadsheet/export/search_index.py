"""The exported site's search: an inverted index the export writes as JSON files.

A static host runs no code, so the server's /search/ (discovery.search over FTS5
or PostgreSQL) cannot answer there. The export writes, from the same search rows
(discovery.models.SearchDocument) of the live articles:

  search/index.json           how many articles, their lengths, the shards there are
  search/terms/<key>.json     term -> postings, for the terms starting with <key>
  search/docs/<block>.json    url, title, byline, date and excerpt per article
  search/search.js            the reader (export/static/export/search.js)
  search/index.html           the page, rendered with the site's templates

and search.js ranks with BM25 in the browser, fetching only the shards of the
query's words and the documents of the results shown. Hand-written rather than
Pagefind: Pagefind is a prebuilt binary fetched by npm, while this is about 250
lines of Python and JavaScript in the repository, with no build step, and its
cost grows with the articles only (docs/decisions/0011-static-search.md).

To stay small, each article contributes its TOP_TERMS most distinctive body and
note words (by tf-idf) plus every word of its title, subtitle, byline and works
cited; a word common to most articles but absent from an article's top terms is
not found in it, which only ranking would have set aside anyway.
"""

from __future__ import annotations

import json
import math
import os
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.template import engines
from django.urls import reverse

from broadsheet.content.models import Article, ArticleAuthor
from broadsheet.discovery.models import SearchDocument
from broadsheet.web.context_processors import site_context, site_rows

FORMAT = 1  # search.js reads this version of the files
TOP_TERMS = 120  # body and note words kept per article
DOC_BLOCK = 500  # documents per docs/ file: a page of results fetches one or two
KEY_CHARS = 2  # a term's shard: its first two characters
MIN_CHARS = 2  # one-letter words are not indexed
MAX_TERM_CHARS = 40  # longer "words" are URLs and hashes
EXCERPT_CHARS = 240
# Weights of the fields in a term's frequency (a simple BM25F).
WEIGHTS = {"title": 5, "subtitle": 3, "people": 3, "works": 2, "body": 1, "notes": 1}
WORD = re.compile(r"\w+")  # linear: no backtracking on hostile text
HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "static" / "export" / "search.js"
PAGE_TEMPLATE = HERE / "templates" / "export" / "search.html"


def terms(text: str) -> list[str]:
    """The index's words of `text`: case-folded, accents taken off, as search.js
    does to a query (String.normalize("NFKD") and dropping marks)."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return [
        word
        for word in WORD.findall(folded)
        if MIN_CHARS <= len(word) <= MAX_TERM_CHARS
    ]


@dataclass
class Doc:
    number: int
    url: str
    title: str
    byline: str
    date: str
    excerpt: str
    fixed: Counter  # weighted words of the short fields, always kept
    prose: Counter  # body and note words, trimmed to the top terms

    @property
    def length(self) -> int:
        return sum(self.fixed.values()) + sum(self.prose.values())


def read_docs() -> list[Doc]:
    """The live articles' search rows, newest first (a tie ranks newer first)."""
    live = Article.objects.live().order_by("-published_at", "-pk")
    rows = (
        SearchDocument.objects.filter(article__in=live)
        .select_related("article")
        .only(
            *WEIGHTS,
            "article__slug",
            "article__title",
            "article__published_at",
            "article__excerpt",
            "article__auto_excerpt",
        )
        .order_by("-article__published_at", "-article__pk")
    )
    bylines = _bylines()
    pattern = reverse("web:article", kwargs={"slug": "slug-mark"})
    docs = []
    for number, row in enumerate(rows.iterator(chunk_size=500)):
        article = row.article
        fixed: Counter = Counter()
        for field in ("title", "subtitle", "people", "works"):
            for word in terms(getattr(row, field)):
                fixed[word] += WEIGHTS[field]
        prose = Counter(terms(row.body)) + Counter(terms(row.notes))
        docs.append(
            Doc(
                number,
                pattern.replace("slug-mark", article.slug),
                article.title,
                bylines.get(article.pk, ""),
                article.published_at.date().isoformat(),
                article.summary[:EXCERPT_CHARS],
                fixed,
                prose,
            )
        )
    return docs


def _bylines() -> dict[int, str]:
    names: dict[int, list[str]] = defaultdict(list)
    rows = ArticleAuthor.objects.order_by("article_id", "position").values_list(
        "article_id", "author__name"
    )
    for article_id, name in rows.iterator(chunk_size=2000):
        names[article_id].append(name)
    return {pk: ", ".join(people) for pk, people in names.items()}


def postings(docs: list[Doc]) -> dict[str, list[tuple[int, int]]]:
    """term -> [(document, weighted frequency)], documents ascending."""
    frequency: Counter = Counter()
    for doc in docs:
        frequency.update(doc.prose.keys())
    count = max(1, len(docs))
    index: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for doc in docs:
        kept = Counter(doc.fixed)
        ranked = sorted(
            doc.prose.items(),
            key=lambda item: -item[1] * math.log(count / frequency[item[0]] + 1),
        )
        kept.update(dict(ranked[:TOP_TERMS]))
        for word, weight in kept.items():
            index[word].append((doc.number, weight))
    return index


def shard_key(term: str) -> str:
    """The shard of a term: its first characters, as search.js works them out.
    Characters that make no safe file name are written as their code point."""
    head = term[:KEY_CHARS]
    return "".join(
        ch if ch.isascii() and ch.isalnum() else f"u{ord(ch):x}" for ch in head
    )


def files(docs: list[Doc]) -> Iterator[tuple[str, bytes]]:
    """(path under search/, bytes) of every index file."""
    shards: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for term, entries in sorted(postings(docs).items()):
        flat: list[int] = []
        previous = 0
        for number, weight in entries:  # ids as gaps: smaller numbers, smaller file
            flat += [number - previous, weight]
            previous = number
        shards[shard_key(term)][term] = flat
    for key, table in shards.items():
        yield f"terms/{key}.json", _json(table)
    for start in range(0, len(docs), DOC_BLOCK):
        block = [
            [doc.url, doc.title, doc.byline, doc.date, doc.excerpt]
            for doc in docs[start : start + DOC_BLOCK]
        ]
        yield f"docs/{start // DOC_BLOCK}.json", _json(block)
    lengths = [doc.length for doc in docs]
    summary = {
        "format": FORMAT,
        "count": len(docs),
        "averageLength": sum(lengths) / len(lengths) if lengths else 0,
        "lengths": lengths,
        "docBlock": DOC_BLOCK,
        "keyChars": KEY_CHARS,
        "minChars": MIN_CHARS,
        "shards": sorted(shards),
    }
    yield "index.json", _json(summary)
    yield "search.js", SCRIPT.read_bytes()


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def page() -> bytes:
    """search/index.html: the site's search page, answered by search.js."""
    template = engines["django"].from_string(PAGE_TEMPLATE.read_text())
    context = {**site_context(site_rows(None)), "archive_url": reverse("web:archive")}
    return template.render(context).encode()


def write(target: Path) -> tuple[int, int]:
    """Write the search files under target/search/, replacing last run's; return
    (files written, bytes). Files whose bytes are unchanged are left alone."""
    root = target / "search"
    wanted = {"index.html": page(), **dict(files(read_docs()))}
    written = size = 0
    for name, body in wanted.items():
        size += len(body)
        written += _write(root / name, body)
    for stale in _existing(root):
        if stale.relative_to(root).as_posix() not in wanted:
            stale.unlink()
    return written, size


def _existing(root: Path) -> Iterable[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.is_dir() else []


def _write(path: Path, body: bytes) -> bool:
    try:
        if path.read_bytes() == body:
            return False
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(body)
    os.replace(temporary, path)
    return True
