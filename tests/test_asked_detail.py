"""What a question names must be in the article, in its words or in words of the same meaning: a topic
named with "about" ("farm imports" is in a report of "agricultural market access", "fentanyl" is in
none of these), and the thing a "How many ...?" question counts ("patrol ships" are the report's
"patrol vessels", not its "police officers"). The fake embedder pins the rules; the real model shows
the threshold holds for its vectors."""

from __future__ import annotations

import numpy as np
import pytest
from langchain_core.embeddings import Embeddings

from bot.answer.abstain import about_missing, count_unmatched
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

    GROUPS = ({"farm", "agricultural"}, {"drug", "pharmaceutical"}, {"ships", "vessels"})

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


COUNTS = [
    ("How many patrol ships is France giving Brazil?", "France will give Brazil five patrol vessels.", False),
    ("How many patrol ships is France giving Brazil?", "France will train 500 Brazilian police officers.", True),
    ("How many patrol ships is France giving Brazil?", "France will give Brazil patrol vessels.", True),  # no number
    ("How many scholarships will France offer?", "France will grant 50 scholarships a year.", False),
    ("How much will the new port cost?", "The port will cut waiting times from three days to one.", True),
    ("How much will the new port cost?", "The port will cost \u20ac250 million.", False),
    ("How much aid did France announce?", "France announced AUD 5 million in aid.", False),
    ("How long did the talks last?", "They talked.", False),  # a duration: the ranker's own check
]


@pytest.mark.parametrize(("question", "sentence", "unmatched"), COUNTS)
def test_the_number_a_question_asks_for_counts_what_it_names(article, question, sentence, unmatched):
    assert count_unmatched(asked(question, article), [sentence], SynonymEmbeddings()) is unmatched


def test_the_real_model_knows_ships_are_vessels_and_troops_are_not_police(article):
    embeddings = get_embeddings("minilm")
    ships = asked("How many patrol ships is France giving Brazil?", article)
    assert not count_unmatched(ships, ["France will give Brazil five patrol vessels."], embeddings)
    troops = asked("How many French troops are deployed in Brazil?", article)
    assert count_unmatched(troops, ["France will train 500 Brazilian police officers."], embeddings)
