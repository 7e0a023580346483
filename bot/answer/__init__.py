"""Answering without an LLM: question understanding, follow-ups, abstention and cited composition."""
