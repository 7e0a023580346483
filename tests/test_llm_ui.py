"""The Gradio chat with a reader model (the fake OpenAI-compatible server), as its page calls it."""

from __future__ import annotations

import html

import httpx
import pytest

from bot.surfaces.server import create_app
from tests.fake_llm_server import fake_llm_server
from tests.web.support import MUNICH, munich_meeting, running_server, store_article, wait_for_ui

QUESTION = "What did Wang urge the United States to do?"
MODEL_SENTENCE = "Wang Yi urged the United States to lift its sanctions on Chinese companies [1]."


@pytest.fixture(scope="module")
def ui(tmp_path_factory):
    from bot.components import Components
    from bot.settings import Settings

    with fake_llm_server() as (fake, url):
        settings = Settings(
            store=tmp_path_factory.mktemp("llm-ui") / "store",
            embedder="hash",
            llm="openai:fake-model",
            llm_base_url=url,
            llm_timeout=3.0,
        )
        components = Components(settings)
        store_article(components, MUNICH, munich_meeting)
        with running_server(create_app(components, defer_ui=True)) as base:
            wait_for_ui(base)
            yield fake, base


def ask(base: str, question: str) -> tuple[str, dict]:
    """The chat event as the page calls it: the last message's HTML and the stored answer."""
    from gradio_client import Client

    messages, stored, _ = Client(base + "/", verbose=False).predict(question, [], api_name="/chat")
    shown = "".join(part.get("text", "") for part in messages[-1]["content"])
    return html.unescape(shown), stored[-1]["answer"]


def test_the_chat_shows_the_models_verified_answer_and_says_which_mode_answers(ui) -> None:
    fake, base = ui
    fake.script = "unsupported"
    shown, answer = ask(base, QUESTION)
    assert answer["mode"] == "llm" and answer["answer"] == MODEL_SENTENCE
    assert "Chengdu" not in shown and 'class="bb-source bb-source-1"' in shown
    page = html.unescape(httpx.get(base + "/config").text)
    assert "Answering:** LLM reader openai:fake-model, verified" in page


def test_the_chat_falls_back_to_the_extractive_answer_and_says_why(ui) -> None:
    fake, base = ui
    fake.script = "http-500"
    shown, answer = ask(base, QUESTION)
    assert answer["mode"] == "extractive" and "stop interfering" in answer["answer"]
    assert "Answered without the model (error: the model server answered HTTP 500)." in shown
