"""The project's own scorer agrees with the gold sets' score.py, so `briefbot eval` reports the same numbers."""

from __future__ import annotations

import importlib.util
import json

from bot.evaluation import has_key, meets_targets, score, summarise, supports


def _reference(eval_dir):
    spec = importlib.util.spec_from_file_location("gold_score", eval_dir / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_key_and_citation_rules():
    assert has_key("It was “candid and constructive”.", ["candid and constructive"])
    assert has_key("Russia’s war", "Russia's war")
    assert not has_key("nothing here", ["Munich", "MSC"])
    sentence = "Wang urged the US to lift sanctions on Chinese firms."
    assert supports(sentence, sentence)
    assert supports("Wang urged the US to lift sanctions", sentence)  # a clause of it
    assert not supports("The talks were held in Munich on Friday.", sentence)
    assert not supports(sentence * 40, sentence)  # a whole article is no citation


def test_targets_are_checked_in_both_directions():
    good = {"full_answer": 0.95, "cite_precision": 0.92, "cite_recall": 0.9, "abstain_ok": 1.0}
    good |= {"false_abstain": 0.0, "answer_words": 30}
    assert all(meets_targets(good).values())
    bad = good | {"false_abstain": 0.2, "cite_recall": 0.5}
    assert meets_targets(bad) == meets_targets(good) | {"false_abstain": False, "cite_recall": False}


def test_same_summary_as_score_py(eval_dir, tmp_path):
    reference = _reference(eval_dir)
    gold = [json.loads(line) for line in (eval_dir / "seed" / "qa.jsonl").read_text("utf-8").splitlines() if line]
    # A mixed set of predictions: right, wrong, abstained, and missing answers.
    predictions = []
    for i, q in enumerate(gold):
        if i % 4 == 3:
            continue
        keys = " ".join(k if isinstance(k, str) else k[0] for k in q.get("answer_keys") or [])
        cites = [{"text": e} for e in (q.get("evidence") or [])[:1]]
        if i % 4 == 1:
            keys, cites = "something else", [{"text": "An unrelated sentence about the weather."}]
        predictions.append({"id": q["id"], "answer": keys or "x", "abstained": i % 4 == 2, "citations": cites})
    ours = summarise(score(gold, predictions))
    theirs = reference.summarise(reference.score(gold, predictions))
    assert ours == theirs
