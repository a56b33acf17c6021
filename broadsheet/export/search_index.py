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
written as gaps, export.search_shards), except words in nearly every article of a
larger site, which rank nothing. A query fetches one shard per word, tens of
kilobytes. A re-run splits into words only the articles whose search row changed
(its digest, SearchDocument.digest) and rewrites only the shards of their words
(export.search_patch).
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
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
from broadsheet.export import search_patch
from broadsheet.export.search_patch import Built, Cache
from broadsheet.export.search_shards import (
    KEY_CHARS,
    as_json,
    common_words,
    decode_weights,
    encode_postings,
    encode_weights,
    shard_key,
    shard_name,
)
from broadsheet.web.context_processors import site_context, site_rows

__all__ = ["Doc", "SCRIPT", "postings", "shard_key", "start", "terms", "write"]

FORMAT = 2  # search.js reads this version of the files (2: numbered oldest first)
DOC_BLOCK = 500  # documents per docs/ file: a page of results fetches one or two
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
    """One indexed article. Its words are `weights`, or, when it is unchanged
    since the last run, `encoded` in the cache's form, decoded only if needed."""

    number: int
    url: str
    title: str
    byline: str
    date: str
    excerpt: str
    weights: dict[str, int] | None = None
    article_id: int = 0
    digest: str = ""
    encoded: str = ""
    cached_length: int | None = None

    @property
    def changed(self) -> bool:
        """Whether its words are new since the last run (not from the cache)."""
        return self.weights is not None

    def word_weights(self) -> dict[str, int]:
        """word -> weighted frequency."""
        return (
            self.weights if self.weights is not None else decode_weights(self.encoded)
        )

    @property
    def length(self) -> int:
        if self.cached_length is not None:
            return self.cached_length
        return sum(self.word_weights().values())


def weights_of(row: SearchDocument) -> dict[str, int]:
    """Each word of an article's search row, weighted by the fields it is in."""
    weights: Counter = Counter()
    for field, weight in WEIGHTS.items():
        counts = term_counts(getattr(row, field))
        if weight != 1:
            counts = Counter({word: n * weight for word, n in counts.items()})
        weights.update(counts)  # in C, where the body's thousand words go
    return dict(weights)


def read_docs(cache: Cache | None = None) -> list[Doc]:
    """The live articles' documents, numbered oldest first (a tie: lower id
    first). Splitting text into words is most of the cost, so the text is read
    only of rows whose digest is not the one `cache` holds."""
    known = cache.by_article() if cache else {}
    rows = (
        SearchDocument.objects.filter(article__in=Article.objects.live())
        .order_by("article__published_at", "article__pk")
        .values_list(
            "article_id",
            "digest",
            "article__slug",
            "article__title",
            "article__published_at",
            "article__excerpt",
            "article__auto_excerpt",
        )
    )
    bylines = _bylines()
    pattern = reverse("web:article", kwargs={"slug": "slug-mark"})
    docs = []
    for number, (pk, digest, slug, title, published, excerpt, auto) in enumerate(
        rows.iterator(chunk_size=2000)
    ):
        doc = Doc(
            number,
            pattern.replace("slug-mark", slug),
            title,
            bylines.get(pk, ""),
            published.date().isoformat(),
            (excerpt or auto)[:EXCERPT_CHARS],
            article_id=pk,
            digest=digest,
        )
        _reuse_words(doc, known.get(pk))
        docs.append(doc)
    _split_changed([doc for doc in docs if not doc.encoded], known)
    return docs


def _reuse_words(doc: Doc, cached: tuple[str, int, str] | None) -> None:
    if cached and doc.digest and cached[0] == doc.digest:
        doc.encoded, doc.cached_length = cached[2], cached[1]


def _split_changed(docs: list[Doc], known: dict[int, tuple[str, int, str]]) -> None:
    """Give these documents their words, from their rows' text."""
    by_id = {doc.article_id: doc for doc in docs}
    ids = list(by_id)
    for start in range(0, len(ids), 500):
        rows = SearchDocument.objects.filter(article_id__in=ids[start : start + 500])
        for row in rows.only("article_id", "digest", *WEIGHTS):
            doc = by_id[row.article_id]
            if not doc.digest:  # a row written without one (a bulk load)
                doc.digest = row.text_digest()
                _reuse_words(doc, known.get(doc.article_id))
                if doc.encoded:
                    continue
            doc.weights = weights_of(row)


def _bylines() -> dict[int, str]:
    names: dict[int, list[str]] = defaultdict(list)
    rows = ArticleAuthor.objects.order_by("article_id", "position").values_list(
        "article_id", "author__name"
    )
    for article_id, name in rows.iterator(chunk_size=2000):
        names[article_id].append(name)
    return {pk: ", ".join(people) for pk, people in names.items()}


def postings(docs: list[Doc]) -> tuple[dict[str, list[tuple[int, int]]], list[str]]:
    """term -> [(document, weight)], documents ascending, and the words left out
    (search_shards.common_words)."""
    index, _frequency, common = _postings(docs)
    return index, common


def _postings(
    docs: list[Doc],
) -> tuple[dict[str, list[tuple[int, int]]], dict[str, int], list[str]]:
    index: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for doc in docs:
        for word, weight in doc.word_weights().items():
            index[word].append((doc.number, weight))
    frequency = {word: len(entries) for word, entries in index.items()}
    common = common_words(frequency, len(docs))
    for word in common:
        del index[word]
    return index, frequency, common


def build(docs: list[Doc]) -> Built:
    """Every term file of the index, from scratch."""
    index, frequency, common = _postings(docs)
    shards: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for term, entries in sorted(index.items()):
        shards[shard_key(term)][term] = encode_postings(entries)
    files = {shard_name(key): as_json(table) for key, table in shards.items()}
    return Built(files, [], sorted(shards), common, frequency)


def doc_files(docs: list[Doc], built: Built) -> dict[str, bytes]:
    """The documents' files and index.json, written on every run that indexes
    (cheap, and compared byte for byte before writing)."""
    found = {}
    for start in range(0, len(docs), DOC_BLOCK):
        block = [
            [doc.url, doc.title, doc.byline, doc.date, doc.excerpt]
            for doc in docs[start : start + DOC_BLOCK]
        ]
        found[f"docs/{start // DOC_BLOCK}.json"] = as_json(block)
    lengths = [doc.length for doc in docs]
    summary = {
        "format": FORMAT,
        "count": len(docs),
        "averageLength": sum(lengths) / len(lengths) if lengths else 0,
        "lengths": lengths,
        "docBlock": DOC_BLOCK,
        "keyChars": KEY_CHARS,
        "minChars": MIN_CHARS,
        "shards": built.shards,
        "common": built.common,  # not indexed: search.js skips them in a query
    }
    found["index.json"] = as_json(summary)
    return found


def next_cache(docs: list[Doc], built: Built) -> Cache:
    """What the next run reuses of this one."""
    entries = [
        (
            doc.article_id,
            doc.digest,
            doc.length,
            doc.encoded or encode_weights(doc.weights),
        )
        for doc in docs
    ]
    return Cache(entries, built.frequency, built.common, built.shards)


def page() -> bytes:
    """search/index.html: the site's search page, answered by search.js."""
    template = engines["django"].from_string(PAGE_TEMPLATE.read_text())
    context = {**site_context(site_rows(None)), "archive_url": reverse("web:archive")}
    return template.render(context).encode()


def write(target: Path, *, reuse: bool = True, index: bool = True) -> tuple[int, int]:
    """Write the search files under target/search/, replacing last run's; return
    (files written, bytes). Files whose bytes are unchanged are left alone.
    `reuse`: build on last run's cache (False after a deploy, whose code may split
    words differently): unchanged articles keep their words, and when the
    articles are last run's with new ones after them only the shards of changed
    words are rewritten (export.search_patch). `index`: False writes only the page
    and the script (nothing an index shows has changed; search.js is not in the
    build fingerprint, so it is compared on every run)."""
    root = target / "search"
    wanted = {"index.html": page(), "search.js": SCRIPT.read_bytes()}
    built = None
    if index:
        cache = Cache.read(target) if reuse else Cache()
        docs = read_docs(cache)
        patched = search_patch.patch(root, cache, docs) if reuse else None
        built = patched or build(docs)
        wanted |= built.files | doc_files(docs, built)
        fresh = next_cache(docs, built)
        if fresh != cache:
            _write(target / search_patch.CACHE, fresh.as_bytes())
            (target / ".broadsheet-search.json").unlink(missing_ok=True)  # format 1's
    written = size = 0
    for name, body in wanted.items():
        size += len(body)
        written += _write(root / name, body)
    if built is not None:
        _remove_stale(root, wanted, built, whole=patched is None)
    return written, size


def _remove_stale(root: Path, wanted: dict[str, bytes], built: Built, *, whole: bool):
    """Delete the files the index no longer has: every other file after a whole
    build, the emptied shards after a patch (and docs blocks past the end)."""
    if whole:
        stale = [
            p for p in _existing(root) if p.relative_to(root).as_posix() not in wanted
        ]
    else:
        docs_dir = root / "docs"
        extra = [p for p in docs_dir.glob("*.json") if f"docs/{p.name}" not in wanted]
        stale = [root / name for name in built.removed] + extra
    for path in stale:
        path.unlink(missing_ok=True)


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
