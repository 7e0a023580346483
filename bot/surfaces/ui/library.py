"""The Articles tab: the library, one article's text, deleting, and adding by upload or paste.

Writes follow the API's rule (`bot.surfaces.access.write_refusal`): with BRIEFBOT_ADMIN_TOKEN set the admin
token must be entered; without it only a browser on this machine may add or delete. Adding calls the
ingest service directly; the progress bar moves per article stored, a zip's articles included.
"""

from __future__ import annotations

import dataclasses
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any

import gradio as gr

from bot.surfaces.access import write_refusal as access_refusal
from bot.surfaces.ui.render import article_html, library_html, results_html, text
from ingest.loaders import ARCHIVES, LOADERS

MAX_PASTED_CHARS = 2_000_000  # as the API's paste limit

# (done, total, what is being added): how `add_files` reports progress to the UI's bar.
ProgressReport = Callable[[int, int, str], None]


def _choices(components: Any) -> list[tuple[str, str]]:
    return [(f"{a.title} ({a.outlet or a.source})", a.id) for a in components.store.headers()]


def write_refusal(components: Any, request: gr.Request | None, token: str) -> str | None:
    """Why this browser may not add or delete (the API's rule), or None when it may."""
    if request is None:
        return "this request cannot be checked; reload the page"
    refusal = access_refusal(request, components.settings, token=token or None)
    return refusal.reason if refusal else None


def expected_articles(path: Path) -> int:
    """How many articles a file should give, for the progress bar: a zip's readable members, else 1."""
    if path.suffix.lower() not in ARCHIVES:
        return 1
    try:
        with zipfile.ZipFile(path) as archive:
            names = [i.filename for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError):
        return 1
    return max(1, sum(PurePosixPath(n).suffix.lower() in LOADERS for n in names))


def add_files(
    components: Any, paths: list[Path], title: str | None, body: str | None, progress: ProgressReport
) -> Iterator[dict]:
    """Ingest uploaded files and pasted text through the ingest service: one row per article or
    failed input, reported to `progress` as each is stored (results come per stored batch)."""
    pasted = bool(body and body.strip())
    total = sum(expected_articles(p) for p in paths) + (1 if pasted else 0)
    done = 0
    for path in paths:
        progress(done, total, f"Adding {path.name}")
        for result in components.ingest.ingest_bytes(path.read_bytes(), path.name):
            done += 1
            total = max(total, done)  # a JSON file or feed export may hold more articles than counted
            progress(done, total, f"Added {result.source}")
            yield dataclasses.asdict(result)
    if pasted:
        progress(done, total, "Adding the pasted article")
        if len(body or "") > MAX_PASTED_CHARS:
            reason = f"over {MAX_PASTED_CHARS:,} characters; upload it as a file instead"
            yield {"source": "pasted text", "status": "failed", "title": None, "reason": reason}
        else:
            result = components.ingest.ingest_text(body, title=(title or "")[:500] or None, source="pasted text")
            yield dataclasses.asdict(result)
        done += 1
    progress(done, max(total, done), "Done")


def build_library_tab(components: Any) -> dict[str, Any]:
    settings = components.settings
    with gr.Row():
        gr.Markdown("The articles Briefbot answers from.")
        refresh = gr.Button("Refresh", scale=0)
    library = gr.HTML(elem_id="bb-library")
    with gr.Row(equal_height=True):
        pick = gr.Dropdown(label="Open an article", choices=[], scale=4, elem_id="bb-article-pick")
        delete = gr.Button("Delete article", variant="stop", scale=1, elem_id="bb-delete")
    token = gr.Textbox(
        label="Admin token (needed to add or delete)", type="password", visible=bool(settings.admin_token)
    )
    status = gr.HTML()
    article_view = gr.HTML(elem_id="bb-article")

    gr.Markdown("### Add articles")
    with gr.Row():
        files = gr.File(
            label="Upload files (text, Markdown, HTML, PDF, JSON, zip)",
            file_count="multiple",
            file_types=sorted({*LOADERS, *ARCHIVES}),
            elem_id="bb-upload",
        )
        with gr.Column():
            pasted_title = gr.Textbox(label="Title (optional)", max_length=500)
            pasted = gr.Textbox(label="…or paste an article", lines=6, elem_id="bb-paste", max_length=MAX_PASTED_CHARS)
    add = gr.Button("Add to library", variant="primary", elem_id="bb-add")
    results = gr.HTML(elem_id="bb-results")

    def show_library():
        choices = _choices(components)
        return library_html(components.store.headers()), gr.Dropdown(choices=choices, value=None)

    def open_article(article_id: str | None):
        return article_html(components.store.get_article(article_id) if article_id else None)

    def delete_article(article_id: str | None, admin_token: str, request: gr.Request):
        if not article_id:
            return '<p class="bb-error">Choose an article first.</p>', *show_library(), ""
        denial = write_refusal(components, request, admin_token)
        if denial:
            return f'<p class="bb-error">Not deleted: {text(denial)}</p>', *show_library(), gr.skip()
        deleted = components.ingest.delete(article_id)
        message = "Deleted." if deleted else "That article was already gone."
        return f'<p class="bb-ok">{message}</p>', *show_library(), ""

    def add_articles(
        uploads: list[str] | None,
        title: str,
        body: str,
        admin_token: str,
        request: gr.Request,
        progress: gr.Progress = gr.Progress(),
    ):
        denial = write_refusal(components, request, admin_token)
        if denial:
            return f'<p class="bb-error">Nothing added: {text(denial)}</p>', *show_library(), gr.skip(), gr.skip()
        paths = [Path(p) for p in uploads or []]
        if not paths and not (body and body.strip()):
            return (
                '<p class="bb-error">Choose files or paste an article first.</p>',
                *show_library(),
                gr.skip(),
                gr.skip(),
            )

        def report(done: int, total: int, desc: str) -> None:
            progress((done, total), desc=desc, unit="articles")

        rows = list(add_files(components, paths, (title or "").strip(), body, report))
        return results_html(rows), *show_library(), None, ""

    refresh.click(show_library, None, [library, pick], api_visibility="private")
    pick.change(open_article, [pick], [article_view], api_visibility="private")
    delete.click(delete_article, [pick, token], [status, library, pick, article_view], api_visibility="private")
    add.click(
        add_articles,
        [files, pasted_title, pasted, token],
        [results, library, pick, files, pasted],
        api_visibility="private",
    )
    return {"refresh": (show_library, None, [library, pick])}
