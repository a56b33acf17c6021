"""The URL scheme rule, kept importable here for content's models and migrations.

The rule itself lives in broadsheet/sources/url_schemes.py: sources (works' URLs)
and content (authors' links, republications) both need it, and sources is the
lower of the two layers.
"""

from broadsheet.sources.url_schemes import (
    WEB,
    WEB_AND_MAIL,
    SchemeValidator,
    has_allowed_scheme,
    scheme_constraint,
)

__all__ = [
    "WEB",
    "WEB_AND_MAIL",
    "SchemeValidator",
    "has_allowed_scheme",
    "scheme_constraint",
]
