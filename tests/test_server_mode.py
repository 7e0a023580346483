"""Server mode: the same ingest and ask against a real `chroma run` on a free loopback port."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT, require_shared

pytestmark = pytest.mark.integration


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path):
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    assert chroma, "the chroma CLI comes with chromadb"
    port = _free_port()
    log = (tmp_path / "chroma.log").open("w")
    proc = subprocess.Popen(
        [chroma, "run", "--path", str(tmp_path / "server-data"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None, (tmp_path / "chroma.log").read_text()
            assert time.monotonic() < deadline, "chroma server did not start"
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def briefbot(args: list[str], chroma_url: str, cache: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "BRIEFBOT_CACHE_DIR": str(cache)}
    env.pop("BRIEFBOT_STORE", None)
    return subprocess.run(
        [sys.executable, "-m", "bot.surfaces.cli", *args, "--chroma-url", chroma_url],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        cwd=ROOT,
    )


def test_ingest_and_ask_through_a_chroma_server(chroma_server, tmp_path):
    evaldir = require_shared()
    cache = tmp_path / "lexical-cache"
    ingested = briefbot(["ingest", str(evaldir / "seed" / "articles")], chroma_server, cache)
    assert ingested.returncode == 0, ingested.stdout + ingested.stderr
    assert ingested.stdout.startswith("new")
    # Nothing was written to a local embedded store: the articles live on the server.
    import chromadb

    client = chromadb.HttpClient(host="127.0.0.1", port=int(chroma_server.rsplit(":", 1)[1]))
    assert client.get_collection("briefbot_articles").count() == 1
    assert client.get_collection("briefbot_passages").count() > 3

    questions = tmp_path / "q.jsonl"
    gold = [
        json.loads(line) for line in (evaldir / "seed" / "qa.jsonl").read_text("utf-8").splitlines() if line.strip()
    ]
    wanted = {q["id"]: q for q in gold if q["type"] in ("who_met", "where_when") and not q.get("session")}
    questions.write_text("\n".join(json.dumps({"id": i, "question": q["question"]}) for i, q in wanted.items()))
    asked = briefbot(["ask", "--batch", str(questions)], chroma_server, cache)
    assert asked.returncode == 0, asked.stderr
    answers = [json.loads(line) for line in asked.stdout.splitlines()]
    assert len(answers) == len(wanted)
    for a in answers:
        keys = wanted[a["id"]]["answer_keys"]
        assert not a["abstained"], a
        for key in keys:
            alternatives = key if isinstance(key, list) else [key]
            assert any(alt.casefold() in a["answer"].casefold() for alt in alternatives), (a["answer"], key)
        assert a["citations"], a
