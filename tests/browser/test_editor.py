"""The writing editor in Chromium: notes, the citation picker, the live preview and
its problems, on the newsroom's scratch pad (the edit page's own editor partial)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.pages import TOOLING
from tests.system.serving import REPO_ROOT

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SANDBOX = "/newsroom/api/sandbox/"
BUNDLE = REPO_ROOT / "broadsheet" / "editorial" / "static" / "editorial" / "editor.js"
USERNAME = "editor-test-writer"
PASSWORD = "a long passphrase for the editor test"
WORK_KEY = "hartley1910"


@pytest.fixture(scope="module")
def writer(site) -> None:
    """An author's account and a work to cite, on the served demo site."""
    if not BUNDLE.exists():
        pytest.skip(f"{BUNDLE.name} not built (make builds it when npm is installed)")
    site.shell(
        "from django.contrib.auth import get_user_model\n"
        "from broadsheet.editorial.roles import Role, assign\n"
        "from broadsheet.sources.models import Work\n"
        f"user = get_user_model().objects.create_user({USERNAME!r}, "
        f"password={PASSWORD!r})\n"
        "assign(user, Role.AUTHOR)\n"
        f"Work.objects.create(key={WORK_KEY!r}, csl={{'type': 'book', "
        "'title': 'Bread Ovens of the Northern Towns', "
        "'author': [{'family': 'Hartley', 'given': 'Ann'}], "
        "'publisher': 'Mill Press', 'issued': {'date-parts': [[1910]]}})\n"
    )


def _log_in(site, page) -> None:
    page.goto(site.url(f"/newsroom/login/?next={SANDBOX}"))
    page.get_by_label("User name").fill(USERNAME)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**{SANDBOX}")


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, **TOOLING)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def editor_page(site, context, writer):
    """The scratch pad in a fresh login (so a fresh scratch pad), the editor ready."""
    page = context.new_page()
    page.clock.install()  # autosave waits 10 s: the tests move the clock on
    _log_in(site, page)
    page.locator(".editor.is-enhanced .cm-editor").wait_for()
    return page


def _source(page) -> str:
    return page.evaluate(
        "document.querySelector('.editor').editorView.state.doc.toString()"
    )


def _clear(page) -> None:
    page.locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")


def _end_of_first_line(page) -> None:
    page.keyboard.press("Control+Home")
    # End stops at each point where the wrapped line breaks, then at its end.
    for _ in range(4):
        page.keyboard.press("End")


def _cursor_line(page) -> int:
    return page.evaluate(
        "() => { const v = document.querySelector('.editor').editorView;"
        " return v.state.doc.lineAt(v.state.selection.main.head).number; }"
    )


def test_writing_with_notes_and_a_picked_citation_updates_the_preview_and_problems(
    editor_page,
):
    page = editor_page
    _clear(page)
    page.keyboard.type("Bread was baked in brick ovens.")
    page.keyboard.press("Control+Shift+N")
    page.keyboard.type("Ovens were heated with wood.")
    _end_of_first_line(page)
    page.keyboard.type(" The fire was raked out first.")
    page.get_by_role("button", name="Note").click()
    page.keyboard.type("Then the floor was swept.")
    _end_of_first_line(page)
    page.keyboard.type(" So Hartley reports ")
    page.get_by_role("button", name="Cite").click()
    search = page.get_by_role("combobox", name="Find a work by author, title")
    search.fill("hartley 1910")
    options = page.get_by_role("option")
    expect(options).to_have_count(1)  # the empty box listed every work first
    expect(options.first).to_have_accessible_name(
        re.compile(r"^Hartley, 1910, Bread Ovens of the Northern Towns")
    )
    expect(options.first).to_have_attribute("aria-selected", "true")
    search.press("Enter")
    page.keyboard.type(".")

    source = _source(page)
    assert source == (
        "Bread was baked in brick ovens.[^1] The fire was raked out first.[^2]"
        f" So Hartley reports [@{WORK_KEY}].\n\n"
        "[^1]: Ovens were heated with wood.\n\n"
        "[^2]: Then the floor was swept."
    )
    preview = page.locator("#editor-preview")
    refs = preview.locator("sup.note-ref a")
    page.wait_for_function(
        "document.querySelectorAll('#editor-preview sup.note-ref a').length === 3"
    )
    assert refs.all_inner_texts()[:3] == ["1", "2", "3"]
    notes = preview.locator(".notes-list > li")
    assert notes.nth(0).inner_text().startswith("Ovens were heated with wood.")
    # The demo site cites in Chicago notes style: the citation is note 3.
    assert notes.nth(2).locator(".citation").inner_text() == (
        "Ann Hartley, Bread Ovens of the Northern Towns (Mill Press, 1910)."
    )
    assert notes.nth(2).locator(".citation em").inner_text() == (
        "Bread Ovens of the Northern Towns"
    )
    # Sidenotes beside the text, as on the article page at this width.
    sidenote = (
        page.locator("#editor-preview")
        .locator("xpath=..")
        .locator(".sidenotes .sidenote")
    )
    assert sidenote.count() == 3
    assert sidenote.first.is_visible()
    assert sidenote.first.inner_text().startswith("1")
    assert page.locator("#editor-stats").inner_text() == (
        "15 words \u00b7 3 notes \u00b7 1 min read"
    )
    # Nothing saved: the text waits in the form's text box, the form is dirty.
    assert page.url.endswith(SANDBOX)
    assert page.locator("textarea#id_body").input_value() == source
    assert page.evaluate("document.querySelector('form.editor-form').dataset.dirty")

    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("A loose end.[^9]")
    problem = page.locator("#editor-problems li button")
    problem.first.wait_for()
    assert problem.all_inner_texts() == [
        "Line 7: note reference [^9] has no definition"
    ]
    marker = page.locator(".cm-gutter-lint .cm-lint-marker-error")
    expect(marker).to_have_count(1)
    gutter_line = page.locator(".cm-lineNumbers .cm-gutterElement", has_text="7")
    assert abs(marker.bounding_box()["y"] - gutter_line.bounding_box()["y"]) < 4

    page.keyboard.press("Control+Home")
    assert _cursor_line(page) == 1
    problem.first.click()
    assert _cursor_line(page) == 7
    assert page.evaluate("document.activeElement.classList.contains('cm-content')")

    page.keyboard.press("End")
    for _ in range(4):
        page.keyboard.press("Backspace")
    page.wait_for_function(
        "document.querySelectorAll('#editor-problems li').length === 0"
    )
    assert page.locator(".editor-no-problems").is_visible()
    expect(page.locator(".cm-lint-marker-error")).to_have_count(0)


def test_the_editor_keeps_the_text_box_s_label_help_and_spelling_check(editor_page):
    text = editor_page.get_by_role("textbox", name="Text")

    assert text.evaluate("el => el.classList.contains('cm-content')")
    assert text.get_attribute("spellcheck") == "true"
    assert text.get_attribute("aria-describedby") == "id_body_helptext"


def test_the_citation_picker_closes_on_escape_and_returns_to_the_text(editor_page):
    page = editor_page
    page.locator(".cm-content").click()
    page.keyboard.press("Control+Shift+C")
    search = page.get_by_role("combobox", name="Find a work by author, title")
    assert search.is_visible()
    search.fill("no such work anywhere")
    page.locator(".editor-cite-empty", has_text="No work matches.").wait_for()
    search.press("Escape")
    assert not search.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('cm-content')")


def test_a_late_answer_for_older_text_never_replaces_a_newer_preview(editor_page):
    page = editor_page
    held = []

    def hold_the_first_answer(route):
        data = route.request.post_data or ""
        if "Kneaded" in data and "Proved" not in data and not held:
            held.append(route)  # answered below, after the newer text's
        else:
            route.continue_()

    page.route("**/newsroom/api/preview/", hold_the_first_answer)
    _clear(page)
    page.keyboard.type("Kneaded.")
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "no preview was asked for the first text"
    page.keyboard.type(" Proved.")
    preview = page.locator("#editor-preview")
    expect(preview).to_contain_text("Kneaded. Proved.")

    late = held[0]
    with page.expect_event("requestfinished", lambda r: r == late.request):
        late.fulfill(response=late.fetch())
    page.wait_for_timeout(200)  # the script has had its turn with the answer
    expect(preview).to_contain_text("Kneaded. Proved.")


def test_shortcuts_and_buttons_write_markdown_emphasis_links_and_headings(
    editor_page,
):
    page = editor_page
    _clear(page)
    page.keyboard.type("rye")
    page.keyboard.press("Shift+Home")
    page.keyboard.press("Control+B")
    assert _source(page) == "**rye**"
    page.keyboard.press("Control+I")  # the word is still selected
    assert _source(page) == "***rye***"
    page.keyboard.press("End")
    page.keyboard.type(" from ")
    page.keyboard.press("Control+K")
    page.keyboard.type("millers")  # over the selected "text"
    assert _source(page) == "***rye*** from [millers](url)"
    page.get_by_role("button", name="Heading").click()
    assert _source(page) == "## ***rye*** from [millers](url)"


def test_autosave_keeps_the_text_and_a_stale_tab_is_told_of_the_conflict(
    site, context, editor_page
):
    first = editor_page
    first.locator(".cm-content").click()
    first.keyboard.press("Control+End")
    first.keyboard.type("One.")
    assert first.evaluate("document.querySelector('form.editor-form').dataset.dirty")
    first.clock.fast_forward(11_000)
    expect(first.locator(".editor-status")).to_have_text(
        re.compile(r"^Saved at \d\d:\d\d$")
    )
    assert first.locator("input[name=version]").input_value() == "1"
    assert (
        first.evaluate("document.querySelector('form.editor-form').dataset.dirty")
        is None
    )

    second = context.new_page()  # the same login in another tab
    second.clock.install()
    second.goto(site.url(SANDBOX))
    second.locator(".editor.is-enhanced .cm-editor").wait_for()
    assert _source(second).endswith("One.")
    second.locator(".cm-content").click()
    second.keyboard.press("Control+End")
    second.keyboard.type(" Two.")
    second.clock.fast_forward(11_000)
    expect(second.locator(".editor-status")).to_have_text(re.compile("^Saved at"))
    assert second.locator("input[name=version]").input_value() == "2"

    autosaves = []
    first.on(
        "request",
        lambda request: (
            autosaves.append(request) if "autosave" in request.url else None
        ),
    )
    first.keyboard.type(" Three.")
    first.clock.fast_forward(11_000)
    conflict = first.get_by_role("alert")
    expect(conflict).to_contain_text("saved in another tab or window (version 2)")
    expect(first.locator(".editor-status")).to_have_text("Autosave stopped.")
    first.keyboard.type(" Four.")
    first.clock.fast_forward(11_000)
    first.wait_for_timeout(300)
    assert len(autosaves) == 1  # the refused one: autosave stopped after it
    assert _source(first).endswith("One. Three. Four.")  # the text stays as typed

    second.reload()
    assert second.locator("textarea#id_body").input_value().endswith("One. Two.")


def test_an_autosave_the_form_refuses_says_why_and_tries_again_later(editor_page):
    page = editor_page
    page.locator("input[name=version]").evaluate("el => { el.value = 'seven'; }")
    page.locator(".cm-content").click()
    page.keyboard.type("Flour.")
    page.clock.fast_forward(11_000)
    expect(page.locator(".editor-status")).to_have_text(
        "Not saved: version: Enter a whole number. Trying again after the next change."
    )
    page.locator("input[name=version]").evaluate("el => { el.value = '0'; }")
    page.keyboard.type(" Salt.")
    page.clock.fast_forward(11_000)
    expect(page.locator(".editor-status")).to_have_text(re.compile("^Saved at"))


def test_leaving_with_unsaved_changes_asks_first(editor_page):
    page = editor_page
    page.locator(".cm-content").click()
    page.keyboard.type("Unsaved words.")
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", answer)
    page.close(run_before_unload=True)
    page.wait_for_event("close")
    assert dialogs == ["beforeunload"]


def test_without_javascript_the_editor_is_a_labelled_text_box(site, browser, writer):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        _log_in(site, page)
        box = page.get_by_label("Text", exact=True)
        assert box.evaluate("el => el.tagName") == "TEXTAREA"
        assert box.is_visible()
        assert not page.get_by_role("toolbar").is_visible()
        assert not page.locator(".editor-side").is_visible()
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_editor_with_its_preview_and_picker_has_no_accessibility_violations(
    site, browser, writer, axe_path, scheme
):
    context = browser.new_context(
        viewport={"width": 1600, "height": 1000}, color_scheme=scheme, **TOOLING
    )
    try:
        page = context.new_page()
        _log_in(site, page)
        page.locator(".editor.is-enhanced .cm-editor").wait_for()
        page.locator(".cm-content").click()
        page.keyboard.press("Control+End")
        page.keyboard.type(" A loose end.[^9] **Strong** and *soft*, [a link](/x).")
        page.locator("#editor-problems li").first.wait_for()
        page.get_by_role("button", name="Cite").click()
        page.get_by_role("option").first.wait_for()
        page.add_script_tag(path=str(axe_path))
        results = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
            ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
        )
    finally:
        context.close()
    violations = [
        f"{violation['id']}: {node['target']} {node.get('failureSummary', '')}"
        for violation in results["violations"]
        for node in violation["nodes"]
    ]
    assert violations == []


def test_an_empty_required_text_is_refused_by_the_editor_not_silently(
    site, context, writer
):
    """The edit page's body is required; the hidden text box must not block the
    form without a word (a browser cannot point at a hidden control)."""
    page = context.new_page()

    def required_body(route):
        if route.request.method != "GET":
            route.continue_()
            return
        response = route.fetch()
        html = response.text().replace(
            '<textarea name="body"', '<textarea required name="body"'
        )
        route.fulfill(response=response, body=html)

    _log_in(site, page)
    # A route sees no redirect's target: open the page again, through it.
    page.route(lambda url: url.endswith(SANDBOX), required_body)
    page.goto(site.url(SANDBOX))
    page.locator(".editor.is-enhanced .cm-editor").wait_for()
    assert (
        page.locator("textarea#id_body[hidden]").evaluate("el => el.required") is False
    )
    assert page.locator("textarea#id_body").get_attribute("required") is None
    _clear(page)
    page.get_by_role("button", name="Keep").click()
    expect(page.locator(".editor-status")).to_have_text(
        "Write some text before saving."
    )
    assert page.evaluate("document.activeElement.classList.contains('cm-content')")
    page.keyboard.type("Now there is text.")
    with page.expect_navigation():
        page.get_by_role("button", name="Keep").click()
    expect(page.get_by_role("status").first).to_have_text("Kept.")
