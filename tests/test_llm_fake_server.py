"""The reader through the CLI and the JSON API, against a fake OpenAI-compatible server on loopback.

Every scripted reply must end as the issue specifies: verified sentences shown with renumbered
citations; unsupported sentences and out-of-range markers dropped; the extractive answer, and the
reason, when the model fails, times out, stays silent, abstains or writes nothing that holds up.
"""

from __future__ import annotations

import html
import json
import re

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from bot.surfaces.cli import main
from bot.surfaces.server import create_app
from tests.fake_llm_server import fake_llm_server
from tests.web.support import MUNICH, munich_meeting, store_article

QUESTION = "What did Wang urge the United States to do?"
EXTRACTIVE = "Wang urged the United States to lift its sanctions on Chinese companies and to stop interfering"
MODEL_SENTENCE = "Wang Yi urged the United States to lift its sanctions on Chinese companies [1]."
TIMEOUT = 3.0  # seconds the reader waits; the fake server stalls for 8 (a busy CI machine is slow)

# script -> (mode, fallback prefix or None, what the answer must contain, what it must not)
OUTCOMES = {
    "good": ("llm", None, [MODEL_SENTENCE], []),
    "unsupported": ("llm", None, [MODEL_SENTENCE], ["Chengdu", "2030"]),
    "out-of-range": ("llm", None, [MODEL_SENTENCE], ["[9]", "export controls"]),
    "no-markers": ("extractive", "unsupported", [EXTRACTIVE], []),
    "split-marker": ("llm", None, [MODEL_SENTENCE, "stop interfering in China's internal affairs [1]."], []),
    "abstain": ("extractive", "abstained", [EXTRACTIVE], ["don't say"]),
    "empty": ("extractive", "empty", [EXTRACTIVE], []),
    "http-500": ("extractive", "error", [EXTRACTIVE], []),
    "timeout": ("extractive", "timeout", [EXTRACTIVE], []),
}


@pytest.fixture(scope="module")
def fake():
    with fake_llm_server() as (fake, url):
        fake.url = url
        yield fake


@pytest.fixture(scope="module")
def munich_store(tmp_path_factory):
    from bot.components import Components
    from bot.settings import Settings

    settings = Settings(store=tmp_path_factory.mktemp("llm") / "store", embedder="hash")
    components = Components(settings)
    article = store_article(components, MUNICH, munich_meeting)
    return settings.store, article


def check_answer(body: dict, script: str, article) -> None:
    """The answer ends as specified for the script, and its citations are whole and exact."""
    mode, fallback, present, absent = OUTCOMES[script]
    assert body["mode"] == mode, body
    if fallback is None:
        assert "fallback" not in body, body
    else:
        assert body["fallback"].startswith(fallback), body
    for text in present:
        assert text in body["answer"], body["answer"]
    for text in absent:
        assert text not in body["answer"], body["answer"]
    used = sorted({int(n) for n in re.findall(r"\[(\d+)\]", body["answer"])})
    assert used == [c["n"] for c in body["citations"]] == list(range(1, len(used) + 1))
    for c in body["citations"]:
        assert article.text[c["start"] : c["end"]] == c["text"]


# -- CLI --------------------------------------------------------------------------------------


def ask_cli(fake, store, *args: str):
    env = {"BRIEFBOT_EMBEDDER": "hash", "BRIEFBOT_LLM_TIMEOUT": str(TIMEOUT), "BRIEFBOT_LLM": None}
    return CliRunner().invoke(
        main,
        ["ask", *args, "--store", str(store), "--llm", "openai:fake-model", "--llm-base-url", fake.url],
        env=env,
    )


@pytest.mark.parametrize("script", list(OUTCOMES))
def test_cli_ask_json_ends_as_specified(fake, munich_store, script) -> None:
    store, article = munich_store
    fake.script = script
    result = ask_cli(fake, store, "--json", QUESTION)
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    check_answer(body, script, article)
    if script in ("unsupported", "out-of-range"):
        dropped = [s for s in body["reader"]["sentences"] if not s["shown"]]
        assert body["reader"]["dropped"] == len(dropped) == 1


def test_cli_prints_the_answer_and_says_when_the_model_was_not_used(fake, munich_store) -> None:
    store, _ = munich_store
    fake.script = "http-500"
    result = ask_cli(fake, store, QUESTION)
    assert result.exit_code == 0 and EXTRACTIVE in result.stdout
    assert "extractive answer: error: the model server answered HTTP 500" in result.stderr


def test_cli_batch_lines_carry_the_mode(fake, munich_store, tmp_path) -> None:
    store, _ = munich_store
    fake.script = "good"
    batch = tmp_path / "q.jsonl"
    batch.write_text(
        json.dumps({"id": "a", "question": QUESTION}) + "\n" + json.dumps({"id": "b", "question": "   "}) + "\n"
    )
    result = ask_cli(fake, store, "--batch", str(batch))
    assert result.exit_code == 0, result.output
    first, second = [json.loads(line) for line in result.stdout.splitlines()]
    assert first["mode"] == "llm" and MODEL_SENTENCE in first["answer"]
    assert second["mode"] == "extractive" and second["abstained"] and second["fallback"].startswith("no-question")


def test_the_model_reads_numbered_evidence_and_the_conversation(fake, munich_store, tmp_path) -> None:
    store, _ = munich_store
    fake.script = "good"
    fake.requests.clear()
    batch = tmp_path / "q.jsonl"
    batch.write_text(
        json.dumps({"id": "1", "question": "Who met in Munich?", "session": "s"})
        + "\n"
        + json.dumps({"id": "2", "question": QUESTION, "session": "s"})
        + "\n"
    )
    assert ask_cli(fake, store, "--batch", str(batch)).exit_code == 0
    last = fake.requests[-1]["messages"]
    prompt = last[-1]["content"]
    assert "Wang urged the United States to lift its sanctions" in prompt
    assert re.search(r"^\[1\] ", prompt, re.M) and prompt.rstrip().endswith(f"Question: {QUESTION}")
    assert "Who met in Munich?" in [m["content"] for m in last if m["role"] == "user"]  # the earlier turn
    assert fake.requests[-1]["temperature"] == 0


def test_eval_scores_the_llm_mode_beside_the_extractive_one(fake, tmp_path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "munich.txt").write_text(MUNICH.read_text(encoding="utf-8"), encoding="utf-8")
    qa = tmp_path / "qa.jsonl"
    qa.write_text(
        json.dumps(
            {
                "id": "q1",
                "type": "demands",
                "question": QUESTION,
                "answer_keys": ["lift its sanctions"],
                "evidence": ["Wang urged the United States to lift its sanctions on Chinese companies."],
            }
        )
        + "\n"
    )
    fake.script = "unsupported"
    result = CliRunner().invoke(
        main,
        ["eval", str(qa), "--articles", str(articles), "--json", "--llm", "openai:m", "--llm-base-url", fake.url],
        env={"BRIEFBOT_EMBEDDER": "hash", "BRIEFBOT_LLM_TIMEOUT": str(TIMEOUT)},
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout[result.stdout.index("{") :])
    assert summary["full_answer"] == 1.0 and summary["extractive"]["full_answer"] == 1.0
    reader = summary["reader"]
    assert reader["answered_by_llm"] == 1 and reader["sentences_written"] == 2 and reader["dropped_share"] == 0.5
    assert reader["latency_p50_s"]["llm"] >= reader["latency_p50_s"]["extractive"] > 0


def test_a_bad_model_spec_is_a_usage_error(munich_store) -> None:
    store, _ = munich_store
    result = CliRunner().invoke(main, ["ask", "--store", str(store), "--llm", "gpt-4o", QUESTION])
    assert result.exit_code == 2 and "BRIEFBOT_LLM must be" in result.output


# -- API --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def api(fake, munich_store):
    from bot.components import Components
    from bot.settings import Settings

    store, article = munich_store
    settings = Settings(
        store=store, embedder="hash", llm="openai:fake-model", llm_base_url=fake.url, llm_timeout=TIMEOUT
    )
    client = TestClient(create_app(Components(settings), with_ui=False), base_url="http://127.0.0.1:7860")
    client.article = article
    return client


def sse(body: str) -> list[tuple[str, dict]]:
    return [
        (re.search(r"^event: (.*)$", b, re.M).group(1), json.loads(re.search(r"^data: (.*)$", b, re.M).group(1)))
        for b in body.strip().split("\n\n")
    ]


def streamed_answer(events: list[tuple[str, dict]]) -> str:
    """What a client shows: the tokens, cleared by `reset`."""
    text = ""
    for name, data in events:
        if name == "reset":
            text = ""
        elif name == "token":
            text += data["text"]
    return text


@pytest.mark.parametrize("script", list(OUTCOMES))
def test_api_ask_and_stream_end_as_specified(fake, api, script) -> None:
    fake.script = script
    whole = api.post("/api/ask", json={"question": QUESTION})
    assert whole.status_code == 200
    check_answer(whole.json(), script, api.article)

    streamed = api.post("/api/ask/stream", json={"question": QUESTION})
    events = sse(streamed.text)
    names = [n for n, _ in events]
    assert names[0] == "session" and names[-2:] == ["citations", "done"] and "reset" not in names
    for name, data in events:
        if name == "token":  # every piece a client may show is whole: no "[1" without its "]"
            assert data["text"].count("[") == data["text"].count("]"), data
    final = events[-2][1]
    check_answer({**final, "answer": streamed_answer(events)}, script, api.article)
    assert streamed_answer(events) == whole.json()["answer"]


def test_a_model_that_fails_mid_stream_is_replaced_visibly_by_the_extractive_answer(fake, api) -> None:
    fake.script = "stall-midway"
    events = sse(api.post("/api/ask/stream", json={"question": QUESTION}).text)
    names = [n for n, _ in events]
    first_reset = names.index("reset")
    before = "".join(d["text"] for n, d in events[:first_reset] if n == "token")
    assert before == MODEL_SENTENCE  # verified, so it was shown; then the model stalled
    assert EXTRACTIVE in streamed_answer(events) and MODEL_SENTENCE not in streamed_answer(events)
    final = events[-2][1]
    assert final["mode"] == "extractive" and final["fallback"].startswith("timeout")


def test_health_says_which_mode_answers(api) -> None:
    assert api.get("/healthz").json()["answers"] == "openai:fake-model"


def test_the_chat_tab_says_which_mode_answers(api, munich_store) -> None:
    from bot.components import Components
    from bot.settings import Settings
    from bot.surfaces.ui.chat import mode_line

    shown = html.unescape(mode_line(api.app.state.components))  # Markdown with inert character references
    assert "Answering:** LLM reader openai:fake-model, verified" in shown
    store, _ = munich_store
    plain = html.unescape(mode_line(Components(Settings(store=store, embedder="hash"))))
    assert "extractive (no model configured)" in plain
