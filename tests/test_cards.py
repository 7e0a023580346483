"""Briefing cards from stored meetings: cited lines, filters, Markdown and JSON exports."""

from __future__ import annotations

import json
import re

import pytest

from bot.briefing_cards import build_card, build_cards, card_json, card_markdown, filter_cards, statement_line
from tests.web.support import LISBON, MUNICH, PAYLOAD, munich_meeting, payload_meeting, store_article
from vectorstore.models import Agreement, Article, Evidence, Meeting, Participant, Statement


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


# A hand-written report whose headline restates its lead, with an agreement reported both as a
# "both sides" statement and as an agreement, and positions that say "he" or speak through a country.
HARBOUR = Article(
    id="harbour",
    title="Tanaka and Reyes agree to reopen ferry route and expand coast guard drills",
    source="harbour.txt",
    text=(
        "Tanaka and Reyes agree to reopen ferry route and expand coast guard drills\n\n"
        "Japanese Foreign Minister Kenji Tanaka and Philippine Foreign Secretary Maria Reyes agreed in Manila "
        "on Tuesday to reopen the ferry route between Okinawa and Luzon and to expand joint coast guard drills. "
        "He urged Manila to speed up port inspections. "
        "Tokyo also asked for a joint review of fishing quotas. "
        "Reyes said the Philippines welcomed the offer but warned that Japan's quota plan would hurt small fishermen. "
        "Both sides agreed to meet again in Tokyo in March."
    ),
)


def _span(article: Article, sentence: str) -> Evidence:
    start = article.text.index(sentence)
    return Evidence(article_id=article.id, start=start, end=start + len(sentence))


def _harbour_meeting(article: Article = HARBOUR) -> Meeting:
    headline = _span(article, article.title)
    lead = _span(article, "Japanese Foreign Minister Kenji Tanaka and Philippine")
    lead = Evidence(article_id=article.id, start=lead.start, end=article.text.index(" He urged"))
    again = _span(article, "Both sides agreed to meet again in Tokyo in March.")
    return Meeting(
        participants=[
            Participant(name="Kenji Tanaka", title="Foreign Minister", side="Japan"),
            Participant(name="Maria Reyes", title="Foreign Secretary", side="Philippines"),
        ],
        venue="Manila",
        venue_evidence=headline if "Manila" in article.title else lead,
        evidence=lead,
        statements=[
            Statement(actor="both", side="both", kind="agree", text=article.title, evidence=headline),
            Statement(actor="both", side="both", kind="agree", text="Both sides agreed to meet again", evidence=again),
            Statement(
                actor="Kenji Tanaka",
                side="Japan",
                kind="urge",
                text="He urged Manila to speed up port inspections.",
                evidence=_span(article, "He urged Manila"),
            ),
            Statement(
                actor="Kenji Tanaka",
                side="Japan",
                kind="demand",
                text="Tokyo also asked for a joint review of fishing quotas.",
                evidence=_span(article, "Tokyo also asked"),
            ),
            Statement(
                actor="Maria Reyes",
                side="Philippines",
                kind="warn",
                text="Japan's quota plan would hurt small fishermen",
                evidence=_span(article, "Reyes said the Philippines"),
            ),
        ],
        agreements=[
            Agreement(text=article.title, evidence=headline),
            Agreement(
                text="reopen the ferry route between Okinawa and Luzon and expand joint coast guard drills",
                evidence=lead,
            ),
            Agreement(text="meet again in Tokyo in March", evidence=again),
        ],
    )


def test_an_agreement_is_listed_once_under_agreements() -> None:
    card = build_card(HARBOUR, _harbour_meeting(), 0)
    agreed = [card.source(line.n).text for line in card.section("agreements")]
    assert "Both sides agreed to meet again in Tokyo in March." in agreed
    positions = [card.source(line.n).text for line in card.section("positions")]
    assert not set(agreed) & set(positions), "a sentence under Agreements is not repeated as a position"
    assert card.sides() == ["Japan", "Philippines"]


def test_the_headline_gives_way_to_the_body_sentence_that_says_the_same() -> None:
    card = build_card(HARBOUR, _harbour_meeting(), 0)
    cited = {card.source(line.n).text for line in card.lines}
    assert HARBOUR.title not in cited
    assert any(text.startswith("Japanese Foreign Minister Kenji Tanaka") for text in cited)
    (venue,) = card.section("venue")
    assert card.source(venue.n).text.startswith("Japanese Foreign Minister"), "venue cites the body sentence"


def test_a_headline_no_body_sentence_restates_stays() -> None:
    article = HARBOUR.model_copy(
        update={"title": "Tanaka and Reyes pledge closer maritime ties and new bridge funds", "id": "harbour2"}
    )
    article.text = article.text.replace(HARBOUR.title, article.title)
    card = build_card(article, _harbour_meeting(article), 0)
    agreed = [card.source(line.n).text for line in card.section("agreements")]
    assert agreed[0] == article.title
    assert len(agreed) == 3


def test_position_lines_say_who_without_repeating_the_sentence() -> None:
    card = build_card(HARBOUR, _harbour_meeting(), 0)
    assert [(line.side, line.text) for line in card.section("positions")] == [
        ("Japan", "[Kenji Tanaka] urged Manila to speed up port inspections."),
        ("Japan", "Tokyo also asked for a joint review of fishing quotas."),
        ("Philippines", "Maria Reyes warned: Japan's quota plan would hurt small fishermen"),
    ]
    urged = card.section("positions")[0]
    assert (urged.actor, urged.kind) == ("Kenji Tanaka", "urge")


def test_exports_show_the_lines_the_card_shows() -> None:
    card = build_card(HARBOUR, _harbour_meeting(), 0)
    md = card_markdown(card)
    assert "  - \\[Kenji Tanaka\\] urged Manila to speed up port inspections. [" in md
    assert HARBOUR.title not in md.split("### Positions")[1], "the headline is not listed as a line"
    data = json.loads(card_json(card))
    assert [line["text"] for line in data["lines"]] == [line.text for line in card.lines]
    assert {line["kind"] for line in data["lines"] if line["section"] == "positions"} == {"urge", "demand", "warn"}


@pytest.mark.parametrize(
    ("actor", "side", "text", "shown"),
    [
        ("Lena Berg", "Sweden", "She warned Oslo against new tariffs.", "[Lena Berg] warned Oslo against new tariffs."),
        ("Lena Berg", "Sweden", "Stockholm rejected the proposal.", "Stockholm rejected the proposal."),
        ("Lena Berg", "Sweden", "The Swedish side called for talks.", "The Swedish side called for talks."),
        (
            "Lena Berg",
            "Sweden",
            "The plan to cut quotas would hurt Sweden's fleet, she said.",
            "Lena Berg: The plan to cut quotas would hurt Sweden's fleet, she said.",
        ),
        ("Lena Berg", "Sweden", "cut the quotas", "Lena Berg proposed: cut the quotas"),
    ],
)
def test_statement_lines(actor, side, text, shown) -> None:
    ev = Evidence(article_id="a", start=0, end=5)
    statement = Statement(actor=actor, side=side, kind="propose", text=text, evidence=ev)
    assert statement_line(statement) == shown


def test_text_pasted_without_a_headline_keeps_its_lead() -> None:
    """The first paragraph is only a headline when it reads as one; a lead is reporting."""
    lead = HARBOUR.text.split("\n\n", 1)[1]
    later = "Officials said the two ministers agreed to reopen the ferry route and expand coast guard drills."
    text = f"{lead}\n\n{later}"
    article = Article(id="nohead", title=lead[:200], source="pasted", text=text)
    first = _span(article, "Japanese Foreign Minister Kenji Tanaka")
    first = Evidence(article_id="nohead", start=first.start, end=text.index(" He urged"))
    meeting = Meeting(
        agreements=[
            Agreement(text="reopen the ferry route and expand joint coast guard drills", evidence=first),
            Agreement(text="reopen the ferry route and expand coast guard drills", evidence=_span(article, later)),
        ],
        evidence=first,
    )
    card = build_card(article, meeting, 0)
    assert [card.source(line.n).text[:25] for line in card.section("agreements")] == [
        "Japanese Foreign Minister",
        "Officials said the two mi",
    ]
