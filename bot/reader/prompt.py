"""What the model reads: the meeting's facts, the evidence sentences numbered once, the conversation.

The evidence is what the extractive engine chose (its cited sentences) plus the next best-ranked
sentences of the same article(s), in the articles' own order, so the model can say a little more than
the extractive answer without ever reaching past what Briefbot retrieved and ranked. The numbers in
the prompt are the evidence numbers the verifier checks; the citations shown are renumbered after.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from bot.models import Answer, Citation, Turn
from bot.reader.claims import ABSTENTION, MARKER

MAX_HISTORY_TURNS = 3

SYSTEM = f"""You are Briefbot, a careful news-briefing assistant. Answer the question using only the numbered \
source sentences.
Rules:
- Write one to three short, plain sentences that answer the question directly.
- End every sentence with the number of each source sentence that states it, in square brackets, like [2] or [1][3]. \
Use only the numbers listed.
- Say nothing that the cited sentences do not state: no outside knowledge, no guesses.
- If the sources answer the question even in part, answer with what they say.
- Only if no source sentence answers the question at all, reply exactly: {ABSTENTION}"""

# One worked exchange: small models copy a format they are shown far more reliably than one described.
EXAMPLE_QUESTION = """Sources:
[1] Foreign Minister Ana Ruiz hosted her counterpart Tomas Berg in Lima on Monday.
[2] Ruiz urged Norway to reopen its fisheries office and to share catch data every month.
[3] The ministers agreed to meet again in Oslo next year.

Question: What did Ruiz ask Norway to do?"""
EXAMPLE_ANSWER = (
    "Ruiz urged Norway to reopen its fisheries office [2]. She also asked it to share catch data every month [2]."
)


# An evidence sentence is a `Citation` whose `n` is not yet the one shown: its place in the list is
# its number in the prompt, and the citations shown are renumbered from it after verification.
Evidence = Citation


def evidence_lines(evidence: Sequence[Evidence]) -> str:
    """`[n] sentence` per line, a sentence's line breaks folded so a line is one sentence."""
    return "\n".join(f"[{n}] {' '.join(e.text.split())}" for n, e in enumerate(evidence, 1))


def plain(answer_text: str) -> str:
    """An earlier answer without its markers (its numbers belong to that turn's sources, not this one's)."""
    return re.sub(r"\s+", " ", MARKER.sub("", answer_text)).strip()


def build_messages(
    question: str,
    evidence: Sequence[Evidence],
    facts: Facts | None = None,
    history: Sequence[Turn] = (),
) -> list[BaseMessage]:
    """The chat messages for one question: instructions, earlier turns, then facts, sources, question."""
    messages: list[BaseMessage] = [SystemMessage(SYSTEM), HumanMessage(EXAMPLE_QUESTION), AIMessage(EXAMPLE_ANSWER)]
    for turn in list(history)[-MAX_HISTORY_TURNS:]:
        messages.append(HumanMessage(turn.question))
        messages.append(AIMessage(plain(turn.answer.answer)))
    parts = []
    if facts is not None and facts.lines:
        parts.append("About the meeting (for orientation; cite the sources, not this list):\n" + "\n".join(facts.lines))
    parts.append("Sources:\n" + evidence_lines(evidence))
    parts.append(f"Question: {question}")
    messages.append(HumanMessage("\n\n".join(parts)))
    return messages


@dataclass(frozen=True)
class Facts:
    """What extraction read about the meeting: lines for the prompt, and the participants' names (a
    claim may name a person its cited sentence calls "he", so their words count as known)."""

    lines: tuple[str, ...] = ()
    names: tuple[str, ...] = ()


def meeting_facts(store: Any, answer: Answer) -> Facts:
    """Who met, where and when, as extraction read the first cited article (context, not evidence)."""
    if not answer.citations:
        return Facts()
    article = store.get_article(answer.citations[0].article_id)
    if article is None or not article.meetings:
        return Facts()
    meeting = article.meetings[0]
    people = [", ".join(x for x in (p.name, p.title, p.side or p.country) if x) for p in meeting.participants if p.name]
    facts = [f"Participants: {'; '.join(people)}"] if people else []
    if meeting.venue:
        facts.append(f"Place: {meeting.venue}")
    if meeting.date:
        facts.append(f"Date: {meeting.date}")
    return Facts(tuple(facts), tuple(p.name for p in meeting.participants if p.name))
