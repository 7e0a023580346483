"""`briefbot eval` on the seed and dev gold sets, each on its own store, with the real model: the targets hold.

Targets (issue 3): full_answer >= 0.90, cite_precision >= 0.90, cite_recall >= 0.85, abstain_ok >= 0.90,
false_abstain <= 0.05, median answer <= 60 words.
"""

from __future__ import annotations

import json

import pytest

from bot.evaluation import meets_targets, run_eval
from bot.settings import Settings

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("gold_set", ["seed", "dev"])
def test_eval_meets_targets(eval_dir, tmp_path, gold_set):
    lines: list[str] = []
    report = tmp_path / "report.jsonl"
    summary = run_eval(
        eval_dir / gold_set / "qa.jsonl",
        eval_dir / gold_set / "articles",
        report=report,
        as_json=False,
        echo=lines.append,
        settings=Settings(store=tmp_path / "store", embedder="minilm", chroma_url=None),
    )
    questions = [
        json.loads(line) for line in (eval_dir / gold_set / "qa.jsonl").read_text("utf-8").splitlines() if line
    ]
    assert summary["questions"] == len(questions) and summary["missing"] == 0
    rows = [json.loads(line) for line in report.read_text("utf-8").splitlines()]
    assert [r["id"] for r in rows] == [q["id"] for q in questions]
    assert "full_answer" in "\n".join(lines)
    missed = {name: summary[name] for name, ok in meets_targets(summary).items() if not ok}
    failures = [f"{r['id']}: {r['question']} -> {r['answer'][:120]}" for r in rows if not r["ok"]]
    assert not missed, f"{gold_set}: targets missed {missed}; failing questions:\n" + "\n".join(failures)
