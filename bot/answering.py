"""The answering entry point: a question and its conversation in, a cited answer (or an abstention) out.

The work lives in `bot/answer/`: follow-up resolution, question understanding, meeting selection
with abstention, and composition. This module picks the meeting(s) the question is about: hybrid
retrieval proposes articles, the question's focus (people, places, names, years) filters them, so a
question about a meeting the store does not have is never answered from a similar one.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from functools import lru_cache

import numpy as np
from langchain_core.embeddings import Embeddings

from bot.answer.abstain import ABSTAIN, about_missing
from bot.answer.catalog import Catalog, catalog_for
from bot.answer.compose import (
    Composed,
    Ranked,
    best_first,
    choose,
    compose_chosen,
    compose_cross,
    sentences_of,
    term_in_text,
    title_fact,
    whole_quotations,
    writes_title,
)
from bot.answer.features import (
    PLANNED,
    ArticleContext,
    abstention_features,
    asked_fact_missing,
    candidate_sentences,
    featurize,
    headline_vector,
    sentence_matrix,
    states_asked_facts,
)
from bot.answer.followup import resolve
from bot.answer.names import name_in_text, same_person
from bot.answer.question import Question, embedding_text, parse
from bot.answer.ranker import RankerWeights, load_weights
from bot.answer.text import STOP
from bot.models import Answer, Focus, Turn
from ingest.extraction.lexicon import (
    CITIES,
    COUNTRIES,
    MEETING_CUES,
    MONTH_PATTERN,
    MONTHS,
    country_word,
    find_sides,
    month_number,
)
from vectorstore.errors import StoreError
from vectorstore.models import Article
from vectorstore.retriever import HybridRetriever, RetrievedPassage
from vectorstore.store import ArticleStore

__all__ = ["ABSTAIN", "compose_answer"]

log = logging.getLogger(__name__)
_MAX_PERSON_ARTICLES = 12


def compose_answer(
    question: str,
    history: list[Turn],
    store: ArticleStore,
    retriever: HybridRetriever,
    embeddings: Embeddings,
    weights: RankerWeights | None = None,
    observe: Observer | None = None,
) -> Answer:
    """`weights` default to the fitted ones shipped with the package; `observe` sees every ranking
    (question, candidates, feature rows), which is how `briefbot fit-ranker` collects its data."""
    weights = weights or load_weights()
    catalog = catalog_for(store)
    resolved, ctx = resolve(question, history, catalog)
    q = parse(resolved, catalog)
    if ctx.actor and q.actor is None:
        q.actor = catalog.people.get(ctx.actor) or catalog.person_with_surname(ctx.actor)
        if q.actor is not None:
            q.actor_side = q.actor.country
    q_vector = np.asarray(embeddings.embed_query(embedding_text(resolved)), dtype=np.float32)
    hits = retriever.search(resolved, vector=q_vector)  # k from settings.retrieve_k
    scores: dict[str, float] = {}
    for rank, hit in enumerate(hits):
        scores[hit.article_id] = scores.get(hit.article_id, 0.0) + 1.0 / (rank + 1)
    candidate_ids = list(scores)
    for person in q.people:
        if len(person.article_ids) <= _MAX_PERSON_ARTICLES:  # a frequent name: retrieval already ranks them
            candidate_ids += sorted(person.article_ids - set(candidate_ids))
    if q.actor_side and q.actor_side != "both" and not q.people:
        # "What did the United States say ...": reporting may name the side as "Washington" or "U.S.".
        asked = {s for _, _, s in find_sides(resolved)}
        named = {resolved[a:b].casefold() for a, b, _ in find_sides(resolved)}
        aliases = " ".join(w for w in _side_words(q.actor_side) if w.casefold() not in named)
        words = re.findall(r"\b[A-Za-z][\w'-]*", _strip_sides(q.core or resolved))
        rest = " ".join(w for w in words if w.casefold() not in STOP and asked)
        for rank, side_hit in enumerate(retriever.lexical.search(f"{aliases} {rest}", 12)):
            scores[side_hit.article_id] = scores.get(side_hit.article_id, 0.0) + 0.5 / (rank + 1)
            if side_hit.article_id not in candidate_ids:
                candidate_ids.append(side_hit.article_id)
    for term in q.proper_terms:
        for term_hit in retriever.lexical.search(term, 5):
            if term_hit.article_id not in candidate_ids and term_in_text(term, term_hit.text):
                candidate_ids.append(term_hit.article_id)
    if ctx.is_followup and ctx.article_ids and not _names_new_meeting(q, ctx.article_ids, catalog):
        candidate_ids = list(ctx.article_ids)
    _resolve_office(q, candidate_ids, catalog)
    found = store.get_articles(candidate_ids)
    articles = [found[i] for i in candidate_ids if i in found]
    articles = [a for a in articles if _fits(q, a, catalog)]
    focus = Focus(intent=q.intent, actor=q.actor.name if q.actor else None, actor_side=q.actor_side)
    if not articles:
        return _abstain(question, resolved, focus)
    try:
        if q.cross:
            composed = compose_cross(q, _ordered(articles, scores), catalog)
        else:
            ranking = _Ranking(q, q_vector, catalog, store, hits, embeddings, weights, observe)
            composed = ranking.answer(articles, scores)
    except StoreError:
        raise  # the store failed mid-answer: an error to report, not "the ingested articles don't say"
    except Exception:  # an odd article must not take the conversation down: say so, cite nothing
        log.exception("composing an answer to %r failed", resolved)
        return _abstain(question, resolved, focus)
    if composed.abstained:
        return _abstain(question, resolved, focus, composed.text)
    focus.article_ids, focus.answered_people, focus.why = composed.article_ids, composed.answered_people, composed.why
    answer = Answer(
        question=question,
        answer=composed.text,
        citations=composed.citations,
        resolved_question=resolved,
        focus=focus,
    )
    try:
        check_citations(answer)
    except AssertionError:  # a numbering bug must never reach a user as a wrong citation
        log.exception("citations of the answer to %r do not match its markers", resolved)
        return _abstain(question, resolved, focus)
    return answer


# Sees every ranking: the question, its scored candidates in feature-row order, and the rows.
Observer = Callable[[Question, list[Ranked], np.ndarray], None]
_MAX_CANDIDATE_ARTICLES = 6


class _Ranking:
    """One question's ranking: candidate articles' sentences scored by the fitted model."""

    def __init__(
        self,
        q: Question,
        q_vector: np.ndarray,
        catalog: Catalog,
        store: ArticleStore,
        hits: list[RetrievedPassage],
        embeddings: Embeddings,
        weights: RankerWeights,
        observe: Observer | None,
    ) -> None:
        self.q, self.q_vector, self.catalog, self.store, self.hits = q, q_vector, catalog, store, hits
        self.embeddings, self.weights, self.observe = embeddings, weights, observe
        self.unanswerable = 0.0  # the question-level model's chance that the articles do not answer
        self.fact_missing = False  # a duration or quantity asked for, none stated in the best article

    def contexts(self, articles: list[Article], scores: dict[str, float]) -> list[ArticleContext]:
        """The meetings of the people asked about first (a country asked about may be a participant or
        only a topic), then by retrieval."""
        strength = {a.id: _focus_strength(self.q, a, self.catalog) for a in articles}
        # The people a question names are anchors: the meetings that have the most of them come first,
        # and only those. The sides it names only weigh in (a participant's side may be mis-read).
        named = {a.id: strength[a.id][0] for a in articles}
        ordered = sorted(articles, key=lambda a: (-named[a.id], -scores.get(a.id, 0.0)))
        ordered = [a for a in ordered if named[a.id] >= named[ordered[0].id]]
        ordered = ordered[:_MAX_CANDIDATE_ARTICLES]
        packed = self.store.sentence_vectors([a.id for a in ordered])
        out = []
        for rank, article in enumerate(ordered):
            sentences = candidate_sentences(list(sentences_of(article)))
            out.append(
                ArticleContext(
                    article=article,
                    meeting=self.catalog.meeting_of(article.id),
                    sentences=sentences,
                    vectors=sentence_matrix(article, packed.get(article.id), sentences, self.embeddings),
                    passage_scores=_passage_scores(article, self.hits),
                    focus=sum(strength[article.id]),
                    rank=rank,
                    title_vector=headline_vector(article.id, packed.get(article.id)),
                )
            )
        return out

    def rank(self, q: Question, q_vector: np.ndarray, contexts: list[ArticleContext]) -> list[Ranked]:
        candidates, matrix = featurize(q, q_vector, contexts)
        probabilities = self.weights.probabilities(matrix)
        for candidate, p, row in zip(candidates, probabilities, matrix):
            candidate.score, candidate.row = float(p), row
        if self.observe is not None:
            self.observe(q, candidates, matrix)
        if len(probabilities):
            best = int(np.argmax(probabilities))
            self.unanswerable = self.weights.unanswerable(abstention_features(q, candidates, matrix, probabilities))
            self.fact_missing = asked_fact_missing(q, candidates, matrix, best)
        return best_first(candidates)

    def answer(self, articles: list[Article], scores: dict[str, float]) -> Composed:
        q, weights = self.q, self.weights
        contexts = self.contexts(articles, scores)
        ranked = self.rank(q, self.q_vector, contexts)
        if not ranked or self.unanswerable > weights.abstain_above or self.fact_missing:
            return Composed(text=ABSTAIN, abstained=True)  # the best evidence does not answer
        top = ranked[0]
        if about_missing(q, top.article, self.embeddings):
            return Composed(text=ABSTAIN, abstained=True)  # "about fentanyl": the article never says it
        meeting = self.catalog.meeting_of(top.article.id)
        if q.parts:
            # "Where did they meet, and how long since ...?": the best sentence for each part.
            own = [c for c in contexts if c.article.id == top.article.id]
            chosen: list[Ranked] = []
            for part in q.parts:
                sub = _sub_question(part, q, self.catalog)
                sub_vector = np.asarray(self.embeddings.embed_query(embedding_text(part)), dtype=np.float32)
                best = self.rank(sub, sub_vector, own)
                # "... and on what date?": the part is answered by a sentence that states a date.
                best = [r for r in best if r.row is not None and states_asked_facts(sub, r.row)] or best
                if best and all(c.sentence.start != best[0].sentence.start for c in chosen):
                    chosen.append(best[0])
            # A part's sentence that opens a quotation brings the rest of it, as a whole answer's does.
            if chosen:
                chosen = whole_quotations(chosen, ranked)
        else:
            chosen = choose(ranked, q, weights.add_ratio, weights.add_floor)
            titled = title_fact(q, meeting)
            if titled is not None:
                # "What position does Abbas hold?": the best sentence that gives him his title
                writes = [r for r in ranked if r.article.id == top.article.id and writes_title(r.sentence.text, titled)]
                chosen = writes[:1] or chosen
        overlap_at = {r.sentence.start: r.overlap for r in ranked if r.article.id == top.article.id}
        composed = compose_chosen(q, chosen, meeting, overlap_at)
        composed.why = [
            {
                "start": r.sentence.start,
                "p": round(r.score, 3),
                "features": weights.explain(r.row) if r.row is not None else {},
            }
            for r in chosen
        ]
        return composed


def _sub_question(text: str, whole: Question, catalog: Catalog) -> Question:
    """One part of a two-part question, keeping the whole question's people when the part has none."""
    sub = parse(text, catalog)
    if (sub.actor is None and not sub.actor_side) or re.search(r"\b(?:he|she)\b", text, re.I):
        # "..., and what did he thank Modi for?": the pronoun is the first part's speaker.
        sub.actor, sub.actor_side = whole.actor, whole.actor_side
    return sub


def _side_words(side: str) -> list[str]:
    names, demonyms, seats = COUNTRIES.get(side, ((), (), ()))
    return list(dict.fromkeys([*names[:1], *demonyms[:1], *seats[:1]]))


def _strip_sides(text: str) -> str:
    for start, end, _ in reversed(find_sides(text)):
        text = text[:start] + " " + text[end:]
    return text


def _abstain(question: str, resolved: str, focus: Focus, text: str = ABSTAIN) -> Answer:
    return Answer(question=question, answer=text, abstained=True, resolved_question=resolved, focus=focus)


def _resolve_office(q: Question, article_ids: list[str], catalog: Catalog) -> None:
    """'What did the Commission president say?': the speaker is whoever holds that office in the
    candidate meetings, when exactly one person there does."""
    office = next((o for o in q.offices if o.subject or q.actor is None), None)
    if office is None:
        return
    holders = {
        p.name
        for aid in article_ids
        for meeting in catalog.meetings_of(aid)
        for p in meeting.participants
        if office.held_by(p.title, p.country)
    }
    if len(holders) == 1:
        name = holders.pop()
        q.actor = catalog.people.get(name) or catalog.person_with_surname(name)
        q.actor_side = q.actor.country if q.actor else q.actor_side


def _names_new_meeting(q: Question, article_ids: list[str], catalog: Catalog) -> bool:
    """A follow-up that names people, places or names of another meeting starts a new topic."""
    if any(not (p.article_ids & set(article_ids)) for p in q.people):
        return True
    texts = [a.text for a in (catalog.article(i) for i in article_ids) if a is not None]
    return any(not any(term_in_text(t, text) for text in texts) for t in q.proper_terms)


def _fits(q: Question, article: Article, catalog: Catalog) -> bool:
    """Every person, place and name the question gives must be in the article; a stated year must not clash."""
    text = article.text
    if q.cross:
        if q.people and not any(name_in_text(p.name, text) for p in q.people):
            return False
        return all(term_in_text(t, text) for t in q.proper_terms)
    if not all(name_in_text(p.name, text) for p in q.people if not _alias_shadowed(p, q)):
        return False
    mentioned = sides_in(article)
    if not all(term_in_text(t, text) or _side_named(t, mentioned) for t in q.proper_terms):
        return False
    told = [
        _told_of_here(t, article) if term_in_text(t, text) else _side_named(t, mentioned) for t in _setting_terms(q)
    ]
    if not q.wants_next and not all(told):
        return False  # "at the G7 summit": a meeting this article only says is still to come
    if any(side not in mentioned for side in q.sides if side != "both"):
        return False  # "Did they discuss Syria?": a country the article never names
    meeting = catalog.meeting_of(article.id)
    if any(not place_of_meeting(place, article, meeting) for place in q.places if place in CITIES):
        return False  # "in Bali" must be where this meeting was, not where an earlier one took place
    if q.meeting_days and meeting is not None and not _on_day(meeting.date, q.meeting_days):
        return False  # "after their August 31 meeting": a meeting this article mentions, not the one it reports
    year = (article.published or "")[:4]
    return all(not (year and y != year and y not in text) for y in q.years)


def _side_named(term: str, mentioned: frozenset[str]) -> bool:
    """A term that is wholly a name of a country or body the article names by another of its names: "at
    EU level" in a report that writes "the European Union". A seat or a metonym is no such term: "in
    Lisbon" and "at the Kremlin" must be written, wherever Portugal or Russia is named."""
    side = country_word(term)
    return side is not None and side in mentioned


def _on_day(meeting_date: str | None, days: list[tuple[int, int]]) -> bool:
    """Whether the meeting's date is one of the days asked about; an unknown date rules nothing out."""
    iso = re.fullmatch(r"\d{4}-(\d\d)-(\d\d)", meeting_date or "")
    if iso is not None:
        return (int(iso.group(1)), int(iso.group(2))) in days
    words = re.fullmatch(r"(" + MONTH_PATTERN + r") (\d{1,2})", meeting_date or "")  # "May 14", "Nov. 14": no year
    if words is not None:
        return (month_number(words.group(1)), int(words.group(2))) in days
    return True


@lru_cache(maxsize=32768)
def _sides_of(article_id: str, text: str) -> frozenset[str]:
    return frozenset(side for _, _, side in find_sides(text))


def sides_in(article: Article) -> frozenset[str]:
    """Every country or organisation the article names, by any of its names."""
    return _sides_of(article.id, article.text)


# A sentence about an encounter before the one reported: "their earlier talks", "had already met once
# ... last December", "first met in Geneva".
_EARLIER = re.compile(
    r"\blast\s+met\b|\bprevious(?:ly)?\b|\bearlier\s+(?:meeting|talks|visit)\b|\blast\s+(?:year|month)\b|"
    r"\b(?:already|first)\s+met\b|\blast\s+(?-i:" + "|".join(m.title() for m in MONTHS) + r")\b(?!\s*\d)",
    re.I,
)


def _setting_terms(q: Question) -> list[str]:
    """The names the question gives as the meeting's setting ("at the G7 summit", "during the ASEAN
    meeting"), not as its topic ("What did she say about the COP30 summit?")."""
    return [
        t
        for t in q.proper_terms
        if re.search(
            r"\b(?:at|during|on\s+the\s+(?:sidelines|margins)\s+of)\s+(?:the\s+)?(?:[\w'\u2019-]+\s+){0,2}"
            + re.escape(t),
            q.text,
            re.I,
        )
    ]


def _announces_to_come(term: str, sentence: str) -> bool:
    """The sentence names the term only as where or what a meeting still to come will be ("agreed to meet
    again in Santiago", "is expected to travel to Seoul for a meeting of G7 foreign ministers")."""
    planned = PLANNED.search(sentence)
    return planned is not None and term_in_text(term, sentence[planned.start() :])


def _told_of_here(term: str, article: Article) -> bool:
    """The article writes the term outside the sentences that announce a meeting still to come."""
    return any(term_in_text(term, s.text) and not _announces_to_come(term, s.text) for s in sentences_of(article))


def place_of_meeting(place: str, article: Article, meeting) -> bool:
    """The place is where this meeting was: its venue, the dateline or lead, or a meeting sentence that is
    not about an earlier encounter or one still to come."""
    if meeting is not None and meeting.venue and place.casefold() in meeting.venue.casefold():
        return True
    for i, sentence in enumerate(sentences_of(article)):
        if not term_in_text(place, sentence.text):
            continue
        if _EARLIER.search(sentence.text):
            continue  # "after their talks in Buenos Aires in January"
        if _announces_to_come(place, sentence.text):
            continue  # "agreed to meet again in Santiago": where the next meeting will be
        if i <= 2 or MEETING_CUES.search(sentence.text):
            return True
    return False


def _alias_shadowed(person, q: Question) -> bool:
    """'Wang' matches two people; requiring both would drop the right article."""
    surname_first = person.name.split()[0]
    return sum(1 for p in q.people if p.name.split()[0] == surname_first) > 1


def _focus_strength(q: Question, article: Article, catalog: Catalog) -> tuple[int, float]:
    """(people the question names among the meeting's participants, half the sides it names there)."""
    meeting = catalog.meeting_of(article.id)
    if not meeting:
        return 0, 0.0
    names = {p.name for p in meeting.participants}
    people = sum(1 for p in q.people if any(same_person(p.name, n) for n in names))
    sides = {p.country for p in meeting.participants}
    return people, 0.5 * sum(1 for s in q.sides if s in sides)


def _ordered(articles: list[Article], scores: dict[str, float]) -> list[Article]:
    return sorted(articles, key=lambda a: -scores.get(a.id, 0.0))


def _passage_scores(article: Article, hits) -> dict[int, float]:
    """Each sentence's best retrieval score (1 for the top passage), by sentence start."""
    out: dict[int, float] = {}
    mine = [h for h in hits if h.article_id == article.id]
    if not mine:
        return out
    top = max(h.score for h in mine) or 1.0
    for h in mine:
        for s in sentences_of(article):
            if h.start <= s.start < h.end:
                out[s.start] = max(out.get(s.start, 0.0), h.score / top)
    return out


_MARKER = re.compile(r"\[(\d+)\]")


def check_citations(answer: Answer) -> None:
    """Every [n] points at a citation and every citation is used; anything else is a bug, not an answer."""
    used = {int(n) for n in _MARKER.findall(answer.answer)}
    numbers = {c.n for c in answer.citations}
    if used != numbers or sorted(numbers) != list(range(1, len(numbers) + 1)):
        raise AssertionError(f"citation markers {sorted(used)} do not match citations {sorted(numbers)}")
