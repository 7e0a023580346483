"""Briefing extraction at ingest: the meetings an article reports, with evidence for every fact.

Run once per article by the ingest pipeline; the store keeps the result as JSON in the article
record, so questions never re-extract. Rule-based over lexicons (see `lexicon.py`): fast enough to
never compete with embedding for the ingest budget, and every offset exact.
"""

from __future__ import annotations

from ingest.extraction.meeting import build_meeting
from ingest.extraction.people import find_people
from ingest.extraction.statements import attribute
from vectorstore.models import Article, Meeting, Sentence

__all__ = ["extract_meetings"]


def extract_meetings(article: Article, sentences: list[Sentence]) -> list[Meeting]:
    """The meeting the article reports (one per article today), or [] when it names no participants."""
    people = find_people(article.text)
    statements = attribute(article.text, sentences, people)
    meeting = build_meeting(article.id, article.text, sentences, people, statements, article.published)
    return [meeting] if meeting else []
