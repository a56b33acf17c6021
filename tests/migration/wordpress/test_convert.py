"""WordPress HTML, block markup and shortcodes become Broadsheet Markdown."""

import json
import time

import pytest

from broadsheet.migration.wordpress.convert import (
    autop,
    convert_post,
    escape_markdown,
    plain_text,
)
from broadsheet.rendering import render
from broadsheet.sources.styles import style_path
from tests.migration.wxr import core_note_anchor


def markdown(content: str, **kwargs) -> str:
    return convert_post(content, **kwargs).markdown


def block(name: str, html: str, attrs: str = "") -> str:
    return f"<!-- wp:{name}{attrs} -->\n{html}\n<!-- /wp:{name} -->\n\n"


CONSTRUCTS = [
    (
        block("heading", '<h2 class="wp-block-heading">Setting the forme</h2>'),
        "## Setting the forme\n",
    ),
    (
        block(
            "paragraph",
            "<p>Lock the type with <em>quoins</em> and <strong>check</strong> it"
            ' with a <a href="https://example.org/planer">planer</a>.</p>',
        ),
        "Lock the type with *quoins* and **check** it with a"
        " [planer](https://example.org/planer).\n",
    ),
    (
        block(
            "list",
            "<ul><li>Galley</li><li>Composing stick<ul><li>steel</li><li>brass</li>"
            "</ul></li><li>Bodkin</li></ul>",
        ),
        "- Galley\n- Composing stick\n  - steel\n  - brass\n- Bodkin\n",
    ),
    (
        block("list", "<ol><li>Ink the rollers</li><li>Pull a proof</li></ol>"),
        "1. Ink the rollers\n2. Pull a proof\n",
    ),
    (
        block(
            "quote",
            '<blockquote class="wp-block-quote"><p>Type is a beautiful group of'
            " letters.</p><cite>A compositor</cite></blockquote>",
        ),
        "> Type is a beautiful group of letters.\n>\n> <cite>A compositor</cite>\n",
    ),
    (
        block(
            "pullquote",
            '<figure class="wp-block-pullquote"><blockquote><p>Measure twice.</p>'
            "</blockquote></figure>",
        ),
        "> Measure twice.\n",
    ),
    (
        block(
            "table",
            '<figure class="wp-block-table"><table><thead><tr><th>Size</th>'
            "<th>Name</th></tr></thead><tbody><tr><td>6 pt</td><td>Nonpareil</td>"
            "</tr><tr><td>12 pt</td><td>Pica | Cicero</td></tr></tbody></table>"
            "<figcaption>Old type sizes</figcaption></figure>",
        ),
        "| Size | Name |\n| --- | --- |\n| 6 pt | Nonpareil |\n"
        "| 12 pt | Pica \\| Cicero |\n\nOld type sizes\n",
    ),
    (
        block(
            "code",
            '<pre class="wp-block-code"><code class="language-python">'
            "def proof(forme):\n    return forme.ink() &lt;= 3</code></pre>",
        ),
        "```python\ndef proof(forme):\n    return forme.ink() <= 3\n```\n",
    ),
    (
        block("code", "<pre><code>A fence: ```\n</code></pre>"),
        "````\nA fence: ```\n````\n",
    ),
    (
        block(
            "image",
            '<figure class="wp-block-image"><img src="https://old.example.org/press.jpg"'
            ' alt="A platen press"/><figcaption class="wp-element-caption">A platen'
            " press, <em>circa</em> 1890</figcaption></figure>",
            ' {"id":12}',
        ),
        "<figure>\n\n![A platen press](https://old.example.org/press.jpg)\n\n"
        "<figcaption>\n\nA platen press, *circa* 1890\n\n</figcaption>\n</figure>\n",
    ),
    (
        block(
            "embed",
            '<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">\n'
            "https://video.example.org/watch?v=7\n</div><figcaption>Kneading"
            "</figcaption></figure>",
        ),
        "<https://video.example.org/watch?v=7>\n\nKneading\n",
    ),
    (block("separator", '<hr class="wp-block-separator"/>'), "---\n"),
    (
        block("paragraph", "<p>H<sub>2</sub>O boils; the 1<sup>st</sup> loaf.</p>"),
        "H<sub>2</sub>O boils; the 1<sup>st</sup> loaf.\n",
    ),
]


@pytest.mark.parametrize(
    ("content", "expected"),
    CONSTRUCTS,
    ids=[
        "heading",
        "paragraph",
        "nested-list",
        "ordered-list",
        "quote",
        "pullquote",
        "table",
        "code",
        "code-with-fence",
        "image-caption",
        "embed",
        "separator",
        "sub-sup",
    ],
)
def test_block_markup_becomes_markdown(content, expected):
    assert markdown(content) == expected


def test_converted_constructs_render_without_problems_and_keep_their_markup():
    document = render(markdown("".join(content for content, _ in CONSTRUCTS)))
    assert document.problems == ()
    for fragment in [
        '<h2 id="setting-the-forme">',
        "<cite>A compositor</cite>",
        "<td>Pica | Cicero</td>",
        '<code class="language-python">',
        '<img src="https://old.example.org/press.jpg" alt="A platen press">',
        "<figcaption>\n<p>A platen press, <em>circa</em> 1890</p>\n</figcaption>",
        '<a href="https://video.example.org/watch?v=7">',
    ]:
        assert fragment in document.html


def test_classic_editor_text_gets_paragraphs_and_line_breaks():
    content = (
        "Bread wants <strong>time</strong>.\nMore than skill.\n\n"
        "<h3>Method</h3>\n<pre>mix()\n\nbake()</pre>\nRest it."
    )
    assert markdown(content) == (
        "Bread wants **time**.\\\nMore than skill.\n\n### Method\n\n"
        "```\nmix()\n\nbake()\n```\n\nRest it.\n"
    )


def test_autop_leaves_block_lines_and_pre_alone():
    assert autop("a\nb\n\n<ul>\n<li>x</li>\n</ul>\n<pre>1\n\n2</pre>") == (
        "<p>a<br />\nb</p>\n\n<ul>\n<li>x</li>\n</ul>\n<pre>1\n\n2</pre>"
    )


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("5*3 = 15 and a_b_c", "5*3 = 15 and a_b_c"),
        ("use the <em> tag", "use the &lt;em&gt; tag"),
        ("&amp; is an entity", "&amp;amp; is an entity"),
        ("a [^x] literal and ^[inline]", "a [^x] literal and ^[inline]"),
        ("follow @printshop or [@key]", "follow @printshop or [@key]"),
        ("# not a heading", "# not a heading"),
        ("1984. A good year", "1984. A good year"),
        ("- not a list", "- not a list"),
        ("C:\\type\\faces and `code`", "C:\\type\\faces and `code`"),
        ("~~not struck~~", "~~not struck~~"),
    ],
    ids=[
        "emphasis",
        "tag",
        "entity",
        "notes",
        "citations",
        "heading",
        "ordered",
        "bullet",
        "backslash",
        "strike",
    ],
)
def test_text_is_escaped_to_show_as_written(text, shown):
    # With a bibliography, an unescaped @key would be a citation of an unknown work.
    document = render(escape_markdown(text), works={}, style=str(style_path("apa")))
    assert document.html == f"<p>{shown}</p>\n"
    assert document.problems == ()


def test_html_entities_are_decoded_and_non_latin_text_kept():
    content = (
        "<p>Caf&eacute; &amp; cr&egrave;me&nbsp;br&ucirc;l&eacute;e &#8212; "
        "Η τυπογραφία είναι τέχνη. 活版印刷は鉛の活字を組む技術です。</p>"
    )
    assert markdown(content) == (
        "Café & crème\xa0brûlée \u2014 Η τυπογραφία είναι τέχνη."
        " 活版印刷は鉛の活字を組む技術です。\n"
    )


def test_core_footnotes_become_numbered_notes_with_definitions():
    meta = json.dumps(
        [
            {"id": "a1", "content": "Lead, tin and <em>antimony</em>."},
            {
                "id": "b2",
                "content": 'See <a href="https://example.org/m">matrices</a>.',
            },
        ]
    )
    content = block(
        "paragraph",
        f"<p>Type metal{core_note_anchor('a1', 1)} fills the matrix"
        f"{core_note_anchor('b2', 2)}, as before{core_note_anchor('a1', 1)}.</p>",
    ) + block("footnotes", "")
    conversion = convert_post(content, footnotes=meta)
    assert conversion.markdown == (
        "Type metal[^1] fills the matrix[^2], as before[^1].\n\n"
        "[^1]: Lead, tin and *antimony*.\n\n"
        "[^2]: See [matrices](https://example.org/m).\n"
    )
    assert (conversion.notes, conversion.problems) == (2, [])


@pytest.mark.parametrize("name", ["ref", "efn_note", "footnote"])
def test_footnote_shortcodes_become_notes_in_reading_order_with_core_ones(name):
    meta = json.dumps([{"id": "c3", "content": "A core note."}])
    content = (
        f"<p>Knead[{name}]Ten <em>minutes</em>.[/{name}] then rest"
        f"{core_note_anchor('c3', 1)} and bake.[{name}]At 230 degrees.[/{name}]</p>"
    )
    conversion = convert_post(content, footnotes=meta)
    assert conversion.markdown == (
        "Knead[^1] then rest[^2] and bake.[^3]\n\n[^1]: Ten *minutes*.\n\n"
        "[^2]: A core note.\n\n[^3]: At 230 degrees.\n"
    )
    assert render(conversion.markdown).problems == ()


def test_note_with_several_paragraphs_is_indented_under_its_label():
    content = "<p>Proof[ref]<p>First point.</p><p>Second point.</p>[/ref].</p>"
    assert markdown(content) == (
        "Proof[^1].\n\n[^1]: First point.\n\n    Second point.\n"
    )
    assert len(render(markdown(content)).notes) == 1


def test_core_note_anchor_without_text_is_a_problem_at_its_line():
    content = block("paragraph", "<p>One.</p>") + block(
        "paragraph", f"<p>Two{core_note_anchor('gone', 1)}.</p>"
    )
    conversion = convert_post(content, footnotes="[]")
    assert conversion.markdown == "One.\n\nTwo.\n"
    assert [(p.line, p.message) for p in conversion.problems] == [
        (3, "note anchor 'gone' has no text in the footnotes meta")
    ]


def test_unreferenced_core_footnote_is_kept_and_rendering_reports_it():
    meta = json.dumps([{"id": "lost", "content": "Orphaned text."}])
    conversion = convert_post("<p>Body.</p>", footnotes=meta)
    assert conversion.markdown == "Body.\n\n[^1]: Orphaned text.\n"
    assert [p.code for p in render(conversion.markdown).problems] == ["unused-note"]


def test_footnotes_meta_that_is_not_json_is_a_problem():
    conversion = convert_post("<p>Body.</p>", footnotes="{not json")
    assert [p.message for p in conversion.problems] == [
        "the footnotes post meta is not a JSON list of {id, content}"
    ]


def test_unknown_shortcodes_are_removed_and_reported_with_their_lines():
    content = (
        block("paragraph", "<p>Support the bakery.</p>")
        + block("paragraph", '<p>Give [plugin id="4696" align="left"] today.</p>')
        + block("shortcode", '[contact-form-7 id="1" title="Contact"]')
        + block("paragraph", "<p>[highlight]Warm[/highlight] bread.</p>")
    )
    conversion = convert_post(content)
    assert conversion.markdown == (
        "Support the bakery.\n\nGive today.\n\nWarm bread.\n"
    )
    assert [(f.line, f.message) for f in conversion.removed] == [
        (3, '[plugin id="4696" align="left"]'),
        (5, '[contact-form-7 id="1" title="Contact"]'),
        (5, "[highlight]"),
    ]


def test_bracketed_words_are_kept_as_text_and_listed():
    conversion = convert_post(
        "<p>The recipe [sic] says so.</p><p>Bake [see above] [sic].</p>"
    )
    assert conversion.markdown == (
        "The recipe \\[sic] says so.\n\nBake \\[see above] \\[sic].\n"
    )
    assert [(f.line, f.message) for f in conversion.kept] == [
        (1, "[sic]"),
        (3, "[see above]"),
        (3, "[sic]"),
    ]
    assert conversion.removed == []


def test_caption_shortcodes_become_figures():
    content = (
        '[caption id="attachment_31" align="aligncenter" width="640"]'
        '<a href="https://old.example.org/loaf.jpg"><img src="https://old.example.org/'
        'loaf.jpg" alt="A round loaf" /></a> A loaf, <em>proved</em> overnight'
        "[/caption]\n\n"
        '[caption id="attachment_32" caption="Crumb &amp; crust"]<img src="https://'
        'old.example.org/crumb.jpg" alt="Crumb" />[/caption]'
    )
    assert markdown(content) == (
        "<figure>\n\n[![A round loaf](https://old.example.org/loaf.jpg)]"
        "(https://old.example.org/loaf.jpg)\n\n<figcaption>\n\nA loaf, *proved*"
        " overnight\n\n</figcaption>\n</figure>\n\n<figure>\n\n"
        "![Crumb](https://old.example.org/crumb.jpg)\n\n<figcaption>\n\n"
        "Crumb & crust\n\n</figcaption>\n</figure>\n"
    )


def test_embed_shortcode_becomes_a_link_and_escaped_shortcode_shows_as_text():
    content = (
        "[embed]https://video.example.org/watch?v=42[/embed]\n\n"
        'Write [[gallery ids="1"]] to show a gallery.'
    )
    assert markdown(content) == (
        "[https://video.example.org/watch?v=42](https://video.example.org/watch?v=42)"
        '\n\nWrite \\[gallery ids="1"] to show a gallery.\n'
    )


def test_embedded_frame_becomes_a_link_with_a_warning():
    conversion = convert_post('<iframe src="https://maps.example.org/bakery"></iframe>')
    assert conversion.markdown == "<https://maps.example.org/bakery>\n"
    assert conversion.warnings == [
        "an embedded frame became a link to https://maps.example.org/bakery"
    ]


def test_plain_text_decodes_entities_and_drops_tags():
    assert plain_text("Fish &amp; <em>chip</em>s\n &#8211; a recipe") == (
        "Fish & chips \u2013 a recipe"
    )
    assert plain_text("<p>Knead.</p><p>Rest.</p>") == "Knead. Rest."


@pytest.mark.parametrize(
    "href",
    ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "vbscript:x"],
)
def test_links_and_images_with_unsafe_schemes_are_dropped_keeping_the_text(href):
    conversion = convert_post(
        f'<p><a href="{href}">Rye</a> <img src="{href}" alt="Oat"/></p>'
    )
    assert conversion.markdown == "Rye Oat\n"
    assert len(conversion.warnings) == 2


@pytest.mark.parametrize(
    "href", ["/2019/04/rye/", "#method", "rye.html?x=1", "mailto:baker@example.org"]
)
def test_relative_and_mail_links_stay(href):
    assert markdown(f'<p><a href="{href}">Rye</a></p>') == f"[Rye]({href})\n"


def _conversion_cpu(content: str) -> float:
    started = time.process_time()
    convert_post(content)
    plain_text(content)  # as titles and excerpts are read
    return time.process_time() - started


@pytest.mark.parametrize(
    "unit",
    ["<a b='", "<!-- ", "<![CDATA[x ", "</a ", "<?x "],
    ids=["open-quote", "open-comment", "open-cdata", "open-end-tag", "open-pi"],
)
def test_markup_left_open_converts_in_linear_time(unit):
    # Python 3.11's html.parser rescans to the end at each "<" it cannot close:
    # 40,000 of "<a b='" took 97 s, 10,000 took 5 s (CVE-2025-6069).
    def content(repeats: int) -> str:
        return "<p>Proof read.</p>" + unit * repeats + " the last words"

    _conversion_cpu(content(100))  # warm
    small, large = _conversion_cpu(content(5_000)), _conversion_cpu(content(20_000))

    assert large / max(small, 1e-3) < 10  # about 4 when linear, 16 quadratic
    assert "Proof read." in markdown(content(20_000))


def test_a_self_closed_script_keeps_the_text_after_it():
    # As html.parser reads it ("/>" ends it); read as raw text, the rest of the
    # post vanished.
    content = '<p><svg><script href="x"/></svg> The ink dried evenly.</p>'

    assert "The ink dried evenly." in markdown(content)
