"""Regenerate the README's screenshots (docs/chat.png, docs/card.png, docs/widget.png).

    .venv/bin/python -m tests.web.screenshots [--embedder hash]

Ingests samples/articles into a temporary store, serves the app and a host page from a second
loopback origin, and drives Debian's chromium through what a user does: ask and open a source,
look at a briefing card, ask through the embedded widget.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route

from tests.web.support import free_port, launch_chromium, running_server

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"

HOST_PAGE = """<!doctype html><html><head><title>The Diplomatic Desk</title>
<style>body{{font-family:Georgia,serif;max-width:720px;margin:40px auto;color:#222;line-height:1.6}}
h1{{font-size:34px;margin-bottom:4px}} .kicker{{color:#b91c1c;font:600 13px system-ui;letter-spacing:.08em}}</style>
</head><body><p class="kicker">ANALYSIS</p><h1>The week in summitry</h1>
<p>Four meetings, four sets of demands. Ask our briefing bot what each side wanted; every answer
shows the sentence it comes from.</p>
<p>From Woodside to Beijing, leaders traded warnings and promises. Our reporters followed each
meeting; the bot in the corner reads their articles for you.</p>
<script src="{bot}/embed/widget.js" data-title="Diplomatic Desk bot" data-open="true"
 data-greeting="Ask me about this week's meetings: who met, where, what each side demanded."></script>
</body></html>"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", default="minilm", choices=["minilm", "hash"])
    args = parser.parse_args()
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

    from playwright.sync_api import expect, sync_playwright

    from bot.components import Components
    from bot.settings import Settings
    from bot.surfaces.server import create_app

    site_port = free_port()
    site = f"http://localhost:{site_port}"
    store = Path(tempfile.mkdtemp(prefix="briefbot-shots-")) / "store"
    components = Components(Settings(store=store, embedder=args.embedder, embed_origins=[site]))
    for result in components.ingest.ingest_paths([ROOT / "samples" / "articles"]):
        print(result.line())

    async def host(request):
        return HTMLResponse(HOST_PAGE.format(bot=bot))

    DOCS.mkdir(exist_ok=True)
    with (
        running_server(create_app(components)) as bot,
        running_server(Starlette(routes=[Route("/", host)]), port=site_port),
        sync_playwright() as p,
    ):
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1280, "height": 860})
        page.set_default_timeout(120_000)
        page.goto(bot + "/", wait_until="load")
        box = page.get_by_label("Your question")
        box.fill("What did Macron ask Xi to do about Russia?")
        box.press("Enter")
        expect(page.locator("#bb-chat .bb-answer")).to_have_count(1)
        page.locator("#bb-chat .bb-source summary").first.click()
        page.evaluate("window.scrollTo(0, 0)")
        page.wait_for_timeout(400)
        page.screenshot(path=str(DOCS / "chat.png"))

        page.get_by_role("tab", name="Briefings").click()
        card = page.locator("#bb-cards .bb-card").first
        card.wait_for()
        page.wait_for_timeout(300)
        card.screenshot(path=str(DOCS / "card.png"))

        widget = browser.new_page(viewport={"width": 1100, "height": 760})
        widget.set_default_timeout(120_000)
        widget.goto(site + "/", wait_until="load")
        question = widget.get_by_role("textbox", name="Your question")
        question.fill("What did Putin demand before Russia would return to the grain deal?")
        question.press("Enter")
        expect(widget.get_by_role("log").get_by_role("list", name="Sources")).to_have_count(1)
        widget.wait_for_timeout(400)
        widget.screenshot(path=str(DOCS / "widget.png"))
        browser.close()
    for name in ("chat.png", "card.png", "widget.png"):
        print(DOCS / name)


if __name__ == "__main__":
    main()
