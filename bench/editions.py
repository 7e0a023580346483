"""A corpus of real article shapes: the gold sets' articles, each written out as several editions.

The generated corpus is made from templates: short, regular sentences. Real reports are longer, with
quotes over several sentences, transcripts, readouts and page noise, and ingest speed depends on
those shapes (sentence count and length decide the embedding work). So the ingest ratio is also
measured on the gold sets' own articles. An article stored twice is a duplicate (its id is a hash
of its text), so each copy is an *edition*: the headline carries its number, the rest is unchanged.

The articles are read from the gold sets' folders at run time (through the product's loaders, so
HTML and Markdown become the text an ingest would store) and written as `.txt` under the work folder,
which both pipelines read the same way; nothing of them is kept in the repository.

    python -m bench.editions ../shared/eval OUT --editions 12
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from ingest.loaders import load_path


def write_editions(eval_root: Path, out: Path, editions: int) -> Path:
    """`out/articles/*.txt` (every gold article x `editions`) and `out/manifest.json`; reused while
    the manifest matches. Returns `out`."""
    sources = sorted(p for p in eval_root.glob("*/articles/*") if p.is_file())
    # Named relative to the checkout: the manifest goes into the committed results.
    where = os.path.relpath(eval_root.resolve(), Path(__file__).resolve().parent.parent)
    wanted = {"eval_root": where, "sources": len(sources), "editions": editions}
    manifest = out / "manifest.json"
    try:
        if json.loads(manifest.read_text("utf-8")) == {**wanted, "articles": len(sources) * editions}:
            return out
    except (OSError, ValueError):
        pass
    folder = out / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.txt"):
        old.unlink()
    written = 0
    for source in sources:
        for document in load_path(source):
            title, body = _title_and_body(document.title, document.text)
            for edition in range(1, editions + 1):
                name = f"{source.parent.parent.name}-{source.stem}-e{edition:02d}.txt"
                (folder / name).write_text(f"{title} (edition {edition})\n\n{body}\n", "utf-8")
                written += 1
    manifest.write_text(json.dumps({**wanted, "articles": written}), "utf-8")
    return out


def _title_and_body(title: str, text: str) -> tuple[str, str]:
    """The headline on its own first line, the text after it without the headline repeated."""
    first, _, rest = text.partition("\n")
    if title and first.strip() == title.strip():
        return title.strip(), rest.strip()
    return (title or first).strip(), text.strip() if title else rest.strip()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write the gold sets' articles as editions.")
    parser.add_argument("eval_root", type=Path, help="the folder holding the gold sets (each with articles/)")
    parser.add_argument("out", type=Path)
    parser.add_argument("--editions", type=int, default=12)
    args = parser.parse_args(argv)
    out = write_editions(args.eval_root, args.out, args.editions)
    print(json.loads((out / "manifest.json").read_text("utf-8")))


if __name__ == "__main__":
    main()
