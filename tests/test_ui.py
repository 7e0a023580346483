"""The Gradio UI: its HTML renderers (untrusted text stays text) and a question through gradio_client."""

from __future__ import annotations

import html
import re
import zipfile

import httpx
import pytest

from bot.briefing_cards import build_cards
from bot.models import Answer, Citation
from bot.surfaces.server import create_app
from bot.surfaces.ui.render import answer_html, article_html, cards_html, library_html, passage_html, text
from tests.web.support import (
    LISBON,
    MUNICH,
    PAYLOAD,
    munich_meeting,
    payload_meeting,
    running_server,
    store_article,
    wait_for_ui,
)


def citation_for(article, fragment: str, n: int = 1) -> Citation:
    start = article.text.index(fragment)
    end = article.text.index(".", start) + 1
    return Citation(
        n=n,
        article_id=article.id,
        title=article.title,
        source=article.source,
        text=article.text[start:end],
        start=start,
        end=end,
    )


def test_text_is_inert_in_html_and_markdown() -> None:
    hostile = '<img src=x onerror="window.__pwned=1"> [click](javascript:alert(1)) **bold** # head'
    out = text(hostile)
    bare = re.sub(r"&#\d+;", "", out)  # what is left besides character references
    for raw in ("<", ">", '"', "[", "]", "(", ")", "*", "#", "&"):
        assert raw not in bare
    assert out.count("&#60;") == 1 and "onerror=" in out
    assert html.unescape(out) == hostile


def test_passage_highlights_exactly_the_cited_sentence(components) -> None:
    article = store_article(components, MUNICH)
    citation = citation_for(article, "Blinken warned")
    html = passage_html(article, citation)
    assert html.count("<mark>") == 1
    marked = html.split("<mark>")[1].split("</mark>")[0]
    assert marked == text(citation.text)


def test_passage_shows_context_around_the_sentence() -> None:
    from vectorstore.models import Article

    body = "First sentence here. The cited one is this. A third follows.\n\nAnother paragraph."
    article = Article(id="a", title="T", source="s", text=body)
    start = body.index("The cited")
    c = Citation(n=1, article_id="a", title="T", source="s", text="The cited one is this.", start=start, end=start + 22)
    html = passage_html(article, c)
    assert html == "First sentence here. <mark>The cited one is this.</mark> A third follows."


def test_every_view_escapes_a_hostile_article(components) -> None:
    article = store_article(components, PAYLOAD, payload_meeting)
    answer = Answer(
        question="q",
        answer="The envoys agreed <script>x</script> [1].",
        citations=[citation_for(article, "The envoys agreed")],
    )
    views = [
        answer_html(answer, {article.id: article}),
        cards_html(build_cards(components.store.meetings())),
        library_html(components.store.list_articles()),
        article_html(article),
    ]
    for view in views:
        assert "<script" not in view and "<img" not in view and 'onerror="' not in view
        assert "window.__pwned=1" in html.unescape(view)  # shown, as text


@pytest.fixture(scope="module")
def ui_app(tmp_path_factory):
    from bot.components import Components
    from bot.settings import Settings

    components = Components(Settings(store=tmp_path_factory.mktemp("ui") / "store", embedder="hash"))
    store_article(components, MUNICH, munich_meeting)
    # The way `briefbot serve` and `python app.py` run it: the UI is mounted once built.
    return create_app(components, defer_ui=True)


@pytest.fixture(scope="module")
def ui_server(ui_app):
    with running_server(ui_app) as base:
        first = httpx.get(base + "/")
        assert first.status_code == 200 and "Briefbot" in first.text
        wait_for_ui(base)
        yield base


def chat(client, question: str, conversation: list) -> tuple[list, list]:
    """The chat's own event, as the page calls it: the chat messages and the stored conversation."""
    messages, stored, box = client.predict(question, conversation, api_name="/chat")
    assert box == ""
    return messages, stored


def message_text(message: dict) -> str:
    return "".join(part.get("text", "") for part in message["content"])


def test_a_question_through_gradio_client_comes_back_cited(ui_server) -> None:
    from gradio_client import Client

    client = Client(ui_server + "/", verbose=False)
    messages, stored = chat(client, "What did Wang urge the United States to do?", [])
    answer = stored[-1]["answer"]
    assert "lift its sanctions" in answer["answer"] and answer["abstained"] is False
    assert answer["citations"][0]["title"] == "Wang Yi and Antony Blinken meet in Munich"
    assert answer["citations"][0]["n"] == 1
    shown = message_text(messages[-1])
    assert 'class="bb-source bb-source-1"' in shown and "<mark>Wang urged the United States" in shown


def test_there_is_no_unmetered_ask_endpoint(ui_server) -> None:
    from gradio_client import Client

    client = Client(ui_server + "/", verbose=False)
    with pytest.raises(ValueError, match="api_name"):
        client.predict("What did Wang urge the United States to do?", api_name="/ask")


def test_the_chat_counts_against_the_address_quota(ui_app, ui_server) -> None:
    from gradio_client import Client

    sessions = ui_app.state.sessions
    client = Client(ui_server + "/", verbose=False)
    saved = sessions.client_quota
    sessions.client_quota = 0
    try:
        messages, stored = chat(client, "What did Wang urge the United States to do?", [])
    finally:
        sessions.client_quota = saved
    assert stored == []
    assert "This address has asked its 0 questions for today" in html.unescape(message_text(messages[-1]))


def test_a_new_question_renders_only_its_own_turn(ui_server, monkeypatch) -> None:
    from gradio_client import Client

    import bot.surfaces.ui.chat

    rendered: list[str] = []
    real_answer_html = bot.surfaces.ui.chat.answer_html

    def counting_answer_html(answer, articles):
        rendered.append(answer.question)
        return real_answer_html(answer, articles)

    monkeypatch.setattr(bot.surfaces.ui.chat, "answer_html", counting_answer_html)
    client = Client(ui_server + "/", verbose=False)
    _, stored = chat(client, "What did Wang urge the United States to do?", [])
    messages, stored = chat(client, "What did Blinken warn about?", stored)
    assert rendered == ["What did Wang urge the United States to do?", "What did Blinken warn about?"]
    assert len(messages) == 4 and "lift its sanctions" in message_text(messages[1])
    assert "Blinken warned" in message_text(messages[3])


def test_the_home_page_is_the_ui_and_the_api_is_beside_it(ui_server) -> None:
    home = httpx.get(ui_server + "/")
    assert home.status_code == 200 and "gradio_config" in home.text and "The chat is starting" not in home.text
    assert home.headers["content-security-policy"] == "frame-ancestors 'self'"
    assert httpx.get(ui_server + "/api/articles").json()[0]["title"].startswith("Wang Yi")


def test_the_ui_answers_no_other_host_name(ui_server) -> None:
    """A DNS-rebinding page reaches 127.0.0.1 under its own name: the UI and its queue refuse it."""
    rebound = {"Host": "attacker.example:7860", "Origin": "http://attacker.example:7860"}
    assert httpx.get(ui_server + "/", headers=rebound).status_code == 400
    assert httpx.get(ui_server + "/config", headers=rebound).status_code == 400
    join = httpx.post(ui_server + "/gradio_api/queue/join", json={"data": [], "fn_index": 0}, headers=rebound)
    assert join.status_code == 400


class FakeRequest:
    def __init__(self, peer: str, headers: dict | None = None, host: str = "127.0.0.1:7860") -> None:
        self.client = type("Client", (), {"host": peer})()
        self.headers = {"host": host, **(headers or {})}


def test_the_articles_tab_applies_the_api_write_rule(components) -> None:
    from bot.surfaces.ui.library import write_refusal

    assert write_refusal(components, FakeRequest("127.0.0.1"), "") is None
    assert write_refusal(components, FakeRequest("::1", host="[::1]:7860"), "") is None
    assert "only from this machine" in write_refusal(components, FakeRequest("203.0.113.9"), "")
    assert write_refusal(components, FakeRequest("127.0.0.1", {"x-forwarded-for": "203.0.113.9"}), "")
    # A DNS-rebinding page: the peer is loopback, but the browser names the attacker's host.
    rebound = FakeRequest("127.0.0.1", {"origin": "http://attacker.example:7860"}, host="attacker.example:7860")
    assert "only from this machine" in write_refusal(components, rebound, "")
    other_site = FakeRequest("127.0.0.1", {"origin": "http://news.example.org"})
    assert "read-only" in write_refusal(components, other_site, "")
    assert write_refusal(components, None, "") is not None
    components.settings.admin_token = "s3cret"
    assert "admin token" in write_refusal(components, FakeRequest("127.0.0.1"), "")
    assert "admin token" in write_refusal(components, FakeRequest("203.0.113.9"), "wrong")
    assert write_refusal(components, FakeRequest("203.0.113.9"), "s3cret") is None


def test_a_zip_upload_moves_the_progress_bar_per_article(components, tmp_path) -> None:
    from bot.surfaces.ui.library import add_files

    components.settings.ingest_batch_size = 1
    archive = tmp_path / "desk.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for path in (MUNICH, LISBON, PAYLOAD):
            z.write(path, f"articles/{path.name}")
    steps: list[tuple[int, int]] = []
    rows = list(add_files(components, [archive], None, "", lambda done, total, desc: steps.append((done, total))))
    assert [r["status"] for r in rows] == ["new", "new", "new"]
    assert rows[0]["source"] == "desk.zip/articles/lisbon_fisheries.txt" and rows[0]["title"]
    assert [done for done, _ in steps] == [0, 1, 2, 3, 3]
    assert {total for _, total in steps} == {3}


def test_the_chat_answers_as_many_askers_at_once_as_the_settings_allow(tmp_path) -> None:
    from bot.components import Components
    from bot.settings import Settings
    from bot.surfaces.sessions import SessionStore
    from bot.surfaces.ui import build_ui

    components = Components(Settings(store=tmp_path / "store", embedder="hash", chroma_url=None, ui_concurrency=5))
    demo = build_ui(components, SessionStore(5, 5))
    asking = [f for f in demo.fns.values() if f.concurrency_id == "chat"]
    assert len(asking) == 2  # pressing Enter and the Ask button share one pool of askers
    assert all(f.concurrency_limit == 5 for f in asking)
