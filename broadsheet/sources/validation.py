"""What a work's CSL-JSON record must be before it is stored, and a safe copy of it.

Every path that writes works checks records here: the file formats when they
parse (so an import names the entry and its line), `Work.clean()` for the back
office and `Work.save()` for everything else. Rows stored before these checks
existed are read through `displayable()`, which leaves out what would be unsafe.
"""

from __future__ import annotations

from typing import Any

from broadsheet.sources.url_schemes import WEB, has_allowed_scheme


def record_problems(item: dict[str, Any]) -> list[str]:
    """Return what is wrong with one CSL-JSON item, one sentence per field."""
    problems = []
    url = item.get("URL")
    if isinstance(url, str) and not has_allowed_scheme(url, WEB):
        problems.append(f"URL {_shown(url)} must start with http:// or https://")
    doi = item.get("DOI")
    if isinstance(doi, str) and not _is_doi(doi):
        problems.append(
            f"DOI {_shown(doi)} must be a DOI (10.…) or an http:// or https:// link"
        )
    return problems


def displayable(item: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of a stored record without the fields record_problems() refuses.

    For rows stored before the checks: pages show what is safe of them
    rather than failing or linking a script.
    """
    safe = dict(item)
    if isinstance(safe.get("URL"), str) and not has_allowed_scheme(safe["URL"], WEB):
        del safe["URL"]
    if isinstance(safe.get("DOI"), str) and not _is_doi(safe["DOI"]):
        del safe["DOI"]
    return safe


def _is_doi(value: str) -> bool:
    # Every DOI starts with the directory indicator "10."; the CSL processor
    # links it under https://doi.org/, and a resolver link must be a web link.
    value = value.strip()
    return not value or value.startswith("10.") or has_allowed_scheme(value, WEB)


def _shown(value: str, limit: int = 60) -> str:
    return repr(value if len(value) <= limit else value[:limit] + "…")
