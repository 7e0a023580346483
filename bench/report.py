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
    if s.get("ingest"):
        out += ["", "## Ingest (fresh store, real embedding, no vector cache)", ""]
        out += _ingest_table(s["ingest"])
    editions = results.get("editions") or {}
    if s.get("ingest_editions"):
        out += [
            "",
            f"## Ingest of real article shapes: the gold sets' {editions.get('sources')} articles, "
            f"{editions.get('editions')} editions each ({editions.get('articles')} articles, `bench/editions.py`)",
            "",
        ]
        out += _ingest_table(s["ingest_editions"])
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
    for key, at in s.items():
        if key.startswith("ask_at_") and isinstance(at, dict):
            out += _ask_at(at)
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
    out += ["", "## Targets", ""]
    out += _table(["target", "measured", "met"], _targets(results))
    out += ["", "Figures are wall-clock on a shared machine: compare ratios from the same run, not across runs.", ""]
    return "\n".join(out)


def _ingest_table(ingest: dict) -> list[str]:
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
    return _table(
        ["pipeline", "articles/s", "passages/s", "passages", "wall s", "peak RSS MB", "vs vanilla", "how"], rows
    )


def _ask_at(at: dict) -> list[str]:
    out = [
        "",
        f"## At {at.get('articles'):,} articles (passage vectors from `{at.get('vectors')}`; questions embedded live)",
        "",
    ]
    rows = []
    for name in ["vanilla", *sorted(k for k in at if k.startswith("briefbot-"))]:
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
    out += _table(["pipeline", "ask p50 ms", "p95 ms", "p50 vs vanilla", "answer keys found", "peak RSS MB"], rows)
    store = at.get("briefbot_store") or {}
    disk = at.get("briefbot_disk") or {}
    mutate = at.get("briefbot_add_delete") or {}
    facts = []
    if store.get("seconds_in_process"):
        facts.append(
            f"- Briefbot store built in {store['seconds_in_process']:.0f} s "
            f"({store.get('articles', 0) / store['seconds_in_process']:.1f} articles/s, extraction included, "
            f"{at.get('vectors')} vectors), {store.get('passages', 0):,} passages."
        )
    if disk:
        facts.append(f"- On disk: {disk['mb']:,.0f} MB, {disk['kb_per_article']:.1f} KB per article.")
    if "error" in mutate:
        facts.append(f"- Add/delete one article: error: {mutate['error']}")
    elif mutate:
        add, ask, delete = mutate["add_one"], mutate["first_ask_after_write"], mutate["delete_one"]
        facts.append(
            f"- One article added to the warm store ({mutate['articles_added']} times, real embedding): "
            f"p50 {add['p50_ms']:.0f} ms, max {add['max_ms']:.0f} ms; the first question after it "
            f"p50 {ask['p50_ms']:.0f} ms; deleting it p50 {delete['p50_ms']:.0f} ms, max {delete['max_ms']:.0f} ms; "
            f"peak RSS of that process {mutate['peak_rss_mb']:,.0f} MB."
        )
    return out + (["", *facts] if facts else [])


def _targets(results: dict) -> list[list[str]]:
    s = results.get("sections", {})
    rows = []

    def row(label: str, value, ok: bool | None, fmt: str) -> None:
        rows.append(
            [label, fmt.format(value) if value is not None else "–", "–" if ok is None else ("yes" if ok else "no")]
        )

    for section, corpus in (("ingest", "generated"), ("ingest_editions", "gold-set editions")):
        ingest = s.get(section) or {}
        for name in ("briefbot", "briefbot-onnx"):
            if name not in ingest or "skipped" in ingest[name]:
                continue
            ratio = (ingest.get(name) or {}).get("ratio_articles_per_s_vs_vanilla")
            ok = None if ratio is None else ratio >= 1.5
            row(f"ingest ≥ 1.5× vanilla articles/s, {corpus} ({name})", ratio, ok, "{:.2f}×")
    for key, at in s.items():
        if not key.startswith("ask_at_") or not isinstance(at, dict):
            continue
        # Issue 10: p50 ≤ 30 / p95 ≤ 100 ms at 10k articles, up to twice that at 100k.
        factor = 2 if (at.get("articles") or 0) > 10_000 else 1
        for name in ("briefbot-minilm", "briefbot-onnx"):
            r = at.get(name) or {}
            if r.get("p50_ms") is not None:
                label = f"at {at.get('articles'):,} articles ({name})"
                row(f"ask p50 ≤ {30 * factor} ms {label}", r["p50_ms"], r["p50_ms"] <= 30 * factor, "{:.1f} ms")
                row(f"ask p95 ≤ {100 * factor} ms {label}", r["p95_ms"], r["p95_ms"] <= 100 * factor, "{:.1f} ms")
                if factor > 1:
                    rss = r.get("peak_rss_mb")
                    row(f"peak RSS ≤ 1.5 GB {label}", rss, None if rss is None else rss <= 1536, "{:.0f} MB")
        add = (at.get("briefbot_add_delete") or {}).get("add_one") or {}
        if add.get("max_ms") is not None and (at.get("articles") or 0) > 10_000:
            row(
                f"one-article add ≤ 1 s at {at.get('articles'):,} articles (slowest of "
                f"{at['briefbot_add_delete']['articles_added']})",
                add["max_ms"] / 1000,
                add["max_ms"] <= 1000,
                "{:.2f} s",
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
