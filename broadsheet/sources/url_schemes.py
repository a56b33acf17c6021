"""Which URL schemes a stored link may use, checked in the database itself.

A link a reader can click (an author's site, a republication's original, the
donation link, a work's URL) must never run script: `javascript:`, `vbscript:`
and `data:` links are stored XSS. Form validation alone is not enough, since
services, imports and the shell save through the ORM; so each such column carries
a CHECK constraint that every path to the database meets, and the same rule as a
field validator so the back office names the field. A work's URL lives inside its
CSL-JSON record, so broadsheet/sources/validation.py applies the rule in Python on
every path that writes works instead.

The rule lives here, in sources, because sources and content both need it and
sources is the lower layer, so content imports it from here.

The rule is an allow-list of prefixes: anything that does not start with an
allowed scheme (leading spaces, control characters and entity tricks included)
is refused.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db.models import CheckConstraint, Q
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

WEB = ("http", "https")
WEB_AND_MAIL = ("http", "https", "mailto")


def has_allowed_scheme(url: str, schemes: Sequence[str]) -> bool:
    """Tell whether `url` is empty or starts with one of `schemes`."""
    if not url:
        return True
    lowered = url.lower()
    return any(lowered.startswith(_prefix(scheme)) for scheme in schemes)


def _prefix(scheme: str) -> str:
    return f"{scheme}:" if scheme == "mailto" else f"{scheme}://"


@deconstructible
class SchemeValidator:
    """Refuse a URL whose scheme is not in `schemes` (as the constraint does)."""

    def __init__(self, schemes: Sequence[str] = WEB) -> None:
        self.schemes = tuple(schemes)

    def __call__(self, value: str) -> None:
        if not has_allowed_scheme(value, self.schemes):
            allowed = ", ".join(f"{scheme}:" for scheme in self.schemes)
            raise ValidationError(
                _("Links may only start with %(allowed)s."),
                code="url_scheme",
                params={"allowed": allowed},
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SchemeValidator) and self.schemes == other.schemes


def scheme_constraint(
    field: str, *, name: str, schemes: Sequence[str] = WEB
) -> CheckConstraint:
    """A CHECK constraint allowing `field` to be empty or one of `schemes`."""
    condition = Q(**{field: ""})
    for scheme in schemes:
        condition |= Q(**{f"{field}__istartswith": _prefix(scheme)})
    return CheckConstraint(
        condition=condition,
        name=name,
        violation_error_code="url_scheme",
        violation_error_message=(
            f"{field} may only start with {', '.join(f'{s}:' for s in schemes)}"
        ),
    )
