"""Sentences and passages with exact character offsets into an article's cleaned text.

A rule-based splitter rather than a statistical one: news prose is regular, the rules keep
offsets exact, and it runs at tens of thousands of sentences a second, so segmentation never
competes with embedding for the ingest budget. The rules know the abbreviations that news about
diplomacy is full of ("U.S.", "Gen.", "Jan.", initials) so they do not end a sentence.
"""

from __future__ import annotations

import re

from vectorstore.models import Passage, Sentence

# A list item's marker: "- ", "1. ", "2) ", "(a) ", "(3) ". Joint statements and readouts write their
# points this way; cleaning keeps each item on its own line, extraction gives each item its lead-in's
# speaker, and an answer that cites a lead-in cites its items.
_BARE_NUMBER = r"\(?(?:\d{1,2}|[a-z])[.)]"
LIST_MARKER = re.compile(_BARE_NUMBER)  # a marker split off as a sentence of its own ("1.")
MARKER_BEFORE = re.compile(r"\n[ \t]*(?:[-\u2022*\u2013]|" + _BARE_NUMBER + r")[ \t]*$")  # "\n1. " before an item
# "- item", "(a) item", "1) item" opening a sentence; not "a. ", which a sentence may open with ("A. Smith").
MARKED_ITEM = re.compile(r"\s*(?:[-\u2022*\u2013]|\((?:\d{1,2}|[a-z])\)|\d{1,2}[.)])\s+")


def list_items(text: str, sentences: list[Sentence]) -> dict[int, int]:
    """The items of the lists in a text, each item sentence's start mapped to its lead-in's start.

    A lead-in ends with ":" ("The two sides agreed on the following:") and the sentence after it opens
    an item: a marker before it on a new line ("\n1. To expand ...") or opening it ("- To expand ...").
    An item's second sentence goes on in its line; a line that no marker opens ends the list. A marker
    split off as a sentence of its own ("1.") is no item. Extraction gives an item its lead-in's speaker,
    and an answer that cites one of them cites the whole list."""
    items: dict[int, int] = {}
    lead: int | None = None
    in_item = False
    previous_end = 0
    for sentence in sentences:
        if LIST_MARKER.fullmatch(sentence.text.strip()):
            continue  # stays in the gap before its item
        gap, previous_end = text[previous_end : sentence.start], sentence.end
        opens = bool(MARKER_BEFORE.search(gap.rstrip(" \t")) or MARKED_ITEM.match(sentence.text))
        if lead is not None and (opens or (in_item and "\n" not in gap)):
            items[sentence.start] = lead
            in_item = True
        else:
            lead, in_item = None, False
        if sentence.text.rstrip().endswith(":"):
            lead, in_item = sentence.start, False
    return items


_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "gen",
    "lt",
    "col",
    "capt",
    "cmdr",
    "adm",
    "sgt",
    "sen",
    "rep",
    "gov",
    "pres",
    "amb",
    "st",
    "mt",
    "ft",
    "jr",
    "sr",
    "no",
    "nos",
    "vs",
    "v",
    "etc",
    "e.g",
    "i.e",
    "corp",
    "inc",
    "ltd",
    "co",
    "dept",
    "univ",
    "approx",
    "est",
    "fig",
    "vol",
    "rev",
    "hon",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "u.s",
    "u.k",
    "u.n",
    "e.u",
    "u.s.a",
    "d.c",
    "p.m",
    "a.m",
}

# A sentence ends at . ! ? (or an ellipsis), optionally followed by closing quotes or brackets,
# then white space and something that can start a sentence.
_BOUNDARY = re.compile(r"(?:[.!?]|\u2026)[\"'\u201d\u2019)\]]*(?=\s+[\"'\u201c\u2018(\[]?[A-Z0-9])")
_PARAGRAPH = re.compile(r"[^\n]+")
# Words that open a new sentence and hardly ever follow an abbreviation inside one: "... by the
# U.S. The two sides agreed ..." is two sentences, "U.S. Secretary of State" one.
_STARTER = re.compile(r"\s+(?:The|He|She|They|It|This|That|These|Those|We|But|However|Both|Its|Their|His|Her)\b")
_WORD_BEFORE = re.compile(r"([A-Za-z](?:[A-Za-z.]*[A-Za-z])?)\.?$")


def _ends_with_initialism(text_before: str) -> bool:
    """'U.S.', 'U.K.', 'D.C.': an initialism can end a sentence; a title ('Gen.', 'Mr.') never does."""
    match = _WORD_BEFORE.search(text_before)
    return match is not None and "." in match.group(1)


def _ends_with_abbreviation(text_before: str, text_after: str) -> bool:
    match = _WORD_BEFORE.search(text_before)
    if not match:
        return False
    word = match.group(1).casefold()
    if word in _BEFORE_NUMBER:
        return bool(_NUMBER_NEXT.match(text_after))  # "No. 10", but "he said no. The two sides ..."
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


# Abbreviations that are also words and abbreviate only before a number.
_BEFORE_NUMBER = {"no", "nos", "fig", "vol"}
_NUMBER_NEXT = re.compile(r"\s+(?:\d|[IVXLC]+\b)")  # "No. 10", "Vol. II"


def split_sentences(text: str) -> list[Sentence]:
    """Split into sentences; a line break always ends one (headlines, datelines, list items)."""
    sentences: list[Sentence] = []
    for para in _PARAGRAPH.finditer(text):
        para_start = para.start()
        chunk = para.group()
        cursor = 0
        for boundary in _BOUNDARY.finditer(chunk):
            end = boundary.end()
            if (
                chunk[boundary.start()] == "."
                and _ends_with_abbreviation(chunk[cursor : boundary.start()], chunk[end:])
                and not (_ends_with_initialism(chunk[cursor : boundary.start()]) and _STARTER.match(chunk, end))
            ):
                continue
            _append(sentences, text, para_start + cursor, para_start + end)
            cursor = end
        _append(sentences, text, para_start + cursor, para_start + len(chunk))
    return sentences


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        sentences.append(Sentence(start=start, end=end, text=text[start:end]))


def make_passages(
    article_id: str,
    text: str,
    sentences: list[Sentence],
    window: int = 4,
    stride: int = 4,
    max_words: int = 140,
) -> list[Passage]:
    """Windows of `window` sentences, advancing by `stride`, capped at `max_words`.

    By default they do not overlap: answers are ranked and cited sentence by sentence, so passages
    only bring articles into view, and every passage costs a write to the vector index. Measured
    on dev and dev2: non-overlapping windows of four answer as well as overlapping windows of three
    advancing by two, with 0.6x the passages.
    """
    passages: list[Passage] = []
    i = 0
    while i < len(sentences):
        j = i + 1
        words = len(sentences[i].text.split())
        while j < len(sentences) and j - i < window:
            more = len(sentences[j].text.split())
            if words + more > max_words:
                break
            words += more
            j += 1
        start, end = sentences[i].start, sentences[j - 1].end
        passages.append(
            Passage(
                id=f"{article_id}:{len(passages)}",
                article_id=article_id,
                index=len(passages),
                start=start,
                end=end,
                text=text[start:end],
            )
        )
        if j >= len(sentences):
            break
        i = max(i + 1, min(i + stride, j))
    return passages
