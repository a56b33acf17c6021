"""Old addresses come from the site's own configuration, and only when it is there."""

from broadsheet.migration.markdown_files import read_folder

POST = (
    "---\ntitle: Potting on\ndate: 2021-03-09\nslug: potting-on\n"
    "categories: [Seedlings]\n---\nText.\n"
)


def addresses(root) -> dict[str, str]:
    return {record.path: record.old_path for record in read_folder(root).files}


def test_hugo_permalinks_per_section_are_followed(folder):
    root = folder(
        {
            "hugo.toml": '[permalinks]\nposts = "/:year/:month/:slug/"\n',
            "content/posts/potting.md": POST,
            "content/notes/frost.md": "---\ntitle: Frost\n---\nCold.\n",
        }
    )
    assert addresses(root) == {
        "content/posts/potting.md": "/2021/03/potting-on/",
        "content/notes/frost.md": "/notes/frost/",
    }


def test_jekyll_pretty_permalinks_and_pages(folder):
    root = folder(
        {
            "_config.yml": "permalink: pretty\n",
            "_posts/2021-03-09-potting.md": POST,
            "tools.md": "---\ntitle: Tools\n---\nA trowel.\n",
        }
    )
    assert addresses(root) == {
        "_posts/2021-03-09-potting.md": "/seedlings/2021/03/09/potting-on/",
        "tools.md": "/tools/",
    }


def test_a_folder_without_a_site_configuration_gets_no_guessed_addresses(folder):
    root = folder({"content/posts/potting.md": POST})
    assert addresses(root) == {"content/posts/potting.md": ""}
