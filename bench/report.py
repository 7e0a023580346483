"""Turn a benchmark result tree into latest.json and a Markdown table (latest.md).

The Markdown says, next to each figure, how it was taken (real embedding, cached vectors, synthetic
vectors), because a number without its method invites the wrong comparison.
"""

from __future__ import annotations

import json
from pathlib import Path

TARGETS = {
    "ingest_ratio": 1.5,
    "ask_p50_ms": 30.0,
    "ask_p95_ms": 100.0,
    "cold_cli_s": 5.0,
    "server_page_s": 5.0,
    "rss_mb": 1536.0,
}


def _f(value, digits: int = 1, suffix: str = "") -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}{suffix}"
    return f"{value}{suffix}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return lines


def render_markdown(results: dict) -> str:
    m = results.get("machine", {})
    c = results.get("corpus", {})
    s = results.get("sections", {})
    out = [
        "# Briefbot vs the LangChain tutorial pipeline",
        "",
        *(
            ["**Smoke run: model-free fake embedders everywhere; these figures check the harness, not speed.**", ""]
            if results.get("args", {}).get("smoke")
            else []
        ),
        f"Run `{results.get('command', '')}` started {results.get('started', '')}, finished "
        f"{results.get('finished', '')}.",
        "",
        f"Machine: {m.get('cpus')} CPUs ({m.get('cpu_model')}), {m.get('ram_gb')} GB RAM, Python {m.get('python')}, "
        f"load average at start {m.get('load_average_at_start')}; "
        + ", ".join(f"{k} {v}" for k, v in (m.get("versions") or {}).items())
        + ".",
        "",
        f"Corpus: {c.get('articles')} generated meeting reports (seed {c.get('seed')}), {c.get('words'):,} words, "
        f"{c.get('distinct_people')} distinct people, {c.get('distinct_places')} distinct places; "
        f"{c.get('questions')} questions (10% unanswerable)."
        if c
        else "",
        "",
        "Ratios are Briefbot / vanilla from this run. Vanilla = `RecursiveCharacterTextSplitter(1000, 200)` + "
        "`HuggingFaceEmbeddings` (same all-MiniLM-L6-v2 weights) + `Chroma.from_documents` + "
        "`as_retriever(k=4).invoke(q)`; its answer is four chunks, Briefbot's is a composed answer with citations.",
    ]
    ingest = s.get("ingest")
    if ingest:
        out += ["", "## Ingest (fresh store, real embedding, no vector cache)", ""]
        rows = []
        for name, r in ingest.items():
            if not isinstance(r, dict):
                continue
            if "error" in r or "skipped" in r:
                note = "error: " + r["error"] if "error" in r else "not run: " + r["skipped"]
                rows.append([name, note, "", "", "", "", "", ""])
                continue
            rows.append(
                [
                    name,
                    _f(r.get("articles_per_s"), 2),
                    _f(r.get("passages_per_s"), 1),
                    _f(r.get("passages")),
                    _f(r.get("wall_s"), 1),
                    _f(r.get("peak_rss_mb"), 0),
                    _f(r.get("ratio_articles_per_s_vs_vanilla"), 2, "×"),
                    r.get("how", ""),
                ]
            )
        out += _table(
            ["pipeline", "articles/s", "passages/s", "passages", "wall s", "peak RSS MB", "vs vanilla", "how"], rows
        )
    ask = s.get("ask")
    if ask:
        out += ["", f"## Ask on the {c.get('articles')}-article stores (warm: in-process, after a first question)", ""]
        rows = []
        for name, r in ask.items():
            if not isinstance(r, dict) or name == "onnx_vs_minilm_answers" or name == "section_seconds":
                continue
            if "error" in r:
                rows.append([name, "error: " + r["error"], "", "", "", "", "", "", ""])
                continue
            rows.append(
                [
                    name,
                    _f(r.get("cold_first_answer_s"), 2, " s"),
                    _f(r.get("p50_ms"), 1),
                    _f(r.get("p95_ms"), 1),
                    _f(r.get("ratio_p50_vs_vanilla"), 2, "×"),
                    _f(r.get("key_recall"), 2),
                    _f(r.get("abstained_on_unanswerable"), 2),
                    _f(r.get("peak_rss_mb"), 0),
                    r.get("answer", ""),
                ]
            )
        out += _table(
            [
                "pipeline",
                "cold: start → 1st answer",
                "p50 ms",
                "p95 ms",
                "p50 vs vanilla",
                "answer keys found",
                "abstained (unanswerable)",
                "peak RSS MB",
                "answer",
            ],
            rows,
        )
        agree = ask.get("onnx_vs_minilm_answers")
        if agree:
            out += [
                "",
                f"Same question, int8 ONNX query embedder vs sentence-transformers: same answer text "
                f"{agree['same_answer']}/{agree['questions']}, same citations {agree['same_citations']}/"
                f"{agree['questions']}.",
            ]
    server = s.get("server")
    if server:
        out += ["", "## Server cold start (`briefbot serve` on the ingest store)", ""]
        if "error" in server:
            out.append(f"Not measured: {server['error']}")
        else:
            http = server.get("http_ask") or {}
            out += _table(
                [
                    "start → first page",
                    "start → first /api/ask answer",
                    "start → chat UI page",
                    "warm /api/ask p50 ms",
                    "peak RSS MB",
                ],
                [
                    [
                        _f(server.get("first_page_s"), 2, " s"),
                        _f(server.get("first_answer_s"), 2, " s"),
                        _f(server.get("first_ui_page_s"), 2, " s"),
                        _f(http.get("p50_ms"), 1),
                        _f(server.get("peak_rss_mb"), 0),
                    ]
                ],
            )
    at = s.get("ask_at_scale")
    if at:
        out += [
            "",
            f"## Ask at {at.get('articles')} articles (passage vectors from a cached `{at.get('vectors')}` vector "
            "file; questions embedded live)",
            "",
        ]
        rows = []
        for name in ["vanilla", *sorted(k for k in at if k.startswith("briefbot-") and k != "briefbot_store")]:
            r = at.get(name)
            if not isinstance(r, dict):
                continue
            if "error" in r:
                rows.append([name, "error: " + r["error"], "", "", "", ""])
                continue
            rows.append(
                [
                    name,
                    _f(r.get("p50_ms"), 1),
                    _f(r.get("p95_ms"), 1),
                    _f(r.get("ratio_p50_vs_vanilla"), 2, "×"),
                    _f(r.get("key_recall"), 2),
                    _f(r.get("peak_rss_mb"), 0),
                ]
            )
        out += _table(["pipeline", "p50 ms", "p95 ms", "p50 vs vanilla", "answer keys found", "peak RSS MB"], rows)
    scale_rows = []
    for key, sc in s.items():
        if not key.startswith("scale_"):
            continue
        n = sc.get("passages")
        for name, label in (("vanilla", "vanilla retriever"), ("briefbot-retrieve", "briefbot hybrid retrieve")):
            r = sc.get(name)
            if r:
                scale_rows.append(
                    [f"{n:,}", label, _f(r.get("p50_ms"), 1), _f(r.get("p95_ms"), 1), _f(r.get("peak_rss_mb"), 0)]
                    if "error" not in r
                    else [f"{n:,}", label, "error: " + r["error"], "", ""]
                )
        r = sc.get("briefbot-warm")
        if r:
            scale_rows.append(
                [
                    f"{n:,}",
                    "briefbot full ask",
                    _f(r.get("p50_ms"), 1),
                    _f(r.get("p95_ms"), 1),
                    _f(r.get("peak_rss_mb"), 0),
                ]
                if "error" not in r
                else [f"{n:,}", "briefbot full ask", "error: " + r["error"], "", ""]
            )
    if scale_rows:
        out += [
            "",
            "## Retrieval-only scaling (synthetic passage vectors, real question embedding, no extraction)",
            "",
        ]
        out += _table(["passages", "path", "p50 ms", "p95 ms", "peak RSS MB"], scale_rows)
    out += ["", "## Targets (issue 6)", ""]
    out += _table(["target", "measured", "met"], _targets(results))
    out += ["", "Figures are wall-clock on a shared machine: compare ratios from the same run, not across runs.", ""]
    return "\n".join(out)


def _targets(results: dict) -> list[list[str]]:
    s = results.get("sections", {})
    rows = []

    def row(label: str, value, ok: bool | None, fmt: str) -> None:
        rows.append(
            [label, fmt.format(value) if value is not None else "–", "–" if ok is None else ("yes" if ok else "no")]
        )

    ingest = s.get("ingest", {})
    for name in ("briefbot", "briefbot-onnx"):
        if name not in ingest or "skipped" in ingest[name]:
            continue
        ratio = (ingest.get(name) or {}).get("ratio_articles_per_s_vs_vanilla")
        row(f"ingest ≥ 1.5× vanilla articles/s ({name})", ratio, None if ratio is None else ratio >= 1.5, "{:.2f}×")
    at = s.get("ask_at_scale") or {}
    for name in ("briefbot-minilm", "briefbot-onnx"):
        r = at.get(name) or {}
        if r.get("p50_ms") is not None:
            row(
                f"ask p50 ≤ 30 ms at {at.get('articles')} articles ({name})",
                r["p50_ms"],
                r["p50_ms"] <= 30,
                "{:.1f} ms",
            )
            row(
                f"ask p95 ≤ 100 ms at {at.get('articles')} articles ({name})",
                r["p95_ms"],
                r["p95_ms"] <= 100,
                "{:.1f} ms",
            )
    ask = s.get("ask", {})
    for name, label in (("briefbot-cli", "`briefbot ask`"), ("briefbot-onnx", "ONNX query embedder (runner)")):
        cold = (ask.get(name) or {}).get("cold_first_answer_s")
        if cold is not None:
            row(f"first CLI answer ≤ 5 s: {label}", cold, cold <= 5, "{:.2f} s")
    server = s.get("server") or {}
    page = server.get("first_page_s")
    row("server first page ≤ 5 s", page, None if page is None else page <= 5, "{:.2f} s")
    for key, sc in s.items():
        if key.startswith("scale_"):
            w = sc.get("briefbot-warm") or {}
            if w.get("peak_rss_mb") is not None:
                row(
                    f"peak RSS ≤ 1.5 GB serving {sc['passages']:,} passages",
                    w["peak_rss_mb"],
                    w["peak_rss_mb"] <= 1536,
                    "{:.0f} MB",
                )
    return rows


def write_report(results: dict, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    # Paths inside the checkout are written relative to it: the results are committed and read elsewhere.
    text = json.dumps(results, indent=2, ensure_ascii=False).replace(str(Path(__file__).resolve().parent.parent), ".")
    (out_dir / "latest.json").write_text(text, "utf-8")
    (out_dir / "latest.md").write_text(render_markdown(results), "utf-8")


if __name__ == "__main__":
    import sys

    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "results"
    data = json.loads((folder / "latest.json").read_text("utf-8"))
    print(render_markdown(data))
