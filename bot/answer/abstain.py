"""When to say "the articles don't say": a confident wrong answer is the worst outcome.

Checks that need only the question and the chosen meeting: the asked-about person said nothing in
it, the asked-for city, date or duration is not stated, the topic the question is about is absent,
or the best sentence barely touches the question.
"""

from __future__ import annotations

import re

from bot.answer.question import Question
from bot.answer.text import INTENT_WORDS, STOP, content_stems, words
from ingest.extraction.lexicon import CITIES, MONTHS, WEEKDAYS
from ingest.models import Article, Meeting

ABSTAIN = "The ingested articles don't say."
_CITY = re.compile(
    r"(?<![\w-])(?:" + "|".join(re.escape(c) for c in sorted(CITIES, key=len, reverse=True)) + r")(?![\w-])"
)
_DATE = re.compile(
    r"\b(?:"
    + "|".join(w.title() for w in WEEKDAYS)
    + "|"
    + "|".join(m.title() for m in MONTHS)
    + r")\b|\b\d{4}-\d\d-\d\d\b|"
    r"\b(?:19|20)\d\d\b"
)
_DURATION = re.compile(
    r"\b(?:\d+|one|two|three|four|five|six|several|half)[\s-]+(?:hours?|minutes?|hour-long|minute)\b|\b(?:hour|day)-long\b",
    re.I,
)
_SPEECH_KINDS = {"state", "emphasize", "warn", "concern", "reject", "urge", "call-on", "demand", "propose"}
MIN_OVERLAP = 0.2


_CITY_NAMES = "|".join(re.escape(c) for c in sorted(CITIES, key=len, reverse=True))
_LOCATED = re.compile(r"\b(?:in|at|to|from)\s+(?:the\s+)?(?:" + _CITY_NAMES + r")(?![\w-])")
_DATELINE = re.compile(r"^\s*(?:" + _CITY_NAMES + r")\b\s*(?:,|\(|\u2022|\u2014|-)", re.I)


def located_city(text: str) -> bool:
    """A city as a place ("in Oslo", a dateline "OSLO, March 7"), not as a government ("Washington and Beijing")."""
    return bool(_LOCATED.search(text) or _DATELINE.search(text))


def _actor_spoke(q: Question, meeting: Meeting | None) -> bool:
    if meeting is None:
        return False
    for st in meeting.statements:
        if q.actor is not None and (st.actor == q.actor.name or st.actor.split()[-1] == q.actor.name.split()[-1]):
            return True
        if q.actor is None and q.actor_side and st.side == q.actor_side:
            return True
    return False


def _about_missing(q: Question, article: Article) -> bool:
    """'What did they agree about fentanyl?': most of what the question is about must be in the article."""
    if not q.about or not q.about_strict:
        return False
    about_words = [w for w in words(q.about) if w not in STOP and w not in INTENT_WORDS and len(w) > 2]
    if not about_words:
        return False
    text_stems = content_stems(article.text)
    stems = content_stems(" ".join(about_words))
    if not stems:
        return False
    present = len(stems & text_stems) / len(stems)
    return present < 0.5


def abstain_reason(q: Question, article: Article, meeting: Meeting | None, ranked: list) -> str | None:
    """Why the chosen article cannot answer, or None when it can."""
    if not ranked:
        return ""
    if (
        q.intent in ("side_position", "demands")
        and (q.actor is not None or q.actor_side not in (None, "both"))
        and not q.cross
    ):
        if meeting is not None and meeting.statements and not _actor_spoke(q, meeting):
            who = q.actor.name if q.actor else q.actor_side
            return f"They report nothing {who} said or asked for there."
    if (
        q.wants_city
        and not located_city(ranked[0].sentence.text)
        and not (meeting and meeting.venue and _CITY.search(meeting.venue))
    ):
        return "They do not name the city."
    if q.wants_duration and not _DURATION.search(article.text):
        return "They do not say how long it lasted."
    if q.wants_date and q.intent == "where_when":
        top = " ".join(r.sentence.text for r in ranked[:3])
        has_today = re.search(r"\btoday\b|\byesterday\b", top) and article.published
        if not _DATE.search(top) and not has_today:
            return "They do not give the date."
    if _about_missing(q, article):
        return ""
    if ranked[0].overlap < MIN_OVERLAP and ranked[0].score < 0.5:
        return ""
    return None
