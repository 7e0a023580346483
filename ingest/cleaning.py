"""Drop the page noise that survives text extraction, paragraph by paragraph.

Photo captions, credits lines, "Read more"/"Follow us" prompts, newsletter pitches and author blurbs
are not reporting: a citation must never land on them, and they pollute retrieval. The rules are
about the *shape* of noise on news pages, not about any one site.
"""

from __future__ import annotations

import re

_NOISE_LINE = re.compile(
    r"""^\s*(?:
        (?:photo|image|picture|pictured|video|graphic|illustration|file\ photo)s?\s*(?:credits?)?\s*[:|\-\u2013\u2014]
      | credits?\s*[:|]
      | (?:source|via)\s*:\s*\S+\s*$
      | read\ (?:more|also|next)\b
      | also\ read\b
      | (?:watch|listen|related)\s*[:|]
      | (?:share|tweet|email|print|save|comments?|copy\ link|getty\ images)\s*$
      | related\s*(?::|stories|articles|coverage)
      | (?:also\ )?see\ also\b
      | follow\ us\b
      | (?:sign\ up|subscribe)\b.{0,80}(?:newsletter|updates|alerts|inbox)
      | (?:click|tap)\ here\b
      | share\ (?:this|on)\b
      | advertisement\s*$
      | (?:copyright|\u00a9)\s
      | all\ rights\ reserved
      | (?:we|this\ site)\ uses?\ cookies
      | about\ the\ author\b
      | (?:additional\ )?(?:reporting|writing|editing|compiled|translated)\ by\ [^.!?]{0,200}$
      | \((?:additional\ )?(?:reporting|writing|editing|compiled|translated)\ by\b
      | our\ standards\s*:
      | (?:listen\ to\ this\ article|scroll\ to\ continue|skip\ (?:to\ )?(?:main\ )?content|continue\ reading)\b
      | (?:download|get)\ (?:the|our)\ (?:\w+\ )?app\b
      | (?:image|photo)\ (?:caption|source)\b
      | (?:file\ )?photo\ by\b
      | (?:more|latest)\ (?:on|from|stories|news)\b[^.!?]{0,60}$
      | (?:get|receive)\ (?:the\ )?(?:latest|breaking)\ .{0,60}(?:newsletter|inbox|email|alerts?)
      | (?:tags|topics|filed\ under)\s*:
      | (?:updated|published|posted|last\ updated)\b[^.!?]{0,40}\d[^!?]{0,40}$
    )""",
    re.IGNORECASE | re.VERBOSE,
)

# "Blinken and Wang (Credits: The Business Times)", "Leaders at the summit (Photo: Reuters)"
_TRAILING_CREDIT = re.compile(
    r"(?:\((?:photo|image|picture|credits?|source|file)\s*(?:credits?)?\s*:[^)]*\)"
    r"|\((?:AP|AFP|Reuters|Getty|EPA|Xinhua|Yonhap|Kyodo|Pool)[A-Za-z ]*(?:Photo|Images)?/[^)]*\)"
    r"|\((?:photo|image|picture)s?\ by\ [^)]*\)"
    r"|\b(?:REUTERS|AFP|AP|EPA|GETTY IMAGES)(?:/[A-Z][\w. ]+)+)\s*\.?\s*$",
    re.IGNORECASE,
)
# An AP-style caption: "FILE - Secretary of State Antony Blinken ... (AP Photo/...)"
_CAPTION_START = re.compile(r"^(?:FILE|IN THIS PHOTO|PHOTO)\s*[-\u2013\u2014:]\s")
# An author blurb at the foot: "Jane Doe is a correspondent for ... / covers diplomacy for ..."
_AUTHOR_BIO = re.compile(
    r"^(?:[A-Z][\w.'\u2019-]+\s){1,3}(?:is|was)\s+(?:a|an|the)\s+(?:[\w-]+\s){0,4}"
    r"(?:correspondent|reporter|journalist|editor|writer|columnist|contributor|analyst|fellow|producer)\b"
    r"|^(?:[A-Z][\w.'\u2019-]+\s){1,3}(?:covers|reports on|writes about)\b"
)
_FIRST_PERSON = re.compile(r"\b(?:I am|I'm|I\u2019m|I have|I love|my (?:opinion|name|articles?|blog)|hey guys)\b", re.I)
_FOLLOW_PROMPT = re.compile(
    r"\b(?:follow (?:us|me)|subscribe|newsletter|on (?:twitter|facebook|instagram|telegram|x\.com))\b", re.I
)


def is_noise(paragraph: str, position_from_end: int) -> bool:
    """Whether one paragraph is page noise. `position_from_end` is 0 for the last paragraph."""
    text = paragraph.strip()
    if not text:
        return True
    words = len(text.split())
    if _NOISE_LINE.match(text):
        return True
    if words <= 40 and _TRAILING_CREDIT.search(text):
        return True
    if words <= 60 and _CAPTION_START.match(text):
        return True
    if position_from_end <= 2 and words <= 60 and _AUTHOR_BIO.search(text):
        return True
    # Author blurbs and sign-offs sit at the end and speak in the first person.
    if position_from_end <= 1 and words <= 80 and _FIRST_PERSON.search(text):
        return True
    if position_from_end <= 2 and words <= 40 and _FOLLOW_PROMPT.search(text):
        return True
    return False


def clean_paragraphs(paragraphs: list[str]) -> list[str]:
    kept = [" ".join(p.split()) for p in paragraphs]
    kept = [p for p in kept if p]
    total = len(kept)
    return [p for i, p in enumerate(kept) if not is_noise(p, total - 1 - i)]


def split_paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs; single line breaks inside a paragraph are soft wraps
    unless the text has no blank lines at all (then every line is a paragraph)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if re.search(r"\n\s*\n", text):
        return [" ".join(block.split("\n")) for block in re.split(r"\n\s*\n", text)]
    return text.split("\n")


def clean_text(text: str) -> str:
    """Cleaned article text: kept paragraphs joined by blank lines (what every offset refers to)."""
    return "\n\n".join(clean_paragraphs(split_paragraphs(text)))
