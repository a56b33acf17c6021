"""How the exported search index is laid out in files: shards, postings, JSON.

Shared by the full build (export.search_index) and the patch of a re-run
(export.search_patch), which must write the very bytes the full build would: a
test builds both ways and compares them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

KEY_CHARS = 2  # a term's shard: its first two characters
# Words in more of the articles than this are not indexed: "the", "and", "of".
# A subject's own word (say "type", in half of a printing magazine) still is.
COMMON_SHARE = 0.8
COMMON_FROM = 50  # articles: below, every word is indexed


def shard_key(term: str) -> str:
    """The shard of a term: its first characters, as search.js works them out.
    Characters that make no safe file name are written as their code point."""
    head = term[:KEY_CHARS]
    return "".join(
        ch if ch.isascii() and ch.isalnum() else f"u{ord(ch):x}" for ch in head
    )


def shard_name(key: str) -> str:
    """The file of a shard, under search/."""
    return f"terms/{key}.json"


def common_words(document_frequency: Mapping[str, int], documents: int) -> list[str]:
    """The words left out for being in more than COMMON_SHARE of the articles (of
    a site of COMMON_FROM or more), sorted: they rank nothing and would be the
    largest lists."""
    if documents < COMMON_FROM:
        return []
    limit = COMMON_SHARE * documents
    return sorted(word for word, n in document_frequency.items() if n > limit)


def encode_postings(entries: Iterable[tuple[int, int]]) -> list[int]:
    """[(document, weight)], documents ascending, as the flat list of the files:
    document numbers as gaps (smaller numbers, smaller files), each with its weight."""
    flat: list[int] = []
    previous = 0
    for number, weight in entries:
        flat += [number - previous, weight]
        previous = number
    return flat


def decode_postings(flat: list[int]) -> dict[int, int]:
    """encode_postings() undone: document -> weight."""
    found: dict[int, int] = {}
    number = 0
    for gap, weight in zip(flat[0::2], flat[1::2], strict=True):
        number += gap
        found[number] = weight
    return found


def encode_weights(weights: Mapping[str, int]) -> str:
    """A document's words and weights as one string ("word 3 other 1"), the form
    the re-run cache keeps: 10,000 strings load in a blink, 4 million numbers do
    not, and only changed documents are ever decoded."""
    return " ".join(f"{word} {weight}" for word, weight in weights.items())


def decode_weights(encoded: str) -> dict[str, int]:
    """encode_weights() undone (words are runs of \\w: never a space)."""
    parts = encoded.split(" ") if encoded else []
    return dict(zip(parts[0::2], map(int, parts[1::2]), strict=True))


def as_json(value: object) -> bytes:
    """The files' JSON: compact, UTF-8."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
