"""discovery.related.terms: the words an article's relatedness is computed from."""

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from broadsheet.discovery.related import terms

WORDS = st.sampled_from(
    ["Printing", "presses", "PRESS", "the", "ink", "inks", "berries", "glass",
     "İstanbul", "ß", "x", "a" * 41, "Type,", "type;", "42", "naïve", "café"]
)  # fmt: skip
TEXT = st.lists(st.one_of(WORDS, st.text(max_size=8)), max_size=40).map(" ".join)


@given(title=TEXT, body=TEXT, notes=TEXT)
def test_term_counts_weighs_exactly_the_words_words_gives(title, body, notes):
    fields = {"title": title, "body": body, "notes": notes}
    expected: Counter[str] = Counter()
    for name, weight in terms.FIELD_WEIGHTS.items():
        for word in terms.words(fields.get(name, "")):
            expected[word] += weight
    assert terms.term_counts(fields) == expected


def test_a_plain_plural_counts_with_its_singular_and_stop_words_not_at_all():
    counts = terms.term_counts({"title": "Berries", "body": "the berry of papers"})
    assert counts == {"berry": 3 + 1, "paper": 1}
