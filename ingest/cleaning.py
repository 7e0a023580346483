"""Drop the page noise that survives text extraction, paragraph by paragraph.

Photo captions, credits lines, "Read more"/"Follow us" prompts, newsletter pitches and author blurbs
are not reporting: a citation must never land on them, and they pollute retrieval. The rules are
about the *shape* of noise on news pages, not about any one site:

- where a line sits: bylines and publication lines come between the headline and the story, blurbs,
  credits and page chrome after its last paragraph;
- whom it addresses: noise speaks to the reader, in the second person or the imperative ("Follow
  ...", "Sign up ...", "Have a tip?"), about the page itself (newsletter, app, comments, coverage);
- what it holds: a URL, a handle or an address on a line of its own; a credit ("Compiled by" and
  names); an end mark ("###", "-30-");
- what it lacks: a sentence of reporting. A line with a verb of reporting ("said", "told", "agreed",
  "urged", "according to" ...) or a quotation is kept whatever else its shape says, so a citation
  can always land on what the story reports.
"""

from __future__ import annotations

import re

from ingest.segment import MARKED_ITEM

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


# -- shapes --------------------------------------------------------------------------------------

# A sentence of reporting: a verb of saying or of diplomatic action in a finite form, or a source.
# (Base forms are left out: "Tell us ...", "Join our channel" are the reader prompts' own verbs.)
_REPORTING = re.compile(
    r"\b(?:said|says|told|tells|added|adds|stated|announced|agreed|agrees|urged|urges|warned|warns|noted|"
    r"met|meets|held|signed|asked|demanded|insisted|stressed|pledged|promised|expressed|described|"
    r"discussed|welcomed|condemned|rejected|accused|visited|hosted|arrived|confirmed|denied|declined|"
    r"acknowledged|argued|explained|replied|responded|showed|wrote|reported(?!\s+by)|according\s+to|"
    r"quoted|cited)\b",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"[\"\u201c\u201d\u00ab\u00bb]")
# What a prompt to the reader is about: the page, the outlet, the reader's own channels.
_READER_THINGS = re.compile(
    r"\b(?:us|our|newsletters?|inbox|app|apps|alerts?|notifications?|comments?|podcasts?|channel|"
    r"coverage|updates|live\s+blog|subscriptions?|subscribe|members?|membership|journalism|tips?|"
    r"feed|story|article|here|below|above|javascript|video|patron|ads|access|friend|link|page|window|"
    r"whatsapp|facebook|twitter|telegram|linkedin|instagram|youtube|mastodon|bluesky|threads|google\s+news)\b",
    re.IGNORECASE,
)
# Verbs a page uses to tell its reader what to do (the imperative opens the line).
_READER_VERB = re.compile(
    r"^[\W_]*(?:follow|subscribe|sign\s+up|register|join|download|get|listen|watch|read|click|tap|share|"
    r"like|comment|tell|send|email|e-mail|contact|support|donate|become|stay|don't\s+miss|do\s+not\s+miss|"
    r"never\s+miss|continue|scroll|see|explore|discover|find|visit|check|try|enable|learn|want|enjoying|"
    r"have|please|add|turn\s+on|bookmark|install)\b(?![-\u2010\u2011])",
    re.IGNORECASE,
)
# Prompts that are never anything else, whatever they are about.
_READER_ONLY_VERB = re.compile(
    r"^[\W_]*(?:subscribe|sign\s+up|don't\s+miss|do\s+not\s+miss|never\s+miss|click|tap|scroll|bookmark)\b",
    re.IGNORECASE,
)
_SECOND_PERSON = re.compile(r"\b(?:you|your|you're|you\u2019re|yours)\b", re.IGNORECASE)
_LINK = re.compile(
    r"(?:https?://|\bwww\.|\bpic\.twitter\.com/|(?<![\w@])@\w{2,}|\b[\w.+-]+@[\w-]+\.[\w.]+|"
    r"\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|gov|int|example|news|info|io|co|uk|de|fr|eu)(?:/\S*)?\b)",
    re.IGNORECASE,
)
# A credit line: who wrote, edited, compiled or translated the piece, and nothing else.
_CREDIT = re.compile(
    r"^[\W_]*(?:(?:story|text|words|reporting|writing|editing|research|graphics|photos?|video|additional\s+reporting)"
    r"\s+(?:by|from)|(?:written|edited|compiled|reported|produced|prepared|translated|filed|posted|curated)"
    r"\b[^.;|]{0,40}?\bby|with\s+(?:additional\s+)?(?:reporting|inputs|contributions|files)\s+(?:by|from)|"
    r"by)\s+(?P<rest>.+)$",
    re.IGNORECASE,
)
# What may follow "by" in a credit: names (capitalised), roles, desks, places, dates, separators.
_CREDIT_WORD = re.compile(
    r"^(?:[A-Z\u00c0-\u00de][\w.'\u2019-]*|[A-Z]{2,}|\d[\w:.,]*|and|&|in|at|from|of|the|for|on|with|"
    r"staff|desk|newsdesk|team|bureau|agencies|editing|edited|writing|written|reporting|reported|"
    r"additional|by|video|photos?|graphics|correspondents?|reporters?|editors?|producers?|admin)$"
)
_END_MARK = re.compile(r"^[\W_]*(?:#{2,}|-30-|\*(?:\s*\*){2,}|end|ends|endit)[\W_]*$", re.IGNORECASE)
# A line of page furniture separated by pipes or bullets: "Desk | Published 14:05 | Updated 16:20".
_SEPARATOR = re.compile(r"\s[|\u2022\u00b7]\s")
_FURNITURE_WORD = re.compile(
    r"\b(?:by|desk|correspondent|editor|reporter|staff|published|updated|posted|min(?:ute)?s?\s+read|"
    r"gmt|utc|bst|cet|edt|est)\b",
    re.IGNORECASE,
)
# The foot of a story: who wrote it and whose views these are.
_AUTHOR_NOTE = re.compile(
    r"^[\s*_\u2013\u2014-]*(?:the\s+(?:author|authors|writer|columnist)\b|this\s+writer\b|about\s+the\s+authors?\b|"
    r"views\s+expressed\b|the\s+views\s+expressed\b|opinions\s+expressed\b)",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?:[.!?][\"\u201d\u2019)]*|[\"\u201d])\s*$")
# Verbs of saying: a note about the author that quotes its subject is reporting about a person.
_SAYS = re.compile(r"\b(?:said|says|told|tells|according\s+to)\b", re.IGNORECASE)
# The words of a page's own labels ("Most read", "More from the Europe desk", "Comments (12)").
_PAGE_LABEL = re.compile(
    r"\b(?:most|read|recommended|related|more|latest|popular|trending|sponsored|advertisement|share|print|"
    r"email|comments?|newsletters?|topics|tags|you|stories|articles|video|podcast)\b",
    re.IGNORECASE,
)


def reports(text: str) -> bool:
    """Whether a line holds a sentence of reporting: a verb of saying or acting, or a quotation."""
    return bool(_REPORTING.search(text) or _QUOTED.search(text))


def speaks_to_reader(text: str) -> bool:
    """A prompt to the reader: an imperative (or a question) to the reader, or "you", about the page,
    the outlet or the reader's channels; never a line that reports."""
    if len(text.split()) > 45 or reports(text):
        return False
    if _READER_ONLY_VERB.match(text):
        return True
    about_page = bool(_READER_THINGS.search(text) or _LINK.search(text))
    return about_page and bool(_READER_VERB.match(text) or _SECOND_PERSON.search(text))


def is_link_line(text: str) -> bool:
    """A URL, a handle or an address with a few words around it (a sentence that names a website
    in passing is longer, or reports)."""
    words = len(text.split())
    short = words <= 8 or (words <= 25 and not _SENTENCE_END.search(text))
    return short and bool(_LINK.search(text)) and not reports(text)


def is_credit(text: str) -> bool:
    """'Compiled by the Meridian newsdesk.', 'With reporting from Nairobi by ...': a role and names."""
    match = _CREDIT.match(text.strip())
    if not match or len(text.split()) > 25 or _REPORTING.search(text.replace("reported by", "")):
        return False
    words = [w.strip(".,;:") for w in re.findall(r"[\w.'\u2019&-]+", match["rest"])]
    return bool(words) and all(_CREDIT_WORD.match(w) for w in words if w)


def is_furniture(text: str) -> bool:
    """'Nairobi Desk | Published 14:05 GMT | Updated 16:20 GMT': short segments between separators
    naming a desk, an author or a time. (A two-part dateline, 'Kyiv • UNN', names neither.)"""
    if len(text.split()) > 20 or reports(text) or _SENTENCE_END.search(text.rstrip("*_ ")):
        return False
    return bool(_SEPARATOR.search(text) and _FURNITURE_WORD.search(text))


def is_end_mark(text: str) -> bool:
    return bool(_END_MARK.match(text))


def is_author_note(text: str) -> bool:
    """'The writer is a former ambassador ...', 'Views expressed are the author's own.'"""
    return len(text.split()) <= 60 and bool(_AUTHOR_NOTE.match(text)) and not _SAYS.search(text)


def is_tail_label(text: str) -> bool:
    """At the foot of a page, a short label in the page's own words that is no sentence: 'Most
    read', 'Comments (12)'. (A dateline, a date or a heading there is not about the page.)"""
    if len(text.split()) > 8 or _SENTENCE_END.search(text) or reports(text):
        return False
    return bool(_PAGE_LABEL.search(text))


# How far from the story's edges the edge-only shapes are looked for (after chrome anywhere is gone).
HEAD_PARAGRAPHS = 3  # the headline and up to two lines under it
TAIL_PARAGRAPHS = 2


def is_noise(paragraph: str, position_from_end: int, position_from_start: int | None = None) -> bool:
    """Whether one paragraph is page noise.

    `position_from_end` is 0 for the story's last paragraph (not counting page chrome after it):
    blurbs and sign-offs are only recognised there, so a sentence of the same shape in the body
    ("Wang Yi is China's foreign minister.") is never taken for one. `position_from_start` is 0 for
    the headline; bylines are recognised just under it.
    """
    text = paragraph.strip()
    if not text:
        return True
    words = len(text.split())
    if _NOISE_LINE.match(text):
        return True
    if is_end_mark(text) or speaks_to_reader(text) or is_link_line(text) or is_credit(text):
        return True
    at_head = position_from_start is not None and 0 < position_from_start < HEAD_PARAGRAPHS
    at_tail = position_from_end < TAIL_PARAGRAPHS
    if (at_head or at_tail) and is_furniture(text):
        return True
    if at_tail and (is_author_note(text) or is_tail_label(text)):
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
    return bool(position_from_end <= 2 and words <= 40 and _FOLLOW_PROMPT.search(text))


# Reference marks copied from encyclopedia-style pages ("...in 2019.[3]"). They are not reporting,
# and the answer text uses [n] for its own citations: a mark left in an article would read as one.
_FOOTNOTE_MARK = re.compile(r"\[(?:\d{1,3}|citation needed|note \d{1,3})\]", re.I)
_ANYWHERE = 1 << 30  # a position far from the end: only the rules that hold anywhere apply


def clean_paragraphs(paragraphs: list[str]) -> list[str]:
    """Paragraphs without page noise, whitespace collapsed.

    Three passes: chrome that is noise anywhere goes first, so a blurb followed by "Follow us" and
    a copyright line still counts as the story's last paragraph; then the edges, where bylines and
    blurbs sit; then the foot of the story again, from its end, for as long as the last paragraph
    is still a label, a credit or a note about the author (a page may stack several).
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
        if is_noise(p, position, i):
            in_bio = in_bio or bool(_AUTHOR_BIO.search(p))
            continue
        in_bio = False
        out.append(p)
    while len(out) > 2 and is_noise(out[-1], 0, len(out) - 1):
        out.pop()
    return out


def split_paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs; single line breaks inside a paragraph are soft wraps
    unless the text has no blank lines at all (then every line is a paragraph), or the next line is
    an item of a list that a lead-in opens ("The two sides agreed on the following:\n1. To ...\n2. To
    ...")."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not re.search(r"\n\s*\n", text):
        return text.split("\n")
    paragraphs: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines: list[str] = []
        in_list = False  # the lines so far are a lead-in ("... the following:") or an item of its list
        for line in block.split("\n"):
            item = bool(MARKED_ITEM.match(line) and line.strip(" \t-\u2022*\u2013()0123456789.").strip())
            # A marker opens an item only after a lead-in or another item: "Tuesday\n- the first such
            # meeting since 2022 -" is a dash in a wrapped sentence.
            if lines and item and (in_list or lines[-1].rstrip().endswith((":", ";"))):
                paragraphs.append(" ".join(lines))
                lines = []
                in_list = True
            lines.append(line)
        paragraphs.append(" ".join(lines))
    return paragraphs


def clean_text(text: str) -> str:
    """Cleaned article text: kept paragraphs joined by blank lines (what every offset refers to)."""
    return "\n\n".join(clean_paragraphs(split_paragraphs(text)))
