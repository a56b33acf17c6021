"""Hand-made notes: a superscript number in the text and a numbered "Notes" list
at the end, as writers made them before WordPress had footnotes.

The last heading called Notes, Endnotes, Footnotes or References (a heading, or
a paragraph holding only that word) starts the list: an `<ol>` (its `start`
counts) or paragraphs opening with the number ("1. ", "1) ", "1 ", "[1]").
Each `<sup>` before it holding only a number (bare, in brackets, or in a link
to "#...") is a reference. A number found in both becomes a real note; one in
only one of them is left as text and named as a note problem, since it may be
an exponent (m<sup>2</sup>) or a list item that is not a note. Everything is
read on the BeautifulSoup tree convert.py already parses: no pattern matching
on the writer's text.
"""

from __future__ import annotations

from bs4 import BeautifulSoup, NavigableString, Tag

from broadsheet.migration.wordpress.shortcodes import MARK_CLOSE, MARK_OPEN

NOTE_HEADINGS = frozenset({"notes", "endnotes", "footnotes", "references"})
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_BACK_LINKS = frozenset({"", "\u21a9", "\u21a9\ufe0e", "^", "\u2191", "back", "return"})
_LONGEST_NUMBER = 3  # notes 1 to 999
_LONGEST_HEADING = max(len(word) for word in NOTE_HEADINGS) + 2
_HEADING_HINTS = ("notes", "references")  # "endnotes" and "footnotes" hold "notes"


def convert_hand_notes(
    soup: BeautifulSoup, notes: list[str], problems: list[str], *, html: str = ""
) -> int:
    """Turn matched hand-made notes into `<sup data-wp-note=N>` (their HTML added
    to `notes`); mark the unmatched with a problem marker. Returns notes made.

    `html`, the markup the soup was parsed from, lets a post with no superscript
    or no heading word skip the tree walks (most posts).
    """
    if html and "<sup" not in html:
        return 0
    lowered = html.lower()
    maybe_heading = not html or any(word in lowered for word in _HEADING_HINTS)
    heading = _notes_heading(soup) if maybe_heading else None
    references = _references(soup, heading)
    if heading is None:
        for number, sups in references.items():
            for sup in sups:
                if sup.find("a", href=True) is not None:  # a link to #note: a note
                    _problem(
                        sup,
                        problems,
                        f"note {number} has no Notes list at the end; left as text",
                    )
        return 0
    items = _items(heading)
    if not references:
        return 0  # a "References" list with no numbers in the text: a bibliography
    made = 0
    for number, sups in references.items():
        item = items.pop(number, None)
        if item is None:
            for sup in sups:
                _problem(
                    sup,
                    problems,
                    f"superscript {number} has no item {number} in the"
                    f" {heading.get_text().strip()} list; left as text",
                )
            continue
        if item.name == "p":
            _leading_number(item, take=True)
        notes.append(_body(item))
        for sup in sups:
            sup.replace_with(_note_sup(soup, len(notes) - 1))
        item.decompose()
        made += 1
    for number, item in items.items():
        _problem(
            item,
            problems,
            f"note {number} of the {heading.get_text().strip()} list is not"
            " referenced in the text; left as text",
            inside=True,
        )
    if not items:
        _tidy(heading)
    return made


def _notes_heading(soup: BeautifulSoup) -> Tag | None:
    found = None
    for element in soup.find_all([*_HEADINGS, "p"]):
        text = ""
        for piece in element.stripped_strings:  # a heading's word, not a paragraph
            text += piece
            if len(text) > _LONGEST_HEADING:
                break
        if text.rstrip(":").strip().lower() in NOTE_HEADINGS:
            found = element
    return found


def _number(text: str) -> int | None:
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1].strip()
    if 0 < len(text) <= _LONGEST_NUMBER and text.isascii() and text.isdigit():
        return int(text)
    return None


def _references(soup: BeautifulSoup, heading: Tag | None) -> dict[int, list[Tag]]:
    found: dict[int, list[Tag]] = {}
    after = {id(sup) for sup in heading.find_all_next("sup")} if heading else set()
    for sup in soup.find_all("sup"):
        if id(sup) in after:
            break
        if sup.has_attr("data-fn") or sup.has_attr("data-wp-note"):
            continue
        number = _number(sup.get_text())
        if number is not None:
            found.setdefault(number, []).append(sup)
    return found


def _items(heading: Tag) -> dict[int, Tag]:
    items: dict[int, Tag] = {}
    for sibling in heading.find_next_siblings():
        if sibling.name == "ol":
            start = _number(str(sibling.get("start", "1"))) or 1
            for offset, li in enumerate(sibling.find_all("li", recursive=False)):
                items.setdefault(start + offset, li)
            return items
        if sibling.name != "p":
            break
        number = _leading_number(sibling)
        if number is None:
            break
        items.setdefault(number, sibling)
    return items


def _leading_number(paragraph: Tag, *, take: bool = False) -> int | None:
    """The number a note paragraph opens with ("1. ", "1) ", "1 ", "[1]"), and
    with `take` taken out of its text; None when it opens with none."""
    first = next((s for s in paragraph.strings if s.strip()), None)
    if first is None:
        return None
    text = str(first).lstrip()
    bracketed = text.startswith("[")
    digits_from = 1 if bracketed else 0
    end = digits_from
    while end < len(text) and end - digits_from < _LONGEST_NUMBER + 1:
        if not (text[end].isascii() and text[end].isdigit()):
            break
        end += 1
    digits = text[digits_from:end]
    if not digits or len(digits) > _LONGEST_NUMBER:
        return None
    rest = text[end:]
    if bracketed:
        if not rest.startswith("]"):
            return None
        rest = rest[1:]
    elif rest[:1] in (".", ")"):
        rest = rest[1:]
    elif rest and not rest[0].isspace():
        return None
    elif not rest and first.parent is paragraph:
        return None  # "1" alone, then more: not a numbered line
    if not take:
        return int(digits)
    holder = first.parent
    first.replace_with(rest.lstrip())
    if holder is not paragraph and not holder.get_text().strip():
        holder.decompose()  # <sup>1</sup> or <a name="n1">1</a>, now empty
    return int(digits)


def _body(item: Tag) -> str:
    for link in item.find_all("a", href=True):
        if str(link["href"]).startswith("#") and (
            link.get_text().strip().lower() in _BACK_LINKS
        ):
            link.decompose()
    for anchor in item.find_all("a", href=False):
        anchor.unwrap()  # <a name="note1">: nothing to point at any more
    return item.decode_contents().strip()


def _note_sup(soup: BeautifulSoup, index: int) -> Tag:
    return soup.new_tag("sup", attrs={"data-wp-note": str(index)})


def _problem(element: Tag, problems: list[str], message: str, inside=False) -> None:
    problems.append(message)
    marker = NavigableString(f"{MARK_OPEN}n{len(problems) - 1}{MARK_CLOSE}")
    if inside:
        element.insert(0, marker)
    else:
        element.insert_after(marker)


def _tidy(heading: Tag) -> None:
    """Drop the Notes heading (and an emptied list) once every note moved out."""
    following = heading.find_next_sibling()
    if following is not None and following.name == "ol" and not following.find("li"):
        following.decompose()
    heading.decompose()
