"""What the streaming surfaces (the API's SSE, the widget, the UI's chat) receive while an answer is made.

With a reader model, `ChatService.stream` yields `Shown` pieces (whole sentences that passed
verification, already renumbered) and then one `Finished`. Without one, or when the model's answer
is not used, the surface sends the finished answer at once; `answer_chunks` cuts it at whitespace
for transports that send pieces, so a marker such as "[12]" is never split.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.service import Reply


@dataclass(frozen=True)
class Shown:
    """Verified text of the model's answer, to append to what is shown."""

    text: str


@dataclass(frozen=True)
class Finished:
    """The answer is complete. `rest` is the text still to send after what was shown: nothing when the
    model's verified sentences are the answer, else the whole answer. `retract`: model text was shown,
    but the model then failed, so the extractive answer replaces it (the only case in which shown text
    is taken back, and visibly so)."""

    reply: Reply
    rest: str
    retract: bool = False


def answer_chunks(text: str, words_per_chunk: int = 3) -> Iterator[str]:
    """The answer in pieces of a few words, split only at whitespace.

    A marker such as "[12]" holds no whitespace, so a client never sees half of one (the bug
    streaming citation processors exist to prevent).
    """
    tokens = re.findall(r"\s*\S+", text)
    for i in range(0, len(tokens), words_per_chunk):
        yield "".join(tokens[i : i + words_per_chunk])
