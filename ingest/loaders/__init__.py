"""Turn files and fetched bytes into `LoadedDocument`s: cleaned text plus the metadata stated.

One module per format (text, html, structured JSON, pdf); archives are opened by
`ingest.archives`. `load_path` is the strict API (raises `LoadError` on the first failure);
`iter_path` and `iter_bytes` are what the pipeline uses: they yield a `LoadFailure` for each bad
input (an archive member, a JSON record) and go on with the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath

from ingest.loaders.base import (
    MAX_FILE_BYTES,
    LoadError,
    LoadFailure,
    check_size,
    decode_text,
    text_document,
)
from ingest.loaders.html import html_to_document, load_html
from ingest.loaders.pdf import load_pdf
from ingest.loaders.structured import load_json, load_jsonl
from ingest.loaders.text import load_text
from ingest.models import LoadedDocument

__all__ = [
    "LOADERS",
    "MAX_FILE_BYTES",
    "LoadError",
    "LoadFailure",
    "decode_text",
    "html_to_document",
    "iter_bytes",
    "iter_path",
    "load_bytes",
    "load_path",
    "supported",
    "text_document",
]

log = logging.getLogger(__name__)

Loaded = LoadedDocument | LoadFailure
Loader = Callable[..., Iterator[Loaded]]

LOADERS: dict[str, Loader] = {
    ".txt": load_text,
    ".text": load_text,
    ".md": load_text,
    ".markdown": load_text,
    ".html": load_html,
    ".htm": load_html,
    ".xhtml": load_html,
    ".json": load_json,
    ".jsonl": load_jsonl,
    ".ndjson": load_jsonl,
    ".pdf": load_pdf,
}
ARCHIVES = (".zip",)

# What a fetched page's content type means, for URLs whose path names no format.
CONTENT_TYPES: dict[str, str] = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "text/plain": ".txt",
    "text/markdown": ".md",
    "application/pdf": ".pdf",
    "application/json": ".json",
    "application/x-ndjson": ".jsonl",
    "application/jsonl": ".jsonl",
}


def _suffix(name: str) -> str:
    return PurePosixPath(name.split("?", 1)[0]).suffix.lower()


def supported(path: Path | str) -> bool:
    suffix = _suffix(str(path))
    return suffix in LOADERS or suffix in ARCHIVES


def _unsupported(suffix: str) -> LoadError:
    kinds = ", ".join(sorted({*LOADERS, *ARCHIVES}))
    return LoadError(f"unsupported file type {suffix or '(none)'}; expected one of {kinds}")


def iter_bytes(data: bytes, name: str, url: str | None = None, content_type: str | None = None) -> Iterator[Loaded]:
    """Documents (and failures) from one input's bytes; `name` picks the format, else `content_type`.

    Raises LoadError when the input as a whole is unusable.
    """
    check_size(len(data))
    suffix = _suffix(name)
    if suffix not in LOADERS and suffix not in ARCHIVES and content_type:
        suffix = CONTENT_TYPES.get(content_type.split(";", 1)[0].strip().lower(), suffix)
    if suffix in ARCHIVES:
        yield from _iter_archive(data, name)
        return
    loader = LOADERS.get(suffix)
    if loader is None:
        raise _unsupported(suffix)
    yield from _guarded(loader, data, name, url)


def _guarded(loader: Loader, data: bytes, name: str, url: str | None) -> Iterator[Loaded]:
    """Run a loader so that only LoadError (or a yielded failure) can come out of bad input."""
    try:
        yield from loader(data, name, url=url)
    except LoadError:
        raise
    except RecursionError as exc:
        raise LoadError("input is nested too deeply to read") from exc
    except MemoryError as exc:
        raise LoadError("input is too large to read in memory") from exc
    except Exception as exc:  # a parser bug on hostile input fails that input, not the run
        log.exception("loading %s failed", name)
        raise LoadError(f"could not read this input ({type(exc).__name__})") from exc


def _iter_archive(data: bytes | str, name: str) -> Iterator[Loaded]:
    from ingest.archives import Member, iter_zip

    for member in iter_zip(data, name, wanted=lambda n: _suffix(n) in LOADERS):
        if isinstance(member, LoadFailure):
            yield member
            continue
        assert isinstance(member, Member)
        try:
            yield from _guarded(LOADERS[_suffix(member.name)], member.data, member.name, None)
        except LoadError as exc:
            yield LoadFailure(member.name, str(exc))


def iter_path(path: Path) -> Iterator[Loaded]:
    """Documents (and per-record failures) of one file; raises LoadError if the file is unusable."""
    try:
        if not path.exists():
            raise LoadError("no such file or folder")
        suffix = _suffix(path.name)
        if suffix not in LOADERS and suffix not in ARCHIVES:
            raise _unsupported(suffix)
        size = path.stat().st_size
        if suffix in ARCHIVES:
            check_size(size, 1024 * 1024 * 1024)  # the archive's own caps bound what is inflated
            yield from _iter_archive(str(path), path.name)
            return
        check_size(size)  # before reading a byte: a 200 MB file fails here
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(f"cannot read file: {exc.strerror or exc}") from exc
    yield from iter_bytes(data, path.name)


def load_bytes(data: bytes, name: str, url: str | None = None, content_type: str | None = None) -> list[LoadedDocument]:
    """Strict: every document of the input, or LoadError for the first failure."""
    return _strict(iter_bytes(data, name, url=url, content_type=content_type))


def load_path(path: Path) -> Iterator[LoadedDocument]:
    """Strict: the documents one file holds, or LoadError for the first failure."""
    yield from _strict(iter_path(path))


def _strict(items: Iterator[Loaded]) -> list[LoadedDocument]:
    out: list[LoadedDocument] = []
    for item in items:
        if isinstance(item, LoadFailure):
            raise LoadError(f"{item.source}: {item.reason}")
        out.append(item)
    return out
