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
Pagefind: Pagefind is a prebuilt binary fetched by npm, while this is about 500
lines of Python and JavaScript in the repository, with no build step, and its
cost grows with the articles only (docs/decisions/0020-static-search.md).

Every word of every live article is indexed (full postings, document numbers
written as gaps), except words in nearly every article of a larger site, which
rank nothing. A query fetches one shard per word, tens of kilobytes. A
re-run splits into words only the articles whose search row changed: the words
of the others come from a cache beside the export's manifest (CACHE).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from django.core.cache import caches
from django.db import connections
from django.template import engines
from django.urls import reverse

from broadsheet.content.models import Article, ArticleAuthor
from broadsheet.discovery.models import SearchDocument
from broadsheet.web.context_processors import site_context, site_rows

FORMAT = 1  # search.js reads this version of the files
# Words in more of the articles than this are not indexed: "the", "and", "of".
# A subject's own word (say "type", in half of a printing magazine) still is.
COMMON_SHARE = 0.8
COMMON_FROM = 50  # articles: below, every word is indexed
CACHE = ".broadsheet-search.json"  # beside the manifest: each article's words
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
    return list(term_counts(text).elements())


def term_counts(text: str) -> Counter:
    """How often each of the index's words is in `text` (see terms())."""
    # Counting first and judging each distinct word once is what makes this
    # affordable: a site's text is millions of words.
    counts = Counter(WORD.findall(text.casefold()))
    if not text.isascii():  # accents come off word by word, not per character
        folded: Counter = Counter()
        for word, count in counts.items():
            folded[_unaccented(word)] += count
        counts = folded
    for word in [w for w in counts if not MIN_CHARS <= len(w) <= MAX_TERM_CHARS]:
        del counts[word]
    return counts


@functools.lru_cache(maxsize=65536)
def _unaccented(word: str) -> str:
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass
class Doc:
    number: int
    url: str
    title: str
    byline: str
    date: str
    excerpt: str
    weights: dict[str, int]  # word -> weighted frequency

    @property
    def length(self) -> int:
        return sum(self.weights.values())


def weights_of(row: SearchDocument) -> dict[str, int]:
    """Each word of an article's search row, weighted by the fields it is in."""
    weights: Counter = Counter()
    for field, weight in WEIGHTS.items():
        counts = term_counts(getattr(row, field))
        if weight != 1:
            counts = Counter({word: n * weight for word, n in counts.items()})
        weights.update(counts)  # in C, where the body's thousand words go
    return dict(weights)


def row_key(row: SearchDocument) -> str:
    """A digest of the row's text: an unchanged row keeps last run's words."""
    digest = hashlib.blake2b(digest_size=12)
    for field in WEIGHTS:
        digest.update(getattr(row, field).encode() + b"\0")
    return digest.hexdigest()


def read_docs(cache: dict[str, list] | None = None) -> tuple[list[Doc], dict]:
    """The live articles' search rows, newest first (a tie ranks newer first),
    and the cache for the next run: {article id: [row key, weights]}. Splitting
    text into words is most of the cost; rows whose key is in `cache` skip it."""
    cache = cache or {}
    live = Article.objects.live()
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
    docs, kept = [], {}
    for number, row in enumerate(rows.iterator(chunk_size=500)):
        article, pk = row.article, str(row.article_id)
        key = row_key(row)
        cached = cache.get(pk)
        weights = cached[1] if cached and cached[0] == key else weights_of(row)
        kept[pk] = [key, weights]
        docs.append(
            Doc(
                number,
                pattern.replace("slug-mark", article.slug),
                article.title,
                bylines.get(article.pk, ""),
                article.published_at.date().isoformat(),
                article.summary[:EXCERPT_CHARS],
                weights,
            )
        )
    return docs, kept


def _bylines() -> dict[int, str]:
    names: dict[int, list[str]] = defaultdict(list)
    rows = ArticleAuthor.objects.order_by("article_id", "position").values_list(
        "article_id", "author__name"
    )
    for article_id, name in rows.iterator(chunk_size=2000):
        names[article_id].append(name)
    return {pk: ", ".join(people) for pk, people in names.items()}


def postings(docs: list[Doc]) -> tuple[dict[str, list[tuple[int, int]]], list[str]]:
    """term -> [(document, weight)], documents ascending; and the words left out
    for being in more than COMMON_SHARE of the articles (of a site of COMMON_FROM
    or more): "the" and "of" rank nothing and would be the largest lists."""
    index: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for doc in docs:
        for word, weight in doc.weights.items():
            index[word].append((doc.number, weight))
    common: list[str] = []
    if len(docs) >= COMMON_FROM:
        limit = COMMON_SHARE * len(docs)
        common = sorted(word for word, entries in index.items() if len(entries) > limit)
        for word in common:
            del index[word]
    return index, common


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
    index, common = postings(docs)
    for term, entries in sorted(index.items()):
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
        "common": common,  # not indexed: search.js skips them in a query
    }
    yield "index.json", _json(summary)


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def page() -> bytes:
    """search/index.html: the site's search page, answered by search.js."""
    template = engines["django"].from_string(PAGE_TEMPLATE.read_text())
    context = {**site_context(site_rows(None)), "archive_url": reverse("web:archive")}
    return template.render(context).encode()


def write(target: Path, *, reuse: bool = True, index: bool = True) -> tuple[int, int]:
    """Write the search files under target/search/, replacing last run's; return
    (files written, bytes). Files whose bytes are unchanged are left alone.
    `reuse`: take unchanged articles' words from last run's cache (False after a
    deploy, whose code may split words differently). `index`: False writes only
    the page and the script (nothing an index shows has changed; search.js is not
    in the build fingerprint, so it is compared on every run)."""
    root = target / "search"
    wanted = {"index.html": page(), "search.js": SCRIPT.read_bytes()}
    if index:
        cache_file = target / CACHE
        cache = _read_cache(cache_file) if reuse else {}
        docs, kept = read_docs(cache)
        wanted.update(files(docs))
        if kept != cache:
            _write(cache_file, _json({"format": FORMAT, "docs": kept}))
    written = size = 0
    for name, body in wanted.items():
        size += len(body)
        written += _write(root / name, body)
    if index:
        for stale in _existing(root):
            if stale.relative_to(root).as_posix() not in wanted:
                stale.unlink()
    return written, size


def start(
    target: Path, options: dict[str, bool], *, in_child: bool
) -> Callable[[], int]:
    """Begin write(target, **options); return what waits for it and gives the
    files written. `in_child`: in a forked process of its own, beside the crawl,
    whose process mostly waits for its workers: splitting 10,000 articles into
    words is CPU time it does not need (docs/decisions/0020-static-search.md)."""
    if not in_child or not options["index"]:
        written, _size = write(target, **options)
        return lambda: written
    connections.close_all()  # the child must not share this process's socket
    caches.close_all()
    executor = ProcessPoolExecutor(1, mp_context=get_context("fork"))
    future = executor.submit(_write_in_child, target, options)

    def finish() -> int:
        try:
            return future.result()[0]  # its failure is the export's
        finally:
            executor.shutdown()

    return finish


def _write_in_child(target: Path, options: dict[str, bool]) -> tuple[int, int]:
    connections.close_all()
    return write(target, **options)


def _read_cache(path: Path) -> dict[str, list]:
    try:
        data = json.loads(path.read_bytes())
    except (FileNotFoundError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return {}
    docs = data.get("docs")
    return docs if isinstance(docs, dict) else {}


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
