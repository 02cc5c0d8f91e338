"""Fetch a public race-results page, at an athlete's request only, without letting the address attack us.

The one network access of the import (``web.activities.results.service``), and the door an attacker
would use for server-side request forgery, so every address is checked before any byte is sent:

* the scheme is ``http`` or ``https``, the address carries no user name or password;
* the host name is resolved here, and **every** address it resolves to must be global (not private,
  loopback, link-local, shared, multicast or reserved: :func:`address_allowed`) unless
  ``FOULEE_RESULTS_ALLOW_PRIVATE_HOSTS`` is on (tests, an intranet);
* the connection goes to the checked address itself (the host name travels as ``Host`` and as the TLS
  server name, so certificates are still verified against it): a DNS answer that changes between the
  check and the connection (DNS rebinding) cannot move it;
* redirects are followed by hand, at most ``RESULTS_MAX_REDIRECTS``, each new address checked again;
* the environment's proxies are ignored (a proxy would resolve the name itself);
* the name lookup, the connection and each read time out after ``FOULEE_RESULTS_TIMEOUT`` seconds,
  and the whole fetch after four times that (a server dripping a byte at a time); the body is read up to
  ``RESULTS_PAGE_MAX_BYTES`` and refused beyond, and only HTML is accepted.

Each refusal is a :class:`ResultsError` with one translated line saying why.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as LookupTimeout
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urljoin

import httpx
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from foulee import limits
from foulee.config import get_settings

#: Who is asking, for the results site's logs: a polite robot that names itself.
USER_AGENT: Final = "Foulee/0.1 (running coach; fetches one results page at an athlete's request)"
HTML_TYPES: Final = frozenset({"text/html", "application/xhtml+xml"})
MAX_URL_CHARS: Final = 2_000
_META_CHARSET: Final = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


class ResultsError(Exception):
    """A results page that cannot be imported, and why, in one line for a person."""

    def __init__(self, code: str, reason: Promise | str) -> None:
        super().__init__(str(reason))
        #: Stable and machine-readable: ``address_refused``, ``timeout``, ``not_found``…
        self.code = code
        self.reason = reason

    def __str__(self) -> str:
        return str(self.reason)


@dataclass(frozen=True)
class FetchedPage:
    #: The address the page was read at, after redirects.
    url: str
    html: str


def address_allowed(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether an address is one the public internet routes: the only ones fetched by default."""
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    return address.is_global and not address.is_multicast


def checked_url(url: str) -> httpx.URL:
    """``url`` parsed, if its form may be fetched (scheme, no credentials); else a :class:`ResultsError`."""
    text = url.strip()
    if not text or len(text) > MAX_URL_CHARS or any(char.isspace() or ord(char) < 32 for char in text):
        raise ResultsError("bad_url", _("This is not a web address."))
    try:
        parsed = httpx.URL(text)
    except (httpx.InvalidURL, ValueError) as error:
        raise ResultsError("bad_url", _("This is not a web address.")) from error
    if parsed.scheme not in ("http", "https"):
        raise ResultsError("bad_url", _("Only http:// and https:// addresses can be fetched."))
    if parsed.userinfo:
        raise ResultsError("bad_url", _("An address with a user name or password is refused."))
    if not parsed.host:
        raise ResultsError("bad_url", _("This is not a web address."))
    return parsed


#: Name lookups run here so that a resolver that hangs is abandoned after the timeout (``getaddrinfo``
#: itself takes none); two threads, as fetches are rare and a hung lookup only holds its thread.
_RESOLVER: Final = ThreadPoolExecutor(max_workers=2, thread_name_prefix="results-dns")


def resolve(host: str, port: int, timeout_s: float) -> list[tuple[Any, ...]]:
    """``getaddrinfo`` for a TCP connection, given up after ``timeout_s`` seconds."""
    lookup = _RESOLVER.submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
    try:
        return list(lookup.result(timeout=timeout_s))
    except LookupTimeout as error:
        lookup.cancel()
        raise ResultsError("timeout", _("The name of this address takes too long to look up.")) from error


def pinned_address(url: httpx.URL) -> str:
    """The address to connect to for ``url``: resolved once here, every answer checked."""
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        answers = resolve(url.raw_host.decode("ascii"), port, get_settings().results_timeout_s)
    except (socket.gaierror, UnicodeError) as error:
        raise ResultsError("unreachable", _("The server of this address cannot be found.")) from error
    addresses = [ipaddress.ip_address(str(answer[4][0]).split("%")[0]) for answer in answers]
    if not addresses:
        raise ResultsError("unreachable", _("The server of this address cannot be found."))
    if not get_settings().results_allow_private_hosts and not all(map(address_allowed, addresses)):
        raise ResultsError(
            "address_refused",
            _("This address leads to a private or reserved network; only public pages can be fetched."),
        )
    return str(addresses[0])


def fetch_page(url: str) -> FetchedPage:
    """The HTML of the page at ``url`` (see the module's rules); a :class:`ResultsError` otherwise."""
    settings = get_settings()
    deadline = time.monotonic() + 4 * settings.results_timeout_s
    current = url
    with httpx.Client(
        timeout=httpx.Timeout(settings.results_timeout_s), follow_redirects=False, trust_env=False
    ) as client:
        for _hop in range(limits.RESULTS_MAX_REDIRECTS + 1):
            target = checked_url(current)
            address = pinned_address(target)
            host = target.raw_host.decode("ascii")
            request = client.build_request(
                "GET",
                target.copy_with(host=address),
                headers={
                    "Host": host if target.port is None else f"{host}:{target.port}",
                    "User-Agent": USER_AGENT,
                    "Accept": "text/html,application/xhtml+xml;q=0.9",
                },
                extensions={"sni_hostname": host},
            )
            try:
                response = client.send(request, stream=True)
            except httpx.TimeoutException as error:
                raise _timeout() from error
            except httpx.HTTPError as error:
                raise ResultsError("unreachable", _("The server of this address does not answer.")) from error
            try:
                if response.is_redirect:
                    current = urljoin(str(target), response.headers.get("location", ""))
                    continue
                return FetchedPage(str(target), _read(response, deadline))
            finally:
                response.close()
    raise ResultsError("too_many_redirects", _("The page redirects too many times."))


def _timeout() -> ResultsError:
    return ResultsError("timeout", _("The server of this address is too slow to answer."))


def _read(response: httpx.Response, deadline: float) -> str:
    if response.status_code == 404:
        raise ResultsError("not_found", _("There is no page at this address (HTTP 404)."))
    if not 200 <= response.status_code < 300:
        raise ResultsError(
            "http_error",
            _("The server could not give the page (HTTP %(status)s).") % {"status": response.status_code},
        )
    media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in HTML_TYPES:
        raise ResultsError("not_html", _("This address gives no web page (it is not HTML)."))
    too_large = ResultsError("too_large", _("The page is too large to be a results page."))
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.RESULTS_PAGE_MAX_BYTES:
        raise too_large
    body = bytearray()
    try:
        for chunk in response.iter_bytes():
            body.extend(chunk)
            if len(body) > limits.RESULTS_PAGE_MAX_BYTES:
                raise too_large
            if time.monotonic() > deadline:
                raise _timeout()
    except httpx.TimeoutException as error:
        raise _timeout() from error
    except httpx.HTTPError as error:
        raise ResultsError("unreachable", _("The server of this address does not answer.")) from error
    return _decoded(bytes(body), response.charset_encoding)


def _decoded(body: bytes, declared: str | None) -> str:
    """The page's text: its declared charset (header, then ``<meta>``), else UTF-8, else Windows-1252."""
    meta = _META_CHARSET.search(body[:4096])
    for charset in (declared, meta.group(1).decode("ascii") if meta else None, "utf-8"):
        if not charset:
            continue
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    # Older French club sites are often Latin-1 without saying so.
    return body.decode("cp1252", errors="replace")
