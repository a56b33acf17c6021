"""The time budget: a render past it stops between stages and says so."""

from broadsheet.rendering import render


def test_render_past_its_budget_returns_a_problem_instead_of_the_text():
    doc = render("## Heading\n\nA paragraph.[^a]\n\n[^a]: A note.\n", budget_seconds=0)

    assert [(p.line, p.code) for p in doc.problems] == [(1, "render-over-budget")]
    assert "took over 0 s" in doc.problems[0].message
    assert "block parsing" in doc.problems[0].message
    assert (doc.html, doc.notes, doc.toc, doc.word_count) == ("", (), (), 0)


def test_render_within_its_budget_is_complete():
    doc = render("## Heading\n\nA paragraph.[^a]\n\n[^a]: A note.\n", budget_seconds=60)

    assert doc.problems == ()
    assert [n.number for n in doc.notes] == [1]
    assert doc.word_count == 3
