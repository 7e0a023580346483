"""`briefbot fit-ranker`: fit the answer engine's weights on gold question sets, cross-validated by article.

Data: each gold set (a folder with `articles/` and `qa.jsonl`, the shape of ../shared/eval) is
ingested into a temporary store with the real embedder, and every question is asked through the
real pipeline. Each candidate sentence the pipeline ranks becomes a row of features; it is a
positive when it holds one of the question's gold evidence sentences (the scorer's own rule).

Collection always ranks with `PRIOR` (a fixed, hand-readable starting point), never with the
weights being replaced, so the fitted file depends only on the gold sets and the code: running
the command twice gives the same file, which a test checks.

Fit: L2-regularised logistic regression (scikit-learn). Its strength C, the abstention threshold
and the runner-up rule are chosen on out-of-fold predictions, with folds by article: no question is
scored by weights that saw its article. The report gives each set's evidence recall@1/@3 of the
ranker and the answer metrics, both from those out-of-fold weights.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from bot.answer.compose import Ranked, best_first, choose
from bot.answer.features import ABSTAIN_NAMES, NAMES, abstention_features
from bot.answer.question import Question
from bot.answer.ranker import WEIGHTS_FILE, RankerWeights
from bot.components import Components
from bot.evaluation import has_key, load_questions, score, summarise, supports
from bot.models import Answer, Turn

# The starting point collection ranks with: semantic and lexical match first, the obvious signs
# of a headline or of another speaker against. Only follow-up context depends on it.
PRIOR = RankerWeights(
    weights={
        "dense": 6.0,
        "lexical": 3.0,
        "actor_said": 1.0,
        "actor_other_side": -0.5,
        "kind": 1.0,
        "meeting_sentence@meet": 1.0,
        "date_asked": 1.0,
        "place_asked": 1.0,
        "headline": -2.0,
    },
    intercept=-5.0,
    add_ratio=0.8,
    add_floor=0.2,
)
C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
ADD_RATIOS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
ADD_FLOORS = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5)
FALSE_ABSTAIN_COST = 2.0  # a wrong abstention costs twice a missed one: users came for answers
ABSTAIN_C = 0.3
# Among runner-up rules that answer as many questions in full, the one with the best F-beta of the
# citations, with beta < 1: a citation that supports nothing misleads a reader more than a missing second one.
CHOICE_BETA = 0.7


@dataclass
class Ranking:
    """One question's ranking as the pipeline saw it."""

    set_name: str
    qid: str
    group: str  # the article it is about: folds never split one
    answerable: bool
    q: Question
    candidates: list[Ranked]
    matrix: np.ndarray
    labels: np.ndarray
    # the gold evidence, which scores a sentence the answer brings along without ranking it (a joint
    # statement's numbered points come with their lead-in)
    evidence: Sequence[str] = ()
    # the gold answer keys (each a string or a list of alternatives), which the runner-up rule is chosen by
    keys: Sequence[str | Sequence[str]] = ()


@dataclass
class Collected:
    rankings: list[Ranking] = field(default_factory=list)
    questions: dict[str, list[dict]] = field(default_factory=dict)  # set name -> gold questions
    stores: dict[str, Components] = field(default_factory=dict)  # set name -> the set, ingested


def _group(set_name: str, item: dict) -> str:
    article = item.get("article_id")
    if isinstance(article, list):
        article = article[0] if article else None
    return f"{set_name}/{article}" if article else f"{set_name}/none"


def collect(set_dirs: Sequence[Path], workdir: Path, embedder: str = "minilm-onnx") -> Collected:
    from bot.settings import Settings

    out = Collected()
    for set_dir in set_dirs:
        name = set_dir.name
        components = Components(Settings(store=workdir / name / "store", chroma_url=None, embedder=embedder))
        failed = [r for r in components.ingest.ingest_paths([set_dir / "articles"]) if r.status == "failed"]
        if failed:
            raise RuntimeError(f"{set_dir}: could not ingest {[r.source for r in failed]}")
        questions = load_questions(set_dir / "qa.jsonl")
        out.questions[name] = questions
        out.stores[name] = components
        for item, _answer, seen in _ask_in_order(components, questions, lambda item: PRIOR):
            if not seen:
                continue  # abstained on its anchors before any ranking
            q, candidates, matrix = seen[0]
            evidence = item.get("evidence") or []
            labels = np.asarray([any(supports(c.sentence.text, e) for e in evidence) for c in candidates], dtype=bool)
            out.rankings.append(
                Ranking(
                    name,
                    item["id"],
                    _group(name, item),
                    item["type"] != "unanswerable",
                    q,
                    candidates,
                    matrix,
                    labels,
                    tuple(evidence),
                    tuple(item.get("answer_keys") or ()),
                )
            )
    return out


def _ask_in_order(
    components: Components, questions: list[dict], weights_for: Callable[[dict], RankerWeights]
) -> Iterator[tuple[dict, Answer, list[tuple[Question, list[Ranked], np.ndarray]]]]:
    """Each question answered in file order (a session's turns see the earlier ones) with the weights
    given for it, and the rankings the engine made on the way."""
    from bot.answering import compose_answer

    histories: dict[str, list[Turn]] = {}
    for item in questions:
        session = item.get("session")
        history = histories.setdefault(str(session), []) if session is not None else []
        seen: list[tuple[Question, list[Ranked], np.ndarray]] = []

        def observe(q: Question, c: list[Ranked], m: np.ndarray, seen: list = seen) -> None:
            seen.append((q, c, m))

        answer = compose_answer(
            item["question"],
            list(history),
            components.store,
            components.retriever,
            components.embeddings,
            weights=weights_for(item),
            observe=observe,
        )
        history.append(Turn(question=item["question"], answer=answer))
        yield item, answer, seen


def _fit(rankings: Sequence[Ranking], c: float) -> tuple[np.ndarray, float]:
    from sklearn.linear_model import LogisticRegression

    train = [r for r in rankings if r.answerable and r.labels.any()]
    x = np.vstack([r.matrix for r in train]).astype(np.float64)
    y = np.concatenate([r.labels for r in train])
    # Standardised, so the penalty treats every feature alike whatever its scale; mapped back to
    # weights on the raw features, which is what the engine multiplies.
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=5000)
    model.fit((x - mean) / scale, y)
    coef = model.coef_[0] / scale
    return coef, float(model.intercept_[0] - coef @ mean)


def _folds(rankings: Sequence[Ranking]) -> list[str]:
    return sorted({r.group for r in rankings})


def out_of_fold(rankings: Sequence[Ranking], c: float) -> tuple[list[np.ndarray], dict[str, tuple[np.ndarray, float]]]:
    """Each ranking's probabilities from weights fit without its article; and each fold's weights."""
    per_fold: dict[str, tuple[np.ndarray, float]] = {}
    probabilities: list[np.ndarray] = []
    for group in _folds(rankings):
        train = [r for r in rankings if r.group != group]
        per_fold[group] = _fit(train, c)
    for r in rankings:
        coef, intercept = per_fold[r.group]
        probabilities.append(1.0 / (1.0 + np.exp(-(r.matrix.astype(np.float64) @ coef + intercept))))
    return probabilities, per_fold


def recall_at(rankings: Sequence[Ranking], probabilities: Sequence[np.ndarray], k: int) -> float | None:
    """Share of answerable questions with gold evidence whose top k sentences hold one of it."""
    hits, total = 0, 0
    for r, p in zip(rankings, probabilities):
        if not r.answerable or not len(r.labels):
            continue
        total += 1
        top = np.argsort(-p, kind="stable")[:k]
        hits += bool(r.labels[top].any())
    return round(hits / total, 3) if total else None


def gold_log_share(rankings: Sequence[Ranking], probabilities: Sequence[np.ndarray]) -> float:
    """Mean over answerable questions with gold evidence of the log of the gold sentences' share of the
    question's probability mass (0 when the gold holds it all)."""
    logs = [
        float(np.log(max(1e-12, p[r.labels.astype(bool)].sum() / p.sum())))
        for r, p in zip(rankings, probabilities)
        if r.answerable and len(r.labels) and r.labels.any()
    ]
    return round(float(np.mean(logs)), 4) if logs else 0.0


def _abstention_rows(rankings: Sequence[Ranking], probabilities: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    rows, unanswerable = [], []
    for r, p in zip(rankings, probabilities):
        if not len(p):
            continue
        rows.append(abstention_features(r.q, r.candidates, r.matrix, p))
        unanswerable.append(not r.answerable)
    return np.vstack(rows), np.asarray(unanswerable)


def _fit_abstention(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=ABSTAIN_C, class_weight="balanced", max_iter=5000)
    model.fit((x - mean) / scale, y)
    coef = model.coef_[0] / scale
    return coef, float(model.intercept_[0] - coef @ mean)


def best_threshold(held_out: np.ndarray, unanswerable: np.ndarray) -> float:
    """The abstention threshold with the most unanswerable questions above it, less FALSE_ABSTAIN_COST
    for each answerable one, among the held-out probabilities themselves (unrounded: a rounded-down
    candidate would put the question it came from above its own threshold)."""
    best_gain, threshold = 0.0, 1.0
    for t in sorted(set(held_out.tolist())):
        flagged = held_out > t
        gain = float((flagged & unanswerable).sum() - FALSE_ABSTAIN_COST * (flagged & ~unanswerable).sum())
        if gain > best_gain:
            best_gain, threshold = gain, float(t)
    return threshold


def fit_abstention(
    rankings: Sequence[Ranking], probabilities: Sequence[np.ndarray]
) -> tuple[np.ndarray, float, float, dict]:
    """The question-level abstention model, and its threshold chosen on out-of-fold predictions."""
    ranked = [(r, p) for r, p in zip(rankings, probabilities) if len(p)]
    x, y = _abstention_rows([r for r, _ in ranked], [p for _, p in ranked])
    groups = np.asarray([r.group for r, _ in ranked])
    held_out = np.zeros(len(y))
    for group in sorted(set(groups)):
        train = groups != group
        if y[train].all() or not y[train].any():
            held_out[~train] = 0.0
            continue
        coef, intercept = _fit_abstention(x[train], y[train])
        held_out[~train] = 1.0 / (1.0 + np.exp(-(x[~train] @ coef + intercept)))
    threshold = best_threshold(held_out, y)
    flagged = held_out > threshold
    stats = {
        "ranked_unanswerable": int(y.sum()),
        "ranked_answerable": int((~y).sum()),
        "abstained_unanswerable": int((flagged & y).sum()),
        "abstained_answerable": int((flagged & ~y).sum()),
    }
    coef, intercept = _fit_abstention(x, y)
    return coef, intercept, threshold, stats


def _choice_f1(rankings: Sequence[Ranking], probabilities: Sequence[np.ndarray], ratio: float, floor: float) -> float:
    """Citation F-beta of `choose` with this runner-up rule, over answerable rankings (out-of-fold). A
    sentence brought along without being ranked is a hit when it holds gold evidence; a missed one
    counts against recall only when it was ranked (labels are per ranked sentence)."""
    tp = fp = fn = 0
    for r, p in zip(rankings, probabilities):
        if not _rule_decides(r) or not r.labels.any():
            continue
        scored = [replace(c, score=float(pi)) for c, pi in zip(r.candidates, p)]
        label_of = {(c.article.id, c.sentence.start): lab for c, lab in zip(scored, r.labels)}
        chosen = choose(best_first(scored), r.q, ratio, floor)
        ranked_hits = sum(bool(label_of.get((c.article.id, c.sentence.start))) for c in chosen)
        brought = [c for c in chosen if (c.article.id, c.sentence.start) not in label_of]
        hit = ranked_hits + sum(any(supports(c.sentence.text, e) for e in r.evidence) for c in brought)
        tp += hit
        fp += len(chosen) - hit
        fn += int(r.labels.sum()) - ranked_hits
    beta2 = CHOICE_BETA**2
    return (1 + beta2) * tp / ((1 + beta2) * tp + beta2 * fn + fp) if tp else 0.0


def _rule_decides(r: Ranking) -> bool:
    """An answerable question whose answer `choose` makes: not a two-part question (a sentence per part)
    nor a question for someone's title (the sentence that gives it)."""
    return r.answerable and not r.q.parts and not r.q.asks_title


def _keys_found(rankings: Sequence[Ranking], probabilities: Sequence[np.ndarray], ratio: float, floor: float) -> int:
    """Questions whose chosen sentences hold every answer key (out-of-fold): a proxy for the full
    answers a reader judges the engine by (no abstention, no direct answer). Citation F-beta alone does
    not track them: a list question's second and third items are what a full answer needs, and they
    cost precision when a runner-up misses."""
    found = 0
    for r, p in zip(rankings, probabilities):
        if not _rule_decides(r) or not r.keys:
            continue
        scored = [replace(c, score=float(pi)) for c, pi in zip(r.candidates, p)]
        text = " ".join(c.sentence.text for c in choose(best_first(scored), r.q, ratio, floor))
        found += all(has_key(text, key) for key in r.keys)
    return found


def choose_rule(rankings: Sequence[Ranking], probabilities: Sequence[np.ndarray]) -> tuple[float, float]:
    """The runner-up rule (ratio, floor) that answers the most questions in full, out of fold; among
    those, the one with the best citation F-beta."""
    return max(
        ((r, f) for r in ADD_RATIOS for f in ADD_FLOORS),
        key=lambda rf: (_keys_found(rankings, probabilities, *rf), _choice_f1(rankings, probabilities, *rf)),
    )


def fit(collected: Collected, echo: Callable[[str], None] = print) -> tuple[RankerWeights, dict]:
    rankings = collected.rankings
    # C is chosen for the set it serves worst, not for the pooled questions: the pooled figure leans to
    # the larger set, and a C that buys one set's recall with the other's is tuning to one set.
    # Recall@1 moves by whole questions, so two values of C often tie on it; the tie goes to the one
    # whose worse set gives its gold evidence the larger mean log share of each question's probability
    # (a smooth measure of the same ranking).
    set_names = sorted({r.set_name for r in rankings})
    best_c, best_key = C_GRID[0], (-1.0, -np.inf)
    for c in C_GRID:
        probabilities, _ = out_of_fold(rankings, c)
        per_set: dict[str, float] = {}
        gold_share: dict[str, float] = {}
        for name in set_names:
            mine = [(r, p) for r, p in zip(rankings, probabilities) if r.set_name == name]
            recall = recall_at([r for r, _ in mine], [p for _, p in mine], 1)
            if recall is not None:  # a set with no answerable question says nothing about C
                per_set[name] = recall
                gold_share[name] = gold_log_share([r for r, _ in mine], [p for _, p in mine])
        key = (min(per_set.values(), default=0.0), min(gold_share.values(), default=0.0))
        echo(f"C={c}: out-of-fold recall@1 {per_set}, gold log share {gold_share} (worst set {key})")
        if key > best_key:
            best_c, best_key = c, key
    probabilities, per_fold = out_of_fold(rankings, best_c)
    a_coef, a_intercept, a_threshold, a_stats = fit_abstention(rankings, probabilities)
    abstain_weights = {name: round(float(w), 4) for name, w in zip(ABSTAIN_NAMES, a_coef)}
    abstain_intercept, abstain_above = round(a_intercept, 4), round(a_threshold, 4)
    ratio, floor = choose_rule(rankings, probabilities)
    report: dict = {"C": best_c, "add_ratio": ratio, "add_floor": floor, "abstention": a_stats, "sets": {}}
    for name in collected.questions:
        mine = [(r, p) for r, p in zip(rankings, probabilities) if r.set_name == name]
        rs, ps = [r for r, _ in mine], [p for _, p in mine]
        report["sets"][name] = {
            "questions": len(collected.questions[name]),
            "ranked": len(rs),
            "recall@1": recall_at(rs, ps, 1),
            "recall@3": recall_at(rs, ps, 3),
        }
    coef, intercept = _fit(rankings, best_c)
    fitted = RankerWeights(
        weights={name: round(float(w), 4) for name, w in zip(NAMES, coef)},
        intercept=round(intercept, 4),
        add_ratio=ratio,
        add_floor=floor,
        fit={
            "sets": sorted(collected.questions),
            "rows": int(sum(len(r.labels) for r in rankings)),
            "positives": int(sum(r.labels.sum() for r in rankings)),
            "folds": "by article (leave one article out)",
            "C": best_c,
            "out_of_fold": report["sets"],
            "abstention_out_of_fold": a_stats,
        },
        abstain_weights=abstain_weights,
        abstain_intercept=abstain_intercept,
        abstain_above=abstain_above,
    )
    fold_weights = {
        group: RankerWeights(
            weights={name: float(w) for name, w in zip(NAMES, coef_)},
            intercept=icpt,
            add_ratio=ratio,
            add_floor=floor,
            abstain_weights=abstain_weights,
            abstain_intercept=abstain_intercept,
            abstain_above=abstain_above,
        )
        for group, (coef_, icpt) in per_fold.items()
    }
    report["fold_weights"] = fold_weights
    return fitted, report


def cross_validated_answers(collected: Collected, fold_weights: dict[str, RankerWeights]) -> dict[str, dict]:
    """Each set's answer metrics, every question answered with the weights of the fold that left its
    article out: the honest estimate of how the engine does on articles it was not fit on."""

    summaries = {}
    for name, questions in collected.questions.items():
        components = collected.stores[name]

        def weights_for(item: dict, name: str = name) -> RankerWeights:
            return fold_weights.get(_group(name, item)) or next(iter(fold_weights.values()))

        asked = _ask_in_order(components, questions, weights_for)
        predictions = [{"id": item["id"], **answer.public()} for item, answer, _ in asked]
        summary = summarise(score(questions, predictions))
        summary.pop("by_type", None)
        summaries[name] = summary
    return summaries


def run(set_dirs: Sequence[Path], out: Path = WEIGHTS_FILE, echo: Callable[[str], None] = print) -> dict:
    with tempfile.TemporaryDirectory(prefix="briefbot-fit-") as tmp:
        collected = collect(set_dirs, Path(tmp))
        fitted, report = fit(collected, echo)
        cv_answers = cross_validated_answers(collected, report.pop("fold_weights"))
    report["cross_validated_answers"] = cv_answers
    fitted.fit["cross_validated_answers"] = cv_answers
    out.write_text(json.dumps(fitted.to_json(), indent=1, sort_keys=False) + "\n", encoding="utf-8")
    echo(json.dumps(report, indent=1))
    return report
