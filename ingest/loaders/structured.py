"""Exports from other tools: JSON (an object, a list, or {"articles": [...]}) and JSON Lines.

Each record needs `text`; `title`, `url`, `published`, `outlet` are used when present (a few
common aliases too). A bad record fails alone, named by its position.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from ingest.loaders.base import LoadError, LoadFailure, decode_text, text_document
from ingest.metadata import normalize_date
from ingest.models import LoadedDocument

_ALIASES = {
    "text": ("text", "content", "body", "article", "full_text"),
    "title": ("title", "headline"),
    "url": ("url", "link", "source_url"),
    "published": ("published", "date", "published_at", "pubDate", "datePublished"),
    "outlet": ("outlet", "source", "publisher", "site", "site_name"),
}
_LOOKS_HTML = re.compile(r"<\s*(?:p|div|br|article|span|h[1-6])\b", re.I)


def _field(record: dict, name: str) -> str | None:
    for key in _ALIASES[name]:
        value = record.get(key)
        if isinstance(value, dict):
            value = value.get("name")
        if isinstance(value, (str, int, float)) and str(value).strip():
            return str(value).strip()
    return None


def record_document(record: object, source: str) -> LoadedDocument:
    if not isinstance(record, dict):
        raise LoadError("not a JSON object")
    text = _field(record, "text")
    if not text:
        raise LoadError('no "text" field')
    url = _field(record, "url")
    if url and not url.startswith(("http://", "https://")):
        url = None
    if _LOOKS_HTML.search(text):
        from ingest.loaders.html import html_to_document

        page = (
            text
            if re.search(r"<\s*(?:html|body)\b", text, re.I)
            else f"<html><body><article>{text}</article></body></html>"
        )
        doc = html_to_document(page, source=source, url=url)
        title = _field(record, "title")
        return doc.model_copy(
            update={
                "title": title or doc.title,
                "outlet": _field(record, "outlet") or doc.outlet,
                "published": normalize_date(_field(record, "published")) or doc.published,
            }
        )
    return text_document(
        text,
        source=source,
        title=_field(record, "title"),
        url=url,
        outlet=_field(record, "outlet"),
        published=_field(record, "published"),
    )


def _records(value: object) -> list:
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        for key in ("articles", "items", "data", "results"):
            if isinstance(value.get(key), list):
                return value[key]
        return [value]
    raise LoadError("JSON holds no article objects")


def load_json(data: bytes, name: str, url: str | None = None) -> Iterator[LoadedDocument | LoadFailure]:
    try:
        value = json.loads(decode_text(data))
    except (ValueError, RecursionError) as exc:
        raise LoadError(f"not valid JSON ({str(exc).splitlines()[0][:80]})") from exc
    records = _records(value)
    if not records:
        raise LoadError("JSON holds no article objects")
    yield from _each(records, name, lambda i: f"{name}[{i}]")


def load_jsonl(data: bytes, name: str, url: str | None = None) -> Iterator[LoadedDocument | LoadFailure]:
    lines = [(n, line) for n, line in enumerate(decode_text(data).splitlines(), 1) if line.strip()]
    if not lines:
        raise LoadError("no JSON lines")
    for number, line in lines:
        source = f"{name}:{number}"
        try:
            record = json.loads(line)
        except (ValueError, RecursionError):
            yield LoadFailure(source, "not valid JSON")
            continue
        yield from _each([record], name, lambda _i, s=source: s)


def _each(records: list, name: str, label) -> Iterator[LoadedDocument | LoadFailure]:
    for index, record in enumerate(records):
        source = label(index)
        try:
            yield record_document(record, source)
        except LoadError as exc:
            yield LoadFailure(source, str(exc))
