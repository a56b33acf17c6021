"""Surface (cache tag) names are made in one place, publishing.surfaces."""

import re
from pathlib import Path

import broadsheet
from broadsheet.publishing import surfaces

PACKAGE = Path(broadsheet.__file__).parent
HOME = PACKAGE / "publishing" / "surfaces.py"
# A string building a surface: a known kind followed by ':' and an interpolation,
# or an interpolated kind ("{kind}:{pk}", "{model._meta.model_name}:{pk}").
HAND_MADE = re.compile(
    r"""f["'](list:)?\{[^}]*(kind|model_name)\}:\{"""
    r"""|f["'](list|article|articles|author|tag|category|page):\{"""
    r"""|["']list:authors["']|\{["']sources["']\}"""
)


def test_no_module_but_publishing_surfaces_builds_a_surface_name():
    offenders = [
        f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != HOME
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if HAND_MADE.search(line)
    ]
    assert offenders == [], "use publishing.surfaces:\n" + "\n".join(offenders)


def test_a_terms_page_shows_its_fields_and_its_list():
    assert surfaces.term_surfaces("tag", 3) == {"tag:3", "list:tag:3"}
    assert surfaces.row_surface("author", 7) == "author:7"
    assert surfaces.list_surface("category", 2) == "list:category:2"
