"""Importing an export: fields, statuses, re-runs, dry runs, views and notes."""

import datetime

import pytest
from bs4 import BeautifulSoup

from broadsheet.content.models import Article, Author, Category, Page, Tag
from broadsheet.migration.models import ImportedItem
from broadsheet.migration.wordpress.load import import_wordpress
from broadsheet.migration.wordpress.wxr import WxrParseError
from broadsheet.pagecache.models import SurfaceChange
from broadsheet.publishing.surfaces import EVERYTHING
from broadsheet.readership.counting import record_view, view_count
from tests.factories import make_article
from tests.migration.wxr import author, core_note_anchor, export, footnotes_meta, item

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
NOTED = (
    "<!-- wp:paragraph -->\n<p>Hot metal fills the mould."
    + core_note_anchor("n-1", 1)
    + " The matrix is struck.[efn_note]With a steel <em>punch</em>.[/efn_note]"
    " Type is cast.[ref]In a hand mould.[/ref]</p>\n<!-- /wp:paragraph -->\n"
)
NOTED_META = footnotes_meta([("n-1", "Lead, tin and antimony.")])


def counts() -> dict[str, int]:
    models = [Article, Author, Category, Tag, Page, ImportedItem]
    return {model.__name__: model.objects.count() for model in models}


def test_posts_become_articles_with_their_fields_byline_and_terms(write_export):
    path = write_export(
        item(
            21,
            title="Locking &amp; proving a forme",
            content="<p>Quoins hold the type.</p>",
            excerpt="<p>How the <em>chase</em> holds.</p>",
            slug="locking-a-forme",
            creator="ben",
            date_gmt="2019-04-02 10:30:00",
            categories=[("printing", "Printing &amp; Presses")],
            tags=[("type", "Type"), ("ink", "Ink")],
        )
    )
    report = import_wordpress(path)
    article = Article.objects.get()
    assert article.title == "Locking & proving a forme"
    assert article.slug == "locking-a-forme"
    assert article.body == "Quoins hold the type.\n"
    assert article.body_html == "<p>Quoins hold the type.</p>\n"
    assert article.excerpt == "How the chase holds."
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at == datetime.datetime(2019, 4, 2, 10, 30, tzinfo=UTC)
    assert [a.name for a in article.ordered_authors] == ["Ben Pressman"]
    assert [c.name for c in article.categories.all()] == ["Printing & Presses"]
    assert sorted(article.tags.values_list("slug", flat=True)) == ["ink", "type"]
    assert Category.objects.get(slug="letterpress").name == "Letterpress"
    assert report.counts == {
        "authors created": 2,
        "categories created": 2,
        "tags created": 2,
        "posts created": 1,
    }
    letterpress = Category.objects.get(slug="letterpress")
    assert letterpress.parent == Category.objects.get(slug="printing")
    assert report.warnings == []


@pytest.mark.parametrize(
    ("wp_status", "date_gmt", "status", "drafted"),
    [
        ("publish", "2019-04-02 10:30:00", Article.Status.PUBLISHED, None),
        ("future", "2039-01-01 09:00:00", Article.Status.SCHEDULED, None),
        ("draft", "0000-00-00 00:00:00", Article.Status.DRAFT, None),
        ("pending", "0000-00-00 00:00:00", Article.Status.REVIEW, None),
        (
            "private",
            "2019-04-02 10:30:00",
            Article.Status.DRAFT,
            "private in WordPress",
        ),
    ],
    ids=["publish", "future", "draft", "pending", "private"],
)
def test_statuses_map_to_broadsheet_and_hidden_ones_are_reported(
    write_export, wp_status, date_gmt, status, drafted
):
    report = import_wordpress(
        write_export(item(5, title="Rye", status=wp_status, date_gmt=date_gmt))
    )
    article = Article.objects.get()
    assert article.status == status
    assert [str(line) for line in report.drafted] == (
        [f"post 5 \u201cRye\u201d: {drafted}"] if drafted else []
    )


def test_scheduled_post_keeps_its_future_date_and_drafts_without_date_have_none(
    write_export,
):
    import_wordpress(
        write_export(
            item(1, slug="later", status="future", date_gmt="2039-01-01 09:00:00"),
            item(2, slug="unsent", status="draft", date_gmt="0000-00-00 00:00:00"),
        )
    )
    assert Article.objects.get(slug="later").published_at == datetime.datetime(
        2039, 1, 1, 9, tzinfo=UTC
    )
    assert Article.objects.get(slug="unsent").published_at is None


def test_password_protected_post_comes_in_as_a_draft(write_export):
    report = import_wordpress(write_export(item(3, title="Members", password="rye")))
    assert Article.objects.get().status == Article.Status.DRAFT
    assert [line.message for line in report.drafted] == [
        "password-protected in WordPress"
    ]


def test_pages_become_pages_and_other_types_and_comments_are_counted(write_export):
    path = write_export(
        item(8, title="About the press", post_type="page", slug="about", comments=1),
        item(9, title="Hidden", post_type="page", slug="hidden", status="draft"),
        item(10, title="Loaf photo", post_type="attachment", status="inherit"),
        item(11, title="Menu", post_type="nav_menu_item"),
        item(12, title="Binned", status="trash"),
        item(13, comments=2),
    )
    report = import_wordpress(path)
    about = Page.objects.get(slug="about")
    assert (about.title, about.body_html, about.is_published) == (
        "About the press",
        "<p>Plain text.</p>\n",
        True,
    )
    assert Page.objects.get(slug="hidden").is_published is False
    assert report.skipped == {"nav_menu_item": 1, "post (trash)": 1}
    assert report.counts["attachments"] == 1  # read for media (test_media.py)
    assert report.comments_skipped == 3
    assert "  comments: 3" in report.lines()


def test_non_latin_slug_falls_back_and_a_taken_slug_gets_a_suffix(write_export):
    make_article(slug="bread")
    greek = "Η τυπογραφία"
    report = import_wordpress(
        write_export(
            item(30, title=greek, slug="%ce%b7-%cf%84%cf%85%cf%80"),
            item(31, title="Bread", slug="bread"),
        )
    )
    assert Article.objects.get(title=greek).slug == "post-30"
    assert Article.objects.get(title="Bread").slug == "bread-2"
    assert (
        f"post 30 \u201c{greek}\u201d: slug 'η-τυπ' has no ASCII form, now post-30"
        in (report.warnings)
    )
    assert (
        "post 31 \u201cBread\u201d: slug bread is taken, now bread-2" in report.warnings
    )


def test_authors_match_existing_ones_by_slug(write_export):
    Author.objects.create(name="Ada C.", slug="ada")
    report = import_wordpress(write_export(item(1)))
    assert Article.objects.get().ordered_authors[0].name == "Ada C."
    assert (report.counts["authors matched"], report.counts["authors created"]) == (
        1,
        1,
    )


def test_post_by_an_author_missing_from_the_header_gets_one(write_export):
    report = import_wordpress(write_export(item(1, creator="cleo"), header=[]))
    assert Article.objects.get().ordered_authors[0].slug == "cleo"
    assert "post 1 \u201cA note on type\u201d: author 'cleo' is not in the export" in (
        report.warnings
    )


def test_running_the_same_export_again_updates_instead_of_doubling(write_export):
    first = write_export(item(1, title="Proofing", meta=[("views", "40")]))
    import_wordpress(first)
    before = counts()
    second = write_export(
        item(1, title="Proofing, revised", meta=[("views", "40")]), name="again.xml"
    )
    report = import_wordpress(second)
    assert counts() == before
    assert Article.objects.get().title == "Proofing, revised"
    assert view_count(Article.objects.get()) == 40
    assert report.counts["posts updated"] == 1 and "posts created" not in report.counts


def test_a_rerun_leaves_an_article_edited_in_broadsheet_alone(write_export):
    path = write_export(item(1, title="Proofing"))
    import_wordpress(path)
    Article.objects.update(body="An editor's own words.\n")
    report = import_wordpress(path)
    assert Article.objects.get().body == "An editor's own words.\n"
    assert report.counts["posts kept (edited in Broadsheet since)"] == 1


def test_dry_run_reports_everything_and_changes_nothing(write_export):
    path = write_export(
        item(1, content=NOTED, meta=[NOTED_META, ("views", "12")]),
        item(2, content='<p>[plugin id="4696" align="left"]</p>'),
    )
    before = counts()
    dry = import_wordpress(path, dry_run=True)
    assert counts() == before
    assert view_count_total() == 0
    real = import_wordpress(path)
    assert dry.lines()[1:] == real.lines()[1:]
    assert dry.lines()[0].startswith("Dry run (nothing was saved)")
    assert counts() != before


def view_count_total() -> int:
    return sum(view_count(article) for article in Article.objects.all())


def test_a_file_broken_after_good_items_imports_nothing(write_export):
    path = write_export(item(1), item(2), item(3))
    text = path.read_text()
    path.write_text(text[: text.index("<wp:post_id>3")])
    with pytest.raises(WxrParseError, match="truncated"):
        import_wordpress(path)
    assert counts() == {name: 0 for name in counts()}


def test_view_counts_become_the_starting_count_and_reruns_add_only_the_difference(
    write_export,
):
    path = write_export(item(1, meta=[("views", "120"), ("post_views_count", "90")]))
    import_wordpress(path)
    article = Article.objects.get()
    assert view_count(article) == 120
    record_view(article.pk)  # a reader in Broadsheet, between two imports
    import_wordpress(path)
    assert view_count(article) == 121
    import_wordpress(write_export(item(1, meta=[("views", "150")]), name="later.xml"))
    assert view_count(article) == 151
    assert article.daily_views.get(day=datetime.date(2019, 4, 2)).count == 150


def test_unreadable_view_count_is_a_warning(write_export):
    report = import_wordpress(write_export(item(1, meta=[("views", "lots")])))
    assert view_count(Article.objects.get()) == 0
    assert (
        "post 1 \u201cA note on type\u201d: view count views='lots' is not a number"
        in (report.warnings)
    )


def test_notes_from_every_form_render_linked_both_ways(write_export, client):
    import_wordpress(
        write_export(item(1, slug="casting", content=NOTED, meta=[NOTED_META]))
    )
    article = Article.objects.get()
    assert article.body == (
        "Hot metal fills the mould.[^1] The matrix is struck.[^2] Type is cast.[^3]"
        "\n\n[^1]: Lead, tin and antimony.\n\n[^2]: With a steel *punch*.\n\n"
        "[^3]: In a hand mould.\n"
    )
    assert (article.status, article.render_problems) == (Article.Status.PUBLISHED, [])
    page = BeautifulSoup(client.get("/articles/casting/").content, "html.parser")
    for number, text in [(1, "Lead, tin"), (2, "With a steel"), (3, "In a hand")]:
        reference = page.find("a", id=f"noteref-{number}")
        assert reference["href"] == f"#note-{number}"
        note = page.find(id=f"note-{number}")
        assert note.get_text().startswith(text)
        assert note.find("a", class_="note-backref")["href"] == f"#noteref-{number}"


def test_published_post_with_a_note_problem_comes_in_as_a_draft_naming_it(
    write_export,
):
    content = "<p>One.</p>\n\n<p>Two" + core_note_anchor("gone", 1) + ".</p>"
    orphan = footnotes_meta([("lost", "An orphaned note.")])
    report = import_wordpress(write_export(item(4, content=content, meta=[orphan])))
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    label = "post 4 \u201cA note on type\u201d"
    assert [str(line) for line in report.problems] == [
        f"{label}, body line 3: note anchor 'gone' has no text in the footnotes meta",
        f"{label}: line 5: note [^1] is defined but never referenced",
    ]
    assert [str(line) for line in report.drafted] == [
        f"{label}: line 5: note [^1] is defined but never referenced"
    ]


def test_unknown_shortcodes_are_reported_with_post_and_line(write_export):
    content = (
        "<!-- wp:paragraph -->\n<p>Bake at dawn.</p>\n<!-- /wp:paragraph -->\n\n"
        '<!-- wp:paragraph -->\n<p>Give [plugin id="4696" align="left"] now.</p>\n'
        "<!-- /wp:paragraph -->\n\n"
        '<!-- wp:shortcode -->\n[contact-form-7 id="1"]\n<!-- /wp:shortcode -->'
    )
    report = import_wordpress(write_export(item(6, title="Dawn", content=content)))
    assert Article.objects.get().body == "Bake at dawn.\n\nGive now.\n"
    assert [str(line) for line in report.shortcodes] == [
        'post 6 \u201cDawn\u201d, body line 3: [plugin id="4696" align="left"]',
        'post 6 \u201cDawn\u201d, body line 5: [contact-form-7 id="1"]',
    ]


def test_an_import_invalidates_cached_pages_as_any_save_does(
    write_export, client, django_capture_on_commit_callbacks
):
    make_article(title="Already here")
    assert "Already here" in client.get("/").content.decode()  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        import_wordpress(write_export(item(1, title="Sourdough starters")))
    assert "Sourdough starters" in client.get("/").content.decode()


def test_greek_and_japanese_posts_keep_their_text(write_export, client):
    greek = "Η τυπογραφία είναι η τέχνη της διάταξης των γραμμάτων."
    japanese = "活版印刷は鉛の活字を組んで刷る技術です。"
    import_wordpress(
        write_export(
            item(1, title="Τυπογραφία", slug="typography", content=f"<p>{greek}</p>"),
            item(2, title="活版印刷", slug="katsuban", content=f"<p>{japanese}</p>"),
            header=[author("ada", "Ἀδά")],
        )
    )
    assert greek in client.get("/articles/typography/").content.decode()
    assert japanese in client.get("/articles/katsuban/").content.decode()
    assert Author.objects.get().name == "Ἀδά"


def test_hostile_markup_in_a_post_never_reaches_the_page(write_export, client):
    content = (
        '<p>Salt <a href="javascript:alert(1)">here</a>'
        '<img src="x" onerror="alert(2)"/></p><script>alert(3)</script>'
        '<p><a href="https://example.org/" onclick="alert(4)">safe</a></p>'
    )
    import_wordpress(write_export(item(1, slug="salt", content=content)))
    html = client.get("/articles/salt/").content.decode()
    assert "alert(" not in html
    assert '<a href="https://example.org/">safe</a>' in html


def test_published_post_without_an_author_comes_in_as_a_draft(write_export):
    report = import_wordpress(write_export(item(1, creator="")))
    assert Article.objects.get().status == Article.Status.DRAFT
    assert [line.message for line in report.drafted] == [
        "the byline is empty: a published article needs at least one author"
    ]


def test_a_wxr_1_1_export_imports_like_1_2(tmp_path):
    path = tmp_path / "old.xml"
    path.write_text(
        export(author("ada", "Ada"), item(1, excerpt="Short."), version="1.1")
    )
    report = import_wordpress(path)
    assert Article.objects.get().excerpt == "Short."
    assert report.counts["posts created"] == 1


def test_a_title_longer_than_the_field_is_cut_with_a_warning(write_export):
    report = import_wordpress(write_export(item(1, title="Rye " * 100)))
    title = Article.objects.get().title
    assert len(title) == 300 and title.endswith("\u2026")
    assert any("title cut to 300 characters" in w for w in report.warnings)


def test_terms_without_an_ascii_slug_get_the_same_stand_in_on_every_run(write_export):
    greek = [("%cf%84%cf%85%cf%80%ce%bf%cf%82", "Τύπος")]
    path = write_export(item(1, tags=greek), header=[author("ada", "Ada")])
    import_wordpress(path)
    import_wordpress(path)
    tag = Tag.objects.get()
    assert tag.name == "Τύπος" and tag.slug.startswith("tag-")
    assert list(Article.objects.get().tags.all()) == [tag]


def bulk_items() -> list[str]:
    return [
        item(n, slug=f"post-{n}", tags=[("type", "Type")], categories=[("ink", "Ink")])
        for n in (1, 2, 3)
    ]


def test_an_import_retires_every_cached_page_once_after_commit(
    write_export, settings, django_capture_on_commit_callbacks
):
    path = write_export(*bulk_items())
    with django_capture_on_commit_callbacks(execute=True):
        import_wordpress(path)
    assert Article.objects.count() == 3
    # One whole-site change, not one per article and term: the file cache's
    # cost per write grows with its size, so per-article writes made an import
    # of 10,000 posts slower with every post.
    assert list(SurfaceChange.objects.values_list("surface", flat=True)) == [EVERYTHING]


def test_a_dry_run_announces_nothing(write_export, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        import_wordpress(write_export(*bulk_items()), dry_run=True)
    assert not SurfaceChange.objects.exists()


def test_sticky_posts_become_lead_stories(write_export):
    import_wordpress(
        write_export(item(1, slug="pinned", sticky=True), item(2, slug="plain"))
    )
    assert Article.objects.get(slug="pinned").sticky is True
    assert Article.objects.get(slug="plain").sticky is False


def test_an_export_without_sticky_markers_pins_nothing(write_export):
    path = write_export(item(1, slug="older"))
    path.write_text(path.read_text().replace("<wp:is_sticky>0</wp:is_sticky>", ""))
    import_wordpress(path)
    assert Article.objects.get().sticky is False


def test_the_report_counts_comments_left_out_and_lists_every_finding(write_export):
    body = (
        '<p>Proof.<sup>1</sup> [plugin id="3"] <img src="'
        'https://old.example.org/wp-content/uploads/2021/05/proof.jpg" alt="A proof">'
        "</p><h3>Notes</h3><ol><li>Pulled by hand.</li><li>Unused.</li></ol>"
    )
    report = import_wordpress(write_export(item(7, content=body, comments=3)))
    lines = report.lines()
    assert "  posts created: 1" in lines
    assert "  comments: 3" in lines
    assert "Unknown shortcodes removed (1):" in lines
    assert "Media files not in the library (old URL kept) (1):" in lines
    problems = [str(line) for line in report.problems]
    assert any("note 2 of the Notes list is not referenced" in p for p in problems)


def test_a_post_nested_too_deep_to_convert_is_kept_as_html_and_reported(write_export):
    # markdownify walks the tree recursively: 5,000 levels once ended the whole
    # import with a RecursionError traceback.
    deep = "<div>" * 5000 + "Set in type." + "</div>" * 5000
    path = write_export(item(1, content=deep), item(2, title="A plain post"))

    report = import_wordpress(path)

    kept = Article.objects.get(title="A note on type")
    assert kept.status == Article.Status.DRAFT and "Set in type." in kept.body
    assert Article.objects.get(title="A plain post").status == Article.Status.PUBLISHED
    messages = [
        line.message for line in report.problems if line.item.startswith("post 1")
    ]
    assert any("nested too deeply to convert" in message for message in messages)
    assert [line.item for line in report.drafted] == [
        "post 1 \u201cA note on type\u201d"
    ]
