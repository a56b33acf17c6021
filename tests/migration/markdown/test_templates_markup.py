"""Hugo shortcodes and Liquid tags are taken out of Markdown and listed by line."""

from broadsheet.migration.templates_markup import Removed, strip_templates


def test_shortcodes_and_tags_are_removed_with_their_lines():
    result = strip_templates(
        'Seeds {{< figure src="a.jpg" >}} sprout.\n{% include aside.html %}\n'
        "{{< note >}}Water daily.{{< /note >}}\n{{ site.baseurl }}\n"
    )
    assert result.text == "Seeds  sprout.\n\nWater daily.\n\n"
    assert result.removed == [
        Removed(1, '{{< figure src="a.jpg" >}}'),
        Removed(2, "{% include aside.html %}"),
        Removed(3, "{{< note >}}"),
        Removed(3, "{{< /note >}}"),
        Removed(4, "{{ site.baseurl }}"),
    ]


def test_code_fences_are_left_as_written():
    text = "Before.\n\n```\n{{< keep >}} {% keep %}\n```\n\nAfter {{< gone >}}.\n"
    result = strip_templates(text)
    assert "{{< keep >}} {% keep %}" in result.text
    assert result.removed == [Removed(7, "{{< gone >}}")]


def test_highlight_becomes_a_fence_and_raw_keeps_its_text():
    result = strip_templates(
        "{% highlight python %}\nx = 1\n{% endhighlight %}\n"
        "{% raw %}{{ not a tag }}{% endraw %}\n{{</* shown */>}}\n"
    )
    assert result.text == "```python\nx = 1\n```\n{{ not a tag }}\n{{< shown >}}\n"
    assert result.removed == []


def test_an_unclosed_tag_is_removed_to_the_end_of_its_line():
    result = strip_templates("Mulch {{< broken\nnext line\n")
    assert result.text == "Mulch \nnext line\n"
    assert result.removed == [Removed(1, "unclosed {{< broken")]


def test_many_openers_without_closers_are_each_removed_once():
    result = strip_templates("{{ " * 20_000)
    assert result.text == ""
    assert len(result.removed) == 1
