"""Note-mark placement: where a note style's citation mark goes by punctuation.

A citation in running text sits before the sentence's punctuation, but in a
note style it becomes a note mark, and a mark follows the word with no space
and follows the punctuation after it, as Pandoc places notes for note styles
(Chicago 14.21). The writer's own note marks are left where they put them.
"""

from __future__ import annotations

from markdown_it.token import Token

from broadsheet.rendering.citations.syntax import Cluster

# Punctuation a note mark is moved after, in note styles.
NOTE_PUNCTUATION = ".,;:!?…"


def text_token(text: str) -> Token:
    """Return a markdown-it text token holding text."""
    token = Token("text", "", 0)
    token.content = text
    return token


def take_punctuation(pieces: list[tuple[str, Cluster | None]], index: int) -> str:
    """Remove and return the punctuation that opens pieces[index], if plain text."""
    if index >= len(pieces) or pieces[index][1] is not None:
        return ""
    text = pieces[index][0]
    rest = text.lstrip(NOTE_PUNCTUATION)
    pieces[index] = (rest, None)
    return text[: len(text) - len(rest)]


def place_note_mark(out: list[Token], punctuation: str) -> None:
    """Close the text before a note mark: no space, then the punctuation taken."""
    if out and out[-1].type == "text":
        out[-1].content = out[-1].content.rstrip()
    if punctuation:
        out.append(text_token(punctuation))
