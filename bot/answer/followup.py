"""Follow-up questions resolved against the conversation before retrieval.

"What did he urge the US to do?" after "Who did Blinken meet in Munich?" means the person the last
answer named (Wang Yi); "his host", "the secretary", "his Chinese counterpart" and "the other side"
are looked up among the participants of the meeting the conversation is about. The resolved
question names people explicitly, so retrieval and ranking work as for a first question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.answer.catalog import Catalog
from bot.models import Focus, Turn
from ingest.extraction.lexicon import find_sides
from vectorstore.models import Participant

_SUBJECT = re.compile(r"\b(?:he|she)\b", re.I)
_OBJECT = re.compile(r"\b(?:him|her)\b(?!\s+(?:host|counterpart|guest|side|country|government))", re.I)
_HOST = re.compile(r"\b(?:his|her|the|their)\s+(host|guest|counterpart|interlocutor)\b", re.I)
_DESCRIPTOR = re.compile(
    r"\b(?:his|her|the|their)\s+((?:[A-Z][\w.]*\s+){1,3})(counterpart|leader|side|president|minister|secretary|chief|official|diplomat)\b"
    r"|\bthe\s+(secretary|president|minister|prime minister|foreign minister|chancellor|premier)\b",
    re.I,
)
_OTHER_SIDE = re.compile(r"\b(?:the\s+)?other\s+side\b", re.I)
# "How did that leader react?": the person the last answer named ("Whom had he informed?" -> Zelensky).
_DEMONSTRATIVE = re.compile(
    r"\b(?:that|this)\s+(?:leader|man|woman|official|minister|president|diplomat|envoy|politician|person)"
    r"(?![\w-])(?!\s+(?:visit|trip|talks?|meeting|statement|delegation|dialogue|summit|level)\b)|"
    r"\bthe\s+latter\b",
    re.I,
)
_CONTEXT_WORDS = re.compile(
    r"\b(?:he|she|him|his|her|they|them|their|that meeting|the meeting|those talks|the talks|this meeting|the host|"
    r"the other side|the secretary|the two sides)\b|^\s*and\b|" + _DEMONSTRATIVE.pattern,
    re.I,
)


@dataclass
class Context:
    """What the conversation pins down for this question."""

    article_ids: list[str] = field(default_factory=list)
    actor: str | None = None
    participants: list[Participant] = field(default_factory=list)
    is_followup: bool = False


def _last_focus(history: list[Turn]) -> Focus | None:
    for turn in reversed(history):
        if turn.answer.focus.article_ids:
            return turn.answer.focus
    return None


def _participants(catalog: Catalog, article_ids: list[str]) -> list[Participant]:
    for article_id in article_ids:
        meeting = catalog.meeting_of(article_id)
        if meeting and meeting.participants:
            return list(meeting.participants)
    return []


def _other(participants: list[Participant], name: str | None) -> Participant | None:
    others = [p for p in participants if p.name != name]
    return others[0] if others else None


def resolve(question: str, history: list[Turn], catalog: Catalog) -> tuple[str, Context]:
    """The question with references replaced by names, and the conversation's meeting."""
    focus = _last_focus(history)
    ctx = Context()
    if not focus or not _CONTEXT_WORDS.search(question):
        return question, ctx
    ctx.is_followup = True
    ctx.article_ids = list(focus.article_ids)
    ctx.participants = _participants(catalog, ctx.article_ids)
    if not ctx.participants:
        return question, ctx
    last_actor = focus.actor
    answered = focus.answered_people
    text = question

    def by_side(side: str) -> Participant | None:
        found = [p for p in ctx.participants if p.country == side or p.side == side]
        return found[0] if found else None

    # "the Palestinian leader", "his Chinese counterpart", "the secretary"
    def descriptor(m: re.Match) -> str:
        words = (m.group(1) or "").strip()
        head = (m.group(2) or m.group(3) or "").casefold()
        sides = find_sides(words) if words else []
        if sides:
            p = by_side(sides[0][2])
            if p and head != "side":
                return p.name
            return m.group(0)
        titled = [p for p in ctx.participants if p.title and head.split()[-1] in p.title.casefold()]
        return titled[0].name if len(titled) == 1 else m.group(0)

    text = _DESCRIPTOR.sub(descriptor, text)
    named = answered[-1] if answered else last_actor  # the last one the answer named ("the latter")
    if named and _DEMONSTRATIVE.search(text):
        text = _DEMONSTRATIVE.sub(lambda _m: named, text, count=1)  # names are literal, never templates
        ctx.actor = named
    subject = answered[0] if (focus.intent == "who_met" and answered) else last_actor
    if subject is None and ctx.participants:
        subject = ctx.participants[0].name
    mentioned = [p.name for p in ctx.participants if p.name in text]
    if _SUBJECT.search(text) and subject:
        # "he" is the person in focus, unless the question already names that person as the object.
        he: str = subject
        if mentioned and he in mentioned and len(ctx.participants) > 1:
            he = (_other(ctx.participants, he) or ctx.participants[0]).name
        ctx.actor = he
        text = _SUBJECT.sub(lambda _m: he, text, count=1)  # names are literal, never templates
    current = ctx.actor or (mentioned[0] if mentioned else subject)
    host = _other(ctx.participants, current)
    if host is not None:
        text = _HOST.sub(lambda _m: host.name, text)
        text = _OBJECT.sub(lambda _m: host.name, text)
    if _OTHER_SIDE.search(text):
        side = focus.actor_side
        others = [p for p in ctx.participants if p.country and p.country != side]
        if others:
            text = _OTHER_SIDE.sub(lambda _m: f"the {others[0].country} side", text)
            ctx.actor = others[0].name
    return text, ctx
