"""The public surface: render() is pure, deterministic and Django-free."""

import subprocess
import sys
from pathlib import Path

from broadsheet.rendering import PIPELINE_VERSION, RenderedDocument, render

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_render_returns_a_rendered_document():
    assert isinstance(render("Hello."), RenderedDocument)


def test_render_is_deterministic():
    source = '## A\n\nText[^a] "quoted".\n\n[^a]: Note.\n'

    assert render(source) == render(source)


def test_render_handles_empty_source():
    doc = render("")

    assert (doc.html, doc.notes_html, doc.word_count, doc.excerpt) == ("", "", 0, "")
    assert doc.reading_minutes == 1


def test_pipeline_version_is_a_positive_integer():
    assert isinstance(PIPELINE_VERSION, int)
    assert PIPELINE_VERSION >= 1


def test_importing_rendering_does_not_import_django():
    code = (
        "import sys, broadsheet.rendering as r; r.render('x[^a]\\n\\n[^a]: y');"
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )

    assert (
        subprocess.run(
            [sys.executable, "-c", code], cwd=REPO_ROOT, check=False
        ).returncode
        == 0
    )
