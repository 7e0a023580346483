"""One writer at a time on a shared Chroma server: a lease kept in the store's own `_meta` collection.

The embedded store is one folder, so its writers take turns through a file lock beside it. Writers
to a Chroma server may run on different machines: no local lock can serialise them, so the turn is
a record in the server's collections that every writer reads.

Chroma has no compare-and-set, but its `add` keeps a record already stored under the same id. The
lease is therefore a numbered series of records (`lease:1`, `lease:2`, ...), the highest being the
current one. A writer finding the current lease released or expired adds the next number; of
several writers adding that number at once exactly one record stands, and reading it back tells
each whether it won. The holder renews its record from a background thread while it holds it,
so a long write keeps it; a writer that died leaves a lease that expires after `ttl` seconds.

Before committing (writing article records, the commit mark), a holder checks that the lease is
still its own (`check`): a writer that stalled past `ttl` (a paused VM, a SIGSTOP) and was overtaken
then stops with `LeaseLost` rather than commit over the new holder's recovery. A holder's own
unreleased lease (a release the server never received because it was down) is taken back at once.
Clocks of the writers' machines are compared through the expiry times, so they must agree to well
within `ttl` (NTP does).
"""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
import time
import uuid
from types import TracebackType

from vectorstore.errors import LeaseLost, StoreError
from vectorstore.store import ArticleStore

log = logging.getLogger(__name__)

LEASE_TTL = 60.0  # seconds a lease lasts without renewal; a dead writer blocks others this long at most


class StoreBusy(StoreError):
    """Another writer held the lease for longer than this writer was willing to wait."""


class WriteLease:
    """A re-entrant, cross-process write lock on a store, held as a lease in its `_meta` collection.

    Threads of one process take turns through a local lock first, so the lease is taken once per
    outermost `with`, whatever the nesting.
    """

    def __init__(
        self,
        store: ArticleStore,
        ttl: float = LEASE_TTL,
        poll: float = 0.2,
        timeout: float | None = None,
        holder: str | None = None,
    ) -> None:
        self.store = store
        self.ttl = ttl
        self.poll = poll
        self.timeout = timeout
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._local = threading.RLock()
        self._depth = 0
        self._number: int | None = None
        self._stop = threading.Event()
        self._renewer: threading.Thread | None = None

    # -- the context manager ----------------------------------------------------------------------

    def __enter__(self) -> WriteLease:
        self.acquire()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.release()

    def acquire(self) -> None:
        self._local.acquire()
        try:
            if self._depth == 0:
                self._take()
        except BaseException:
            self._local.release()
            raise
        self._depth += 1

    def release(self) -> None:
        try:
            self._depth -= 1
            if self._depth == 0:
                self._give_back()
        finally:
            self._local.release()

    @property
    def held(self) -> bool:
        return self._number is not None

    # -- taking, keeping, giving back -------------------------------------------------------------

    def _take(self) -> None:
        started = time.monotonic()
        while True:
            records = self.store.lease_records()
            top = max(records, default=0)
            current = records.get(top)
            if current is None or self._free(current):
                number = top + 1
                self.store.add_lease_record(number, self._values())
                after = self.store.lease_records()
                if max(after, default=0) == number and after[number].get("holder") == self.holder:
                    self._number = number
                    self.store.drop_lease_records([n for n in after if n < number - 1])
                    self._start_renewing()
                    return
            if self.timeout is not None and time.monotonic() - started > self.timeout:
                holder = current.get("holder") if current else "?"
                raise StoreBusy(
                    f"another writer ({holder}) has held the store's write lease for over {self.timeout:.0f}s"
                )
            time.sleep(self.poll * random.uniform(0.5, 1.5))

    def _free(self, record: dict) -> bool:
        return (
            bool(record.get("released"))
            or float(record.get("expires", 0.0)) <= time.time()
            or record.get("holder") == self.holder  # our own, never released (the server was down)
        )

    def _values(self, released: bool = False) -> dict:
        return {"holder": self.holder, "expires": 0.0 if released else time.time() + self.ttl, "released": released}

    def check(self) -> None:
        """Raise `LeaseLost` unless this writer still holds the lease (called before a commit)."""
        number = self._number
        if number is None:
            raise LeaseLost("this writer does not hold the store's write lease")
        records = self.store.lease_records()
        mine = records.get(number, {})
        if max(records, default=0) != number or mine.get("holder") != self.holder:
            raise LeaseLost(
                f"another writer took over the store's write lease after this one stalled for over {self.ttl:.0f}s; "
                "the batch in progress was not committed: run the ingest again"
            )
        if float(mine.get("expires", 0.0)) <= time.time() + self.ttl / 3:
            self.store.update_lease_record(number, self._values())

    def _give_back(self) -> None:
        self._stop.set()
        if self._renewer is not None:
            self._renewer.join(timeout=5)
        self._renewer = None
        number, self._number = self._number, None
        if number is None:
            return
        try:
            if max(self.store.lease_records(), default=0) == number:
                self.store.update_lease_record(number, self._values(released=True))
        except StoreError:  # the server is gone: the lease expires by itself, and we take our own back
            log.warning("could not release the store's write lease; it expires in %.0fs", self.ttl, exc_info=True)

    def _start_renewing(self) -> None:
        self._stop = threading.Event()
        self._renewer = threading.Thread(target=self._renew, args=(self._number, self._stop), daemon=True)
        self._renewer.start()

    def _renew(self, number: int, stop: threading.Event) -> None:
        while not stop.wait(self.ttl / 3):
            try:
                records = self.store.lease_records()
                if max(records, default=0) != number or records[number].get("holder") != self.holder:
                    return  # overtaken: `check` tells the writer before its next commit
                self.store.update_lease_record(number, self._values())
            except StoreError:
                log.warning("could not renew the store's write lease", exc_info=True)
