"""Safe XML parsing shared by the GPX and TCX readers.

Two quirks of real files are repaired before giving up, without loosening
any safety rule (defusedxml still refuses entities and external references,
and nothing is fetched): whitespace or a byte-order mark before the XML
declaration (Garmin Connect writes a leading newline), and a namespace prefix
used in extensions but never declared (``gpxtpx:hr`` without
``xmlns:gpxtpx``). Readers match tags by local name, so the namespace given
to such a prefix does not matter.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Final, TypeVar
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as safe_et
from defusedxml import DefusedXmlException

from analytics.readers.errors import ActivityFileError

_UTF8_BOM: Final = b"\xef\xbb\xbf"
_XML_WHITESPACE: Final = b" \t\r\n"
_NAME: Final = rb"[A-Za-z_][\w.-]*"
#: A prefix in use: on an element (``<p:name``, ``</p:name``) or an attribute (`` p:name=``).
_USED_PREFIX: Final = re.compile(
    rb"</?(" + _NAME + rb"):" + _NAME + rb"|\s(" + _NAME + rb"):" + _NAME + rb"\s*="
)
_DECLARED_PREFIX: Final = re.compile(rb"xmlns:(" + _NAME + rb")\s*=")
_ROOT_TAG: Final = re.compile(rb"<(?![?!])[^\s/>]+")
#: Where an undeclared prefix is put: a URN of ours, never fetched.
UNDECLARED_NAMESPACE: Final = "urn:foulee:undeclared:"

T = TypeVar("T")
#: ``("start" | "end", element)``, as ``iterparse`` yields them.
Events = Iterator[tuple[str, Element]]


def parse_safely(data: bytes, kind: str) -> Element:
    """Parse with defusedxml, refusing entity declarations and external references.

    Entities are how "billion laughs" expansion and external-entity (XXE) file
    reads work; no GPX or TCX writer needs them, so any declaration is refused.
    """
    if data[:1] in (b"\xef", b" ", b"\t", b"\r", b"\n"):
        data = data.removeprefix(_UTF8_BOM).lstrip(_XML_WHITESPACE)
    try:
        return _parse(data)
    except ParseError as error:
        repaired = _declare_missing_prefixes(data) if "unbound prefix" in str(error) else None
        if repaired is None:
            raise ActivityFileError(f"not a {kind} file") from error
    try:
        return _parse(repaired)
    except ParseError as error:
        raise ActivityFileError(f"not a {kind} file") from error


def stream_safely(data: bytes, kind: str, consume: Callable[[Events], T]) -> T:
    """``consume`` the start and end events of ``data``, parsed incrementally by defusedxml.

    The streaming form of :func:`parse_safely`, with the same rules (no
    entities, no external references, no network) and the same repairs: the
    reader drops each element once read, so a 40 MB track never exists as one
    tree. On an undeclared prefix the file is repaired and ``consume`` runs
    again from the start: it must keep its state in the call.
    """
    if data[:1] in (b"\xef", b" ", b"\t", b"\r", b"\n"):
        data = data.removeprefix(_UTF8_BOM).lstrip(_XML_WHITESPACE)
    try:
        return _stream(data, consume)
    except ParseError as error:
        repaired = _declare_missing_prefixes(data) if "unbound prefix" in str(error) else None
        if repaired is None:
            raise ActivityFileError(f"not a {kind} file") from error
    try:
        return _stream(repaired, consume)
    except ParseError as error:
        raise ActivityFileError(f"not a {kind} file") from error


def _stream(data: bytes, consume: Callable[[Events], T]) -> T:
    events = safe_et.iterparse(
        io.BytesIO(data),
        events=("start", "end"),
        forbid_dtd=False,
        forbid_entities=True,
        forbid_external=True,
    )
    try:
        return consume(events)
    except ActivityFileError:
        raise
    except DefusedXmlException as error:
        raise ActivityFileError("XML entities are not allowed") from error
    except ValueError as error:
        raise ParseError(str(error)) from error


def _parse(data: bytes) -> Element:
    try:
        root: Element = safe_et.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise ActivityFileError("XML entities are not allowed") from error
    except ValueError as error:
        raise ParseError(str(error)) from error
    return root


def _declare_missing_prefixes(data: bytes) -> bytes | None:
    """``data`` with every prefix it uses but never declares declared on its root element."""
    declared = set(_DECLARED_PREFIX.findall(data)) | {b"xml", b"xmlns"}
    used = {element or attribute for element, attribute in _USED_PREFIX.findall(data)}
    missing = sorted(used - declared)
    root = _ROOT_TAG.search(data)
    if not missing or root is None:
        return None
    declarations = b"".join(
        b" xmlns:" + prefix + b'="' + UNDECLARED_NAMESPACE.encode() + prefix + b'"' for prefix in missing
    )
    return data[: root.end()] + declarations + data[root.end() :]


@lru_cache(maxsize=256)
def local_name(tag: str) -> str:
    """Tag without its namespace: writers disagree on prefixes and namespace versions.

    Cached: a file repeats a few dozen tags thousands of times.
    """
    return tag.rsplit("}", 1)[-1]
