"""The Gradio UI in a real browser (Debian's chromium via Playwright), as a user meets it.

One server for the module (fake embedder, temp store, hand-made meetings); each test gets a fresh
browser context, so no conversation leaks between tests.
"""

from __future__ import annotations

import re
from pathlib import Path

import playwright.sync_api as playwright_api
import pytest

from bot.surfaces.server import create_app
from tests.web.support import (
    LISBON,
    MUNICH,
    PAYLOAD,
    munich_meeting,
    payload_meeting,
    running_server,
    store_article,
)

pytestmark = pytest.mark.browser
expect = playwright_api.expect
TIMEOUT = 30_000
expect.set_options(timeout=TIMEOUT)  # a busy CI machine may take seconds per answer


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from bot.components import Components
    from bot.settings import Settings

    components = Components(Settings(store=tmp_path_factory.mktemp("browser") / "store", embedder="hash"))
    store_article(components, MUNICH, munich_meeting)
    store_article(components, PAYLOAD, payload_meeting)
    with running_server(create_app(components)) as base:
        yield base


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(server + "/", wait_until="load")
    yield page
    context.close()


def ask(page, question: str):
    """Type a question, press Enter, wait for the finished answer (streaming done); returns it."""
    answers = page.locator("#bb-chat .bb-answer")
    before = answers.count()
    box = page.get_by_label("Your question")
    box.fill(question)
    box.press("Enter")
    expect(answers).to_have_count(before + 1)
    return answers.last


def pwned(page) -> object:
    return page.evaluate("window.__pwned")


def test_ask_and_see_the_answer_with_its_sources(page) -> None:
    ask(page, "What did Wang urge the United States to do?")
    chat = page.locator("#bb-chat")
    expect(chat.locator(".bb-answer").last).to_contain_text("lift its sanctions on Chinese companies")
    expect(chat.locator(".bb-answer").last).to_contain_text("[1]")
    source = chat.locator(".bb-source").first
    expect(source.locator("summary")).to_contain_text("[1] Wang Yi and Antony Blinken meet in Munich")


def test_open_a_citation_and_see_the_sentence_highlighted(page) -> None:
    ask(page, "What did Blinken warn about?")
    source = page.locator("#bb-chat .bb-source").first
    highlighted = source.locator("mark")
    expect(highlighted).to_be_hidden()  # closed until the reader opens [1]
    source.locator("summary").click()
    expect(highlighted).to_be_visible()
    expect(highlighted).to_have_text(re.compile(r"^Blinken warned that Chinese support for Russia"))
    expect(highlighted).to_have_css("background-color", "rgb(253, 230, 138)")


def test_the_marker_in_the_answer_opens_its_source(page) -> None:
    ask(page, "What did Wang urge the United States to do?")
    answer = ask(page, "What did Blinken warn about?")
    first_source, second_source = page.locator("#bb-chat .bb-source-1").all()
    expect(second_source.locator("mark")).to_be_hidden()
    answer.locator(".bb-marker", has_text="[1]").click()
    expect(second_source.locator("mark")).to_be_visible()
    expect(second_source.locator("mark")).to_contain_text("Blinken warned")
    expect(first_source.locator("mark")).to_be_hidden()  # the [1] of the other answer stays closed


def test_the_conversation_survives_a_reload_and_can_be_cleared(page) -> None:
    ask(page, "Where did Wang Yi and Blinken meet?")
    page.reload(wait_until="load")
    expect(page.locator("#bb-chat").get_by_text("Where did Wang Yi and Blinken meet?")).to_be_visible()
    expect(page.locator("#bb-chat .bb-source").first).to_be_visible()
    page.get_by_role("button", name="Clear conversation").click()
    expect(page.locator("#bb-chat .bb-answer")).to_have_count(0)
    page.reload(wait_until="load")
    expect(page.get_by_label("Your question")).to_be_visible()
    page.wait_for_timeout(1000)  # give the page's load event the chance to restore anything stored
    expect(page.locator("#bb-chat .bb-answer")).to_have_count(0)


def test_example_questions_fill_the_box(page) -> None:
    page.get_by_text("What did each side demand?", exact=True).first.click()
    expect(page.get_by_label("Your question")).to_have_value("What did each side demand?")


def test_upload_an_article_then_ask_about_it(page) -> None:
    page.get_by_role("tab", name="Articles").click()
    page.locator("#bb-upload input[type=file]").set_input_files(str(LISBON))
    # The file list shows the name (Gradio sets name and extension in two spans, so its text may read
    # "lisbon_fisheries .txt"; the cell's accessible name is the whole file name).
    expect(page.locator("#bb-upload").get_by_role("cell", name="lisbon_fisheries.txt")).to_be_visible()
    page.get_by_role("button", name="Add to library").click()
    results = page.locator("#bb-results")
    expect(results).to_contain_text("lisbon_fisheries.txt")
    expect(results).to_contain_text("Portugal and Morocco sign a fisheries accord in Lisbon")
    expect(results.locator("tbody tr td").nth(1)).to_have_text(re.compile("new|duplicate"))
    expect(page.locator("#bb-library")).to_contain_text("Portugal and Morocco sign a fisheries accord")

    page.get_by_role("tab", name="Chat").click()
    answer = ask(page, "What did Akhannouch call on Portugal to back?")
    expect(answer).to_contain_text("fisheries agreement")
    expect(page.locator("#bb-chat .bb-source").last).to_contain_text("Portugal and Morocco")


def test_paste_an_article_open_it_and_delete_it(page) -> None:
    page.get_by_role("tab", name="Articles").click()
    page.get_by_label("Title (optional)").fill("Chile and Peru discuss water")
    page.locator("#bb-paste textarea").fill(
        "Chilean and Peruvian foreign ministers met in Lima on Monday to discuss water rights along the border."
    )
    page.get_by_role("button", name="Add to library").click()
    expect(page.locator("#bb-results")).to_contain_text("Chile and Peru discuss water")
    pick = page.locator("#bb-article-pick")
    pick.locator("input").click()
    page.get_by_role("option", name=re.compile("Chile and Peru discuss water")).click()
    expect(page.locator("#bb-article")).to_contain_text("water rights along the border")
    page.get_by_role("button", name="Delete article").click()
    expect(page.locator("#bb-library")).not_to_contain_text("Chile and Peru discuss water")


def test_briefings_show_a_card_filter_and_export(page) -> None:
    page.get_by_role("tab", name="Briefings").click()
    cards = page.locator("#bb-cards .bb-card")
    expect(cards.first).to_be_visible()
    munich = cards.filter(has_text="Wang Yi – Antony Blinken")
    expect(munich).to_contain_text("Wang Yi, Foreign Minister (China)")
    expect(munich).to_contain_text("Wang Yi urged: lift its sanctions on Chinese companies")
    expect(munich).to_contain_text("keep the lines of military communication open")
    expect(munich.locator("li").filter(has_text="keep the lines").locator(".bb-marker")).to_have_text(
        re.compile(r"\[\d+\]")
    )
    page.get_by_label("Filter by person or country").fill("Blinken")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("Munich")

    page.get_by_role("button", name="Export Markdown").click()
    link = page.locator("#bb-export a[download$='.md']")
    with page.expect_download() as download:
        link.click()
    markdown = Path(download.value.path()).read_text(encoding="utf-8")
    assert markdown.startswith("## Wang Yi – Antony Blinken · Munich")
    assert "lift its sanctions on Chinese companies [" in markdown


def test_the_embed_panel_prints_the_snippet_for_this_server(page, server) -> None:
    page.get_by_role("tab", name="Embed").click()
    expect(page.locator("body")).to_contain_text(f'<script src="{server}/embed/widget.js"')
    expect(page.locator("body")).to_contain_text("No site may embed the chat yet")


def test_an_article_with_script_payloads_runs_nothing_anywhere(page) -> None:
    """Chat, sources, library, article view and card: the payload is shown as text and never runs."""
    page.add_init_script("window.__pwned = undefined")
    answer = ask(page, "What did the envoys agree on in Geneva?")
    expect(answer).to_contain_text("prisoner exchange")
    source = page.locator("#bb-chat .bb-source").last
    source.locator("summary").click()
    expect(source).to_contain_text("<script>window.__pwned=1</script>")
    expect(source.locator("mark")).to_be_visible()

    page.get_by_role("tab", name="Articles").click()
    expect(page.locator("#bb-library")).to_contain_text(
        "Envoys meet in Geneva <script>window.__pwned=1</script><img src=x"
    )
    page.locator("#bb-article-pick input").click()
    page.get_by_role("option", name=re.compile("Envoys meet in Geneva")).click()
    expect(page.locator("#bb-article")).to_contain_text('<img src=x onerror="window.__pwned=1">')

    page.get_by_role("tab", name="Briefings").click()
    card = page.locator("#bb-cards .bb-card").filter(has_text="Ignazio Cassis")
    expect(card).to_contain_text("[respect the deal](javascript:window.__pwned=1)")
    expect(card).to_contain_text('Geneva <img src=x onerror="window.__pwned=1">')

    page.wait_for_timeout(500)  # an injected image would have failed to load and fired by now
    assert pwned(page) is None
    assert page.locator("#bb-cards img, #bb-library img, #bb-article img, #bb-chat .bb-source img").count() == 0
