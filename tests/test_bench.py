"""The benchmark's own parts: a deterministic, varied corpus; a vector cache that returns what it stored;
and a harness that runs end to end (with model-free fakes) and writes its table. No time is asserted.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest

from bench.corpus import COUNTRIES, build_pools, generate_article, write_corpus
from bench.embedders import CachedEmbeddings, SyntheticEmbeddings
from bench.measure import key_hit, latency_summary, percentile
from bench.report import render_markdown

ROOT = Path(__file__).resolve().parent.parent


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_articles_and_seed_give_the_same_corpus_byte_for_byte(tmp_path: Path) -> None:
    a = write_corpus(tmp_path / "a", articles=30, seed=11, questions=25)
    b = write_corpus(tmp_path / "b", articles=30, seed=11, questions=25)
    assert a == b
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert len(list((tmp_path / "a" / "articles").glob("*.txt"))) == 30


def test_a_smaller_corpus_is_a_prefix_of_a_larger_one_and_seeds_differ(tmp_path: Path) -> None:
    write_corpus(tmp_path / "small", articles=8, seed=3, questions=5)
    write_corpus(tmp_path / "large", articles=20, seed=3, questions=5)
    write_corpus(tmp_path / "other", articles=8, seed=4, questions=5)
    small = _files(tmp_path / "small" / "articles")
    large = _files(tmp_path / "large" / "articles")
    other = _files(tmp_path / "other" / "articles")
    assert all(large[name] == text for name, text in small.items())
    assert sum(small[name] != other[name] for name in small) == len(small)


def test_entity_pools_hold_thousands_of_distinct_people_and_places() -> None:
    pools = build_pools(7)
    people = {p.name for roster in pools.people.values() for p in roster}
    places = {t for towns in pools.towns.values() for t in towns} | {v for vs in pools.venues.values() for v in vs}
    assert len(people) >= 3000
    assert len(places) >= 1500
    # Every person speaks for a country and carries a title, as the extraction expects.
    some = pools.people["Japan"][:5]
    assert all(p.country.name == "Japan" and p.title for p in some)


def test_articles_read_like_wire_reports_with_page_noise() -> None:
    pools = build_pools(5)
    articles = [generate_article(5, i, pools) for i in range(120)]
    texts = [a.text for a in articles]
    datelines = sum(bool(re.search(r"^[A-Z .'-]+, [A-Z][a-z]+\.? \d{1,2} \([^)]+\) -- ", t, re.M)) for t in texts)
    assert datelines == len(texts)
    noise = ("Advertisement", "Share", "Sign up", "Photo:", "Related:", "Read more:", "Copyright", "Subscribe")
    assert sum(any(n in t for n in noise) for t in texts) >= len(texts) // 2
    named_countries = {c.name for c in COUNTRIES for t in texts if c.name in t}
    assert len(named_countries) >= 30
    words = [len(t.split()) for t in texts]
    assert min(words) >= 200 and max(words) <= 600


def test_questions_are_answerable_from_their_article_and_unanswerable_ones_are_not(tmp_path: Path) -> None:
    write_corpus(tmp_path, articles=60, seed=9, questions=50)
    items = [json.loads(line) for line in (tmp_path / "questions.jsonl").read_text("utf-8").splitlines()]
    assert len(items) == 50 and len({q["id"] for q in items}) == 50
    corpus = {p.name: p.read_text("utf-8") for p in (tmp_path / "articles").glob("*.txt")}
    unanswerable = [q for q in items if q["type"] == "unanswerable"]
    assert unanswerable
    for q in items:
        if q["type"] == "unanswerable":
            name = q["question"].split("What did ", 1)[1].split(" demand", 1)[0]
            assert not any(name in text for text in corpus.values())
        else:
            assert key_hit(corpus[q["article"]], q["answer_keys"]), q


def test_vector_cache_returns_what_it_stored_and_embeds_only_what_is_new(tmp_path: Path) -> None:
    class Counting(SyntheticEmbeddings):
        calls: ClassVar[list[int]] = []

        def embed_documents(self, texts):
            self.calls.append(len(texts))
            return super().embed_documents(texts)

    path = tmp_path / "vectors.npz"
    first = CachedEmbeddings(Counting(), path)
    vectors = first.embed_documents(["alpha beta", "gamma", "alpha beta"])
    assert first.misses == 3 and Counting.calls == [3]
    first.flush()
    again = CachedEmbeddings(Counting(), path)
    assert np.allclose(again.embed_documents(["gamma", "alpha beta"]), [vectors[1], vectors[0]])
    assert again.hits == 2 and Counting.calls == [3]  # nothing re-embedded
    again.embed_documents(["delta"])
    assert Counting.calls == [3, 1]
    again.flush()
    third = CachedEmbeddings(Counting(), path)
    third.embed_documents(["delta", "gamma"])
    assert third.misses == 0


def test_synthetic_vectors_are_deterministic_unit_vectors() -> None:
    emb = SyntheticEmbeddings()
    a, b = emb.embed_documents(["Who met in Munich?", "Who met in Paris?"])
    assert a == emb.embed_query("Who met in Munich?")
    assert abs(float(np.linalg.norm(a)) - 1.0) < 1e-5
    assert a != b


def test_percentiles_and_key_matching() -> None:
    assert percentile([1, 2, 3, 4, 5], 50) == 3
    assert percentile([10, 20], 95) == 19.5
    assert percentile([], 50) is None
    summary = latency_summary([5.0, 1.0, 3.0])
    assert summary["n"] == 3 and summary["p50_ms"] == 3.0 and summary["max_ms"] == 5.0
    assert key_hit("Wang Yi met Blinken in MUNICH", ["munich", ["Wang", "Wang Yi"]])
    assert not key_hit("They met in Paris", ["Munich"])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_harness_runs_end_to_end_and_writes_its_table(tmp_path: Path) -> None:
    """A smoke run (fake embedders, tiny sizes) exercises every section and writes latest.md/json."""
    out = tmp_path / "results"
    command = [
        sys.executable,
        "-m",
        "bench.run",
        "--smoke",
        "--articles",
        "8",
        "--questions",
        "8",
        "--ask-articles",
        "10",
        "--scale-passages",
        "120",
        "--editions",
        "1",
        "--port",
        str(_free_port()),
        "--work",
        str(tmp_path / "work"),
        "--out",
        str(out),
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads((out / "latest.json").read_text("utf-8"))
    sections = results["sections"]
    assert set(sections) == {"ingest", "ask", "server", "ingest_editions", "ask_at_10", "scale_120"}
    assert "error" not in json.dumps(sections), json.dumps(sections, indent=1)[:3000]

    ingest = sections["ingest"]
    # Both pipelines took in every generated article; Briefbot's CLI failed none.
    assert ingest["vanilla"]["articles"] == 8
    assert ingest["briefbot"]["articles"] == 8 and ingest["briefbot"]["failed"] == 0
    assert ingest["briefbot"]["passages"] > 0
    assert ingest["briefbot"]["ratio_articles_per_s_vs_vanilla"] > 0
    ask = sections["ask"]
    assert ask["vanilla"]["n"] == 8 and ask["briefbot-hash"]["n"] == 8
    assert ask["briefbot-cli"]["cold_first_answer_s"] > 0
    assert ask["briefbot-hash"]["abstained_on_unanswerable"] is not None
    server = sections["server"]
    assert server["first_page_s"] > 0 and server["first_answer_status"] == 200
    assert server["first_ui_page_s"] >= server["first_page_s"]  # the chat UI itself, not a placeholder
    assert sections["scale_120"]["briefbot-retrieve"]["n"] == 8
    # The gold sets' articles, one edition each, went into both pipelines whole.
    gold_articles = results["editions"]["articles"]
    assert gold_articles == results["editions"]["sources"] >= 20
    editions = sections["ingest_editions"]
    assert editions["vanilla"]["articles"] == editions["briefbot"]["articles"] == gold_articles
    at = sections["ask_at_10"]
    assert at["briefbot_add_delete"]["add_one"]["n"] == 5  # five articles added and deleted again
    assert at["briefbot_disk"]["kb_per_article"] > 0

    table = (out / "latest.md").read_text("utf-8")
    assert table == render_markdown(results)
    assert "Smoke run" in table
    for heading in (
        "## Ingest",
        "## Ingest of real article shapes",
        "## Ask on the 8-article stores",
        "## Server cold start",
        "## At 10 articles",
        "## Targets",
    ):
        assert heading in table
    assert re.search(r"^\| vanilla \| [0-9.]+ \|", table, re.M)
    assert results["machine"]["cpus"] >= 1


def test_the_haystack_rebuilds_its_distractors_when_the_extraction_changes(tmp_path: Path, monkeypatch) -> None:
    """A distractor store made by older extraction code would compare old meetings with new ones."""
    from bench import haystack

    store = haystack.distractor_store(tmp_path, distractors=3, seed=5)
    first = (tmp_path / "haystack-s5-n3" / "done").read_text("utf-8")
    assert first.split()[-1] == haystack.records_fingerprint()
    marker = store / "kept-if-reused"
    marker.write_text("x", "utf-8")
    assert haystack.distractor_store(tmp_path, distractors=3, seed=5) == store and marker.exists()  # same code: reused
    monkeypatch.setattr(haystack, "records_fingerprint", lambda: "other-code")
    haystack.distractor_store(tmp_path, distractors=3, seed=5)
    assert not marker.exists()  # rebuilt
    assert (tmp_path / "haystack-s5-n3" / "done").read_text("utf-8").split()[-1] == "other-code"


@pytest.mark.integration
def test_generated_reports_say_where_whom_they_met_and_what_was_asked() -> None:
    """Reports in the generator's voice ("hosted", "received", "sought to ease tensions", a trip to
    another meeting later on): where and whom someone met, and what one side asked of the other, are
    the facts a user checks first, whatever words the writer chose."""
    from bench.generated import measure

    result = measure(articles=30, questions=30, seed=11)
    types = result["types"]
    assert types["where_when"]["questions"] >= 5 and types["who_met"]["questions"] >= 3
    assert types["demands"]["questions"] >= 3
    for kind in ("where_when", "who_met", "demands", "unanswerable"):
        assert types[kind]["share"] == 1.0, (kind, types[kind])
