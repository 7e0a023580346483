"""Server-issued sessions and the question quotas that guard the embedded chat."""

from __future__ import annotations

import pytest

from bot.models import Answer, Turn
from bot.sessions import QuotaExceeded, SessionStore, UnknownSession


class Clock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def turn(q: str) -> Turn:
    return Turn(question=q, answer=Answer(question=q, answer="..."))


def test_ids_are_issued_by_the_server_and_unguessable() -> None:
    store = SessionStore(5, 100)
    a, b = store.new(), store.new()
    assert a.id != b.id and len(a.id) >= 20
    assert store.get(a.id) is a
    with pytest.raises(UnknownSession):
        store.get("made-up-by-a-client")


def test_history_follows_the_session_and_keeps_the_latest_turns() -> None:
    store = SessionStore(50, 100, max_turns=3)
    s = store.new()
    for i in range(5):
        store.record(s, turn(f"q{i}"))
    assert [t.question for t in store.history(s)] == ["q2", "q3", "q4"]
    assert store.history(store.new()) == []


def test_session_quota_stops_a_conversation_without_touching_others() -> None:
    store = SessionStore(2, 100)
    s = store.new()
    store.charge(s)
    store.charge(s)
    with pytest.raises(QuotaExceeded, match="limit of 2 questions"):
        store.charge(s)
    store.charge(store.new())  # another conversation still may ask


def test_daily_quota_counts_all_sessions_and_resets_the_next_day() -> None:
    clock = Clock()
    store = SessionStore(10, 3, clock=clock)
    for _ in range(3):
        store.charge(store.new())
    with pytest.raises(QuotaExceeded, match="daily limit of 3"):
        store.charge(store.new())
    clock.now += 24 * 3600
    store.charge(store.new())


def test_refused_questions_are_not_counted() -> None:
    store = SessionStore(1, 2)
    s = store.new()
    store.charge(s)
    for _ in range(3):
        with pytest.raises(QuotaExceeded):
            store.charge(s)
    store.charge(store.new())  # the refusals above did not use up the day


def test_idle_sessions_expire_and_the_count_is_bounded() -> None:
    clock = Clock()
    store = SessionStore(5, 100, ttl_seconds=60, max_sessions=2, clock=clock)
    old = store.new()
    clock.now += 61
    with pytest.raises(UnknownSession):
        store.get(old.id)
    first, second, third = store.new(), store.new(), store.new()
    with pytest.raises(UnknownSession):
        store.get(first.id)
    assert store.get(second.id) and store.get(third.id)
