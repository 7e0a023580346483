"""The load test's figures: throughput, latency percentiles and errors, per scenario and surface.

"ask" is what the issue's latency target is about: the JSON API's two ask routes (`/api/ask` and
`/api/ask/stream`, to the whole response). The UI's chat event is reported on its own, because
it streams an answer with short pauses on purpose: its time to the whole response measures those
pauses, its time to the first piece of the answer is the comparable figure.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from bench.load_client import SURFACES, Sample
from bench.measure import percentile

ASK_SURFACES = ("ask", "stream")
ASK_P95_TARGET_MS = 500.0


def latency(values: Sequence[float]) -> dict:
    return {
        "n": len(values),
        "p50_ms": percentile(values, 50),
        "p95_ms": percentile(values, 95),
        "p99_ms": percentile(values, 99),
        "max_ms": max(values) if values else None,
    }


def summarize(samples: Sequence[Sample], seconds: float) -> dict:
    """Figures of one scenario. Latencies count answered questions only; errors are counted apart."""
    ok = [s for s in samples if s.outcome == "ok"]
    outcomes = Counter(s.outcome for s in samples)
    errors = {k: n for k, n in outcomes.items() if k not in ("ok", "429")}
    surfaces = {}
    for surface in SURFACES:
        mine = [s for s in ok if s.surface == surface]
        entry = {"requests": sum(s.surface == surface for s in samples), **latency([s.ms for s in mine])}
        firsts = [s.first_ms for s in mine if s.first_ms is not None]
        if firsts:
            entry["first_piece"] = latency(firsts)
        surfaces[surface] = entry
    return {
        "seconds": round(seconds, 2),
        "requests": len(samples),
        "answered": len(ok),
        "requests_per_s": round(len(samples) / seconds, 2) if seconds > 0 else None,
        "answered_per_s": round(len(ok) / seconds, 2) if seconds > 0 else None,
        "refused_429": outcomes.get("429", 0),
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "ask": latency([s.ms for s in ok if s.surface in ASK_SURFACES]),
        "surfaces": surfaces,
        "timeline": timeline(ok),
    }


def timeline(samples: Iterable[Sample], bucket_s: float = 10.0) -> list[dict]:
    """Ask latency per 10-second slice of the run: shows whether slow answers come in bursts
    (each a write landing) or all along."""
    buckets: dict[int, list[float]] = {}
    for s in samples:
        if s.surface in ASK_SURFACES:
            buckets.setdefault(int(s.sent_s // bucket_s), []).append(s.ms)
    return [
        {"from_s": k * bucket_s, "n": len(v), "p50_ms": percentile(v, 50), "p95_ms": percentile(v, 95)}
        for k, v in sorted(buckets.items())
    ]


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


def render_markdown(results: dict) -> str:
    """A short table per scenario, the ingest's progress, and the targets."""
    lines = [
        "# Load test",
        "",
        f"{results['when']}, {results['machine'].get('cpu', '?')} ({results['machine'].get('cores', '?')} cores), "
        f"load average before the run {results.get('load_average_before', '?')}.",
        f"Command: `{results['command']}`",
        "",
        "| scenario | requests | req/s | errors | 429 | ask p50 / p95 / p99 ms | UI first piece p50 / p95 ms | UI whole p95 ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, run in results["scenarios"].items():
        if "error" in run:
            lines.append(f"| {name} | failed: {run['error']} | | | | | | |")
            continue
        ask = run["ask"]
        ui = run["surfaces"]["ui"]
        first = ui.get("first_piece", {})
        lines.append(
            f"| {name} ({run['description']}) | {run['requests']} | {run['requests_per_s']} | {run['errors']} | "
            f"{run['refused_429']} | {_ms(ask['p50_ms'])} / {_ms(ask['p95_ms'])} / {_ms(ask['p99_ms'])} | "
            f"{_ms(first.get('p50_ms'))} / {_ms(first.get('p95_ms'))} | {_ms(ui['p95_ms'])} |"
        )
    lines.append("")
    for name, run in results["scenarios"].items():
        ingest = run.get("ingest")
        if ingest:
            lines.append(
                f"- {name}: the ingest stored {ingest['stored_in_window']} of {ingest['articles']} articles during the "
                f"{run['seconds']:.0f} s window ({ingest['articles_per_s_in_window']} articles/s); "
                + (
                    f"it finished in {ingest['seconds']:.0f} s."
                    if ingest.get("finished")
                    else "it was still running when the window closed and was stopped."
                )
            )
        if run.get("error_kinds"):
            lines.append(f"- {name}: errors by kind {run['error_kinds']}")
    lines += ["", "Targets: " + "; ".join(targets(results)), ""]
    return "\n".join(lines)


def targets(results: dict) -> list[str]:
    out = []
    for name, run in results["scenarios"].items():
        if "error" in run:
            continue
        errors = "0 errors — met" if run["errors"] == 0 else f"{run['errors']} errors — not met"
        line = f"{name}: {errors}"
        if run.get("ingest") and run["ask"]["p95_ms"] is not None:
            met = run["ask"]["p95_ms"] <= ASK_P95_TARGET_MS
            line += (
                f", ask p95 {run['ask']['p95_ms']:.0f} ms ≤ {ASK_P95_TARGET_MS:.0f} ms — {'met' if met else 'not met'}"
            )
        out.append(line)
    return out


def write_report(results: dict, out_dir: Path, name: str = "load") -> tuple[Path, Path]:
    import json

    out_dir.mkdir(parents=True, exist_ok=True)
    json_path, md_path = out_dir / f"{name}.json", out_dir / f"{name}.md"
    json_path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")
    md_path.write_text(render_markdown(results), "utf-8")
    return json_path, md_path
