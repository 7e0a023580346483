"""The CLI as users and evaluation tools call it: subprocesses, a temp store, the fake embedder."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ARTICLE = """Envoys agree on river talks in Vientiane

Laotian Foreign Minister Sone Keo met Thai Foreign Minister Chai Prasert in Vientiane on Monday.
Chai urged Laos to share dam data before the dry season. The two ministers agreed to hold monthly river talks.
"""

OTHER = """Trade ministers meet in Santiago

Chilean Trade Minister Rosa Vidal hosted Peruvian Trade Minister Luis Paredes in Santiago.
Paredes warned against new copper export quotas.
"""


def run(args, store: Path, check=True, **kw):
    env = {**os.environ, "BRIEFBOT_EMBEDDER": "hash", "BRIEFBOT_STORE": str(store)}
    env.pop("BRIEFBOT_CHROMA_URL", None)
    proc = subprocess.run(
        [sys.executable, "-m", "bot.surfaces.cli", *args], capture_output=True, text=True, env=env, timeout=300, **kw
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"briefbot {' '.join(args)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "vientiane.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "santiago.md").write_text("# " + OTHER, encoding="utf-8")
    return folder


def test_ingest_reports_each_article_and_failures_without_stopping(tmp_path, corpus):
    store = tmp_path / "store"
    broken = tmp_path / "broken.pdfx"
    broken.write_bytes(b"\x00\x01")
    proc = run(["ingest", str(corpus), str(broken)], store, check=False)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert sum(line.startswith("new") for line in lines) == 2
    assert any(line.startswith("failed") and "broken.pdfx" in line for line in lines)
    again = run(["ingest", str(corpus)], store)
    assert sum(line.startswith("duplicate") for line in again.stdout.splitlines()) == 2


def test_list_show_delete(tmp_path, corpus):
    store = tmp_path / "store"
    run(["ingest", str(corpus)], store)
    rows = json.loads(run(["list", "--json"], store).stdout)
    assert {r["title"] for r in rows} == {
        "Envoys agree on river talks in Vientiane",
        "Trade ministers meet in Santiago",
    }
    assert all({"id", "title", "outlet", "published", "source", "passages"} <= set(r) for r in rows)
    target = next(r for r in rows if "Vientiane" in r["title"])
    shown = json.loads(run(["show", target["id"], "--json"], store).stdout)
    assert "Chai urged Laos to share dam data" in shown["text"]
    assert run(["delete", target["id"]], store).stdout.strip() == f"deleted {target['id']}"
    assert [r["id"] for r in json.loads(run(["list", "--json"], store).stdout)] != [target["id"]]
    missing = run(["show", target["id"]], store, check=False)
    assert missing.returncode != 0 and "no article" in missing.stderr


def test_ask_batch_keeps_the_contract(tmp_path, corpus):
    store = tmp_path / "store"
    run(["ingest", str(corpus)], store)
    batch = tmp_path / "q.jsonl"
    questions = [
        {"id": "q1", "question": "What did Chai urge Laos to do?"},
        {"id": "q2", "question": "Who did Sone Keo meet?", "session": "s"},
        {"id": "q3", "question": "What did they agree?", "session": "s"},
        {"id": "q4", "question": "What did the Martian ambassador say on Jupiter?"},
        {"id": "q5", "question": "   "},  # one bad line gets its own abstention; the batch goes on
        {"id": "q6", "question": "What did Paredes warn against?"},
    ]
    batch.write_text("\n".join(json.dumps(q) for q in questions) + "\n", encoding="utf-8")
    proc = run(["ask", "--batch", str(batch)], store)
    answers = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    assert [a["id"] for a in answers] == ["q1", "q2", "q3", "q4", "q5", "q6"]
    for a in answers:
        assert set(a) == {"id", "answer", "abstained", "citations"}
        assert isinstance(a["answer"], str) and a["answer"]
        assert isinstance(a["abstained"], bool)
        for c in a["citations"]:
            assert set(c) == {"n", "article_id", "title", "source", "text", "start", "end"}
            assert f"[{c['n']}]" in a["answer"]
    assert answers[3]["abstained"] is True and answers[3]["citations"] == []
    assert answers[4]["abstained"] is True and "empty" in answers[4]["answer"]
    # Each cited span is exactly the article's characters at those offsets.
    texts = {
        r["id"]: json.loads(run(["show", r["id"], "--json"], store).stdout)["text"]
        for r in json.loads(run(["list", "--json"], store).stdout)
    }
    for a in answers:
        for c in a["citations"]:
            assert texts[c["article_id"]][c["start"] : c["end"]] == c["text"]


def test_ask_needs_a_question_or_a_batch(tmp_path):
    proc = run(["ask"], tmp_path / "store", check=False)
    assert proc.returncode == 2 and "QUESTION or --batch" in proc.stderr


def test_help_documents_every_command():
    out = subprocess.run(
        [sys.executable, "-m", "bot.surfaces.cli", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for command in ("ingest", "ask", "list", "show", "delete", "serve", "eval"):
        assert command in out


def test_serve_flags_reach_the_server_settings(tmp_path, monkeypatch):
    """Flags parse like their BRIEFBOT_* variables and override them (the server itself is tested elsewhere)."""
    from click.testing import CliRunner

    import bot.surfaces.server
    from bot.surfaces.cli import main

    seen = {}
    monkeypatch.setattr(
        bot.surfaces.server,
        "serve",
        lambda components, ingest_samples=False: seen.update(
            settings=components.settings, ingest_samples=ingest_samples
        ),
    )
    monkeypatch.setenv("BRIEFBOT_ADMIN_TOKEN", "from-env")
    result = CliRunner().invoke(
        main,
        [
            "serve",
            "--store",
            str(tmp_path / "s"),
            "--port",
            "8123",
            "--embed-origins",
            "https://news.example.org, https://blog.example.org/",
            "--daily-quota",
            "7",
            "--allowed-hosts",
            "briefbot.example.org, *.example.net",
            "--ingest-samples",
        ],
    )
    assert result.exit_code == 0, result.output
    settings = seen["settings"]
    assert settings.port == 8123 and settings.daily_quota == 7
    assert settings.allowed_hosts == ["briefbot.example.org", "*.example.net"]
    assert settings.embed_origins == ["https://news.example.org", "https://blog.example.org"]
    assert settings.admin_token == "from-env"  # not given as a flag: the environment still counts
    assert settings.store == tmp_path / "s"
    assert seen["ingest_samples"] is True
