"""Who is in an article: people with their titles and sides, and where each is mentioned.

Rules rather than a statistical tagger: news introduces an official by title and full name
("Chinese Foreign Minister Wang Yi", "Kim Jong-un, the North Korean leader") and then refers back
by one part of the name ("Wang", "Kim"), a descriptor ("the Russian leader", "the secretary") or a
pronoun. Those patterns are regular enough for rules, and rules keep ingest fast (a spaCy pass over
every paragraph would cost as much as embedding it) and every offset exact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from ingest.extraction.lexicon import (
    CITIES,
    NON_NAME,
    SIDE_ALIASES,
    TITLE_HEADS,
    TITLE_WORDS,
    find_sides,
    names_a_region,
)

# A capitalised word: "Blinken", "Jong-un", "Suk-yeol", "U.S.", "O'Brien"; possessive 's is cut off later.
# A capitalised word of a name run. Only initials and title abbreviations keep a full stop ("J.",
# "Gen.", "U.S."): any other word ending with one ends its sentence, so "… met Wang. President …"
# is two runs, not one name.
_ABBREVIATED = r"(?:Jr|Sr|Dr|St|Mt|Gen|Lt|Col|Capt|Cmdr|Adm|Sgt|Sen|Rep|Gov|Pres|Amb|Prof|Mr|Mrs|Ms|Hon|Rev|[A-Z])\."
_CAP = (
    r"(?:[A-Z]\.(?:[A-Z]\.)+|"
    + _ABBREVIATED
    + r"(?![\w])|[A-Z][a-zA-Z\u00c0-\u024f]*(?:[-'\u2019][A-Za-z\u00c0-\u024f]+)*)"
)
_CONNECTOR = r"(?:of|the|for|de|da|do|dos|das|di|bin|ben|al|van|von|der|den|la|le)"
_RUN = re.compile(rf"(?<![\w.]){_CAP}(?:(?:(?:[ \t]+{_CONNECTOR})+[ \t]+|[ \t]+){_CAP})*")
_POSSESSIVE = re.compile(r"['\u2019]s?$")
_HEADS = "|".join(sorted(TITLE_HEADS))
_OF_WORD = r"(?:(?:[A-Z]\.)+|[A-Z][\w'\u2019-]*)"  # "Tonga", "U.N.", not "Bolivia." ending a sentence
# ", Prime Minister of the Kingdom of Tonga," after the name: the title, and the country it is of; within
# the sentence (", met in Tashkent on Monday.\nMinister Seitkali ..." is no title).
_APPOSITIVE = re.compile(
    r"^\s*,\s*(?:(?:the|her|his|their|its|a)\s+)?((?:(?:[\w\-]+|(?:[A-Z]\.)+)[ \t]+){0,6}?(?:" + _HEADS + r")\b"
    r"(?:[ \t]+(?-i:of[ \t]+(?:the[ \t]+)?" + _OF_WORD + r"(?:[ \t]+(?:of[ \t]+(?:the[ \t]+)?)?" + _OF_WORD + r")*))?)",
    re.I,
)
_TITLE_OF = re.compile(r"\bof\s+(?:the\s+)?([A-Z][\w.]*(?:\s+[A-Z][\w.]*)*)")
# A title in lower case right before a name ("Kremlin spokesman Dmitry Peskov", "Aliyev's foreign policy
# adviser Hikmet Hajiyev", "his Ukrainian counterpart Volodymyr Zelenskyy"), with the capitalised word
# that may qualify it (an institution, a country, a person's possessive).
_TITLE_BEFORE = re.compile(
    r"(?:(?<![\w'\u2019])([A-Z][\w\u00c0-\u024f.-]*(?:['\u2019]s)?)\s+)?((?:[a-z][\w-]*\s+){0,3}?(?:"
    + _HEADS
    + r"))\s+$"
)
# A title set off by a comma before the name: "the President of the Russian Federation, Vladimir Putin".
_TITLE_OF_COMMA = re.compile(r"\b((?:" + _HEADS + r")\s+of\s+(?:the\s+)?([A-Z][\w.]*(?:\s+[A-Z][\w.]*)*)),\s+$", re.I)
# A title, then a comma, then the name: "Indonesia's foreign minister, Arif Wicaksono", "the Minister for
# Foreign Affairs of the Republic of Indonesia, Arif Wicaksono".
_MODIFIERS = "|".join(sorted((w for w in TITLE_WORDS if w.isalpha() and w not in {"of", "the"}), key=len, reverse=True))
_TITLE_THEN_COMMA = re.compile(
    r"(?:^|[\s(])((?:([A-Z][\w.-]*(?:['\u2019]s)?)\s+)?(?:(?i:" + _MODIFIERS + r")\s+){0,3}(?i:" + _HEADS + r")"
    r"(?:\s+(?:for|of)\s+(?:the\s+)?[A-Z][\w.'\u2019-]*(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w.'\u2019-]*)*)?),\s+$"
)
_NAME_AFTER = re.compile(r"\s*,?\s+([A-Z][\w\u00c0-\u024f'\u2019-]+\s+[A-Z][\w\u00c0-\u024f'\u2019-]*)")
# After a name in apposition: a comma, the sentence's end, or a phrase that goes on describing the
# meeting ("..., Arif Wicaksono, in Jakarta", "... Arif Wicaksono on Monday"), never a verb.
_APPOSITION_ENDS = re.compile(r"\s*(?:[,.;:)\u2014]|$|\s(?:and|in|on|at|of|for|from|who|whose|during|after|before)\b)")
# A country word touching the name ("China's Wang Wentao", "Ukrainian Zelenskyy"), never across punctuation.
_TOUCHING = re.compile(r"^(?:['\u2019]s)?[ \t]+$")
_NOT_TITLED = {"counterpart", "host", "guest", "leader"}  # say who someone is to another, not their office
_NUMBER_WORDS = {
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "several", "some", "many", "both", "all", "most", "few",
}  # fmt: skip


def similar_name(a: str, b: str) -> bool:
    """Spelling variants of one name ('Zelensky'/'Zelenskyy', 'Antony'/'Anthony'): edit distance <= 1."""
    a, b = a.casefold(), b.casefold()
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1 or min(len(a), len(b)) < 5:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = j = diff = 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            i += 1
            j += 1
            continue
        diff += 1
        if diff > 1:
            return False
        if len(a) == len(b):
            i += 1
        j += 1
    return diff + (len(b) - j) + (len(a) - i) <= 1


@dataclass
class Person:
    name: str
    title: str | None = None
    country: str | None = None
    aliases: set[str] = field(default_factory=set)
    first_seen: int = 0


@dataclass
class Mention:
    start: int
    end: int
    person: Person | None = None  # None for a side mention
    side: str | None = None
    kind: str = "name"  # name, alias, descriptor, pronoun, side


def _is_name_token(tok: str) -> bool:
    bare = _POSSESSIVE.sub("", tok).rstrip(".")
    low = bare.casefold()
    if not bare or low in NON_NAME or low in TITLE_WORDS or low in SIDE_ALIASES or low in _NUMBER_WORDS:
        return False
    return bare[0].isupper() and any(c.islower() for c in bare)


_COUNTRY_TAIL = re.compile(r"[ \t]+of[ \t]+(?:the[ \t]+)?(.+)$")


def _without_country_tail(run: str) -> tuple[str, str | None]:
    """'Federal Chancellor Olaf Scholz of Germany. The' -> ('Federal Chancellor Olaf Scholz', 'Germany'):
    a name followed by "of" and a country is that country's person (a title's own "of", as in
    'President of the Russian Federation', comes before the name and is left alone)."""
    tail = _COUNTRY_TAIL.search(run)
    if tail is None or not run[: tail.start()].split():
        return run, None
    named = tail.group(1).split(". ")[0].rstrip(".")
    sides = find_sides(named)
    head = run[: tail.start()]
    if len(sides) != 1 or (sides[0][0], sides[0][1]) != (0, len(named)) or _country_of(head):
        return run, None  # not a country alone: "President of the Russian Federation Vladimir Putin"
    return head, sides[0][2]


def _country_of(text: str) -> str | None:
    sides = find_sides(text)
    return sides[0][2] if sides else None


def _split_run(run: str) -> tuple[str, str]:
    """'US Secretary of State Antony Blinken' -> ('US Secretary of State', 'Antony Blinken')."""
    tokens = run.split()
    i = len(tokens)
    while i > 0:
        if _is_name_token(tokens[i - 1]):
            i -= 1
            continue
        # a middle initial between name words: "Joseph R. Biden"
        if re.fullmatch(r"[A-Z]\.", tokens[i - 1]) and i < len(tokens) and i >= 2 and _is_name_token(tokens[i - 2]):
            i -= 1
            continue
        # A short capitalised word that English writes lowercase mid-sentence, between a title and a
        # name, is the name's first part: "General Secretary To Lam", "Vice Premier He Lifeng".
        if (
            i < len(tokens)
            and i >= 2
            and re.fullmatch(r"[A-Z][a-z]{1,2}", tokens[i - 1])
            and tokens[i - 1].casefold() in NON_NAME
            and tokens[i - 1].casefold() not in TITLE_WORDS  # "President Dr Irfaan Ali"
            and tokens[i - 2].casefold().rstrip(".") in TITLE_WORDS
        ):
            i -= 1
            continue
        # particles inside a name: "Lula da Silva", "von der Leyen", "bin Salman"
        j = i
        while j > 0 and tokens[j - 1] in _PARTICLES:
            j -= 1
        if j < i and i < len(tokens) and j > 0 and _is_name_token(tokens[j - 1]):
            i = j
            continue
        break
    # A country the title names stays whole in it: "President of the Russian Federation Vladimir Putin".
    title = " ".join(tokens[:i])
    for start, end, _ in find_sides(run):
        if start < len(title) < end:
            cut = len(run[:end].split())
            return " ".join(tokens[:cut]), " ".join(tokens[cut:])
    return title, " ".join(tokens[i:])


_PARTICLES = {"da", "de", "do", "dos", "das", "di", "van", "von", "der", "den", "bin", "al", "la", "le", "ben"}


def _clean_name(name: str) -> str:
    tokens = name.split()
    if tokens:
        tokens[-1] = _POSSESSIVE.sub("", tokens[-1])
    return " ".join(tokens).rstrip(".,")


def _next_persons_title(text: str, title: str, after: re.Match) -> bool:
    """Whether the title after a name belongs to the name after it. One that runs into a name
    ("overlooking Da Nang Bay, Vietnamese Foreign Minister Tran Quoc Vinh") does; so does a formal
    "Minister of ..." set off by commas when the next name has no title after it ("..., Karim
    Benslimane, the Minister of Foreign Affairs of Portugal, Tiago Reis, paid a visit"). In a list
    ("Hakan Fidan, the Turkish foreign minister, Sergey Lavrov, the Russian foreign minister") the
    title is the person's before it."""
    if not after.group(0).lstrip().startswith(","):
        return True
    next_end = after.end()
    rest = re.match(r"(?:\s+[A-Z][\w\u00c0-\u024f'\u2019-]*)*", text[next_end:])
    following = next_end + (rest.end() if rest else 0)
    own = text[following : following + 120]
    # the next name's own title: ", the Russian foreign minister", ", Russia's foreign minister" (not ",
    # paid an official visit")
    titled = _APPOSITIVE.match(own) and re.match(r"\s*,\s*(?:(?:the|a|an|his|her|their|its)\b|[A-Z])", own)
    return " of " in title and not titled


def find_people(text: str) -> list[Person]:
    """People introduced with a title, an appositive title, or a full name whose surname then speaks."""
    people: dict[str, Person] = {}
    served: dict[str, str] = {}
    for m in _RUN.finditer(text):
        if _in_title_case_line(text, m.start()):
            continue
        run, of_country = _without_country_tail(m.group())
        title_part, name_part = _split_run(run)
        name = _clean_name(name_part)
        tokens = name.split()
        if not tokens or len(tokens) > 5 or _names_a_country(name) or any(p in CITIES for p in name.split("-")):
            continue  # "La Paz", "the Arica-La Paz railway": a place, however often it is named again
        title = _without_connectives(title_part) or None
        title_tokens = {t.casefold().rstrip(".") for t in (title or "").split()}
        has_title = bool(title_tokens & TITLE_HEADS)
        lead = _title_before(text, m.start())
        if lead is not None and lead.set_off and not _APPOSITION_ENDS.match(text, m.end()):
            # "After meeting the president, Lula flew home", "... the Indonesian president, Wong said":
            # the comma closes a clause, and the name is the next one's subject, not the title's holder.
            lead = None
        if lead is not None and not has_title:
            has_title = True
            title = title or lead.title
        appositive = _APPOSITIVE.match(text[m.end() : m.end() + 120])
        if appositive:
            after = _NAME_AFTER.match(text, m.end() + appositive.end())
            if after and not find_sides(after.group(1)) and _next_persons_title(text, appositive.group(1), after):
                appositive = None
        if not (has_title or appositive) and not (
            len(tokens) >= 2 and (_before_speech(text, m.end()) or _surname_again(text, tokens[-1], m.end()))
        ):
            continue
        if len(tokens) == 1 and not has_title:
            continue
        country = None
        if title:
            country = _country_of(title)
            if country is None:
                of = _TITLE_OF.search(title)
                country = _country_of(of.group(1)) if of else None
        if appositive:
            title = title or appositive.group(1).rstrip(".")
            country = country or _country_of(appositive.group(1))
        country = country or (lead.country if lead else None) or of_country
        if lead is not None and lead.serves:
            served[name] = lead.serves
        if country is None:
            # "China's Wang Wentao": a country word right before the name
            before = text[max(0, m.start() - 30) : m.start()]
            adjacent = [side for _, end, side in find_sides(before) if _TOUCHING.match(before[end:])]
            country = adjacent[-1] if adjacent else None
        if len(tokens) == 1:
            # "President Zelenskyy": keep only if no fuller name of the same person is known.
            existing = [p for p in people.values() if tokens[0] in p.name.split()]
            if existing:
                person = existing[0]
                person.title = person.title or title
                person.country = person.country or country
                continue
        key = name
        same = [p for p in people.values() if p.name.split()[-1] == tokens[-1] and p.name.split()[0] == tokens[0]]
        if same:
            person = same[0]
            person.title = person.title or title
            person.country = person.country or country
            continue
        people[key] = Person(name=name, title=title, country=country, first_seen=m.start())
    _add_paired(text, people)
    # "President Zelenskyy" before "Volodymyr Zelenskyy": one person.
    for key, person in list(people.items()):
        if len(person.name.split()) == 1:
            fuller = [
                p
                for p in people.values()
                if p is not person and any(similar_name(person.name, t) for t in p.name.split())
            ]
            if fuller:
                fuller[0].title = fuller[0].title or person.title
                fuller[0].country = fuller[0].country or person.country
                fuller[0].first_seen = min(fuller[0].first_seen, person.first_seen)
                del people[key]
    result = sorted(people.values(), key=lambda p: p.first_seen)
    result.extend(_turn_speakers(text, result))
    _assign_aliases(result)
    _add_spelling_variants(text, result)
    _countries_from_descriptors(text, result)
    for person in result:
        if person.country is None and person.name in served:
            # "Aliyev's foreign policy adviser Hikmet Hajiyev": on the side of the person he serves
            known = [p for p in result if served[person.name] in p.aliases]
            person.country = known[0].country if known else None
    return result


_WORDS = r"[A-Z][\w'\u2019-]*(?:\s+[A-Z][\w'\u2019-]*){0,3}"
_NAME = r"(?:[A-Z]\.|[A-Z][\w\u00c0-\u024f'\u2019-]*)(?:\s+(?:[A-Z]\.|[A-Z][\w\u00c0-\u024f'\u2019-]*)){1,3}"
# "The foreign ministers of Kazakhstan and Uzbekistan, Daniyar Seitkali and Rustam Khodjaev, met ...":
# two titles of two countries, and two names in the same order.
_PAIRED = re.compile(
    r"\b((?i:(?:(?:"
    + _MODIFIERS
    + r")\s+){0,2}?(?:"
    + _HEADS
    + r"))s)\s+of\s+(?:the\s+)?("
    + _WORDS
    + r")\s+and\s+(?:the\s+)?("
    + _WORDS
    + r"),\s+("
    + _NAME
    + r")\s+and\s+("
    + _NAME
    + r")(?=[\s,.;:])"
)


def _add_paired(text: str, people: dict[str, Person]) -> None:
    """Each of two people introduced together ("the foreign ministers of A and B, X and Y") gets the
    country the title gives in the same place of its list."""
    for m in _PAIRED.finditer(text):
        countries = (_country_of(m.group(2)), _country_of(m.group(3)))
        if None in countries or countries[0] == countries[1]:
            continue
        title = re.sub(r"^(?i:the)\s+", "", m.group(1))[:-1]  # "The foreign ministers" -> "foreign minister"
        for name, country, start in zip((m.group(4), m.group(5)), countries, (m.start(4), m.start(5))):
            name = _clean_name(_split_run(name)[1])  # "President Emmanuel Macron": the name after the title
            if len(name.split()) < 2 or _names_a_country(name) or name in CITIES:
                continue
            person = people.get(name)
            if person is None:
                people[name] = Person(
                    name=name,
                    title=f"{title} of {m.group(2) if country == countries[0] else m.group(3)}",
                    country=country,
                    first_seen=start,
                )
            elif person.country is None:
                person.country = country


# A transcript's turn: "VARGA: Thank you.", "HIGH REPRESENTATIVE BORRELL (via video): ...", "Borrell: ..."
# at the start of a line; the label is the speaker.
TURN_LABEL = re.compile(
    r"^[ \t]*((?:[A-Z][\w.'\u2019-]*[ \t]+){0,4}[A-Z][\w.'\u2019-]*)(?:[ \t]*\([^)\n]{0,40}\))?:[ \t]", re.M
)


def turn_speaker(label: str, people: list[Person]) -> Person | None:
    """The person a turn label names by its last word ("HIGH REPRESENTATIVE BORRELL" is Borrell)."""
    last = label.split()[-1].casefold()
    for person in people:
        if any(part.casefold() == last for part in person.name.split()):
            return person
    return None


def _turn_speakers(text: str, people: list[Person]) -> list[Person]:
    """The speakers of a transcript's turns whom no title introduced in the text: a label in capitals
    ("VARGA:") is the person the text names in full with that surname anywhere, the headline too
    ("... Foreign Minister Tomas Varga ..."); the label's other words are the title."""
    found: list[Person] = []
    for m in TURN_LABEL.finditer(text):
        label = m.group(1)
        words = label.split()
        if not label.isupper() or turn_speaker(label, people + found) is not None:
            continue
        surname = words[-1].title()
        if surname.casefold() in NON_NAME or surname.casefold() in TITLE_WORDS:
            continue  # "QUESTION:", "MODERATOR:"
        if find_sides(label.title()) or label.title() in CITIES:
            continue  # a dateline: "KUALA LUMPUR: ...", "WASHINGTON: ..."
        named = re.search(rf"((?:{_CAP}[ \t]+){{1,3}}){re.escape(surname)}(?![\w-])", text)
        if named is None:
            continue
        name = _clean_name(_split_run(named.group(0))[1])
        if len(name.split()) < 2 or name in CITIES or _names_a_country(name):
            continue
        title = " ".join(w.title() for w in words[:-1]) or None
        found.append(
            Person(name=name, title=title, country=_country_of(title) if title else None, first_seen=m.start())
        )
    return found


def _add_spelling_variants(text: str, people: list[Person]) -> None:
    """One article may transliterate a name two ways ("Zelinsky" ... "Zelensky rejected"): a
    capitalised word one edit from exactly one person's name part refers to that person."""
    taken = {alias for p in people for alias in p.aliases}
    for word in set(re.findall(r"(?<![\w-])[A-Z][a-z\u00e0-\u024f]{4,}(?![\w-])", text)) - taken:
        if word.casefold() in NON_NAME or word.casefold() in SIDE_ALIASES or word.casefold() in TITLE_WORDS:
            continue
        owners = [p for p in people if any(similar_name(word, part) for part in p.aliases if " " not in part)]
        if len(owners) == 1:
            owners[0].aliases.add(word)


_CONNECTIVES = {"but", "and", "or", "so", "yet", "then", "also", "meanwhile", "however", "when", "while", "as"}


def _without_connectives(title: str) -> str:
    """'But President' -> 'President': a sentence's opening word is capitalised, not part of a title."""
    tokens = title.split()
    while tokens and tokens[0].casefold() in _CONNECTIVES:
        tokens.pop(0)
    return " ".join(tokens)


_NOT_MODIFIER = (NON_NAME - TITLE_WORDS) | {
    "with",
    "to",
    "by",
    "for",
    "of",
    "from",
    "met",
    "told",
    "said",
    "says",
    "and",
    "or",
}


class _LeadTitle(NamedTuple):
    title: str | None
    country: str | None
    serves: str | None  # the person whose adviser, spokesman ... this is ("Aliyev's adviser")
    set_off: bool = False  # "Indonesia's foreign minister, Arif Wicaksono": the title, then a comma


def _title_before(text: str, start: int) -> _LeadTitle | None:
    """A title written before the name but outside its capitalised run."""
    before = text[max(0, start - 80) : start]
    comma = _TITLE_OF_COMMA.search(before)
    if comma:
        return _LeadTitle(comma.group(1), _country_of(comma.group(2)), None)
    appositive = _TITLE_THEN_COMMA.search(before)
    qualifier = appositive.group(2) if appositive else None
    if appositive and (qualifier is None or qualifier.casefold() in TITLE_WORDS or _country_of(qualifier)):
        title = appositive.group(1)
        head = title.split()[-1].casefold() if " of " not in title and " for " not in title else None
        return _LeadTitle(None if head in _NOT_TITLED else title, _country_of(title), None, set_off=True)
    if not before.endswith((" ", "\t")):
        return None
    tokens = before.split()
    if not tokens or tokens[-1] not in TITLE_HEADS:
        return None
    i = len(tokens) - 1
    while i > 0 and len(tokens) - i <= 3:
        word = tokens[i - 1]
        if not word.isalpha() or not word.islower() or word in _NOT_MODIFIER or word.endswith(("ed", "ly")):
            break
        i -= 1
    words = tokens[i:]
    country = serves = None
    qualifier = (
        tokens[i - 1] if i > 0 and re.fullmatch(r"[A-Z][\w\u00c0-\u024f.-]*(?:['\u2019]s)?", tokens[i - 1]) else None
    )
    if qualifier:
        # "Latin American trade envoy Ana Ruiz": a region's word, neither the United States' nor an
        # institution's like "Kremlin spokesman"
        region = names_a_region(before, before.rfind(qualifier))
        country = None if region else _country_of(qualifier)
        owner = _POSSESSIVE.sub("", qualifier)
        if country is None and owner != qualifier:
            serves = owner
        elif country is None and not region:
            words = [qualifier, *words]  # "Kremlin spokesman"
    title = None if words[-1] in _NOT_TITLED else " ".join(words)
    return _LeadTitle(title, country, serves)


def _countries_from_descriptors(text: str, people: list[Person]) -> None:
    """'The Turkish president underlined ...': a descriptor with a country word refers back to the
    person last named who can hold it, so that person is on that side when nothing else said so."""
    for m in _DESCRIPTOR.finditer(text):
        country = _country_of(m.group(1))
        head = m.group(1).split()[-1].casefold()
        if country is None or any(p.country == country and _holds(p, head) for p in people):
            continue
        fits = [
            p
            for p in people
            if p.country is None and (head in _NOT_TITLED or not p.title or head in p.title.casefold())
        ]
        last_seen = {
            p.name: max((_last_mention(text, alias, m.start()) for alias in p.aliases), default=-1) for p in fits
        }
        named = [p for p in fits if last_seen[p.name] >= 0]
        if named:
            max(named, key=lambda p: last_seen[p.name]).country = country


_HEADS_OF_STATE = ("president", "prime minister", "premier", "chancellor", "king", "queen", "emir", "sultan", "leader")


def _holds(person: Person, head: str) -> bool:
    """Whether a descriptor's head ("president", "leader") can name this person."""
    title = (person.title or "").casefold()
    if head in _NOT_TITLED:
        return any(h in title for h in _HEADS_OF_STATE)
    return head in title


def _last_mention(text: str, alias: str, before: int) -> int:
    found = [m.start() for m in re.finditer(r"(?<![\w-])" + re.escape(alias) + r"(?![\w-])", text[:before])]
    return found[-1] if found else -1


def _names_a_country(name: str) -> bool:
    """'United States', 'Republic of Korea': a country, however capitalised, is not a person."""
    covered = sum(end - start for start, end, _ in find_sides(name))
    return covered > len(name) / 2 or name.casefold() in SIDE_ALIASES or name.split()[-1] in ("States", "Republic")


def _in_title_case_line(text: str, pos: int) -> bool:
    """Headlines in Title Case capitalise verbs too ("Blinken Holds Talks"): no names from them."""
    line_start = text.rfind("\n", 0, pos) + 1
    line_end = text.find("\n", pos)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    if len(line) > 160 or line.rstrip().endswith("."):
        return False
    words = [w for w in re.findall(r"[A-Za-z][\w'\u2019-]*", line) if len(w) > 3]
    return len(words) >= 4 and sum(w[0].isupper() for w in words) / len(words) > 0.7


def _surname_again(text: str, surname: str, after: int) -> bool:
    """News style names a person in full once, then by surname as the subject of a verb: "Vladimir
    Putin ... Putin said", "... , Putin told reporters". A capitalised pair whose last word comes back
    that way is a person, with no list of who holds which office."""
    if len(surname) < 3 or surname.casefold() in NON_NAME:
        return False
    return bool(re.search(r"\b" + re.escape(surname) + r"(?:'s)?\s+(?:[a-z]+ly\s+)?[a-z]+(?:ed|s)\b", text[after:]))


def _before_speech(text: str, end: int) -> bool:
    return bool(re.match(r"\s+(?:said|says|told|added|stated)\b", text[end : end + 12]))


def _assign_aliases(people: list[Person]) -> None:
    """Each part of a name refers to the person unless another person shares it."""
    counts: dict[str, int] = {}
    for p in people:
        for tok in set(p.name.split()):
            counts[tok] = counts.get(tok, 0) + 1
    for p in people:
        p.aliases = {p.name}
        tokens = [t for t in p.name.split() if t not in _PARTICLES]
        # Every part of the name: reporting calls "Luiz Inácio Lula da Silva" simply "Lula".
        for tok in tokens:
            if counts.get(tok, 0) == 1 and tok.casefold() not in NON_NAME and len(tok) > 1:
                p.aliases.add(tok)
        if "-" in tokens[-1] and len(tokens) == 2:
            p.aliases.add(tokens[0])


# "He" before a capitalised word is a name's first part ("Vice Premier He Lifeng"), not a pronoun.
_PRONOUN = re.compile(r"\b(?:[Hh]e|[Ss]he)\b(?!\s+[A-Z][a-z])")
# A sentence whose subject is a pronoun ("He also urged ..."), not a name ("He Lifeng said ...").
PRONOUN_OPENING = re.compile(r"^(?:He|She|They)\b(?!\s+[A-Z][a-z])")
_DESCRIPTOR = re.compile(r"\b[Tt]he\s+((?:[\w.\-]+\s+){0,3}?(?:" + _HEADS + r"))(?:['\u2019]s)?\b", re.I)


def _descriptor_person(words: str, people: list[Person]) -> Person | None:
    """'Russian leader' -> the Russian; 'secretary' -> the one whose title says secretary."""
    low = words.casefold()
    if re.search(r"\b(?:two|both|each|other|senior|officials)\b", low):
        return None
    country = _country_of(words)
    head = low.split()[-1]
    candidates = [p for p in people if country is None or p.country == country]
    if country is None:
        candidates = [p for p in candidates if p.title and head in p.title.casefold()]
    if head not in ("leader", "counterpart", "host", "guest", "official", "diplomat", "chief", "head"):
        titled = [p for p in candidates if p.title and head in p.title.casefold()]
        candidates = titled or (candidates if country else [])
    return candidates[0] if len(candidates) >= 1 and len({p.name for p in candidates}) == 1 else None


def find_mentions(text: str, start: int, end: int, people: list[Person]) -> list[Mention]:
    """People, descriptors, pronouns and sides mentioned in text[start:end], in order."""
    chunk = text[start:end]
    mentions: list[Mention] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    aliases = sorted(((a, p) for p in people for a in p.aliases), key=lambda x: len(x[0]), reverse=True)
    for alias, person in aliases:
        for m in re.finditer(r"(?<![\w-])" + re.escape(alias) + r"(?![\w-])", chunk):
            if free(m.start(), m.end()):
                kind = "name" if alias == person.name else "alias"
                mentions.append(Mention(start + m.start(), start + m.end(), person, person.country, kind))
                taken.append((m.start(), m.end()))
    for m in _DESCRIPTOR.finditer(chunk):
        if not free(m.start(), m.end()):
            continue
        described = _descriptor_person(m.group(1), people)
        if described is not None:
            mentions.append(Mention(start + m.start(), start + m.end(), described, described.country, "descriptor"))
            taken.append((m.start(), m.end()))
    for m in _PRONOUN.finditer(chunk):
        mentions.append(Mention(start + m.start(), start + m.end(), None, None, "pronoun"))
        taken.append((m.start(), m.end()))
    for s, e, side in find_sides(chunk):
        if free(s, e):
            mentions.append(Mention(start + s, start + e, None, side, "side"))
    return sorted(mentions, key=lambda x: x.start)
