"""The search corpus, built for each test that asks for it."""

import pytest

from tests.factories import make_search_corpus


@pytest.fixture
def corpus(db):
    """The neutral search corpus of tests.factories, by article name."""
    return make_search_corpus()
