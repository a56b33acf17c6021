"""Summaries: word count, reading time, table of contents and excerpt."""

import random

import pytest

from broadsheet.rendering import Heading, markdown, render
from broadsheet.rendering.summary import _WORD, count_words, reading_minutes


def words(n, word="word"):
    return " ".join(f"{word}{i}" for i in range(n))


def test_render_lists_h2_and_h3_headings_in_order_in_the_toc():
    doc = render(
        "# Title\n\n## First *part*\n\n### Detail\n\n#### Too deep\n\n## First part\n"
    )

    assert doc.toc == (
        Heading(2, "First part", "first-part"),
        Heading(3, "Detail", "detail"),
        Heading(2, "First part", "first-part-2"),
    )


def test_render_leaves_note_numbers_and_quoted_headings_out_of_the_toc():
    doc = render("## Origins[^a]\n\n> ## Quoted\n\n[^a]: A.\n")

    assert doc.toc == (Heading(2, "Origins", "origins"),)


def test_render_counts_body_words_only():
    doc = render(
        "## Two words\n\nThree more words[^a].\n\n- list item\n\n"
        "```\nnot counted at all\n```\n\n[^a]: Notes are not counted either.\n"
    )

    assert doc.word_count == 7


def test_render_counts_contractions_and_hyphenated_words_once():
    assert render("Don’t over-think 1,000 books.").word_count == 4


def test_words_split_by_dashes_and_other_scripts_count_as_a_reader_sees_them():
    # a--b and word—word are two words each; snake_case, 3.14 and 日本語 one each;
    # a dash standing alone is none.
    text = "Type-set a--b word—word snake_case naïve café 3.14, 2.71. — 日本語"
    assert render(text).word_count == 11


def test_word_count_equals_the_word_pattern_run_over_the_whole_text():
    # The count takes shortcuts for pieces that are letters and digits with
    # punctuation at their edges; on punctuation-heavy text it must still equal
    # the pattern's own count. Fixed by a seed.
    rng = random.Random(7)
    letters = ["word", "naïve", "日本語", "x_y", "3", "14", "Ω"]
    marks = list(".,;:!?()[]\"'“”‘’…-—_/&+") + ["--", "'s", ".5"]
    for _ in range(300):
        parts = []
        for _ in range(rng.randint(1, 30)):
            parts.append(rng.choice(letters if rng.random() < 0.5 else marks))
            if rng.random() < 0.3:
                parts.append(" ")
        tokens, _env = markdown.parse("".join(parts))
        text = " ".join(markdown.inline_text(t) for t in tokens if t.type == "inline")

        assert count_words(tokens) == len(_WORD.findall(text)), text


@pytest.mark.parametrize(
    ("word_count", "minutes"),
    [(0, 1), (1, 1), (230, 1), (231, 2), (460, 2), (6000, 27)],
)
def test_reading_minutes_rounds_up_at_230_words_a_minute(word_count, minutes):
    assert reading_minutes(word_count) == minutes


def test_render_reading_time_follows_word_count():
    doc = render(words(500))

    assert (doc.word_count, doc.reading_minutes) == (500, 3)


def test_render_excerpt_keeps_a_short_body_whole():
    doc = render("# Title\n\nA short *opening*, with a note.[^a]\n\n[^a]: Note text.\n")

    assert doc.excerpt == "A short opening, with a note."


def test_render_excerpt_cuts_at_a_word_boundary_with_an_ellipsis():
    doc = render(words(100))

    assert doc.excerpt == words(60) + "…"


def test_render_excerpt_drops_punctuation_before_the_ellipsis():
    doc = render(words(59) + " last, and more words follow.")

    assert doc.excerpt.endswith(" last…")


def test_render_excerpt_skips_headings_tables_code_and_note_numbers():
    doc = render(
        "# Heading\n\n| t |\n|---|\n| cell |\n\n```\ncode\n```\n\n"
        "First[^a] paragraph.\n\nSecond `inline` one.\n\n[^a]: Note.\n"
    )

    assert doc.excerpt == "First paragraph. Second inline one."


def test_render_excerpt_joins_lines_and_paragraphs_with_single_spaces():
    doc = render("One\ntwo  \nthree.\n\nFour.")

    assert doc.excerpt == "One two three. Four."
