"""Fit the reader's support thresholds on gold sets: `python -m bot.reader.fit DIR [DIR ...]`.

The gold sets hold questions, answer keys and the exact sentences that answer them, not model
replies, so the claims are made the way a reader model writes them: the question turned into a
statement with its answer keys ("China ask the US to do at the Munich meeting: lift the illegal
unilateral sanctions"). Each claim is paired with
- its gold evidence sentence: supported;
- the article's other sentences most similar to it that hold no gold evidence and do not state all
  its keys: not supported (what a confused model would cite);
- the evidence of another question on the same article: not supported (a true sentence, the wrong
  claim).
The two thresholds (content-word overlap, embedding similarity) are chosen on a grid to maximise
F0.5 of "supported" (precision counts double: showing an unsupported claim is worse than dropping a
supported one). The report gives each set alone and each set scored with thresholds fit on the other
(a gap there is overfitting). The result is written to `bot/reader/thresholds.py`.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.evaluation import has_key, load_questions, supports
from bot.reader.verify import numbers_stated, overlap, similarity

THRESHOLDS_FILE = Path(__file__).with_name("thresholds.py")
HARD_NEGATIVES = 3
BETA = 0.5
_LEAD = re.compile(
    r"^\s*(?:what|who|whom|whose|where|when|which|why|how(?:\s+\w+)?)\s+(?:did|does|do|was|were|is|are|has|have|had)?\s*",
    re.I,
)


@dataclass
class Pair:
    set_name: str
    claim: str
    cited: list[str]
    supported: bool
    overlap: float = 0.0
    similarity: float = 0.0
    numbers_ok: bool = True


def claim_for(question: str, keys: Sequence) -> str:
    """ "What did China ask the US to do?" + keys -> "China ask the US to do: lift sanctions"."""
    stem = _LEAD.sub("", question).rstrip("?").strip()
    said = [k if isinstance(k, str) else k[0] for k in keys]
    return f"{stem}: {', '.join(said)}" if said else stem


def article_sentences(set_dir: Path) -> dict[str, list[str]]:
    """Each gold article's sentences, as Briefbot's own loader and segmenter read them."""
    from ingest.loaders import load_path
    from ingest.segment import split_sentences
    from vectorstore.models import Article

    out: dict[str, list[str]] = {}
    with (set_dir / "articles.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            meta = json.loads(line)
            doc = next(iter(load_path(set_dir / meta["file"])))
            text = Article.from_loaded(doc).text
            out[meta["id"]] = [s.text for s in split_sentences(text)]
    return out


def pairs_for(set_dir: Path, embed) -> list[Pair]:
    sentences = article_sentences(set_dir)
    questions = [q for q in load_questions(set_dir / "qa.jsonl") if q["type"] != "unanswerable" and q.get("evidence")]
    pairs: list[Pair] = []
    by_article: dict[str, list[dict]] = {}
    for q in questions:
        ids = q["article_id"] if isinstance(q["article_id"], list) else [q["article_id"]]
        for a in ids:
            by_article.setdefault(a, []).append(q)
    for q in questions:
        keys = q.get("answer_keys") or []
        ids = q["article_id"] if isinstance(q["article_id"], list) else [q["article_id"]]
        pool = [s for a in ids for s in sentences.get(a, [])]
        for e in q["evidence"]:
            found = [k for k in keys if has_key(e, k)]
            claim = claim_for(q["question"], found or keys)
            pairs.append(Pair(set_dir.name, claim, [e], True))
            # A sentence that states every key the claim gives may well support it (a headline, a
            # recap): it is neither a clean positive nor a clean negative, so it is left out.
            others = [
                s
                for s in pool
                if not any(supports(s, g) for g in q["evidence"]) and not (found and all(has_key(s, k) for k in found))
            ]
            if others:
                vectors = embed([claim, *others])
                sims = vectors[1:] @ vectors[0]
                for i in np.argsort(-sims)[:HARD_NEGATIVES]:
                    pairs.append(Pair(set_dir.name, claim, [others[i]], False))
        for a in ids:
            for other in by_article.get(a, []):
                if other["id"] == q["id"] or any(supports(x, e) for x in other["evidence"] for e in q["evidence"]):
                    continue
                wrong = claim_for(other["question"], other.get("answer_keys") or [])
                pairs.append(Pair(set_dir.name, wrong, [q["evidence"][0]], False))
                break
    return pairs


def measure(pairs: list[Pair], embed) -> None:
    texts = sorted({p.claim for p in pairs} | {s for p in pairs for s in p.cited})
    vectors = dict(zip(texts, embed(texts)))
    for p in pairs:
        p.overlap = overlap(p.claim, p.cited)
        p.similarity = similarity(vectors[p.claim], np.stack([vectors[s] for s in p.cited]))
        p.numbers_ok = numbers_stated(p.claim, p.cited)


def scores(pairs: list[Pair], t_overlap: float, t_similarity: float) -> dict:
    predicted = [p.overlap >= t_overlap and p.similarity >= t_similarity and p.numbers_ok for p in pairs]
    tp = sum(pr and p.supported for pr, p in zip(predicted, pairs))
    fp = sum(pr and not p.supported for pr, p in zip(predicted, pairs))
    fn = sum(not pr and p.supported for pr, p in zip(predicted, pairs))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    b2 = BETA * BETA
    f = (1 + b2) * precision * recall / (b2 * precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f0.5": round(f, 4)}


def best(pairs: list[Pair]) -> tuple[float, float]:
    grid_o = [round(float(x), 2) for x in np.arange(0.0, 1.0, 0.05)]
    grid_s = [round(float(x), 3) for x in np.arange(0.0, 0.95, 0.025)]
    # Ties go to the more lenient pair (a supported sentence kept), then the lower overlap.
    return max(((o, s) for o in grid_o for s in grid_s), key=lambda t: (scores(pairs, *t)["f0.5"], -t[0], -t[1]))


def run(set_dirs: list[Path], echo=print) -> tuple[float, float]:
    from vectorstore.embeddings import get_embeddings

    model = get_embeddings("minilm-onnx")

    def embed(texts: list[str]) -> np.ndarray:
        m = np.asarray(model.embed_documents(list(texts)), dtype=np.float32)
        return m / np.linalg.norm(m, axis=1, keepdims=True)

    pairs: list[Pair] = []
    for d in set_dirs:
        pairs += pairs_for(d, embed)
    measure(pairs, embed)
    names = [d.name for d in set_dirs]
    for name in names:
        mine = [p for p in pairs if p.set_name == name]
        echo(f"{name}: {sum(p.supported for p in mine)} supported pairs, {sum(not p.supported for p in mine)} not")
    t = best(pairs)
    echo(f"fit on {' + '.join(names)}: min_overlap={t[0]} min_similarity={t[1]}")
    for name in names:
        echo(f"  {name}: {scores([p for p in pairs if p.set_name == name], *t)}")
    if len(names) == 2:
        for fit_on, test_on in (names, names[::-1]):
            own = best([p for p in pairs if p.set_name == fit_on])
            echo(f"  fit on {fit_on} {own} -> {test_on}: {scores([p for p in pairs if p.set_name == test_on], *own)}")
    THRESHOLDS_FILE.write_text(
        '"""Support thresholds for the reader\'s verification, fit on '
        f'{" + ".join(names)} by `python -m bot.reader.fit` (see that module for how)."""\n\n'
        f"MIN_OVERLAP = {t[0]}\nMIN_SIMILARITY = {t[1]}\n",
        encoding="utf-8",
    )
    return t


if __name__ == "__main__":
    run([Path(a) for a in sys.argv[1:]] or [Path("../shared/eval/dev"), Path("../shared/eval/dev2")])
