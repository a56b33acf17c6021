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
from typing import BinaryIO
from xml.etree.ElementTree import Element, TreeBuilder
from xml.parsers import expat

from broadsheet.migration.wordpress.records import (
    FieldError,
    Record,
    WxrAuthor,
    WxrItem,
    WxrSite,
    WxrTerm,
    author_from,
    item_from,
    term_from,
)

__all__ = [
    "Record",
    "WxrAuthor",
    "WxrItem",
    "WxrParseError",
    "WxrSite",
    "WxrTerm",
    "read_wxr",
]

SUPPORTED_VERSIONS = ("1.1", "1.2")
WP_NAMESPACE = "http://wordpress.org/export/{version}/"
_WP_NAMESPACE = re.compile(r"\{http://wordpress\.org/export/([^/{}]*)/\}")
# The encoding named in the XML declaration, read from the file's first bytes.
_DECLARED_ENCODING = re.compile(rb"""^<\?xml[^>]{0,200}?encoding=["']([\w.:-]{1,40})""")
# Bytes below 0x20 other than tab, line feed and carriage return: never allowed
# in XML 1.0, and never part of a multi-byte UTF-8 character.
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
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
    """Fail on the first byte that is not UTF-8 when the file says it is UTF-8,
    and on a control character XML forbids (which WordPress lets posts keep).

    Expat would call either an "invalid token" at some column; saying what is
    wrong tells the user what to fix rather than to hunt for a syntax error.
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
        control = _CONTROL.search(chunk)
        if control:
            raise WxrParseError(
                f"a control character (U+{control[0][0]:04X}) that XML does not"
                " allow; remove it from the post in WordPress, or from the file",
                line=self.lines + chunk[: control.start()].count(b"\n") + 1,
                filename=self.filename,
            )
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
                self.ready.append(item_from(element, self.wp, line))
            elif tag == self.wp + "author":
                self.ready.append(author_from(element, self.wp, line))
            elif tag in (self.wp + "category", self.wp + "tag", self.wp + "term"):
                self.ready.append(term_from(element, self.wp, line))
        except FieldError as error:
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
