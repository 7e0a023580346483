"""Briefing extraction: the meetings an article reports (first cut; deepened by the answers work)."""

from __future__ import annotations

from ingest.models import Article, Meeting, Sentence


def extract_meetings(article: Article, sentences: list[Sentence]) -> list[Meeting]:
    """No structured facts yet: answers come from ranked sentences until extraction lands."""
    return []
