"""The reader's parts on their own: the model's text split into claims (whole or streamed), the
support check, the citation processor's renumbering, the BRIEFBOT_LLM spec, and that `none` loads
no model library."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.reader.claims import ClaimSplitter, split_claims
from bot.reader.spec import parse_spec
from bot.reader.stream import CitationStream
from bot.reader.thresholds import MIN_OVERLAP
from bot.reader.verify import Verifier, numbers_stated, overlap
from bot.settings import Settings
from vectorstore.embeddings import HashEmbeddings

EVIDENCE = [
    "Chinese Foreign Minister Wang Yi met US Secretary of State Antony Blinken in Munich on Friday.",
    "Wang urged the United States to lift its sanctions on Chinese companies.",
    "Blinken warned that Chinese support for Russia's defence industry would have consequences.",
]
REPLY = (
    "Blinken warned that China's support for Russia's defence industry would have consequences [3]. "
    "Wang urged the U.S. to lift its sanctions on Chinese companies. [2] "
    "Beijing also promised 40 new flights [2][7].\n"
    "- They met in Munich on Friday [1, 3].\n"
    "The ministers will meet again in May."
)


def processor() -> CitationStream:
    return CitationStream(Verifier(EVIDENCE, HashEmbeddings()))


def test_a_reply_splits_into_sentences_with_their_markers() -> None:
    claims = split_claims(REPLY)
    assert [c.numbers for c in claims] == [[3], [2], [2, 7], [1, 3], []]
    assert claims[1].text == "Wang urged the U.S. to lift its sanctions on Chinese companies."  # "U.S." is no end
    assert claims[3].raw.startswith("They met")  # the list dash is not part of the sentence


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=len(REPLY) - 1), unique=True, max_size=25))
def test_streamed_in_any_pieces_the_reply_splits_the_same_and_never_shows_half_a_marker(cuts) -> None:
    bounds = [0, *sorted(cuts), len(REPLY)]
    splitter = ClaimSplitter()
    released = []
    for a, b in itertools.pairwise(bounds):
        for claim in splitter.feed(REPLY[a:b]):
            assert claim.raw.count("[") == claim.raw.count("]"), claim.raw
            released.append(claim.raw)
    released += [c.raw for c in splitter.close()]
    assert released == [c.raw for c in split_claims(REPLY)]


def test_only_supported_sentences_are_shown_renumbered_in_order_of_use() -> None:
    proc = processor()
    shown = "".join(proc.feed(REPLY) + proc.close())
    assert shown == (
        "Blinken warned that China's support for Russia's defence industry would have consequences [1]. "
        "Wang urged the U.S. to lift its sanctions on Chinese companies. [2] "
        "They met in Munich on Friday [3][1]."
    )
    reasons = [c.reason for c in proc.checked]
    # "40 new flights" is not in [2]; [7] points past the evidence; the last sentence cites nothing.
    assert reasons == ["supported", "supported", "not supported", "supported", "no citation"]
    assert proc.numbering == {3: 1, 2: 2, 1: 3} and (proc.written, proc.dropped) == (5, 2)


def test_a_sentence_citing_only_numbers_past_the_evidence_is_dropped() -> None:
    proc = processor()
    assert proc.feed("Wang urged the United States to lift its sanctions [9]. ") == []
    assert proc.close() == [] and proc.checked[0].reason == "citation out of range"


def test_the_exact_abstention_is_recognised_and_is_no_claim() -> None:
    proc = processor()
    proc.feed("The articles don’t say.")
    proc.close()
    assert proc.abstained and proc.written == 0 and proc.shown == []


def test_support_needs_the_cited_words_and_numbers() -> None:
    assert overlap("Wang urged Washington to lift sanctions on Chinese companies.", [EVIDENCE[1]]) == 1.0
    assert overlap("Wang urged Washington to close its consulate in Chengdu.", [EVIDENCE[1]]) < MIN_OVERLAP
    # "he" in the sentence, the name in the claim: the meeting's participants count as known words.
    assert overlap("Blinken warned of consequences.", ["He warned of consequences."], known=["Antony Blinken"]) == 1
    assert numbers_stated("They signed 1,200 contracts.", ["Officials signed 1200 contracts."])
    assert not numbers_stated("They signed 40 contracts.", ["Officials signed 14 contracts."])


def test_the_spec_names_a_provider_and_a_model_or_fails_at_start() -> None:
    assert parse_spec("openai:gpt-4o-mini").text == "openai:gpt-4o-mini"
    assert parse_spec("ollama:llama3.2:3b").model == "llama3.2:3b"
    assert not parse_spec("none").configured and not parse_spec("").configured
    assert parse_spec("local:/srv/models/m.gguf").label == "local:m.gguf"  # shown without the path
    for bad in ("gpt-4o", "anthropic:claude", "local:model.bin", "openai:"):
        with pytest.raises(ValueError, match=r"BRIEFBOT_LLM must be|local: takes the path"):
            parse_spec(bad)
    with pytest.raises(ValueError, match="BRIEFBOT_LLM must be"):
        Settings(llm="gpt-4o")
    assert Settings(llm_base_url="http://127.0.0.1:8080/v1/").llm_base_url == "http://127.0.0.1:8080/v1"


LLM_LIBRARIES = ("openai", "langchain_openai", "langchain_ollama", "ollama", "xllamacpp")


def test_without_a_model_no_llm_library_is_imported(tmp_path) -> None:
    """`none` (the default) answers a question, serves the app and never loads a model library."""
    script = f"""
import json, sys
from bot.components import Components
from bot.surfaces.server import create_app
from bot.service import configured_chat
from bot.settings import Settings
components = Components(Settings(store={str(tmp_path / "store")!r}, embedder="hash"))
components.ingest.ingest_text("Envoys meet in Oslo\\n\\nLi Wen met Dana Whitfield in Oslo on Friday.", title="Oslo")
create_app(components, with_ui=False)
answer = configured_chat(components).ask("Who did Li Wen meet?")
print(json.dumps({{"answer": answer.public(), "loaded": [m for m in {LLM_LIBRARIES!r} if m in sys.modules]}}))
"""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFBOT_LLM")}
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["loaded"] == []
    assert "Whitfield" in out["answer"]["answer"] and "mode" not in out["answer"]
