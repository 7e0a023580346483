"""The reader: the model phrases an answer from Briefbot's evidence; only verified sentences survive.

`read` asks for the whole reply at once (`ask`, `/api/ask`, batch, evaluation); `stream` streams it
(`/api/ask/stream`, the widget, the chat UI). Both pass the reply through one `CitationStream`, so
the same reply ends in the same answer either way. When the model cannot be used (not installed, a
missing file, an HTTP error, a timeout, an empty reply, or no sentence that holds up) the result
says why in `fallback`, and the caller shows the extractive answer.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from langchain_core.embeddings import Embeddings
from langchain_core.language_models.chat_models import BaseChatModel

from bot.models import Answer, Turn
from bot.reader.chat_models import ModelUnavailable, chat_model
from bot.reader.prompt import Evidence, Facts, build_messages
from bot.reader.spec import parse_spec
from bot.reader.stream import Checked, CitationStream
from bot.reader.verify import Verifier
from bot.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class Reading:
    """The model's verified answer, or why there is none (`fallback`), and what verification did."""

    answer: Answer | None = None
    fallback: str | None = None
    checked: list[Checked] = field(default_factory=list)
    written: int = 0  # sentences the model wrote
    dropped: int = 0  # of those, not shown
    seconds: float = 0.0


class Reader:
    """One configured model for the process; the model object is built on first use, once."""

    def __init__(
        self,
        settings: Settings,
        embeddings: Embeddings,
        factory: Callable[[Settings], BaseChatModel] = chat_model,
    ) -> None:
        self.settings = settings
        self.embeddings = embeddings
        self.factory = factory
        self._model: BaseChatModel | None = None
        self._unavailable: str | None = None

    @property
    def label(self) -> str:
        """`openai:MODEL` etc., what the UI's mode line and `eval` name (never the key or the URL)."""
        return parse_spec(self.settings.llm).label

    def model(self) -> BaseChatModel:
        if self._unavailable is not None:
            raise ModelUnavailable(self._unavailable)
        if self._model is None:
            try:
                self._model = self.factory(self.settings)
            except ModelUnavailable as exc:
                self._unavailable = str(exc)  # a missing package or file will not appear mid-run
                raise
        return self._model

    def read(
        self, question: str, base: Answer, evidence: Sequence[Evidence], facts: Facts | None, history: Sequence[Turn]
    ) -> Reading:
        """The whole reply at once."""
        reading = Reading()
        for _ in self._run(question, base, evidence, facts, history, reading, streamed=False):
            pass
        return reading

    def stream(
        self,
        question: str,
        base: Answer,
        evidence: Sequence[Evidence],
        facts: Facts | None,
        history: Sequence[Turn],
        reading: Reading,
    ) -> Iterator[str]:
        """Verified sentences as the model writes them; `reading` holds the outcome when this ends."""
        yield from self._run(question, base, evidence, facts, history, reading, streamed=True)

    def _run(
        self,
        question: str,
        base: Answer,
        evidence: Sequence[Evidence],
        facts: Facts | None,
        history: Sequence[Turn],
        reading: Reading,
        streamed: bool,
    ) -> Iterator[str]:
        started = time.monotonic()
        processor = CitationStream(
            Verifier([e.text for e in evidence], self.embeddings, known=facts.names if facts else ())
        )
        received = ""
        try:
            model = self.model()
            messages = build_messages(question, evidence, facts, history)
            if streamed:
                deadline = time.monotonic() + self.settings.llm_timeout  # the model's time, not set-up
                for chunk in model.stream(messages):
                    if time.monotonic() > deadline:
                        raise TimeoutError(f"the reply took longer than {self.settings.llm_timeout:g} s")
                    piece = _text(chunk.content)
                    received += piece
                    yield from processor.feed(piece)
            else:
                received = _text(model.invoke(messages).content)
                processor.feed(received)
            yield from processor.close()
        except Exception as exc:  # any failure of the model means: answer without it, and say why
            reading.fallback = describe_failure(exc, self.settings.llm_timeout)
            log.warning("the reader model failed (%s); showing the extractive answer", reading.fallback)
        reading.seconds = time.monotonic() - started
        reading.checked, reading.written, reading.dropped = processor.checked, processor.written, processor.dropped
        if reading.fallback is not None:
            return
        if not received.strip():
            reading.fallback = "empty: the model returned no text"
        elif processor.abstained:
            # The engine found evidence it was confident enough to answer from; small models say "the
            # articles don't say" far more often than it is true, so the engine's answer stands.
            reading.fallback = "abstained: the model said the articles don't say"
        elif not processor.shown:
            reading.fallback = (
                f"unsupported: none of the model's {processor.written} sentence(s) was supported by its citations"
            )
        else:
            order = sorted(processor.numbering.items(), key=lambda item: item[1])
            citations = [evidence[n - 1].model_copy(update={"n": shown}) for n, shown in order]
            reading.answer = base.model_copy(
                update={"answer": processor.text, "citations": citations, "mode": "llm", "fallback": None}
            )


def _text(content: object) -> str:
    """A message's text: a string, or the text parts of a list of content blocks."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(p if isinstance(p, str) else str(p.get("text", "")) for p in content if p)
    return ""


def describe_failure(exc: BaseException, timeout: float) -> str:
    """A short, stable reason: `unavailable: ...`, `timeout: ...` or `error: ...` (no stack, no secrets)."""
    if isinstance(exc, ModelUnavailable):
        return f"unavailable: {exc}"
    names = {cls.__name__ for cls in type(exc).__mro__}
    if isinstance(exc, TimeoutError) or any("Timeout" in name for name in names):
        return f"timeout: no complete reply within {timeout:g} s"
    status = getattr(exc, "status_code", None)
    if isinstance(status, int):
        return f"error: the model server answered HTTP {status}"
    if any("Connect" in name for name in names):
        return "error: the model server could not be reached"
    return f"error: {type(exc).__name__}"
