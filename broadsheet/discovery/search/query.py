"""What a reader typed, parsed into words and phrases; and the filters beside it.

Parsing never fails. Double quotes make a phrase (an unclosed quote runs to the
end); everything else is words. Words are runs of letters and digits, so every
operator of FTS5 or tsquery syntax (AND OR NOT NEAR( * ^ : - and the quotes
themselves), control characters and NUL are plain text or separators here, and
the backends build their query from these words alone, each one quoted or bound
as a parameter: no user text ever reaches the database as query syntax.

A chunk of punctuation-joined words outside quotes ("half-tone", "don't",
"NEAR(type") is a phrase of its words, as the index tokenizes them alike.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

# Beyond these the query is cut: a 10 KB query is still answered, from its first
# words, in the time of an ordinary one. The parse is one linear pass.
MAX_QUERY_CHARS = 2000
MAX_WORDS = 32
MAX_WORD_CHARS = 64
# Letters and digits in any script: the tokenizers (FTS5 unicode61, PostgreSQL's
# default parser) split on everything else, underscore included.
_WORD = re.compile(r"[^\W_]+")
_CHUNK = re.compile(r'"([^"]*)"?|([^\s"]+)')


@dataclass(frozen=True)
class Query:
    """Words and phrases, all of which a hit contains (a phrase in order)."""

    phrases: tuple[tuple[str, ...], ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.phrases

    @property
    def has_phrase(self) -> bool:
        """Whether a phrase has several words (matched word position by position)."""
        return any(len(phrase) > 1 for phrase in self.phrases)

    @property
    def words(self) -> list[str]:
        return [word for phrase in self.phrases for word in phrase]


@dataclass(frozen=True)
class Filters:
    """What a hit must also be: by this author, in this category or tag, published
    in this date range (inclusive, in the site's time zone), citing this work."""

    author: str = ""  # slugs and a citation key
    category: str = ""
    tag: str = ""
    cites: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    ignored: tuple[str, ...] = field(default=(), compare=False)

    @property
    def is_empty(self) -> bool:
        return not (
            self.author
            or self.category
            or self.tag
            or self.cites
            or self.date_from
            or self.date_to
        )


def words_of(text: str) -> list[str]:
    """The words of a text as the index sees them, lowercased."""
    return [word.lower() for word in _WORD.findall(text)]


def parse_query(text: str) -> Query:
    """Parse a reader's query into phrases of words; never raises."""
    text = unicodedata.normalize("NFC", str(text)[:MAX_QUERY_CHARS])
    phrases: list[tuple[str, ...]] = []
    budget = MAX_WORDS
    for match in _CHUNK.finditer(text):
        chunk = match[1] if match[1] is not None else match[2]
        words = [
            word.lower() for word in _WORD.findall(chunk) if len(word) <= MAX_WORD_CHARS
        ][:budget]
        if words:
            phrases.append(tuple(words))
            budget -= len(words)
        if budget <= 0:
            break
    return Query(tuple(dict.fromkeys(phrases)))  # a phrase twice adds nothing
