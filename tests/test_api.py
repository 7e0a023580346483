"""The JSON API, route by route, as a tool or the widget calls it (fake embedder, temp store)."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from bot.streaming import answer_chunks
from bot.surfaces.server import create_app
from tests.web.support import LISBON, MUNICH, munich_meeting, store_article

LOOPBACK = ("127.0.0.1", 50000)
REMOTE = ("203.0.113.7", 50000)
SITE = "http://news.example.org"
BASE = "http://127.0.0.1:7860"  # the server's default address, as a browser on this machine names it


@pytest.fixture
def munich(components):
    return store_article(components, MUNICH, munich_meeting)


def client_for(components, *, remote: bool = False, peer=None, base_url: str = BASE, **settings) -> TestClient:
    for key, value in settings.items():
        setattr(components.settings, key, value)
    app = create_app(components, with_ui=False)
    client = peer or (REMOTE if remote else LOOPBACK)
    return TestClient(app, base_url=base_url, client=client, raise_server_exceptions=False)


def sse_events(body: str) -> list[tuple[str, dict]]:
    events = []
    for block in body.strip().split("\n\n"):
        name = re.search(r"^event: (.*)$", block, re.M).group(1)
        data = json.loads(re.search(r"^data: (.*)$", block, re.M).group(1))
        events.append((name, data))
    return events


# -- ask --------------------------------------------------------------------------------------


def test_ask_answers_with_citations_and_a_session(components, munich) -> None:
    api = client_for(components)
    r = api.post("/api/ask", json={"question": "What did Wang urge the United States to do?"})
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"answer", "abstained", "citations", "session_id"}
    assert "lift its sanctions" in body["answer"] and "[1]" in body["answer"]
    assert body["abstained"] is False
    citation = body["citations"][0]
    assert set(citation) == {"n", "article_id", "title", "source", "text", "start", "end"}
    assert citation["article_id"] == munich.id
    assert munich.text[citation["start"] : citation["end"]] == citation["text"]

    again = api.post("/api/ask", json={"question": "Where did they meet?", "session_id": body["session_id"]})
    assert again.status_code == 200 and again.json()["session_id"] == body["session_id"]


def test_ask_abstains_when_the_articles_do_not_say(components, munich) -> None:
    r = client_for(components).post("/api/ask", json={"question": "What did Lula say about coffee prices?"})
    assert r.status_code == 200
    assert r.json()["abstained"] is True and r.json()["citations"] == []


def test_bad_questions_get_a_clear_4xx(components, munich) -> None:
    api = client_for(components)
    empty = api.post("/api/ask", json={"question": ""})
    assert empty.status_code == 422 and "question" in empty.json()["detail"]
    blank = api.post("/api/ask", json={"question": "   "})
    assert blank.status_code == 400 and "empty" in blank.json()["detail"]
    long = api.post("/api/ask", json={"question": "x" * 1001})
    assert long.status_code == 422 and "1000 characters" in long.json()["detail"]
    missing = api.post("/api/ask", json={})
    assert missing.status_code == 422 and "question" in missing.json()["detail"]
    not_json = api.post("/api/ask", content=b"who met?", headers={"Content-Type": "application/json"})
    assert not_json.status_code == 422
    invented = api.post("/api/ask", json={"question": "Who met?", "session_id": "my-own-id"})
    assert invented.status_code == 404 and "session" in invented.json()["detail"]


def test_stream_sends_tokens_then_citations(components, munich) -> None:
    api = client_for(components)
    question = {"question": "What did Wang urge the United States to do?"}
    whole = api.post("/api/ask", json=question).json()
    r = api.post("/api/ask/stream", json=question)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    events = sse_events(r.text)
    names = [n for n, _ in events]
    assert names[0] == "session" and names[-2:] == ["citations", "done"]
    assert set(names[1:-2]) == {"token"} and len(names) > 4
    tokens = [d["text"] for n, d in events if n == "token"]
    assert "".join(tokens) == whole["answer"]
    assert events[-2][1]["citations"] == whole["citations"]


def test_streamed_pieces_never_split_a_citation_marker() -> None:
    text = "Wang urged the US to lift sanctions [1]. Blinken warned of consequences [2][3]. They agreed [12]."
    pieces = list(answer_chunks(text, words_per_chunk=2))
    assert "".join(pieces) == text
    for piece in pieces:
        assert piece.count("[") == piece.count("]"), piece


def test_session_quota_answers_429_with_a_message(components, munich) -> None:
    api = client_for(components, session_quota=2)
    first = api.post("/api/ask", json={"question": "Who met in Munich?"}).json()
    sid = first["session_id"]
    assert api.post("/api/ask", json={"question": "Where?", "session_id": sid}).status_code == 200
    over = api.post("/api/ask/stream", json={"question": "When?", "session_id": sid})
    assert over.status_code == 429 and "limit of 2 questions" in over.json()["detail"]
    assert api.post("/api/ask", json={"question": "Who met in Munich?"}).status_code == 200


def test_daily_quota_answers_429_across_sessions(components, munich) -> None:
    api = client_for(components, daily_quota=2)
    for _ in range(2):
        assert api.post("/api/ask", json={"question": "Who met in Munich?"}).status_code == 200
    over = api.post("/api/ask", json={"question": "Who met in Munich?"})
    assert over.status_code == 429 and "daily limit" in over.json()["detail"]


def test_new_session_route(components) -> None:
    r = client_for(components, session_quota=7).post("/api/sessions")
    assert r.status_code == 200 and r.json()["questions_left"] == 7 and len(r.json()["session_id"]) >= 20


def test_unexpected_errors_are_a_short_500_without_a_trace(components, munich, monkeypatch) -> None:
    api = client_for(components)

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals /home/x/store")

    monkeypatch.setattr(components.chat, "ask", broken)
    r = api.post("/api/ask", json={"question": "Who met?"})
    assert r.status_code == 500
    assert r.json() == {"detail": "internal error; the server log has the details"}


# -- origins, embedding -------------------------------------------------------------------------


def test_pages_on_sites_not_allowed_are_refused(components, munich) -> None:
    api = client_for(components, embed_origins=[SITE])
    evil = {"Origin": "http://evil.example"}
    for r in (
        api.post("/api/ask", json={"question": "Who met?"}, headers=evil),
        api.get("/api/articles", headers=evil),
        api.get("/api/meetings", headers=evil),
    ):
        assert r.status_code == 403 and "BRIEFBOT_EMBED_ORIGINS" in r.json()["detail"]
        assert "access-control-allow-origin" not in r.headers
    preflight = api.options(
        "/api/ask",
        headers={**evil, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"},
    )
    assert "access-control-allow-origin" not in preflight.headers


def test_allowed_sites_get_cors_and_may_frame_the_chat(components, munich) -> None:
    api = client_for(components, embed_origins=[SITE])
    preflight = api.options(
        "/api/ask/stream",
        headers={
            "Origin": SITE,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200 and preflight.headers["access-control-allow-origin"] == SITE
    r = api.post("/api/ask", json={"question": "Who met in Munich?"}, headers={"Origin": SITE})
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == SITE
    frame = api.get("/embed/chat")
    assert frame.status_code == 200 and 'src="widget.js"' in frame.text
    assert frame.headers["content-security-policy"].endswith(f"frame-ancestors 'self' {SITE}")


def test_nothing_is_framable_by_default(components) -> None:
    api = client_for(components)
    assert api.get("/embed/chat").headers["content-security-policy"].endswith("frame-ancestors 'self'")
    assert api.get("/docs").headers["content-security-policy"] == "frame-ancestors 'self'"
    widget = api.get("/embed/widget.js")
    assert widget.status_code == 200 and widget.headers["content-type"].startswith("text/javascript")
    assert "/api/ask/stream" in widget.text


def test_the_widget_is_read_only_even_from_an_allowed_site(components) -> None:
    api = client_for(components, embed_origins=[SITE], admin_token="s3cret")
    auth = {"Authorization": "Bearer s3cret", "Origin": SITE}
    r = api.post("/api/articles", json={"text": LISBON.read_text()}, headers=auth)
    assert r.status_code == 403 and "read-only" in r.json()["detail"]
    assert api.delete("/api/articles/x", headers=auth).status_code == 403


# -- articles -----------------------------------------------------------------------------------


def test_library_routes(components, munich) -> None:
    api = client_for(components)
    rows = api.get("/api/articles").json()
    assert [r["id"] for r in rows] == [munich.id]
    assert rows[0]["title"] == "Wang Yi and Antony Blinken meet in Munich" and rows[0]["passages"] >= 1
    one = api.get(f"/api/articles/{munich.id}").json()
    assert one["text"] == munich.text and one["meetings"][0]["venue"] == "Munich"
    missing = api.get("/api/articles/nope")
    assert missing.status_code == 404 and "nope" in missing.json()["detail"]


def test_paste_an_article_then_ask_about_it(components) -> None:
    api = client_for(components)
    r = api.post("/api/articles", json={"text": LISBON.read_text(), "source": "editor"})
    assert r.status_code == 201
    (result,) = r.json()["results"]
    assert result["status"] == "new" and result["title"].startswith("Portugal and Morocco")
    assert api.post("/api/articles", json={"text": LISBON.read_text()}).json()["results"][0]["status"] == "duplicate"
    answer = api.post("/api/ask", json={"question": "What did Akhannouch call on Portugal to back?"}).json()
    assert "fisheries agreement" in answer["answer"]
    assert answer["citations"][0]["article_id"] == result["article_id"]


def test_upload_files_with_a_result_per_file(components) -> None:
    api = client_for(components)
    files = [
        ("files", ("munich.txt", MUNICH.read_bytes(), "text/plain")),
        ("files", ("../../etc/notes.exe", b"MZ\x00\x00binary", "application/octet-stream")),
    ]
    r = api.post("/api/articles", files=files)
    assert r.status_code == 201
    results = r.json()["results"]
    assert [x["status"] for x in results] == ["new", "failed"]
    assert results[0]["source"] == "munich.txt"
    assert results[1]["source"] == "notes.exe" and "unsupported file type" in results[1]["reason"]
    only_bad = api.post("/api/articles", files=[("files", ("x.exe", b"MZ", "application/octet-stream"))])
    assert only_bad.status_code == 422


def test_malformed_ingest_requests(components) -> None:
    api = client_for(components)
    no_files = api.post("/api/articles", files=[("attachment", ("a.txt", b"text", "text/plain"))])
    assert no_files.status_code == 400 and "files" in no_files.json()["detail"]
    wrong_type = api.post("/api/articles", content=b"text", headers={"Content-Type": "text/plain"})
    assert wrong_type.status_code == 415
    empty_text = api.post("/api/articles", json={"text": ""})
    assert empty_text.status_code == 422 and "text" in empty_text.json()["detail"]


def test_delete_an_article(components, munich) -> None:
    api = client_for(components)
    assert api.delete(f"/api/articles/{munich.id}").json() == {"deleted": munich.id}
    assert api.get("/api/articles").json() == []
    again = api.delete(f"/api/articles/{munich.id}")
    assert again.status_code == 404


def test_without_a_token_only_loopback_may_write(components, munich) -> None:
    api = client_for(components, remote=True)
    r = api.post("/api/articles", json={"text": LISBON.read_text()})
    assert r.status_code == 403 and "BRIEFBOT_ADMIN_TOKEN" in r.json()["detail"]
    assert api.delete(f"/api/articles/{munich.id}").status_code == 403
    assert api.get("/api/articles").status_code == 200  # reading stays open
    assert len(api.get("/api/articles").json()) == 1


def test_a_proxied_request_is_not_local(components, munich) -> None:
    """Behind a reverse proxy on this machine, the peer is loopback but the client is not."""
    api = client_for(components)
    r = api.delete(f"/api/articles/{munich.id}", headers={"X-Forwarded-For": "198.51.100.4"})
    assert r.status_code == 403
    assert len(api.get("/api/articles").json()) == 1


def test_with_a_token_writes_need_it_from_anywhere(components, munich) -> None:
    api = client_for(components, remote=True, admin_token="s3cret")
    assert api.delete(f"/api/articles/{munich.id}").status_code == 401
    wrong = api.delete(f"/api/articles/{munich.id}", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.headers["www-authenticate"] == "Bearer"
    ok = api.delete(f"/api/articles/{munich.id}", headers={"Authorization": "Bearer s3cret"})
    assert ok.status_code == 200
    local = client_for(components, admin_token="s3cret")  # loopback needs it too once one is set
    assert local.post("/api/articles", json={"text": LISBON.read_text()}).status_code == 401


# -- meetings, docs -----------------------------------------------------------------------------


def test_meetings_as_cards_filtered_and_as_markdown(components, munich) -> None:
    store_article(components, LISBON)
    api = client_for(components)
    cards = api.get("/api/meetings").json()
    assert len(cards) == 1 and cards[0]["venue"] == "Munich"
    assert cards[0]["sources"] and all(line["n"] >= 1 for line in cards[0]["lines"])
    assert api.get("/api/meetings", params={"q": "Blinken"}).json()[0]["id"] == cards[0]["id"]
    assert api.get("/api/meetings", params={"q": "Morocco"}).json() == []
    md = api.get("/api/meetings", params={"format": "markdown"})
    assert md.headers["content-type"].startswith("text/markdown") and md.text.startswith("## Wang Yi")
    assert api.get("/api/meetings", params={"format": "pdf"}).status_code == 400


def test_openapi_documents_every_route(components) -> None:
    api = client_for(components)
    assert api.get("/docs").status_code == 200
    paths = api.get("/openapi.json").json()["paths"]
    assert {"/api/ask", "/api/ask/stream", "/api/articles", "/api/articles/{article_id}", "/api/meetings"} <= set(paths)
    assert {"get", "post"} <= set(paths["/api/articles"]) and "delete" in paths["/api/articles/{article_id}"]


# -- host names, proxies, body sizes (DNS rebinding, quotas, oversized requests) ---------------------


def test_a_dns_rebinding_page_can_neither_write_nor_read(components, munich) -> None:
    """attacker.example rebound to 127.0.0.1: the browser sends that name as Host and Origin."""
    api = client_for(components, base_url="http://attacker.example:7860")
    rebound = {"Origin": "http://attacker.example:7860"}
    r = api.post("/api/articles", json={"text": LISBON.read_text()}, headers=rebound)
    assert r.status_code == 400 and "host" in r.text.lower()
    assert api.delete(f"/api/articles/{munich.id}", headers=rebound).status_code == 400
    assert api.get("/api/articles", headers=rebound).status_code == 400
    assert api.post("/api/ask", json={"question": "Who met in Munich?"}, headers=rebound).status_code == 400
    local = client_for(components)
    assert [a["id"] for a in local.get("/api/articles").json()] == [munich.id]  # nothing stored or deleted


@pytest.mark.parametrize("base_url", ["http://localhost:7860", "http://[::1]:7860", "http://127.0.0.1:8000"])
def test_every_loopback_name_may_write(components, base_url) -> None:
    api = client_for(components, base_url=base_url)
    origin = {"Origin": base_url}  # the server's own page
    assert api.post("/api/articles", json={"text": LISBON.read_text()}, headers=origin).status_code == 201


def test_a_configured_host_name_may_read_but_writes_from_it_need_the_token(components, munich) -> None:
    api = client_for(components, base_url="http://briefs.example.org", allowed_hosts=["briefs.example.org"])
    assert api.get("/api/articles").status_code == 200
    r = api.post("/api/articles", json={"text": LISBON.read_text()})
    assert r.status_code == 403 and "BRIEFBOT_ADMIN_TOKEN" in r.json()["detail"]
    other = client_for(components, base_url="http://elsewhere.example.org")
    assert other.get("/api/articles").status_code == 400


def test_behind_a_tls_proxy_the_public_origin_is_this_server(components, munich) -> None:
    """The proxy talks http to 127.0.0.1:7860; the browser's page is https://briefs.example.org."""
    public = {"Origin": "https://briefs.example.org"}
    plain = client_for(components)
    assert plain.get("/api/articles", headers=public).status_code == 403
    api = client_for(components, public_url="https://briefs.example.org")
    assert api.get("/api/articles", headers=public).status_code == 200
    assert api.post("/api/ask", json={"question": "Who met in Munich?"}, headers=public).status_code == 200
    named = client_for(components, base_url="https://briefs.example.org", public_url="https://briefs.example.org")
    assert named.get("/api/articles", headers=public).status_code == 200  # its host name is trusted too


def test_an_address_cannot_dodge_the_quota_by_starting_new_conversations(components, munich) -> None:
    api = client_for(components, remote=True, client_quota=2)
    for _ in range(2):
        assert api.post("/api/ask", json={"question": "Who met in Munich?"}).status_code == 200
    over = api.post("/api/ask", json={"question": "Who met in Munich?"})
    assert over.status_code == 429 and "This address" in over.json()["detail"]
    fresh = api.post("/api/sessions").json()["session_id"]
    assert api.post("/api/ask/stream", json={"question": "Who met?", "session_id": fresh}).status_code == 429
    neighbour = TestClient(api.app, base_url=BASE, client=("198.51.100.20", 1), raise_server_exceptions=False)
    assert neighbour.post("/api/ask", json={"question": "Who met in Munich?"}).status_code == 200


def test_anonymous_calls_cannot_push_out_other_callers_conversations(components, munich) -> None:
    api = client_for(components, remote=True)
    api.app.state.sessions.max_sessions = 25
    neighbour = TestClient(api.app, base_url=BASE, client=("198.51.100.20", 1), raise_server_exceptions=False)
    kept = neighbour.post("/api/ask", json={"question": "Who met in Munich?"}).json()["session_id"]
    for _ in range(60):
        assert api.post("/api/sessions").status_code == 200
    again = neighbour.post("/api/ask", json={"question": "Where did they meet?", "session_id": kept})
    assert again.status_code == 200 and again.json()["session_id"] == kept


def test_oversized_request_bodies_are_refused_before_they_are_read(components, munich) -> None:
    api = client_for(components)
    padding = "x" * 100_000
    big = api.post("/api/ask", json={"question": "Who met?", "session_id": padding})
    assert big.status_code == 413

    def chunked():  # no Content-Length: the cap is counted on the bytes as they arrive
        yield b'{"question": "Who met?", "session_id": "'
        for _ in range(100):
            yield b"x" * 1000
        yield b'"}'

    streamed = api.post("/api/ask", content=chunked(), headers={"Content-Type": "application/json"})
    assert streamed.status_code == 413
    # An article is bigger than a question: its route has a larger cap.
    long_article = LISBON.read_text() + "\n\n" + "The ministers met again in Porto to review the talks. " * 2000
    assert len(long_article.encode()) > 100_000
    assert api.post("/api/articles", json={"text": long_article}).status_code == 201


def test_answers_and_ingest_results_have_one_schema_each(components) -> None:
    schemas = client_for(components).get("/openapi.json").json()["components"]["schemas"]
    assert {"AskResponse", "Citation", "IngestResponse", "IngestResult"} <= set(schemas)
    assert not {"CitationOut", "IngestOut"} & set(schemas)
    assert schemas["AskResponse"]["properties"]["citations"]["items"] == {"$ref": "#/components/schemas/Citation"}
    assert set(schemas["IngestResult"]["properties"]) == {
        "source",
        "status",
        "article_id",
        "title",
        "passages",
        "reason",
    }


def test_host_names_and_the_public_url_come_from_the_environment(monkeypatch, tmp_path) -> None:
    from bot.components import Components
    from bot.settings import Settings

    monkeypatch.setenv("BRIEFBOT_ALLOWED_HOSTS", "Briefs.example.org, *.desk.example.org")
    monkeypatch.setenv("BRIEFBOT_PUBLIC_URL", "https://briefs.example.org/")
    settings = Settings(store=tmp_path / "store", embedder="hash")
    assert settings.allowed_hosts == ["briefs.example.org", "*.desk.example.org"]
    assert settings.public_url == "https://briefs.example.org"
    app = create_app(Components(settings), with_ui=False)
    for base, status in (
        ("http://news.desk.example.org", 200),
        ("http://briefs.example.org", 200),
        ("http://desk.example.org.evil.example", 400),
    ):
        assert TestClient(app, base_url=base, client=LOOPBACK).get("/api/articles").status_code == status


@pytest.mark.parametrize("path", ["/api/ask", "/api/ask/stream"])
def test_a_question_not_sent_as_json_is_415_and_a_broken_one_422(components, path):
    client = client_for(components)
    plain = client.post(path, content='{"question": "Who met?"}', headers={"content-type": "text/plain"})
    assert plain.status_code == 415 and "application/json" in plain.json()["detail"]
    broken = client.post(path, content=b"\xff\xfe{", headers={"content-type": "application/json"})
    assert broken.status_code in (400, 422) and broken.json()["detail"]  # a clear error, never a 500
    wrong = client.post(path, json={"question": 5})
    assert wrong.status_code == 422 and "question" in wrong.json()["detail"]
