"""`broadsheet import markdown` on Hugo and Jekyll folders, through the CLI."""

import datetime

import pytest
from click.testing import CliRunner

from broadsheet.cli import cli
from broadsheet.content.models import Article, Page
from broadsheet.publishing.models import Redirect
from broadsheet.sources.models import Work

# Also run against PostgreSQL by `make test` (the postgres selection).
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

BIB = """@book{fielding1998,
  author = {Fielding, Ada},
  title = {The Kitchen Garden},
  publisher = {Hedgerow Press},
  year = {1998},
}
"""

HUGO = {
    "hugo.toml": 'baseURL = "https://garden.example.org/"\n',
    "content/_index.md": "---\ntitle: Home\n---\n",
    "content/posts/_index.md": "---\ntitle: Posts\n---\n",
    "content/posts/compost.md": """+++
title = "Turning the compost heap"
subtitle = "Air, water and patience"
date = 2023-04-01T09:00:00Z
tags = ["compost", "soil"]
categories = ["Gardening"]
author = "Ada Fielding"
aliases = ["/2023/04/compost/", "heap"]
bibliography = "../../refs.bib"
description = "How often to turn a heap."
+++

Turn the heap every two weeks.[^1] {{< figure src="heap.jpg" >}}
A well-kept heap stays warm [@fielding1998, p. 12].

[^1]: More often in summer.
""",
    "content/posts/beans/index.md": """---
title: Sowing beans
date: 2023-05-02
draft: true
authors: [Ada Fielding, {name: Ben Marsh}]
---
Beans go in after the last frost.
""",
    "content/about/_index.md": "---\ntitle: About the garden\n---\nA small plot.\n",
    "content/ferns.md": '{\n  "title": "Ferns in shade",\n  "draft": true\n}\n'
    "\nDamp corners.\n",
    "refs.bib": BIB,
}

JEKYLL = {
    "_config.yml": "title: The Bindery\n",
    "_data/authors.yml": "cvoss:\n  name: Clara Voss\n  bio: Binds books.\n",
    "_posts/2022-11-05-sewing-signatures.md": """---
title: Sewing signatures
tags: binding thread
category: techniques
author: Clara Voss
redirect_from: /sewing/
bibliography: /refs.ris
---
Sew each signature to the tapes [@voss2010].

{% include aside.html %}

{% highlight text %}
kettle stitch
{% endhighlight %}
""",
    "_posts/2022-12-01-paring-leather.md": """---
title: Paring leather
published: false
author: cvoss
---
Pare the turn-ins thin.
""",
    "_drafts/glue.md": "---\ntitle: Wheat paste\n---\nCook the paste slowly.\n",
    "about.md": "---\ntitle: About the bindery\npermalink: /about.html\n---\n"
    "We bind books by hand.\n",
    "refs.ris": "TY  - BOOK\nID  - voss2010\nAU  - Voss, Clara\nTI  - Tapes\nER  - \n",
    "README.md": "Notes for whoever builds the site.\n",
    "_layouts/post.md": "---\n---\n{{ content }}\n",
}


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_a_hugo_site_imports_posts_pages_terms_redirects_and_works(folder, client):
    root = folder(HUGO)
    result = invoke("import", "markdown", str(root))
    assert result.exit_code == 0, result.output
    assert "Importing" in result.stderr
    compost = Article.objects.get(slug="compost")
    assert compost.title == "Turning the compost heap"
    assert compost.subtitle == "Air, water and patience"
    assert compost.excerpt == "How often to turn a heap."
    assert compost.status == Article.Status.PUBLISHED
    assert compost.published_at == datetime.datetime(2023, 4, 1, 9, tzinfo=datetime.UTC)
    assert [a.name for a in compost.ordered_authors] == ["Ada Fielding"]
    assert sorted(compost.tags.values_list("name", flat=True)) == ["compost", "soil"]
    assert list(compost.categories.values_list("name", flat=True)) == ["Gardening"]
    assert "More often in summer." in compost.notes_html
    assert "{{" not in compost.body and "figure" not in compost.body_html
    assert Work.objects.filter(key="fielding1998").exists()
    assert compost.citations.filter(work__key="fielding1998").exists()
    assert "Kitchen Garden" in compost.bibliography_html
    beans = Article.objects.get(slug="beans")  # a page bundle, named by its folder
    assert beans.status == Article.Status.DRAFT
    assert [a.name for a in beans.ordered_authors] == ["Ada Fielding", "Ben Marsh"]
    about = Page.objects.get(slug="about")
    assert about.title == "About the garden" and about.is_published
    ferns = Page.objects.get(slug="ferns")  # JSON front matter
    assert (ferns.title, ferns.is_published) == ("Ferns in shade", False)
    assert not Page.objects.filter(title__in=["Home", "Posts"]).exists()
    assert set(Redirect.objects.values_list("old_path", flat=True)) == {
        "/2023/04/compost/",
        "/posts/heap",
        "/posts/compost/",  # where Hugo served it (the site's hugo.toml is there)
        "/posts/beans/",
    }
    assert (
        'content/posts/compost.md, line 13: {{< figure src="heap.jpg" >}}'
        in result.stdout
    )
    response = client.get("/2023/04/compost/")
    assert (response.status_code, response["Location"]) == (301, "/articles/compost/")


def test_a_jekyll_site_takes_dates_and_slugs_from_post_file_names(folder):
    result = invoke("import", "markdown", str(folder(JEKYLL)))
    assert result.exit_code == 0, result.output
    sewing = Article.objects.get(slug="sewing-signatures")
    paring = Article.objects.get(slug="paring-leather")
    assert sewing.published_at.date() == datetime.date(2022, 11, 5)
    assert sorted(sewing.tags.values_list("name", flat=True)) == ["binding", "thread"]
    assert list(sewing.categories.values_list("name", flat=True)) == ["techniques"]
    assert "<pre><code" in sewing.body_html and "kettle stitch" in sewing.body_html
    assert "{%" not in sewing.body
    assert sewing.citations.filter(work__key="voss2010").exists()
    assert paring.status == Article.Status.DRAFT
    assert paring.ordered_authors == sewing.ordered_authors  # cvoss is Clara Voss
    assert Article.objects.get(slug="glue").status == Article.Status.DRAFT
    about = Page.objects.get(slug="about")
    assert about.title == "About the bindery"
    assert Redirect.objects.filter(old_path="/about.html", page=about).exists()
    assert not Page.objects.filter(slug="readme").exists()
    assert not Article.objects.filter(slug__in=["readme", "post"]).exists()
    assert set(
        Redirect.objects.filter(article=sewing).values_list("old_path", flat=True)
    ) == {
        "/sewing/",
        "/techniques/2022/11/05/sewing-signatures.html",  # Jekyll's default permalink
    }
    assert Redirect.objects.filter(
        old_path="/2022/12/01/paring-leather.html", article=paring
    ).exists()
    assert (
        "_posts/2022-11-05-sewing-signatures.md, line 11: {% include aside.html %}"
        in result.stdout
    )
    assert "README.md: not imported, no front matter" in result.stdout


def test_running_the_same_folder_again_updates_instead_of_doubling(folder):
    root = folder(HUGO)
    invoke("import", "markdown", str(root))
    (root / "content/posts/beans/index.md").write_text(
        "---\ntitle: Sowing broad beans\ndate: 2023-05-02\nauthor: Ada Fielding\n---\n"
        "Broad beans can go in during autumn.\n"
    )
    result = invoke("import", "markdown", str(root))
    assert result.exit_code == 0
    assert "articles updated: 2" in result.stdout
    assert Article.objects.count() == 2 and Page.objects.count() == 2
    beans = Article.objects.get(slug="beans")
    assert beans.title == "Sowing broad beans"
    assert beans.status == Article.Status.PUBLISHED
    assert Redirect.objects.count() == 4 and Work.objects.count() == 1


def test_an_article_edited_in_broadsheet_is_kept_on_a_rerun(folder):
    root = folder(HUGO)
    invoke("import", "markdown", str(root))
    Article.objects.filter(slug="compost").update(title="Edited here")
    result = invoke("import", "markdown", str(root))
    assert "content/posts/compost.md: changed in Broadsheet since" in result.stdout
    assert Article.objects.get(slug="compost").title == "Edited here"


def test_a_dry_run_reports_everything_and_saves_nothing(folder):
    result = invoke("import", "markdown", "--dry-run", str(folder(HUGO)))
    assert result.exit_code == 0
    assert result.stdout.startswith("Dry run (nothing was saved) from")
    assert "  articles created: 2" in result.stdout
    assert Article.objects.count() == Page.objects.count() == Work.objects.count() == 0
    assert Redirect.objects.count() == 0


def test_a_published_post_without_an_author_comes_in_as_a_draft(folder):
    root = folder(
        {"posts/lonely.md": "---\ntitle: Pruning roses\n---\nCut above a bud.\n"}
    )
    result = invoke("import", "markdown", str(root))
    assert Article.objects.get(slug="lonely").status == Article.Status.DRAFT
    assert "posts/lonely.md: the byline is empty" in result.stdout


def test_note_problems_are_reported_at_the_files_line(folder):
    root = folder(
        {
            "posts/hedge.md": "---\ntitle: Hedges\nauthor: Ben Marsh\n"
            "featured_image: /img/hedge.jpg\n---\n<!--more-->\n"
            "Thorn grows fast.[^gone]\n"
        }
    )
    result = invoke("import", "markdown", str(root))
    assert Article.objects.get(slug="hedge").status == Article.Status.DRAFT
    assert "posts/hedge.md: line 7: " in result.stdout
    assert "featured image '/img/hedge.jpg' is a file" in result.stdout
