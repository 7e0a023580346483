"""Load test: many askers against one `briefbot serve`, alone and while `briefbot ingest` writes.

    python -m bench.load                                   # 50 users x 60 s: steady, ingest, ingest-normal, closed
    python -m bench.load --scenarios ingest --seconds 30   # one scenario, shorter
    python -m bench.load --smoke                           # harness check: fake embedder, 5 users x 5 s

Scenarios (each on a fresh copy of one base store, with a fresh server):
- `steady`: every user asks, waits for the answer, pauses 1-3 s, asks again; nothing else runs.
- `ingest`: the same, while `briefbot ingest` adds 1,000 generated articles to the same embedded
  store from another process (the newsroom case: the desk ingests while reporters ask). The ingest
  runs as users run it, at its default niceness (settings.ingest_nice, 19).
- `ingest-normal`: the same, with the ingest at normal priority (`--nice 0`): what the niceness buys.
- `chroma-ingest`: the `ingest` scenario with the store served by `chroma run` (BRIEFBOT_CHROMA_URL for
  both the server and the ingest), the way a newsroom outgrows one process: no SQLite file is shared
  between the reader and the writer.
- `closed`: no pauses, so the server is saturated: its throughput.
- `closed-ingest`: no pauses, during the ingest.

The server runs with its quotas raised (a quota refusal would otherwise cap what is measured), so
any 429 is counted apart from the errors. Results: `results/load.json` (every figure, per surface,
a 10-second timeline of ask latency) and `results/load.md`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx

from bench.load_client import UserPlan, run_users
from bench.load_report import render_markdown, summarize, write_report
from bench.measure import ROOT, child_env, machine_facts
from bench.run import briefbot_cli, ensure_corpus
from ingest.models import STATUSES

SCENARIOS = {
    "steady": ("open loop, no ingest", False, False),
    "ingest": ("open loop, during the ingest", True, False),
    "ingest-normal": ("open loop, during the ingest at normal priority (--nice 0)", True, False),
    "chroma-ingest": ("open loop, during the ingest, store on a `chroma run` server", True, False),
    "closed": ("closed loop, no ingest", False, True),
    "closed-ingest": ("closed loop, during the ingest", True, True),
}
RAISED_QUOTA = "1000000000"
BASE_SEED = 11  # the base store's corpus; the ingested corpus uses --seed (another set of articles)


@dataclass
class IngestRun:
    """`briefbot ingest` in its own process; one stdout line per article, timed as it comes."""

    proc: subprocess.Popen
    articles: int
    started: float
    line_times: list[float] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    cpu_s: float | None = None

    def follow(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            status = line.split(" ", 1)[0]
            if status in STATUSES:  # the closing summary line is not an article
                self.line_times.append(time.perf_counter())
                self.statuses.append(status)

    def figures(self, window_end: float, window_s: float) -> dict:
        stored = sum(t <= window_end for t in self.line_times)
        finished = self.proc.poll() is not None
        return {
            "articles": self.articles,
            "stored_in_window": stored,
            "articles_per_s_in_window": round(stored / window_s, 2) if window_s else None,
            "finished": finished and self.proc.returncode == 0,
            "returncode": self.proc.returncode,
            "seconds": (self.line_times[-1] - self.started) if finished and self.line_times else None,
            "statuses": {s: self.statuses.count(s) for s in sorted(set(self.statuses))},
            "cpu_s": self.cpu_s,
        }


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a live process (Linux), to see who used the cores."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def build_base_store(work: Path, articles: int, embedder: str | None) -> tuple[Path, Path]:
    """The store every scenario starts from (built once per size and embedder), and its corpus."""
    corpus = ensure_corpus(work, articles, BASE_SEED, 200)
    store = work / "stores" / f"load-base-s{BASE_SEED}-n{articles}-{embedder or 'default'}"
    if not (store / ".complete").exists():
        shutil.rmtree(store, ignore_errors=True)
        print(f"building the base store ({articles} articles) ...", flush=True)
        env = child_env({"BRIEFBOT_EMBEDDER": embedder} if embedder else None)
        subprocess.run(
            [*briefbot_cli(), "ingest", str(corpus / "articles"), "--store", str(store)],
            env=env,
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        (store / ".complete").write_text("built\n")
    return store, corpus


def server_env(store: Path, embedder: str | None, ui_concurrency: int | None) -> dict[str, str]:
    extra = {
        "BRIEFBOT_STORE": str(store),
        "BRIEFBOT_SESSION_QUOTA": RAISED_QUOTA,
        "BRIEFBOT_DAILY_QUOTA": RAISED_QUOTA,
        "BRIEFBOT_CLIENT_QUOTA": RAISED_QUOTA,
    }
    if embedder:
        extra["BRIEFBOT_EMBEDDER"] = embedder
    if ui_concurrency:
        extra["BRIEFBOT_UI_CONCURRENCY"] = str(ui_concurrency)
    env = child_env(extra)
    env.pop("BRIEFBOT_CHROMA_URL", None)
    return env


def start_server(store: Path, port: int, env: dict[str, str], log: Path, timeout: float = 240.0) -> subprocess.Popen:
    """`briefbot serve`, returned once its chat UI is up and it has answered a first question."""
    cmd = [*briefbot_cli(), "serve", "--store", str(store), "--host", "127.0.0.1", "--port", str(port)]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited {proc.returncode}: {log.read_text('utf-8', 'replace')[-1500:]}")
        try:
            if httpx.get(base + "/healthz", timeout=2).json().get("ui") == "ready":
                break
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(0.3)
    else:
        stop(proc)
        raise RuntimeError(f"the server's UI was not ready within {timeout:.0f}s")
    return proc


def start_chroma(store: Path, port: int, log: Path, timeout: float = 60.0) -> subprocess.Popen:
    """`chroma run` serving the copied store's folder (the server reads the embedded layout)."""
    chroma = Path(sys.executable).with_name("chroma")
    cmd = [str(chroma), "run", "--path", str(store), "--host", "127.0.0.1", "--port", str(port)]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"chroma run exited {proc.returncode}: {log.read_text('utf-8', 'replace')[-1500:]}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2).raise_for_status()
            return proc
        except httpx.HTTPError:
            time.sleep(0.3)
    stop(proc, signal.SIGTERM)
    raise RuntimeError(f"chroma run was not up within {timeout:.0f}s")


def warm_up(base: str, questions: list[str]) -> None:
    """Load the model and fill the caches before measuring (a user's first question is not the test)."""
    for question in questions[:5]:
        httpx.post(base + "/api/ask", json={"question": question}, timeout=120).raise_for_status()


def stop(proc: subprocess.Popen, sig: int = signal.SIGINT, grace: float = 20.0) -> None:
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def run_scenario(name: str, args: argparse.Namespace, base_store: Path, questions: list[str], ingest_dir: Path) -> dict:
    description, with_ingest, closed = SCENARIOS[name]
    store = args.work / "stores" / "load-run"
    shutil.rmtree(store, ignore_errors=True)
    shutil.copytree(base_store, store)
    env = server_env(store, args.embedder, args.ui_concurrency)
    chroma: subprocess.Popen | None = None
    if name == "chroma-ingest":
        chroma = start_chroma(store, args.port + 1, args.work / f"{args.name}-chroma-{name}.log")
        env["BRIEFBOT_CHROMA_URL"] = f"http://127.0.0.1:{args.port + 1}"  # the servers' ports are even offsets
    # Several servers (`--servers N`) share the store, each on its own port: users are dealt out among them.
    ports = [args.port + 2 * i for i in range(args.servers)]
    servers: list[subprocess.Popen] = []
    ingest: IngestRun | None = None
    try:
        for number, port in enumerate(ports):
            log = args.work / f"{args.name}-server-{name}{f'-{number}' if number else ''}.log"
            servers.append(start_server(store, port, env, log))
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        for base in bases:
            warm_up(base, questions)
        server_cpu = _cpu_total(servers)
        if with_ingest:
            cmd = [*briefbot_cli(), "ingest", str(ingest_dir), "--store", str(store)]
            nice = 0 if name == "ingest-normal" else args.ingest_nice
            if nice is not None:
                cmd = [*cmd, "--nice", str(nice)]
            ingest_env = dict(env, BRIEFBOT_EMBEDDER=args.ingest_embedder) if args.ingest_embedder else env
            with (args.work / f"{args.name}-ingest-{name}.log").open("wb") as err:
                proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, text=True, env=ingest_env, cwd=ROOT)
            ingest = IngestRun(proc, len(list(ingest_dir.glob("*.txt"))), time.perf_counter())
            threading.Thread(target=ingest.follow, daemon=True).start()
        plan = UserPlan(args.users, args.seconds, None if closed else (args.think_min, args.think_max), args.mix)
        profiler = (
            start_profiler(
                servers[0].pid, args.seconds, args.work / f"{args.name}-profile-{name}.txt", args.profile == "idle"
            )
            if args.profile
            else None
        )
        started = time.perf_counter()
        samples = asyncio.run(run_users(bases, plan, questions, seed=args.rng_seed))
        ended = time.perf_counter()
        if profiler is not None:
            profiler.wait(timeout=60)
        after_cpu = _cpu_total(servers)
        window = ended - started
        result = {"description": description, **summarize(samples, window)}
        if server_cpu is not None and after_cpu is not None:
            result["server_cpu_share"] = round((after_cpu - server_cpu) / window, 2)  # cores busy, all servers
        if ingest is not None:
            ingest.cpu_s = _cpu_seconds(ingest.proc.pid)
            if args.wait_ingest:
                ingest.proc.wait()
            else:
                stop(ingest.proc, signal.SIGTERM)
            time.sleep(0.2)  # the reader thread takes the last lines
            result["ingest"] = ingest.figures(ended, window)
        return result
    finally:
        if ingest is not None:
            stop(ingest.proc, signal.SIGTERM)
        for server in servers:
            stop(server)
        if chroma is not None:
            stop(chroma, signal.SIGTERM)


def _cpu_total(processes: list[subprocess.Popen]) -> float | None:
    times = [_cpu_seconds(p.pid) for p in processes]
    return None if any(t is None for t in times) else sum(t for t in times if t is not None)


def start_profiler(pid: int, seconds: float, out: Path, idle: bool = False) -> subprocess.Popen:
    """py-spy sampling the server for the window (collapsed stacks, for `bench.load_profile`);
    `idle` keeps the samples of threads that wait (on a lock, for I/O), which is where queueing shows."""
    spy = Path(sys.executable).with_name("py-spy")
    return subprocess.Popen(
        [str(spy), "record", "--pid", str(pid), "--duration", str(int(seconds)), "--rate", "50", "--threads"]
        + ["--format", "raw", "--output", str(out), "--nonblocking"]
        + (["--idle"] if idle else []),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def parse_mix(text: str) -> dict[str, float]:
    mix = {}
    for part in text.split(","):
        surface, _, weight = part.partition("=")
        mix[surface.strip()] = float(weight)
    if not mix or set(mix) - {"ask", "stream", "ui"} or sum(mix.values()) <= 0:
        raise argparse.ArgumentTypeError(
            "the mix names ask, stream and ui with weights, e.g. ask=0.5,stream=0.3,ui=0.2"
        )
    return mix


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Load test: many askers against briefbot serve.")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--think-min", type=float, default=1.0, help="pause between a user's questions, open loop")
    parser.add_argument("--think-max", type=float, default=3.0)
    parser.add_argument("--mix", type=parse_mix, default=parse_mix("ask=0.5,stream=0.3,ui=0.2"))
    parser.add_argument(
        "--scenarios", default="steady,ingest,ingest-normal,chroma-ingest,closed", help=f"any of {', '.join(SCENARIOS)}"
    )
    parser.add_argument("--base-articles", type=int, default=300, help="articles in the store before the run")
    parser.add_argument(
        "--base-store",
        type=Path,
        help="start every scenario from a copy of this store (e.g. a bench.run archive-scale store) instead",
    )
    parser.add_argument("--base-questions", type=Path, help="the questions for --base-store (questions.jsonl)")
    parser.add_argument("--servers", type=int, default=1, help="`briefbot serve` processes sharing the store")
    parser.add_argument("--ingest-articles", type=int, default=1000, help="articles ingested during the run")
    parser.add_argument("--seed", type=int, default=7, help="seed of the ingested corpus")
    parser.add_argument("--rng-seed", type=int, default=1, help="seed of the users' choices")
    parser.add_argument("--embedder", default=None, help="BRIEFBOT_EMBEDDER for server and ingest (default: theirs)")
    parser.add_argument("--ui-concurrency", type=int, default=None, help="BRIEFBOT_UI_CONCURRENCY (default: theirs)")
    parser.add_argument(
        "--ingest-nice",
        type=int,
        default=None,
        help="the ingest's `--nice N` (default: the product's setting, 19)",
    )
    parser.add_argument(
        "--ingest-embedder", default=None, help="the ingest's own embedder (`hash`: its writes without its CPU)"
    )
    parser.add_argument("--wait-ingest", action="store_true", help="let the ingest finish after the window")
    parser.add_argument("--port", type=int, default=7962)
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--name", default="load", help="results file name (load.json, load.md)")
    parser.add_argument(
        "--profile",
        nargs="?",
        const="busy",
        choices=["busy", "idle"],
        help="sample the server with py-spy during each window (`idle`: waiting threads too)",
    )
    parser.add_argument("--smoke", action="store_true", help="harness check: fake embedder, tiny corpus, 5 s")
    args = parser.parse_args(argv)
    if args.smoke:
        args.embedder, args.users, args.seconds = "hash", 5, 5.0
        args.base_articles, args.ingest_articles, args.name = 12, 20, "load-smoke"
        args.think_min, args.think_max = 0.2, 0.5
    names = [n.strip() for n in args.scenarios.split(",") if n.strip()]
    unknown = [n for n in names if n not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenarios {unknown}; choose from {', '.join(SCENARIOS)}")
    args.work.mkdir(parents=True, exist_ok=True)
    facts = machine_facts()
    if args.base_store:
        if not args.base_questions:
            parser.error("--base-store needs --base-questions")
        base_store, question_file = args.base_store, args.base_questions
    else:
        base_store, base_corpus = build_base_store(args.work, args.base_articles, args.embedder)
        question_file = base_corpus / "questions.jsonl"
    questions = [json.loads(line)["question"] for line in question_file.open(encoding="utf-8")]
    ingest_dir = ensure_corpus(args.work, args.ingest_articles, args.seed, 200) / "articles"
    results: dict = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "python -m bench.load " + " ".join(argv if argv is not None else sys.argv[1:]),
        "machine": {"cpu": facts["cpu_model"], "cores": facts["cpus"], "ram_gb": facts["ram_gb"]},
        "load_average_before": facts["load_average_at_start"],
        "setup": {
            "users": args.users,
            "seconds": args.seconds,
            "think_s": [args.think_min, args.think_max],
            "mix": args.mix,
            "base_articles": args.base_articles,
            "base_store": str(args.base_store) if args.base_store else None,
            "servers": args.servers,
            "ingest_articles": args.ingest_articles,
            "embedder": args.embedder or "default",
            "ui_concurrency": args.ui_concurrency or "default",
            "ingest_nice": args.ingest_nice,
            "ingest_embedder": args.ingest_embedder or "same as the server",
            "quotas": "raised to 1e9 (429s are counted apart from errors)",
        },
        "scenarios": {},
    }
    for name in names:
        print(f"scenario {name}: {SCENARIOS[name][0]}, {args.users} users x {args.seconds:.0f} s ...", flush=True)
        try:
            results["scenarios"][name] = run_scenario(name, args, base_store, questions, ingest_dir)
        except Exception as exc:
            results["scenarios"][name] = {"error": str(exc)[:1500]}
    json_path, md_path = write_report(results, args.out, args.name)
    print(render_markdown(results))
    print(f"wrote {json_path} and {md_path}")
    failed = [n for n, r in results["scenarios"].items() if "error" in r]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
