"""The administrator's session over HTTP: back-office forms posted as a browser
posts them (session cookie, CSRF token), and what the answer says."""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bs4 import BeautifulSoup

from tests.system import serving
from tests.system.serving import BROWSER_UA, Response, Site

Fields = Mapping[str, str | Iterable[str]]


class BackOffice:
    """A logged-in administrator of `site` (the demo's admin account)."""

    def __init__(self, site: Site) -> None:
        self.site = site
        password = serving.printed_password(site.demo_output)
        response, self.jar = serving.log_in(site, "admin", password)
        assert response.url.endswith("/admin/"), response.text[:500]
        self.opener = serving.cookie_opener(self.jar)
        self.requests = 0

    def _cookie(self, name: str) -> str:
        for cookie in self.jar:
            if cookie.name == name:
                return cookie.value
        raise AssertionError(f"no {name} cookie after logging in")

    def get(self, path: str) -> Response:
        self.requests += 1
        return self.site.fetch(path, user_agent=BROWSER_UA, opener=self.opener)

    def post(
        self, path: str, fields: Fields, files: Mapping[str, tuple[str, bytes]] = {}
    ) -> Response:
        """POST a form (multipart when it carries `files`); redirects are followed,
        so a form saved answers with the page it leads to."""
        pairs = [("csrfmiddlewaretoken", self._cookie("csrftoken"))]
        for name, value in fields.items():
            values = [value] if isinstance(value, str) else list(value)
            pairs += [(name, item) for item in values]
        if files:
            body, kind = _multipart(pairs, files)
        else:
            body = urllib.parse.urlencode(pairs).encode()
            kind = "application/x-www-form-urlencoded"
        request = urllib.request.Request(
            self.site.url(path),
            data=body,
            method="POST",
            headers={"User-Agent": BROWSER_UA, "Content-Type": kind},
        )
        self.requests += 1
        try:
            with self.opener.open(request, timeout=60) as answer:
                return Response(
                    answer.status, answer.url, answer.headers, answer.read()
                )
        except urllib.error.HTTPError as error:
            if error.code < 500:
                return Response(error.code, error.url, error.headers, error.read())
            raise AssertionError(
                f"POST {path} answered {error.code}\n--- server log ---\n"
                f"{self.site.server_log()}"
            ) from error

    def storage_state(self) -> dict:
        """The session as Playwright takes it, for newsroom pages in Chromium."""
        host = urllib.parse.urlsplit(self.site.base_url).hostname
        return {
            "cookies": [
                {"name": c.name, "value": c.value, "domain": host, "path": "/"}
                for c in self.jar
            ],
            "origins": [],
        }


def form_errors(response: Response) -> list[str]:
    """The field and form errors a Django form page shows."""
    soup = BeautifulSoup(response.text, "html.parser")
    return [
        item.get_text(" ", strip=True)
        for item in soup.select(".errorlist li, .errornote, .field-errors, .form-error")
    ]


def messages(response: Response) -> list[str]:
    """The messages (saved, problems, refusals) a page shows after a post."""
    soup = BeautifulSoup(response.text, "html.parser")
    return [item.get_text(" ", strip=True) for item in soup.select(".messages li")]


def _multipart(
    pairs: list[tuple[str, str]], files: Mapping[str, tuple[str, bytes]]
) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in pairs:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    for name, (filename, data) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}";'
            f' filename="{filename}"\r\nContent-Type: application/octet-stream'
            "\r\n\r\n".encode()
            + data
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def added_id(response: Response) -> int | None:
    """The id of what an admin add form saved, from its success message's link;
    None when the form came back (with its errors)."""
    soup = BeautifulSoup(response.text, "html.parser")
    for link in soup.select(".messagelist a[href]"):
        match = re.search(r"/(\d+)/change/", link["href"])
        if match:
            return int(match[1])
    return None


@dataclass
class Saved:
    """A newsroom article after a save: its id, version and what the page said."""

    pk: int
    version: str
    messages: list[str]
    problems: list[str]  # the stored problems the edit page lists


def newsroom_saved(response: Response) -> Saved:
    """Read the edit page a newsroom save leads to."""
    match = re.search(r"/newsroom/articles/(\d+)/$", response.url)
    assert match, f"no edit page after saving: {response.url}\n{response.text[:800]}"
    soup = BeautifulSoup(response.text, "html.parser")
    version = soup.select_one("input[name=version]")
    return Saved(
        int(match[1]),
        version.get("value", "") if version else "",
        messages(response),
        [li.get_text(" ", strip=True) for li in soup.select(".stored-problems li")],
    )


def form_fields(response: Response, selector: str = "form") -> dict[str, list[str]]:
    """The values a browser would submit from the page's form, by field name."""
    form = BeautifulSoup(response.text, "html.parser").select_one(selector)
    assert form is not None, f"no {selector} on {response.url}"
    fields: dict[str, list[str]] = {}
    for element in form.select("input[name], textarea[name], select[name]"):
        name, kind = element["name"], element.get("type", "")
        if element.name == "textarea":
            value = [element.get_text()]
        elif element.name == "select":
            value = [o.get("value", o.get_text()) for o in element.select("[selected]")]
        elif kind in ("checkbox", "radio"):
            value = [element.get("value", "on")] if element.has_attr("checked") else []
        elif kind in ("submit", "file", "button"):
            continue
        else:
            value = [element.get("value", "")]
        fields.setdefault(name, []).extend(value)
    fields.pop("csrfmiddlewaretoken", None)
    return fields


def row_errors(response: Response, prefix: str, field: str) -> dict[int, list[str]]:
    """The errors an admin inline shows on `field` of each row of `prefix`."""
    soup = BeautifulSoup(response.text, "html.parser")
    found = {}
    for element in soup.select(f"[name^='{prefix}-'][name$='-{field}']"):
        number = element["name"].split("-")[1]
        cell = element.find_parent("td") or element.find_parent("div")
        errors = [li.get_text(" ", strip=True) for li in cell.select(".errorlist li")]
        if number.isdigit() and errors:
            found[int(number)] = errors
    return found
