"""On the gold sets: cleaning keeps every evidence sentence word for word and drops the page noise."""

from __future__ import annotations

import json

from ingest.loaders import load_path

NOISE = ("Photo:", "Credits:", "Read more", "Follow us", "Reporting by", "Related stories", "cookies", "Copyright")


def test_every_gold_evidence_sentence_survives_cleaning(eval_dir):
    for split in ("seed", "dev"):
        records = [json.loads(line) for line in (eval_dir / split / "articles.jsonl").open(encoding="utf-8")]
        texts = {}
        for record in records:
            (doc,) = load_path(eval_dir / split / record["file"])
            texts[record["id"]] = doc.text
            assert not [n for n in NOISE if n.casefold() in doc.text.casefold()], record["file"]
        for line in (eval_dir / split / "qa.jsonl").open(encoding="utf-8"):
            question = json.loads(line)
            ids = question["article_id"] if isinstance(question["article_id"], list) else [question["article_id"]]
            for sentence in question.get("evidence") or []:
                assert any(sentence in texts.get(i, "") for i in ids if i), (question["id"], sentence)
