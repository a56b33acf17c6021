"""The WXR reader: records, CDATA and entities, streaming, and refusals with lines."""

import io

import pytest

from broadsheet.migration.wordpress.wxr import (
    WxrAuthor,
    WxrItem,
    WxrParseError,
    WxrSite,
    WxrTerm,
    read_wxr,
)
from tests.migration.wxr import author, category, export, item, tag


def records(text: str | bytes) -> list:
    data = text.encode() if isinstance(text, str) else text
    return list(read_wxr(io.BytesIO(data), filename="export.xml"))


def line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


@pytest.mark.parametrize("version", ["1.1", "1.2"])
def test_reader_yields_site_then_authors_terms_and_items(version):
    text = export(
        author("ada", "Ada Compositor", first="Ada", last="Compositor"),
        category("letterpress", "Letterpress", parent="printing", description="Relief"),
        tag("ink", "Ink"),
        item(7, title="Locking up a forme", tags=[("ink", "Ink")]),
        version=version,
    )
    site, writer, section, label, post = records(text)
    assert site == WxrSite(
        version=version,
        title="The Composing Room",
        link="https://old.example.org",
        base_site_url="https://old.example.org",
    )
    assert isinstance(writer, WxrAuthor)
    assert (writer.login, writer.display_name, writer.last_name) == (
        "ada",
        "Ada Compositor",
        "Compositor",
    )
    assert isinstance(section, WxrTerm)
    assert (section.taxonomy, section.slug, section.parent, section.description) == (
        "category",
        "letterpress",
        "printing",
        "Relief",
    )
    assert (label.taxonomy, label.slug, label.name) == ("post_tag", "ink", "Ink")
    assert isinstance(post, WxrItem)
    assert post.line == line_of(text, "<item>")


def test_reader_reads_every_field_of_an_item():
    text = export(
        item(
            42,
            title="Proofing",
            content="<p>Pull a proof.</p>",
            excerpt="A short one.",
            slug="proofing",
            status="draft",
            creator="ben",
            date_gmt="2020-05-06 07:08:09",
            categories=[("printing", "Printing")],
            tags=[("ink", "Ink")],
            meta=[("views", "120"), ("_edit_lock", "1:1")],
            comments=3,
            parent=5,
            password="s3cret",
        )
    )
    post = records(text)[-1]
    assert (post.wp_id, post.post_type, post.title, post.post_name) == (
        42,
        "post",
        "Proofing",
        "proofing",
    )
    assert post.content == "<p>Pull a proof.</p>"
    assert post.excerpt == "A short one."
    assert (post.status, post.creator, post.post_date_gmt) == (
        "draft",
        "ben",
        "2020-05-06 07:08:09",
    )
    assert post.pub_date == "Tue, 02 Apr 2019 10:30:00 +0000"
    assert [(t.domain, t.slug, t.name) for t in post.terms] == [
        ("category", "printing", "Printing"),
        ("post_tag", "ink", "Ink"),
    ]
    assert post.meta_value("views") == "120"
    assert post.meta_value("missing") is None
    assert (post.comments, post.parent_id, post.password) == (3, 5, "s3cret")
    assert post.link == "https://old.example.org/proofing/"


@pytest.mark.parametrize(
    "content",
    [
        "<p>An array ends with a[b[0]]]>, rarely.</p>",  # "]]>" split across sections
        "]]>",
        "",
        "<!-- wp:paragraph --><p>5 &lt; 6 &amp; <b>b</b></p><!-- /wp:paragraph -->",
        "<![CDATA[ nested-looking ]]>",
    ],
    ids=["split-terminator", "only-terminator", "empty", "markup", "cdata-inside"],
)
def test_reader_keeps_cdata_content_exactly(content):
    post = records(export(item(1, content=content)))[-1]
    assert post.content == content


def test_reader_joins_text_the_parser_reads_in_several_chunks():
    long = "Ink, " * 40_000  # longer than one read of the file
    text = export(item(1, content=long))
    assert records(text)[-1].content == long


def test_reader_resolves_xml_entities_outside_cdata():
    text = export(item(1, raw_title="Fish &amp; Chips &#8211; a recipe &#x1F373;"))
    assert records(text)[-1].title == "Fish & Chips \u2013 a recipe \U0001f373"


def test_reader_keeps_greek_and_japanese_text():
    greek = "Η τυπογραφία είναι η τέχνη της διάταξης των γραμμάτων."
    japanese = "活版印刷は鉛の活字を組んで刷る技術です。"
    post = records(export(item(1, title=greek, content=f"<p>{japanese}</p>")))[-1]
    assert (post.title, post.content) == (greek, f"<p>{japanese}</p>")


def test_reader_hands_out_items_before_reading_the_rest_of_the_file():
    text = export(item(1), item(2, content="x" * 200_000), item(3))
    cut = text.index("<item>", text.index("<wp:post_id>2")) + 10  # inside item 3
    reader = iter(read_wxr(io.BytesIO(text[:cut].encode()), filename="export.xml"))
    assert isinstance(next(reader), WxrSite)
    assert next(reader).wp_id == 1
    assert next(reader).wp_id == 2
    with pytest.raises(WxrParseError):
        next(reader)


def test_truncated_file_is_refused_naming_its_last_line():
    text = export(item(1), item(2))
    cut = text[: text.index("<wp:post_id>2")]
    with pytest.raises(WxrParseError) as refused:
        records(cut)
    assert refused.value.line == cut.count("\n") + 1
    assert "truncated" in str(refused.value)
    assert str(refused.value).startswith(f"export.xml, line {refused.value.line}")


def test_mismatched_tag_is_refused_naming_its_line():
    text = export(item(1), item(2)).replace("</wp:post_name>", "</wp:post_nam>", 2)
    with pytest.raises(WxrParseError) as refused:
        records(text)
    assert refused.value.line == line_of(text, "</wp:post_nam>")
    assert "mismatched tag" in str(refused.value)


def test_html_entity_outside_cdata_is_refused_as_undefined():
    text = export(item(1), item(2, raw_title="Caf&eacute; menus"))
    with pytest.raises(WxrParseError) as refused:
        records(text)
    assert refused.value.line == line_of(text, "Caf&eacute;")
    assert "undefined entity" in str(refused.value)


def test_bytes_that_are_not_utf8_are_refused_as_an_encoding_error():
    text = export(item(1), item(2, title="Crème brûlée"))
    data = text.encode("utf-8").replace("Crème".encode(), "Crème".encode("latin-1"))
    with pytest.raises(WxrParseError) as refused:
        records(data)
    assert refused.value.line == line_of(text, "Crème")
    assert "not UTF-8" in str(refused.value)


def test_control_character_is_refused_naming_it_and_its_line():
    text = export(item(1), item(2, content="<p>Tab\x0bbed</p>"))
    with pytest.raises(WxrParseError) as refused:
        records(text)
    assert refused.value.line == line_of(text, "Tab\x0b")
    assert "a control character (U+000B) that XML does not allow" in str(refused.value)


def test_file_declared_latin1_is_read_in_latin1():
    text = export(item(1, title="Crème brûlée")).replace(
        'encoding="UTF-8"', 'encoding="ISO-8859-1"'
    )
    assert records(text.encode("latin-1"))[-1].title == "Crème brûlée"


@pytest.mark.parametrize("version", ["1.0", "1.3"])
def test_unsupported_version_is_refused_naming_the_version_line(version):
    text = export(item(1), version=version)
    with pytest.raises(WxrParseError) as refused:
        records(text)
    assert refused.value.line == line_of(text, "<wp:wxr_version>")
    assert f"WXR version {version} is not supported" in str(refused.value)


def test_export_without_a_version_is_refused():
    text = export(item(1)).replace("<wp:wxr_version>1.2</wp:wxr_version>", "")
    with pytest.raises(WxrParseError) as refused:
        records(text)
    assert refused.value.line == line_of(text, "<item>")
    assert "not a WordPress export" in str(refused.value)


def test_a_feed_that_is_not_rss_is_refused():
    with pytest.raises(WxrParseError, match="root element is <feed>"):
        records('<?xml version="1.0"?>\n<feed><entry/></feed>')


def test_document_type_declaration_is_refused_before_any_entity_expands():
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY a "aaaaaaaaaa">\n'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n]>\n<rss>&b;</rss>'
    )
    with pytest.raises(WxrParseError, match="document type declaration") as refused:
        records(bomb)
    assert refused.value.line == 2


def test_item_with_a_post_id_that_is_no_number_is_refused_naming_the_field():
    text = export(item(1)).replace(
        "<wp:post_id>1</wp:post_id>", "<wp:post_id>x</wp:post_id>"
    )
    with pytest.raises(WxrParseError, match="<wp:post_id> is 'x'") as refused:
        records(text)
    assert refused.value.line == line_of(text, "<item>")


def test_attachments_sticky_markers_and_ids_for_old_links_are_read():
    from tests.migration.wxr import attachment, upload_url

    _site, ada, letterpress, *items = records(
        export(
            author("ada", "Ada Compositor"),
            category("letterpress", "Letterpress"),
            item(21, sticky=True),
            attachment(31, "2019/04/press.jpg", parent=21, alt="A press"),
        )
    )
    assert (ada.author_id, ada.email) == ("1", "ada@example.org")
    assert letterpress.term_id == "1"
    post, upload = items
    assert post.is_sticky is True
    assert upload.attachment_url == upload_url("2019/04/press.jpg")
    assert upload.meta_value("_wp_attached_file") == "2019/04/press.jpg"
    assert (upload.post_type, upload.parent_id) == ("attachment", 21)
