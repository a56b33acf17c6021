""" "Live" has one definition (content.models), used by the ORM and raw SQL alike."""

import datetime
import re
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

import broadsheet
from broadsheet.content.models import Article, is_live_at, live_params, live_sql
from tests.factories import make_article

PACKAGE = Path(broadsheet.__file__).parent
HOME = PACKAGE / "content" / "models.py"
# Ways of spelling the rule out: comparing the publication date with now, or
# listing the statuses readers see.
SPELLINGS = re.compile(
    r"published_at\s*(<=|__lte)"  # the date compared with now, ORM or SQL
    r"|\bstatus__in\s*=\s*[\[(]?\s*Article\.Status"  # the statuses, listed
    r"|\bstatus IN \("  # the statuses, in SQL
)


def test_no_module_but_content_models_spells_out_the_live_rule():
    offenders = [
        f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != HOME and "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if SPELLINGS.search(line)
    ]
    assert offenders == [], "use content.models' live rule:\n" + "\n".join(offenders)


@pytest.mark.django_db
def test_the_sql_and_the_orm_forms_of_the_rule_agree():
    now = timezone.now()
    day = datetime.timedelta(days=1)
    cases = {
        "published, past": {"published_at": now - day},
        "scheduled, due": {
            "status": Article.Status.SCHEDULED,
            "published_at": now - day,
        },
        "scheduled, future": {
            "status": Article.Status.SCHEDULED,
            "published_at": now + day,
        },
        "draft": {"status": Article.Status.DRAFT, "published_at": None},
    }
    made = {name: make_article(**fields) for name, fields in cases.items()}
    Article.objects.filter(pk=made["scheduled, due"].pk).update(
        status=Article.Status.SCHEDULED  # saving would publish it: it is due
    )
    orm = set(Article.objects.live(now).values_list("pk", flat=True))
    table = Article._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT a.id FROM {table} a WHERE {live_sql('a')}", live_params(now)
        )
        sql = {row[0] for row in cursor.fetchall()}
    in_python = {
        article.pk
        for article in Article.objects.all()
        if is_live_at(article.status, article.published_at, now)
    }
    live = {made["published, past"].pk, made["scheduled, due"].pk}
    assert orm == sql == in_python == live
