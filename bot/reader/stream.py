"""The citation processor: the model's text in, only whole, verified, renumbered sentences out.

Chosen behaviour: **hold back each sentence until it is verified**, never stream-then-retract. A
sentence is released once the next one has begun (or the reply has ended), checked against the
evidence it cites, and shown only if supported; its markers are rewritten to the numbers of the
citations shown (1, 2, ... in order of first use), and markers that point past the evidence are
removed. So a reader never sees a half marker ("[1"), a number that changes, or a claim that is
later taken back; the price is that text appears a sentence at a time rather than a word at a time.
The whole reply and the streamed reply go through this one class, so both end in the same answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.reader.claims import MARKER, Claim, ClaimSplitter, is_abstention
from bot.reader.verify import Support, Verifier


@dataclass
class Checked:
    """What happened to one sentence the model wrote (for tests, `ask --json` and evaluation)."""

    text: str
    shown: bool
    reason: str  # "supported", "no citation", "citation out of range", "not supported"
    support: Support | None = None
    dropped_markers: list[int] = field(default_factory=list)


class CitationStream:
    """Feed the model's text as it arrives; each call returns the sentences that may be shown now."""

    def __init__(self, verifier: Verifier) -> None:
        self.verifier = verifier
        self.splitter = ClaimSplitter()
        self.numbering: dict[int, int] = {}  # evidence number -> number shown
        self.checked: list[Checked] = []
        self.shown: list[str] = []
        self.abstained = False

    @property
    def evidence_count(self) -> int:
        return len(self.verifier.evidence)

    def feed(self, text: str) -> list[str]:
        return [s for s in (self._release(c) for c in self.splitter.feed(text)) if s]

    def close(self) -> list[str]:
        """The reply has ended: the last sentence, if it holds up."""
        out = [s for s in (self._release(c) for c in self.splitter.close()) if s]
        if not self.shown and len(self.checked) == 1 and is_abstention(self.checked[0].text):
            self.abstained = True
        return out

    @property
    def written(self) -> int:
        """Sentences the model wrote (an exact "The articles don't say." is an answer, not a claim)."""
        return 0 if self.abstained else len(self.checked)

    @property
    def dropped(self) -> int:
        return 0 if self.abstained else sum(not c.shown for c in self.checked)

    def _release(self, claim: Claim) -> str | None:
        in_range = [n for n in claim.numbers if 1 <= n <= self.evidence_count]
        out_of_range = [n for n in claim.numbers if n not in in_range]
        if not claim.numbers:
            self.checked.append(Checked(claim.text, False, "no citation"))
            return None
        if not in_range:
            self.checked.append(Checked(claim.text, False, "citation out of range", dropped_markers=out_of_range))
            return None
        support = self.verifier.check(claim.text, in_range)
        if not support.supported:
            self.checked.append(Checked(claim.text, False, "not supported", support, out_of_range))
            return None
        for n in in_range:
            self.numbering.setdefault(n, len(self.numbering) + 1)
        text = self._renumbered(claim.raw)
        self.checked.append(Checked(text, True, "supported", support, out_of_range))
        shown = text if not self.shown else " " + text
        self.shown.append(text)
        return shown

    def _renumbered(self, raw: str) -> str:
        """Markers rewritten to the numbers shown, out-of-range ones removed, one group per place."""

        def rewrite(match) -> str:
            numbers = [int(n) for n in match.group(1).replace(";", ",").split(",")]
            kept = [self.numbering[n] for n in numbers if n in self.numbering]
            return "".join(f"[{n}]" for n in dict.fromkeys(kept))

        text = MARKER.sub(rewrite, raw)
        text = " ".join(text.split())
        return text.replace(" .", ".").replace(" ,", ",")

    @property
    def text(self) -> str:
        return " ".join(self.shown)
