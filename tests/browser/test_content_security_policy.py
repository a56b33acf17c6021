"""The strict Content-Security-Policy holds in Chromium (issue 16 part B): public
pages, cached or not, the newsroom's editor and the admin work under it with no
violation, the inline theme script runs by its hash, and an injected inline
script is refused."""

from __future__ import annotations

import pytest

from tests.browser.pages import ARTICLE

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

USERNAME = "csp-test-editor"
PASSWORD = "a long passphrase for the policy test"
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""
PUBLIC_PAGES = [ARTICLE, ARTICLE, "/", "/search/?q=type", "/sources/", "/archive/"]


@pytest.fixture(scope="module")
def editor(site) -> None:
    site.shell(
        "from django.contrib.auth import get_user_model\n"
        "from broadsheet.editorial.roles import Role, assign\n"
        f"user = get_user_model().objects.create_user({USERNAME!r}, "
        f"password={PASSWORD!r})\n"
        "assign(user, Role.ADMINISTRATOR)\n"
    )


@pytest.fixture
def page(browser):
    context = browser.new_context()
    context.add_init_script(WATCH_VIOLATIONS)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def violations(page) -> list[str]:
    return page.evaluate("window.__violations")


def test_public_pages_work_under_the_policy_with_no_violation(site, page):
    for path in PUBLIC_PAGES:  # the article twice: rendered, then from the cache
        response = page.goto(site.url(path))
        policy = response.headers["content-security-policy"]

        assert "'unsafe-inline'" not in policy and "script-src 'self'" in policy
        assert page.evaluate("document.documentElement.classList.contains('js')")
        assert violations(page) == [], path
    assert "permissions-policy" in response.headers


def test_an_injected_inline_script_is_refused(site, page):
    page.goto(site.url(ARTICLE))
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__ran = true'; document.body.append(s); }"
    )

    assert page.evaluate("window.__ran === undefined")
    assert any(v.startswith("script-src") for v in violations(page))


def test_the_newsroom_editor_and_the_admin_work_under_the_policy(site, page, editor):
    page.goto(site.url("/newsroom/login/?next=/newsroom/api/sandbox/"))
    page.get_by_label("User name").fill(USERNAME)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/newsroom/api/sandbox/")
    page.wait_for_selector(".cm-editor")  # the bundle ran and mounted CodeMirror
    page.keyboard.type("A line typed under the policy.")
    assert violations(page) == []

    page.goto(site.url("/admin/content/tag/add/"))
    page.locator("#id_name").press_sequentially("Letterpress")
    assert page.input_value("#id_slug") == "letterpress"  # the admin's own scripts
    assert violations(page) == []
