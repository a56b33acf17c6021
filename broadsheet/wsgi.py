"""WSGI entry point for production servers: the page-cache hot path, then Django."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
django_application = get_wsgi_application()

from broadsheet.web.hotpath import PageCacheApp  # noqa: E402  (needs apps loaded)

application = PageCacheApp(django_application)
