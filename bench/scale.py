"""Retrieval-only stores at 100k / 1M passages, with synthetic vectors, for both pipelines.

Embedding a million passages on 2 cores takes hours, and the question at that scale is the store
and query path (HNSW, BM25, filters, fusion, memory), not the model. So the passages are real
generated report text (for BM25 and the answerer), their vectors are synthetic unit vectors, and
no briefing extraction runs (the articles carry no meetings). Questions are embedded by the real
model. Stores are kept under the work folder and reused while their manifest matches.

    python -m bench.scale build-briefbot STORE --passages 100000 --seed 7
    python -m bench.scale build-vanilla STORE --passages 100000 --seed 7
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Iterator
from pathlib import Path

from bench.corpus import build_pools, generate_article
from bench.embedders import SyntheticEmbeddings

_BATCH = 400  # articles per store write


def _articles(seed: int) -> Iterator[tuple[int, str]]:
    pools = build_pools(seed)
    index = 0
    while True:
        yield index, generate_article(seed, index, pools).text
        index += 1


def _manifest_ok(store: Path, wanted: dict) -> bool:
    try:
        return json.loads((store / "bench-manifest.json").read_text("utf-8")) == wanted
    except (OSError, ValueError):
        return False


def build_briefbot(store: Path, passages: int, seed: int) -> dict:
    """Write articles through ArticleStore (whole-article batches) until `passages` are stored."""
    from bot.settings import Settings
    from ingest.cleaning import clean_text
    from ingest.models import LoadedDocument
    from ingest.segment import make_passages, split_sentences
    from vectorstore.lexical import LexicalIndex
    from vectorstore.models import Article
    from vectorstore.store import ArticleStore

    wanted = {"pipeline": "briefbot", "passages": passages, "seed": seed}
    if _manifest_ok(store, wanted):
        return {**wanted, "reused": True}
    settings = Settings(store=store, chroma_url=None)
    arts = ArticleStore.open(settings)
    synthetic = SyntheticEmbeddings()
    started = time.perf_counter()
    total = articles = 0
    pending: list = []

    def write() -> None:
        if hasattr(arts, "add_articles"):
            from vectorstore.store import NewArticle

            arts.add_articles([NewArticle(a, ps, vs) for a, ps, vs in pending])
        else:
            for a, ps, vs in pending:
                arts.add_article(a, ps, vs)
        pending.clear()

    for index, raw in _articles(seed):
        if total >= passages:
            break
        text = clean_text(raw)
        article = Article.from_loaded(
            LoadedDocument(text=text, title=text.split("\n", 1)[0], source=f"{index:07d}.txt")
        )
        sentences = split_sentences(article.text)
        parts = make_passages(article.id, article.text, sentences)[: passages - total]
        if not parts:
            continue
        pending.append((article, parts, synthetic.embed_array([p.text for p in parts]).tolist()))
        total += len(parts)
        articles += 1
        if len(pending) >= _BATCH:
            write()
    write()
    LexicalIndex(arts, settings.lexical_dir).refresh()
    result = {**wanted, "articles": articles, "build_seconds": time.perf_counter() - started}
    (store / "bench-manifest.json").write_text(json.dumps(wanted), "utf-8")
    return result


def build_vanilla(store: Path, passages: int, seed: int) -> dict:
    """The tutorial store over the tutorial's chunks of the same articles, `passages` chunks in all."""
    from langchain_chroma import Chroma
    from langchain_core.documents import Document

    from bench.vanilla import COLLECTION, split

    wanted = {"pipeline": "vanilla", "passages": passages, "seed": seed}
    if _manifest_ok(store, wanted):
        return {**wanted, "reused": True}
    started = time.perf_counter()
    db = Chroma(persist_directory=str(store), embedding_function=SyntheticEmbeddings(), collection_name=COLLECTION)
    total = articles = 0
    batch: list = []
    for index, text in _articles(seed):
        if total >= passages:
            break
        chunks = split([Document(page_content=text, metadata={"source": f"{index:07d}.txt"})])[: passages - total]
        batch.extend(chunks)
        total += len(chunks)
        articles += 1
        if len(batch) >= 4000:
            db.add_documents(batch)
            batch = []
    if batch:
        db.add_documents(batch)
    result = {**wanted, "articles": articles, "build_seconds": time.perf_counter() - started}
    (store / "bench-manifest.json").write_text(json.dumps(wanted), "utf-8")
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Build retrieval-only stores with synthetic vectors.")
    parser.add_argument("command", choices=("build-briefbot", "build-vanilla"))
    parser.add_argument("store", type=Path)
    parser.add_argument("--passages", type=int, required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    build = build_briefbot if args.command == "build-briefbot" else build_vanilla
    print(json.dumps(build(args.store, args.passages, args.seed)), flush=True)


if __name__ == "__main__":
    main()
