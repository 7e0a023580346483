"""Store failures a user can act on, told apart from bugs.

Chroma reports an unreachable server as an `httpx` transport error and a full disk as an opaque
internal error ("Failed to apply logs to the metadata segment"), and SQLite as "database or disk is
full". Surfaces should not show either as "internal error": the operator can restart the server or
free space, and nothing was half-stored (an article is committed by its record, written last). So
the store turns them into `StoreUnavailable` and `StoreFull`, whose messages say what happened and
what to do; the ingest service stops an ingest on them instead of failing every remaining input the
same way, one slow attempt at a time.
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
from pathlib import Path

# Below this much free space a failed write is taken for a full disk (Chroma's own error says not).
LOW_DISK_BYTES = 8 * 1024 * 1024


class StoreError(RuntimeError):
    """The store cannot do what was asked right now; the message is for the user, as is."""


class StoreUnavailable(StoreError):
    """The Chroma server does not answer (down, restarting, unreachable)."""


class StoreFull(StoreError):
    """The disk under the store (or its lexical index) has no room for a write."""


class StoreRefused(StoreError):
    """The Chroma server (or the proxy in front of it) refused this client's credentials."""


class LeaseLost(StoreError):
    """This writer no longer holds the store's write lease (it stalled past the lease's time)."""


def _chain(exc: BaseException | None):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def is_disk_full(exc: BaseException, where: Path | None = None) -> bool:
    """ENOSPC anywhere in the chain, SQLite's "disk is full", or a failed write with the disk
    under `where` nearly full (Chroma's embedded store names no cause)."""
    for item in _chain(exc):
        if isinstance(item, OSError) and item.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        text = str(item).casefold()
        if "disk is full" in text or "no space left" in text or getattr(item, "sqlite_errorname", "") == "SQLITE_FULL":
            return True
    return where is not None and free_bytes(where) < LOW_DISK_BYTES


def free_bytes(where: Path) -> int:
    """Free space on the file system holding `where` (its nearest existing parent)."""
    path = where
    while not path.exists() and path.parent != path:
        path = path.parent
    try:
        return shutil.disk_usage(path).free
    except OSError:
        return 1 << 62


def is_unreachable(exc: BaseException) -> bool:
    """A transport failure talking to a Chroma server: refused, reset, timed out, cut mid-answer."""
    import httpx

    return any(isinstance(item, httpx.TransportError) for item in _chain(exc))


def refused_status(exc: BaseException) -> int | None:
    """401 or 403 from a Chroma server or its proxy, however the client reported it."""
    import httpx
    from chromadb.errors import AuthorizationError, ChromaAuthError

    for item in _chain(exc):
        if isinstance(item, AuthorizationError):
            return 401
        if isinstance(item, ChromaAuthError):
            return 403
        if isinstance(item, httpx.HTTPStatusError) and item.response.status_code in (401, 403):
            return item.response.status_code
    return None


def refused_message(url: str | None, status: int) -> str:
    return (
        f"the Chroma server at {url or '(unknown)'} refused Briefbot's credentials (HTTP {status}); "
        "set BRIEFBOT_CHROMA_TOKEN to the token it (or the proxy in front of it) expects."
    )


def is_corrupt_index(exc: BaseException) -> bool:
    """SQLite's answer for a file that is not (or no longer) a database it can read."""
    name = str(getattr(exc, "sqlite_errorname", "") or "")
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return True
    text = str(exc).casefold()
    return isinstance(exc, sqlite3.DatabaseError) and ("malformed" in text or "not a database" in text)


def full_message(what: str, where: Path | None) -> str:
    room = f" ({free_bytes(where) // (1024 * 1024)} MB free at {where})" if where is not None else ""
    return (
        f"{what}: the disk is full{room}. Articles stored before this point are whole; "
        "free some space and run the ingest again to add the rest."
    )


def unavailable_message(url: str | None, exc: BaseException) -> str:
    return (
        f"the Chroma server at {url or '(unknown)'} does not answer ({type(exc).__name__}: {exc}). "
        "Nothing was half-stored; try again once it is back (no restart of Briefbot is needed)."
    )
