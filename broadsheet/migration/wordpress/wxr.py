"""Read a WordPress export (WXR 1.1 or 1.2) as a stream of records, item by item.

The file is fed to expat in chunks and each child of `<channel>` (the site's
header fields, an author, a term, an item) is built as its own small tree and
handed out as soon as it closes, so memory stays flat however long the file is.

Safety is defusedxml's: a document type declaration, an entity declaration or an
external entity reference is refused outright (WordPress never writes them), so
no entity can expand. defusedxml itself is not used: for this reader it would be
those three expat handlers, on a pure-Python ElementTree parser that it loads by
re-importing the stdlib module under a blocked C accelerator, and expat's own
handlers also give the exact line of every element for the report.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO
from xml.etree.ElementTree import Element, TreeBuilder
from xml.parsers import expat

SUPPORTED_VERSIONS = ("1.1", "1.2")
WP_NAMESPACE = "http://wordpress.org/export/{version}/"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
_WP_NAMESPACE = re.compile(r"\{http://wordpress\.org/export/([^/{}]*)/\}")
# The encoding named in the XML declaration, read from the file's first bytes.
_DECLARED_ENCODING = re.compile(rb"""^<\?xml[^>]{0,200}?encoding=["']([\w.:-]{1,40})""")
CHUNK_BYTES = 64 * 1024


class WxrParseError(Exception):
    """The export cannot be read: malformed, truncated, mis-encoded or unsupported."""

    def __init__(
        self, message: str, *, line: int, column: int | None = None, filename: str = ""
    ) -> None:
        self.message = message
        self.line = line
        self.column = column
        self.filename = filename
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"line {self.line}" + (
            f", column {self.column}" if self.column is not None else ""
        )
        return f"{self.filename}, {where}: {self.message}".removeprefix(", ")


@dataclass(frozen=True)
class WxrSite:
    """The export's header: its WXR version and the address of the site."""

    version: str
    title: str
    link: str
    base_site_url: str

    @property
    def address(self) -> str:
        """The site the export came from, naming it across re-runs."""
        return (self.base_site_url or self.link).rstrip("/")


@dataclass(frozen=True)
class WxrAuthor:
    """A `<wp:author>`: a login and the name shown in bylines."""

    login: str
    display_name: str
    first_name: str
    last_name: str
    line: int


@dataclass(frozen=True)
class WxrTerm:
    """A `<wp:category>`, `<wp:tag>` or `<wp:term>` declared in the header."""

    taxonomy: str  # "category", "post_tag", or a custom taxonomy's name
    slug: str
    name: str
    parent: str  # the parent's slug, for categories
    description: str
    line: int


@dataclass(frozen=True)
class WxrItemTerm:
    """A `<category domain=... nicename=...>` on an item: one of its terms."""

    domain: str
    slug: str
    name: str


@dataclass(frozen=True)
class WxrItem:
    """An `<item>`: a post, page, attachment or any other WordPress post type."""

    wp_id: int
    post_type: str
    title: str
    link: str
    creator: str
    content: str
    excerpt: str
    status: str
    post_name: str
    post_date: str
    post_date_gmt: str
    pub_date: str
    parent_id: int
    password: str
    is_sticky: bool
    terms: tuple[WxrItemTerm, ...]
    meta: tuple[tuple[str, str], ...]
    comments: int
    line: int

    def meta_value(self, key: str) -> str | None:
        """Return the first value of post meta `key`, or None."""
        for name, value in self.meta:
            if name == key:
                return value
        return None


Record = WxrSite | WxrAuthor | WxrTerm | WxrItem


class WxrReader:
    """Iterate over the records of a WXR stream; `position` is the bytes read."""

    def __init__(self, stream: BinaryIO, *, filename: str = "") -> None:
        self.stream = stream
        self.filename = filename
        self.position = 0

    def __iter__(self) -> Iterator[Record]:
        parser = _Parser(self.filename)
        check = _EncodingCheck(self.filename)
        while chunk := self.stream.read(CHUNK_BYTES):
            check.feed(chunk)
            parser.feed(chunk)
            self.position += len(chunk)
            yield from parser.drain()
        check.close()
        parser.close()
        yield from parser.drain()


def read_wxr(stream: BinaryIO, *, filename: str = "") -> WxrReader:
    """Read a WXR export from a binary stream, record by record.

    Iterating raises WxrParseError, naming the line, for a malformed, truncated,
    mis-encoded or unsupported file, or one with a DTD or entity declarations.
    """
    return WxrReader(stream, filename=filename)


class _EncodingCheck:
    """Fail on the first byte that is not UTF-8 when the file says it is UTF-8.

    Expat would call it an "invalid token" at some column; saying what is wrong
    tells the user to re-save the file rather than hunt for a syntax error.
    """

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.decoder: codecs.IncrementalDecoder | None = None
        self.started = False
        self.lines = 0

    def feed(self, chunk: bytes) -> None:
        if not self.started:
            self.started = True
            self.decoder = self._decoder_for(chunk)
        if self.decoder is None:
            return
        try:
            self.decoder.decode(chunk)
        except UnicodeDecodeError as error:
            line = self.lines + chunk[: error.start].count(b"\n") + 1
            raise WxrParseError(
                "bytes that are not UTF-8, the encoding the file declares;"
                " re-save the export as UTF-8",
                line=line,
                filename=self.filename,
            ) from None
        self.lines += chunk.count(b"\n")

    def close(self) -> None:
        # A character cut off at the very end is expat's "truncated" error.
        self.decoder = None

    @staticmethod
    def _decoder_for(first: bytes) -> codecs.IncrementalDecoder | None:
        if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return None
        declared = _DECLARED_ENCODING.match(first.removeprefix(codecs.BOM_UTF8))
        name = declared[1].decode("ascii").lower() if declared else "utf-8"
        if name.replace("_", "-") not in ("utf-8", "utf8"):
            return None
        return codecs.getincrementaldecoder("utf-8")()


class _Parser:
    """Expat handlers building one tree per child of <channel>."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.expat = expat.ParserCreate(namespace_separator="}")
        self.expat.buffer_text = True
        self.expat.StartElementHandler = self._start
        self.expat.EndElementHandler = self._end
        self.expat.CharacterDataHandler = self._data
        self.expat.StartDoctypeDeclHandler = self._refuse_doctype
        self.expat.EntityDeclHandler = self._refuse_entity
        self.expat.ExternalEntityRefHandler = self._refuse_external
        self.names: dict[str, str] = {}
        self.depth = 0
        self.in_channel = False
        self.builder: TreeBuilder | None = None
        self.started_at = 0
        self.ready: list[Record] = []
        self.header: dict[str, str] = {}
        self.wp = ""  # the wp namespace, in braces, once the version is known
        self.site: WxrSite | None = None

    def feed(self, chunk: bytes) -> None:
        self._parse(chunk, final=False)

    def close(self) -> None:
        self._parse(b"", final=True)
        if self.site is None:
            self._announce_site(self.expat.CurrentLineNumber)

    def drain(self) -> Iterator[Record]:
        ready, self.ready = self.ready, []
        return iter(ready)

    def _parse(self, data: bytes, *, final: bool) -> None:
        try:
            self.expat.Parse(data, final)
        except expat.ExpatError as error:
            message = "malformed XML: " + expat.errors.messages[error.code]
            if final and error.code in _TRUNCATED:
                message += " (the file ends too soon: is it truncated?)"
            raise WxrParseError(
                message,
                line=error.lineno,
                column=error.offset + 1,
                filename=self.filename,
            ) from None

    def _name(self, raw: str) -> str:
        name = self.names.get(raw)
        if name is None:
            name = self.names[raw] = "{" + raw if "}" in raw else raw
        return name

    def _start(self, raw: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        name = self._name(raw)
        if self.depth == 1 and name != "rss":
            self._fail(f"the root element is <{name}>, not a WordPress export's <rss>")
        if self.depth == 2:
            self.in_channel = name == "channel"
        elif self.depth == 3 and self.in_channel:
            self.builder = TreeBuilder()
            self.started_at = self.expat.CurrentLineNumber
        if self.builder is not None:
            self.builder.start(name, attrs)

    def _end(self, raw: str) -> None:
        if self.builder is not None:
            self.builder.end(self._name(raw))
            if self.depth == 3:
                element = self.builder.close()
                self.builder = None
                self._dispatch(element, self.started_at)
        self.depth -= 1

    def _data(self, text: str) -> None:
        if self.builder is not None:
            self.builder.data(text)

    def _dispatch(self, element: Element, line: int) -> None:
        tag = element.tag
        wordpress = _WP_NAMESPACE.match(tag)
        local = tag.rpartition("}")[2]
        is_record = tag == "item" or (
            wordpress is not None and local in ("author", "category", "tag", "term")
        )
        if self.site is None:
            if wordpress and local == "wxr_version":
                self._check_version(wordpress[1], (element.text or "").strip(), line)
                return
            if not is_record:
                if tag in ("title", "link") or (wordpress and local == "base_site_url"):
                    self.header[local] = (element.text or "").strip()
                return
            self._announce_site(line)
        try:
            if tag == "item":
                self.ready.append(_item(element, self.wp, line))
            elif tag == self.wp + "author":
                self.ready.append(_author(element, self.wp, line))
            elif tag in (self.wp + "category", self.wp + "tag", self.wp + "term"):
                self.ready.append(_term(element, self.wp, line))
        except _FieldError as error:
            self._fail(str(error), line=line)

    def _check_version(self, namespace_version: str, version: str, line: int) -> None:
        if version not in SUPPORTED_VERSIONS or namespace_version != version:
            shown = version or namespace_version
            self._fail(
                f"WXR version {shown} is not supported (only "
                + " and ".join(SUPPORTED_VERSIONS)
                + "); export again from a current WordPress",
                line=line,
            )
        self.wp = "{" + WP_NAMESPACE.format(version=version) + "}"
        self.header["version"] = version

    def _announce_site(self, line: int) -> None:
        if not self.wp:
            self._fail(
                "no <wp:wxr_version> before the export's content:"
                " this is not a WordPress export (WXR 1.1 or 1.2)",
                line=line,
            )
        self.site = WxrSite(
            version=self.header["version"],
            title=self.header.get("title", ""),
            link=self.header.get("link", ""),
            base_site_url=self.header.get("base_site_url", ""),
        )
        self.ready.append(self.site)

    def _fail(self, message: str, *, line: int | None = None) -> None:
        raise WxrParseError(
            message,
            line=line or self.expat.CurrentLineNumber,
            filename=self.filename,
        )

    def _refuse_doctype(self, name, system_id, public_id, has_internal_subset):
        self._fail("a document type declaration (DTD) is refused: WXR has none")

    def _refuse_entity(self, name, *args):
        self._fail(f"an entity declaration ({name}) is refused: WXR has none")

    def _refuse_external(self, context, base, system_id, public_id):
        self._fail(f"an external entity reference ({system_id}) is refused")


_TRUNCATED = {
    expat.errors.codes[expat.errors.XML_ERROR_NO_ELEMENTS],
    expat.errors.codes[expat.errors.XML_ERROR_UNCLOSED_TOKEN],
    expat.errors.codes[expat.errors.XML_ERROR_UNCLOSED_CDATA_SECTION],
    expat.errors.codes[expat.errors.XML_ERROR_PARTIAL_CHAR],
}


def _text(element: Element, tag: str) -> str:
    return element.findtext(tag) or ""


def _author(element: Element, wp: str, line: int) -> WxrAuthor:
    return WxrAuthor(
        login=_text(element, wp + "author_login").strip(),
        display_name=_text(element, wp + "author_display_name").strip(),
        first_name=_text(element, wp + "author_first_name").strip(),
        last_name=_text(element, wp + "author_last_name").strip(),
        line=line,
    )


def _term(element: Element, wp: str, line: int) -> WxrTerm:
    kind = element.tag.removeprefix(wp)
    if kind == "category":
        return WxrTerm(
            taxonomy="category",
            slug=_text(element, wp + "category_nicename").strip(),
            name=_text(element, wp + "cat_name").strip(),
            parent=_text(element, wp + "category_parent").strip(),
            description=_text(element, wp + "category_description").strip(),
            line=line,
        )
    if kind == "tag":
        return WxrTerm(
            taxonomy="post_tag",
            slug=_text(element, wp + "tag_slug").strip(),
            name=_text(element, wp + "tag_name").strip(),
            parent="",
            description=_text(element, wp + "tag_description").strip(),
            line=line,
        )
    return WxrTerm(
        taxonomy=_text(element, wp + "term_taxonomy").strip(),
        slug=_text(element, wp + "term_slug").strip(),
        name=_text(element, wp + "term_name").strip(),
        parent=_text(element, wp + "term_parent").strip(),
        description=_text(element, wp + "term_description").strip(),
        line=line,
    )


class _FieldError(ValueError):
    """A field of a record holds what it cannot (a post id that is no number)."""


def _item(element: Element, wp: str, line: int) -> WxrItem:
    fields: dict[str, str] = {}
    terms: list[WxrItemTerm] = []
    meta: list[tuple[str, str]] = []
    comments = 0
    for child in element:
        tag = child.tag
        if tag == "category":
            terms.append(
                WxrItemTerm(
                    domain=child.get("domain", ""),
                    slug=child.get("nicename", ""),
                    name=(child.text or "").strip(),
                )
            )
        elif tag == wp + "postmeta":
            meta.append(
                (_text(child, wp + "meta_key"), _text(child, wp + "meta_value"))
            )
        elif tag == wp + "comment":
            comments += 1
        else:
            fields[tag.removeprefix(wp)] = child.text or ""

    def number(field: str, *, default: int | None = None) -> int:
        raw = fields.get(field, "").strip()
        if not raw and default is not None:
            return default
        if not raw.isascii() or not raw.isdigit():
            raise _FieldError(f"the item's <wp:{field}> is {raw!r}, not a whole number")
        return int(raw)

    return WxrItem(
        wp_id=number("post_id"),
        post_type=fields.get("post_type", "post").strip() or "post",
        title=fields.get("title", ""),
        link=fields.get("link", "").strip(),
        creator=fields.get(CREATOR, "").strip(),
        content=fields.get(CONTENT, ""),
        excerpt=fields.get(wp.replace("}", "excerpt/}") + "encoded", ""),
        status=fields.get("status", "").strip(),
        post_name=fields.get("post_name", "").strip(),
        post_date=fields.get("post_date", "").strip(),
        post_date_gmt=fields.get("post_date_gmt", "").strip(),
        pub_date=fields.get("pubDate", "").strip(),
        parent_id=number("post_parent", default=0),
        password=fields.get("post_password", ""),
        is_sticky=fields.get("is_sticky", "0").strip() == "1",
        terms=tuple(terms),
        meta=tuple(meta),
        comments=comments,
        line=line,
    )
