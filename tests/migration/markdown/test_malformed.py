"""A folder with a bad file imports nothing, and the error names file and line."""

import pytest
from click.testing import CliRunner

from broadsheet.cli import cli
from broadsheet.content.models import Article, Page
from broadsheet.sources.models import Work

pytestmark = pytest.mark.django_db

GOOD = "---\ntitle: Mulching\nauthor: Ada Fielding\n---\nSpread the mulch thin.\n"


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "---\ntitle: [Sowing\n---\nBody.\n",
            "posts/bad.md, line 2: YAML front matter",
        ),
        (
            '+++\ntitle = "Sowing\n+++\nBody.\n',
            "posts/bad.md, line 2: TOML front matter",
        ),
        ("---\ntitle: Sowing\nBody.\n", "posts/bad.md, line 1: front matter opened"),
        (
            "---\ntitle: Sowing\ndate: last spring\n---\nBody.\n",
            "posts/bad.md, line 3: date: not a date: 'last spring'",
        ),
        (
            "---\ntitle: Sowing\ndate: 2023-02-30\n---\nBody.\n",
            "posts/bad.md, line 3: YAML front matter: not a date: '2023-02-30'",
        ),
        (
            "---\ntitle: Sowing\nauthor: {email: ada@example.org}\n---\nBody.\n",
            "posts/bad.md, line 3: author: unknown author format",
        ),
        (
            "---\ntitle: Sowing\nauthors: [[Ada, Ben]]\n---\nBody.\n",
            "posts/bad.md, line 3: authors: unknown author format",
        ),
        (
            "---\ntitle: Sowing\ndraft: maybe\n---\nBody.\n",
            "posts/bad.md, line 3: draft: expected true or false",
        ),
        (
            "---\na: &x [1, 2]\nb: *x\n---\nBody.\n",
            "posts/bad.md, line 3: YAML front matter: aliases",
        ),
        (
            "---\ntitle: Sowing\nbibliography: ../../etc/passwd\n---\nBody.\n",
            "posts/bad.md, line 3: bibliography: no file",
        ),
        (
            b"---\ntitle: Sowing\n---\nCaf\xe9 au lait.\n",
            "posts/bad.md, line 4: not UTF-8",
        ),
        (
            '{\n  "title": "Sowing",\n  "date": "a while ago"\n}\nBody.\n',
            "posts/bad.md, line 3: date: not a date",
        ),
        ('{\n  "title": "Sowing",\n}\nBody.\n', "posts/bad.md, line 3: JSON front"),
    ],
)
def test_a_malformed_file_imports_nothing_and_names_file_and_line(
    folder, text, expected
):
    root = folder({"posts/good.md": GOOD, "posts/bad.md": text})
    result = CliRunner().invoke(cli, ["import", "markdown", str(root)])
    assert result.exit_code == 1
    assert "nothing imported" in result.stderr
    assert expected in result.stderr
    assert Article.objects.count() == 0


def test_a_malformed_bibliography_file_rolls_back_the_whole_import(folder):
    root = folder(
        {
            "posts/good.md": GOOD,
            "posts/cited.md": "---\ntitle: Seeds\nbibliography: refs.bib\n---\nText.\n",
            "posts/refs.bib": "@book{ok, title={Seeds}, year={1990}}\n@book{bad,\n",
        }
    )
    result = CliRunner().invoke(cli, ["import", "markdown", str(root)])
    assert result.exit_code == 1
    assert "posts/refs.bib, line" in result.stderr
    assert Article.objects.count() == Page.objects.count() == Work.objects.count() == 0


def test_every_bad_file_is_listed_at_once(folder):
    root = folder(
        {
            "posts/a.md": "---\ndate: soon\n---\n",
            "posts/b.md": "---\ndate: later\n---\n",
        }
    )
    result = CliRunner().invoke(cli, ["import", "markdown", str(root)])
    assert "posts/a.md, line 2" in result.stderr
    assert "posts/b.md, line 2" in result.stderr
