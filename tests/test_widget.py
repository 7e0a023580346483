"""The embeddable widget on other sites' pages, in a real browser.

The bot's server runs on 127.0.0.1:<port>; the host pages are served by a second server from other
origins: `http://localhost:<port2>` (on BRIEFBOT_EMBED_ORIGINS) and `http://127.0.0.1:<port2>`
(same port number, but a different origin, not on the list).
"""

from __future__ import annotations

import re
import time

import playwright.sync_api as playwright_api
import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route

from bot.surfaces.server import create_app
from tests.web.support import (
    MUNICH,
    PAYLOAD,
    free_port,
    munich_meeting,
    payload_meeting,
    running_server,
    store_article,
)

pytestmark = pytest.mark.browser
expect = playwright_api.expect
TIMEOUT = 30_000
expect.set_options(timeout=TIMEOUT)  # a busy CI machine may take seconds per answer


def host_site(bot_base: str) -> Starlette:
    """A newsroom's pages: one with the script tag, one configured by data attributes, one iframe."""

    def page(body: str) -> HTMLResponse:
        return HTMLResponse(
            f"<!doctype html><html><head><title>Newsroom</title></head><body><h1>Newsroom</h1>{body}</body></html>"
        )

    async def plain(request):
        return page(f'<p>Our coverage.</p><script src="{bot_base}/embed/widget.js"></script>')

    async def styled(request):
        return page(
            f'<script src="{bot_base}/embed/widget.js" data-title="Diplomacy desk" '
            'data-greeting="Hello from the diplomacy desk." data-position="bottom-left" '
            'data-color="#aa0000" data-open="true"></script>'
        )

    async def framed(request):
        return page(
            f'<iframe id="bot" src="{bot_base}/embed/chat?title=Framed%20desk" width="400" height="560"></iframe>'
        )

    return Starlette(routes=[Route("/", plain), Route("/styled", styled), Route("/framed", framed)])


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    from bot.components import Components
    from bot.settings import Settings

    site_port = free_port()
    allowed = f"http://localhost:{site_port}"
    settings = Settings(
        store=tmp_path_factory.mktemp("widget") / "store", embedder="hash", embed_origins=[allowed], session_quota=4
    )
    components = Components(settings)
    store_article(components, MUNICH, munich_meeting)
    store_article(components, PAYLOAD, payload_meeting)
    with (
        running_server(create_app(components, with_ui=False)) as bot_base,
        running_server(host_site(bot_base), port=site_port),
    ):
        yield {"bot": bot_base, "allowed": allowed, "refused": f"http://127.0.0.1:{site_port}"}


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 800})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    yield page
    context.close()


def ask(page, question: str) -> None:
    """Type a question and press Enter, once the previous answer has finished (Send is enabled)."""
    expect(page.get_by_role("button", name="Send")).to_be_enabled()
    box = page.get_by_role("textbox", name="Your question")
    box.fill(question)
    box.press("Enter")


def shown(page) -> str:
    """What the widget's conversation shows, one message a line (for failure messages)."""
    messages = page.get_by_role("log").locator(".msg")
    return "\n".join(f"  [{m.get_attribute('class')}] {m.inner_text()!r}" for m in messages.all())


def expect_shown(page, assertion, what: str) -> None:
    """Run a Playwright `expect` assertion; on failure, say what the widget showed instead."""
    try:
        assertion()
    except AssertionError as exc:
        raise AssertionError(f"{what}; the widget showed:\n{shown(page)}") from exc


def stored_state(page) -> dict:
    """The widget's saved state in this tab's sessionStorage (one key: the widget's)."""
    return page.evaluate("JSON.parse(Object.values(JSON.parse(JSON.stringify(sessionStorage)))[0] || '{}')")


def answered(page, count: int) -> None:
    """Wait until the log holds `count` bot messages (the greeting included) and the last answer
    has finished: its sources are shown and Send is enabled again (the answer is saved by then)."""
    log = page.get_by_role("log")
    expect_shown(page, lambda: expect(log.locator(".bot")).to_have_count(count), f"expected {count} bot messages")
    expect_shown(
        page,
        lambda: expect(log.locator(".bot").last.get_by_role("list", name="Sources")).to_be_visible(),
        "expected the last answer to finish with its sources",
    )
    expect(page.get_by_role("button", name="Send")).to_be_enabled()


def test_the_bubble_opens_a_chat_that_answers_with_sources(page, sites) -> None:
    page.goto(sites["allowed"] + "/", wait_until="load")
    bubble = page.get_by_role("button", name=re.compile("chat", re.I))
    expect(bubble).to_be_visible()
    expect(page.get_by_role("textbox", name="Your question")).to_be_hidden()
    bubble.click()
    expect(bubble).to_have_attribute("aria-expanded", "true")
    ask(page, "What did Wang urge the United States to do?")
    log = page.get_by_role("log")
    expect(log.locator(".bot").last).to_contain_text("lift its sanctions on Chinese companies")
    sources = log.get_by_role("list", name="Sources").last
    expect(sources).to_contain_text("[1] Wang Yi and Antony Blinken meet in Munich")
    expect(sources).to_contain_text("“Wang urged the United States to lift its sanctions")


def test_the_widget_keeps_its_session_across_pages(page, sites) -> None:
    page.goto(sites["allowed"] + "/", wait_until="load")
    page.get_by_role("button", name=re.compile("chat", re.I)).click()
    ask(page, "Where did Wang Yi and Blinken meet?")
    answered(page, 2)  # greeting + answer, finished (a reload mid-answer is the next test's case)
    first = stored_state(page)
    assert first["session"] and not first.get("asking"), first
    assert [m["role"] for m in first["messages"]] == ["user", "bot"], first
    first_answer = page.get_by_role("log").locator(".bot .text").last.inner_text()

    page.reload(wait_until="load")
    page.get_by_role("button", name=re.compile("chat", re.I)).click()
    log = page.get_by_role("log")
    expect_shown(page, lambda: expect(log).to_contain_text("Where did Wang Yi and Blinken meet?"), "question restored")
    expect_shown(page, lambda: expect(log.locator(".bot .text").nth(1)).to_have_text(first_answer), "answer restored")
    ask(page, "What did Blinken warn about?")
    answered(page, 3)
    expect_shown(page, lambda: expect(log.locator(".bot").last).to_contain_text("would have consequences"), "follow-up")
    assert stored_state(page)["session"] == first["session"], "the reloaded page continued the same conversation"


def test_leaving_the_page_mid_answer_keeps_what_arrived_and_says_so(page, sites, monkeypatch) -> None:
    """A reader who follows a link while an answer streams finds it, cut short and marked, on the next page."""
    import bot.surfaces.api
    from bot.streaming import answer_chunks

    def slow_chunks(text: str):
        for n, piece in enumerate(answer_chunks(text, words_per_chunk=1)):
            time.sleep(0 if n == 0 else 1.0)  # the first word at once, then a word a second
            yield piece

    page.goto(sites["allowed"] + "/", wait_until="load")
    page.get_by_role("button", name=re.compile("chat", re.I)).click()
    monkeypatch.setattr(bot.surfaces.api, "answer_chunks", slow_chunks)
    ask(page, "Where did Wang Yi and Blinken meet?")
    log = page.get_by_role("log")
    expect_shown(page, lambda: expect(log.locator(".bot").nth(1)).not_to_be_empty(), "the answer started")
    partial = log.locator(".bot").nth(1).inner_text()
    assert stored_state(page).get("asking") is True, "mid-answer, the widget says so in its saved state"

    page.reload(wait_until="load")
    monkeypatch.undo()
    page.get_by_role("button", name=re.compile("chat", re.I)).click()
    log = page.get_by_role("log")
    expect_shown(page, lambda: expect(log.locator(".bot").nth(1)).to_contain_text(partial.strip()), "partial kept")
    expect_shown(page, lambda: expect(log.get_by_role("alert")).to_contain_text("before this answer finished"), "note")
    expect(page.get_by_role("button", name="Send")).to_be_enabled()
    ask(page, "What did Blinken warn about?")
    answered(page, 3)
    expect_shown(page, lambda: expect(log.locator(".bot").last).to_contain_text("would have consequences"), "follow-up")


def test_data_attributes_configure_the_widget(page, sites) -> None:
    page.goto(sites["allowed"] + "/styled", wait_until="load")
    panel = page.get_by_role("dialog", name="Diplomacy desk chat")
    expect(panel).to_be_visible()  # data-open="true"
    expect(panel.get_by_role("heading", name="Diplomacy desk")).to_be_visible()
    expect(panel).to_contain_text("Hello from the diplomacy desk.")
    bubble = page.get_by_role("button", name="Chat with Diplomacy desk")
    expect(bubble).to_have_css("background-color", "rgb(170, 0, 0)")
    box = bubble.bounding_box()
    assert box["x"] < 100, "data-position=bottom-left puts the bubble on the left"


def test_a_site_not_on_the_allowlist_is_refused(page, sites) -> None:
    page.goto(sites["refused"] + "/", wait_until="load")
    page.get_by_role("button", name=re.compile("chat", re.I)).click()
    ask(page, "What did Wang urge the United States to do?")
    alert = page.get_by_role("log").get_by_role("alert")
    expect(alert).to_contain_text("unavailable from this page")
    expect(page.get_by_role("log")).not_to_contain_text("lift its sanctions")


def test_the_iframe_works_on_allowed_sites_only(page, sites) -> None:
    page.goto(sites["allowed"] + "/framed", wait_until="load")
    frame = page.frame_locator("#bot")
    expect(frame.get_by_role("heading", name="Framed desk")).to_be_visible()
    frame.get_by_role("textbox", name="Your question").fill("What did Wang urge the United States to do?")
    frame.get_by_role("textbox", name="Your question").press("Enter")
    expect(frame.get_by_role("log")).to_contain_text("lift its sanctions on Chinese companies")

    page.goto(sites["refused"] + "/framed", wait_until="load")  # "load" waits for the frame too
    frame = page.locator("#bot").element_handle().content_frame()
    assert frame.url.startswith("chrome-error://"), "frame-ancestors blocked the chat"
    assert page.frame_locator("#bot").get_by_role("heading", name="Framed desk").count() == 0


def test_quota_reached_shows_the_server_message(page, sites) -> None:
    page.goto(sites["allowed"] + "/", wait_until="load")
    page.get_by_role("button", name=re.compile("chat", re.I)).click()
    log = page.get_by_role("log")
    for n in range(4):
        ask(page, f"Who met in Munich? ({n})")
        expect(log.locator(".bot")).to_have_count(n + 2)
    ask(page, "One more?")
    expect(log.get_by_role("alert")).to_contain_text("limit of 4 questions")


def test_script_payloads_in_answers_and_sources_stay_text(page, sites) -> None:
    page.add_init_script("window.__pwned = undefined")
    page.goto(sites["allowed"] + "/", wait_until="load")
    page.get_by_role("button", name=re.compile("chat", re.I)).click()
    ask(page, "What did the envoys agree on in Geneva?")
    sources = page.get_by_role("log").get_by_role("list", name="Sources").last
    expect(sources).to_contain_text("Envoys meet in Geneva <script>window.__pwned=1</script><img src=x")
    page.wait_for_timeout(500)
    assert page.evaluate("window.__pwned") is None
    assert page.locator("[data-briefbot-widget] img").count() == 0
