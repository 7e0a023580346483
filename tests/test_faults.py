"""Faults under a running Briefbot: the Chroma server dying and coming back, the lexical cache lost or
corrupted, the disk filling up mid-ingest. Each time: a clear error while it lasts, only whole
articles in the store, and recovery in the same process (no restart).

Whole-article checks are the ones `tests/test_kill.py` makes after SIGKILLs: every committed article
has all its passages, no passage is found without its article, and once a later ingest has run, no
orphan passage or pending marker is left.
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.components import Components
from bot.settings import Settings
from tests.chroma_process import ChromaProcess
from vectorstore.errors import StoreFull, StoreUnavailable
from vectorstore.guard import Guard

CITIES = ["Oslo", "Riga", "Tallinn", "Vilnius", "Warsaw", "Prague", "Vienna", "Bern"]


def write_articles(folder: Path, count: int = 8) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        city = CITIES[i % len(CITIES)]
        text = "\n\n".join(
            [f"Ministers meet in {city} for trade round {i}"]
            + [
                f"Foreign Minister Number{i} met Trade Envoy Person{i} in {city} on Monday for round {i}. "
                f"Number{i} urged the envoy to cut tariff {j} on steel. The envoy said proposal {j} would be studied."
                for j in range(4)
            ]
        )
        path = folder / f"a{i:02d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def assert_only_whole_articles(components: Components, settled: bool = False) -> None:
    """What a reader may see: every committed article whole, no passage without its article. Once
    `settled` (an ingest ran after the fault), nothing left behind either."""
    store = components.store
    committed = {a.id: a for a in store.list_articles()}
    on_disk = store.stored_passage_counts()
    assert {i: on_disk.get(i, 0) for i in committed} == {i: a.passage_count for i, a in committed.items()}
    found = components.retriever.search("Foreign Minister urged the envoy to cut tariff on steel", k=40)
    assert {h.article_id for h in found} <= set(committed)
    if settled:
        assert set(on_disk) == set(committed), "orphan passages"
        assert store.meta.get(where={"kind": "pending"}, include=[])["ids"] == []


class Interrupting:
    """A collection whose n-th call of `method` first runs `fault` (kill the server, fill the disk)."""

    def __init__(self, collection, method: str, fault: Callable[[], None], at_call: int = 1) -> None:
        self._collection = collection
        self._method = method
        self._fault = fault
        self._left = at_call

    def __getattr__(self, name: str):
        attr = getattr(self._collection, name)
        if name != self._method:
            return attr

        def call(*args, **kwargs):
            self._left -= 1
            if self._left == 0:
                self._fault()
            return attr(*args, **kwargs)

        return call


def interrupt(store, name: str, method: str, fault: Callable[[], None], at_call: int = 1) -> None:
    """Make the store's collection `name` run `fault` inside its n-th `method` call, where Chroma
    itself would fail (so the store sees the failure as it would see the real one)."""
    collection = getattr(store, name)
    setattr(store, name, store.guard.collection(Interrupting(collection.unguarded, method, fault, at_call)))


def restore(store, name: str) -> None:
    setattr(store, name, store.guard.collection(getattr(store, name).unguarded._collection))


# -- the Chroma server dies and comes back -------------------------------------------------------------


@pytest.fixture
def chroma(tmp_path):
    server = ChromaProcess(tmp_path / "chroma").start()
    yield server
    server.stop()


def server_components(url: str, tmp_path: Path, batch: int = 2, prefix: str = "briefbot") -> Components:
    return Components(
        Settings(
            chroma_url=url,
            collection_prefix=prefix,
            store=tmp_path / "no-embedded-store",
            cache_dir=tmp_path / "lexical-cache",
            embedder="hash",
            ingest_batch_size=batch,
            admin_token=None,
            embed_origins=[],
        )
    )


def test_server_killed_mid_ingest_fails_the_rest_clearly_and_a_rerun_completes_without_restart(chroma, tmp_path):
    paths = write_articles(tmp_path / "articles", 8)
    components = server_components(chroma.url, tmp_path)
    store = components.store
    # The second batch's passages reach the server; it dies before their sentence vectors and records.
    interrupt(store, "sentences", "upsert", chroma.kill, at_call=2)

    results = list(components.ingest.ingest_paths(paths))

    assert [r.status for r in results] == ["new", "new"] + ["failed"] * 6
    for result in results[2:]:
        assert chroma.url in result.reason and "does not answer" in result.reason, result.reason
    assert results[2].reason.startswith("not stored:") and results[7].reason.startswith("not ingested:")
    # Meanwhile a question gets the same clear error, not an answer built from nothing.
    with pytest.raises(StoreUnavailable, match="does not answer"):
        components.chat.ask("What did Number1 urge the envoy to cut?")

    chroma.start()
    assert len(store.list_articles()) == 2
    assert_only_whole_articles(components)  # the dead batch's passages are there, but never found
    again = list(components.ingest.ingest_paths(paths))
    assert [r.status for r in again] == ["duplicate", "duplicate"] + ["new"] * 6
    assert len(store.list_articles()) == 8
    assert_only_whole_articles(components, settled=True)
    answer = components.chat.ask("What did Number5 urge the envoy to cut?")
    assert not answer.abstained and "tariff" in answer.answer


def test_server_killed_mid_question_is_a_clear_error_and_the_next_question_is_answered(chroma, tmp_path):
    paths = write_articles(tmp_path / "articles", 4)
    components = server_components(chroma.url, tmp_path)
    assert {r.status for r in components.ingest.ingest_paths(paths)} == {"new"}
    question = "What did Number2 urge the envoy to cut?"
    before = components.chat.ask(question)
    assert not before.abstained

    real = components.store.dense_neighbours

    def dies_while_searching(*args, **kwargs):
        chroma.kill()
        return real(*args, **kwargs)

    components.store.dense_neighbours = dies_while_searching
    with pytest.raises(StoreUnavailable) as refused:
        components.chat.ask(question)
    assert chroma.url in str(refused.value) and "no restart" in str(refused.value)
    with pytest.raises(StoreUnavailable):  # still down: still the same clear error
        components.chat.ask(question)

    components.store.dense_neighbours = real
    chroma.start()
    after = components.chat.ask(question)
    assert after.answer == before.answer and after.citations == before.citations


def test_server_down_when_an_ingest_starts_fails_each_input_with_the_reason(chroma, tmp_path):
    paths = write_articles(tmp_path / "articles", 3)
    components = server_components(chroma.url, tmp_path)
    assert components.store.list_articles() == []  # opened while the server was up
    chroma.kill()
    results = list(components.ingest.ingest_paths(paths))
    assert [r.status for r in results] == ["failed"] * 3
    assert all("does not answer" in r.reason for r in results)
    chroma.start()
    assert {r.status for r in components.ingest.ingest_paths(paths)} == {"new"}
    assert_only_whole_articles(components, settled=True)


# -- the lexical (BM25) cache lost or corrupted -----------------------------------------------------------


@pytest.fixture
def filled(components, tmp_path) -> Components:
    assert {r.status for r in components.ingest.ingest_paths(write_articles(tmp_path / "articles", 6))} == {"new"}
    return components


def _lexical_hits(components: Components) -> list[str]:
    return [h.passage_id for h in components.lexical.search("Riga Number1 tariff", 5)]


def _reopen(components: Components) -> Components:
    """A new process on the same store (the cache is read from disk again)."""
    return Components(components.settings)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda p: p.write_bytes(b"\x00garbage" * 4096), id="overwritten with garbage"),
        pytest.param(lambda p: p.write_bytes(p.read_bytes()[:1000]), id="truncated"),
        pytest.param(lambda p: p.write_bytes(b""), id="emptied"),
        pytest.param(lambda p: p.unlink(), id="deleted"),
    ],
)
def test_a_damaged_lexical_cache_is_rebuilt_from_the_store(filled, damage):
    expected = _lexical_hits(filled)
    assert expected
    path = filled.lexical.path
    filled.lexical._local.conn.close()  # the process that wrote it has stopped
    damage(path)

    fresh = _reopen(filled)
    assert _lexical_hits(fresh) == expected
    answer = fresh.chat.ask("What did Number1 urge the envoy to cut?")
    assert not answer.abstained
    with sqlite3.connect(path) as check:  # a sound database again
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_lexical_cache_deleted_under_a_running_process_is_rebuilt(filled):
    expected = _lexical_hits(filled)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{filled.lexical.path}{suffix}").unlink(missing_ok=True)
    assert _lexical_hits(filled) == expected
    assert filled.lexical.path.exists()


def test_a_lexical_cache_corrupted_under_a_running_process_is_rebuilt(filled):
    expected = _lexical_hits(filled)
    real_db = filled.lexical._db
    calls = {"n": 0}

    class Corrupt(sqlite3.DatabaseError):
        sqlite_errorname = "SQLITE_CORRUPT"

    def corrupt_once():
        calls["n"] += 1
        if calls["n"] == 1:
            raise Corrupt("database disk image is malformed")
        return real_db()

    filled.lexical._db = corrupt_once
    assert _lexical_hits(filled) == expected
    assert calls["n"] > 1


# -- the disk fills up during an ingest ----------------------------------------------------------------------


def _no_space() -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def test_disk_full_mid_ingest_stops_it_with_a_clear_error_and_a_whole_store(components, tmp_path):
    paths = write_articles(tmp_path / "articles", 8)
    components.settings.ingest_batch_size = 2
    store = components.store
    # The second batch: its passages are written, then the disk is full for its sentence vectors.
    interrupt(store, "sentences", "upsert", _no_space, at_call=2)

    results = list(components.ingest.ingest_paths(paths))

    assert [r.status for r in results] == ["new", "new"] + ["failed"] * 6
    assert all("disk is full" in r.reason and "free some space" in r.reason for r in results[2:])
    assert_only_whole_articles(components)
    # Space freed: the same process ingests the rest, and finishes what the failed batch left.
    restore(store, "sentences")
    again = list(components.ingest.ingest_paths(paths))
    assert [r.status for r in again] == ["duplicate", "duplicate"] + ["new"] * 6
    assert_only_whole_articles(components, settled=True)


def test_disk_full_on_the_article_records_commits_nothing_of_that_batch(components, tmp_path):
    paths = write_articles(tmp_path / "articles", 3)
    store = components.store
    interrupt(store, "articles", "upsert", _no_space, at_call=1)
    results = list(components.ingest.ingest_paths(paths))
    assert {r.status for r in results} == {"failed"}
    assert store.list_articles() == []
    assert_only_whole_articles(components)


def test_disk_full_for_the_lexical_index_is_a_clear_error_until_there_is_room(components, tmp_path):
    paths = write_articles(tmp_path / "articles", 3)
    real_sync = components.lexical._sync

    def full():
        raise sqlite3.OperationalError("database or disk is full")

    components.lexical._sync = full
    results = list(components.ingest.ingest_paths(paths))
    assert {r.status for r in results} == {"new"}  # the articles are whole in the store
    with pytest.raises(StoreFull, match="disk is full"):
        components.chat.ask("What did Number1 urge the envoy to cut?")
    components.lexical._sync = real_sync
    assert not components.chat.ask("What did Number1 urge the envoy to cut?").abstained


def test_chroma_failing_with_the_disk_nearly_full_is_reported_as_a_full_disk(tmp_path, monkeypatch):
    from chromadb.errors import InternalError

    import vectorstore.errors as errors

    guard = Guard(path=tmp_path)
    opaque = InternalError("Error in compaction: Failed to apply logs to the metadata segment")
    monkeypatch.setattr(errors, "free_bytes", lambda where: 1024)
    assert isinstance(guard.translate(opaque), StoreFull)
    monkeypatch.setattr(errors, "free_bytes", lambda where: 50 * 1024**3)
    assert guard.translate(opaque) is None  # plenty of room: some other fault, not for us to rename


# -- another process's write half done -------------------------------------------------------------------


def test_a_read_that_meets_another_process_write_half_done_is_read_again(filled):
    """The embedded store's index files are rewritten by the writing process; a reader that loads
    them at that moment fails once, in Chroma's words below. The store reads again and answers."""
    from chromadb.errors import InternalError

    store = filled.store
    torn = {"left": 1}

    def half_written() -> None:
        if torn["left"]:
            torn["left"] -= 1
            raise InternalError(
                "Error executing plan: Error sending backfill request to compactor: Error constructing hnsw "
                "segment reader: Error deserializing pickle file: eval error at offset 114481: EOF while parsing"
            )

    interrupt(store, "sentences", "get", half_written)
    ids = [a.id for a in store.list_articles()]
    assert set(store.sentence_vectors(ids)) == set(ids)
    assert torn["left"] == 0


def test_the_api_says_the_store_is_unavailable_with_503(chroma, tmp_path):
    from fastapi.testclient import TestClient

    from bot.surfaces.server import create_app

    components = server_components(chroma.url, tmp_path)
    list(components.ingest.ingest_paths(write_articles(tmp_path / "articles", 2)))
    api = TestClient(
        create_app(components, with_ui=False),
        base_url="http://127.0.0.1:7860",
        client=("127.0.0.1", 5000),
        raise_server_exceptions=False,
    )
    chroma.kill()
    r = api.post("/api/ask", json={"question": "What did Number1 urge the envoy to cut?"})
    assert r.status_code == 503 and "does not answer" in r.json()["detail"] and r.headers["retry-after"]
    chroma.start()
    assert api.post("/api/ask", json={"question": "What did Number1 urge the envoy to cut?"}).status_code == 200


def test_processes_open_an_embedded_store_one_at_a_time(settings):
    """Chroma creates its database file when a client first opens a folder: two ingests started at
    once on a new store raced there ("database is locked"). An opener waits for the one before it."""
    import threading

    from filelock import FileLock

    from vectorstore.store import OPEN_LOCK, ArticleStore

    settings.store.mkdir(parents=True)
    other_opener = FileLock(str(settings.store / OPEN_LOCK))
    opened = threading.Event()
    with other_opener:
        worker = threading.Thread(target=lambda: (ArticleStore.open(settings), opened.set()))
        worker.start()
        assert not opened.wait(1.0), "opened while another process was opening the store"
    worker.join(60)
    assert opened.is_set()
    assert ArticleStore.open(settings).article_ids() == set()
