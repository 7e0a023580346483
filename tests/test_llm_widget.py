"""The widget with a reader model, in chromium: the fake OpenAI-compatible server scripts the model.

What a reader of a newsroom page sees: the model's verified sentences with their sources, never a
half-written marker while it streams, never the sentence verification dropped, and the extractive
answer (with a note saying why) when the model fails, including after it had begun.
"""

from __future__ import annotations

import playwright.sync_api as playwright_api
import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route

from bot.surfaces.server import create_app
from tests.fake_llm_server import fake_llm_server
from tests.web.support import MUNICH, free_port, munich_meeting, running_server, store_article

pytestmark = pytest.mark.browser
expect = playwright_api.expect
TIMEOUT = 30_000
expect.set_options(timeout=TIMEOUT)

QUESTION = "What did Wang urge the United States to do?"
MODEL_SENTENCE = "Wang Yi urged the United States to lift its sanctions on Chinese companies [1]."
EXTRACTIVE = "Wang urged the United States to lift its sanctions on Chinese companies and to stop interfering"

# Every text the answer bubble shows, recorded as it changes (the widget lives in an open shadow root).
RECORD_STATES = """
window.__states = [];
function record(root) {
  root.querySelectorAll(".msg.bot .text").forEach(function (node) { window.__states.push(node.textContent); });
}
new MutationObserver(function (changes, self) {
  var host = document.querySelector("[data-briefbot-widget]");
  if (!host || !host.shadowRoot) return;
  self.disconnect();
  new MutationObserver(function () { record(host.shadowRoot); })
    .observe(host.shadowRoot, {subtree: true, childList: true, characterData: true});
}).observe(document, {subtree: true, childList: true});
"""


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    from bot.components import Components
    from bot.settings import Settings

    site_port = free_port()
    allowed = f"http://localhost:{site_port}"
    with fake_llm_server() as (fake, url):
        settings = Settings(
            store=tmp_path_factory.mktemp("llm-widget") / "store",
            embedder="hash",
            embed_origins=[allowed],
            llm="openai:fake-model",
            llm_base_url=url,
            llm_timeout=3.0,  # the fake server stalls for 8
        )
        components = Components(settings)
        store_article(components, MUNICH, munich_meeting)
        with running_server(create_app(components, with_ui=False)) as bot_base:

            async def page(request):
                return HTMLResponse(
                    "<!doctype html><html><body><h1>Newsroom</h1>"
                    f'<script src="{bot_base}/embed/widget.js" data-open="true"></script></body></html>'
                )

            with running_server(Starlette(routes=[Route("/", page)]), port=site_port):
                yield {"fake": fake, "page": allowed + "/"}


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 800})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.add_init_script(RECORD_STATES)
    yield page
    context.close()


def answer_to(page, sites, script: str):
    """Ask the question with the model scripted; return the finished answer's message."""
    sites["fake"].script = script
    page.goto(sites["page"], wait_until="load")
    box = page.get_by_role("textbox", name="Your question")
    box.fill(QUESTION)
    box.press("Enter")
    log = page.get_by_role("log")
    answer = log.locator(".bot").nth(1)
    expect(answer.get_by_role("list", name="Sources")).to_be_visible()
    expect(page.get_by_role("button", name="Send")).to_be_enabled()
    return answer


def test_the_models_verified_answer_streams_without_half_markers(page, sites) -> None:
    answer = answer_to(page, sites, "split-marker")
    expect(answer.locator(".text")).to_contain_text(MODEL_SENTENCE)
    expect(answer.locator(".text")).to_contain_text("stop interfering in China's internal affairs [1].")
    expect(answer.locator(".marker").first).to_have_text("[1]")
    expect(answer.get_by_role("list", name="Sources")).to_contain_text("[1] Wang Yi and Antony Blinken meet in Munich")
    states = page.evaluate("window.__states")
    assert states, "the answer was shown"
    for state in states:
        assert state.count("[") == state.count("]"), f"a half marker was shown: {state!r}"


def test_a_sentence_its_citation_does_not_support_never_appears(page, sites) -> None:
    answer = answer_to(page, sites, "unsupported")
    expect(answer.locator(".text")).to_have_text(MODEL_SENTENCE)
    assert not any("Chengdu" in s for s in page.evaluate("window.__states"))


def test_a_failing_model_gives_the_extractive_answer_and_says_why(page, sites) -> None:
    answer = answer_to(page, sites, "http-500")
    expect(answer.locator(".text")).to_contain_text(EXTRACTIVE)
    expect(answer.locator(".note")).to_have_text(
        "Answered without the model (error: the model server answered HTTP 500)."
    )


def test_a_model_that_stalls_mid_answer_is_replaced_by_the_extractive_answer(page, sites) -> None:
    answer = answer_to(page, sites, "stall-midway")
    expect(answer.locator(".text")).to_contain_text(EXTRACTIVE)
    expect(answer.locator(".text")).not_to_contain_text("Wang Yi urged")
    expect(answer.locator(".note")).to_contain_text("timeout")
    assert any(s.startswith("Wang Yi urged") for s in page.evaluate("window.__states")), "shown, then retracted"
