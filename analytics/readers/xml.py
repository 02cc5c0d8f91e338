"""Safe XML parsing shared by the GPX and TCX readers."""

from __future__ import annotations

from functools import lru_cache
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as safe_et
from defusedxml import DefusedXmlException

from analytics.readers.errors import ActivityFileError


def parse_safely(data: bytes, kind: str) -> Element:
    """Parse with defusedxml, refusing entity declarations and external references.

    Entities are how "billion laughs" expansion and external-entity (XXE) file
    reads work; no GPX or TCX writer needs them, so any declaration is refused.
    """
    try:
        root: Element = safe_et.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise ActivityFileError("XML entities are not allowed") from error
    except (ParseError, ValueError) as error:
        raise ActivityFileError(f"not a {kind} file") from error
    return root


@lru_cache(maxsize=256)
def local_name(tag: str) -> str:
    """Tag without its namespace: writers disagree on prefixes and namespace versions.

    Cached: a file repeats a few dozen tags thousands of times.
    """
    return tag.rsplit("}", 1)[-1]
