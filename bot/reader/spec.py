"""What `BRIEFBOT_LLM` names: no model, a model on an OpenAI-compatible or Ollama server, or a GGUF file.

Parsed once, in the settings, so a typo fails at start-up with the accepted forms instead of turning
every answer into a fallback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Provider = Literal["none", "openai", "ollama", "local"]
FORMS = "`none`, `openai:MODEL`, `ollama:MODEL` or `local:PATH.gguf`"


@dataclass(frozen=True)
class LLMSpec:
    provider: Provider
    model: str = ""

    @property
    def text(self) -> str:
        return "none" if self.provider == "none" else f"{self.provider}:{self.model}"

    @property
    def label(self) -> str:
        """What the UI and /healthz may show: the model, and of a local file only its name."""
        if self.provider == "local":
            return f"local:{self.model.replace(chr(92), '/').rsplit('/', 1)[-1]}"
        return self.text

    @property
    def configured(self) -> bool:
        return self.provider != "none"


def parse_spec(value: str | None) -> LLMSpec:
    """`openai:gpt-4o-mini` -> LLMSpec("openai", "gpt-4o-mini"); empty or `none` -> no model."""
    text = (value or "").strip()
    if text.casefold() in ("", "none", "off", "0"):
        return LLMSpec("none")
    provider, sep, model = text.partition(":")
    provider = provider.strip().casefold()
    model = model.strip()
    if not sep or provider not in ("openai", "ollama", "local") or not model:
        raise ValueError(f"BRIEFBOT_LLM must be {FORMS}, got {value!r}")
    if provider == "local" and not model.casefold().endswith(".gguf"):
        raise ValueError(f"local: takes the path of a .gguf file, got {model!r}")
    return LLMSpec(provider, model)  # type: ignore[arg-type]
