"""Take Hugo shortcodes and Liquid tags out of Markdown, saying what went where.

Hugo (`{{< name >}}`, `{{% name %}}`) and Jekyll (`{% tag %}`, `{{ var }}`) run
these when they build; Broadsheet would show them as text. Each is removed and
reported with its line, except what has a Markdown equal: `{% highlight x %}`
becomes a code fence, `{% raw %}` keeps its text as written, and Hugo's escaped
`{{</* x */>}}` becomes the literal `{{< x >}}`. Text inside code fences is code
and is left alone. The scan is linear: each closer is looked for within a
bounded window, never to the end of the text for every opener.
"""

from __future__ import annotations

from dataclasses import dataclass, field

WINDOW = 2_000  # the longest shortcode or tag looked for, in characters
SHOWN = 80  # characters of a removed tag the report quotes


@dataclass(frozen=True)
class Removed:
    """A tag taken out of the body, on body line `line`."""

    line: int
    text: str


@dataclass
class Stripped:
    """The body without its template tags, and what was removed or converted."""

    text: str
    removed: list[Removed] = field(default_factory=list)
    converted: int = 0


def strip_templates(text: str) -> Stripped:
    """Remove Hugo shortcodes and Liquid tags outside code fences (see module doc)."""
    fences = _fenced_spans(text)
    result = Stripped("")
    out: list[str] = []
    i, line, counted = 0, 1, 0
    fence = 0
    while True:
        j = _next_opener(text, i)
        if j < 0:
            break
        while fence < len(fences) and fences[fence][1] <= j:
            fence += 1
        if fence < len(fences) and fences[fence][0] <= j:
            out.append(text[i : fences[fence][1]])
            i = fences[fence][1]
            continue
        line += text.count("\n", counted, j)
        counted = j
        out.append(text[i:j])
        closer = "%}" if text[j + 1] == "%" else "}}"
        end = text.find(closer, j + 2, j + WINDOW)
        if end < 0:
            stop = text.find("\n", j)
            stop = len(text) if stop < 0 else stop
            result.removed.append(Removed(line, "unclosed " + _shown(text[j:stop])))
            i = stop
            continue
        token = text[j : end + 2]
        i = end + 2
        inner = token[2:-2].strip("-").strip()
        name, _, argument = inner.partition(" ")
        if token.startswith("{{</*") and token.endswith("*/>}}"):
            out.append("{{<" + token[5:-5] + ">}}")
        elif token.startswith("{{%/*") and token.endswith("*/%}}"):
            out.append("{{%" + token[5:-5] + "%}}")
        elif closer == "%}" and name == "raw":
            end_raw = text.find("{% endraw %}", i)
            stop = len(text) if end_raw < 0 else end_raw
            out.append(text[i:stop])
            i = stop if end_raw < 0 else stop + len("{% endraw %}")
            result.converted += 1
        elif closer == "%}" and name == "highlight":
            out.append("```" + argument.split(" ")[0].strip())
            result.converted += 1
        elif closer == "%}" and name == "endhighlight":
            out.append("```")
        else:
            result.removed.append(Removed(line, _shown(token)))
            out.append("\n" * token.count("\n"))  # later lines keep their numbers
    out.append(text[i:])
    result.text = "".join(out)
    return result


def _next_opener(text: str, start: int) -> int:
    """The offset of the next `{{` or `{%` at or after `start`, or -1."""
    at = text.find("{", start)
    while at >= 0:
        if text[at + 1 : at + 2] in ("{", "%"):
            return at
        at = text.find("{", at + 1)
    return -1


def _shown(token: str) -> str:
    flat = " ".join(token.split())
    return flat if len(flat) <= SHOWN else flat[: SHOWN - 1] + "\u2026"


def _fenced_spans(text: str) -> list[tuple[int, int]]:
    """Offsets (start, end) of the fenced code blocks: ``` or ~~~, CommonMark's
    rule that the closing fence is of the same character and at least as long."""
    spans: list[tuple[int, int]] = []
    offset, opened, marker = 0, -1, ""
    for raw in text.splitlines(keepends=True):
        stripped = raw.lstrip(" ")
        indent = len(raw) - len(stripped)
        run = _fence_run(stripped) if indent < 4 else ""
        if opened < 0 and run:
            opened, marker = offset, run
        elif (
            opened >= 0 and run.startswith(marker) and not stripped[len(run) :].strip()
        ):
            spans.append((opened, offset + len(raw)))
            opened = -1
        offset += len(raw)
    if opened >= 0:
        spans.append((opened, len(text)))
    return spans


def _fence_run(line: str) -> str:
    char = line[:1]
    if char not in ("`", "~"):
        return ""
    n = len(line) - len(line.lstrip(char))
    return char * n if n >= 3 else ""
