"""A re-run of the export updates the search index's files in place.

After one edit, rebuilding every posting list of 10,000 articles took four CPU
seconds, against under two for the rest of the re-run: the index was the run.
So the export keeps, beside its manifest, the words of every article as the last
run wrote them (CACHE), and a re-run whose articles are last run's, in last run's
order, maybe with new ones after them, rewrites only the shards holding a word
that a changed or new article had or has. Documents are numbered oldest first, so
a newly published article is the next number and nobody else's changes. Anything
else (an article withdrawn or re-dated, a word becoming or ceasing to be common)
rebuilds the index whole, which is always correct; the patched files are the
bytes a whole build writes (tests/export/test_search.py builds both ways).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from broadsheet.export.search_shards import (
    as_json,
    common_words,
    decode_postings,
    decode_weights,
    encode_postings,
    shard_key,
    shard_name,
)

CACHE = ".broadsheet-search.txt"  # beside the manifest
CACHE_FORMAT = 2


class Document(Protocol):
    """What a patch reads of each document (export.search_index.Doc)."""

    number: int
    article_id: int
    digest: str
    changed: bool

    def word_weights(self) -> dict[str, int]: ...


@dataclass
class Cache:
    """What the last run indexed: per document, in number order, its article,
    digest, length and words (search_shards.encode_weights); how many documents
    hold each word; the words left out; the shards written."""

    docs: list[tuple[int, str, int, str]] = field(default_factory=list)
    frequency: dict[str, int] = field(default_factory=dict)
    common: list[str] = field(default_factory=list)
    shards: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, target: Path) -> Cache:
        """The cache beside an export, or an empty one (none, or unreadable)."""
        try:
            header, *lines = (target / CACHE).read_text().split("\n")
            head = json.loads(header)
            assert head["format"] == CACHE_FORMAT
            docs = []
            for line in lines:
                pk, digest, length, words = line.split("\t")
                docs.append((int(pk), digest, int(length), words))
            return cls(docs, head["frequency"], head["common"], head["shards"])
        except (FileNotFoundError, ValueError, KeyError, TypeError, AssertionError):
            return cls()

    def by_article(self) -> dict[int, tuple[str, int, str]]:
        """article id -> (digest, length, encoded words)."""
        return {pk: (digest, length, words) for pk, digest, length, words in self.docs}

    def as_bytes(self) -> bytes:
        """A JSON line, then a line per document: id, digest, length and words,
        tab-separated. Words are runs of \\w, so never a tab or a newline, and
        10,000 such lines write and read in milliseconds, where JSON took a third
        of a second for the 40 MB of words of 10,000 articles."""
        header = {
            "format": CACHE_FORMAT,
            "frequency": dict(sorted(self.frequency.items())),  # either way, one order
            "common": self.common,
            "shards": self.shards,
        }
        lines = [as_json(header).decode()]
        lines += [f"{pk}\t{digest}\t{n}\t{words}" for pk, digest, n, words in self.docs]
        return "\n".join(lines).encode()


@dataclass
class Built:
    """The term files of an index (path under search/ -> bytes), the files to
    delete, and what the next cache keeps of it."""

    files: dict[str, bytes]
    removed: list[str]
    shards: list[str]
    common: list[str]
    frequency: dict[str, int]


def patch(root: Path, cache: Cache, docs: list[Document]) -> Built | None:
    """The term files changed since `cache` was written, read from and meant for
    `root` (the export's search/); None when only a whole build will do."""
    old = cache.by_article()
    if not old or [doc.article_id for doc in docs[: len(cache.docs)]] != [
        pk for pk, *_ in cache.docs
    ]:
        return None  # an article left, or moved: numbers shift
    changed = [doc for doc in docs if doc.changed]
    before = {
        doc.number: decode_weights(old[doc.article_id][2])
        for doc in changed
        if doc.article_id in old
    }
    frequency = Counter(cache.frequency)
    for doc in changed:
        frequency.subtract(before.get(doc.number, {}).keys())
        frequency.update(doc.word_weights().keys())
    frequency = +frequency  # drops the words no document holds now
    common = common_words(frequency, len(docs))
    if common != cache.common:
        return None  # terms join or leave the index: every shard may change
    updates: dict[str, dict[int, int | None]] = defaultdict(dict)
    for doc in changed:
        had, has = before.get(doc.number, {}), doc.word_weights()
        for word in had.keys() - has.keys():
            updates[word][doc.number] = None
        for word, weight in has.items():
            if had.get(word) != weight:  # a retitled article: its title's words
                updates[word][doc.number] = weight
    left_out = set(common)
    by_shard: dict[str, list[str]] = defaultdict(list)
    for word in updates:
        if word not in left_out:
            by_shard[shard_key(word)].append(word)
    shards = set(cache.shards)
    files, removed = {}, []
    for key, words in by_shard.items():
        table = _read_shard(root, key) if key in shards else {}
        if table is None:
            return None  # a shard went missing: the whole build writes it again
        for word in words:
            _update_term(table, word, updates[word])
        if table:
            files[shard_name(key)] = as_json(dict(sorted(table.items())))
            shards.add(key)
        elif key in shards:
            removed.append(shard_name(key))
            shards.discard(key)
    return Built(files, removed, sorted(shards), common, dict(frequency))


def _read_shard(root: Path, key: str) -> dict[str, list[int]] | None:
    try:
        return json.loads((root / shard_name(key)).read_bytes())
    except (FileNotFoundError, ValueError):
        return None


def _update_term(
    table: dict[str, list[int]], word: str, changes: dict[int, int | None]
) -> None:
    entries = decode_postings(table.get(word, []))
    for number, weight in changes.items():
        if weight is None:
            entries.pop(number, None)
        else:
            entries[number] = weight
    if entries:
        table[word] = encode_postings(sorted(entries.items()))
    else:
        table.pop(word, None)
