"""`briefbot`: ingest articles, ask questions, manage the store, serve the UI.

A thin layer over the services: parse arguments, call a service, print. The JSON shapes printed
by `ask --json` and `ask --batch` are a contract relied on by evaluation tools.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import click

from bot.settings import Settings


def store_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--store and --chroma-url on every command that touches the store (they override BRIEFBOT_*)."""
    command = click.option(
        "--chroma-url", metavar="URL", help="A Chroma server, http://host:port (env BRIEFBOT_CHROMA_URL)."
    )(command)
    command = click.option(
        "--store",
        metavar="DIR",
        type=click.Path(file_okay=False, path_type=Path),
        help="Embedded store folder (env BRIEFBOT_STORE; default ~/.local/share/briefbot/store).",
    )(command)
    return command


def llm_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--llm and --llm-base-url on the commands that answer questions (they override BRIEFBOT_LLM*)."""
    command = click.option(
        "--llm-base-url",
        metavar="URL",
        default=None,
        help="Base URL of the model's server, e.g. http://127.0.0.1:8080/v1 (env BRIEFBOT_LLM_BASE_URL).",
    )(command)
    command = click.option(
        "--llm",
        metavar="SPEC",
        default=None,
        help="Phrase answers with a model: none | openai:MODEL | ollama:MODEL | local:PATH.gguf (env BRIEFBOT_LLM; "
        "default none). Every sentence it writes is checked against its citations.",
    )(command)
    return command


def components_for(store: Path | None, chroma_url: str | None, llm: str | None = None, llm_base_url: str | None = None):
    from bot.components import Components

    overrides: dict[str, Any] = {}
    if store is not None:
        overrides["store"] = store
    if chroma_url:
        overrides["chroma_url"] = chroma_url
    if llm is not None:
        overrides["llm"] = llm
    if llm_base_url is not None:
        overrides["llm_base_url"] = llm_base_url
    try:
        return Components(Settings(**overrides))
    except ValueError as exc:  # pydantic's ValidationError: a bad BRIEFBOT_* value or flag
        raise click.UsageError(str(exc)) from exc


def chat_for(components):
    """The chat service with the configured reader model, if any."""
    from bot.service import configured_chat

    return configured_chat(components)


class _Commands(click.Group):
    """A store that cannot serve (Chroma server down, disk full, token refused) ends any command with
    its one-line reason and exit status 1, not a traceback."""

    def invoke(self, ctx: click.Context):
        from vectorstore.errors import StoreError

        try:
            return super().invoke(ctx)
        except StoreError as exc:
            raise click.ClickException(str(exc)) from exc


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Briefbot: a cited briefing bot for news about diplomatic meetings.

    \b
    Typical use:
      briefbot ingest samples/
      briefbot ask "Who met in Munich?"
      briefbot serve
    """


@main.command()
@click.argument("sources", nargs=-1, metavar="[PATH_OR_URL]...")
@click.option(
    "--feed",
    "feeds",
    multiple=True,
    metavar="URL_OR_FILE",
    help="An RSS/Atom feed; each entry not seen before is ingested. Repeatable.",
)
@click.option("--progress/--no-progress", default=True, help="Show a progress bar on stderr.")
@click.option(
    "--nice",
    "niceness",
    type=click.IntRange(0, 19),
    default=None,
    help="CPU niceness of this ingest (env BRIEFBOT_INGEST_NICE, default 19; 0: normal priority).",
)
@store_options
def ingest(
    sources: tuple[str, ...],
    feeds: tuple[str, ...],
    progress: bool,
    niceness: int | None,
    store: Path | None,
    chroma_url: str | None,
) -> None:
    """Ingest articles from files, folders, zip archives, URLs and feeds.

    \b
    Files: .txt .md .html .htm .json .jsonl .pdf and .zip archives of them.
    URLs: http(s) pages, fetched and extracted like a saved page.
    Prints one line per article (new, updated, duplicate, or failed with the reason) and a summary.
    Exits 1 if any input failed; the others are stored all the same.
    """
    if not sources and not feeds:
        raise click.UsageError("give at least one PATH, URL or --feed")
    components = components_for(store, chroma_url)
    lower_priority(components.settings.ingest_nice if niceness is None else niceness)
    service = components.ingest
    report = _run_ingest(service, list(sources), list(feeds), show_progress=progress)
    sys.exit(1 if report.failed else 0)


def lower_priority(niceness: int) -> None:
    """Run this process (and the embedder threads it starts later, which inherit it) at `niceness`.

    A batch ingest beside a server answering questions would otherwise take both cores for its
    embedding and push the askers' p95 past a second; niced, it still runs at full speed on an idle
    machine. Only raises: lowering niceness needs privileges. No-op where the OS has no nice().
    """
    if not hasattr(os, "nice"):
        return
    current = os.nice(0)
    if niceness > current:
        os.nice(niceness - current)


def _run_ingest(service, sources: list[str], feeds: list[str], show_progress: bool):
    """One line per result on stdout, then the summary; the progress bar is drawn on stderr.

    stdout stays one line per article (scripts read it) however the bar is shown.
    """
    import time

    from ingest.service import IngestReport

    report = IngestReport()
    started = time.perf_counter()
    bar = click.progressbar(length=1, label="ingesting", file=sys.stderr, show_pos=True) if show_progress else None

    offset = 0  # inputs of the runs before this one (paths and URLs first, then feeds)

    def on_progress(done: int, total: int, result) -> None:
        if bar is not None:
            bar.length = max(offset + total, 1)
            bar.update(offset + done - bar.pos)

    def run(items) -> None:
        for result in items:
            report.results.append(result)
            if bar is not None and sys.stderr.isatty():
                click.echo("\r\033[K", nl=False, err=True)  # the result line replaces the bar; it redraws
            click.echo(result.line())

    if bar is not None:
        bar.__enter__()
    try:
        if sources:
            run(service.ingest_sources(sources, progress=on_progress))
        if feeds:
            offset = bar.pos if bar is not None else 0
            run(service.ingest_sources(feeds, feed=True, progress=on_progress))
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    report.seconds = time.perf_counter() - started
    click.echo(report.summary())
    return report


@main.command()
@click.argument("question", required=False)
@click.option(
    "--batch",
    "batch_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help='JSONL of {"id", "question"[, "session"]}; one JSON answer per line on stdout.',
)
@click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON.")
@llm_options
@store_options
def ask(
    question: str | None,
    batch_file: Path | None,
    as_json: bool,
    llm: str | None,
    llm_base_url: str | None,
    store: Path | None,
    chroma_url: str | None,
) -> None:
    """Ask a question (or a batch of them) and print the cited answer.

    With a model (--llm or BRIEFBOT_LLM), the JSON adds "mode" ("llm" or "extractive") and, when the
    model's answer was not used, "fallback" with the reason.
    """
    if bool(question) == bool(batch_file):
        raise click.UsageError("give either a QUESTION or --batch FILE")
    chat = chat_for(components_for(store, chroma_url, llm, llm_base_url))
    if batch_file:
        _ask_batch(chat, batch_file)
        return
    reply = chat.reply(question)
    answer = reply.answer
    if as_json:
        # One question: the answer plus why each cited sentence won (its probability and largest
        # feature contributions). Batch lines keep the evaluation contract exactly.
        shown = {**answer_json(answer), "why": answer.focus.why}
        if reply.reading is not None:
            shown["reader"] = reading_json(reply.reading)
        click.echo(json.dumps(shown, ensure_ascii=False, indent=2))
        return
    click.echo(answer.answer)
    for c in answer.citations:
        click.echo(f"  [{c.n}] {c.title} ({c.source}, chars {c.start}-{c.end})\n      {c.text}")
    if answer.fallback:
        click.echo(f"(extractive answer: {answer.fallback})", err=True)


def reading_json(reading) -> dict:
    """What verification did with each sentence the model wrote (`ask --json` only)."""
    return {
        "seconds": round(reading.seconds, 3),
        "written": reading.written,
        "dropped": reading.dropped,
        "sentences": [
            {
                "text": c.text,
                "shown": c.shown,
                "reason": c.reason,
                **(
                    {"overlap": round(c.support.overlap, 3), "similarity": round(c.support.similarity, 3)}
                    if c.support is not None
                    else {}
                ),
            }
            for c in reading.checked
        ],
    }


def answer_json(answer, qid: Any = None) -> dict:
    return {**({} if qid is None else {"id": qid}), **answer.public()}


def _ask_batch(chat, batch_file: Path) -> None:
    """Questions sharing a `session` are one conversation, asked in file order; output keeps input order."""
    for item, answer in chat.ask_conversations(_read_batch(batch_file)):
        click.echo(json.dumps(answer_json(answer, item.get("id")), ensure_ascii=False))
        sys.stdout.flush()


def _read_batch(batch_file: Path):
    with batch_file.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                item["question"] = str(item["question"])
            except (ValueError, KeyError, TypeError) as exc:
                raise click.ClickException(f"{batch_file}:{number}: not a question object ({exc})") from exc
            yield item


@main.command("list")
@click.option("--json", "as_json", is_flag=True)
@store_options
def list_articles(as_json: bool, store: Path | None, chroma_url: str | None) -> None:
    """List stored articles: id, title, outlet, published, source, passages."""
    rows = [a.summary() for a in components_for(store, chroma_url).store.headers()]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        click.echo(
            f"{r['id']}  {r['title']}  | {r['outlet'] or '-'} | {r['published'] or '-'} | "
            f"{r['source']} | {r['passages']} passages"
        )
    click.echo(f"{len(rows)} articles")


@main.command()
@click.argument("article_id")
@click.option("--json", "as_json", is_flag=True)
@store_options
def show(article_id: str, as_json: bool, store: Path | None, chroma_url: str | None) -> None:
    """Show one article's metadata and cleaned text."""
    article = components_for(store, chroma_url).store.get_article(article_id)
    if article is None:
        raise click.ClickException(f"no article with id {article_id}")
    if as_json:
        click.echo(json.dumps(article.model_dump(mode="json"), ensure_ascii=False, indent=2))
        return
    for key, value in article.summary().items():
        click.echo(f"{key:12} {value if value is not None else '-'}")
    click.echo(f"meetings     {len(article.meetings)}\n\n{article.text}")


@main.command()
@click.argument("article_id")
@store_options
def delete(article_id: str, store: Path | None, chroma_url: str | None) -> None:
    """Delete an article: its passages, lexical entries and briefing facts together."""
    if not components_for(store, chroma_url).ingest.delete(article_id):
        raise click.ClickException(f"no article with id {article_id}")
    click.echo(f"deleted {article_id}")


@main.command()
@click.option("--host", default=None, help="Interface to bind (env BRIEFBOT_HOST, default 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Port (env BRIEFBOT_PORT, default 7860).")
@click.option(
    "--embed-origins",
    default=None,
    metavar="ORIGINS",
    help="Comma-separated origins allowed to embed the chat (env BRIEFBOT_EMBED_ORIGINS; default: none).",
)
@click.option(
    "--admin-token",
    default=None,
    metavar="TOKEN",
    help="Bearer token required for ingest and delete over HTTP (env BRIEFBOT_ADMIN_TOKEN).",
)
@click.option(
    "--session-quota", default=None, type=int, help="Questions per conversation (env BRIEFBOT_SESSION_QUOTA)."
)
@click.option(
    "--daily-quota", default=None, type=int, help="Questions per day, all callers (env BRIEFBOT_DAILY_QUOTA)."
)
@click.option(
    "--client-quota", default=None, type=int, help="Questions per day per client address (env BRIEFBOT_CLIENT_QUOTA)."
)
@click.option(
    "--allowed-hosts",
    default=None,
    metavar="HOSTS",
    help="Comma-separated extra host names this server answers to (env BRIEFBOT_ALLOWED_HOSTS).",
)
@click.option(
    "--public-url",
    default=None,
    metavar="URL",
    help="The address users reach this server at, e.g. behind a TLS proxy (env BRIEFBOT_PUBLIC_URL).",
)
@click.option("--ingest-samples", is_flag=True, help="Ingest samples/articles/ first if the store is empty.")
@llm_options
@store_options
def serve(
    host: str | None,
    port: int | None,
    embed_origins: str | None,
    admin_token: str | None,
    session_quota: int | None,
    daily_quota: int | None,
    client_quota: int | None,
    allowed_hosts: str | None,
    public_url: str | None,
    ingest_samples: bool,
    llm: str | None,
    llm_base_url: str | None,
    store: Path | None,
    chroma_url: str | None,
) -> None:
    """Serve the chat UI, the JSON API and the embeddable widget."""
    from bot.surfaces.server import serve as run_server

    components = components_for(store, chroma_url)
    given = {
        "host": host,
        "port": port,
        "embed_origins": embed_origins,
        "admin_token": admin_token,
        "session_quota": session_quota,
        "daily_quota": daily_quota,
        "client_quota": client_quota,
        "allowed_hosts": allowed_hosts,
        "public_url": public_url,
        "llm": llm,
        "llm_base_url": llm_base_url,
    }
    overrides = {key: value for key, value in given.items() if value is not None}
    if overrides:
        # Re-validate through the settings model, so flags parse exactly like their env variables.
        try:
            components.settings = Settings(**{**components.settings.model_dump(), **overrides})
        except ValueError as exc:
            raise click.UsageError(str(exc)) from exc
    run_server(components, ingest_samples=ingest_samples)


@main.command("eval")
@click.argument("qa_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--articles",
    "articles_dir",
    required=True,
    type=click.Path(exists=True, path_type=Path),
    help="Folder of the articles the questions are about; ingested into a temporary store.",
)
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write each question with the bot's answer and what it missed (JSONL).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
@click.option("--limit", type=int, default=None, help="Ask only the first N questions (whole conversations are kept).")
@llm_options
def evaluate(
    qa_file: Path,
    articles_dir: Path,
    report: Path | None,
    as_json: bool,
    limit: int | None,
    llm: str | None,
    llm_base_url: str | None,
) -> None:
    """Score the bot on a gold question set (full answer, key recall, citations, abstention).

    With a model (--llm or BRIEFBOT_LLM), the LLM mode is scored beside the extractive mode, with
    latency p50/p95 of each and the share of the model's sentences that verification dropped.
    """
    from bot.evaluation import run_eval

    overrides = {k: v for k, v in {"llm": llm, "llm_base_url": llm_base_url}.items() if v is not None}
    try:
        Settings(**cast(dict[str, Any], overrides))  # a bad spec fails here, before the articles are ingested
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    run_eval(qa_file, articles_dir, report=report, as_json=as_json, echo=click.echo, overrides=overrides, limit=limit)


@main.command("fit-ranker")
@click.argument("set_dirs", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the weights (default: the package's bot/answer/ranker_weights.json).",
)
def fit_ranker(set_dirs: tuple[Path, ...], out: Path | None) -> None:
    """Fit the answer engine's weights on gold sets (folders with articles/ and qa.jsonl), by article folds."""
    from bot.answer.fit import run
    from bot.answer.ranker import WEIGHTS_FILE

    run(list(set_dirs), out or WEIGHTS_FILE, echo=click.echo)


if __name__ == "__main__":
    main()
