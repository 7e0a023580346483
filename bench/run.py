"""The benchmark harness: Briefbot vs the LangChain tutorial pipeline, one command, one table.

    python -m bench.run --articles 1000 --seed 7                       # ingest + ask + cold starts at 1k
    python -m bench.run --articles 1000 --ask-articles 10000           # + ask latency at 10k (cached vectors)
    python -m bench.run --articles 1000 --scale-passages 100000,1000000  # + retrieval-only scaling

Every figure comes from child processes on the same corpus in the same run, and each ratio is
Briefbot / vanilla from that run. What is measured how:

- ingest: each pipeline ingests the generated corpus into a fresh store with real embedding (no
  vector cache); Briefbot through its CLI (`briefbot ingest`, extraction included) and, as a second
  row, in-process with the int8 ONNX embedder (what the CLI gives once the setting offers it).
- cold start: process start -> first answer line of `briefbot ask --batch` (vs the vanilla script's
  first retrieval); server start -> first page and -> first /api/ask answer.
- warm ask: in-process latency of `ChatService.ask` (the full answer) vs `retriever.invoke`, after a
  first question; p50/p95 over the question file.
- ask at 10k: stores built from a vector file computed once per (seed, size, pipeline, embedder).
- scaling: retrieval-only stores with synthetic vectors (see bench/scale.py).

Writes bench/results/latest.json and latest.md (after each section, so a long run keeps what it has).
No figure here is asserted anywhere: tests check behaviour, never time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.corpus import write_corpus
from bench.editions import write_editions
from bench.measure import ROOT, child_env, latency_summary, machine_facts, run_child
from bench.report import write_report

PY = sys.executable
# Which embedders the runs use; `--smoke` swaps in model-free fakes so the harness itself can be
# tested end to end in seconds (its figures then mean nothing).
VANILLA_EMBEDDER = "hf"
RUNNER_EMBEDDERS = ["minilm", "onnx"]


def briefbot_cli() -> list[str]:
    """The installed `briefbot` script when present (what users run), else `python -m bot.surfaces.cli`."""
    script = Path(PY).with_name("briefbot")
    return [str(script)] if script.exists() else [PY, "-m", "bot.surfaces.cli"]


def ensure_corpus(work: Path, articles: int, seed: int, questions: int) -> Path:
    folder = work / f"corpus-s{seed}-n{articles}"
    manifest = folder / "manifest.json"
    try:
        data = json.loads(manifest.read_text("utf-8"))
        if data.get("articles") == articles and data.get("seed") == seed and data.get("questions") == questions:
            return folder
    except (OSError, ValueError):
        pass
    shutil.rmtree(folder, ignore_errors=True)
    write_corpus(folder, articles, seed, questions)
    return folder


def fresh(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _fail(run, what: str) -> dict:
    return {"error": f"{what} exited {run.returncode}", "stderr_tail": run.stderr_tail[-1500:]}


def default_embedder() -> str:
    """The embedder the CLI uses when none is set: the CLI rows are labelled with it."""
    try:
        from bot.settings import Settings

        return str(Settings().embedder)
    except Exception:
        return "?"


def settings_accept(embedder: str) -> bool:
    """Whether Briefbot's settings offer this embedder name (the ONNX path, once wired)."""
    try:
        from bot.settings import Settings

        Settings(embedder=embedder)
        return True
    except Exception:
        return False


# -- sections ------------------------------------------------------------------------------------


def bench_ingest(corpus: Path, work: Path, run_vanilla: bool, variants: list[str]) -> dict:
    articles_dir = corpus / "articles"
    out: dict = {}
    if run_vanilla:
        store = fresh(work / "stores" / "ingest-vanilla")
        cmd = [PY, "-m", "bench.vanilla", "ingest", str(articles_dir), str(store), "--embedder", VANILLA_EMBEDDER]
        out["vanilla"] = _ingest_row(run_child(cmd), "vanilla ingest")
    if "cli" in variants:
        store = fresh(work / "stores" / "ingest-briefbot")
        run = run_child([*briefbot_cli(), "ingest", str(articles_dir), "--store", str(store)])
        row = _cli_ingest_row(run, corpus)
        row["how"] += f"; embedder {os.environ.get('BRIEFBOT_EMBEDDER') or default_embedder()}"
        out["briefbot"] = row
    if "onnx" in variants and (os.environ.get("BRIEFBOT_EMBEDDER") or default_embedder()) == "minilm-onnx":
        out["briefbot-onnx"] = {
            "skipped": "the briefbot row above is the CLI with the int8 ONNX embedder (the default)"
        }
    elif "onnx" in variants:
        store = fresh(work / "stores" / "ingest-briefbot-onnx")
        if settings_accept("minilm-onnx"):
            env = child_env({"BRIEFBOT_EMBEDDER": "minilm-onnx"})
            run = run_child([*briefbot_cli(), "ingest", str(articles_dir), "--store", str(store)], env=env)
            row = _cli_ingest_row(run, corpus)
            row["how"] = "briefbot CLI, BRIEFBOT_EMBEDDER=minilm-onnx"
        else:
            cmd = [PY, "-m", "bench.briefbot_runner", "ingest", str(articles_dir), str(store), "--embedder", "onnx"]
            row = _ingest_row(run_child(cmd), "briefbot onnx ingest")
            row["how"] = "in-process IngestService with the int8 ONNX embedder (not yet a setting)"
        out["briefbot-onnx"] = row
    vanilla = out.get("vanilla", {})
    for name, row in out.items():
        if name != "vanilla" and vanilla.get("articles_per_s") and row.get("articles_per_s"):
            row["ratio_articles_per_s_vs_vanilla"] = row["articles_per_s"] / vanilla["articles_per_s"]
    return out


def _ingest_row(run, what: str) -> dict:
    if run.returncode != 0:
        return _fail(run, what)
    data = run.last_json()
    return {
        "articles": data["articles"],
        "passages": data["passages"],
        "wall_s": run.seconds,
        "in_process_s": data["seconds_in_process"],
        "articles_per_s": data["articles"] / run.seconds,
        "passages_per_s": data["passages"] / run.seconds,
        "peak_rss_mb": run.peak_rss_mb,
        "how": "child process, wall time from process start (imports and model load included)",
    }


def _cli_ingest_row(run, corpus: Path) -> dict:
    if run.returncode not in (0, 1):
        return _fail(run, "briefbot ingest")
    lines = [line for line in run.lines if line.strip()]
    new = sum(line.startswith("new") for line in lines)
    failed = sum(line.startswith("failed") for line in lines)
    try:
        passages = _count_passages(Path(run.command[run.command.index("--store") + 1]))
    except Exception:
        passages = 0
    return {
        "articles": new,
        "failed": failed,
        "passages": passages,
        "wall_s": run.seconds,
        "articles_per_s": new / run.seconds if run.seconds else None,
        "passages_per_s": passages / run.seconds if run.seconds else None,
        "peak_rss_mb": run.peak_rss_mb,
        "summary_line": lines[-1] if lines else "",
        "how": "`briefbot ingest DIR --store X` child process, wall time (imports, model load, extraction)",
    }


def _count_passages(store: Path) -> int:
    cmd = [
        PY,
        "-c",
        "import sys,json; from bot.settings import Settings; from vectorstore.store import ArticleStore; "
        "print(json.dumps({'passages': ArticleStore.open(Settings(store=sys.argv[1], chroma_url=None)).count_passages()}))",
        str(store),
    ]
    return int(run_child(cmd).last_json()["passages"])


def bench_ask(corpus: Path, work: Path, run_vanilla: bool, variants: list[str], repeat: int) -> dict:
    """Cold start to first CLI answer and warm latency, on the stores the ingest section built."""
    questions = corpus / "questions.jsonl"
    first_three = work / "first-questions.jsonl"
    first_three.write_text("".join(questions.read_text("utf-8").splitlines(True)[:3]), "utf-8")
    out: dict = {}
    if run_vanilla:
        store = work / "stores" / "ingest-vanilla"
        cmd = [PY, "-m", "bench.vanilla", "ask", str(store), str(questions), "--embedder", VANILLA_EMBEDDER]
        run = run_child([*cmd, "--repeat", str(repeat)])
        if run.returncode == 0:
            data = run.last_json()
            out["vanilla"] = {
                "cold_first_answer_s": run.first_line_seconds,
                **data["warm"],
                "key_recall": data["key_recall"],
                "peak_rss_mb": run.peak_rss_mb,
                "answer": "top-4 chunks (no answer text, no citations)",
            }
        else:
            out["vanilla"] = _fail(run, "vanilla ask")
    store = work / "stores" / "ingest-briefbot"
    if "cli" in variants and store.exists():
        cold = run_child([*briefbot_cli(), "ask", "--batch", str(first_three), "--store", str(store)])
        answers: dict[str, dict] = {}
        for embedder in [e for e in RUNNER_EMBEDDERS if e != "onnx" or "onnx" in variants]:
            ans_file = work / f"answers-{embedder}.jsonl"
            cmd = [PY, "-m", "bench.briefbot_runner", "warm", str(store), str(questions), "--embedder", embedder]
            run = run_child([*cmd, "--repeat", str(repeat), "--answers", str(ans_file)])
            if run.returncode != 0:
                out[f"briefbot-{embedder}"] = _fail(run, f"briefbot warm ({embedder})")
                continue
            data = run.last_json()
            answers[embedder] = {json.loads(x)["id"]: json.loads(x) for x in ans_file.read_text("utf-8").splitlines()}
            out[f"briefbot-{embedder}"] = {
                **data["warm"],
                "key_recall": data["key_recall"],
                "abstained_on_unanswerable": data["abstained_on_unanswerable"],
                "peak_rss_mb": run.peak_rss_mb,
                "cold_first_answer_s": run.first_line_seconds,
                "cold_how": "bench.briefbot_runner child: process start -> first answer (in-process services)",
                "answer": "full answer: extraction facts, ranked sentences, citations",
            }
        if cold.returncode == 0:
            out["briefbot-cli"] = {
                "cold_first_answer_s": cold.first_line_seconds,
                "peak_rss_mb": cold.peak_rss_mb,
                "answer": "`briefbot ask --batch` (3 questions): process start -> first answer line; embedder "
                + (os.environ.get("BRIEFBOT_EMBEDDER") or default_embedder()),
            }
        else:
            out["briefbot-cli"] = _fail(cold, "briefbot ask --batch")
        if "minilm" in answers and "onnx" in answers:
            out["onnx_vs_minilm_answers"] = _agreement(answers["minilm"], answers["onnx"])
    vanilla = out.get("vanilla", {})
    for name, row in out.items():
        if name.startswith("briefbot-") and isinstance(row, dict) and vanilla.get("p50_ms") and row.get("p50_ms"):
            row["ratio_p50_vs_vanilla"] = row["p50_ms"] / vanilla["p50_ms"]
            row["ratio_p95_vs_vanilla"] = row["p95_ms"] / vanilla["p95_ms"]
            if row.get("cold_first_answer_s") and vanilla.get("cold_first_answer_s"):
                row["ratio_cold_vs_vanilla"] = row["cold_first_answer_s"] / vanilla["cold_first_answer_s"]
    return out


def _agreement(a: dict[str, dict], b: dict[str, dict]) -> dict:
    """How often two embedders gave the same answer text and the same citations, question by question."""
    ids = sorted(set(a) & set(b))
    same_text = sum(a[i]["answer"] == b[i]["answer"] for i in ids)
    same_cites = sum(a[i]["citations"] == b[i]["citations"] for i in ids)
    return {"questions": len(ids), "same_answer": same_text, "same_citations": same_cites}


def bench_server(work: Path, port: int, question: str, timeout: float = 180.0) -> dict:
    """Server start -> first page served, and -> first answer from the JSON API."""
    import httpx

    store = work / "stores" / "ingest-briefbot"
    log_path = work / "server.log"
    cmd = [*briefbot_cli(), "serve", "--store", str(store), "--port", str(port), "--host", "127.0.0.1"]
    started = time.perf_counter()
    with log_path.open("wb") as log:
        proc = __import__("subprocess").Popen(cmd, stdout=log, stderr=log, env=child_env(), cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    result: dict = {"command": " ".join(cmd[-6:])}
    try:
        page_s = None
        while time.perf_counter() - started < timeout and proc.poll() is None:
            try:
                if httpx.get(base + "/", timeout=5).status_code == 200:
                    page_s = time.perf_counter() - started
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        result["first_page_s"] = page_s
        if page_s is None:
            result["error"] = f"no page within {timeout:.0f}s (exit code {proc.poll()})"
            result["log_tail"] = log_path.read_text("utf-8", "replace")[-1500:]
            return result
        response = httpx.post(base + "/api/ask", json={"question": question}, timeout=timeout)
        result["first_answer_s"] = time.perf_counter() - started
        result["first_answer_status"] = response.status_code
        latencies = []
        for _ in range(5):
            t = time.perf_counter()
            httpx.post(base + "/api/ask", json={"question": question}, timeout=timeout)
            latencies.append((time.perf_counter() - t) * 1000)
        result["http_ask"] = latency_summary(latencies)
        # A page that is the chat UI itself, not a "starting" placeholder (the UI may be built after start).
        ui_s = None
        while time.perf_counter() - started < timeout and proc.poll() is None:
            try:
                page = httpx.get(base + "/", timeout=5)
                if page.status_code == 200 and "gradio" in page.text.casefold():
                    ui_s = time.perf_counter() - started
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        result["first_ui_page_s"] = ui_s
        try:  # VmHWM: the server process's peak resident set so far
            status = Path(f"/proc/{proc.pid}/status").read_text()
            hwm = [line for line in status.splitlines() if line.startswith("VmHWM")]
            if hwm:
                result["peak_rss_mb"] = int(hwm[0].split()[1]) / 1024
        except OSError:
            pass
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=15)
            except Exception:
                proc.kill()
                proc.wait()
    return result


def bench_ask_at(
    articles: int, seed: int, work: Path, questions: int, vectors: str, run_vanilla: bool, repeat: int
) -> dict:
    """Ask latency on an N-article store whose passage vectors come from a file computed once."""
    corpus = ensure_corpus(work, articles, seed, questions)
    if RUNNER_EMBEDDERS == ["hash"]:
        vectors = "hash"
    out: dict = {"articles": articles, "vectors": vectors}
    cache_dir = work / "vectors"
    b_store = work / "stores" / f"ask-briefbot-s{seed}-n{articles}-{vectors}"
    if not (b_store / "bench-done").exists():
        fresh(b_store)
        cmd = [PY, "-m", "bench.briefbot_runner", "ingest", str(corpus / "articles"), str(b_store)]
        cmd += ["--embedder", vectors]
        if vectors != "synthetic":  # synthetic vectors are a hash of the text: nothing to cache
            cmd += ["--cache", str(cache_dir / f"briefbot-s{seed}-n{articles}-{vectors}.npz")]
        run = run_child(cmd)
        if run.returncode != 0:
            return {**out, "briefbot": _fail(run, "briefbot store build")}
        (b_store / "bench-done").write_text(json.dumps(run.last_json()), "utf-8")
        out["briefbot_build_s"] = run.seconds
    out["briefbot_store"] = json.loads((b_store / "bench-done").read_text("utf-8"))
    cmd = [PY, "-m", "bench.briefbot_runner", "warm", str(b_store), str(corpus / "questions.jsonl")]
    for embedder in RUNNER_EMBEDDERS:
        run = run_child([*cmd, "--embedder", embedder, "--repeat", str(repeat)])
        if run.returncode != 0:
            out[f"briefbot-{embedder}"] = _fail(run, "briefbot warm")
            continue
        data = run.last_json()
        out[f"briefbot-{embedder}"] = {**data["warm"], "key_recall": data["key_recall"], "peak_rss_mb": run.peak_rss_mb}
    out["briefbot_disk"] = disk_use(b_store, articles)
    # One article added and deleted again, five times, with the product's default embedder: the store ends as it began.
    fresh_articles = ensure_corpus(work, 5, seed + 1000, 10) / "articles"  # another seed: not in the store
    cmd = [PY, "-m", "bench.briefbot_runner", "add-delete", str(b_store), str(fresh_articles)]
    run = run_child([*cmd, str(corpus / "questions.jsonl"), "--embedder", RUNNER_EMBEDDERS[-1], "--count", "5"])
    out["briefbot_add_delete"] = run.last_json() if run.returncode == 0 else _fail(run, "briefbot add-delete")
    if run_vanilla:
        v_store = work / "stores" / f"ask-vanilla-s{seed}-n{articles}-{vectors}"
        if not (v_store / "bench-done").exists():
            fresh(v_store)
            cache = cache_dir / f"vanilla-s{seed}-n{articles}-{vectors}.npz"
            kind = "hf" if vectors in ("minilm", "onnx") else "synthetic"
            cmd = [PY, "-m", "bench.vanilla", "ingest", str(corpus / "articles"), str(v_store)]
            run = run_child([*cmd, "--embedder", kind, "--cache", str(cache)])
            if run.returncode != 0:
                return {**out, "vanilla": _fail(run, "vanilla store build")}
            (v_store / "bench-done").write_text(json.dumps(run.last_json()), "utf-8")
        cmd = [PY, "-m", "bench.vanilla", "ask", str(v_store), str(corpus / "questions.jsonl")]
        run = run_child([*cmd, "--embedder", VANILLA_EMBEDDER])
        if run.returncode == 0:
            data = run.last_json()
            out["vanilla"] = {**data["warm"], "key_recall": data["key_recall"], "peak_rss_mb": run.peak_rss_mb}
        else:
            out["vanilla"] = _fail(run, "vanilla ask")
    for name in ("briefbot-minilm", "briefbot-onnx"):
        row, vanilla = out.get(name, {}), out.get("vanilla", {})
        if row.get("p50_ms") and vanilla.get("p50_ms"):
            row["ratio_p50_vs_vanilla"] = row["p50_ms"] / vanilla["p50_ms"]
    return out


def _shown(path: Path) -> str:
    return os.path.relpath(path, ROOT) if path.is_absolute() else str(path)


def disk_use(store: Path, articles: int) -> dict:
    """Bytes on disk under the store folder (Chroma's files and the lexical index), and per article."""
    total = sum(f.stat().st_size for f in store.rglob("*") if f.is_file())
    return {"bytes": total, "mb": total / 1e6, "kb_per_article": total / 1e3 / articles if articles else None}


def bench_scale(passages: int, seed: int, work: Path, questions: Path, run_vanilla: bool) -> dict:
    """Retrieval-only: synthetic passage vectors, real question embedding, no extraction."""
    out: dict = {"passages": passages}
    b_store = work / "stores" / f"scale-briefbot-s{seed}-p{passages}"
    run = run_child([PY, "-m", "bench.scale", "build-briefbot", str(b_store), "--passages", str(passages)])
    if run.returncode != 0:
        return {**out, "briefbot": _fail(run, "scale build")}
    out["briefbot_build"] = {**run.last_json(), "peak_rss_mb": run.peak_rss_mb}
    for mode in ("retrieve", "warm"):
        cmd = [
            PY,
            "-m",
            "bench.briefbot_runner",
            mode,
            str(b_store),
            str(questions),
            "--embedder",
            RUNNER_EMBEDDERS[-1],
        ]
        run = run_child(cmd)
        if run.returncode != 0:
            out[f"briefbot-{mode}"] = _fail(run, f"briefbot {mode}")
            continue
        data = run.last_json()
        out[f"briefbot-{mode}"] = {**data.get("retrieve", data.get("warm", {})), "peak_rss_mb": run.peak_rss_mb}
    if run_vanilla:
        v_store = work / "stores" / f"scale-vanilla-s{seed}-p{passages}"
        run = run_child([PY, "-m", "bench.scale", "build-vanilla", str(v_store), "--passages", str(passages)])
        if run.returncode != 0:
            return {**out, "vanilla": _fail(run, "scale build vanilla")}
        out["vanilla_build"] = run.last_json()
        run = run_child(
            [PY, "-m", "bench.vanilla", "ask", str(v_store), str(questions), "--embedder", VANILLA_EMBEDDER]
        )
        if run.returncode == 0:
            data = run.last_json()
            out["vanilla"] = {**data["warm"], "peak_rss_mb": run.peak_rss_mb}
        else:
            out["vanilla"] = _fail(run, "vanilla ask")
    return out


# -- driver --------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark Briefbot against the LangChain tutorial pipeline.")
    parser.add_argument("--articles", type=int, default=1000, help="corpus size for ingest, cold start, ask")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument(
        "--ask-articles",
        default="",
        help="also measure ask latency, one-article add/delete and disk use at these sizes, e.g. 10000,100000",
    )
    parser.add_argument(
        "--editions",
        type=int,
        default=12,
        help="also ingest the gold sets' articles, this many editions of each (0: not), with both pipelines",
    )
    parser.add_argument("--eval-root", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument(
        "--ask-vectors",
        choices=("onnx", "minilm", "synthetic"),
        default="onnx",
        help="how the --ask-articles stores get passage vectors (computed once, cached in the work folder)",
    )
    parser.add_argument("--scale-passages", default="", help="comma-separated, e.g. 100000,1000000")
    parser.add_argument("--repeat", type=int, default=1, help="passes over the questions for warm latency")
    parser.add_argument("--no-vanilla", action="store_true")
    parser.add_argument("--no-server", action="store_true")
    parser.add_argument("--no-onnx", action="store_true")
    parser.add_argument(
        "--ask-embedders",
        default="minilm,onnx",
        help="the query embedders measured at --ask-articles sizes (onnx is the product's default)",
    )
    parser.add_argument("--port", type=int, default=7961)
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="model-free fakes everywhere (hash / synthetic embedders): checks the harness, not the speed",
    )
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args(argv)

    global VANILLA_EMBEDDER, RUNNER_EMBEDDERS
    RUNNER_EMBEDDERS = [e.strip() for e in args.ask_embedders.split(",") if e.strip()]
    if args.smoke:
        VANILLA_EMBEDDER, RUNNER_EMBEDDERS = "synthetic", ["hash"]
        os.environ["BRIEFBOT_EMBEDDER"] = "hash"  # the CLI children read it through the settings
        args.no_onnx = True
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    variants = ["cli"] + ([] if args.no_onnx else ["onnx"])
    run_vanilla = not args.no_vanilla
    results: dict = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "python -m bench.run " + " ".join(argv if argv is not None else sys.argv[1:]),
        "machine": machine_facts(),
        # Paths as seen from the checkout, so a committed result names no machine's folders.
        "args": {k: _shown(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "sections": {},
    }
    sections = results["sections"]

    def save() -> None:
        results["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
        write_report(results, args.out)

    def step(name: str, fn) -> None:
        print(f"[bench] {name} ...", file=sys.stderr, flush=True)
        t = time.perf_counter()
        sections[name] = fn()
        sections[name]["section_seconds"] = time.perf_counter() - t
        save()
        print(f"[bench] {name} done in {time.perf_counter() - t:.0f}s", file=sys.stderr, flush=True)

    if args.articles:  # --articles 0: only the archive-scale sections (make bench-archive)
        corpus = ensure_corpus(work, args.articles, args.seed, args.questions)
        results["corpus"] = json.loads((corpus / "manifest.json").read_text("utf-8"))
        step("ingest", lambda: bench_ingest(corpus, work, run_vanilla, variants))
        step("ask", lambda: bench_ask(corpus, work, run_vanilla, variants, args.repeat))
    if args.articles and not args.no_server:
        first_question = json.loads((corpus / "questions.jsonl").read_text("utf-8").splitlines()[0])["question"]
        step("server", lambda: bench_server(work, args.port, first_question))
    if args.editions and args.eval_root.is_dir():
        editions = write_editions(args.eval_root, work / f"editions-{args.editions}", args.editions)
        results["editions"] = json.loads((editions / "manifest.json").read_text("utf-8"))
        step("ingest_editions", lambda: bench_ingest(editions, work, run_vanilla, ["cli"]))
    for size in [int(n) for n in str(args.ask_articles).split(",") if n.strip()]:
        step(
            f"ask_at_{size}",
            lambda n=size: bench_ask_at(n, args.seed, work, args.questions, args.ask_vectors, run_vanilla, args.repeat),
        )
    for passages in [int(p) for p in args.scale_passages.split(",") if p.strip()]:
        questions = ensure_corpus(work, args.articles or 1000, args.seed, args.questions) / "questions.jsonl"
        step(f"scale_{passages}", lambda p=passages, q=questions: bench_scale(p, args.seed, work, q, run_vanilla))
    save()
    print(f"[bench] wrote {args.out / 'latest.md'} and latest.json", file=sys.stderr)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    raise SystemExit(main())
