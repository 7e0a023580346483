"""Several reader threads (the server's thread pool) while another process writes to the store."""

from __future__ import annotations

import subprocess
import sys
import threading

from ingest.models import LoadedDocument
from tests.conftest import ROOT

WRITER = """
import sys, time
from bot.settings import Settings
from vectorstore.store import ArticleStore
store = ArticleStore.open(Settings(store=sys.argv[1], embedder="hash"))
for _ in range(40):
    store._bump()  # what every committed write does: a new generation, so readers reopen
    time.sleep(0.03)
"""


def test_reader_threads_survive_another_process_writing(components, settings):
    body = "Minister Ana Sousa met Minister Tomas Berg in Lisbon. They agreed to expand fisheries cooperation."
    list(components.ingest.ingest_documents([LoadedDocument(text=body, title="Lisbon talks", source="a.txt")]))
    errors: list[str] = []
    answered = [0]
    stop = threading.Event()

    def ask_until_stopped() -> None:
        while not stop.is_set():
            try:
                components.chat.ask("What did Sousa and Berg agree?")
                answered[0] += 1
            except Exception as exc:  # any failure here would be a 500 in the server
                errors.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=ask_until_stopped) for _ in range(4)]
    for t in threads:
        t.start()
    try:
        subprocess.run([sys.executable, "-c", WRITER, str(settings.store)], cwd=ROOT, check=True, timeout=120)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=60)
    assert errors == []
    assert answered[0] > 0
    # Still answering from the first article, cited, after the other process's writes.
    answer = components.chat.ask("What did Sousa and Berg agree?")
    assert not answer.abstained and {c.source for c in answer.citations} == {"a.txt"}
