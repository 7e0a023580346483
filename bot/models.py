"""What an answer is: text with [n] markers and the one numbered list of citations they point at."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class Citation(BaseModel):
    """One numbered source. `text` is the cited sentence; `start`/`end` locate it in the article."""

    n: int
    article_id: str
    title: str
    source: str
    text: str
    start: int
    end: int

    def public(self) -> dict:
        """The exact shape of the CLI's and the API's JSON (an evaluation contract: keep it)."""
        return self.model_dump(include={"n", "article_id", "title", "source", "text", "start", "end"})


class Focus(BaseModel):
    """What an answer was about, kept with it for the next turn: a follow-up ("What did he urge?")
    is resolved against the last answer's meeting, speaker and the people it named."""

    intent: str | None = None
    actor: str | None = None  # the speaker asked about
    actor_side: str | None = None
    article_ids: list[str] = Field(default_factory=list)  # the meeting(s) the answer came from
    answered_people: list[str] = Field(default_factory=list)  # who a who-met answer named
    why: list[dict] = Field(default_factory=list)  # each cited sentence's probability and main features


class Answer(BaseModel):
    question: str
    answer: str
    abstained: bool = False
    citations: list[Citation] = Field(default_factory=list)
    # What the question was understood as, after follow-up resolution; kept for the next turn.
    resolved_question: str | None = None
    focus: Focus = Field(default_factory=Focus)
    # Set only when a reader model is configured (BRIEFBOT_LLM): who phrased the answer, and why the
    # model's answer is not the one shown. Without a model the JSON shape stays exactly as it was.
    mode: Literal["llm", "extractive"] | None = None
    fallback: str | None = None

    def public(self) -> dict:
        """The answer as the CLI, the API and evaluation print it: one shape, written once."""
        out = {
            "answer": self.answer,
            "abstained": self.abstained,
            "citations": [c.public() for c in self.citations],
        }
        if self.mode is not None:
            out["mode"] = self.mode
            if self.fallback:
                out["fallback"] = self.fallback
        return out


class Turn(BaseModel):
    """One exchange of a conversation, as the follow-up resolver needs it."""

    question: str
    answer: Answer
