"""Text for Markdown from WordPress HTML: escaping, plain text, link addresses.

Shared by the converter (convert.py) and its media part (media_markup.py).
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from broadsheet.migration.wordpress.well_formed import well_formed
from broadsheet.sources.url_schemes import WEB_AND_MAIL, has_allowed_scheme

_LINE_START = re.compile(r"(^|\n)([ \t]*)(#|>|[-+=]+(?=[ \t]|$|\n)|\d{1,9}(?=[.)]))")
_TAG_OR_ENTITY = re.compile(r"<(?=[A-Za-z/!?])|&(?=[A-Za-z#])")
_CITATION_AT = re.compile(r"(?<!\w)@")
_PLAIN = {"\\": "\\\\", "*": "\\*", "_": "\\_", "`": "\\`", "[": "\\[", "~": "\\~"}
_PLAIN_TABLE = str.maketrans(_PLAIN)
_TEXT_BREAKS = ["p", "br", "li", "div", "h1", "h2", "h3", "h4", "h5", "h6", "td"]


def plain_text(html: str) -> str:
    """The text of an HTML fragment (a title, an excerpt), entities decoded."""
    if "<" not in html and "&" not in html:
        return " ".join(html.split())
    soup = BeautifulSoup(well_formed(html), "html.parser")
    for block in soup.find_all(_TEXT_BREAKS):
        block.insert_after(" ")  # words of two paragraphs must not run together
    return " ".join(soup.get_text().split())


def is_safe_url(url: str) -> bool:
    """Whether a link or image address may stay: http(s), mailto, or relative."""
    url = url.strip()
    if has_allowed_scheme(url, WEB_AND_MAIL):
        return True
    # Relative: no scheme, i.e. no ":" before the first "/", "?" or "#".
    head = url.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    return ":" not in head and head.isprintable()


def escape_markdown(text: str) -> str:
    """Escape text so that Markdown shows it as written: no emphasis, link, note,
    citation, HTML tag, heading or list appears that the writer did not make."""
    text = text.translate(_PLAIN_TABLE)
    text = _TAG_OR_ENTITY.sub(lambda m: "\\" + m[0], text)
    text = _CITATION_AT.sub(r"\\@", text)
    return _LINE_START.sub(_escape_line_start, text)


def _escape_line_start(match: re.Match[str]) -> str:
    lead, indent, mark = match.groups()
    if mark[0].isdigit():
        return f"{lead}{indent}{mark}\\"  # the "." or ")" after it gets the escape
    return f"{lead}{indent}\\{mark}"


def _destination(url: str) -> str:
    url = url.strip().replace("<", "%3C").replace(">", "%3E").replace("\n", "")
    if any(c in url for c in " ()"):
        return f"<{url}>"
    return url


def _title(el) -> str:
    title = el.get("title")
    return f' "{title.replace(chr(34), chr(92) + chr(34))}"' if title else ""


def _title_text(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        return ""
    return ' "' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _with_title(image: str, caption: str) -> str:
    """`![alt](media:N)` given `caption` as its title (replacing any)."""
    head = image[: image.index("](media:") + 2]
    address = image[len(head) :].rstrip(")").split(" ", 1)[0]
    return f"{head}{address}{_title_text(caption)})"


def _label(text: str) -> str:
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
