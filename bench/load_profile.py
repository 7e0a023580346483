"""Where the server's time went during a load window: py-spy's collapsed stacks, summed per function.

    python -m bench.load --scenarios ingest --profile      # writes bench/data/load-profile-ingest.txt (<name>-profile-<scenario>.txt)
    python -m bench.load_profile bench/data/load-profile-ingest.txt

"self" is time a function was on top of a stack; "inclusive" is time it was anywhere in one (each
function counted once per sample). Idle threads (waiting in the event loop or for work) are left
out, so the shares are of the time spent working or waiting on a lock.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

_IDLE = ("select (selectors.py", "_worker (concurrent", "wait (threading.py", "epoll", "_run_once (asyncio")
_FRAME = re.compile(r"^(?P<func>[^ ]+) \((?P<file>[^:)]+)(?::\d+)?\)$")


def _frames(stack: str) -> list[str]:
    frames = []
    for part in stack.split(";"):
        match = _FRAME.match(part.strip())
        if match:
            frames.append(f"{match['func']} ({Path(match['file']).name})")
        else:
            frames.append(part.strip())
    return frames


def summarize(path: Path, top: int = 30) -> str:
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in path.read_text("utf-8", "replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        frames = _frames(stack)
        if not frames or any(frames[-1].startswith(idle) for idle in _IDLE):
            continue
        count = int(count_text)
        total += count
        own[frames[-1]] += count
        for frame in set(frames):
            inclusive[frame] += count
    lines = [f"{total} busy samples", "", "inclusive  self  function"]
    for frame, count in inclusive.most_common(top):
        lines.append(f"{100 * count / total:8.1f}% {100 * own[frame] / total:5.1f}%  {frame}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("profile", type=Path)
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args(argv)
    print(summarize(args.profile, args.top))


if __name__ == "__main__":
    main()
