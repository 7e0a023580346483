"""Conversations of the JSON API and the widget: server-issued session ids, histories and quotas.

The widget runs on pages the operator does not control, so everything a caller could abuse is
decided here, on the server (AnythingLLM's embed guardrails): a caller cannot invent a session id
(it gets one from us), cannot ask more than `session_quota` questions in one conversation nor more
than `client_quota` a day from one address, and all callers together cannot ask more than
`daily_quota` questions per UTC day. Starting a new conversation for every question therefore gains
nothing, and one address keeps at most `sessions_per_client` conversations, so it cannot push other
callers' conversations out of the bounded store. Histories are kept in memory only, bounded in
count and age, because they are a convenience for follow-up questions, not a record.
"""

from __future__ import annotations

import ipaddress
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.models import Turn


class QuotaExceeded(Exception):
    """A question over a quota; the message is what the caller is shown (with HTTP 429)."""


class UnknownSession(Exception):
    """A session id this server never issued, or one that expired."""


@dataclass
class Session:
    id: str
    created: float
    last_used: float
    client: str = "unknown"
    turns: list[Turn] = field(default_factory=list)
    questions: int = 0


def client_key(address: str | None) -> str:
    """Whom a quota counts: an IPv4 address, or the /64 of an IPv6 one (a single subscriber's
    network hands out a whole /64, so counting single IPv6 addresses would count nothing)."""
    try:
        ip = ipaddress.ip_address((address or "").split("%", 1)[0])
    except ValueError:
        return address or "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


class SessionStore:
    """Thread-safe, in-memory sessions with per-session, per-client and per-day question quotas.

    `clock` returns seconds since the epoch; tests pass a fake one to cross a day or expire a session.
    """

    def __init__(
        self,
        session_quota: int,
        daily_quota: int,
        *,
        client_quota: int | None = None,
        max_sessions: int = 10_000,
        sessions_per_client: int = 20,
        ttl_seconds: float = 24 * 3600,
        max_turns: int = 20,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.session_quota = session_quota
        self.daily_quota = daily_quota
        self.client_quota = daily_quota if client_quota is None else client_quota
        self.max_sessions = max_sessions
        self.sessions_per_client = sessions_per_client
        self.ttl_seconds = ttl_seconds
        self.max_turns = max_turns
        self._clock = clock
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self._by_client: dict[str, OrderedDict[str, None]] = {}  # each client's session ids, oldest first
        self._day: str = ""
        self._asked_today = 0
        # Only addresses with a question counted today are kept, so this holds at most daily_quota keys.
        self._asked_by: dict[str, int] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        """How many conversations are kept."""
        with self._lock:
            return len(self._sessions)

    def new(self, client: str | None = None) -> Session:
        """Issue a fresh session id (unguessable, so one caller cannot continue another's chat).

        A client at its `sessions_per_client` limit loses its own oldest conversation, no one else's.
        """
        now = self._clock()
        key = client_key(client)
        with self._lock:
            self._expire(now)
            session = Session(id=secrets.token_urlsafe(18), created=now, last_used=now, client=key)
            own = self._by_client.get(key)
            while own and len(own) >= self.sessions_per_client:
                self._drop(next(iter(own)))
            self._sessions[session.id] = session
            self._by_client.setdefault(key, OrderedDict())[session.id] = None
            while len(self._sessions) > self.max_sessions:
                self._drop(next(iter(self._sessions)))
            return session

    def get(self, session_id: str) -> Session:
        now = self._clock()
        with self._lock:
            self._expire(now)
            session = self._sessions.get(session_id)
            if session is None:
                raise UnknownSession("unknown or expired session_id; omit it to start a new conversation")
            self._sessions.move_to_end(session_id)
            self._by_client[session.client].move_to_end(session_id)
            return session

    def admit(self, session_id: str | None, client: str | None = None) -> Session:
        """Count one question and return the conversation it belongs to: the given one, or a new
        one for `client` when no id is given. A refused question (QuotaExceeded, UnknownSession)
        starts no conversation."""
        if session_id:
            session = self.get(session_id)
            self.charge(session, client)
            return session
        self.charge(None, client)
        session = self.new(client)
        with self._lock:
            session.questions = 1
        return session

    def charge(self, session: Session | None, client: str | None = None) -> None:
        """Count one question against the session's, the client's and the day's quotas, or raise
        QuotaExceeded without counting it. The UI's chat, which keeps its conversation in the
        browser, passes no session."""
        now = self._clock()
        day = datetime.fromtimestamp(now, UTC).date().isoformat()
        key = client_key(client)
        with self._lock:
            if day != self._day:
                self._day, self._asked_today = day, 0
                self._asked_by.clear()
            if session is not None and session.questions >= self.session_quota:
                raise QuotaExceeded(
                    f"This conversation has reached its limit of {self.session_quota} questions; start a new one."
                )
            if self._asked_today >= self.daily_quota:
                raise QuotaExceeded(f"The daily limit of {self.daily_quota} questions is reached; try again tomorrow.")
            if self._asked_by.get(key, 0) >= self.client_quota:
                raise QuotaExceeded(
                    f"This address has asked its {self.client_quota} questions for today; try again tomorrow."
                )
            if session is not None:
                session.questions += 1
                session.last_used = now
            self._asked_by[key] = self._asked_by.get(key, 0) + 1
            self._asked_today += 1

    def record(self, session: Session, turn: Turn) -> None:
        """Keep the turn for follow-up questions (only the most recent `max_turns`)."""
        with self._lock:
            session.turns.append(turn)
            del session.turns[: -self.max_turns]

    def history(self, session: Session) -> list[Turn]:
        with self._lock:
            return list(session.turns)

    def _drop(self, session_id: str) -> None:
        session = self._sessions.pop(session_id, None)
        if session is None:
            return
        own = self._by_client.get(session.client)
        if own is not None:
            own.pop(session_id, None)
            if not own:
                del self._by_client[session.client]

    def _expire(self, now: float) -> None:
        while self._sessions:
            oldest = next(iter(self._sessions.values()))
            if now - oldest.last_used <= self.ttl_seconds:
                break
            self._drop(oldest.id)
