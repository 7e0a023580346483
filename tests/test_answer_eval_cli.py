"""`briefbot eval` on a user's own small gold set: metrics printed, report written, targets marked."""

from __future__ import annotations

import json

from click.testing import CliRunner

from bot.surfaces.cli import main

ARTICLE = """Li and Whitfield trade demands in Oslo

Chinese Foreign Minister Li Wen met US Secretary of State Dana Whitfield on Friday in Oslo.
Li urged the US to lift export controls on Chinese chipmakers.
Whitfield raised concerns about cyber attacks on American utilities.
"""

QUESTIONS = [
    {
        "id": "q1",
        "type": "who_met",
        "question": "Who did Whitfield meet in Oslo?",
        "answer_keys": [["Li Wen", "Li"]],
        "evidence": ["Chinese Foreign Minister Li Wen met US Secretary of State Dana Whitfield on Friday in Oslo."],
    },
    {
        "id": "q2",
        "type": "demands",
        "question": "What did China ask the US to do?",
        "answer_keys": ["export controls"],
        "evidence": ["Li urged the US to lift export controls on Chinese chipmakers."],
        "session": "s",
        "turn": 1,
    },
    {
        "id": "q3",
        "type": "side_position",
        "question": "And what concerns did the other side raise?",
        "answer_keys": ["cyber attacks"],
        "evidence": ["Whitfield raised concerns about cyber attacks on American utilities."],
        "session": "s",
        "turn": 2,
    },
    {
        "id": "q4",
        "type": "unanswerable",
        "question": "What did Macron tell Li in Paris?",
        "answer_keys": [],
        "evidence": [],
    },
]


def test_eval_command_scores_a_users_gold_set(tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "oslo.txt").write_text(ARTICLE, "utf-8")
    qa = tmp_path / "qa.jsonl"
    qa.write_text("".join(json.dumps(q) + "\n" for q in QUESTIONS), "utf-8")
    report = tmp_path / "report.jsonl"
    result = CliRunner().invoke(
        main,
        ["eval", str(qa), "--articles", str(articles), "--report", str(report), "--json"],
        env={"BRIEFBOT_EMBEDDER": "hash"},
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output[result.output.index("{") :])
    assert summary["questions"] == 4
    assert summary["full_answer"] == 1.0 and summary["abstain_ok"] == 1.0
    assert summary["cite_precision"] == 1.0 and summary["cite_recall"] == 1.0
    rows = [json.loads(line) for line in report.read_text("utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["q1", "q2", "q3", "q4"]
    assert rows[2]["resolved_question"] != rows[2]["question"]  # the follow-up was resolved
    assert all(r["ok"] for r in rows) and rows[3]["abstained"]


def test_eval_report_says_what_was_missed(tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "oslo.txt").write_text(ARTICLE, "utf-8")
    wrong = dict(QUESTIONS[0], answer_keys=["Geneva"])
    qa = tmp_path / "qa.jsonl"
    qa.write_text(json.dumps(wrong) + "\n", "utf-8")
    report = tmp_path / "report.jsonl"
    result = CliRunner().invoke(
        main, ["eval", str(qa), "--articles", str(articles), "--report", str(report)], env={"BRIEFBOT_EMBEDDER": "hash"}
    )
    assert result.exit_code == 0, result.output
    assert "full_answer     0.0  (target >= 0.85: MISSED)" in result.output
    assert "ranker_recall@1 1.0" in result.output  # the ranker found the evidence; composing missed the key
    row = json.loads(report.read_text("utf-8"))
    assert row["missed_keys"] == ["Geneva"] and row["ok"] is False
