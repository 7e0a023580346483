"""The haystack check: a gold set's questions asked of its articles hidden among generated distractors.

Meeting resolution is where an answer engine drops when the store holds many meetings of people
like the ones asked about; each set alone cannot show that. This ingests the gold set's articles
plus N articles of `bench.corpus` (the same seed gives the same distractors) into one fresh store,
asks the gold questions in order (sessions as conversations) and prints the metrics beside those
of the set alone.

    python -m bench.haystack ../shared/eval/dev ../shared/eval/dev2 --distractors 1000

The distractor store is kept in `bench/data/haystack-s{seed}-n{N}` and reused by later runs (the
gold articles are added to a copy each time), so the 1,000-article ingest is paid once per version
of the code that makes and shapes the stored records: it is rebuilt when the corpus generator,
loading, cleaning, segmentation or extraction changes, or the distractors' meetings would be the old
code's while the gold articles' are the new.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import tempfile
import time
from pathlib import Path

from bench.corpus import write_corpus
from bot.components import Components
from bot.evaluation import ask_all, evidence_recall, load_questions, score, summarise
from bot.settings import Settings
from vectorstore.onnx_embeddings import EXPORT_RECIPE

ROOT = Path(__file__).resolve().parent.parent
KEYS = ("full_answer", "cite_precision", "cite_recall", "abstain_ok", "false_abstain", "answer_words")


def records_fingerprint() -> str:
    """A digest of the code that makes the distractors and decides what their stored records hold:
    the corpus generator, loading, cleaning, metadata, segmentation and extraction, and the
    embedder's export recipe."""
    digest = hashlib.sha256()
    ingest = ROOT / "ingest"
    files = [
        ROOT / "bench" / "corpus.py",
        *(ingest / name for name in ("cleaning.py", "metadata.py", "segment.py")),
        *sorted((ingest / "loaders").glob("*.py")),
        *sorted((ingest / "extraction").glob("*.py")),
        ingest / "extraction" / "countries.json",
    ]
    for path in files:
        digest.update(path.read_bytes())
    digest.update(EXPORT_RECIPE.encode())  # the stored sentence vectors are the embedder's
    return digest.hexdigest()[:16]


def distractor_store(work: Path, distractors: int, seed: int) -> Path:
    """A store holding the distractors alone, built once per (seed, size, records fingerprint)."""
    folder = work / f"haystack-s{seed}-n{distractors}"
    store = folder / "store"
    fingerprint = records_fingerprint()
    done = folder / "done"
    if done.exists() and done.read_text("utf-8").split()[-1:] == [fingerprint]:
        return store
    shutil.rmtree(folder, ignore_errors=True)
    corpus = folder / "corpus"
    write_corpus(corpus, distractors, seed, questions=10)
    components = Components(Settings(store=store, chroma_url=None))
    report = components.ingest.ingest_all([corpus / "articles"])
    if report.failed:
        raise RuntimeError(f"distractors failed to ingest: {report.summary()}")
    done.write_text(f"{distractors} {fingerprint}", "utf-8")
    return store


def measure(set_dir: Path, store: Path | None) -> dict:
    """The set's metrics on a fresh copy of `store` (or an empty store) with the set's articles added."""
    questions = load_questions(set_dir / "qa.jsonl")
    with tempfile.TemporaryDirectory(prefix="briefbot-haystack-") as tmp:
        target = Path(tmp) / "store"
        if store is not None:
            shutil.copytree(store, target)
        components = Components(Settings(store=target, chroma_url=None))
        failed = [r for r in components.ingest.ingest_paths([set_dir / "articles"]) if r.status == "failed"]
        if failed:
            raise RuntimeError(f"{set_dir}: {[r.line() for r in failed]}")
        started = time.perf_counter()
        predictions = ask_all(components.chat, questions)
        seconds = time.perf_counter() - started
        articles = len(components.store.article_ids())
    summary = summarise(score(questions, predictions))
    out = {key: summary[key] for key in KEYS}
    out["ranker_recall@1"] = evidence_recall(questions, predictions, 1)
    out["ranker_recall@3"] = evidence_recall(questions, predictions, 3)
    out["articles_in_store"] = articles
    out["ask_ms_mean"] = round(1000 * seconds / max(1, len(questions)), 1)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sets", nargs="+", type=Path)
    parser.add_argument("--distractors", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "haystack.json")
    args = parser.parse_args(argv)
    hay = distractor_store(args.work, args.distractors, args.seed) if args.distractors else None
    results = {}
    for set_dir in args.sets:
        results[set_dir.name] = {"alone": measure(set_dir, None), "haystack": measure(set_dir, hay)}
        print(json.dumps({set_dir.name: results[set_dir.name]}, indent=1), flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"distractors": args.distractors, "seed": args.seed, "sets": results}, indent=1))


if __name__ == "__main__":
    main()
