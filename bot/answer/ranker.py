"""The sentence scorer: a logistic model over `bot.answer.features`, with weights fit on labelled data.

Why a linear model: every weight has a name and a sign a reader can check ("a sentence by the
speaker asked about: +1.4"), an answer can show why a sentence won (its largest contributions),
and it fits in a second on a few hundred labelled questions without overfitting them the way a
hand-tuned rule set did. The weights, the abstention threshold and the runner-up rule live in
`ranker_weights.json`, written by `briefbot fit-ranker` (`bot/answer/fit.py`) from gold question
sets with cross-validation by article; nothing in this module is tuned by hand.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from bot.answer.features import ABSTAIN_NAMES, NAMES

WEIGHTS_FILE = Path(__file__).with_name("ranker_weights.json")


@dataclass(frozen=True)
class RankerWeights:
    """A fitted model: one weight per feature name, and the decision thresholds fit with it."""

    weights: dict[str, float]
    intercept: float
    add_ratio: float  # a runner-up joins the answer when its probability is this share of the best's ...
    add_floor: float  # ... and at least this
    fit: dict = field(default_factory=dict)  # provenance: the sets, the folds, the cross-validated figures
    # A second, question-level model: the chance that the articles do not answer at all
    # (`features.abstention_features`); the engine abstains above `abstain_above`.
    abstain_weights: dict[str, float] = field(default_factory=dict)
    abstain_intercept: float = -10.0
    abstain_above: float = 1.0

    @property
    def vector(self) -> np.ndarray:
        return np.asarray([self.weights.get(name, 0.0) for name in NAMES], dtype=np.float64)

    def probabilities(self, matrix: np.ndarray) -> np.ndarray:
        if not len(matrix):
            return np.zeros(0)
        return 1.0 / (1.0 + np.exp(-(matrix.astype(np.float64) @ self.vector + self.intercept)))

    def unanswerable(self, features: np.ndarray) -> float:
        w = np.asarray([self.abstain_weights.get(name, 0.0) for name in ABSTAIN_NAMES], dtype=np.float64)
        return float(1.0 / (1.0 + np.exp(-(features @ w + self.abstain_intercept))))

    def explain(self, row: np.ndarray, top: int = 6) -> dict[str, float]:
        """The features that moved this sentence's score most, with their contributions (logits)."""
        contributions = row.astype(np.float64) * self.vector
        order = np.argsort(-np.abs(contributions))[:top]
        return {NAMES[i]: round(float(contributions[i]), 3) for i in order if contributions[i] != 0}

    def to_json(self) -> dict:
        return {
            "intercept": self.intercept,
            "add_ratio": self.add_ratio,
            "add_floor": self.add_floor,
            "weights": {name: self.weights.get(name, 0.0) for name in NAMES},
            "abstain_intercept": self.abstain_intercept,
            "abstain_above": self.abstain_above,
            "abstain_weights": {name: self.abstain_weights.get(name, 0.0) for name in ABSTAIN_NAMES},
            "fit": self.fit,
        }

    @classmethod
    def from_json(cls, data: dict) -> RankerWeights:
        return cls(
            weights={k: float(v) for k, v in data["weights"].items()},
            intercept=float(data["intercept"]),
            add_ratio=float(data["add_ratio"]),
            add_floor=float(data["add_floor"]),
            fit=data.get("fit", {}),
            abstain_weights={k: float(v) for k, v in data.get("abstain_weights", {}).items()},
            abstain_intercept=float(data.get("abstain_intercept", -10.0)),
            abstain_above=float(data.get("abstain_above", 1.0)),
        )


@lru_cache(maxsize=4)
def load_weights(path: Path = WEIGHTS_FILE) -> RankerWeights:
    return RankerWeights.from_json(json.loads(path.read_text(encoding="utf-8")))
