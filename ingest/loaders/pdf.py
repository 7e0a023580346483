"""PDFs with a text layer (pypdf). Scanned PDFs have none: they fail with that reason, no OCR."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator

from ingest.loaders.base import LoadError, text_document
from ingest.models import LoadedDocument

log = logging.getLogger(__name__)

MAX_PAGES = 300
_PAGE_NUMBER = re.compile(r"^\s*(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\s*$", re.I)


def load_pdf(data: bytes, name: str, url: str | None = None) -> Iterator[LoadedDocument]:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise LoadError("the PDF is password-protected")
        if len(reader.pages) > MAX_PAGES:
            raise LoadError(f"the PDF has {len(reader.pages)} pages, over the {MAX_PAGES}-page limit")
        pages = [_page_text(page) for page in reader.pages]
        info_title = (reader.metadata.title if reader.metadata else None) or None
    except LoadError:
        raise
    except Exception as exc:  # pypdf raises many types on damaged files
        log.info("pdf %s unreadable: %s", name, exc)
        raise LoadError("not a readable PDF") from exc
    text = reflow("\n\n".join(pages))
    if len(text.split()) < 5:
        raise LoadError("the PDF has no text layer (a scan?); nothing to read")
    title = info_title if info_title and len(info_title.split()) >= 3 else None
    yield text_document(text, source=name, title=title, url=url)


def _page_text(page) -> str:
    """Layout mode keeps vertical gaps as blank lines (paragraph breaks); its column padding goes."""
    try:
        text = page.extract_text(extraction_mode="layout") or ""
    except Exception:  # layout mode is stricter about odd fonts; the plain mode still reads them
        text = page.extract_text() or ""
    return "\n".join(re.sub(r"[ \t]{2,}", " ", line).strip() for line in text.split("\n"))


def reflow(text: str) -> str:
    """PDF lines are wrapped at the page width: join them into paragraphs again.

    A line ends its paragraph when the next is blank, or when it ends a sentence and is clearly
    shorter than the page's usual line. Hyphens at a line end join the word ("nego-\\ntiations").
    """
    lines = [line.rstrip() for line in text.replace("\r", "\n").split("\n")]
    lines = [line for line in lines if not _PAGE_NUMBER.match(line) or not line.strip()]
    widths = sorted(len(line) for line in lines if line.strip())
    usual = widths[int(len(widths) * 0.8)] if widths else 0
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        stripped = line.strip()
        if not stripped:
            if current:
                paragraphs.append(current)
                current = ""
            continue
        if current.endswith("-") and stripped[:1].islower():
            current = current[:-1] + stripped
        else:
            current = f"{current} {stripped}" if current else stripped
        if stripped[-1:] in '.!?:"\u201d' and len(line) < 0.85 * usual:
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return "\n\n".join(paragraphs)
