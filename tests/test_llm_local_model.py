"""The `local:` reader with the real 1.5B model (llama.cpp in-process through xllamacpp).

Runs only where the model file is (scripts/fetch_local_model.py puts it at the default path, or set
BRIEFBOT_TEST_GGUF) and xllamacpp is installed; the fake-server tests cover every other path always.
Slow: loading takes seconds and the model writes about ten tokens a second on two cores.
"""

from __future__ import annotations

import importlib.util
import os
import re
from pathlib import Path

import pytest

from bot.service import configured_chat
from tests.web.support import MUNICH, munich_meeting, store_article

MODEL = Path(
    os.environ.get("BRIEFBOT_TEST_GGUF")
    or Path.home() / ".cache" / "briefbot" / "models" / "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
)

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not MODEL.is_file() or importlib.util.find_spec("xllamacpp") is None,
        reason=f"needs the local model at {MODEL} (scripts/fetch_local_model.py) and xllamacpp (.[local-llm])",
    ),
]


def test_the_local_model_answers_with_verified_citations_or_falls_back(tmp_path) -> None:
    from bot.components import Components
    from bot.settings import Settings

    components = Components(Settings(store=tmp_path / "store", embedder="hash", llm=f"local:{MODEL}", llm_timeout=600))
    article = store_article(components, MUNICH, munich_meeting)
    chat = configured_chat(components)
    reply = chat.reply("What did Wang urge the United States to do?")
    answer = reply.answer
    assert reply.reading is not None and reply.reading.written + (reply.reading.fallback is not None) > 0
    if answer.mode == "llm":
        assert "sanctions" in answer.answer or "interfering" in answer.answer, answer.answer
        for sentence in (c for c in reply.reading.checked if c.shown):
            assert re.search(r"\[\d+\]", sentence.text), sentence
    else:  # a small model may fail verification; then the engine's answer stands, and says why
        assert answer.fallback and not answer.fallback.startswith(("error", "timeout", "unavailable")), answer
        assert answer.answer == reply.extractive.answer
    used = sorted({int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)})
    assert used == [c.n for c in answer.citations]
    for c in answer.citations:
        assert article.text[c.start : c.end] == c.text
