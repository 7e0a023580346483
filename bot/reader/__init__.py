"""The optional reader: a chat model that phrases the answer from the evidence the engine chose.

The extractive engine (`bot.answering`) still decides what the answer rests on; the reader only
rewrites it in fluent sentences, and every sentence it writes is checked against the sentences it
cites before anyone sees it (`bot.reader.verify`). Nothing in this package imports a model library
at import time: `bot.reader.chat_models` does that, and only when a model is configured.

- `spec`: the `BRIEFBOT_LLM` value (`none`, `openai:MODEL`, `ollama:MODEL`, `local:PATH.gguf`).
- `prompt`: the numbered evidence lines and the instructions the model gets.
- `chat_models`: the LangChain chat model for a spec (lazy imports; `local:` runs xllamacpp).
- `claims`: the model's text split into sentences and their [n] markers, also as it streams.
- `verify`: whether a sentence is supported by what it cites (thresholds in `thresholds`, fit by `fit`).
- `stream`: the citation processor that releases only whole, verified, renumbered sentences.
- `reader`: the reader itself, whole or streamed, with the reason when it falls back.
"""
