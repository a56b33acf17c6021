"""Public pages through Django's test client."""

import pytest
from bs4 import BeautifulSoup

from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_article_page_shows_title_body_and_notes(client):
    article = make_article(title="On Hand Moulds")
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.h1.get_text() == "On Hand Moulds"
    assert len(soup.select(".notes-list > li")) == 2
