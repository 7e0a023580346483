"""Who may use the web surfaces: one set of rules for the JSON API and the UI, deny by default.

- Host: the server answers only to its own names (loopback, BRIEFBOT_HOST, BRIEFBOT_PUBLIC_URL's host,
  BRIEFBOT_ALLOWED_HOSTS). A page on another site that rebinds its DNS name to 127.0.0.1 still sends
  its own name as Host, so it is refused before any rule below could mistake it for this server.
- Reads (ask, list, show, meetings): from no browser origin (tools, curl), this server's own pages,
  or an origin in BRIEFBOT_EMBED_ORIGINS.
- Writes (ingest, delete): never from another site's page (the widget is read-only); with an admin
  token configured they need `Authorization: Bearer <token>`; without one only a browser or tool on
  this machine, talking to a loopback name, may write.
"""

from __future__ import annotations

import ipaddress
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from bot.settings import Settings

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
_ANY_ADDRESS = {"", "0.0.0.0", "::"}


@dataclass(frozen=True)
class Refusal:
    """A refused request: the HTTP status the API answers with and the sentence a user is shown."""

    status: int
    reason: str


def host_name(host_header: str | None) -> str | None:
    """The name in a Host header, lower-case, without port or IPv6 brackets (None if unreadable)."""
    if not host_header:
        return None
    try:
        return urlsplit(f"//{host_header}").hostname
    except ValueError:
        return None


def _pattern(host: str) -> str:
    """A host as Starlette's TrustedHostMiddleware compares it: IPv6 literals in brackets."""
    host = host.strip().lower()
    try:
        if ipaddress.ip_address(host.strip("[]")).version == 6:
            return f"[{host.strip('[]')}]"
    except ValueError:
        pass
    if "*" in host[1:] or (host.startswith("*") and host != "*" and not host.startswith("*.")):
        raise ValueError(f"allowed host {host!r}: a wildcard must look like *.example.org")
    return host


def trusted_hosts(settings: Settings) -> list[str]:
    """The Host names this server answers to (patterns for TrustedHostMiddleware)."""
    hosts = ["localhost", "127.0.0.1", "::1"]
    if settings.host not in _ANY_ADDRESS:
        hosts.append(settings.host)
    if settings.public_url:
        hosts.append(urlsplit(settings.public_url).hostname or "")
    hosts += settings.allowed_hosts
    return list(dict.fromkeys(_pattern(h) for h in hosts if h))


def own_origins(scheme: str, host_header: str | None, settings: Settings) -> set[str]:
    """The origins of this server's own pages: as the request reached it, and its public URL.

    The Host header is trustworthy here only because `trusted_hosts` refused every other name.
    """
    origins = {f"{scheme}://{host_header}"} if host_header else set()
    if settings.public_url:
        origins.add(settings.public_url)
    return origins


def request_origins(request: Any, settings: Settings) -> set[str]:
    """`own_origins` for a Starlette or Gradio request."""
    url = getattr(request, "url", None)
    scheme = getattr(url, "scheme", None) or "http"
    return own_origins(scheme, request.headers.get("host"), settings)


def read_refusal(request: Any, settings: Settings) -> Refusal | None:
    """Why a browser page may not read from the API, or None when it may."""
    origin = request.headers.get("origin")
    if origin is None:
        return None
    origin = origin.rstrip("/")
    if origin in request_origins(request, settings) or origin in settings.embed_origins:
        return None
    return Refusal(403, f"origin {origin} may not use this API; the operator can add it to BRIEFBOT_EMBED_ORIGINS")


def direct_client(client_host: str | None, headers: Any) -> str | None:
    """The peer's address, or None when a proxy relayed the request.

    Behind a reverse proxy on this machine every request comes from loopback; a forwarding
    header means the real client is elsewhere, so it must not count as local.
    """
    if headers.get("x-forwarded-for") or headers.get("forwarded") or headers.get("x-real-ip"):
        return None
    return client_host


def write_refusal(request: Any, settings: Settings, token: str | None = None) -> Refusal | None:
    """Why a write (ingest, delete) is refused, or None when it is allowed.

    `request` is a Starlette or Gradio request; `token` is an admin token typed into the UI, used
    when the request carries no Authorization header. Shared by the API and the Articles tab.
    """
    origin = request.headers.get("origin")
    if origin is not None and origin.rstrip("/") not in request_origins(request, settings):
        return Refusal(403, "other sites may not change the library (the embedded chat is read-only)")
    if settings.admin_token:
        authorization = request.headers.get("authorization") or (f"Bearer {token}" if token else "")
        scheme, _, given = authorization.partition(" ")
        if scheme.lower() == "bearer" and secrets.compare_digest(given.strip().encode(), settings.admin_token.encode()):
            return None
        return Refusal(401, "this needs the admin token (Authorization: Bearer <BRIEFBOT_ADMIN_TOKEN>)")
    client = getattr(request, "client", None)
    peer = direct_client(getattr(client, "host", None), request.headers)
    if peer in LOOPBACK_NAMES and host_name(request.headers.get("host")) in LOOPBACK_NAMES:
        return None
    return Refusal(403, "writes are allowed only from this machine unless BRIEFBOT_ADMIN_TOKEN is set")


def client_address(request: Any) -> str:
    """The caller's address for per-client quotas ('unknown' when the server cannot tell)."""
    client = getattr(request, "client", None)
    return getattr(client, "host", None) or "unknown"
