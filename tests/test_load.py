"""The load test's own parts: its askers speak each surface as a real client does (against the real
app, with the fake embedder), and its figures count what they should. No time is asserted: speed is
what `bench.load` measures, not what a test checks."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from bench.load_client import Sample, UserPlan, ask_once, run_users
from bench.load_report import render_markdown, summarize, targets
from bot.surfaces.server import create_app
from tests.web.support import MUNICH, munich_meeting, running_server, store_article, wait_for_ui

QUESTIONS = ["What did Wang urge the United States to do?", "Who met in Munich?", "What did Blinken warn about?"]


@pytest.fixture(scope="module")
def live_app(tmp_path_factory):
    from bot.components import Components
    from bot.settings import Settings

    settings = Settings(
        store=tmp_path_factory.mktemp("load") / "store", embedder="hash", chroma_url=None, embed_origins=[]
    )
    settings.client_quota = settings.daily_quota = settings.session_quota = 10**6
    components = Components(settings)
    store_article(components, MUNICH, munich_meeting)
    with running_server(create_app(components, defer_ui=True)) as base:
        wait_for_ui(base)
        yield base


@pytest.mark.parametrize("surface", ["ask", "stream", "ui"])
def test_each_surface_gets_a_whole_answer(live_app, surface):
    async def one() -> Sample:
        async with httpx.AsyncClient(base_url=live_app, timeout=60) as client:
            return await ask_once(client, surface, QUESTIONS[0], time.perf_counter())

    sample = asyncio.run(one())
    assert sample.outcome == "ok", sample
    if surface != "ask":
        assert sample.first_ms is not None and sample.first_ms <= sample.ms


def test_users_bounded_in_number_and_time_ask_through_every_surface(live_app):
    plan = UserPlan(users=4, seconds=2.0, think=(0.05, 0.1), mix={"ask": 1, "stream": 1, "ui": 1})
    samples = asyncio.run(run_users(live_app, plan, QUESTIONS, seed=3))
    assert {s.surface for s in samples} == {"ask", "stream", "ui"}
    assert all(s.outcome == "ok" for s in samples), [s for s in samples if s.outcome != "ok"]
    assert max(s.sent_s for s in samples) < plan.seconds  # no question is sent after the deadline


def test_a_quota_refusal_is_counted_apart_from_errors(live_app, monkeypatch):
    async def refused(client, question):
        raise __import__("bench.load_client", fromlist=["_Refused"])._Refused("429")

    monkeypatch.setattr("bench.load_client.ask_json", refused)

    async def one() -> Sample:
        async with httpx.AsyncClient(base_url=live_app, timeout=60) as client:
            return await ask_once(client, "ask", QUESTIONS[0], time.perf_counter())

    figures = summarize([asyncio.run(one())], seconds=1.0)
    assert figures["refused_429"] == 1 and figures["errors"] == 0


INGEST = {
    "articles": 1000,
    "stored_in_window": 256,
    "articles_per_s_in_window": 4.27,
    "finished": False,
    "seconds": None,
}


def test_figures_per_scenario_and_the_targets():
    samples = [Sample("ask", i * 0.1, 100.0 + i, None, "ok") for i in range(40)]
    samples += [Sample("stream", 1.0, 300.0, 20.0, "ok"), Sample("ui", 2.0, 900.0, 50.0, "ok")]
    samples += [Sample("ask", 3.0, 5.0, None, "http-500"), Sample("ask", 3.0, 5.0, None, "429")]
    figures = summarize(samples, seconds=10.0)
    assert figures["requests"] == 44 and figures["errors"] == 1 and figures["refused_429"] == 1
    assert figures["error_kinds"] == {"http-500": 1}
    assert figures["ask"]["n"] == 41  # the two ask routes, answered questions only
    assert figures["surfaces"]["ui"]["first_piece"]["p50_ms"] == 50.0
    results = {
        "when": "today",
        "machine": {"cpu": "cpu", "cores": 2},
        "command": "python -m bench.load",
        "scenarios": {"ingest": {**figures, "description": "during an ingest", "ingest": INGEST}},
    }
    assert targets(results) == ["ingest: 1 errors — not met, ask p95 138 ms ≤ 500 ms — met"]
    table = render_markdown(results)
    assert "| ingest (during an ingest) | 44 |" in table and "stored 256 of 1000 articles" in table
