"""Conversations of the JSON API and the widget: server-issued session ids, histories and quotas.

The widget runs on pages the operator does not control, so everything a caller could abuse is
decided here, on the server (AnythingLLM's embed guardrails): a caller cannot invent a session id
(it gets one from us), cannot ask more than `session_quota` questions in one conversation, and all
callers together cannot ask more than `daily_quota` questions per UTC day. Histories are kept in
memory only, bounded in count and age, because they are a convenience for follow-up questions,
not a record.
"""

from __future__ import annotations

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
    turns: list[Turn] = field(default_factory=list)
    questions: int = 0


class SessionStore:
    """Thread-safe, in-memory sessions with per-session and per-day question quotas.

    `clock` returns seconds since the epoch; tests pass a fake one to cross a day or expire a session.
    """

    def __init__(
        self,
        session_quota: int,
        daily_quota: int,
        *,
        max_sessions: int = 10_000,
        ttl_seconds: float = 24 * 3600,
        max_turns: int = 20,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.session_quota = session_quota
        self.daily_quota = daily_quota
        self.max_sessions = max_sessions
        self.ttl_seconds = ttl_seconds
        self.max_turns = max_turns
        self._clock = clock
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self._day: str = ""
        self._asked_today = 0
        self._lock = threading.Lock()

    def new(self) -> Session:
        """Issue a fresh session id (unguessable, so one caller cannot continue another's chat)."""
        now = self._clock()
        with self._lock:
            self._expire(now)
            session = Session(id=secrets.token_urlsafe(18), created=now, last_used=now)
            self._sessions[session.id] = session
            while len(self._sessions) > self.max_sessions:
                self._sessions.popitem(last=False)
            return session

    def get(self, session_id: str) -> Session:
        now = self._clock()
        with self._lock:
            self._expire(now)
            session = self._sessions.get(session_id)
            if session is None:
                raise UnknownSession("unknown or expired session_id; omit it to start a new conversation")
            self._sessions.move_to_end(session_id)
            return session

    def get_or_new(self, session_id: str | None) -> Session:
        return self.get(session_id) if session_id else self.new()

    def charge(self, session: Session) -> None:
        """Count one question against both quotas, or raise QuotaExceeded without counting it."""
        now = self._clock()
        day = datetime.fromtimestamp(now, UTC).date().isoformat()
        with self._lock:
            if day != self._day:
                self._day, self._asked_today = day, 0
            if session.questions >= self.session_quota:
                raise QuotaExceeded(
                    f"This conversation has reached its limit of {self.session_quota} questions; start a new one."
                )
            if self._asked_today >= self.daily_quota:
                raise QuotaExceeded(f"The daily limit of {self.daily_quota} questions is reached; try again tomorrow.")
            session.questions += 1
            session.last_used = now
            self._asked_today += 1

    def record(self, session: Session, turn: Turn) -> None:
        """Keep the turn for follow-up questions (only the most recent `max_turns`)."""
        with self._lock:
            session.turns.append(turn)
            del session.turns[: -self.max_turns]

    def history(self, session: Session) -> list[Turn]:
        with self._lock:
            return list(session.turns)

    def _expire(self, now: float) -> None:
        while self._sessions:
            oldest = next(iter(self._sessions.values()))
            if now - oldest.last_used <= self.ttl_seconds:
                break
            self._sessions.popitem(last=False)
