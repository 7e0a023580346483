"""`briefbot eval` on seed, dev and dev2, and on the sets written for the project (`bench/written`),
each on its own store, with the default embedder: no figure drops below the floor the README states
for it (a ratchet: floors rise with the figures).

The floors are read from the README's table between the `eval-floors` markers, so the number a
user reads there is the number CI holds the bot to.
"""

from __future__ import annotations

import json
import re

import pytest

from bot.evaluation import run_eval
from bot.settings import Settings
from tests.conftest import ROOT

pytestmark = pytest.mark.integration

_MAXIMA = {"false_abstain", "answer_words"}


def readme_floors() -> dict[str, dict[str, float]]:
    text = (ROOT / "README.md").read_text("utf-8")
    table = text.split("<!-- eval-floors -->")[1].split("<!-- /eval-floors -->")[0]
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in table.splitlines() if "|" in line]
    header = [re.sub(r"\s*\(.*\)$", "", h) for h in rows[0][1:]]
    return {row[0]: dict(zip(header, map(float, row[1:]))) for row in rows[2:]}


WRITTEN = ROOT / "bench" / "written"
GOLD_SETS = ["seed", "dev", "dev2"]
WRITTEN_SETS = sorted(f"written-{d.name}" for d in WRITTEN.iterdir() if (d / "qa.jsonl").exists())


def test_the_readme_states_a_floor_for_every_set_and_metric():
    floors = readme_floors()
    assert WRITTEN_SETS and set(floors) == {*GOLD_SETS, *WRITTEN_SETS}
    for values in floors.values():
        assert set(values) == {"full_answer", "cite_precision", "cite_recall", "abstain_ok"} | _MAXIMA


@pytest.mark.parametrize("gold_set", [*GOLD_SETS, *WRITTEN_SETS])
def test_eval_holds_the_readme_floors(request, tmp_path, gold_set):
    # The gold sets live in ../shared; the written ones in the repo, so they run without it.
    if gold_set in WRITTEN_SETS:
        folder = WRITTEN / gold_set.removeprefix("written-")
    else:
        folder = request.getfixturevalue("eval_dir") / gold_set
    lines: list[str] = []
    report = tmp_path / "report.jsonl"
    summary = run_eval(
        folder / "qa.jsonl",
        folder / "articles",
        report=report,
        as_json=False,
        echo=lines.append,
        settings=Settings(store=tmp_path / "store", chroma_url=None),
    )
    questions = [json.loads(line) for line in (folder / "qa.jsonl").read_text("utf-8").splitlines() if line]
    assert summary["questions"] == len(questions) and summary["missing"] == 0
    rows = [json.loads(line) for line in report.read_text("utf-8").splitlines()]
    assert [r["id"] for r in rows] == [q["id"] for q in questions]
    missed = {}
    for name, floor in readme_floors()[gold_set].items():
        value = summary[name]
        if (value > floor) if name in _MAXIMA else (value < floor):
            missed[name] = (value, floor)
    failures = [f"{r['id']}: {r['question']} -> {r['answer'][:120]}" for r in rows if not r["ok"]]
    assert not missed, f"{gold_set}: below the README floors {missed}; failing questions:\n" + "\n".join(failures)
