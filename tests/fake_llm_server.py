"""A fake OpenAI-compatible chat server for the reader's tests: a real HTTP server on loopback.

`POST /v1/chat/completions` answers with the reply scripted in `FakeLLM.script`, streamed (SSE
chunks, `data: [DONE]`) or whole, as the client asks. Replies are written against the Munich fixture
(tests/web/fixtures/munich_talks.txt): `{sanctions}` stands for the number of the prompt's source
line that holds "lift its sanctions", so a reply cites whatever numbering Briefbot chose. Every
request body is kept in `requests` so a test can read the prompt the model got.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse

from tests.web.support import running_server

GOOD = "Wang Yi urged the United States to lift its sanctions on Chinese companies {sanctions}."
# Each script: the reply's pieces as the server streams them (joined for a whole reply).
SCRIPTS: dict[str, list[str]] = {
    "good": ["Wang Yi urged the United States ", "to lift its sanctions on Chinese companies ", "{sanctions}."],
    "unsupported": [
        GOOD,
        " He also demanded that Washington close its consulate in Chengdu by 2030 {sanctions}.",
    ],
    "out-of-range": [
        "Wang Yi urged the United States to lift its sanctions on Chinese companies {sanctions}[9].",
        " Beijing also threatened new export controls [9].",
    ],
    "no-markers": ["Wang Yi urged the United States to lift its sanctions on Chinese companies."],
    # The marker arrives in three pieces: "[", the digits, "]." (a client must never see "[1" alone).
    "split-marker": [
        "Wang Yi urged the United States to lift its sanctions on Chinese companies ",
        "[",
        "{sanctions_digits}",
        "]. He also asked Washington to stop interfering in China's internal affairs ",
        "[{sanctions_digits}",
        "].",
    ],
    "abstain": ["The articles don't say."],
    "empty": [""],
    "http-500": [],
    "timeout": [],
    # A first sentence that passes (shown once the second begins), then a stall past the client's timeout.
    "stall-midway": [GOOD + " He", "<stall>", " also urged restraint {sanctions}."],
}


@dataclass
class FakeLLM:
    """The scripted model; set `script` before a question (the server reads it per request)."""

    script: str = "good"
    stall_seconds: float = 8.0
    requests: list[dict] = field(default_factory=list)

    def pieces(self, prompt: str) -> list[str]:
        numbers = dict(re.findall(r"^\[(\d+)\] (.*)$", prompt, re.M))
        sanctions = next((n for n, text in numbers.items() if "lift its sanctions" in text), "1")
        fill = {"sanctions": f"[{sanctions}]", "sanctions_digits": sanctions}
        return [p if p == "<stall>" else p.format(**fill) for p in SCRIPTS[self.script]]


def create_fake_llm(fake: FakeLLM) -> FastAPI:
    app = FastAPI()

    @app.post("/v1/chat/completions")
    async def completions(request: Request):
        body = await request.json()
        fake.requests.append(body)
        prompt = body["messages"][-1]["content"]
        if isinstance(prompt, list):
            prompt = "".join(part.get("text", "") for part in prompt)
        script = fake.script
        if script == "http-500":
            return JSONResponse({"error": {"message": "the model crashed", "type": "server_error"}}, status_code=500)
        if script == "timeout":
            await asyncio.sleep(fake.stall_seconds)
        pieces = fake.pieces(prompt)
        if body.get("stream"):
            return StreamingResponse(_stream(pieces, body["model"], fake.stall_seconds), media_type="text/event-stream")
        if "<stall>" in pieces:
            await asyncio.sleep(fake.stall_seconds)
        text = "".join(p for p in pieces if p != "<stall>")
        return {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body["model"],
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
        }

    return app


async def _stream(pieces: list[str], model: str, stall: float) -> AsyncIterator[str]:
    def chunk(delta: dict, finish: str | None = None) -> str:
        payload = {
            "id": "chatcmpl-fake",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }
        return f"data: {json.dumps(payload)}\n\n"

    yield chunk({"role": "assistant", "content": ""})
    for piece in pieces:
        if piece == "<stall>":
            await asyncio.sleep(stall)
            continue
        yield chunk({"content": piece})
    yield chunk({}, "stop")
    yield "data: [DONE]\n\n"


@contextmanager
def fake_llm_server() -> Iterator[tuple[FakeLLM, str]]:
    """The fake model on a free loopback port: yields it and its OpenAI base URL (…/v1)."""
    fake = FakeLLM()
    with running_server(create_fake_llm(fake)) as base:
        yield fake, base + "/v1"
