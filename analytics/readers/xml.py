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

import re
from functools import lru_cache
from typing import Final
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
