"""A topic named with "about" must be in the article, in the question's words or in words of the same
meaning: "farm imports" is in a report of "agricultural market access", "fentanyl" is in none of
these. The fake embedder pins the rule; the real model shows the threshold holds for its vectors."""

from __future__ import annotations

import numpy as np
import pytest
from langchain_core.embeddings import Embeddings

from bot.answer.abstain import about_missing
from bot.answer.catalog import build_catalog
from bot.answer.question import parse
from ingest.extraction import extract_meetings
from ingest.segment import split_sentences
from vectorstore.embeddings import get_embeddings
from vectorstore.models import Article

REPORT = """Silva and Dubois meet in Paris

Brazilian President Marco Silva met French Foreign Minister Claire Dubois in Paris on Friday.
Silva pressed France to widen agricultural market access for Brazilian beef and soybeans.
Dubois asked Brazil to speed up approvals for pharmaceutical companies.
"""


@pytest.fixture(scope="module")
def article() -> Article:
    article = Article(id="a1", title="Silva and Dubois meet in Paris", source="t.txt", text=REPORT)
    article.meetings = extract_meetings(article, split_sentences(REPORT))
    return article


class SynonymEmbeddings(Embeddings):
    """Words of one group share a direction; every other word gets its own."""

    GROUPS = ({"farm", "agricultural"}, {"drug", "pharmaceutical"})

    def _vector(self, text: str) -> list[float]:
        word = text.casefold()
        group = next((i for i, g in enumerate(self.GROUPS) if word in g), None)
        index = group if group is not None else len(self.GROUPS) + (sum(map(ord, word)) % 50)
        vector = np.zeros(64)
        vector[index] = 1.0
        return vector.tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)


def asked(question: str, article: Article):
    return parse(question, build_catalog([article]))


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("What did Silva want France to do about farm imports?", False),  # "agricultural"
        ("What did Dubois request regarding drug makers?", False),  # "pharmaceutical"
        ("What did Silva say about beef?", False),  # the article's own word
        ("What did Silva and Dubois agree about fentanyl?", True),
    ],
)
def test_a_topic_in_other_words_is_in_the_article(article, question, missing):
    assert about_missing(asked(question, article), article, SynonymEmbeddings()) is missing


def test_without_embeddings_only_the_words_count(article):
    assert about_missing(asked("What did Silva want France to do about farm imports?", article), article)


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("What did Silva want France to do about farm imports?", False),
        ("What did Dubois request regarding drug makers?", False),
        ("What did Silva and Dubois agree about fentanyl?", True),
        ("What did Silva and Dubois say about the ceasefire?", True),
    ],
)
def test_the_real_model_tells_a_paraphrase_from_an_absent_topic(article, question, missing):
    assert about_missing(asked(question, article), article, get_embeddings("minilm")) is missing
