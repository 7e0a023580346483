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
