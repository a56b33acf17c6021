"""Template context shared by every public page: the site settings row."""

from django.http import HttpRequest

from broadsheet.content.models import SiteSettings


def site(request: HttpRequest) -> dict:
    """Put the site settings and its footer pages into every template."""
    settings = SiteSettings.load()
    footer_pages = [page for page in settings.footer_pages.all() if page.is_published]
    return {"site": settings, "footer_pages": footer_pages}
