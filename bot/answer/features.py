"""What the answer engine knows about a candidate sentence, as named numbers.

Every signal the engine has about whether a sentence answers a question is a feature here: the
semantic similarity of question and sentence (their embeddings), the lexical overlap of their
content words, and what ingest extracted (the sentence's speaker and statement kind, whether it
reports the meeting, gives a date or a place, states an agreement). None of them decides alone;
`bot.answer.ranker` weighs them with weights fit on labelled questions (`briefbot fit-ranker`),
so an extraction that missed a construction lowers a sentence's score instead of silencing the
answer.

Features are generic: each names a property of English news writing or of the question's form,
never a phrase of one article. A few are crossed with the question's intent group (the same
property matters differently for "who met" and for "what did X demand"), so one linear model can
weigh them per kind of question.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from langchain_core.embeddings import Embeddings

from bot.answer.abstain import located_city
from bot.answer.compose import (
    _BACKGROUND,
    _DATE_WORDS,
    _DEMAND_FORM,
    _DIRECTED_Q,
    _NOISE,
    _PLANNED,
    _VENUE_CUE,
    _is_actor,
    _kind_in_text,
    _wanted_kinds,
    name_in_text,
    question_stems,
    sentence_stems,
)
from bot.answer.question import Question
from bot.answer.text import content_stems
from ingest.extraction.lexicon import MEETING_CUES, MONTHS
from ingest.models import Article, Meeting, Sentence
from vectorstore.sentence_vectors import unpack

# Intent groups: the properties that make a sentence answer differ by kind of question.
GROUPS = {
    "who_met": "meet",
    "where_when": "meet",
    "demands": "position",
    "side_position": "position",
    "outcome": "result",
    "topics": "result",
    "other": "other",
}
_CROSSED = ("dense", "lexical", "actor_said", "kind", "meeting_sentence", "meeting_cue", "statement", "agreement")

BASE = (
    "dense",
    "dense_gap",
    "dense_top",
    "lexical",
    "lexical_gap",
    "retrieval",
    "actor_said",
    "actor_other_side",
    "actor_subject",
    "people_named",
    "kind",
    "demand_form",
    "statement",
    "meeting_sentence",
    "meeting_cue",
    "date_asked",
    "place_asked",
    "duration_asked",
    "planned",
    "background",
    "headline",
    "position",
    "topic_evidence",
    "agreement",
    "short",
    "quote",
    "article_focus",
    "article_rank",
    "article_dense_gap",
    "article_coverage",
    "neighbour_dense",
    "fragment",
    "number_asked",
    "time_asked",
    "name_asked",
    "length",
)
NAMES: tuple[str, ...] = BASE + tuple(f"{f}@{g}" for g in sorted(set(GROUPS.values())) for f in _CROSSED)
INDEX = {name: i for i, name in enumerate(NAMES)}

_DURATION = re.compile(
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|several|half|a few|many)[\s-]+"
    r"(?:hours?|minutes?|days?|weeks?|months?|years?|decades?)\b|\b(?:an|a full|half an)\s+hour\b|"
    r"\b(?:hour|day|week)-long\b|\bfirst time in\b|\bsince\s+(?:19|20)\d\d\b",
    re.I,
)
_QUOTE = re.compile(r"[\"\u201c\u201d]")
_WANTS_PLACE = re.compile(r"\bwhere\b|\bcity\b|\bvenue\b|\bplace\b|\bsidelines\b|\bmargins\b|\bcountry\b", re.I)
_WANTS_DURATION = re.compile(r"\bhow\s+long\b|\bfor\s+how\s+long\b|\bhow\s+many\s+(?:hours|days|years|months)\b", re.I)
_NUMBER_Q = re.compile(
    r"\bhow\s+(?:much|many)\b|\bwhat\s+(?:\w+\s+)?(?:volume|amount|sum|number|figure|percentage|share|size|total)\b",
    re.I,
)
_ASKS_QUANTITY = re.compile(r"^\W*(?:and\s+)?(?:for\s+)?how\s+(much|many|long)\b", re.I)
_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|hundred|thousand|million|billion)\b", re.I
)
_TIME_Q = re.compile(
    r"\b(?:deadline|timeline|timetable|time\s?frame|period|by\s+when|how\s+soon|within\s+what|until\s+when)\b", re.I
)
_TIME = re.compile(
    r"\b(?:within|by|until|before|after|next|in)\s+(?:the\s+)?(?:\w+\s+)?(?:days?|weeks?|months?|years?|"
    + "|".join(m.title() for m in MONTHS)
    + r")\b|\b(?:19|20)\d\d\b",
    re.I,
)
_NAME_Q = re.compile(
    r"^\W*(?:and\s+)?(?:who|whom|with\s+whom|which\s+(?:\w+\s+)?(?:leaders?|officials?|bodies|body|"
    r"countries|organi[sz]ations?|envoys?|ministers?|mediators?|states?))\b",
    re.I,
)
_PROPER = re.compile(r"\b[A-Z][\w'\u2019-]+(?:\s+(?:[A-Z][\w'\u2019-]+|de|da|von|der|al|bin))*\s+[A-Z][\w'\u2019-]+")
_FINISHED = re.compile(r"[.!?][\"'\u201d\u2019)\]]*$|[\"\u201d]$")
_REGIONAL = re.compile(r"\b(?:region\w*|situations?|hotspots?|areas?)\b", re.I)


@dataclass
class Candidate:
    """One sentence of one candidate article, with what ranking and composing need of it."""

    article: Article
    meeting: Meeting | None
    sentence: Sentence
    overlap: float  # the lexical overlap, kept for composing (which runner-ups touch the topic)
    actor_ok: bool
    kind_ok: bool
    has_statement: bool


@dataclass
class ArticleContext:
    """What the question's anchors say about one candidate article, before its sentences are read."""

    article: Article
    meeting: Meeting | None
    sentences: list[Sentence]
    vectors: np.ndarray  # one unit row per sentence
    passage_scores: dict[int, float]  # sentence start -> best retrieval score of a passage holding it
    focus: float  # people and sides of the question among the meeting's participants
    rank: int  # position in the retrieval order of candidate articles


def sentence_matrix(
    article: Article, packed: str | None, sentences: list[Sentence], embeddings: Embeddings
) -> np.ndarray:
    """Unit vectors of these sentences, from the ones stored at ingest (`packed`); sentences without
    one (an article stored before sentence vectors existed) are embedded now."""
    stored = _stored_vectors(article.id, packed)
    rows = [stored.get(s.start) for s in sentences]
    missing = [i for i, row in enumerate(rows) if row is None]
    if missing:
        fresh = np.asarray(embeddings.embed_documents([sentences[i].text for i in missing]), dtype=np.float32)
        for i, row in zip(missing, fresh):
            rows[i] = row
    return np.vstack(rows).astype(np.float32) if rows else np.zeros((0, 384), dtype=np.float32)


@lru_cache(maxsize=512)
def _stored_vectors(article_id: str, packed: str | None) -> dict[int, np.ndarray]:
    if not packed:
        return {}
    starts, matrix = unpack(packed)
    return {int(start): row for start, row in zip(starts, matrix)}


def candidate_sentences(q: Question, sentences: list[Sentence]) -> list[Sentence]:
    """Sentences that can be an answer at all: page noise and fragments are not."""
    return [s for s in sentences if not _NOISE.search(s.text) and len(s.text.split()) >= 3]


def featurize(q: Question, q_vector: np.ndarray, contexts: list[ArticleContext]) -> tuple[list[Candidate], np.ndarray]:
    """Every candidate sentence of every candidate article, and its feature row (NAMES order)."""
    topic, intent_stems = question_stems(q.core or q.text, keep_titles=q.role)
    for person in q.people:
        topic -= content_stems(person.name)  # names pick the meeting and the speaker, not the topic
    # Likewise the side asked about: in "What did Norway and Chile agree?" the countries are the
    # speakers, not what the answer is about ("What did China ask the US to do?" keeps the US).
    speakers = set(q.sides) if q.actor_side == "both" else {q.actor_side} if q.actor_side else set()
    topic -= {"side:" + side for side in speakers}
    group = GROUPS.get(q.intent, "other")
    wanted = _wanted_kinds(q)
    wants_place = bool(_WANTS_PLACE.search(q.text)) and q.intent == "where_when"
    wants_duration = bool(_WANTS_DURATION.search(q.text))
    directed = bool(_DIRECTED_Q.search(q.text))
    wants_number = bool(_NUMBER_Q.search(q.text))
    wants_time = bool(_TIME_Q.search(q.text))
    wants_name = bool(_NAME_Q.search(q.text))
    asks_actor = (q.actor is not None or bool(q.actor_side)) and q.intent not in ("where_when", "who_met", "topics")
    candidates: list[Candidate] = []
    rows: list[np.ndarray] = []
    for ctx in contexts:
        stems = [sentence_stems(s.text) for s in ctx.sentences]
        df: dict[str, int] = {}
        for st in stems:
            for w in st:
                df[w] = df.get(w, 0) + 1
        n = len(ctx.sentences) or 1

        def idf(w: str, df: dict[str, int] = df, n: int = n) -> float:
            return math.log(1 + n / (1 + df.get(w, 0)))

        total = sum(idf(w) for w in topic) + 0.5 * sum(idf(w) for w in intent_stems) or 1.0
        statements: dict[int, list] = {}
        if ctx.meeting:
            for st in ctx.meeting.statements:
                statements.setdefault(st.evidence.start, []).append(st)
        topic_starts = {t.evidence.start for t in ctx.meeting.topics} if ctx.meeting else set()
        agreement_starts = {a.evidence.start for a in ctx.meeting.agreements} if ctx.meeting else set()
        meeting_start = ctx.meeting.evidence.start if ctx.meeting and ctx.meeting.evidence else -1
        dense = ctx.vectors @ q_vector if len(ctx.sentences) else np.zeros(0)
        present = set().union(*stems) if stems else set()
        coverage = len(topic & present) / len(topic) if topic else 1.0
        for i, (s, st) in enumerate(zip(ctx.sentences, stems)):
            f = np.zeros(len(NAMES), dtype=np.float32)
            text = s.text
            overlap = (sum(idf(w) for w in topic & st) + 0.5 * sum(idf(w) for w in intent_stems & st)) / total
            said = statements.get(s.start, [])
            actor_ok, other_side = True, False
            if asks_actor:
                actor_ok = any(_is_actor(x, q) for x in said)
                other_side = not actor_ok and bool(said) and all(x.side not in (None, "both") for x in said)
            subject = q.actor is not None and name_in_text(q.actor.name, " ".join(text.split()[:6]))
            kind_ok = not wanted or any(x.kind in wanted for x in said) or _kind_in_text(wanted, text)
            f[INDEX["dense"]] = dense[i]
            f[INDEX["lexical"]] = overlap
            f[INDEX["retrieval"]] = ctx.passage_scores.get(s.start, 0.0)
            f[INDEX["actor_said"]] = asks_actor and actor_ok
            f[INDEX["actor_other_side"]] = other_side
            f[INDEX["actor_subject"]] = asks_actor and subject
            f[INDEX["people_named"]] = (
                sum(name_in_text(p.name, text) for p in q.people) / len(q.people) if q.people else 0.0
            )
            f[INDEX["kind"]] = bool(wanted) and kind_ok
            f[INDEX["demand_form"]] = bool(_DEMAND_FORM.search(text)) * (1.0 if directed else 0.5)
            f[INDEX["statement"]] = bool(said)
            f[INDEX["meeting_sentence"]] = s.start == meeting_start
            f[INDEX["meeting_cue"]] = bool(MEETING_CUES.search(text))
            f[INDEX["date_asked"]] = q.wants_date and bool(_DATE_WORDS.search(text) or re.search(r"\btoday\b", text))
            f[INDEX["place_asked"]] = wants_place and bool(located_city(text) or _VENUE_CUE.search(text))
            f[INDEX["duration_asked"]] = wants_duration and bool(_DURATION.search(text))
            f[INDEX["planned"]] = bool(_PLANNED.search(text))
            f[INDEX["background"]] = bool(_BACKGROUND.search(text))
            f[INDEX["headline"]] = s.start == 0 or text.strip() == ctx.article.title.strip()
            f[INDEX["position"]] = i / n
            f[INDEX["topic_evidence"]] = s.start in topic_starts
            f[INDEX["agreement"]] = s.start in agreement_starts
            f[INDEX["short"]] = len(text.split()) < 8
            f[INDEX["quote"]] = bool(_QUOTE.search(text))
            f[INDEX["article_focus"]] = ctx.focus
            f[INDEX["article_rank"]] = 1.0 / (1 + ctx.rank)
            f[INDEX["article_dense_gap"]] = dense.max()
            f[INDEX["article_coverage"]] = coverage
            f[INDEX["neighbour_dense"]] = max(dense[max(i - 1, 0)], dense[min(i + 1, len(dense) - 1)])
            f[INDEX["fragment"]] = not _FINISHED.search(text.strip())
            f[INDEX["number_asked"]] = wants_number and bool(_NUMBER.search(text))
            f[INDEX["time_asked"]] = wants_time and bool(_TIME.search(text))
            f[INDEX["name_asked"]] = wants_name and bool(_PROPER.search(text[1:]))
            f[INDEX["length"]] = math.log(1 + len(text.split())) / 4
            for name in _CROSSED:
                f[INDEX[f"{name}@{group}"]] = f[INDEX[name]]
            candidates.append(Candidate(ctx.article, ctx.meeting, s, overlap, actor_ok, kind_ok, bool(said)))
            rows.append(f)
    matrix = np.vstack(rows) if rows else np.zeros((0, len(NAMES)), dtype=np.float32)
    if len(matrix):
        # Relative features: how far a sentence is from the best one on offer for this question.
        for name, gap, top in (("dense", "dense_gap", "dense_top"), ("lexical", "lexical_gap", None)):
            column = matrix[:, INDEX[name]]
            matrix[:, INDEX[gap]] = column - column.max()
            if top:
                matrix[:, INDEX[top]] = column >= column.max() - 1e-6
        article_best = matrix[:, INDEX["article_dense_gap"]]
        matrix[:, INDEX["article_dense_gap"]] = article_best - article_best.max()
    return candidates, matrix


ABSTAIN_NAMES = (
    "best_logit",
    "actor_silent",
    "type_absent",
    "coverage",
    "best_dense",
    "best_lexical",
    "best_other_speaker",
    "best_type_absent",
)
_TYPED = ("date_asked", "place_asked", "duration_asked", "number_asked", "time_asked")


def asked_fact_missing(q: Question, matrix: np.ndarray, best: int) -> bool:
    """The question asks for a duration or a quantity ("How long ...?", "How much ...?") and the best
    sentence states none: the ranker already prefers sentences that state one, so none of the candidates
    answers."""
    asked = _ASKS_QUANTITY.match(q.core or q.text)
    if not asked:
        return False
    name = "duration_asked" if asked.group(1).casefold() == "long" else "number_asked"
    return matrix[best, INDEX[name]] == 0


def abstention_features(
    q: Question, candidates: list[Candidate], matrix: np.ndarray, best: int, logit: float
) -> np.ndarray:
    """Question-level evidence that the articles do not answer: the best sentence's score, whether it
    is someone else's statement or lacks the kind of fact asked for, and for its article whether the
    speaker asked about says anything there (by the extraction), whether the kind of fact asked for
    (a date, a place, a number, a duration, a time) appears anywhere in it, and how many of the
    question's topic words it holds."""
    article_id = candidates[best].article.id
    rows = matrix[[i for i, c in enumerate(candidates) if c.article.id == article_id]]
    asks_actor = (q.actor is not None or bool(q.actor_side)) and q.intent not in ("where_when", "who_met", "topics")
    asked = {
        "date_asked": q.wants_date,
        "place_asked": bool(_WANTS_PLACE.search(q.text)) and q.intent == "where_when",
        "duration_asked": bool(_WANTS_DURATION.search(q.text)),
        "number_asked": bool(_NUMBER_Q.search(q.text)),
        "time_asked": bool(_TIME_Q.search(q.text)),
    }
    type_absent = any(asked[name] and rows[:, INDEX[name]].max() == 0 for name in _TYPED)
    return np.asarray(
        [
            logit,
            asks_actor and rows[:, INDEX["actor_said"]].max() == 0,
            type_absent,
            rows[0, INDEX["article_coverage"]],
            matrix[best, INDEX["dense"]],
            matrix[best, INDEX["lexical"]],
            matrix[best, INDEX["actor_other_side"]],
            any(asked[name] and matrix[best, INDEX[name]] == 0 for name in _TYPED),
        ],
        dtype=np.float64,
    )
