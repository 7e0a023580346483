"""Writers to one Chroma server take turns through a lease kept in the server's own collections.

Two Briefbot processes ingesting into the same server at once never interleave their writes (each
write of a batch of articles, from its pending marks to its commit, runs while no other writer's
does), and together they leave every article whole and stored once. A writer that died holding the
lease delays the others by the lease's time at most; one that stalled past it and was overtaken
commits nothing.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bot.components import Components
from tests.chroma_process import ChromaProcess
from tests.test_faults import assert_only_whole_articles, server_components, write_articles
from vectorstore.lease import StoreBusy, WriteLease

ROOT = Path(__file__).resolve().parent.parent

# One writer process: every store write (`add_articles`) is logged as an interval, and made slow
# enough that two writers without turns would overlap.
WRITER = r"""
import json, os, sys, time
from pathlib import Path
from bot.components import Components
from bot.settings import Settings

url, cache, log_path, folder = sys.argv[1:5]
components = Components(Settings(chroma_url=url, cache_dir=Path(cache), embedder="hash", ingest_batch_size=2))
store = components.store
real = store.add_articles

def logged(batch, **kwargs):
    with open(log_path, "a") as log:
        log.write(json.dumps({"pid": os.getpid(), "at": "start", "t": time.time()}) + "\n")
    try:
        time.sleep(0.05)
        return real(batch, **kwargs)
    finally:
        with open(log_path, "a") as log:
            log.write(json.dumps({"pid": os.getpid(), "at": "end", "t": time.time()}) + "\n")

store.add_articles = logged
for result in components.ingest.ingest_paths(sorted(Path(folder).glob("*.txt"))):
    print(result.status, flush=True)
"""


@pytest.fixture(scope="module")
def chroma(tmp_path_factory):
    """One server for the module; each test keeps to collections of its own (`_own`)."""
    server = ChromaProcess(tmp_path_factory.mktemp("chroma")).start()
    yield server
    server.stop()


def _own(chroma, tmp_path) -> Components:
    return server_components(chroma.url, tmp_path, prefix=tmp_path.name[:48])


def _intervals(log: Path) -> list[tuple[float, float, int]]:
    events = [json.loads(line) for line in log.read_text().splitlines()]
    opened: dict[int, float] = {}
    spans = []
    for event in events:
        if event["at"] == "start":
            opened[event["pid"]] = event["t"]
        else:
            spans.append((opened.pop(event["pid"]), event["t"], event["pid"]))
    assert not opened
    return sorted(spans)


def test_two_processes_writing_to_one_server_never_interleave_an_article(chroma, tmp_path):
    shared = write_articles(tmp_path / "shared", 8)
    folders = []
    for name in ("desk-a", "desk-b"):
        folder = tmp_path / name
        folder.mkdir()
        for path in shared:  # both desks ingest the same 8 articles ...
            (folder / path.name).write_text(path.read_text("utf-8"), "utf-8")
        for i, extra in enumerate(write_articles(tmp_path / f"{name}-own", 4)):  # ... and 4 of their own
            (folder / f"own-{i}.txt").write_text(extra.read_text("utf-8").replace("round", f"{name} round"), "utf-8")
        folders.append(folder)
    log = tmp_path / "writes.jsonl"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("BRIEFBOT_CHROMA_URL", None)
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, chroma.url, str(tmp_path / f"cache-{i}"), str(log), str(folder)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i, folder in enumerate(folders)
    ]
    outputs = [w.communicate(timeout=300) for w in writers]
    for writer, (out, err) in zip(writers, outputs):
        assert writer.returncode == 0, err
        assert "failed" not in out.split(), out

    spans = _intervals(log)
    assert len({pid for _, _, pid in spans}) == 2, "both processes wrote"
    for (_start, end, pid), (next_start, _, next_pid) in itertools.pairwise(spans):
        assert end <= next_start, f"writes of {pid} and {next_pid} overlapped"

    components = server_components(chroma.url, tmp_path)
    articles = components.store.list_articles()
    assert len(articles) == 16  # 8 shared, stored once, and 4 of each desk's own
    assert_only_whole_articles(components, settled=True)
    leases = components.store.meta.get(where={"kind": "lease"}, include=["metadatas"])["metadatas"]
    assert leases and all(m["released"] for m in leases), "the lease lives in the server's own collections"


def test_a_second_writer_waits_for_the_lease_and_gets_it_when_released(chroma, tmp_path):
    store = _own(chroma, tmp_path).store
    first, second = WriteLease(store), WriteLease(store, timeout=0.5)
    with first:
        with pytest.raises(StoreBusy, match="write lease"):
            second.acquire()
        with first:  # re-entrant within its holder
            first.check()
    with second:
        second.check()


def test_threads_of_one_process_take_turns(chroma, tmp_path):
    lease = WriteLease(_own(chroma, tmp_path).store)
    inside, most = [0], [0]

    def write() -> None:
        for _ in range(3):
            with lease:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
                time.sleep(0.01)
                inside[0] -= 1

    threads = [threading.Thread(target=write) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most[0] == 1


def test_a_dead_writers_lease_expires_and_is_taken_over(chroma, tmp_path):
    store = _own(chroma, tmp_path).store
    store.add_lease_record(1, {"holder": "a writer that was killed", "expires": time.time() + 0.3, "released": False})
    lease = WriteLease(store, timeout=10)
    with lease:
        lease.check()
        assert max(store.lease_records()) == 2


def test_a_writer_overtaken_after_stalling_commits_nothing(chroma, tmp_path):
    from ingest.service import IngestService
    from tests.test_faults import interrupt

    components: Components = _own(chroma, tmp_path)
    store = components.store
    lease = WriteLease(store, ttl=0.4)
    ingest = IngestService(store, components.lexical, components.embeddings, settings=components.settings, lock=lease)

    def stall() -> None:
        """Mid-write, the writer is paused past its lease (all its threads: no renewal either) and
        another writer takes the lease over meanwhile."""
        lease._stop.set()
        time.sleep(0.5)
        with WriteLease(store, timeout=10):
            pass

    interrupt(store, "passages", "upsert", stall)
    results = list(ingest.ingest_paths(write_articles(tmp_path / "articles", 2)))
    assert {r.status for r in results} == {"failed"}
    assert all("stalled" in r.reason for r in results), results
    assert store.list_articles() == []  # nothing of the batch is visible ...
    assert_only_whole_articles(components)
    again = list(ingest.ingest_paths(write_articles(tmp_path / "articles", 2)))  # ... and a re-run completes it
    assert {r.status for r in again} == {"new"}
    assert_only_whole_articles(components, settled=True)
