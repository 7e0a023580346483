"""Two ingests at once, and questions while ingesting: the embedded store stays consistent.

The embedded store is one folder opened by several processes. Writers are serialised per article
batch by the ingest service's file lock; readers in other processes must see new articles whole
(in dense and lexical search both) without restarting.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.components import Components
from bot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
CITIES = ["Oslo", "Riga", "Tallinn", "Vilnius", "Warsaw", "Prague", "Vienna", "Bern", "Lisbon", "Madrid"]


def article(i: int) -> str:
    city = CITIES[i % len(CITIES)]
    return "\n\n".join(
        [f"Ministers meet in {city} for fisheries round {i}"]
        + [
            f"Fisheries Minister Alpha{i} met Coastal Envoy Beta{i} in {city} for round {i}. "
            f"Alpha{i} urged the envoy to share catch data {j}. Beta{i} warned of quota cuts {j}."
            for j in range(4)
        ]
    )


def write(folder: Path, numbers: range) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in numbers:
        (folder / f"a{i:03d}.txt").write_text(article(i), encoding="utf-8")
    return folder


def ingest_process(store: Path, folder: Path) -> subprocess.Popen:
    env = {**os.environ, "BRIEFBOT_EMBEDDER": "hash", "BRIEFBOT_STORE": str(store), "BRIEFBOT_INGEST_BATCH_SIZE": "2"}
    env.pop("BRIEFBOT_CHROMA_URL", None)
    return subprocess.Popen(
        [sys.executable, "-m", "bot.surfaces.cli", "ingest", "--no-progress", str(folder)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def consistent(store_dir: Path, expected: int) -> None:
    """Checked from a fresh process, as a new reader would see it."""
    code = f"""
from pathlib import Path
from bot.components import Components
from bot.settings import Settings
c = Components(Settings(store=Path({str(store_dir)!r}), embedder="hash"))
articles = {{a.id: a for a in c.store.list_articles()}}
counts = c.store.stored_passage_counts()
assert len(articles) == {expected}, len(articles)
assert set(counts) == set(articles), "orphan or missing passages"
assert all(counts[i] == a.passage_count for i, a in articles.items()), "an article is not whole"
total = sum(counts.values())
hits = c.store.dense_search(c.embeddings.embed_query("catch data"), total)
assert len({{h.passage_id for h in hits}}) == total, (len(hits), total)
print("ok", len(articles), total)
"""
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("ok")


def test_two_ingests_at_once_store_each_article_once_and_whole(tmp_path):
    store = tmp_path / "store"
    first = write(tmp_path / "first", range(0, 30))
    second = write(tmp_path / "second", range(15, 45))  # half overlaps the first
    procs = [ingest_process(store, first), ingest_process(store, second)]
    outputs = [p.communicate(timeout=300) for p in procs]
    for proc, (out, err) in zip(procs, outputs):
        assert proc.returncode == 0, out + err
    statuses = [line.split()[0] for out, _ in outputs for line in out.splitlines()[:30]]
    assert statuses.count("new") == 45 and statuses.count("duplicate") == 15
    consistent(store, 45)


def test_questions_while_ingesting_and_readers_see_new_articles(tmp_path):
    store = tmp_path / "store"
    reader = Components(Settings(store=store, embedder="hash"))
    seed = write(tmp_path / "seed", range(0, 3))
    list(reader.ingest.ingest_paths([seed]))
    assert reader.retriever.search("Alpha1 catch data", k=3)[0].article_id

    later = write(tmp_path / "later", range(100, 130))
    proc = ingest_process(store, later)
    errors: list[str] = []
    asked = 0
    while proc.poll() is None or asked == 0:
        try:
            hits = reader.retriever.search("Alpha101 urged the envoy", k=5)
            committed = reader.store.article_ids()  # read after the search: a superset of what it saw
            assert {h.article_id for h in hits} <= committed
            answer = reader.chat.ask("What did Alpha1 urge the envoy to do?")
            assert answer.answer
        except Exception as exc:  # collected, so the ingest is never left running
            errors.append(repr(exc))
        asked += 1
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, out + err
    assert errors == []
    assert asked >= 1
    # The long-lived reader sees the new articles in both rankers, without restarting.
    titles = {a.title for a in reader.store.list_articles()}
    assert "Ministers meet in Vienna for fisheries round 126" in titles and len(titles) == 33
    target = next(a.id for a in reader.store.list_articles() if a.title.endswith("round 126"))
    dense = reader.store.dense_search(reader.embeddings.embed_query("Alpha126 urged the envoy to share catch data"), 3)
    assert dense and dense[0].article_id == target
    lexical = reader.lexical.search("Alpha126 Beta126", 3)
    assert lexical and lexical[0].article_id == target
    consistent(store, 33)
