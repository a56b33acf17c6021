"""Run `broadsheet` as a user would: demo data, a real server, HTTP requests."""

from __future__ import annotations

import contextlib
import http.client
import http.cookiejar
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

from tests.pgserver import free_port

__all__ = [
    "BOT_UA",
    "BROWSER_UA",
    "Response",
    "Site",
    "broadsheet",
    "free_port",
    "log_in",
    "make_site_env",
    "printed_password",
    "serve",
    "served_site",
    "terminate_group",
]

REPO_ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
# A reader's browser (counted) and a self-declared robot (not counted); see
# broadsheet/readership/counting.py.
BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"
BOT_UA = "broadsheet-system-tests-bot/1.0"
FLAGSHIP_SLUG = "the-long-life-of-movable-type"
# Variables the settings module reads; a developer's shell must not leak into a test.
SETTINGS_VARIABLES = {
    "DATABASE_URL",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "REDIS_URL",
}


def make_site_env(var_dir: Path, database_url: str | None = None) -> dict[str, str]:
    """Return the environment of a fresh site in `var_dir` (SQLite there by default)."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in SETTINGS_VARIABLES
        and not name.startswith(("BROADSHEET_", "DJANGO_"))
    }
    env.update(
        BROADSHEET_VAR_DIR=str(var_dir),
        DEBUG="0",
        SECRET_KEY=f"system-tests-{secrets.token_urlsafe(32)}",
        PATH=os.pathsep.join([str(VENV_BIN), env.get("PATH", os.defpath)]),
        PYTHONUNBUFFERED="1",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def broadsheet(
    env: Mapping[str, str], *args: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run `broadsheet ARGS` to completion and return the result (output captured)."""
    return subprocess.run(
        [_executable(env), *args],
        env=dict(env),
        cwd=env["BROADSHEET_VAR_DIR"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _executable(env: Mapping[str, str]) -> str:
    found = shutil.which("broadsheet", path=env["PATH"])
    if not found:
        raise RuntimeError(f"no `broadsheet` command on PATH={env['PATH']}")
    return found


@dataclass
class Response:
    status: int
    url: str
    headers: Mapping[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


@dataclass
class Site:
    """A served demo site: base URL, environment and the `broadsheet demo` output."""

    base_url: str
    env: dict[str, str]
    demo_output: str
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def var_dir(self) -> Path:
        return Path(self.env["BROADSHEET_VAR_DIR"])

    def url(self, path: str) -> str:
        return self.base_url + path

    def server_log(self, *, tail: int = 20_000) -> str:
        """Return the end of the server's combined stdout and stderr."""
        text = self.log_path.read_text(errors="replace")
        return text if len(text) <= tail else "[...]\n" + text[-tail:]

    def fetch(
        self,
        path: str,
        *,
        user_agent: str = BOT_UA,
        method: str = "GET",
        data: bytes | None = None,
        opener: urllib.request.OpenerDirector | None = None,
        timeout: float = 30,
    ) -> Response:
        """Request `path` (as a robot unless told: not counted); return the response.

        4xx responses are returned like any other; a 5xx, a refused connection or a
        timeout raises AssertionError carrying the server's log, with its traceback.
        """
        try:
            response = self.request(
                path,
                user_agent=user_agent,
                method=method,
                data=data,
                opener=opener,
                timeout=timeout,
            )
        except (OSError, http.client.HTTPException) as error:  # no (whole) answer
            problem = repr(error)
        else:
            if response.status < 500:
                return response
            problem = f"HTTP {response.status}"
        raise AssertionError(
            f"{method} {path} failed: {problem}\n"
            f"--- server log ---\n{self.server_log()}"
        )

    def request(
        self,
        path: str,
        *,
        user_agent: str = BOT_UA,
        method: str = "GET",
        data: bytes | None = None,
        opener: urllib.request.OpenerDirector | None = None,
        timeout: float = 30,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """Request `path` and return whatever the server answered, 5xx included.

        Raises OSError (urllib's URLError, a timeout) when no answer came, or
        http.client.HTTPException when it came cut short.
        """
        request = urllib.request.Request(
            self.url(path),
            data=data,
            method=method,
            headers={"User-Agent": user_agent, **(headers or {})},
        )
        opener = opener or _NO_PROXY
        try:
            with opener.open(request, timeout=timeout) as response:
                return Response(
                    response.status, response.url, response.headers, response.read()
                )
        except urllib.error.HTTPError as error:
            return Response(error.code, error.url, error.headers, error.read())

    def shell(self, script: str) -> str:
        """Run Python in `broadsheet manage shell` against this site; return stdout."""
        result = broadsheet(self.env, "manage", "shell", "--no-imports", "-c", script)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def view_count(self, slug: str = FLAGSHIP_SLUG) -> int:
        """Read an article's total views as the site computes them, through the CLI.

        The article page shows the count too, but from the page cache, up to a
        minute old.
        """
        return int(
            self.shell(
                "from broadsheet.content.models import Article\n"
                "from broadsheet.readership.counting import view_count\n"
                f"print(view_count(Article.objects.get(slug={slug!r})))"
            ).split()[-1]
        )


_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def cookie_opener(jar: http.cookiejar.CookieJar) -> urllib.request.OpenerDirector:
    """Return an opener that keeps cookies in `jar` and ignores proxy variables."""
    return urllib.request.build_opener(
        urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(jar)
    )


def printed_password(demo_output: str) -> str:
    match = re.search(r"^\s*password: (\S+)$", demo_output, re.MULTILINE)
    assert match, f"broadsheet demo printed no password:\n{demo_output}"
    return match.group(1)


def log_in(
    site: Site, username: str, password: str
) -> tuple[Response, http.cookiejar.CookieJar]:
    """Submit the admin login form as a browser would (CSRF cookie and token)."""
    jar = http.cookiejar.CookieJar()
    opener = cookie_opener(jar)
    form_page = site.fetch(
        "/admin/login/?next=/admin/", user_agent=BROWSER_UA, opener=opener
    )
    form = BeautifulSoup(form_page.text, "html.parser").select_one("form#login-form")
    fields = {
        field["name"]: field.get("value", "")
        for field in form.select("input[name]")
        if field.get("type") != "submit"
    }
    fields.update(username=username, password=password)
    response = site.fetch(
        urllib.parse.urljoin("/admin/login/", form.get("action") or "/admin/login/"),
        method="POST",
        data=urllib.parse.urlencode(fields).encode(),
        user_agent=BROWSER_UA,
        opener=opener,
    )
    return response, jar


@contextlib.contextmanager
def served_site(
    env: dict[str, str],
    *,
    workers: int = 2,
    threads: int = 1,
    startup_timeout: float = 60,
    serve_options: tuple[str, ...] = (),
) -> Iterator[Site]:
    """Run `broadsheet demo`, then `broadsheet serve`; yield the site while it answers.

    The server runs in its own process group, which is terminated on the way out
    whatever happened. Raises AssertionError with the command's output when the demo
    fails or the server does not answer within `startup_timeout` seconds.
    """
    port = free_port()
    # As `make demo` does: the address the server answers on is the site's own, for
    # the demo's data and the server alike (unless the caller chose one).
    own_address = "BROADSHEET_SITE_URL" not in env
    if own_address:
        env["BROADSHEET_SITE_URL"] = f"http://127.0.0.1:{port}"
    demo = broadsheet(env, "demo")
    assert demo.returncode == 0, (
        f"broadsheet demo exited {demo.returncode}\n{demo.stdout}\n{demo.stderr}"
    )
    with serve(
        env,
        demo.stdout,
        port=None if own_address else port,
        first_port=port,
        workers=workers,
        threads=threads,
        startup_timeout=startup_timeout,
        serve_options=serve_options,
    ) as site:
        yield site


@contextlib.contextmanager
def serve(
    env: dict[str, str],
    demo_output: str = "",
    *,
    port: int | None = None,
    first_port: int | None = None,
    workers: int = 2,
    threads: int = 1,
    startup_timeout: float = 60,
    serve_options: tuple[str, ...] = (),
) -> Iterator[Site]:
    """Run `broadsheet serve` on the site in `env`; yield it while it answers.

    On `port` when given (a restart keeps the site's address); otherwise on a free
    one, `first_port` first, which becomes the site's address (BROADSHEET_SITE_URL).
    The server runs in its own process group, terminated on the way out.
    """
    var_dir = Path(env["BROADSHEET_VAR_DIR"])
    for attempt in range(1, 4):
        if port is not None:
            chosen = port
        else:
            chosen = first_port if attempt == 1 and first_port else free_port()
            env["BROADSHEET_SITE_URL"] = f"http://127.0.0.1:{chosen}"
        log_path = var_dir / f"serve-{chosen}-{time.monotonic_ns()}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [_executable(env), "serve", "--host", "127.0.0.1",
                 "--port", str(chosen), "--workers", str(workers),
                 "--threads", str(threads), *serve_options],
                env=env,
                cwd=var_dir,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        site = Site(f"http://127.0.0.1:{chosen}", env, demo_output, process, log_path)
        try:
            if _wait_until_answering(site, startup_timeout):
                try:
                    yield site
                except BaseException:
                    sys.stderr.write(
                        f"--- broadsheet serve log ---\n{site.server_log()}"
                    )
                    raise
                return
            if attempt == 3 or "in use" not in site.server_log().lower():
                raise AssertionError(
                    f"broadsheet serve did not answer within {startup_timeout:.0f}s "
                    f"(exit status {process.poll()})\n--- server log ---\n"
                    f"{site.server_log()}"
                )
            # Another process took the port between the probe and the bind: retry.
        finally:
            terminate_group(process)


def _wait_until_answering(site: Site, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if site.process.poll() is not None:
            return False
        try:
            with _NO_PROXY.open(site.url("/"), timeout=2):
                return True
        except urllib.error.HTTPError:
            return True  # It answers; the tests judge the answer.
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    return False


def terminate_group(process: subprocess.Popen[bytes]) -> None:
    """Stop a server's whole process group: TERM, then KILL what lingers."""
    for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=grace)
            # Workers share the group; make sure none outlives the main process.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            return
        except subprocess.TimeoutExpired:
            continue
