"""WSGI entry point for production servers: the page-cache hot path, then Django."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
django_application = get_wsgi_application()

from broadsheet.publishing import scheduler  # noqa: E402  (needs apps loaded)
from broadsheet.serving import direct  # noqa: E402
from broadsheet.serving.hotpath import with_page_cache  # noqa: E402

application = with_page_cache(django_application)
direct.warm_up()  # each worker imports this module: its first reader does not wait
# Scheduled articles go live with nobody present: under `broadsheet serve` (which
# sets BROADSHEET_RUN_SCHEDULER) every worker runs the scheduler's thread, and a
# lease lets one at a time publish (docs/decisions/0014-scheduler.md).
scheduler.start_in_background()

# Django, its apps and the URL and template caches are loaded now and live as long
# as the process: freezing them keeps the collector from walking them again on
# every full collection (some 70,000 objects).
gc.freeze()
