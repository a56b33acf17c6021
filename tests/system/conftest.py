"""Fixtures for tests that run the `broadsheet` command and a real server."""

from tests.system import fixtures

free_port = fixtures.free_port
site_env = fixtures.site_env
postgres_server_url = fixtures.postgres_server_url
database = fixtures.database
served_site = fixtures.served_site


def pytest_terminal_summary(terminalreporter) -> None:
    """Show the figures system tests recorded (`record_property("figures", ...)`)
    at the end of the run, passed or failed, with or without -s or xdist."""
    lines = [
        value
        for reports in terminalreporter.stats.values()
        for report in reports
        if getattr(report, "when", None) == "call"
        for name, value in getattr(report, "user_properties", ())
        if name == "figures"
    ]
    if lines:
        terminalreporter.section("figures")
        for line in lines:
            terminalreporter.write_line(line)
