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
# An author blurb at the foot of the story, in the third person. The shape, not any one outlet:
# a byline name, "is/was" and, within a few words, a newsroom role ("Jane Doe is a diplomatic
# correspondent for ...", "Marta Reis is Atlas Desk's Americas correspondent, based in ...").
# Sources quoted in the story ("X is a senior fellow at ...", "Wang Yi is China's foreign minister")
# hold no newsroom role, so they stay. "and"/"who" end the search: "a diplomat and former editor"
# describes someone in the news; the search never runs past the end of a sentence.
_NAME = (
    r"(?!(?:The|This|That|These|Those|It|He|She|They|A|An|In|On|At|But|And)\b)"
    r"[A-Z\u00c0-\u00de][\w.'\u2019-]+(?:\s+(?:(?:de|da|do|dos|van|von|der|del|di|al|bin|le|la)\s+){0,2}"
    r"[A-Z\u00c0-\u00de][\w.'\u2019-]+){0,3}"
)
_ROLE = r"(?:correspondent|reporter|editor|writer|journalist|columnist|contributor|bureau\s+chief|producer)s?"
_AUTHOR_BIO = re.compile(
    rf"^[\s*_\u2013\u2014-]*{_NAME}\s+(?:is|was|has\s+been|serves\s+as)\s+(?:(?:a|an|the)\s+)?"
    rf"(?:(?!(?:and|who|which|that|but|whose)\b)(?:(?:\w\.){{1,3}}|[\w'\u2019&-]+)\s+){{0,6}}?{_ROLE}\b"
    rf"|^[\s*_\u2013\u2014-]*{_NAME}\s+(?:(?:covers|reports\s+on|writes\s+about)\b[^.!?]{{0,120}}?\bfor\b"
    r"|(?:reports|writes)\s+for\b)"
)
# The rest of a blurb, when it runs on in a paragraph of its own: "She previously reported from ..."
_BIO_CONTINUES = re.compile(
    r"^[\s*_]*(?:He|She|They)\s+(?:\w+\s+){0,2}?(?:has|had|was|were|is|previously|joined|covered|reported|worked|writes|lives)\b"
)
_FIRST_PERSON = re.compile(r"\b(?:I am|I'm|I\u2019m|I have|I love|my (?:opinion|name|articles?|blog)|hey guys)\b", re.I)
_FOLLOW_PROMPT = re.compile(
    r"\b(?:follow (?:us|me)|subscribe|newsletter|on (?:twitter|facebook|instagram|telegram|x\.com))\b", re.I
)


def is_noise(paragraph: str, position_from_end: int) -> bool:
    """Whether one paragraph is page noise.

    `position_from_end` is 0 for the story's last paragraph (not counting page chrome after it):
    blurbs and sign-offs are only recognised there, so a sentence of the same shape in the body
    ("Wang Yi is China's foreign minister.") is never taken for one.
    """
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
    if position_from_end <= 1 and words <= 60 and _AUTHOR_BIO.search(text):
        return True
    # Author blurbs and sign-offs sit at the end and speak in the first person.
    if position_from_end <= 1 and words <= 80 and _FIRST_PERSON.search(text):
        return True
    if position_from_end <= 2 and words <= 40 and _FOLLOW_PROMPT.search(text):
        return True
    return False


# Reference marks copied from encyclopedia-style pages ("...in 2019.[3]"). They are not reporting,
# and the answer text uses [n] for its own citations: a mark left in an article would read as one.
_FOOTNOTE_MARK = re.compile(r"\[(?:\d{1,3}|citation needed|note \d{1,3})\]", re.I)
_ANYWHERE = 1 << 30  # a position far from the end: only the rules that hold anywhere apply


def clean_paragraphs(paragraphs: list[str]) -> list[str]:
    """Paragraphs without page noise, whitespace collapsed.

    Two passes: chrome that is noise anywhere goes first, so a blurb followed by "Follow us" and
    a copyright line still counts as the story's last paragraph.
    """
    kept = [" ".join(_FOOTNOTE_MARK.sub("", p).split()) for p in paragraphs]
    kept = [p for p in kept if p and not is_noise(p, _ANYWHERE)]
    total = len(kept)
    out: list[str] = []
    in_bio = False
    for i, p in enumerate(kept):
        position = total - 1 - i
        if in_bio and len(p.split()) <= 60 and _BIO_CONTINUES.match(p):
            continue
        if is_noise(p, position):
            in_bio = in_bio or bool(_AUTHOR_BIO.search(p))
            continue
        in_bio = False
        out.append(p)
    return out


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
