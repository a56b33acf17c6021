"""Shared fixtures: an isolated var/ directory and plain static storage."""

import pytest


@pytest.fixture(autouse=True)
def _isolated_var_dir(settings, tmp_path):
    """Files a test writes under var/ (admin password, exports) go to a temp dir."""
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "var" / "media"
    # A command that collects static files (the export) must not fill the
    # checkout's var/static: tests that look for the editor bundle would then
    # depend on which ran first.
    settings.STATIC_ROOT = tmp_path / "var" / "static"
    # No flusher threads in tests: they would need their own database connection.
    settings.BROADSHEET_VIEW_FLUSH_SECONDS = 0


@pytest.fixture(autouse=True)
def _private_cache(settings):
    """Each test starts with an empty in-process cache of its own."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    from django.core.cache import cache

    from broadsheet.pagecache.store import clear_local

    cache.clear()
    clear_local()


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Tests need no collectstatic: use storage without the fingerprint manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
