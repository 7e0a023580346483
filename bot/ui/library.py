"""The Articles tab: the library, one article's text, deleting, and adding by upload or paste.

Writes follow the API's rule (`bot.api.write_denial`): with BRIEFBOT_ADMIN_TOKEN set the admin
token must be entered; without it only a browser on this machine may add or delete.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr

from bot.api import PastedArticle, direct_client, ingest_pasted, public_result, write_denial
from bot.ui.render import article_html, library_html, results_html, text
from ingest.loaders import ARCHIVES, LOADERS


def _choices(components: Any) -> list[tuple[str, str]]:
    return [(f"{a.title} ({a.outlet or a.source})", a.id) for a in components.store.list_articles()]


def write_refusal(components: Any, request: gr.Request | None, token: str) -> str | None:
    """Why this browser may not add or delete (the API's rule), or None when it may."""
    host = None
    if request is not None and request.client:
        host = direct_client(request.client.host, request.headers)
    return write_denial(host, f"Bearer {token}" if token else None, components.settings)


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
            pasted = gr.Textbox(label="…or paste an article", lines=6, elem_id="bb-paste")
    add = gr.Button("Add to library", variant="primary", elem_id="bb-add")
    results = gr.HTML(elem_id="bb-results")

    def show_library():
        choices = _choices(components)
        return library_html(components.store.list_articles()), gr.Dropdown(choices=choices, value=None)

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
        rows: list[dict] = []
        paths = [Path(p) for p in uploads or []]
        total = len(paths) + (1 if body and body.strip() else 0)
        if total == 0:
            return (
                '<p class="bb-error">Choose files or paste an article first.</p>',
                *show_library(),
                gr.skip(),
                gr.skip(),
            )
        for i, path in enumerate(paths):
            progress((i, total), desc=f"Adding {path.name}")
            rows += [
                public_result(r).model_dump() for r in components.ingest.ingest_bytes(path.read_bytes(), path.name)
            ]
        if body and body.strip():
            progress((len(paths), total), desc="Adding the pasted article")
            pasted_article = PastedArticle(text=body, title=title.strip() or None)
            rows += [r.model_dump() for r in ingest_pasted(components, pasted_article)]
        progress((total, total), desc="Done")
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
