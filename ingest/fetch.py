"""Fetch a web page for ingestion, refusing to be turned against the operator's own network.

A URL someone pastes is untrusted: it may name (or redirect to, or resolve to) a loopback, private,
link-local or cloud-metadata address. So every hop is resolved here, every resolved address must be
public, and the connection is made to the address that was checked (the hostname is kept for the
Host header and TLS), so DNS cannot answer differently between the check and the connect.
Redirects are followed by hand, a few at most, each re-checked. The body is streamed and cut off
at a size cap counted on the decoded bytes: pages are asked for uncompressed (`Accept-Encoding:
identity`), and a server that compresses anyway is inflated here a bounded piece at a time, so a
small compressed "bomb" cannot grow past the cap in memory. The content type must be one the
loaders read. IPv6 addresses that carry an IPv4 one (mapped, 6to4, Teredo, NAT64) are judged by
the address they carry too.

`BRIEFBOT_ALLOW_PRIVATE_URLS=1` lifts the address check for operators who ingest from an intranet.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from ingest.loaders.base import LoadError
from ingest.settings import IngestSettings

MAX_REDIRECTS = 5
NAT64 = ipaddress.ip_network("64:ff9b::/96")  # the well-known prefix: the last 32 bits are an IPv4 address
USER_AGENT = "Briefbot/0.1 (+offline news briefing; article fetcher)"
ACCEPTED_TYPES = {
    "text/html",
    "application/xhtml+xml",
    "text/plain",
    "text/markdown",
    "application/pdf",
    "application/json",
    "application/x-ndjson",
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
}


class FetchError(LoadError):
    """A URL that could not be fetched; the message is the one-line reason shown to the user."""


@dataclass(frozen=True)
class FetchedPage:
    url: str  # the final URL, after redirects
    content_type: str
    body: bytes

    @property
    def name(self) -> str:
        """A name whose suffix tells the loaders the format (from the content type, else the path)."""
        from ingest.loaders import CONTENT_TYPES

        suffix = CONTENT_TYPES.get(self.content_type) or PurePosixPath(urlsplit(self.url).path).suffix.lower()
        host = urlsplit(self.url).hostname or "page"
        return f"{host}{suffix or '.html'}"


def embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries (mapped, 6to4, Teredo server and client, NAT64)."""
    carried: list[ipaddress.IPv4Address] = []
    if ip.ipv4_mapped is not None:
        carried.append(ip.ipv4_mapped)
    if ip.sixtofour is not None:
        carried.append(ip.sixtofour)
    if ip.teredo is not None:
        carried.extend(ip.teredo)
    if ip in NAT64:
        carried.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return carried


def address_problem(address: str) -> str | None:
    """Why an address may not be fetched from, or None when it is a public unicast address."""
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        else:
            for carried in embedded_ipv4(ip):
                problem = address_problem(str(carried))
                if problem:
                    return f"{problem} inside {ip}"
    checks = (
        (ip.is_loopback, "a loopback"),
        (ip.is_link_local, "a link-local"),
        (ip.is_multicast, "a multicast"),
        (ip.is_reserved, "a reserved"),
        (ip.is_unspecified, "an unspecified"),
        (ip.is_private, "a private"),
        (not ip.is_global, "a non-public"),
    )
    for failed, kind in checks:
        if failed:
            return f"{kind} address ({ip})"
    return None


def bounded_decode(raw: Iterable[bytes], encoding: str, max_bytes: int) -> Iterator[bytes]:
    """The decoded body of a response, never inflating more than `max_bytes` + 1 bytes in all.

    Raises FetchError for an encoding this fetcher cannot bound (it asks for none). Stops (by
    yielding past the cap) as soon as the decoded body is over `max_bytes`, so the caller's size
    check fires before the rest of a bomb is inflated.
    """
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        yield from raw
        return
    if encoding in ("gzip", "x-gzip"):
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        inflater = zlib.decompressobj()
    else:
        raise FetchError(f"the page came with content encoding {encoding!r}, which was not asked for")
    produced = 0
    for chunk in raw:
        pending = chunk
        while pending:
            try:
                piece = inflater.decompress(pending, max_bytes + 1 - produced)
            except zlib.error as exc:
                raise FetchError(f"the page's {encoding} compression is broken") from exc
            produced += len(piece)
            if piece:
                yield piece
            if produced > max_bytes:
                return
            pending = inflater.unconsumed_tail
            if inflater.eof:
                return


class Fetcher:
    def __init__(
        self,
        allow_private: bool = False,
        max_bytes: int = 10 * 1024 * 1024,
        timeout: float = 15.0,
        transport: httpx.BaseTransport | None = None,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        self.allow_private = allow_private
        self.max_bytes = max_bytes
        self.timeout = timeout
        self._transport = transport
        self._verify = verify  # certificates are always checked against the URL's host name

    @classmethod
    def from_settings(cls, settings: IngestSettings) -> Fetcher:
        return cls(
            allow_private=settings.allow_private_urls,
            max_bytes=settings.max_fetch_bytes,
            timeout=settings.fetch_timeout,
        )

    def resolve(self, host: str, port: int) -> str:
        """The address to connect to: the first one DNS gives, after checking all of them."""
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise FetchError(f"cannot resolve host {host!r}") from exc
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        if not addresses:
            raise FetchError(f"cannot resolve host {host!r}")
        if not self.allow_private:
            for address in addresses:
                problem = address_problem(address)
                if problem:
                    raise FetchError(
                        f"refused: {host} resolves to {problem}; set BRIEFBOT_ALLOW_PRIVATE_URLS=1 to allow it"
                    )
        return addresses[0]

    def fetch(self, url: str) -> FetchedPage:
        with httpx.Client(
            timeout=httpx.Timeout(self.timeout, connect=min(self.timeout, 10.0)),
            follow_redirects=False,
            trust_env=False,  # never route through a proxy named by the environment
            transport=self._transport,
            verify=self._verify,
            headers={
                "User-Agent": USER_AGENT,
                "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
                "Accept-Encoding": "identity",
            },
        ) as client:
            for _hop in range(MAX_REDIRECTS + 1):
                response_or_next = self._hop(client, url)
                if isinstance(response_or_next, FetchedPage):
                    return response_or_next
                url = response_or_next
        raise FetchError(f"more than {MAX_REDIRECTS} redirects")

    def _hop(self, client: httpx.Client, url: str) -> FetchedPage | str:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchError(f"only http and https URLs can be fetched, not {parts.scheme or 'a bare path'}")
        host = parts.hostname
        if not host:
            raise FetchError("the URL names no host")
        if parts.username or parts.password:
            raise FetchError("URLs with credentials are not fetched")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as exc:
            raise FetchError("the URL has an invalid port") from exc
        address = self.resolve(host, port)
        # Connect to the checked address; keep the name for the Host header and TLS (SNI, certificate).
        literal = f"[{address}]" if ":" in address else address
        pinned = urlunsplit((parts.scheme, f"{literal}:{port}", parts.path or "/", parts.query, ""))
        host_header = host if parts.port is None else f"{host}:{parts.port}"
        request = client.build_request("GET", pinned, headers={"Host": host_header}, extensions={"sni_hostname": host})
        try:
            response = client.send(request, stream=True)
        except httpx.TimeoutException as exc:
            raise FetchError(f"timed out after {self.timeout:g}s") from exc
        except httpx.HTTPError as exc:
            raise FetchError(f"could not connect: {type(exc).__name__}") from exc
        try:
            if response.status_code in (301, 302, 303, 307, 308):
                location = response.headers.get("location")
                if not location:
                    raise FetchError(f"redirect ({response.status_code}) without a location")
                return urljoin(url, location)
            if response.status_code >= 400:
                raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}".strip())
            content_type = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
            if content_type and content_type not in ACCEPTED_TYPES:
                raise FetchError(f"content type {content_type} is not an article format")
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > self.max_bytes:
                raise FetchError(f"page is {int(declared) // 1024} KB, over the {self.max_bytes // 1024} KB limit")
            body = bytearray()
            deadline = time.monotonic() + 2 * self.timeout  # a server that drips bytes is cut off too
            try:
                encoding = response.headers.get("content-encoding", "")
                for chunk in bounded_decode(response.iter_raw(), encoding, self.max_bytes):
                    body.extend(chunk)
                    if time.monotonic() > deadline:
                        raise FetchError(f"timed out after {2 * self.timeout:g}s while reading")
                    if len(body) > self.max_bytes:
                        raise FetchError(f"page is over the {self.max_bytes // 1024} KB limit; stopped reading")
            except httpx.TimeoutException as exc:
                raise FetchError(f"timed out after {self.timeout:g}s while reading") from exc
            except httpx.HTTPError as exc:
                raise FetchError(f"connection broke while reading: {type(exc).__name__}") from exc
            if not body:
                raise FetchError("empty response")
            return FetchedPage(url=url, content_type=content_type or "text/html", body=bytes(body))
        finally:
            response.close()
