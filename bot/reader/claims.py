"""The model's text as sentences ("claims") and the [n] markers each carries, whole or as it streams.

One splitter serves both the finished reply and the streamed one: `ClaimSplitter.feed` releases a
sentence only once the start of the next one has arrived (or at `close`), so a marker written after
the full stop ("... sanctions. [2] Blinken ...") stays with its sentence, and a marker still being
written ("[1") is never cut in two. The same text therefore splits the same way whether it arrives
in one piece or in a hundred.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# "[1]", "[1, 2]", "[1][3]"; the numbers are read from every group.
MARKER = re.compile(r"\[\s*(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\s*\]")
# A sentence ends at . ! ? (then any closing quotes or brackets, then any markers), before
# whitespace and the start of the next sentence, which is not a lower-case word or a marker.
_BOUNDARY = re.compile(
    r"[.!?][\"'\u201d\u2019)]*((?:\s*\[\s*\d{1,3}(?:\s*[,;]\s*\d{1,3})*\s*\])*)[ \t]+(?=[^\s\[a-z])"
    r"|[.!?][\"'\u201d\u2019)]*((?:\s*\[\s*\d{1,3}(?:\s*[,;]\s*\d{1,3})*\s*\])*)[ \t]*\n"
    r"|\n"
)
# Words that end with a full stop without ending the sentence.
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sen", "rep", "gov", "pres", "st",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "vs", "etc",
    "inc", "co", "corp", "jr", "sr", "amb", "adm",
}  # fmt: skip
_LIST_LEAD = re.compile(r"^\s*(?:[-*\u2022]+|\d{1,2}[.)])\s+")
ABSTENTION = "The articles don't say."
_ABSTENTION_NORM = "the articles don't say"


@dataclass
class Claim:
    """One sentence the model wrote: its text as written, and the evidence numbers it cites."""

    raw: str
    numbers: list[int] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The sentence without its markers: what is compared with the cited evidence."""
        return re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r"\s+", " ", MARKER.sub(" ", self.raw))).strip()


def markers_in(text: str) -> list[int]:
    """Every number the text cites, in order, once each."""
    seen: list[int] = []
    for group in MARKER.findall(text):
        for number in re.split(r"\s*[,;]\s*", group.strip()):
            n = int(number)
            if n not in seen:
                seen.append(n)
    return seen


def is_abstention(text: str) -> bool:
    """The reply the prompt asks for when the evidence does not answer (quotes and case aside)."""
    plain = re.sub(r"\s+", " ", text.replace("\u2019", "'")).strip().rstrip(".").strip().casefold()
    return plain == _ABSTENTION_NORM


def _abbreviation_before(text: str, end: int) -> bool:
    """ "U.S." or "Gen." before a full stop does not end a sentence."""
    if text[end] != ".":
        return False
    word = re.search(r"([A-Za-z][A-Za-z.]*)$", text[:end])
    if not word:
        return False
    token = word.group(1)
    return "." in token or len(token) == 1 or token.casefold() in _ABBREVIATIONS


def _claim(raw: str) -> Claim | None:
    raw = _LIST_LEAD.sub("", raw).strip()
    raw = re.sub(r"^\*\*|\*\*$", "", raw).strip()  # markdown bold the model may wrap a line in
    if not raw or not re.search(r"\w", MARKER.sub("", raw)):
        return None
    return Claim(raw=raw, numbers=markers_in(raw))


class ClaimSplitter:
    """Feed text as it arrives; get back the sentences that are complete."""

    def __init__(self) -> None:
        self.buffer = ""

    def feed(self, text: str) -> list[Claim]:
        self.buffer += text
        out: list[Claim] = []
        start = 0
        for match in _BOUNDARY.finditer(self.buffer):
            if match.group(0) != "\n" and _abbreviation_before(self.buffer, match.start()):
                continue
            cut = match.end()
            claim = _claim(self.buffer[start:cut])
            if claim is not None:
                out.append(claim)
            start = cut
        self.buffer = self.buffer[start:]
        return out

    def close(self) -> list[Claim]:
        """What is left once the reply has ended: the last sentence."""
        rest, self.buffer = self.buffer, ""
        claim = _claim(rest)
        return [claim] if claim is not None else []


def split_claims(text: str) -> list[Claim]:
    """The whole reply's sentences (what the streamed path yields for the same text)."""
    splitter = ClaimSplitter()
    return splitter.feed(text) + splitter.close()
