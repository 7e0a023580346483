"""`briefbot ingest` yields the CPU to questions answered beside it: it lowers its own priority.

Each case runs the real CLI in a process of its own (renicing is for the life of a process), with
the model-free embedder, and reports the niceness the process ran the ingest at.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Runs the CLI's ingest command in-process, then prints the process's niceness and the stored articles.
_PROBE = """
import json, os, sys
from click.testing import CliRunner
from bot.surfaces.cli import main
result = CliRunner().invoke(main, sys.argv[1:], catch_exceptions=False)
print(json.dumps({"exit": result.exit_code, "niceness": os.nice(0), "output": result.output}))
"""


def _ingest(tmp_path: Path, *flags: str, env_nice: str | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "BRIEFBOT_INGEST_NICE"}
    env["BRIEFBOT_EMBEDDER"] = "hash"
    if env_nice is not None:
        env["BRIEFBOT_INGEST_NICE"] = env_nice
    article = ROOT / "samples" / "articles" / "erdogan_putin_sochi_2023.txt"
    args = ["ingest", str(article), "--store", str(tmp_path / "store"), "--no-progress", *flags]
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_ingest_runs_at_the_lowest_priority_by_default(tmp_path: Path) -> None:
    ran = _ingest(tmp_path)
    assert ran["exit"] == 0 and ran["output"].startswith("new")  # it still ingests
    assert ran["niceness"] == 19


def test_the_priority_is_a_setting_and_a_flag(tmp_path: Path) -> None:
    start = os.nice(0)  # a process can only lower its priority: a niced test run stays niced
    assert _ingest(tmp_path / "a", env_nice="7")["niceness"] == max(start, 7)
    assert _ingest(tmp_path / "b", "--nice", "3", env_nice="7")["niceness"] == max(start, 3)
    assert _ingest(tmp_path / "c", "--nice", "0")["niceness"] == start
