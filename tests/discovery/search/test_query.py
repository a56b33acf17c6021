"""A reader's query parses into words and phrases, whatever it holds."""

import pytest

from broadsheet.discovery.search.query import (
    MAX_WORDS,
    Filters,
    parse_query,
)


def test_words_outside_quotes_are_one_word_phrases_lowercased():
    assert parse_query("Hand  Mould").phrases == (("hand",), ("mould",))


def test_double_quotes_make_a_phrase():
    assert parse_query('casting "hand mould"').phrases == (
        ("casting",),
        ("hand", "mould"),
    )


def test_an_unclosed_quote_runs_to_the_end():
    assert parse_query('type "hand mould').phrases == (("type",), ("hand", "mould"))


def test_punctuation_joined_words_are_a_phrase_of_their_parts():
    assert parse_query("half-tone don't").phrases == (
        ("half", "tone"),
        ("don", "t"),
    )


@pytest.mark.parametrize(
    "text, phrases",
    [
        ("NEAR(type mould)", (("near", "type"), ("mould",))),
        ("type*", (("type",),)),
        ("^type", (("type",),)),
        ("title:type", (("title", "type"),)),
        ("-mould", (("mould",),)),
        ("type AND mould", (("type",), ("and",), ("mould",))),
        ("type\x00face", (("type", "face"),)),
        ("\x01\x02\x1f\x7f", ()),
        ('"', ()),
        ('""', ()),
        ("' OR 1=1 --", (("or",), ("1", "1"))),
        ("snake_case", (("snake", "case"),)),
    ],
    ids=[
        "near",
        "prefix star",
        "caret",
        "column filter",
        "minus",
        "boolean words",
        "nul",
        "control characters",
        "lone quote",
        "empty quotes",
        "sql",
        "underscore",
    ],
)
def test_operators_and_control_characters_are_text_or_separators(text, phrases):
    assert parse_query(text).phrases == phrases


def test_letters_of_any_script_and_accents_are_words():
    assert parse_query("Café Ωmega 東京").phrases == (("café",), ("ωmega",), ("東京",))


def test_a_ten_kilobyte_query_keeps_only_its_first_words():
    query = parse_query("printing " * 1200)
    assert query.phrases == (("printing",),)  # the same word twice adds nothing
    many = parse_query(" ".join(f"w{n}" for n in range(5000)))
    assert len(many.words) == MAX_WORDS


def test_a_word_too_long_for_any_index_is_dropped():
    assert parse_query("a" * 1000 + " type").phrases == (("type",),)


def test_filters_are_empty_until_one_is_set():
    assert Filters().is_empty and not Filters(tag="ink").is_empty
