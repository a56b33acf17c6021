"""What the browser tests open: the flagship article, and viewports by width."""

from __future__ import annotations

from tests.system.serving import FLAGSHIP_SLUG

ARTICLE = f"/articles/{FLAGSHIP_SLUG}/"
WIDTHS = {"narrow": 390, "medium": 768, "wide": 1440}


def viewport(width: int) -> dict[str, int]:
    """Return a Playwright viewport `width` CSS pixels wide, phone or laptop tall."""
    return {"width": width, "height": 844 if width < 500 else 900}


# axe-core is injected as an inline script and wait_for_function's predicates run
# through eval: the site's Content-Security-Policy refuses both, as it should. The
# contexts that use them bypass the policy (test tooling, not the page's code);
# test_content_security_policy.py checks the policy itself, with no bypass.
TOOLING = {"bypass_csp": True}
