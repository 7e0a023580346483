"""Briefbot in-process, for the figures the CLI cannot give: warm latency, embedder variants, cached vectors.

The ingest rate and cold starts are measured through the real CLI (`briefbot ingest`, `briefbot ask
--batch`) by the harness. This runner drives the same services through `bot.components.Components`:

    python -m bench.briefbot_runner ingest CORPUS/articles STORE --embedder onnx [--cache VECTORS.npz]
    python -m bench.briefbot_runner warm STORE QUESTIONS.jsonl --embedder minilm [--answers OUT.jsonl]
    python -m bench.briefbot_runner retrieve STORE QUESTIONS.jsonl --embedder minilm
    python -m bench.briefbot_runner add-delete STORE NEW_ARTICLES/ QUESTIONS.jsonl --embedder onnx

`--embedder onnx` is the product's default (settings.embedder = "minilm-onnx", the int8 ONNX model),
`--embedder minilm` the sentence-transformers one; a vector file (`--cache`) or synthetic vectors are
swapped into the components before anything uses them. Each prints one JSON object last.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

_STARTED = time.perf_counter()


def components_for(store: Path, embedder: str, cache: Path | None = None):
    """Components over `store`, with the embedder the benchmark asks for (cached when given a file)."""
    from bot.components import Components
    from bot.settings import Settings

    product = {"minilm": "minilm", "onnx": "minilm-onnx", "hash": "hash"}
    settings = Settings(store=store, chroma_url=None, embedder=product.get(embedder, "hash"))
    components = Components(settings)
    if embedder in product and cache is None:
        return components  # exactly what the product builds
    from bench.embedders import CachedEmbeddings, make_embedder

    embeddings = make_embedder(embedder)
    if cache is not None:
        embeddings = CachedEmbeddings(embeddings, cache)
    components.__dict__["embeddings"] = embeddings  # before any service is built from it
    return components


def ingest(folder: Path, store: Path, embedder: str, cache: Path | None) -> dict:
    components = components_for(store, embedder, cache)
    started = time.perf_counter()
    counts: dict[str, int] = {}
    passages = 0
    for result in components.ingest.ingest_paths([folder]):
        counts[result.status] = counts.get(result.status, 0) + 1
        passages += result.passages or 0
    seconds = time.perf_counter() - started
    flush = getattr(components.embeddings, "flush", None)
    if flush:
        flush()
    return {
        "pipeline": f"briefbot-{embedder}",
        "articles": sum(counts.values()),
        "statuses": counts,
        "passages": passages,
        "seconds_in_process": seconds,
        "seconds_since_start": time.perf_counter() - _STARTED,
    }


def _load_questions(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def warm(store: Path, questions: Path, embedder: str, repeat: int, answers_out: Path | None) -> dict:
    from bench.measure import key_hit, latency_summary, peak_rss_mb

    items = _load_questions(questions)
    chat = components_for(store, embedder).chat
    chat.ask(items[0]["question"])
    cold = time.perf_counter() - _STARTED
    print(json.dumps({"first_answer_after_s": cold}), flush=True)
    latencies: list[float] = []
    hits = answerable = abstained_right = unanswerable = 0
    records = []
    for round_ in range(repeat):
        for item in items:
            t = time.perf_counter()
            answer = chat.ask(item["question"])
            latencies.append((time.perf_counter() - t) * 1000)
            if round_:
                continue
            records.append(
                {
                    "id": item.get("id"),
                    "answer": answer.answer,
                    "abstained": answer.abstained,
                    "citations": [[c.article_id, c.start, c.end] for c in answer.citations],
                }
            )
            if item.get("answer_keys"):
                answerable += 1
                hits += key_hit(answer.answer, item["answer_keys"])
            else:
                unanswerable += 1
                abstained_right += bool(answer.abstained)
    if answers_out:
        answers_out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return {
        "pipeline": f"briefbot-{embedder}",
        "cold_first_answer_s_in_process": cold,
        "warm": latency_summary(latencies),
        "key_recall": hits / answerable if answerable else None,
        "abstained_on_unanswerable": abstained_right / unanswerable if unanswerable else None,
        "peak_rss_mb": peak_rss_mb(),
    }


def retrieve(store: Path, questions: Path, embedder: str, repeat: int) -> dict:
    """Hybrid retrieval alone (query embedding + dense + BM25 + fusion), no answer composition."""
    from bench.measure import latency_summary, peak_rss_mb

    items = _load_questions(questions)
    components = components_for(store, embedder)
    retriever = components.retriever
    retriever.search(items[0]["question"])
    latencies = []
    for _ in range(repeat):
        for item in items:
            t = time.perf_counter()
            retriever.search(item["question"])
            latencies.append((time.perf_counter() - t) * 1000)
    return {"pipeline": f"briefbot-{embedder}", "retrieve": latency_summary(latencies), "peak_rss_mb": peak_rss_mb()}


def add_delete(store: Path, new_articles: Path, questions: Path, embedder: str, count: int) -> dict:
    """One article added to a warm store and deleted again, `count` times: what a feed entry or an
    upload costs at this size (real embedding of the new article, extraction, the store's commit,
    the lexical index's update), then the first question after the write (the readers' caches catching
    up), then the delete. The store ends as it began."""
    from bench.measure import latency_summary, peak_rss_mb

    items = _load_questions(questions)
    components = components_for(store, embedder)
    chat, service = components.chat, components.ingest
    chat.ask(items[0]["question"])  # warm: model loaded, caches built
    adds: list[float] = []
    asks: list[float] = []
    deletes: list[float] = []
    files = sorted(new_articles.glob("*.txt"))[:count]
    for number, path in enumerate(files):
        t = time.perf_counter()
        (result,) = list(service.ingest_paths([path]))
        adds.append((time.perf_counter() - t) * 1000)
        if result.status != "new" or not result.article_id:
            raise SystemExit(f"{path.name}: expected a new article, got {result.status} ({result.error})")
        t = time.perf_counter()
        chat.ask(items[(number + 1) % len(items)]["question"])
        asks.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        if not service.delete(result.article_id):
            raise SystemExit(f"{path.name}: the article just added could not be deleted")
        deletes.append((time.perf_counter() - t) * 1000)
    return {
        "pipeline": f"briefbot-{embedder}",
        "articles_added": len(files),
        "add_one": latency_summary(adds),
        "first_ask_after_write": latency_summary(asks),
        "delete_one": latency_summary(deletes),
        "peak_rss_mb": peak_rss_mb(),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Briefbot's services in-process, for the benchmark.")
    sub = parser.add_subparsers(dest="command", required=True)
    p_ingest = sub.add_parser("ingest")
    p_ingest.add_argument("folder", type=Path)
    p_ingest.add_argument("store", type=Path)
    p_ingest.add_argument("--embedder", choices=("minilm", "onnx", "synthetic", "hash"), default="minilm")
    p_ingest.add_argument("--cache", type=Path)
    for name in ("warm", "retrieve"):
        p = sub.add_parser(name)
        p.add_argument("store", type=Path)
        p.add_argument("questions", type=Path)
        p.add_argument("--embedder", choices=("minilm", "onnx", "hash"), default="minilm")
        p.add_argument("--repeat", type=int, default=1)
        if name == "warm":
            p.add_argument("--answers", type=Path)
    p_mutate = sub.add_parser("add-delete")
    p_mutate.add_argument("store", type=Path)
    p_mutate.add_argument("new_articles", type=Path, help="a folder of articles not in the store")
    p_mutate.add_argument("questions", type=Path)
    p_mutate.add_argument("--embedder", choices=("minilm", "onnx", "hash"), default="onnx")
    p_mutate.add_argument("--count", type=int, default=5)
    args = parser.parse_args(argv)
    if args.command == "add-delete":
        result = add_delete(args.store, args.new_articles, args.questions, args.embedder, args.count)
    elif args.command == "ingest":
        result = ingest(args.folder, args.store, args.embedder, args.cache)
    elif args.command == "warm":
        result = warm(args.store, args.questions, args.embedder, args.repeat, args.answers)
    else:
        result = retrieve(args.store, args.questions, args.embedder, args.repeat)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
