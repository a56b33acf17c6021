"""The editor's bench figures: preview and editor-page timings, and their verdicts."""

import pytest
from django.contrib.auth import get_user_model

from broadsheet.editorial.roles import Role, assign

pytestmark = pytest.mark.django_db

BODY = "Dough rose overnight.[^1]\n\n[^1]: In a cool larder.\n"


@pytest.fixture
def writer_client(client):
    user = get_user_model().objects.create_user("bench-writer")
    assign(user, Role.AUTHOR)
    client.force_login(user)
    return client


def test_editor_timings_time_the_preview_and_the_editor_page(harness, writer_client):
    timings = harness.editor.editor_timings(writer_client, BODY, samples=4)

    preview, opened = timings["preview"], timings["open"]
    assert preview["samples"] == opened["samples"] == 4
    assert len(preview["times_ms"]) == 4
    assert (
        preview["min_ms"]
        <= preview["p50_ms"]
        <= preview["p95_ms"]
        <= (preview["max_ms"])
    )
    assert (preview["words"], preview["notes"], preview["problems"]) == (3, 1, 0)
    assert preview["body_bytes"] == len(BODY.encode())
    assert opened["path"] == "/newsroom/api/sandbox/"


def test_editor_timings_open_the_page_they_are_given(harness, writer_client):
    timings = harness.editor.editor_timings(
        writer_client, BODY, samples=2, open_path="/newsroom/"
    )

    assert timings["open"]["path"] == "/newsroom/"
    row = harness.editor.table_rows(timings, harness.table.table_row)[1]
    assert "(/newsroom/)" in row["note"]


def test_editor_timings_refuse_to_time_refused_requests(harness, client):
    with pytest.raises(AssertionError):
        harness.editor.editor_timings(client, BODY, samples=2)  # not logged in


def test_percentiles_give_the_median_and_the_95th_of_the_samples(harness):
    figures = harness.editor.percentiles([float(n) for n in range(1, 101)])

    assert figures == {"p50_ms": 50.5, "p95_ms": 95.05, "min_ms": 1.0, "max_ms": 100.0}


def _editor_results(preview_p95: float) -> dict:
    figures = {"p50_ms": 20.0, "cpu_median_ms": 19.0, "samples": 60}
    return {
        "preview": {
            **figures,
            "p95_ms": preview_p95,
            "words": 6475,
            "notes": 57,
            "body_bytes": 43551,
        },
        "open": {**figures, "p50_ms": 4.0, "p95_ms": 6.0},
    }


@pytest.mark.parametrize(("p95", "passed"), [(31.0, True), (50.0, False)])
def test_the_preview_row_passes_below_50_ms_at_p95(harness, p95, passed):
    preview, opened = harness.editor.table_rows(
        _editor_results(p95), harness.table.table_row
    )

    assert (preview["broadsheet"], preview["pass"]) == (p95, passed)
    assert "6,475 words" in preview["note"]
    assert (opened["broadsheet"], opened["pass"]) == (6.0, None)


def test_a_failed_editor_scenario_shows_as_a_row_without_a_verdict(harness):
    (row,) = harness.editor.table_rows({"error": "boom"}, harness.table.table_row)

    assert (row["broadsheet"], row["pass"], row["note"]) == (None, None, "boom")
