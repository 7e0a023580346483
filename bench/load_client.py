"""Simulated askers for the load test: asyncio tasks, bounded in number and in time.

Each user asks a question, waits for the whole answer, pauses (open loop: a random 1-3 s, as a
person reading the answer would; closed loop: not at all, for the saturated throughput) and asks
again until the deadline. Every question goes through one of the three surfaces people use:

- `ask`: `POST /api/ask`, one JSON answer;
- `stream`: `POST /api/ask/stream`, server-sent events up to `done`;
- `ui`: the chat UI's own `chat` event through Gradio's HTTP API (`POST /gradio_api/call/chat`,
  then its event stream up to `complete`), which is what the page and `gradio_client` call.

A sample records the time to the whole response and, for the streamed surfaces, to the first piece
of the answer. Anything but a complete answer is an error with a one-word kind, except a 429
(a quota refusal), which is counted on its own: the run raises the quotas, so a 429 there is a
choice of the operator, not a failure.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import httpx

SURFACES = ("ask", "stream", "ui")


@dataclass(frozen=True)
class Sample:
    """One question: which surface, when it was sent (s since the run began), how it went."""

    surface: str
    sent_s: float
    ms: float  # to the whole response
    first_ms: float | None  # to the first piece of the answer (streamed surfaces)
    outcome: str  # "ok", "429", or the kind of error: "http-500", "timeout", "connect", "incomplete" ...

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class UserPlan:
    """What every user does: how many, for how long, the pause between questions, the surface mix."""

    users: int
    seconds: float
    think: tuple[float, float] | None  # None: closed loop
    mix: dict[str, float]
    timeout: float = 60.0


class _Refused(Exception):
    """A response that is not an answer; `kind` is what the sample records."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def _status_kind(status: int) -> str:
    return "429" if status == 429 else f"http-{status}"


async def ask_json(client: httpx.AsyncClient, question: str) -> float | None:
    response = await client.post("/api/ask", json={"question": question})
    if response.status_code != 200:
        raise _Refused(_status_kind(response.status_code))
    body = response.json()
    if not isinstance(body.get("answer"), str) or not body["answer"]:
        raise _Refused("empty-answer")
    return None


async def ask_stream(client: httpx.AsyncClient, question: str, started: float) -> float | None:
    first: float | None = None
    async with client.stream("POST", "/api/ask/stream", json={"question": question}) as response:
        if response.status_code != 200:
            await response.aread()
            raise _Refused(_status_kind(response.status_code))
        async for line in response.aiter_lines():
            if line.startswith("event: token") and first is None:
                first = (time.perf_counter() - started) * 1000
            elif line.startswith("event: done"):
                return first
    raise _Refused("incomplete")


async def ask_ui(client: httpx.AsyncClient, question: str, started: float) -> float | None:
    """The chat event: the first update shows the question with a placeholder, the second the first
    piece of the answer (the UI then streams the rest with short pauses, on purpose)."""
    response = await client.post("/gradio_api/call/chat", json={"data": [question, []]})
    if response.status_code != 200:
        raise _Refused(_status_kind(response.status_code))
    event_id = response.json().get("event_id")
    if not event_id:
        raise _Refused("no-event-id")
    updates = 0
    first: float | None = None
    async with client.stream("GET", f"/gradio_api/call/chat/{event_id}") as events:
        if events.status_code != 200:
            await events.aread()
            raise _Refused(_status_kind(events.status_code))
        event = ""
        async for line in events.aiter_lines():
            if line.startswith("event:"):
                event = line.split(":", 1)[1].strip()
            elif line.startswith("data:"):
                if event == "error":
                    raise _Refused("ui-error")
                if event in ("generating", "complete"):
                    updates += 1
                    if updates == 2 and first is None:
                        first = (time.perf_counter() - started) * 1000
                if event == "complete":
                    _check_ui_answer(line[5:])
                    return first
    raise _Refused("incomplete")


def _check_ui_answer(data: str) -> None:
    """The last update holds the chat messages: the question and a non-empty answer after it."""
    try:
        messages = json.loads(data)[0]
        answer = messages[-1]
    except (ValueError, IndexError, KeyError, TypeError) as exc:
        raise _Refused("ui-unreadable") from exc
    if not isinstance(answer, dict) or answer.get("role") != "assistant" or not answer.get("content"):
        raise _Refused("ui-no-answer")


async def ask_once(client: httpx.AsyncClient, surface: str, question: str, run_start: float) -> Sample:
    started = time.perf_counter()
    first: float | None = None
    try:
        if surface == "ask":
            first = await ask_json(client, question)
        elif surface == "stream":
            first = await ask_stream(client, question, started)
        else:
            first = await ask_ui(client, question, started)
        outcome = "ok"
    except _Refused as refused:
        outcome = refused.kind
    except httpx.TimeoutException:
        outcome = "timeout"
    except httpx.ConnectError:
        outcome = "connect"
    except httpx.HTTPError as exc:
        outcome = f"transport-{type(exc).__name__}"
    except ValueError:  # a body that is not the JSON it should be
        outcome = "unreadable"
    done = time.perf_counter()
    return Sample(surface, started - run_start, (done - started) * 1000, first, outcome)


async def _user(
    client: httpx.AsyncClient,
    plan: UserPlan,
    questions: Sequence[str],
    rng: random.Random,
    run_start: float,
    samples: list[Sample],
) -> None:
    surfaces = list(plan.mix)
    weights = [plan.mix[s] for s in surfaces]
    deadline = run_start + plan.seconds
    if plan.think:  # users arrive over the first pause, not all in the same millisecond
        await asyncio.sleep(rng.uniform(0, plan.think[1]))
    while time.perf_counter() < deadline:
        surface = rng.choices(surfaces, weights)[0]
        samples.append(await ask_once(client, surface, rng.choice(questions), run_start))
        if plan.think:
            pause = rng.uniform(*plan.think)
            if time.perf_counter() + pause >= deadline:
                return
            await asyncio.sleep(pause)


async def run_users(
    base_urls: str | Sequence[str], plan: UserPlan, questions: Sequence[str], seed: int = 0
) -> list[Sample]:
    """Run every user until the deadline; a question sent before it is waited for and counted.
    With several servers, user i asks server i mod n."""
    urls = [base_urls] if isinstance(base_urls, str) else list(base_urls)
    limits = httpx.Limits(max_connections=plan.users * 2 + 4, max_keepalive_connections=plan.users * 2 + 4)
    timeout = httpx.Timeout(plan.timeout, connect=10.0)
    samples: list[Sample] = []
    async with contextlib.AsyncExitStack() as stack:
        clients = [
            await stack.enter_async_context(httpx.AsyncClient(base_url=url, limits=limits, timeout=timeout))
            for url in urls
        ]
        run_start = time.perf_counter()
        await asyncio.gather(
            *(
                _user(clients[i % len(clients)], plan, questions, random.Random(seed * 1000 + i), run_start, samples)
                for i in range(plan.users)
            )
        )
    return samples
