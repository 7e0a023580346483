"""Who said, urged, demanded, warned or agreed what, sentence by sentence.

Attribution rules that reporting needs: the subject before the verb is the actor ("Wang urged the
US to ..."), an attribution after a quote or clause names the speaker ("..., Wang said"), a pronoun
or a descriptor ("He also urged", "the secretary reiterated") refers back to the person last in
focus, "according to Xinhua" names a reporter (never the speaker), and a second person after the
verb is the target ("Kishida told Yoon ..."), not the actor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.extraction.lexicon import CUE_PATTERNS
from ingest.extraction.people import TURN_LABEL, Mention, Person, find_mentions, turn_speaker
from ingest.segment import LIST_MARKER, list_items
from vectorstore.models import STATEMENT_KINDS, Sentence, StatementKind

_ACCORDING = re.compile(
    r"\b(?:according\s+to|as\s+reported\s+by|reported\s+by|citing|cited\s+by|relayed\s+by|quoted\s+by|said\s+in\s+a\s+statement\s+from)\s+"
    r"(?:the\s+|a\s+)?[^,.;]{0,60}",
    re.I,
)
_REPORTER_TAIL = re.compile(
    r",\s+(?:an?|the)\s+(?:official|spokes\w+|statement|readout|source|report)[^,]{0,60}\s+(?:said|says|reported)\W*$",
    re.I,
)
_BOTH = re.compile(
    r"\b(?:the\s+two\s+(?:sides|leaders|countries|ministers|foreign\s+ministers|prime\s+ministers|presidents|heads\s+of\s+"
    r"(?:state|government)|men|officials|governments|delegations|parties|neighbou?rs)|both\s+(?:sides|leaders|presidents|"
    r"countries|governments|delegations|parties|men)|they|the\s+pair|the\s+leaders)\b",
    re.I,
)
# "In Moscow's view, ...", "In Kurti's words, ...": the view of whoever is named there.
_IN_VIEW = re.compile(r"^\W*In\s+(?:the\s+)?([^,]{2,40}?)['\u2019]s?\s+(?:view|opinion|words|account|telling),")
_DETERMINER = re.compile(r"\b(?:the|a|an|its|his|her|their|this|that)\s+$", re.I)
_SPEECH_AFTER = re.compile(r"^\s*(?:said|says|told|added|stated|noted|reiterated|stressed)\b", re.I)
_SPEECH_BEFORE = re.compile(r"\b(?:said|says|told|added|stated|noted|reiterated|stressed)\s*$", re.I)
_OBJECT_BEFORE = re.compile(
    r"\b(?:to|with|told|urged|urges|asked|pressed|thanked|met|on|for|against|by|of|from)\s+$", re.I
)


@dataclass
class Attributed:
    """One sentence's statement: the actor, the side, the kind and the verb's target."""

    sentence: Sentence
    kind: StatementKind
    actor: Person | None
    side: str | None
    target: str | None
    cue_start: int


def _reporter_spans(sentence: Sentence) -> list[tuple[int, int]]:
    spans = [(sentence.start + m.start(), sentence.start + m.end()) for m in _ACCORDING.finditer(sentence.text)]
    tail = _REPORTER_TAIL.search(sentence.text)
    if tail:
        spans.append((sentence.start + tail.start(), sentence.start + tail.end()))
    return spans


def _cue(sentence: Sentence) -> tuple[StatementKind, int] | None:
    """The strongest statement verb in the sentence (urge beats said) and where it is."""
    found: list[tuple[int, int, StatementKind]] = []
    for rank, kind in enumerate(STATEMENT_KINDS):
        for m in CUE_PATTERNS[kind].finditer(sentence.text):
            if _DETERMINER.search(sentence.text[max(0, m.start() - 6) : m.start()]):
                continue  # "the request", "a pledge": a noun, not the verb of the sentence
            found.append((rank, m.start(), kind))
            break
    if not found:
        return None
    rank, pos, kind = min(found)
    return kind, sentence.start + pos


def attribute(text: str, sentences: list[Sentence], people: list[Person]) -> list[Attributed]:
    """Statements of the article in order, with pronouns resolved to the person last in focus and
    quotations that run over several sentences given to their one speaker."""
    out: list[Attributed] = []
    focus: Person | None = None
    quote_open = False  # a quotation runs on from the previous sentence
    speaker: Attributed | None = None  # the previous sentence's statement, whose quote may go on
    unattributed: list[Sentence] = []  # a quote's first sentences, whose speaker is named where it closes
    items = list_items(text, sentences)  # a list item's start -> its lead-in's start
    said_at: dict[int, Attributed] = {}  # a lead-in's statement, for its items
    turn: Person | None = None  # a transcript's speaker ("VARGA: ..."), until a line without a label
    previous_end = 0
    for sentence in sentences:
        gap, previous_end = text[previous_end : sentence.start], sentence.end
        if "\n" in gap or sentence.start == 0:
            label = TURN_LABEL.match(sentence.text)
            turn = turn_speaker(label.group(1), people) if label else None
        if LIST_MARKER.fullmatch(sentence.text.strip()):
            continue  # "1." on its own says nothing
        outside, still_open = _outside_quotes(sentence.text, quote_open)
        continued = quote_open or _whole_quote(sentence.text)
        quote_open = still_open
        attributed_here = bool(_SPEECH_VERB.search(outside))
        if continued and speaker is not None and not attributed_here:
            # The reported words go on ("'Any initiative is difficult,' he said. 'But ...'"): the
            # speaker is the one quoted before, whoever the words themselves name.
            speaker = _statement(sentence, speaker.actor, speaker.side)
            out.append(speaker)
            continue
        statement, actor_mention, mentions = _attribute_one(text, sentence, people, focus)
        if turn is not None and (statement is None or not (statement.actor or statement.side)):
            # A turn's sentence that names no one else as its speaker is the turn speaker's, in the
            # first person ("I asked Portugal to ...", "We did."); "the two leaders agreed" stays theirs.
            statement = _statement(sentence, turn, turn.country)
        lead_in = said_at.get(items.get(sentence.start, -1))
        if statement is None and lead_in is not None:
            # "1. To upgrade relations to a partnership.": an item says what its lead-in's speaker said.
            statement = Attributed(sentence, lead_in.kind, lead_in.actor, lead_in.side, None, sentence.start)
        if statement is not None:
            out.append(statement)
            if statement.actor or statement.side:
                said_at[sentence.start] = statement
        speaker = statement if statement is not None and (statement.actor or statement.side) else None
        if continued and attributed_here and speaker is not None:
            # '"The border was left to the mafias. We will rebuild ...," Petro said.': the sentence that
            # closes the quote names the speaker of its first sentences too.
            opened = {s.start for s in unattributed}
            out = [a for a in out if a.sentence.start not in opened]
            out.extend(_statement(s, speaker.actor, speaker.side) for s in unattributed)
        if still_open and not attributed_here:
            unattributed = [*unattributed, sentence] if continued else [sentence]
        else:
            unattributed = []
        persons = [m.person for m in mentions if m.person is not None]
        if actor_mention is not None and actor_mention.person is not None:
            focus = actor_mention.person
        elif persons:
            focus = persons[0]
    return sorted(out, key=lambda a: a.sentence.start)


def _statement(sentence: Sentence, actor: Person | None, side: str | None) -> Attributed:
    """A sentence of someone's quotation: its own verb's kind when it has one, else a plain statement."""
    cue = _cue(sentence)
    kind, pos = cue if cue else ("state", sentence.start)
    return Attributed(sentence, kind, actor, side, None, pos)


def _attribute_one(
    text: str, sentence: Sentence, people: list[Person], focus: Person | None
) -> tuple[Attributed | None, Mention | None, list[Mention]]:
    """One sentence on its own: its statement (if any), its subject and its mentions."""
    mentions = find_mentions(text, sentence.start, sentence.end, people)
    reporters = _reporter_spans(sentence)
    # "according to Xinhua" names a reporter; "according to Michel" names the speaker.
    mentions = [m for m in mentions if m.person is not None or not any(s <= m.start < e for s, e in reporters)]
    for m in mentions:
        if m.kind == "pronoun":
            # "Pashinyan did not run from that reading: ..., he said ...": the person who opens the
            # sentence as its subject is whom the pronoun means; else the person last in focus.
            first = next((p for p in mentions if p.person is not None and p.start < m.start), None)
            m.person = first.person if first is not None and _opens_as_subject(text, sentence, first) else focus
            m.side = m.person.country if m.person else None
    cue = _cue(sentence)
    view = _IN_VIEW.match(sentence.text)
    if cue is None and view:
        holder = next((m for m in mentions if m.start < sentence.start + view.end(1) + 2), None)
        if holder is not None and (holder.person or holder.side):
            return Attributed(sentence, "state", holder.person, holder.side, None, holder.end), holder, mentions
    actor_mention = _actor(text, sentence, mentions, cue[1] if cue else sentence.end)
    source = next((m for m in mentions if m.person is not None and any(s <= m.start < e for s, e in reporters)), None)
    if actor_mention is None or (cue is None and not _is_subject(text, sentence, actor_mention)):
        actor_mention = source or actor_mention
    if cue is None and actor_mention is not None and actor_mention is source:
        return Attributed(sentence, "state", source.person, source.side, None, source.end), source, mentions
    if cue is not None:
        kind, pos = cue
        actor = actor_mention.person if actor_mention else None
        side = actor_mention.side if actor_mention else None
        if actor_mention is None and _BOTH.search(text[sentence.start : pos]):
            side = "both"
        target = _target(text, mentions, actor_mention, pos)
        return Attributed(sentence, kind, actor, side, target, pos), actor_mention, mentions
    if actor_mention is not None and actor_mention.person is not None and _is_subject(text, sentence, actor_mention):
        # No statement verb, but a person is the subject ("Abbas also gave Blinken a file"): a plain
        # statement, so questions about what that person did find it.
        statement = Attributed(sentence, "state", actor_mention.person, actor_mention.side, None, actor_mention.end)
        return statement, actor_mention, mentions
    return None, actor_mention, mentions


_SPEECH_VERB = re.compile(
    r"\b(?:said|says|told|tells|added|adds|stated|noted|asked|wrote|writes|argued|insisted|replied|continued)\b", re.I
)
_WHOLE_QUOTE = re.compile(r"^\s*[\"\u201c\u2018][^\"\u201c\u201d]+[\"\u201d\u2019]\W*$")


def _whole_quote(sentence: str) -> bool:
    """A sentence that is nothing but reported words: it goes on with the last speaker's quote."""
    return bool(_WHOLE_QUOTE.match(sentence))


def _outside_quotes(sentence: str, open_before: bool) -> tuple[str, bool]:
    """The sentence's words outside quotation marks, and whether a quotation is open at its end."""
    inside = open_before
    kept: list[str] = []
    for ch in sentence:
        if ch == "\u201c":
            inside = True
        elif ch == "\u201d":
            inside = False
        elif ch == '"':
            inside = not inside
        elif not inside:
            kept.append(ch)
    return "".join(kept), inside


def _actor(text: str, sentence: Sentence, mentions: list[Mention], cue_pos: int) -> Mention | None:
    """The subject: a speech attribution next to a verb wins, then the first person before the cue."""
    persons = [m for m in mentions if m.person is not None]
    for m in persons:
        if _SPEECH_AFTER.match(text[m.end : m.end + 15]) or _SPEECH_BEFORE.search(text[max(0, m.start - 12) : m.start]):
            # "..., Wang said" / "said Wang": an explicit attribution, unless the sentence has an
            # earlier subject that does the speaking ("Kishida told Yoon").
            before = [p for p in persons if p.start < m.start and not _is_object(text, p)]
            if before and before[0].start < cue_pos and not _quote_or_clause_first(text, sentence, m):
                return before[0]
            return m
    subjects = [m for m in persons if m.start < cue_pos and not _is_object(text, m)]
    if (
        len(subjects) >= 2
        and subjects[0].person is not subjects[1].person
        and re.fullmatch(r"\s+and\s+", text[subjects[0].end : subjects[1].start])
    ):
        return Mention(subjects[0].start, subjects[1].end, None, "both", "side")  # "Kim and Putin signed"
    if subjects:
        return subjects[0]
    for m in mentions:
        # "Washington said it had raised concerns": a country named right before a speech verb speaks.
        if m.person is None and m.side and m.start < cue_pos and _SPEECH_AFTER.match(text[m.end : m.end + 15]):
            return m
    both = _BOTH.search(text[sentence.start : cue_pos])
    if both:
        return Mention(sentence.start + both.start(), sentence.start + both.end(), None, "both", "side")
    sides = [m for m in mentions if m.person is None and m.side and m.start < cue_pos and not _is_object(text, m)]
    if len({m.side for m in sides}) >= 2 and re.search(r"\band\b", text[sides[0].end : sides[1].start]):
        return Mention(sides[0].start, sides[1].end, None, "both", "side")
    if sides:
        return sides[0]
    after = [m for m in persons if m.start >= cue_pos]
    return after[0] if after else None


_FRONTED = re.compile(r"^[^,;:\"\u201c]*,\s*$")  # "In a separate session with Michel, " before the subject


def _is_subject(text: str, sentence: Sentence, m: Mention) -> bool:
    """The mention opens the sentence (within its first few words), or its main clause after a fronted
    phrase ("In a separate session on Monday, Pashinyan complained ..."), as a subject does."""
    if _is_object(text, m):
        return False
    head = text[sentence.start : m.start]
    if len(head.split()) <= 3:
        return True
    return bool(_FRONTED.match(head)) and bool(re.match(r"\s+(?:also\s+)?[a-z]+(?:ed|s)\b", text[m.end : m.end + 30]))


def _opens_as_subject(text: str, sentence: Sentence, m: Mention) -> bool:
    """The mention opens the sentence, after a title at most ("Armenian Prime Minister Nikol Pashinyan
    did ..."), and is no possessive: not "Asked about Silva, she ...", "Silva's plan, she said, ..."."""
    head = text[sentence.start : m.start]
    return bool(_TITLE_ONLY.fullmatch(head)) and not re.match(r"['\u2019]s\b", text[m.end : m.end + 3])


_TITLE_ONLY = re.compile(r"(?:(?:[Tt]he|[A-Z][\w.'\u2019-]*)\s+)*")


def _is_object(text: str, m: Mention) -> bool:
    return bool(_OBJECT_BEFORE.search(text[max(0, m.start - 12) : m.start]))


def _quote_or_clause_first(text: str, sentence: Sentence, m: Mention) -> bool:
    """True when the attribution follows the reported words ("'...,' Modi told Putin")."""
    head = text[sentence.start : m.start]
    return head.lstrip()[:1] in "\"'\u201c\u2018" or head.rstrip().endswith(",")


def _target(text: str, mentions: list[Mention], actor: Mention | None, cue_pos: int) -> str | None:
    """Whom the statement is aimed at: the first other person or side after the actor (or the verb)."""
    after = actor.end if actor is not None and actor.end <= cue_pos else cue_pos
    for m in mentions:
        if m.start >= after and (actor is None or m.start != actor.start):
            if m.person is not None and (actor is None or m.person is not actor.person):
                return m.person.name
            if m.side and (actor is None or m.side != actor.side):
                return m.side
    return None
