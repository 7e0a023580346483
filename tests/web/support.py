"""Helpers for the web tests: fixture articles with hand-made meetings, a live server, a browser.

Meetings are written by hand here (from the fixture's own sentences) so the card and UI tests do
not depend on how the extraction reads an article; the articles go through the real loader,
segmenter, embedder and store.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from ingest.loaders import load_path
from ingest.segment import make_passages, split_sentences
from ingest.service import embed_articles
from vectorstore.models import Agreement, Article, Evidence, Meeting, Participant, Statement, Topic

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MUNICH = FIXTURES / "munich_talks.txt"
LISBON = FIXTURES / "lisbon_fisheries.txt"
PAYLOAD = FIXTURES / "payload.txt"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def sentence_of(article: Article, fragment: str) -> Evidence:
    """Evidence for the whole sentence of `article` that contains `fragment`."""
    at = article.text.index(fragment)
    for s in split_sentences(article.text):
        if s.start <= at < s.end:
            return Evidence(article_id=article.id, start=s.start, end=s.end)
    raise AssertionError(f"no sentence holds {fragment!r}")


def munich_meeting(article: Article) -> Meeting:
    met = sentence_of(article, "met US Secretary of State")
    return Meeting(
        participants=[
            Participant(name="Wang Yi", title="Foreign Minister", country="China", side="China"),
            Participant(
                name="Antony Blinken", title="Secretary of State", country="United States", side="United States"
            ),
        ],
        venue="Munich",
        venue_evidence=met,
        date="on Friday",
        date_evidence=met,
        mode="third-party",
        topics=[Topic(label="the war in Ukraine", evidence=sentence_of(article, "the war in Ukraine"))],
        statements=[
            Statement(
                actor="Wang Yi",
                side="China",
                kind="urge",
                target="United States",
                text="lift its sanctions on Chinese companies",
                evidence=sentence_of(article, "lift its sanctions"),
            ),
            Statement(
                actor="Antony Blinken",
                side="United States",
                kind="warn",
                text="Chinese support for Russia's defence industry would have consequences",
                evidence=sentence_of(article, "would have consequences"),
            ),
        ],
        agreements=[
            Agreement(
                text="keep the lines of military communication open",
                evidence=sentence_of(article, "lines of military communication"),
            )
        ],
        evidence=met,
    )


def payload_meeting(article: Article) -> Meeting:
    """A meeting whose every field carries a script payload, as a hostile article could produce."""
    hosted = sentence_of(article, "hosted envoys")
    bad = '<img src=x onerror="window.__pwned=1">'
    return Meeting(
        participants=[Participant(name=f"Ignazio Cassis {bad}", title="<script>window.__pwned=1</script>", side=bad)],
        venue=f"Geneva {bad}",
        venue_evidence=hosted,
        date="on Monday",
        topics=[Topic(label=f"prisoner exchanges {bad}", evidence=hosted)],
        statements=[
            Statement(
                actor=f"Swiss side {bad}",
                side="Switzerland",
                kind="urge",
                text="[respect the deal](javascript:window.__pwned=1) <script>window.__pwned=1</script>",
                evidence=sentence_of(article, "urged both parties"),
            )
        ],
        agreements=[Agreement(text=f"a prisoner exchange {bad}", evidence=sentence_of(article, "agreed on"))],
        evidence=hosted,
    )


def store_article(components: Any, path: Path, meetings: Callable[[Article], Meeting] | None = None) -> Article:
    """Load, segment, embed and store one fixture file, with hand-made meetings when given."""
    doc = next(iter(load_path(path)))
    article = Article.from_loaded(doc)
    sentences = split_sentences(article.text)
    passages = make_passages(article.id, article.text, sentences)
    article.meetings = [meetings(article)] if meetings else []
    article.passage_count = len(passages)
    [(vectors, packed)] = embed_articles([(sentences, passages)], components.embeddings)
    components.store.add_article(article, passages, vectors, sentence_vectors=packed)
    components.lexical.refresh()
    return article


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(app: Any, port: int | None = None) -> Iterator[str]:
    """Serve an ASGI app on a free loopback port in a thread; yields its base URL; stops it after."""
    port = port or free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def wait_for_ui(base: str, timeout: float = 120.0) -> None:
    """Wait until a server started with `defer_ui=True` says its chat UI is mounted."""
    deadline = time.monotonic() + timeout
    while httpx.get(base + "/healthz").json()["ui"] != "ready":
        assert time.monotonic() < deadline, "the UI did not start"
        time.sleep(0.2)


def launch_chromium(playwright: Any) -> Any:
    """Debian's chromium, headless, with nothing reaching out to the network on its own."""
    return playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
