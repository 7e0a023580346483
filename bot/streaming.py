"""The composed answer in small pieces, for the surfaces that stream it (the API's SSE, the UI's chat)."""

from __future__ import annotations

import re
from collections.abc import Iterator


def answer_chunks(text: str, words_per_chunk: int = 3) -> Iterator[str]:
    """The answer in pieces of a few words, split only at whitespace.

    A marker such as "[12]" holds no whitespace, so a client never sees half of one (the bug
    streaming citation processors exist to prevent).
    """
    tokens = re.findall(r"\s*\S+", text)
    for i in range(0, len(tokens), words_per_chunk):
        yield "".join(tokens[i : i + words_per_chunk])
