"""The newsroom end to end in Chromium: an author writes a noted, cited article on
the real edit page, schedules it a few seconds ahead, and the cached home page and
feed show it once its time has passed, with nobody touching the site."""

from __future__ import annotations

import datetime
import time

import pytest
from playwright.sync_api import expect

from tests.browser.pages import TOOLING
from tests.system import serving
from tests.system.serving import REPO_ROOT

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

BUNDLE = REPO_ROOT / "broadsheet" / "editorial" / "static" / "editorial" / "editor.js"
TITLE = "Proofs Read by Candlelight"
LEAD = 10  # seconds between scheduling and publication: the page work fits in it


def cached(site, path: str) -> serving.Response:
    """Fetch `path` until the page cache answers it, as a reader's repeat visit."""
    for _ in range(5):
        response = site.fetch(path)
        if response.headers.get("X-Broadsheet-Cache") == "hit":
            return response
    raise AssertionError(f"{path} never came from the page cache")


def test_an_author_writes_schedules_and_readers_see_it_at_its_time(site, browser):
    if not BUNDLE.exists():
        pytest.skip(f"{BUNDLE.name} not built (make builds it when npm is installed)")
    made = serving.broadsheet(
        site.env, "adduser", "wren", "--role", "author",
        "--author", "wren-ashdown", "--name", "Wren Ashdown",
    )  # fmt: skip
    assert made.returncode == 0, made.stdout + made.stderr
    password = made.stdout.split("password: ")[1].split()[0]

    page = browser.new_page(viewport={"width": 1600, "height": 1000}, **TOOLING)
    page.goto(site.url("/newsroom/login/?next=/newsroom/articles/new/"))
    page.get_by_label("User name").fill("wren")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/newsroom/articles/new/")

    page.get_by_label("Title", exact=True).fill(TITLE)
    page.locator(".editor.is-enhanced .cm-editor").wait_for()
    page.locator(".cm-content").click()
    page.keyboard.type("Compositors read proofs by candlelight.")
    page.get_by_role("button", name="Note").click()
    page.keyboard.type("Tallow, not wax, in most shops.")
    page.keyboard.press("Control+Home")
    page.keyboard.press("End")
    page.keyboard.type(" Daylight was dearer.")
    page.get_by_role("button", name="Note").click()
    page.keyboard.type("Windows were taxed.")
    page.keyboard.press("Control+Home")
    page.keyboard.press("End")
    page.keyboard.type(" So Marlow tells it ")
    page.get_by_role("button", name="Cite").click()
    search = page.get_by_role("combobox", name="Find a work by author, title")
    search.fill("marlow 1998")
    works = page.get_by_role("listbox", name="Works").get_by_role("option")
    expect(works).to_have_count(1)
    search.press("Enter")
    page.keyboard.type(".")

    # The preview follows the text through the real pipeline, nothing saved.
    preview = page.locator("#editor-preview")
    page.wait_for_function(
        "document.querySelectorAll('#editor-preview sup.note-ref a').length === 3"
    )
    expect(preview.locator(".notes-list > li").nth(2)).to_contain_text(
        "The Long Press"
    )  # the demo site cites in Chicago notes style: the citation is note 3
    assert page.url.endswith("/newsroom/articles/new/")

    # A dangling note is a problem on its line until it is fixed.
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("A loose end.[^9]")
    problem = page.locator("#editor-problems li button")
    expect(problem).to_have_text(["Line 7: note reference [^9] has no definition"])
    expect(page.locator(".cm-gutter-lint .cm-lint-marker-error")).to_have_count(1)
    for _ in range(len("A loose end.[^9]")):
        page.keyboard.press("Backspace")
    expect(page.locator("#editor-problems li")).to_have_count(0)

    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/newsroom/articles/*/")
    expect(page.locator(".messages")).to_contain_text("Draft saved.")

    due = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=LEAD)
    page.locator("#id_publish_at").fill(due.strftime("%Y-%m-%dT%H:%M:%S"))
    page.get_by_role("button", name="Save and publish (or schedule)").click()
    expect(page.locator(".edit-state")).to_contain_text("Scheduled")
    page.close()

    # Readers' cached pages do not show it yet...
    assert TITLE not in cached(site, "/").text
    assert TITLE not in cached(site, "/feed/").text
    # ...and nobody touches the site until a few seconds after its time.
    time.sleep(max(0.0, (due - datetime.datetime.now(datetime.UTC)).total_seconds()))
    time.sleep(4)
    assert TITLE in site.fetch("/").text
    feed = site.fetch("/feed/").text
    assert TITLE in feed and "Tallow, not wax" in feed  # the full text, notes too


def test_the_image_button_inserts_a_library_image_that_the_preview_shows(site, browser):
    if not BUNDLE.exists():
        pytest.skip(f"{BUNDLE.name} not built (make builds it when npm is installed)")
    site.shell(
        "import io\n"
        "from PIL import Image\n"
        "from django.contrib.auth import get_user_model\n"
        "from django.core.files.uploadedfile import SimpleUploadedFile\n"
        "from broadsheet.editorial.roles import Role, assign\n"
        "from broadsheet.media.services import store_upload\n"
        "buffer = io.BytesIO()\n"
        "Image.linear_gradient('L').resize((1200, 800)).save(buffer, 'PNG')\n"
        "store_upload(SimpleUploadedFile('stick.png', buffer.getvalue()),"
        " alt='A composing stick half full of type', credit='Shop photograph',"
        " user=None)\n"
        "user = get_user_model().objects.create_user('picker', password='a long"
        " passphrase for pictures')\n"
        "assign(user, Role.AUTHOR)\n"
    )
    page = browser.new_page(viewport={"width": 1600, "height": 1000}, **TOOLING)
    page.goto(site.url("/newsroom/login/?next=/newsroom/articles/new/"))
    page.get_by_label("User name").fill("picker")
    page.get_by_label("Password").fill("a long passphrase for pictures")
    page.get_by_role("button", name="Log in").click()
    page.locator(".editor.is-enhanced .cm-editor").wait_for()
    page.locator(".cm-content").click()
    page.get_by_role("button", name="Image").click()
    search = page.get_by_role("combobox", name="Find an image")
    search.fill("composing stick")
    options = page.get_by_role("listbox", name="Images").get_by_role("option")
    expect(options).to_have_count(1)
    expect(options.first).to_contain_text("Shop photograph")
    search.press("Enter")
    source = page.evaluate(
        "document.querySelector('.editor').editorView.state.doc.toString()"
    )
    assert source.startswith("![") and "](media:" in source
    figure = page.locator("#editor-preview figure img[srcset]")
    expect(figure).to_have_count(1)
    expect(page.locator("#editor-preview figcaption")).to_contain_text(
        "Shop photograph"
    )
    page.close()
