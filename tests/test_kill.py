"""Kill the ingest process at random moments, many times: the store only ever holds whole articles.

Each round starts a fresh process that first inspects the store as the last killed writer left it
(every committed article has all its passages, every visible passage has its article, a question
gets an answer), then ingests the folder and is SIGKILLed at a random moment. A final run without a
kill must complete the rest and leave nothing behind: no orphan passage, no pending marker.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = 150  # enough that a quiet, fast machine is still mid-ingest at most kills
KILLS = 15

DRIVER = r"""
import json, sys
from pathlib import Path
from bot.components import Components

components = Components()
store = components.store
committed = {a.id: a for a in store.list_articles()}
on_disk = store.stored_passage_counts()
visible = {m["article_id"] for _ids, _docs, metas in store.iter_passages() for m in metas}
broken = sorted(i for i, a in committed.items() if on_disk.get(i, 0) != a.passage_count)
answer = components.chat.ask("What did the foreign minister urge the envoy to cut?")
cited = sorted({c.article_id for c in answer.citations} - set(committed))
hits = components.retriever.search("tariff on goods", k=5)
print(json.dumps({
    "committed": len(committed),
    "broken": broken,
    "orphans": sorted(set(on_disk) - set(committed)),
    "visible_without_article": sorted(visible - set(committed)),
    "answered": bool(answer.answer),
    "cited_missing": cited,
    "hits_missing": sorted({h.article_id for h in hits} - set(committed)),
    "pending": len(store.meta.get(where={"kind": "pending"}, include=[])["ids"]),
}), flush=True)
if sys.argv[2] == "ingest":
    print("ready", flush=True)
    for result in components.ingest.ingest_paths([Path(sys.argv[1])]):
        print(result.status, flush=True)
"""


def write_articles(folder: Path) -> None:
    cities = ["Oslo", "Riga", "Tallinn", "Vilnius", "Warsaw", "Prague", "Vienna", "Bern", "Lisbon", "Madrid"]
    folder.mkdir()
    for i in range(ARTICLES):
        city = cities[i % len(cities)]
        paragraphs = [f"Ministers meet in {city} for trade round {i}"] + [
            f"Foreign Minister Number{i} met Trade Envoy Person{i} in {city} on Monday for round {i}. "
            f"Number{i} urged the envoy to cut tariff {j} on goods. The envoy said proposal {j} would be studied."
            for j in range(5)
        ]
        (folder / f"a{i:03d}.txt").write_text("\n\n".join(paragraphs), encoding="utf-8")


def start(store: Path, folder: Path, mode: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "BRIEFBOT_EMBEDDER": "hash",
        "BRIEFBOT_STORE": str(store),
        "BRIEFBOT_INGEST_BATCH_SIZE": "3",  # many commits: many places to be killed in
        "PYTHONPATH": str(ROOT),
    }
    env.pop("BRIEFBOT_CHROMA_URL", None)
    return subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(folder), mode],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def check(report: dict) -> None:
    assert report["broken"] == [], "an article is missing passages"
    assert report["visible_without_article"] == [], "a passage is visible without its article"
    assert report["cited_missing"] == [] and report["hits_missing"] == []
    if report["committed"]:
        assert report["answered"]


def test_sigkill_at_random_points_leaves_only_whole_articles(tmp_path):
    folder, store = tmp_path / "articles", tmp_path / "store"
    write_articles(folder)
    rng = random.Random(20251127)
    stored_after_kill: list[int] = []
    for _round in range(KILLS):
        proc = start(store, folder, "ingest")
        report = json.loads(proc.stdout.readline() or "{}")
        assert report, proc.stderr.read()
        check(report)
        stored_after_kill.append(report["committed"])
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.05, 0.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        proc.stdout.close()
        proc.stderr.close()
    # A re-run completes the rest.
    final = start(store, folder, "ingest")
    out, err = final.communicate(timeout=300)
    assert final.returncode == 0, err
    lines = out.splitlines()
    check(json.loads(lines[0]))
    statuses = lines[2:]
    assert len(statuses) == ARTICLES and set(statuses) <= {"new", "duplicate"}
    after = start(store, folder, "check")
    out, err = after.communicate(timeout=300)
    assert after.returncode == 0, err
    report = json.loads(out.splitlines()[0])
    check(report)
    assert report["committed"] == ARTICLES
    assert report["orphans"] == [] and report["pending"] == 0
    # The kills landed while ingesting: the store grew from round to round, never all at once.
    print("articles committed before each round:", stored_after_kill)
    assert stored_after_kill == sorted(stored_after_kill)
    assert sum(0 < n < ARTICLES for n in stored_after_kill) >= KILLS // 3
