"""A real `chroma run` server on a free loopback port that a test can kill and start again.

Restarting keeps the port and the data folder, as an operator restarting the service would, so a
Briefbot process holding an HttpClient must find the same server again without being restarted.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ChromaProcess:
    def __init__(self, folder: Path, port: int | None = None) -> None:
        self.folder = folder
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.log = folder / "chroma.log"

    def start(self, timeout: float = 60.0) -> ChromaProcess:
        chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
        assert chroma, "the chroma CLI comes with chromadb"
        self.folder.mkdir(parents=True, exist_ok=True)
        with self.log.open("a") as log:
            self.proc = subprocess.Popen(
                [chroma, "run", "--path", str(self.folder / "data"), "--host", "127.0.0.1", "--port", str(self.port)],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(f"{self.url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            assert self.proc.poll() is None, self.log.read_text()
            assert time.monotonic() < deadline, "the chroma server did not start"
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL: the server gets no chance to finish anything (a crash, an OOM kill)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
