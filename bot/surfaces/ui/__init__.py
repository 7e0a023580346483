"""The Gradio UI: Chat, Briefings, Articles and Embed tabs over the shared services.

`build_ui` only lays out components and wires them to `bot.surfaces.ui.*` handlers; the answer, ingest and
card logic live in the services and `bot.briefing_cards`. Mounted by `bot.surfaces.server.create_app`, which
passes the server's `SessionStore` so the chat's questions count against the same quotas as the API's.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from bot.surfaces.sessions import SessionStore
from bot.surfaces.ui.briefings import build_briefings_tab
from bot.surfaces.ui.chat import build_chat_tab
from bot.surfaces.ui.embed import build_embed_tab
from bot.surfaces.ui.library import build_library_tab

UI_CSS = """
.bb-marker { font-weight: 600; color: var(--color-accent); white-space: nowrap; }
.bb-sources { margin-top: .6em; border-top: 1px solid var(--border-color-primary); padding-top: .4em; }
.bb-source { margin: .25em 0; }
.bb-source summary { cursor: pointer; }
.bb-meta { color: var(--body-text-color-subdued); font-size: .9em; }
.bb-passage { margin: .35em 0 .5em 1.2em; padding: .5em .7em; border-left: 3px solid var(--color-accent);
              background: var(--background-fill-secondary); font-size: .95em; line-height: 1.5; }
.bb-passage mark, .bb-card mark { background: #fde68a; color: #111; padding: 0 .1em; }
.bb-card { border: 1px solid var(--border-color-primary); border-radius: 10px; padding: .8em 1.1em;
           margin: .8em 0; background: var(--background-fill-primary); }
.bb-card h3 { margin: 0 0 .2em; }
.bb-card h4 { margin: .7em 0 .2em; }
.bb-card ul { margin: .1em 0 .1em 1.2em; }
.bb-library, .bb-results { width: 100%; border-collapse: collapse; }
.bb-library th, .bb-library td, .bb-results th, .bb-results td { text-align: left; padding: .3em .5em;
           border-bottom: 1px solid var(--border-color-primary); }
.bb-article { max-height: 32em; overflow-y: auto; }
.bb-error { color: #b91c1c; }
.bb-ok { color: #15803d; }
.bb-failed td { color: #b91c1c; }
.bb-answer .bb-marker { cursor: pointer; }
"""

# Clicking an [n] inside an answer opens source n under that answer (one delegated listener,
# so it works for messages rendered later). Sources carry their number as a class (bb-source-<n>),
# since the chat's HTML sanitiser drops data attributes.
UI_HEAD = """<script>
document.addEventListener("click", function (event) {
  var marker = event.target.closest && event.target.closest(".bb-answer .bb-marker");
  if (!marker) return;
  var n = (marker.textContent.match(/\\d+/) || [])[0];
  var message = marker.closest(".message, .message-row, [data-testid=bot]") || document;
  var source = n && message.querySelector(".bb-source-" + n);
  if (source) {
    source.open = true;
    source.scrollIntoView({block: "nearest"});
  }
});
</script>"""


def build_ui(components: Any, sessions: SessionStore) -> gr.Blocks:
    """The Blocks app; every article string it shows goes through `bot.surfaces.ui.render.text`."""
    with gr.Blocks(title="Briefbot") as demo:
        gr.Markdown("# Briefbot\nCited briefings on diplomatic meetings, from the articles you add.")
        with gr.Tabs():
            with gr.Tab("Chat", id="chat"):
                chat = build_chat_tab(components, sessions)
            with gr.Tab("Briefings", id="briefings") as briefings_tab:
                briefings = build_briefings_tab(components)
            with gr.Tab("Articles", id="articles") as articles_tab:
                library = build_library_tab(components)
            with gr.Tab("Embed", id="embed") as embed_tab:
                embed = build_embed_tab(components)

        from bot.surfaces.ui.chat import render_conversation

        def restore(stored: list[dict] | None) -> tuple[list[dict], list[dict]]:
            messages = render_conversation(components, stored)
            return messages, messages

        demo.load(restore, [chat["conversation"]], [chat["chatbot"], chat["shown"]], api_visibility="private")
        for tab, refresh in (
            (briefings_tab, briefings["refresh"]),
            (articles_tab, library["refresh"]),
            (embed_tab, embed["refresh"]),
        ):
            fn, inputs, outputs = refresh
            tab.select(fn, inputs, outputs, api_visibility="private")
            demo.load(fn, inputs, outputs, api_visibility="private")
    return demo
