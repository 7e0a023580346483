"""Briefing cards from stored meetings: cited lines, filters, Markdown and JSON exports."""

from __future__ import annotations

import json
import re

import pytest

from bot.briefing_cards import build_card, build_cards, card_json, card_markdown, filter_cards, statement_line
from ingest.models import Article, Evidence, Meeting, Participant, Statement
from tests.web.support import LISBON, MUNICH, PAYLOAD, munich_meeting, payload_meeting, store_article


@pytest.fixture
def munich(components) -> Article:
    return store_article(components, MUNICH, munich_meeting)


def test_every_line_cites_the_sentence_it_rests_on(munich: Article) -> None:
    card = build_card(munich, munich.meetings[0], 0)
    assert card.heading == "Wang Yi – Antony Blinken · Munich, on Friday"
    assert [line.text for line in card.section("participants")] == [
        "Wang Yi, Foreign Minister (China)",
        "Antony Blinken, Secretary of State (United States)",
    ]
    assert card.lines, "a card with facts has lines"
    for line in card.lines:
        source = card.source(line.n)
        assert munich.text[source.start : source.end].strip() == source.text
    urged = next(line for line in card.section("positions") if line.side == "China")
    assert urged.text == "Wang Yi urged: lift its sanctions on Chinese companies"
    assert "lift its sanctions" in card.source(urged.n).text
    agreed = card.section("agreements")[0]
    assert "military communication" in card.source(agreed.n).text


def test_sources_are_numbered_once_per_sentence(munich: Article) -> None:
    card = build_card(munich, munich.meetings[0], 0)
    assert [s.n for s in card.sources] == list(range(1, len(card.sources) + 1))
    assert len({(s.start, s.end) for s in card.sources}) == len(card.sources)
    # participants, venue and date all rest on the one sentence reporting the meeting
    met = {line.n for line in card.lines if line.section in ("participants", "venue", "date")}
    assert len(met) == 1


def test_positions_are_grouped_by_side_in_speaking_order(munich: Article) -> None:
    card = build_card(munich, munich.meetings[0], 0)
    assert card.sides() == ["China", "United States"]


def test_a_line_without_evidence_is_left_out() -> None:
    article = Article(id="a1", title="T", source="t.txt", text="Ministers met in Oslo. They talked.")
    bad = Evidence(article_id="a1", start=50, end=80)  # outside the text
    other = Evidence(article_id="other", start=0, end=5)  # another article's span
    meeting = Meeting(
        participants=[Participant(name="A")],
        statements=[
            Statement(actor="A", kind="demand", text="x", evidence=bad),
            Statement(actor="B", kind="warn", text="y", evidence=other),
        ],
    )
    card = build_card(article, meeting, 0)
    assert card.lines == [] and card.sources == []


def test_filter_by_person_or_country(components) -> None:
    store_article(components, MUNICH, munich_meeting)
    store_article(components, PAYLOAD, payload_meeting)
    store_article(components, LISBON)  # no meeting: no card
    cards = build_cards(components.store.meetings())
    assert len(cards) == 2
    assert [c.venue for c in filter_cards(cards, "blinken")] == ["Munich"]
    assert [c.venue for c in filter_cards(cards, "China")] == ["Munich"]
    assert [c.venue for c in filter_cards(cards, "Wang Yi")] == ["Munich"]
    assert filter_cards(cards, "Brazil") == []
    assert len(filter_cards(cards, "  ")) == 2


def test_markdown_export_cites_lines_and_keeps_article_text_inert(components) -> None:
    munich = store_article(components, MUNICH, munich_meeting)
    md = card_markdown(build_card(munich, munich.meetings[0], 0))
    assert md.startswith("## Wang Yi – Antony Blinken")
    assert "- **China**\n  - Wang Yi urged: lift its sanctions on Chinese companies [" in md
    assert "### Sources" in md and "Both sides agreed to keep the lines of military communication open" in md

    hostile = store_article(components, PAYLOAD, payload_meeting)
    md = card_markdown(build_card(hostile, hostile.meetings[0], 0))
    assert re.search(r"(?<!\\)[<>]", md) is None, "every angle bracket from the article is escaped"
    assert "\\<img src=x" in md
    assert "\\[respect the deal\\](javascript:" in md, "a Markdown link in the article stays literal text"


def test_json_export_round_trips_the_card(munich: Article) -> None:
    card = build_card(munich, munich.meetings[0], 0)
    data = json.loads(card_json(card))
    assert data["id"] == f"{munich.id}-0"
    assert data["participants"] == ["Wang Yi", "Antony Blinken"]
    assert {line["section"] for line in data["lines"]} >= {"participants", "venue", "positions", "agreements"}
    assert all(1 <= line["n"] <= len(data["sources"]) for line in data["lines"])


def test_a_statement_that_names_its_speaker_is_not_prefixed_again() -> None:
    ev = Evidence(article_id="a", start=0, end=5)
    said = Statement(actor="Wang Yi", kind="urge", text="Wang urged the US to lift sanctions.", evidence=ev)
    assert statement_line(said) == "Wang urged the US to lift sanctions."
    bare = Statement(actor="Antony Blinken", kind="warn", text="support for Russia has consequences", evidence=ev)
    assert statement_line(bare) == "Antony Blinken warned: support for Russia has consequences"
    both = Statement(actor="both", kind="agree", text="Biden and Xi agreed to talk.", evidence=ev)
    assert statement_line(both) == "Biden and Xi agreed to talk."


def test_cards_from_the_real_extraction_cite_article_sentences(components) -> None:
    """Through the ingest pipeline (real extraction): the Munich article yields a cited card."""
    results = list(components.ingest.ingest_paths([MUNICH]))
    assert [r.status for r in results] == ["new"]
    article = components.store.get_article(results[0].article_id)
    cards = build_cards(components.store.meetings())
    card = next(c for c in cards if "Munich" in (c.venue or ""))
    assert "Wang Yi" in card.participants and "Antony Blinken" in card.participants
    assert card.section("positions")
    for source in card.sources:
        assert article.text[source.start : source.end].strip() == source.text
