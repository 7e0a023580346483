"""Does the int8 ONNX embedder change what Briefbot answers? Run a gold set with both and compare.

Speed-ups must not change behaviour: this ingests a gold set's articles into two fresh stores (one
per embedder), asks every question through `ChatService`, and reports the gold-set scores and how
many answers and citations are identical question by question.

    python -m bench.compare_embedders ../shared/eval/dev
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path


def run_gold_set(gold: Path, embedder: str, store: Path) -> tuple[list[dict], dict]:
    """Predictions and the summary score for one embedder on one gold set folder."""
    from bench.briefbot_runner import components_for
    from bot.evaluation import ask_all, load_questions, score, summarise

    questions = load_questions(gold / "qa.jsonl")
    components = components_for(store, embedder)
    failed = [r for r in components.ingest.ingest_paths([gold / "articles"]) if r.status == "failed"]
    if failed:
        raise RuntimeError(f"{len(failed)} gold articles failed to ingest: {failed[0].line()}")
    predictions = ask_all(components.chat, questions)
    return predictions, summarise(score(questions, predictions))


def compare(gold: Path, embedders: tuple[str, str] = ("minilm", "onnx")) -> dict:
    runs = {}
    with tempfile.TemporaryDirectory(prefix="briefbot-compare-") as tmp:
        for embedder in embedders:
            runs[embedder] = run_gold_set(gold, embedder, Path(tmp) / embedder)
    (a_pred, a_sum), (b_pred, b_sum) = runs[embedders[0]], runs[embedders[1]]
    differing = [
        {"id": x["id"], embedders[0]: x["answer"], embedders[1]: y["answer"]}
        for x, y in zip(a_pred, b_pred)
        if x["answer"] != y["answer"] or x["citations"] != y["citations"]
    ]
    same_answer = sum(x["answer"] == y["answer"] for x, y in zip(a_pred, b_pred))
    same_cites = sum(x["citations"] == y["citations"] for x, y in zip(a_pred, b_pred))
    return {
        "gold_set": gold.name,
        "questions": len(a_pred),
        "same_answer": same_answer,
        "same_citations": same_cites,
        "scores": {embedders[0]: a_sum, embedders[1]: b_sum},
        "differing": differing,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", type=Path, nargs="+", help="gold set folders (articles/ + qa.jsonl)")
    args = parser.parse_args(argv)
    for gold in args.gold:
        print(json.dumps(compare(gold), ensure_ascii=False))


if __name__ == "__main__":
    main()
