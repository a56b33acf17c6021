"""A writer in the newsroom of a served site, through its pages as a browser uses
them: the login form, the edit form with its CSRF token and version, its steps."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.parse
from dataclasses import dataclass

from bs4 import BeautifulSoup

from tests.system.serving import BROWSER_UA, Response, Site, broadsheet, cookie_opener

__all__ = ["Newsroom", "add_editor", "article_id", "is_saved", "step_done"]

# What the edit page says after each outcome (editorial.article_views).
SAVED = ("Saved.", "Draft saved.", "Changes saved as pending")
STEP_DONE = ": done."


def add_editor(site: Site, username: str) -> str:
    """Create a newsroom account with the editor role through the CLI; return its
    password, printed once."""
    added = broadsheet(site.env, "adduser", username, "--role", "editor")
    match = re.search(r"^\s*password: (\S+)", added.stdout, re.MULTILINE)
    assert added.returncode == 0 and match, added.stdout + added.stderr
    return match.group(1)


@dataclass
class Newsroom:
    """One logged-in session: every request carries its cookies."""

    site: Site
    opener: object
    timeout: float = 60

    @classmethod
    def log_in(cls, site: Site, username: str, password: str) -> Newsroom:
        """Log in through /newsroom/login/ as a browser would (CSRF cookie, token)."""
        opener = cookie_opener(http.cookiejar.CookieJar())
        page = site.fetch("/newsroom/login/", user_agent=BROWSER_UA, opener=opener)
        form = BeautifulSoup(page.text, "html.parser").select_one("form.newsroom-login")
        fields = {
            field["name"]: field.get("value", "")
            for field in form.select("input[name]")
        }
        fields.update(username=username, password=password)
        answer = site.fetch(
            "/newsroom/login/",
            method="POST",
            data=urllib.parse.urlencode(fields).encode(),
            user_agent=BROWSER_UA,
            opener=opener,
        )
        assert urllib.parse.urlsplit(answer.url).path == "/newsroom/", answer.text
        return cls(site, opener)

    def get(self, path: str) -> Response:
        """GET a newsroom page; 5xx answers are returned, not raised."""
        return self.site.request(
            path, user_agent=BROWSER_UA, opener=self.opener, timeout=self.timeout
        )

    def post(
        self, path: str, fields: dict, token: str, *, headers: dict | None = None
    ) -> Response:
        """POST a form (fields may hold lists) with the page's CSRF token."""
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, **fields}, doseq=True
        ).encode()
        return self.site.request(
            path,
            method="POST",
            data=data,
            user_agent=BROWSER_UA,
            opener=self.opener,
            timeout=self.timeout,
            headers=headers,
        )

    def open_form(self, path: str) -> tuple[Response, str, str]:
        """The edit page at `path`, its CSRF token and the version it was loaded at."""
        page = self.get(path)
        assert page.status == 200, (path, page.status, page.text[:500])
        soup = BeautifulSoup(page.text, "html.parser")
        token = soup.select_one("input[name=csrfmiddlewaretoken]")["value"]
        version = soup.select_one("form.article-form input[name=version]")
        return page, token, version.get("value", "") if version else ""

    def create(self, fields: dict) -> tuple[int, Response]:
        """Save a new draft from the blank form; return its id and the edit page."""
        _page, token, _version = self.open_form("/newsroom/articles/new/")
        answer = self.post("/newsroom/articles/new/", fields, token)
        assert answer.status == 200 and "Draft saved." in answer.text, (
            answer.status,
            answer.text[:2000],
        )
        return article_id(answer), answer

    def save(self, pk: int, fields: dict, *, step: str = "") -> Response:
        """Open the article's edit page and post `fields` over the version it shows,
        taking `step` (publish, publish_changes...) when given."""
        path = f"/newsroom/articles/{pk}/"
        _page, token, version = self.open_form(path)
        return self.post(path, {**fields, "version": version, "step": step}, token)

    def autosave(self, pk: int, fields: dict) -> Response:
        """Post `fields` as the editor's autosave does (with fetch: JSON answers)."""
        path = f"/newsroom/articles/{pk}/"
        _page, token, version = self.open_form(path)
        return self.post(
            path + "autosave/",
            {**fields, "version": version},
            token,
            headers={"X-Requested-With": "fetch"},
        )


def article_id(edit_page: Response) -> int:
    """The id of the article whose edit page this is (its address)."""
    match = re.search(r"/newsroom/articles/(\d+)/$", edit_page.url)
    assert match, edit_page.url
    return int(match.group(1))


def is_saved(answer: Response) -> bool:
    """Whether the edit page after a save says it went through."""
    return answer.status == 200 and any(word in answer.text for word in SAVED)


def step_done(answer: Response, label: str) -> bool:
    """Whether the edit page after a save says the step `label` was taken."""
    return answer.status == 200 and f"{label}{STEP_DONE}" in answer.text
