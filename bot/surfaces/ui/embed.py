"""The Embed tab: the snippet that puts the chat on another site, printed for this running server."""

from __future__ import annotations

from typing import Any

import gradio as gr


def server_base(request: gr.Request | None, components: Any) -> str:
    """The address another site's page must load from: BRIEFBOT_PUBLIC_URL when set, else the one
    the browser reached this server at."""
    if components.settings.public_url:
        return components.settings.public_url
    if request is not None:
        headers = request.headers
        host = headers.get("x-forwarded-host") or headers.get("host")
        scheme = headers.get("x-forwarded-proto") or request.url.scheme
        if host:
            return f"{scheme}://{host}"
    settings = components.settings
    return f"http://{settings.host}:{settings.port}"


def widget_snippet(base: str) -> str:
    return (
        f'<script src="{base}/embed/widget.js"\n'
        '        data-title="Briefbot"\n'
        '        data-greeting="Ask me about the diplomatic meetings in our articles."\n'
        '        data-position="bottom-right"\n'
        '        data-color="#1d4ed8" data-text-color="#ffffff"\n'
        '        data-open="false"></script>'
    )


def iframe_snippet(base: str) -> str:
    return (
        f'<iframe src="{base}/embed/chat?title=Briefbot" title="Briefbot chat"\n'
        '        style="width:380px;height:560px;border:1px solid #ddd;border-radius:12px"></iframe>'
    )


def origins_note(origins: list[str]) -> str:
    if not origins:
        return (
            "**No site may embed the chat yet.** Set `BRIEFBOT_EMBED_ORIGINS` to the sites' origins, "
            "comma-separated (e.g. `BRIEFBOT_EMBED_ORIGINS=https://news.example.org`), and restart."
        )
    listed = ", ".join(f"`{o}`" for o in origins)
    return f"Sites allowed to embed the chat (`BRIEFBOT_EMBED_ORIGINS`): {listed}."


def build_embed_tab(components: Any) -> dict[str, Any]:
    gr.Markdown(
        "Put Briefbot on your own site: a chat bubble from one `<script>` tag, or an iframe. "
        "The embedded chat only asks questions (it cannot add or delete articles), shows the numbered "
        "sources of each answer, and is limited per conversation and per day."
    )
    note = gr.Markdown()
    script_code = gr.Code(label="Chat bubble: paste before </body>", language="html", interactive=False)
    frame_code = gr.Code(label="Or an iframe", language="html", interactive=False)
    gr.Markdown(
        "Attributes: `data-title`, `data-greeting`, `data-position` (`bottom-right` or `bottom-left`), "
        "`data-color`, `data-text-color`, `data-open` (`true` opens the panel on load). "
        "The iframe takes the same settings as query parameters (`title`, `greeting`, `color`)."
    )

    def fill(request: gr.Request):
        base = server_base(request, components)
        return origins_note(components.settings.embed_origins), widget_snippet(base), iframe_snippet(base)

    return {"refresh": (fill, None, [note, script_code, frame_code])}
