"""RenderedDocument and its parts: problems as text and JSON round trips."""

import json

from broadsheet.rendering import (
    WARNING,
    Heading,
    Note,
    Problem,
    RenderedDocument,
    render,
)


def test_problem_str_gives_line_and_message():
    problem = Problem(12, "undefined-note", "note reference [^foo] has no definition")

    assert str(problem) == "line 12: note reference [^foo] has no definition"


def test_rendered_document_survives_a_json_round_trip():
    doc = render(
        "## Part\n\nText[^a] and again[^a], then[^b].\n\n[^a]: A.\n[^b]: B.\n"
        "[^spare]: Unused.\n"
    )

    stored = json.loads(json.dumps(doc.to_dict()))

    assert RenderedDocument.from_dict(stored) == doc


def test_rendered_document_to_dict_holds_only_json_types():
    doc = RenderedDocument(
        html="<p>x</p>",
        notes_html="",
        notes=(Note(1, "a", "<p>A.</p>", ("noteref-1",)),),
        toc=(Heading(2, "Part", "part"),),
        word_count=1,
        reading_minutes=1,
        excerpt="x",
        problems=(Problem(1, "unused-note", "m"),),
    )

    assert json.loads(json.dumps(doc.to_dict())) == {
        "html": "<p>x</p>",
        "notes_html": "",
        "notes": [
            {"number": 1, "label": "a", "html": "<p>A.</p>", "ref_ids": ["noteref-1"]}
        ],
        "toc": [{"level": 2, "text": "Part", "anchor": "part"}],
        "word_count": 1,
        "reading_minutes": 1,
        "excerpt": "x",
        "problems": [
            {"line": 1, "code": "unused-note", "message": "m", "severity": "error"}
        ],
    }


def test_problem_stored_before_severities_existed_reads_as_an_error():
    data = RenderedDocument(
        html="",
        notes_html="",
        notes=(),
        toc=(),
        word_count=0,
        reading_minutes=1,
        excerpt="",
        problems=(),
    ).to_dict()
    data["problems"] = [{"line": 2, "code": "unused-note", "message": "m"}]

    problem = RenderedDocument.from_dict(data).problems[0]

    assert problem.is_error and str(problem) == "line 2: m"


def test_warning_reads_as_one_and_does_not_count_as_an_error():
    warning = Problem(3, "html-removed", "<iframe> is removed", severity=WARNING)

    assert str(warning) == "line 3: warning: <iframe> is removed"
    assert not warning.is_error


def test_has_problems_is_false_without_problems():
    assert not render("Fine.").has_problems
