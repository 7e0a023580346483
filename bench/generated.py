"""Answer quality on generated articles: the corpus generator's questions, asked of its own articles.

The gold sets are real reporting, and the ranker's weights are fit on them; `bench.corpus` writes
reports in another voice ("hosted", "received", "held a phone call with", page noise, analysts,
trips to other meetings) with questions whose answer keys it knows. A rule or weight that only
holds for the gold sets' wording shows up here as a question type that drops. Generated names
repeat across a large corpus ("What did Faisal Bakr warn about?" may fit two reports), so the
figures are a floor for the engine, not a target to tune to.

    python -m bench.generated --articles 400 --questions 200 [--alone]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from bench.corpus import write_corpus
from bot.components import Components
from bot.evaluation import ask_all, load_questions, score
from bot.settings import Settings


def by_type(rows: list[dict]) -> dict[str, dict]:
    """Per question type: how many, and the share fully answered (abstained, for unanswerable)."""
    out: dict[str, dict] = {}
    for row in rows:
        ok = row["abstain_ok"] if row["type"] == "unanswerable" else row["full"]
        entry = out.setdefault(row["type"], {"questions": 0, "ok": 0})
        entry["questions"] += 1
        entry["ok"] += bool(ok)
    return {t: {**e, "share": round(e["ok"] / e["questions"], 3)} for t, e in sorted(out.items())}


def measure(articles: int, questions: int, seed: int, alone: bool = False) -> dict:
    """`alone`: each answerable question asked of a store that holds its own article only, so a type
    that drops there is the engine's defect, not two reports that fit one question."""
    with tempfile.TemporaryDirectory(prefix="briefbot-generated-") as tmp:
        corpus = Path(tmp) / "corpus"
        write_corpus(corpus, articles, seed, questions=questions)
        # The extractive engine only: a reader model configured in the environment is not measured here.
        components = Components(Settings(store=Path(tmp) / "store", chroma_url=None, llm="none"))
        gold = [{**q, "evidence": []} for q in load_questions(corpus / "questions.jsonl")]
        if alone:
            gold = [q for q in gold if q.get("article")]
            predictions = []
            for q in gold:
                added = list(components.ingest.ingest_paths([corpus / "articles" / q["article"]]))
                if any(r.status == "failed" for r in added):
                    raise RuntimeError(f"{q['article']} failed to ingest: {[r.line() for r in added]}")
                predictions += ask_all(components.chat, [q])
                for result in added:
                    if result.article_id:
                        components.ingest.delete(result.article_id)
        else:
            report = components.ingest.ingest_all([corpus / "articles"])
            if report.failed:
                raise RuntimeError(f"generated articles failed to ingest: {report.summary()}")
            predictions = ask_all(components.chat, gold)
        rows = score(gold, predictions)
    answerable = [r for r in rows if r["type"] != "unanswerable"]
    return {
        "articles": articles,
        "seed": seed,
        "alone": alone,
        "answerable_full": round(sum(r["full"] for r in answerable) / max(1, len(answerable)), 3),
        "types": by_type(rows),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--alone", action="store_true", help="ask each question of its own article only")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    result = measure(args.articles, args.questions, args.seed, args.alone)
    text = json.dumps(result, indent=1)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, "utf-8")


if __name__ == "__main__":
    main()
