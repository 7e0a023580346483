"""The Briefings tab: one card per extracted meeting, filterable, exportable as Markdown or JSON."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import gradio as gr

from bot.briefing_cards import Card, build_cards, card_json, card_markdown, filter_cards
from bot.surfaces.ui.render import cards_html


def current_cards(components: Any, query: str = "") -> list[Card]:
    cards = build_cards(components.store.meetings())
    return filter_cards(cards, query) if query and query.strip() else cards


def export_card(components: Any, card_id: str | None, fmt: str) -> str | None:
    """Write the chosen card to a temporary file for download; None when no card is chosen."""
    card = next((c for c in current_cards(components) if c.id == card_id), None)
    if card is None:
        gr.Warning("Choose a card to export first.")
        return None
    folder = Path(tempfile.mkdtemp(prefix="briefbot-card-"))
    if fmt == "md":
        path = folder / f"briefing-{card.id}.md"
        path.write_text(card_markdown(card), encoding="utf-8")
    else:
        path = folder / f"briefing-{card.id}.json"
        path.write_text(card_json(card), encoding="utf-8")
    return str(path)


def build_briefings_tab(components: Any) -> dict[str, Any]:
    gr.Markdown("One card per meeting found in the articles. Every line cites the sentence it comes from.")
    with gr.Row():
        query = gr.Textbox(label="Filter by person or country", placeholder="e.g. Wang Yi, or China", scale=4)
        refresh = gr.Button("Refresh", scale=1)
    cards_view = gr.HTML(elem_id="bb-cards")
    with gr.Row(equal_height=True):
        pick = gr.Dropdown(label="Card to export", choices=[], scale=4, elem_id="bb-card-pick")
        as_md = gr.Button("Export Markdown", scale=1)
        as_json = gr.Button("Export JSON", scale=1)
    download = gr.File(label="Exported card", interactive=False, elem_id="bb-export")

    def show(q: str):
        cards = current_cards(components, q)
        choices = [(c.heading, c.id) for c in cards]
        return cards_html(cards, q or ""), gr.Dropdown(choices=choices, value=choices[0][1] if choices else None)

    for event in (query.submit, query.change, refresh.click):
        event(show, [query], [cards_view, pick], api_visibility="private")
    as_md.click(lambda cid: export_card(components, cid, "md"), [pick], [download], api_visibility="private")
    as_json.click(lambda cid: export_card(components, cid, "json"), [pick], [download], api_visibility="private")
    return {"refresh": (show, [query], [cards_view, pick])}
