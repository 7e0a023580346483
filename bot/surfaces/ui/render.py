"""HTML for the UI, built from untrusted article text: every string passes through `text()`.

`text()` escapes HTML and also turns Markdown's punctuation into character references, because the
chat renders Markdown: an article sentence must not become a link, emphasis or a heading there.
The HTML built here uses only plain tags (details, summary, mark, ol, table) that Gradio's
sanitiser keeps, and classes styled by `UI_CSS`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.briefing_cards import SECTION_TITLES, Card
from bot.models import Answer, Citation
from vectorstore.models import Article, ArticleHeader

# HTML's specials and Markdown's punctuation, each as a numeric character reference (one pass).
_INERT = {ord(c): f"&#{ord(c)};" for c in "&<>\"'\\`*_[]{}()#+!|~$:"}


def text(value: object) -> str:
    """A value as inert text inside HTML or Markdown."""
    return ("" if value is None else str(value)).translate(_INERT)


def answer_text(answer_text_: str) -> str:
    """The answer sentence(s) with [n] markers shown as badges."""
    parts = re.split(r"(\[\d+\])", answer_text_)
    return "".join(
        f'<span class="bb-marker">{text(p)}</span>' if re.fullmatch(r"\[\d+\]", p) else text(p) for p in parts
    )


def passage_html(article: Article | None, citation: Citation, context_chars: int = 420) -> str:
    """The cited sentence highlighted inside its paragraph (or a window around it if the paragraph is long)."""
    if article is None or not (0 <= citation.start < citation.end <= len(article.text)):
        return f"<mark>{text(citation.text)}</mark>"
    body = article.text
    start = body.rfind("\n\n", 0, citation.start)
    start = 0 if start < 0 else start + 2
    end = body.find("\n\n", citation.end)
    end = len(body) if end < 0 else end
    start = max(start, citation.start - context_chars)
    end = min(end, citation.end + context_chars)
    before = ("… " if start > 0 and body[start - 1] != "\n" else "") + body[start : citation.start]
    after = body[citation.end : end] + (" …" if end < len(body) and body[end] != "\n" else "")
    return f"{text(before)}<mark>{text(body[citation.start : citation.end])}</mark>{text(after)}"


def source_meta(article: Article | None) -> str:
    if article is None:
        return ""
    return " · ".join(text(x) for x in (article.outlet, article.published) if x)


def citation_html(citation: Citation, article: Article | None) -> str:
    """One source, closed until its [n] is clicked: title, outlet, date; open: the highlighted passage."""
    meta = source_meta(article)
    return (
        f'<details class="bb-source bb-source-{citation.n}">'
        f'<summary><span class="bb-marker">[{citation.n}]</span> <b>{text(citation.title)}</b>'
        f"{f' <span class=bb-meta>{meta}</span>' if meta else ''}</summary>"
        f'<div class="bb-passage">{passage_html(article, citation)}</div>'
        "</details>"
    )


def answer_html(answer: Answer, articles: dict[str, Article]) -> str:
    """The chat message: the answer, then its numbered sources (click [n] to open the passage)."""
    out = f'<div class="bb-answer">{answer_text(answer.answer)}</div>'
    if answer.fallback and not answer.fallback.startswith("no-evidence"):
        # The model was configured but its answer is not this one: say why, under the answer.
        out += f'<p class="bb-meta bb-fallback">Answered without the model ({text(answer.fallback)}).</p>'
    if answer.citations:
        out += '<div class="bb-sources">' + "".join(
            citation_html(c, articles.get(c.article_id)) for c in answer.citations
        )
        out += "</div>"
    return out


def card_html(card: Card) -> str:
    """A briefing card: sections of cited lines, positions grouped by side, the cited sentences below."""
    meta = " · ".join(text(x) for x in (card.outlet, card.published) if x)
    out = [
        f'<article class="bb-card" data-card="{text(card.id)}">',
        f"<h3>{text(card.heading)}</h3>",
        f'<p class="bb-meta">From <i>{text(card.article_title)}</i>{f" · {meta}" if meta else ""}</p>',
    ]
    for section, title in SECTION_TITLES.items():
        lines = card.section(section)
        if not lines:
            continue
        out.append(f"<h4>{title}</h4><ul>")
        if section == "positions":
            for side in card.sides():
                out.append(f"<li><b>{text(side)}</b><ul>")
                out += [_line(line.text, line.n) for line in lines if line.side == side]
                out.append("</ul></li>")
        else:
            out += [_line(line.text, line.n) for line in lines]
        out.append("</ul>")
    out.append('<details class="bb-card-sources"><summary>Sources</summary><ol>')
    out += [f'<li value="{s.n}">“{text(s.text)}”</li>' for s in card.sources]
    out.append("</ol></details></article>")
    return "".join(out)


def _line(value: str, n: int) -> str:
    return f'<li>{text(value)} <span class="bb-marker">[{n}]</span></li>'


def cards_html(cards: list[Card], query: str = "") -> str:
    if not cards:
        if query:
            return f'<p class="bb-empty">No meeting involves “{text(query)}”.</p>'
        return '<p class="bb-empty">No meetings extracted yet. Add articles that report a meeting.</p>'
    return f'<p class="bb-meta">{len(cards)} meeting(s)</p>' + "".join(card_html(c) for c in cards)


def library_html(articles: Sequence[ArticleHeader]) -> str:
    if not articles:
        return '<p class="bb-empty">The library is empty. Add articles below.</p>'
    rows = "".join(
        f"<tr><td>{text(a.title)}</td><td>{text(a.outlet or '–')}</td><td>{text(a.published or '–')}</td>"
        f"<td>{a.passage_count}</td><td><code>{text(a.id)}</code></td></tr>"
        for a in articles
    )
    return (
        f'<p class="bb-meta">{len(articles)} article(s)</p><table class="bb-library">'
        "<thead><tr><th>Title</th><th>Outlet</th><th>Date</th><th>Passages</th><th>Id</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def article_html(article: Article | None) -> str:
    if article is None:
        return ""
    meta = " · ".join(text(x) for x in (article.outlet, article.published, article.source) if x)
    paragraphs = "".join(f"<p>{text(p)}</p>" for p in article.text.split("\n\n"))
    return (
        f'<div class="bb-article"><h3>{text(article.title)}</h3><p class="bb-meta">{meta} · '
        f"{article.passage_count} passages · {len(article.meetings)} meeting(s)</p>{paragraphs}</div>"
    )


def results_html(rows: list[dict]) -> str:
    """The per-file result table of an ingest."""
    if not rows:
        return ""
    body = "".join(
        f'<tr class="bb-{text(r["status"])}"><td>{text(r["source"])}</td><td>{text(r["status"])}</td>'
        f"<td>{text(r.get('title') or r.get('reason') or '')}</td></tr>"
        for r in rows
    )
    return f'<table class="bb-results"><thead><tr><th>Input</th><th>Result</th><th>Title / reason</th></tr></thead><tbody>{body}</tbody></table>'
