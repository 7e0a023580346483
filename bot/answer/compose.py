"""Compose a short cited answer from the extracted facts and the article's sentences.

One shape for every question: pick the meeting(s) the question is about (retrieval + focus
filters), rank that article's sentences for the question (focus-word overlap, the statement's
actor and kind from the ingest-time extraction, intent cues, retrieval rank), answer with the top
one to three sentences, each cited once. Questions across articles list one line per meeting.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

from bot.answer.abstain import ABSTAIN, abstain_reason, located_city
from bot.answer.catalog import Catalog
from bot.answer.question import Question
from bot.answer.text import contains_word, content_stems, similar_name, stem
from bot.models import Citation
from ingest.extraction.lexicon import (
    CITIES,
    CUE_PATTERNS,
    MEETING_CUES,
    MONTHS,
    SIDE_ALIASES,
    TITLE_WORDS,
    WEEKDAYS,
    find_sides,
)
from ingest.models import Article, Meeting, Sentence
from ingest.segment import split_sentences

_NOISE = re.compile(
    r"^\s*(?:photo|credits?|image|video|watch|read more|follow us|subscribe|advertisement|share|related|hey guys|"
    r"\(?reporting by|\(?editing by|\(?writing by)\b|\((?:credits?|photo)\s*:",
    re.I,
)
_DATE_WORDS = re.compile(
    r"\b(?:"
    + "|".join(w.title() for w in WEEKDAYS)
    + "|"
    + "|".join(m.title() for m in MONTHS)
    + r")\b|\b\d{4}-\d\d-\d\d\b"
)
_CITY_RE = re.compile(
    r"(?<![\w-])(?:" + "|".join(re.escape(c) for c in sorted(CITIES, key=len, reverse=True)) + r")(?![\w-])"
)
_VENUE_CUE = re.compile(r"\b(?:at the|on the (?:margins|sidelines) of)\b")
WANTED_KINDS = {
    "demand": {"demand", "urge", "call-on"},
    "concern": {"concern"},
    "warn": {"warn"},
    "emphasize": {"emphasize"},
    "agree": {"agree"},
    "reject": {"reject"},
}


@dataclass
class Ranked:
    sentence: Sentence
    score: float
    overlap: float
    article: Article
    actor_ok: bool = True  # the sentence's speaker is the one asked about (or none was asked about)
    kind_ok: bool = True  # the sentence's statement is of the asked kind (or none was asked for)
    has_statement: bool = False


@dataclass
class Composed:
    text: str
    citations: list[Citation] = field(default_factory=list)
    abstained: bool = False
    article_ids: list[str] = field(default_factory=list)
    answered_people: list[str] = field(default_factory=list)


@lru_cache(maxsize=4096)
def _sentences(article_id: str, text: str) -> tuple[Sentence, ...]:
    return tuple(split_sentences(text))


def sentences_of(article: Article) -> tuple[Sentence, ...]:
    return _sentences(article.id, article.text)


def name_in_text(name: str, text: str) -> bool:
    """A person is in a text when the surname (or, for 'Wang Yi'-style names, the family name) is there.

    A spelling variant counts too (`similar_name`: one edit apart). The text's capitalised words
    are indexed once per text (`_NameTokens`), so the check costs a few dictionary lookups per name
    part instead of a comparison with every capitalised word of the article.
    """
    keys = {
        p for p in name.split() if p[:1].isupper() and len(p) > 2
    }  # any part: "Lula" for "Luiz Inácio Lula da Silva"
    if not keys:
        return False
    tokens = _name_tokens(text)
    return any(tokens.has_similar(k) for k in keys)


_CAPITALISED = re.compile(r"[A-Z][\w'\u2019-]*")
_POSSESSIVE = re.compile(r"['\u2019]s$")


class _NameTokens:
    """The capitalised words of one text (possessive 's cut), casefolded, indexed by their first two
    and last two letters. Two words of five letters or more that are one edit apart share one of
    those (an edit among the first two letters leaves the last two alone), so only words sharing one
    are compared, by `similar_name` itself: the answer is exactly that of comparing with every word."""

    __slots__ = ("words", "_by_affix")

    def __init__(self, text: str) -> None:
        self.words = frozenset(_POSSESSIVE.sub("", t).casefold() for t in set(_CAPITALISED.findall(text)))
        self._by_affix: dict[str, list[str]] = {}
        for word in self.words:
            if len(word) >= 5:  # similar_name never matches a shorter word unless it is equal
                self._by_affix.setdefault("^" + word[:2], []).append(word)
                self._by_affix.setdefault("$" + word[-2:], []).append(word)

    def has_similar(self, key: str) -> bool:
        folded = key.casefold()
        if folded in self.words:
            return True
        if len(folded) < 5:  # similar_name matches words this short only when they are equal
            return False
        candidates = self._by_affix.get("^" + folded[:2], []) + self._by_affix.get("$" + folded[-2:], [])
        return any(abs(len(word) - len(folded)) <= 1 and similar_name(word, key) for word in candidates)


@lru_cache(maxsize=2048)
def _name_tokens(text: str) -> _NameTokens:
    return _NameTokens(text)


def term_in_text(term: str, text: str) -> bool:
    return contains_word(text, term) or all(contains_word(text, w) for w in term.split())


def _statement_index(meeting: Meeting | None) -> dict[int, list]:
    index: dict[int, list] = {}
    if meeting:
        for st in meeting.statements:
            index.setdefault(st.evidence.start, []).append(st)
    return index


def _is_actor(st, q: Question) -> bool:
    if q.actor is not None:
        return similar_name(st.actor.split()[-1], q.actor.name.split()[-1]) or st.actor == q.actor.name
    return bool(q.actor_side) and st.side == q.actor_side


_GEO = re.compile(
    r"\b[A-Z][\w-]*\s+(?:Sea|Strait|Peninsula|Gulf|Bank|Valley|Strip|Asia|East|Ocean|Region|Pacific)\b|"
    r"\b(?:West|East|South|North|Central|Southeast)\s+Asia\b|\bMiddle East\b|\bIndo-Pacific\b"
)
_DIRECTED_Q = re.compile(r"\b(?:ask|asked|urge|urged|press|pressed|call\w*\s+on|want\w*)\s+(?:\w+\s+){1,3}?to\b", re.I)
_BACKGROUND = re.compile(
    r"\blast\s+(?:month|year|week)\b|\bprevious(?:ly)?\b|\bearlier\s+this\s+(?:year|month)\b|\bfollows\b", re.I
)
_PLANNED = re.compile(
    r"\b(?:will|would|should|shall|to)\s+(?:meet|visit|hold|take place)\b|\bmeet again\b|\bnext\s+(?:meeting|visit|round)\b",
    re.I,
)
_CONTINUES = re.compile(
    r"^(?:(?:They|He|She|It|The two \w+|Both)\s+(?:also|further|likewise)\b|"
    r"The\s+(?:agreement|deal|pact|accord|document|partnership|treaty|declaration)\b)"
)
_PRONOUN_START = re.compile(r"^(?:He|She|They)\b")
_BEFORE_Q = re.compile(r"\b(?:before|ahead of|prior to|preceded|preceding|the day before|beforehand)\b", re.I)
_BEFORE = re.compile(
    r"\b(?:a day after|days after|a day before|ahead of|before|prior to|preceded|follows|earlier)\b", re.I
)
_SIGNIFICANCE_Q = re.compile(r"\b(?:significan\w*|notable|noteworthy|important|historic|why was|timing)\b", re.I)
_SIGNIFICANCE = re.compile(r"\bfirst\b.{0,80}\b(?:since|in \d+ years|ever)\b|\bfirst time\b|\bhistoric\b", re.I)
_DEMAND_FORM = re.compile(r"\b(?:urg\w*|call\w*\s+on|press\w*|ask\w*|demand\w*)\s+(?:\w+\s+){0,3}?to\s+\w+", re.I)


def _sides_as_tokens(text: str) -> tuple[str, set[str]]:
    """The text with country words taken out, and one token per side they name (Beijing -> side:China)."""
    sides = find_sides(text)
    for start, end, _ in reversed(sides):
        text = text[:start] + " " + text[end:]
    return text, {"side:" + side for _, _, side in sides}


@lru_cache(maxsize=20000)
def sentence_stems(text: str) -> frozenset[str]:
    rest, sides = _sides_as_tokens(text)
    return frozenset(content_stems(rest) | sides)


_TITLED_SIDE = re.compile(
    r"\b(?:US|U\.S\.|American|Chinese|Russian|Indian|Japanese|South Korean|North Korean|Ukrainian|Palestinian|"
    r"Israeli|British|French|German|[A-Z][a-z]+(?:'s|\u2019s)?)\s+(?=(?:[Ss]ecretary|[Pp]resident|[Pp]rime|[Ff]oreign|"
    r"[Mm]inister|[Cc]ommerce|[Dd]efen[cs]e|[Tt]rade|[Ll]eader|[Cc]hancellor|[Pp]remier|[Aa]mbassador|[Ee]nvoy)\b)"
)
_TITLE_STEMS = {stem(w) for w in TITLE_WORDS if w.isalpha()}


def question_stems(text: str, keep_titles: bool = False) -> tuple[set[str], set[str]]:
    """(topic stems, intent stems): intent words count for half, the topic words in full.

    Title words ("prime minister", "secretary") name the person asked about, not the topic, so they
    are dropped unless the question asks for the title itself.
    """
    # "US Secretary of State", "Chinese foreign minister": a country word in a title names the person.
    text = _TITLED_SIDE.sub(" ", text)
    rest, sides = _sides_as_tokens(text)
    all_stems = content_stems(rest) | sides
    topic = content_stems(rest, drop_intent=True) | sides
    if not keep_titles:
        all_stems -= _TITLE_STEMS
        topic -= _TITLE_STEMS
    return topic, all_stems - topic


def _wanted_kinds(q: Question) -> set[str]:
    wanted = set().union(*(WANTED_KINDS.get(k, set()) for k in q.kinds)) if q.kinds else set()
    if q.intent == "demands" and not wanted:
        wanted = WANTED_KINDS["demand"]
    if q.intent == "outcome":
        wanted = wanted | {"agree"}
    return wanted


def _kind_in_text(kinds: set[str], text: str) -> bool:
    """A verb of the asked kind carries the sentence (a leading participle, "Restating ...", does not)."""
    for k in kinds:
        for m in CUE_PATTERNS[k].finditer(text) if k in CUE_PATTERNS else ():
            if not (m.start() == 0 and m.group().casefold().endswith("ing")):
                return True
    return False


def rank_sentences(
    q: Question, article: Article, meeting: Meeting | None, passage_scores: dict[int, float]
) -> list[Ranked]:
    sentences = [
        s
        for s in sentences_of(article)
        if not _NOISE.search(s.text)
        and (len(s.text.split()) >= 4 or (q.intent == "where_when" and _CITY_RE.search(s.text)))
    ]
    if not sentences:
        return []
    topic, intent_stems = question_stems(q.core or q.text, keep_titles=q.role)
    for person in q.people:
        topic -= content_stems(person.name)  # names pick the meeting and the speaker, not the sentence's topic
    stems = [sentence_stems(s.text) for s in sentences]
    df: dict[str, int] = {}
    for st in stems:
        for w in st:
            df[w] = df.get(w, 0) + 1
    n = len(sentences)

    def idf(w: str) -> float:
        return math.log(1 + n / (1 + df.get(w, 0)))

    total = sum(idf(w) for w in topic) + 0.5 * sum(idf(w) for w in intent_stems) or 1.0
    by_start = _statement_index(meeting)
    wanted = _wanted_kinds(q)
    besides = [b for b in q.besides if b]
    significance = bool(_SIGNIFICANCE_Q.search(q.text))
    before_meeting = bool(_BEFORE_Q.search(q.text))
    also = bool(re.search(r"\bwhat\s+else\b|\banything\s+else\b|\bother\s+(?:topics|issues)\b", q.text, re.I))
    out = []
    directed = bool(_DIRECTED_Q.search(q.text))
    wants_place = bool(re.search(r"\bwhere\b|\bcity\b|\bvenue\b|\bplace\b|\bsidelines\b|\bmargins\b", q.text, re.I))
    regional = bool(re.search(r"\b(?:region\w*|situations?|hotspots?|areas?)\b", q.text, re.I))
    for s, st in zip(sentences, stems):
        overlap = (sum(idf(w) for w in topic & st) + 0.5 * sum(idf(w) for w in intent_stems & st)) / total
        score = overlap
        statements = by_start.get(s.start, [])
        actor_ok = True
        if (q.actor is not None or q.actor_side) and q.intent not in ("where_when", "who_met", "topics"):
            actor_ok = any(_is_actor(x, q) for x in statements)
            if actor_ok:
                score += 0.6
            elif statements and all(x.side not in (None, "both") for x in statements):
                score -= 0.4
            elif q.actor is not None and name_in_text(q.actor.name, " ".join(s.text.split()[:6])):
                score += 0.2  # the person is the subject, in a sentence with no statement verb
                actor_ok = True
        score += 0.1 * sum(1 for p in q.people if name_in_text(p.name, s.text))
        if regional and _GEO.search(s.text):
            score += 0.4
        if q.role and q.actor is not None and q.actor.name in s.text:
            score += 0.4
        kind_ok = not wanted
        if wanted and (any(x.kind in wanted for x in statements) or _kind_in_text(wanted, s.text)):
            kind_ok = True
            score += 0.35
            if "demand" in wanted and _DEMAND_FORM.search(s.text):
                score += 0.3 if directed else 0.15
        if q.intent == "where_when":
            if MEETING_CUES.search(s.text):
                score += 0.2
            if _PLANNED.search(s.text):
                score -= 0.4  # a meeting still to come is not the one asked about
            if wants_place:
                if located_city(s.text) or _VENUE_CUE.search(s.text):
                    score += 0.25
                if meeting and meeting.venue and meeting.venue in s.text:
                    score += 0.25
            if q.wants_date and (_DATE_WORDS.search(s.text) or re.search(r"\btoday\b", s.text)):
                score += 0.35 if wants_place else 0.6
        if q.intent == "who_met":
            if meeting and meeting.evidence and meeting.evidence.start == s.start:
                score += 0.4
            if MEETING_CUES.search(s.text):
                score += 0.15
        if q.intent == "topics" and meeting and any(t.evidence.start == s.start for t in meeting.topics):
            score += 0.4
        if also and re.search(r"\b(?:also|as well|further|too)\b", s.text):
            score += 0.2  # "what else": reporting adds the further items with "also"
        if before_meeting and _BEFORE.search(s.text):
            score += 0.3
        if significance and _SIGNIFICANCE.search(s.text):
            score += 0.5
        if besides and any(content_stems(b) <= st for b in besides):
            score -= 0.4
        if q.intent != "other" and _BACKGROUND.search(s.text):
            score -= 0.2  # background on earlier meetings, not this one
        if s.start == 0 or s.text.strip() == article.title.strip():
            score -= 1.0  # the headline restates; prefer the body sentence that states the fact
        score += 0.15 * passage_scores.get(s.start, 0.0)
        out.append(Ranked(s, score, overlap, article, actor_ok, kind_ok, bool(statements)))
    return sorted(out, key=lambda r: r.score, reverse=True)


def choose(ranked: list[Ranked], q: Question) -> list[Ranked]:
    """The top sentence, plus close runners-up when the question asks for several things.

    A runner-up must be of the asked kind by the asked speaker, and touch what the question is
    about; a sentence that continues a chosen one ("They also agreed ...") joins more easily.
    """
    if not ranked:
        return []
    top = ranked[0]
    chosen = [top]
    many = q.intent in ("demands", "topics", "outcome")
    compound = bool(re.search(r"\band\b", q.core or q.text)) and q.intent == "side_position"
    limit = 3 if many else 2 if compound else 1
    words = len(top.sentence.text.split())
    order = {r.sentence.start: i for i, r in enumerate(sorted(ranked, key=lambda r: r.sentence.start))}
    for r in ranked[1:]:
        if len(chosen) >= limit:
            break
        next_to = any(order[r.sentence.start] == order[c.sentence.start] + 1 for c in chosen)
        follows = next_to and _CONTINUES.match(r.sentence.text)
        if not (r.actor_ok and r.kind_ok) and not (follows and not r.has_statement) or r.score <= 0.3:
            continue
        if q.intent == "demands" and _DIRECTED_Q.search(q.text) and not _DEMAND_FORM.search(r.sentence.text):
            continue  # "what did X ask Y to do": only requests aimed at someone
        if not follows and r.overlap < (0.4 if q.intent == "topics" else 0.6) * top.overlap:
            continue
        ratio = 0.6 if follows else 0.65 if q.intent == "topics" else 0.8 if many else 0.9
        if r.score < ratio * top.score:
            continue
        extra = len(r.sentence.text.split())
        if words + extra > 70:
            continue
        chosen.append(r)
        words += extra
    return sorted(chosen, key=lambda r: r.sentence.start)


def cite(chosen: list[tuple[Article, Sentence]]) -> tuple[list[Citation], dict[tuple[str, int], int]]:
    """One numbered list; the same sentence cited twice gets one number."""
    citations: list[Citation] = []
    numbers: dict[tuple[str, int], int] = {}
    for article, s in chosen:
        key = (article.id, s.start)
        if key in numbers:
            continue
        numbers[key] = len(citations) + 1
        citations.append(
            Citation(
                n=numbers[key],
                article_id=article.id,
                title=article.title,
                source=article.source,
                text=s.text,
                start=s.start,
                end=s.end,
            )
        )
    return citations, numbers


def best_ranking(
    q: Question, articles: list[Article], catalog: Catalog, passage_scores: dict[str, dict[int, float]]
) -> tuple[Article, list[Ranked]] | None:
    """The article whose best sentence answers best (a small prior for the retrieval order)."""
    best = None
    for i, article in enumerate(articles):
        ranked = rank_sentences(q, article, catalog.meeting_of(article.id), passage_scores.get(article.id, {}))
        if not ranked:
            continue
        value = ranked[0].score - 0.05 * i
        if best is None or value > best[0]:
            best = (value, article, ranked)
    return (best[1], best[2]) if best else None


def compose_single(
    q: Question,
    articles: list[Article],
    catalog: Catalog,
    passage_scores: dict[str, dict[int, float]],
    sub_questions: list[Question] | None = None,
) -> Composed:
    found = best_ranking(q, articles, catalog, passage_scores)
    if found is None:
        return Composed(text=ABSTAIN, abstained=True)
    article, ranked = found
    meeting = catalog.meeting_of(article.id)
    reason = abstain_reason(q, article, meeting, ranked)
    if reason is not None:
        return Composed(text=f"{ABSTAIN} {reason}".strip(), abstained=True)
    if sub_questions:
        # "Where did they meet, and how long since ...?": the best sentence for each part.
        chosen: list[Ranked] = []
        for sub in sub_questions:
            sub_ranked = rank_sentences(sub, article, meeting, passage_scores.get(article.id, {}))
            if sub_ranked and all(c.sentence.start != sub_ranked[0].sentence.start for c in chosen):
                chosen.append(sub_ranked[0])
        chosen.sort(key=lambda r: r.sentence.start)
    else:
        chosen = choose(ranked, q)
    overlap_at = {r.sentence.start: r.overlap for r in ranked}
    antecedents = {r.sentence.start: _antecedent(r, meeting) for r in chosen}
    # The antecedent is cited only when it is itself on the question's topic.
    antecedents = {k: v for k, v in antecedents.items() if v is not None and overlap_at.get(v.start, 0.0) > 0.05}
    antecedents = {r.sentence.start: antecedents.get(r.sentence.start) for r in chosen}
    cited: list[tuple[Article, Sentence]] = []
    for r in chosen:
        before = antecedents[r.sentence.start]
        if before is not None and all(before.start != c.sentence.start for c in chosen):
            cited.append((r.article, before))
        cited.append((r.article, r.sentence))
    citations, numbers = cite(cited)
    parts = []
    for r in chosen:
        before = antecedents[r.sentence.start]
        marks = f"[{numbers[(r.article.id, r.sentence.start)]}]"
        if before is not None and (r.article.id, before.start) in numbers:
            marks = f"[{numbers[(r.article.id, before.start)]}]" + marks
        parts.append(f"{r.sentence.text} {marks}")
    answered = []
    if meeting and q.intent == "who_met":
        answered = [
            p.name
            for p in meeting.participants
            if (q.actor is None or p.name != q.actor.name)
            and any(name_in_text(p.name, r.sentence.text) for r in chosen)
        ]
    return Composed(text=" ".join(parts), citations=citations, article_ids=[article.id], answered_people=answered)


def _antecedent(r: Ranked, meeting: Meeting | None) -> Sentence | None:
    """For "He also said ...", the sentence just before that names the same speaker: it shows who "he" is."""
    if meeting is None or not _PRONOUN_START.match(r.sentence.text):
        return None
    sentences = sentences_of(r.article)
    index = next((i for i, s in enumerate(sentences) if s.start == r.sentence.start), 0)
    if index < 2:
        return None
    before = sentences[index - 1]
    mine = {st.actor for st in meeting.statements if st.evidence.start == r.sentence.start}
    theirs = {st.actor for st in meeting.statements if st.evidence.start == before.start}
    if mine and mine & theirs and any(name_in_text(a, before.text) for a in mine) and len(before.text.split()) < 60:
        return before
    return None


def _meeting_label(meeting: Meeting) -> str:
    names = [p.name for p in meeting.participants[:3]]
    label = " and ".join(names) if len(names) <= 2 else ", ".join(names[:-1]) + " and " + names[-1]
    return label


def compose_cross(q: Question, articles: list[Article], catalog: Catalog) -> Composed:
    """One line per meeting: who met, cited to the sentence that ties the meeting to the question."""
    lines: list[tuple[Article, Sentence, str]] = []
    topic_stems = content_stems(q.text, drop_intent=True) - {s for p in q.people for s in content_stems(p.name)}
    for article in articles:
        meeting = catalog.meeting_of(article.id)
        if meeting is None or not meeting.participants:
            continue
        if q.intent == "who_met" and q.sides and not q.people:
            # "meetings between US and Chinese officials": every side asked about took part
            if not set(q.sides) <= {p.country for p in meeting.participants}:
                continue
        label = _meeting_label(meeting)
        if q.intent == "who_met" or not (q.proper_terms or q.sides or topic_stems - _SIDE_STEMS):
            evidence = _lead_sentence(article, meeting)
        else:
            evidence = _first_on_topic(article, q, topic_stems)
        if evidence is None:
            continue
        venue = f" ({meeting.venue})" if meeting.venue and q.intent == "who_met" else ""
        lines.append((article, evidence, f"{label}{venue}"))
    if not lines:
        return Composed(text=ABSTAIN, abstained=True)
    citations, numbers = cite([(a, s) for a, s, _ in lines])
    text = "; ".join(f"{label} [{numbers[(a.id, s.start)]}]" for a, s, label in lines) + "."
    return Composed(text=text, citations=citations, article_ids=[a.id for a, _, _ in lines])


_SIDE_STEMS = content_stems("meetings articles officials leaders way part collection these involve")


def _lead_sentence(article: Article, meeting: Meeting) -> Sentence | None:
    """The sentence that reports the meeting: the first body sentence naming two participants, else one."""
    body = [s for s in sentences_of(article)[1:] if not _NOISE.search(s.text)]
    names = [p.name for p in meeting.participants]
    for s in body:
        if any(name_in_text(n, s.text) for n in names):
            return s
    return _sentence_at(article, meeting.evidence.start) if meeting.evidence else None


def _first_on_topic(article: Article, q: Question, topic_stems: set[str]) -> Sentence | None:
    """The first body sentence that names the topic (every proper term or country, else the most topic words)."""
    body = [s for s in sentences_of(article)[1:] if not _NOISE.search(s.text)]
    side_tokens = {"side:" + s for s in q.sides} if not q.people else set()
    terms = [t for t in q.proper_terms if t.casefold() not in SIDE_ALIASES]
    side_tokens |= {"side:" + SIDE_ALIASES[t.casefold()] for t in q.proper_terms if t.casefold() in SIDE_ALIASES}
    if terms or side_tokens:
        for s in body:
            if all(term_in_text(t, s.text) for t in terms) and side_tokens <= sentence_stems(s.text):
                return s
        return None
    best = None
    for s in body:
        hits = len(topic_stems & sentence_stems(s.text))
        if hits and (best is None or hits > best[0]):
            best = (hits, s)
    return best[1] if best else None


def _sentence_at(article: Article, start: int) -> Sentence | None:
    for s in sentences_of(article):
        if s.start == start:
            return s
    return None
