"""The Gradio UI: its HTML renderers (untrusted text stays text) and a question through gradio_client."""

from __future__ import annotations

import html
import re
import time

import httpx
import pytest

from bot.briefing_cards import build_cards
from bot.models import Answer, Citation
from bot.server import create_app
from bot.ui.render import answer_html, article_html, cards_html, library_html, passage_html, text
from tests.web.support import MUNICH, PAYLOAD, munich_meeting, payload_meeting, running_server, store_article


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
    from ingest.models import Article

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
def ui_server(tmp_path_factory):
    from bot.components import Components
    from bot.settings import Settings

    components = Components(Settings(store=tmp_path_factory.mktemp("ui") / "store", embedder="hash"))
    store_article(components, MUNICH, munich_meeting)
    # The way `briefbot serve` and `python app.py` run it: the UI is mounted once built.
    with running_server(create_app(components, defer_ui=True)) as base:
        first = httpx.get(base + "/")
        assert first.status_code == 200 and "Briefbot" in first.text
        deadline = time.monotonic() + 120
        while httpx.get(base + "/healthz").json()["ui"] != "ready":
            assert time.monotonic() < deadline, "the UI did not start"
            time.sleep(0.2)
        yield base


def test_a_question_through_gradio_client_comes_back_cited(ui_server) -> None:
    from gradio_client import Client

    client = Client(ui_server + "/", verbose=False)
    result = client.predict("What did Wang urge the United States to do?", api_name="/ask")
    assert "lift its sanctions" in result["answer"]
    assert result["abstained"] is False
    assert result["citations"][0]["title"] == "Wang Yi and Antony Blinken meet in Munich"
    assert result["citations"][0]["n"] == 1


def test_the_home_page_is_the_ui_and_the_api_is_beside_it(ui_server) -> None:
    home = httpx.get(ui_server + "/")
    assert home.status_code == 200 and "gradio_config" in home.text and "The chat is starting" not in home.text
    assert home.headers["content-security-policy"] == "frame-ancestors 'self'"
    assert httpx.get(ui_server + "/api/articles").json()[0]["title"].startswith("Wang Yi")


class FakeRequest:
    def __init__(self, host: str, headers: dict | None = None) -> None:
        self.client = type("Client", (), {"host": host})()
        self.headers = headers or {}


def test_the_articles_tab_applies_the_api_write_rule(components) -> None:
    from bot.ui.library import write_refusal

    assert write_refusal(components, FakeRequest("127.0.0.1"), "") is None
    assert "only from this machine" in write_refusal(components, FakeRequest("203.0.113.9"), "")
    assert write_refusal(components, FakeRequest("127.0.0.1", {"x-forwarded-for": "203.0.113.9"}), "")
    components.settings.admin_token = "s3cret"
    assert "admin token" in write_refusal(components, FakeRequest("127.0.0.1"), "")
    assert "admin token" in write_refusal(components, FakeRequest("203.0.113.9"), "wrong")
    assert write_refusal(components, FakeRequest("203.0.113.9"), "s3cret") is None
