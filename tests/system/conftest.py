"""Fixtures for tests that run the `broadsheet` command and a real server."""

from tests.system import fixtures

free_port = fixtures.free_port
site_env = fixtures.site_env
postgres_server_url = fixtures.postgres_server_url
database = fixtures.database
served_site = fixtures.served_site
