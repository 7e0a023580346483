"""Follow-up questions are rewritten against the conversation before anything is retrieved."""

from __future__ import annotations

import pytest

from bot.answer.catalog import build_catalog
from bot.answer.followup import resolve
from bot.models import Answer, Turn
from ingest.extraction import extract_meetings
from ingest.segment import split_sentences
from vectorstore.models import Article

TEXT = """Envoys meet in Oslo

Chinese Foreign Minister Li Wen met US Secretary of State Dana Whitfield in Oslo on Friday.
Li urged the US to lift export controls.
Whitfield raised concerns about cyber attacks.
"""


@pytest.fixture(scope="module")
def catalog():
    article = Article(id="a1", title="Envoys meet in Oslo", source="t.txt", text=TEXT)
    article.meetings = extract_meetings(article, split_sentences(TEXT))
    return build_catalog([article])


def turn(question: str, **focus) -> Turn:
    focus.setdefault("article_ids", ["a1"])
    return Turn(question=question, answer=Answer(question=question, answer="...", focus=focus))


def test_he_after_who_met_is_the_person_the_answer_named(catalog):
    history = [
        turn("Who did Whitfield meet in Oslo?", intent="who_met", actor="Dana Whitfield", answered_people=["Li Wen"])
    ]
    text, ctx = resolve("What did he urge the US to do?", history, catalog)
    assert text == "What did Li Wen urge the US to do?"
    assert ctx.actor == "Li Wen" and ctx.article_ids == ["a1"]


def test_he_after_another_question_is_the_person_asked_about(catalog):
    history = [turn("What did Whitfield raise?", intent="side_position", actor="Dana Whitfield")]
    text, _ = resolve("And what did he say about export controls?", history, catalog)
    assert "Dana Whitfield" in text


def test_that_leader_is_the_person_the_last_answer_named(catalog):
    # "Whom had she told?" -> Li Wen; "How did that leader react?" asks about Li, not the speaker.
    history = [turn("Whom had Whitfield told?", intent="other", actor="Dana Whitfield", answered_people=["Li Wen"])]
    text, ctx = resolve("How did that leader react to the talks?", history, catalog)
    assert text == "How did Li Wen react to the talks?" and ctx.actor == "Li Wen"
    history = [turn("What did Whitfield raise?", intent="side_position", actor="Dana Whitfield")]
    assert resolve("And how did that official react?", history, catalog)[0] == "And how did Dana Whitfield react?"
    # A noun phrase is no reference to a person.
    assert "this official visit" in resolve("What did Li say about this official visit?", history, catalog)[0]


def test_host_and_object_pronoun_are_the_other_participant(catalog):
    history = [turn("What did Li urge?", intent="demands", actor="Li Wen")]
    text, _ = resolve("What did he tell his host?", history, catalog)
    assert text == "What did Li Wen tell Dana Whitfield?"
    text, _ = resolve("What did the Chinese minister ask him for?", history, catalog)
    assert text == "What did Li Wen ask Dana Whitfield for?"


def test_descriptor_finds_the_participant(catalog):
    history = [turn("Where did they meet?", intent="where_when")]
    text, _ = resolve("What concerns did the secretary raise at that meeting?", history, catalog)
    assert "Dana Whitfield" in text
    text, _ = resolve("How did his Chinese counterpart respond?", history, catalog)
    assert "Li Wen" in text


def test_the_other_side_flips_the_side(catalog):
    history = [turn("What did China ask for?", intent="demands", actor_side="China")]
    text, ctx = resolve("And the other side?", history, catalog)
    assert "United States" in text and ctx.actor == "Dana Whitfield"


def test_a_new_question_is_left_alone(catalog):
    history = [turn("What did China ask for?", intent="demands", actor_side="China")]
    text, ctx = resolve("Who met in Oslo?", history, catalog)
    assert text == "Who met in Oslo?" and not ctx.is_followup


def test_no_history_no_rewrite(catalog):
    text, ctx = resolve("What did he say?", [], catalog)
    assert text == "What did he say?" and not ctx.is_followup


def test_a_question_naming_another_place_leaves_the_conversation(components):
    from ingest.models import LoadedDocument

    oslo = TEXT
    lima = (
        "Whitfield in Lima\n\nPeruvian President Rosa Quispe met US Secretary of State Dana Whitfield in Lima.\n"
        "The two sides agreed to expand copper trade.\n"
    )
    docs = [
        LoadedDocument(text=oslo, title="Oslo", source="o.txt"),
        LoadedDocument(text=lima, title="Lima", source="l.txt"),
    ]
    list(components.ingest.ingest_documents(docs))
    chat = components.chat
    first = chat.ask("What did China ask the US to do?")
    assert "export controls" in first.answer
    second = chat.ask("What did the two sides agree in Lima?", [Turn(question="q", answer=first)])
    assert "copper trade" in second.answer


def test_a_name_from_history_is_inserted_literally_never_as_a_regex_template(catalog):
    # Conversation state can come back from the browser; a backslash in it must not break resolution.
    history = [
        turn("Who did Whitfield meet?", intent="who_met", actor="Dana Whitfield", answered_people=[r"Li \1 Wen"])
    ]
    text, _ = resolve("What did he urge the US to do?", history, catalog)
    assert r"Li \1 Wen" in text
