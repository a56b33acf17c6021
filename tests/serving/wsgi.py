"""Call the WSGI application as a server would, for front end and page cache tests.

Import `site_settings_exist` into a test module to have it autouse there."""

from __future__ import annotations

import io

import pytest

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"


def call(
    app, path: str, method: str = "GET", **headers
) -> tuple[int, list[tuple[str, str]], bytes]:
    """Call a WSGI application; return status, the headers as sent, and the body."""
    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
        "HTTP_USER_AGENT": FIREFOX,
        **{"HTTP_" + k.upper(): v for k, v in headers.items()},
    }
    captured = {}

    def start_response(status, response_headers, exc_info=None):
        captured["status"] = int(status.split()[0])
        captured["headers"] = list(response_headers)

    chunks = app(environ, start_response)
    body = b"".join(chunks)
    if hasattr(chunks, "close"):
        chunks.close()
    return captured["status"], captured["headers"], body


@pytest.fixture(autouse=True)
def site_settings_exist():
    """The first page view creates the settings row, which is itself a change."""
    from broadsheet.content.models import SiteSettings  # needs Django's apps

    SiteSettings.load()


def request(path: str, method: str = "GET", **headers) -> tuple[int, dict, bytes]:
    """Call the production WSGI application; return status, headers, body."""
    from broadsheet.wsgi import application  # loads Django's apps: import late

    status, header_list, body = call(application, path, method, **headers)
    return status, {k.lower(): v for k, v in header_list}, body


def is_hit(path: str) -> bool:
    return request(path, user_agent="bot")[1].get("x-broadsheet-cache") == "hit"


def warm(*paths: str) -> None:
    for path in paths:
        request(path, user_agent="bot")
        assert is_hit(path), path
