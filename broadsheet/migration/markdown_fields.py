"""Typed reads of front matter values: each raises naming the key's file line."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from broadsheet.migration.frontmatter import Parsed

STATUS_WORDS = {
    "published": "published", "publish": "published", "scheduled": "scheduled",
    "future": "scheduled", "draft": "draft", "private": "draft", "review": "review",
    "pending": "review", "withdrawn": "withdrawn",
}  # fmt: skip
TIME_FORMATS = ("%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M %z", "%Y-%m-%d %H:%M")


class FileProblemError(ValueError):
    """A problem in the file being read, at `line`."""

    def __init__(self, message: str, line: int = 1) -> None:
        self.line = line
        super().__init__(message)


class Fields:
    """Typed reads of front matter values, raising with the key's line."""

    def __init__(self, parsed: Parsed) -> None:
        self.parsed, self.meta = parsed, parsed.meta

    def line(self, key: str) -> int:
        return self.parsed.line_of(key)

    def fail(self, key: str, message: str) -> FileProblemError:
        return FileProblemError(f"{key}: {message}", self.line(key))

    def text(self, key: str) -> str:
        value = self.meta.get(key)
        if value is None:
            return ""
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return str(value).strip()
        raise self.fail(key, f"expected text, found {_kind_of(value)}")

    def flag(self, key: str, *, negate: bool = False) -> bool:
        value = self.meta.get(key)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise self.fail(key, f"expected true or false, found {value!r}")
        return not value if negate else value

    def when(self, key: str) -> datetime.datetime | None:
        value = self.meta.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, datetime.datetime):
            return aware(value)
        if isinstance(value, datetime.date):
            return aware(datetime.datetime(value.year, value.month, value.day))
        if isinstance(value, str):
            parsed = _parse_time(value.strip())
            if parsed is not None:
                return parsed
        raise self.fail(key, f"not a date: {value!r} (use 2024-05-01 or ISO 8601)")

    def first_when(self, *keys: str) -> datetime.datetime | None:
        for key in keys:
            found = self.when(key)
            if found is not None:
                return found
        return None

    def status(self) -> str:
        word = self.text("status").lower()
        if word and word not in STATUS_WORDS:
            raise self.fail("status", f"unknown status {word!r}")
        return STATUS_WORDS.get(word, "")

    def words(self, *keys: str, split_words: bool = False) -> list[str]:
        found: list[str] = []
        for key in keys:
            value = self.meta.get(key)
            if value is None:
                continue
            if isinstance(value, str):
                items = value.split() if split_words else [value]
            elif isinstance(value, list) and all(
                isinstance(v, str | int | float) and not isinstance(v, bool)
                for v in value
            ):
                items = [str(v) for v in value]
            else:
                raise self.fail(key, "expected a word or a list of words")
            found += [
                item.strip() for item in items if item.strip() not in ("", *found)
            ]
        return found

    def authors(self) -> list[str]:
        names: list[str] = []
        for key in ("authors", "author"):
            value = self.meta.get(key)
            if value is None:
                continue
            for entry in value if isinstance(value, list) else [value]:
                name = entry.get("name") if isinstance(entry, dict) else entry
                if not isinstance(name, str) or not name.strip():
                    raise self.fail(
                        key,
                        "unknown author format: expected a name, a list of names,"
                        " or {name: ...}",
                    )
                if name.strip() not in names:
                    names.append(name.strip())
        return names

    def republication(self) -> dict[str, Any] | None:
        value = self.meta.get("republication")
        if value is None:
            return None
        allowed = {"venue", "original_title", "volume_issue", "date", "pages", "url"}
        if not isinstance(value, dict) or not isinstance(value.get("venue"), str):
            raise self.fail("republication", "expected a mapping with a venue")
        unknown = set(value) - allowed
        if unknown:
            raise self.fail("republication", f"unknown fields {sorted(unknown)}")
        found = {k: v for k, v in value.items() if k != "date"}
        if any(not isinstance(v, str) for v in found.values()):
            raise self.fail("republication", "its fields must be text")
        if found.get("url") and not found["url"].lower().startswith(
            ("http://", "https://")
        ):
            raise self.fail("republication", "url must start with http:// or https://")
        date = value.get("date")
        if isinstance(date, datetime.datetime):
            date = date.date()
        elif isinstance(date, str) and date:
            try:
                date = datetime.date.fromisoformat(date)
            except ValueError as error:
                raise self.fail("republication", f"date {date!r}: {error}") from error
        elif date is not None and not isinstance(date, datetime.date):
            raise self.fail("republication", f"date {date!r} is not a date")
        return {**found, "date": date}

    def media_id(self, key: str) -> int | None:
        value = self.text(key)
        if not value:
            return None
        number = value.removeprefix("media:")
        if not number.isdigit():
            return None  # a path to a file: images are not imported (reported)
        return int(number)


def _kind_of(value: Any) -> str:
    return {list: "a list", dict: "a mapping", bool: "true/false"}.get(
        type(value), type(value).__name__
    )


def aware(value: datetime.datetime) -> datetime.datetime:
    """The time in the site's zone when it names none."""
    if timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def _parse_time(text: str) -> datetime.datetime | None:
    try:
        return aware(datetime.datetime.fromisoformat(text))
    except ValueError:
        pass
    for form in TIME_FORMATS:
        try:
            return aware(datetime.datetime.strptime(text, form))
        except ValueError:
            continue
    return None
