"""Zip archives of articles, read with caps so a zip bomb fails alone.

The caps are checked twice: on the sizes the archive declares (cheap, before reading) and on the
bytes actually inflated (a forged header cannot lie its way past a read that stops at the cap).

Members are read in memory, never extracted, so a name cannot write anywhere; still, a member named
with `..`, an absolute path, a drive or a NUL byte, and a member that is a symbolic link (whose
"content" is a path on the machine that made it) are refused by name, each failing alone: they are
what a crafted archive holds, never an article.
"""

from __future__ import annotations

import io
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from ingest.loaders.base import MAX_FILE_BYTES, LoadError, LoadFailure

MAX_MEMBERS = 5000
MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200  # inflated / compressed, per member


@dataclass(frozen=True)
class Member:
    name: str  # "archive.zip/folder/file.html": what results name
    data: bytes


def iter_zip(
    data_or_path: bytes | str,
    label: str,
    wanted=lambda name: True,
    max_members: int = MAX_MEMBERS,
    max_total: int = MAX_TOTAL_BYTES,
    max_member: int = MAX_FILE_BYTES,
) -> Iterator[Member | LoadFailure]:
    """The readable members of an archive, in name order; an oversized member fails alone.

    Raises LoadError when the archive as a whole is unreadable or exceeds the total caps.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data_or_path) if isinstance(data_or_path, bytes) else data_or_path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise LoadError(f"not a readable zip archive ({exc})") from exc
    with archive:
        # Python cuts a name at a NUL byte; whether it is wanted is judged on the whole name.
        files = [i for i in archive.infolist() if not i.is_dir() and wanted(i.orig_filename.replace("\x00", ""))]
        refused = [(i, reason) for i in files if (reason := unsafe_member(i))]
        infos = [i for i in files if not unsafe_member(i) and _visible(i.filename)]
        if len(infos) > max_members:
            raise LoadError(f"archive has {len(infos)} files, over the {max_members}-file limit")
        declared = sum(i.file_size for i in infos)
        if declared > max_total:
            raise LoadError(f"archive would inflate to {declared // (1024 * 1024)} MB, over the limit")
        for info, reason in sorted(refused, key=lambda pair: pair[0].orig_filename):
            yield LoadFailure(f"{label}/{_printable(info.orig_filename)}", reason)
        inflated = 0
        for info in sorted(infos, key=lambda i: i.filename):
            name = f"{label}/{info.filename}"
            if info.file_size > max_member:
                yield LoadFailure(name, f"{info.file_size // (1024 * 1024)} MB, over the member size limit")
                continue
            if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 1 << 20:
                yield LoadFailure(name, "compression ratio of a zip bomb; not inflated")
                continue
            try:
                with archive.open(info) as handle:
                    content = handle.read(max_member + 1)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as exc:
                yield LoadFailure(name, f"cannot read this archive member ({exc})")
                continue
            if len(content) > max_member:
                yield LoadFailure(name, "inflates past the member size limit")
                continue
            inflated += len(content)
            if inflated > max_total:
                raise LoadError("archive inflates past the total size limit; stopped reading it")
            yield Member(name, content)


def _visible(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return not any(p.startswith(".") or p == "__MACOSX" for p in parts)


def unsafe_member(info: zipfile.ZipInfo) -> str | None:
    """Why a member is not read (a path that climbs out or is absolute, a link), or None."""
    raw = info.orig_filename
    if "\x00" in raw:
        return "a NUL byte in the member's name; not read"
    name = raw.replace("\\", "/")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return "an absolute path in the archive; not read"
    if ".." in PurePosixPath(name).parts:
        return "a path with '..' in the archive; not read"
    mode = info.external_attr >> 16
    if info.create_system == 3 and stat.S_ISLNK(mode):  # made on Unix, a symbolic link
        return "a symbolic link, not a file; not read"
    return None


def _printable(name: str) -> str:
    return name.replace("\x00", "\\0")
