"""Server-issued sessions and the question quotas that guard the embedded chat."""

from __future__ import annotations

import pytest

from bot.models import Answer, Turn
from bot.surfaces.sessions import QuotaExceeded, SessionStore, UnknownSession


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


def test_one_address_has_its_own_daily_quota() -> None:
    clock = Clock()
    store = SessionStore(50, 100, client_quota=2, clock=clock)
    for _ in range(2):
        store.admit(None, "203.0.113.7")  # a new conversation each time changes nothing
    with pytest.raises(QuotaExceeded, match="This address has asked its 2 questions"):
        store.admit(None, "203.0.113.7")
    with pytest.raises(QuotaExceeded, match="This address"):
        store.charge(None, "203.0.113.7")  # the UI's chat, which has no server session
    store.admit(None, "198.51.100.4")  # another address still may ask
    clock.now += 24 * 3600
    store.admit(None, "203.0.113.7")


def test_an_ipv6_subscriber_counts_as_one_address() -> None:
    store = SessionStore(50, 100, client_quota=2)
    store.charge(None, "2001:db8:1:2::10")
    store.charge(None, "2001:db8:1:2:ffff::99")
    with pytest.raises(QuotaExceeded, match="This address"):
        store.charge(None, "2001:db8:1:2:aaaa::1")  # same /64
    store.charge(None, "2001:db8:1:3::10")  # the next /64 is someone else


def test_a_refused_question_starts_no_conversation() -> None:
    store = SessionStore(50, 100, client_quota=1, sessions_per_client=5)
    store.admit(None, "203.0.113.7")
    for _ in range(10):
        with pytest.raises(QuotaExceeded):
            store.admit(None, "203.0.113.7")
    assert len(store) == 1


def test_one_address_cannot_push_out_other_conversations() -> None:
    store = SessionStore(50, 10_000, max_sessions=30, sessions_per_client=20)
    others = [store.new("198.51.100.4"), store.new("192.0.2.1")]
    flood = [store.new("203.0.113.7") for _ in range(200)]
    for session in others:
        assert store.get(session.id) is session
    with pytest.raises(UnknownSession):
        store.get(flood[-21].id)  # the flooding address lost its own older conversations
    assert all(store.get(s.id) is s for s in flood[-20:])
    assert len(store) == 22
