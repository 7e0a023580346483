"""The shipped weights are what `briefbot fit-ranker` makes from the gold sets: anyone can reproduce them."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from bot.answer.ranker import WEIGHTS_FILE
from bot.surfaces.cli import main

pytestmark = pytest.mark.integration


def test_fit_ranker_reproduces_the_shipped_weights(eval_dir, tmp_path):
    out = tmp_path / "weights.json"
    result = CliRunner().invoke(main, ["fit-ranker", str(eval_dir / "dev"), str(eval_dir / "dev2"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    fitted, shipped = json.loads(out.read_text("utf-8")), json.loads(WEIGHTS_FILE.read_text("utf-8"))
    assert fitted["weights"] == pytest.approx(shipped["weights"], abs=2e-3)
    for key in ("abstain_above", "add_ratio", "add_floor"):
        assert fitted[key] == pytest.approx(shipped[key], abs=2e-3)
    assert fitted["fit"]["sets"] == ["dev", "dev2"]
    # The report gives the ranker's out-of-fold recall per set, the figure the README quotes.
    assert '"recall@1"' in result.output and '"cross_validated_answers"' in result.output


def test_the_tie_break_between_two_fits_rewards_the_gold_evidences_share_of_probability():
    from types import SimpleNamespace

    import numpy as np

    from bot.answer.fit import gold_log_share, recall_at

    rankings = [SimpleNamespace(answerable=True, labels=np.array([1, 0, 0]))]
    sure, unsure = [np.array([0.9, 0.05, 0.05])], [np.array([0.4, 0.3, 0.3])]
    # Both put the gold sentence first, so recall@1 ties; the one surer of it wins the tie.
    assert recall_at(rankings, sure, 1) == recall_at(rankings, unsure, 1) == 1.0
    assert gold_log_share(rankings, sure) > gold_log_share(rankings, unsure)
    assert gold_log_share([SimpleNamespace(answerable=False, labels=np.array([0]))], [np.array([0.5])]) == 0.0


def test_the_abstention_threshold_sits_on_a_held_out_probability_itself_not_a_rounded_one():
    import numpy as np

    from bot.answer.fit import best_threshold

    # An answerable question at 0.95034 and two unanswerable ones above it, one at 0.97258.
    held_out = np.array([0.2, 0.95034, 0.97258, 0.99])
    unanswerable = np.array([False, False, True, True])
    threshold = best_threshold(held_out, unanswerable)
    # Both unanswerable questions are above it, and no answerable one (rounded candidates 0.9503 and
    # 0.9726 put the first above its own value and left the second out).
    assert (held_out > threshold).tolist() == [False, False, True, True]


def _ranked(text: str, question: str):
    """A report written for the test ranked for a question, with one-hot sentence vectors (the third
    sentence is the question's): the question, its candidates and their feature rows."""
    import numpy as np

    from bot.answer.catalog import Catalog
    from bot.answer.features import ArticleContext, featurize
    from bot.answer.question import parse
    from ingest.segment import split_sentences
    from vectorstore.models import Article

    article = Article(id="t1", title=text.split("\n")[0], source="t.txt", text=text)
    sentences = split_sentences(text)
    vectors = np.eye(len(sentences), 8, dtype=np.float32)
    context = ArticleContext(article, None, sentences, vectors, {}, focus=0.0, rank=0)
    q = parse(question, Catalog())
    candidates, matrix = featurize(q, vectors[2], [context])
    return q, candidates, matrix


def test_a_list_item_the_answer_brings_along_is_scored_by_the_gold_evidence() -> None:
    """A joint statement's numbered points come with their lead-in whether or not they were ranked; the
    runner-up rule's search must score them, not fail on them."""
    import numpy as np

    from bot.answer.fit import CHOICE_BETA, Ranking, _choice_f1

    text = (
        "Joint statement\nThe two foreign ministers met in Valletta on Monday.\n"
        "The two sides agreed on the following:\n1. To expand the port of Marsaxlokk.\n2. To open a consulate in Gozo.\n"
    )
    q, candidates, matrix = _ranked(text, "What did the two sides agree?")
    texts = [c.sentence.text for c in candidates]
    # the lead-in and the first point were ranked, the second point was not; both points are the evidence
    kept = [i for i, t in enumerate(texts) if "following" in t or "Marsaxlokk" in t]
    assert len(kept) == 2, texts
    labels = np.array(["Marsaxlokk" in texts[i] for i in kept])
    evidence = ("To expand the port of Marsaxlokk.", "To open a consulate in Gozo.")

    def f_beta(evidence: tuple[str, ...]) -> float:
        ranking = Ranking("js", "q1", "js/1", True, q, [candidates[i] for i in kept], matrix[kept], labels, evidence)
        return _choice_f1([ranking], [np.where(labels, 0.9, 0.8)], 0.7, 0.05)

    # the second point, brought along with the list, is a hit by the gold evidence, not a wrong citation:
    # two hits and the lead-in, which supports nothing, give F-beta (1 + b2) 2 / ((1 + b2) 2 + 1)
    b2 = CHOICE_BETA**2
    assert f_beta(evidence) == pytest.approx((1 + b2) * 2 / ((1 + b2) * 2 + 1))
    assert f_beta(evidence[:1]) == pytest.approx((1 + b2) / ((1 + b2) + 2))


def test_the_runner_up_rule_is_chosen_by_the_full_answers_it_finds() -> None:
    """A list question whose second item scores well below the first, in a sentence the gold evidence
    does not list: only a loose rule answers it in full, and a tight one has the better citation
    F-beta. The search takes the full answer; when every rule answers as fully, the F-beta decides."""
    import numpy as np

    from bot.answer.fit import Ranking, _choice_f1, _keys_found, choose_rule

    text = (
        "Ministers meet in Valletta\nThe two foreign ministers met in Valletta on Monday.\n"
        "They agreed to open a consulate in Gozo.\nThe weather was fine.\n"
        "The ministers agreed to expand the port of Marsaxlokk.\n"
    )
    q, candidates, matrix = _ranked(text, "What was agreed at the talks?")
    texts = [c.sentence.text for c in candidates]
    gozo = texts.index("They agreed to open a consulate in Gozo.")
    port = texts.index("The ministers agreed to expand the port of Marsaxlokk.")
    probabilities = np.full(len(candidates), 0.01)
    probabilities[gozo], probabilities[port] = 0.8, 0.4  # the second item at half the first's score
    labels = np.zeros(len(candidates), dtype=bool)
    labels[gozo] = True  # the gold evidence lists only the first item's sentence

    def ranking(keys: tuple[str, ...]) -> Ranking:
        return Ranking("mv", "q1", "mv/1", True, q, candidates, matrix, labels, (texts[gozo],), keys)

    both_items = ranking(("Gozo", "Marsaxlokk"))
    assert _keys_found([both_items], [probabilities], 0.3, 0.05) == 1  # both items: a full answer
    assert _keys_found([both_items], [probabilities], 0.7, 0.05) == 0  # the second one left out
    # the tight rule cites only gold evidence, so the F-beta alone would choose it
    assert _choice_f1([both_items], [probabilities], 0.7, 0.05) > _choice_f1([both_items], [probabilities], 0.3, 0.05)
    ratio, floor = choose_rule([both_items], [probabilities])
    assert _keys_found([both_items], [probabilities], ratio, floor) == 1
    # asked for the first item only, every rule answers in full: the F-beta picks a rule that leaves
    # the second sentence out
    ratio, floor = choose_rule([ranking(("Gozo",))], [probabilities])
    assert ratio * 0.8 > 0.4 or floor > 0.4
