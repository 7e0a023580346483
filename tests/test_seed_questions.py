"""The seed article end to end, as a user runs it: `briefbot ingest` then `briefbot ask --batch`,
real model, real embedded Chroma store, scored with the gold set's own scorer."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT, require_shared

pytestmark = pytest.mark.integration


def load_scorer(evaldir):
    spec = importlib.util.spec_from_file_location("gold_score", evaldir / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory):
    evaldir = require_shared()
    tmp = tmp_path_factory.mktemp("seed")
    env = {**os.environ, "BRIEFBOT_STORE": str(tmp / "store"), "BRIEFBOT_EMBEDDER": "minilm"}
    env.pop("BRIEFBOT_CHROMA_URL", None)

    def cli(*args):
        return subprocess.run(
            [sys.executable, "-m", "bot.surfaces.cli", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
            cwd=ROOT,
        )

    ingested = cli("ingest", str(evaldir / "seed" / "articles"))
    assert ingested.returncode == 0, ingested.stdout + ingested.stderr
    gold = [
        json.loads(line) for line in (evaldir / "seed" / "qa.jsonl").read_text("utf-8").splitlines() if line.strip()
    ]
    batch = tmp / "questions.jsonl"
    batch.write_text("\n".join(json.dumps({k: q[k] for k in ("id", "question", "session") if k in q}) for q in gold))
    asked = cli("ask", "--batch", str(batch))
    assert asked.returncode == 0, asked.stderr
    predictions = [json.loads(line) for line in asked.stdout.splitlines() if line.strip()]
    scorer = load_scorer(evaldir)
    rows = {r["id"]: r for r in scorer.score(gold, predictions)}
    return gold, {p["id"]: p for p in predictions}, rows


def test_every_question_gets_one_answer_in_order(seed_run):
    gold, predictions, _ = seed_run
    assert list(predictions) == [q["id"] for q in gold]


@pytest.mark.parametrize("kind", ["who_met", "where_when", "demands"])
def test_core_questions_are_answered_with_their_keys_and_cite_their_evidence(seed_run, kind):
    gold, predictions, rows = seed_run
    questions = [q for q in gold if q["type"] == kind]
    assert questions
    for q in questions:
        row = rows[q["id"]]
        assert row["full"], (q["question"], predictions[q["id"]]["answer"])
        assert row["evidence_hit"] > 0, (q["question"], predictions[q["id"]]["citations"])


def test_unanswerable_questions_abstain_and_cite_nothing(seed_run):
    gold, predictions, _ = seed_run
    for q in gold:
        if q["type"] == "unanswerable":
            p = predictions[q["id"]]
            assert p["abstained"] and p["citations"] == [], (q["question"], p["answer"])
            assert "don't say" in p["answer"] or "do not say" in p["answer"]
