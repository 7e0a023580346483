"""Measuring tools shared by the runners: child processes with their own peak RSS, percentiles, machine facts.

Each pipeline runs in its own process so that its imports, model loads and memory are its own:
`os.wait4` gives the peak RSS of exactly that child (RUSAGE_CHILDREN would mix all children).
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class ChildRun:
    """What one child process did: wall time, time to its first output line, peak RSS, output."""

    command: list[str]
    returncode: int
    seconds: float
    first_line_seconds: float | None
    peak_rss_mb: float
    lines: list[str] = field(default_factory=list)
    stderr_tail: str = ""

    def last_json(self) -> dict:
        """The last stdout line that parses as a JSON object (how the runners report back)."""
        for line in reversed(self.lines):
            line = line.strip()
            if line.startswith("{"):
                try:
                    return json.loads(line)
                except ValueError:
                    continue
        raise RuntimeError(f"no JSON result from {' '.join(self.command)}; stderr: {self.stderr_tail}")


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Offline, quiet children; the repository on the path so `-m bench.*` and `bot.*` import."""
    env = dict(os.environ)
    env.update(
        {
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "ANONYMIZED_TELEMETRY": "False",
            "GRADIO_ANALYTICS_ENABLED": "False",
            "TOKENIZERS_PARALLELISM": "false",
            "PYTHONPATH": str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
        }
    )
    env.update(extra or {})
    return env


def run_child(
    command: Sequence[str],
    env: dict[str, str] | None = None,
    on_line: Callable[[str], None] | None = None,
    timeout: float | None = None,
) -> ChildRun:
    """Run a command to the end; record when its first stdout line came and its own peak RSS."""
    started = time.perf_counter()
    err_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-stderr-{os.getpid()}-{time.monotonic_ns()}.log"
    with err_path.open("w+b") as err:
        proc = subprocess.Popen(
            list(command), stdout=subprocess.PIPE, stderr=err, text=True, env=env or child_env(), cwd=ROOT
        )
        first: float | None = None
        lines: list[str] = []
        assert proc.stdout is not None
        for line in proc.stdout:
            if first is None:
                first = time.perf_counter() - started
            lines.append(line.rstrip("\n"))
            if on_line:
                on_line(line)
            if timeout and time.perf_counter() - started > timeout:
                proc.kill()
                break
        # wait4 reaps the child and returns its own resource usage (ru_maxrss in KiB on Linux).
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        err.seek(0)
        tail = err.read()[-3000:].decode("utf-8", "replace")
    err_path.unlink(missing_ok=True)
    return ChildRun(list(command), proc.returncode, seconds, first, usage.ru_maxrss / 1024.0, lines, tail)


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (q in 0..100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100.0
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def latency_summary(ms: Sequence[float]) -> dict:
    return {
        "n": len(ms),
        "p50_ms": percentile(ms, 50),
        "p95_ms": percentile(ms, 95),
        "mean_ms": (sum(ms) / len(ms)) if ms else None,
        "max_ms": max(ms) if ms else None,
    }


def peak_rss_mb() -> float:
    """This process's own peak RSS so far."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def machine_facts() -> dict:
    """What the numbers were taken on: they mean little without it."""
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    versions = {}
    for package in ("torch", "sentence-transformers", "onnxruntime", "chromadb", "langchain-core"):
        try:
            from importlib.metadata import version

            versions[package] = version(package)
        except Exception:
            continue
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu,
        "ram_gb": ram_gb,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "load_average_at_start": [round(x, 2) for x in load] if load else None,
        "versions": versions,
    }


def key_hit(text: str, keys: Sequence[str | Sequence[str]]) -> bool:
    """Every key (or one of its alternatives) appears in the text, case-insensitively."""
    folded = text.casefold()
    for key in keys:
        options = [key] if isinstance(key, str) else list(key)
        if not any(o.casefold() in folded for o in options):
            return False
    return True
