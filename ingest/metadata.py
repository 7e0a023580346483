"""Article metadata the page states: title, outlet, published date, canonical URL.

Sources, most trustworthy first: JSON-LD (`NewsArticle` and friends), meta tags (Open Graph,
`article:published_time`, Dublin Core, Parsely), then the text itself (a wire dateline such as
"BEIJING, Oct 26 (Reuters) -" names the outlet, and the date when a year is given). Everything here
is best effort: a missing field is None, never a guess dressed up as a fact.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from dateutil import parser as date_parser

_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_PLACE = r"[A-Z][A-Za-z'\u2019.\-]+(?:[ \-][A-Z][A-Za-z'\u2019.\-]+){0,3}"
_DASH = r"(?:--|[-\u2013\u2014])"

_WEEKDAY = r"(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?\s+)"
_DATELINE_DATE = rf"{_WEEKDAY}?(?:{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}\s+{_MONTHS})(?:,?\s+\d{{4}})?"
_OUTLET = r"[A-Z][A-Za-z&.\- ]{1,40}"

# "BEIJING, Oct 26 (Reuters) -", "Seoul, May 26 (Jiji Press)--", "WASHINGTON (AP) —",
# "MOSCOW, July 9, 2024 (Reuters) –", "UNITED NATIONS, Nov 3 (AFP) -", and with the region or
# country after the city: "SOCHI, Russia, Sept. 4, 2023 (Southline Dispatch) –".
# A dateline can also stand on a line of its own with no dash ("BEIJING, April 6, 2023 (Observer)"):
# then it must carry a date or an upper-case city, so that a short line such as "Blinken, Wang
# (Xinhua)" is not read as one.
_WIRE_DATELINE = re.compile(
    rf"^(?P<place>{_PLACE})"
    rf"(?:,\s*(?P<region>(?!{_MONTHS}\s|{_WEEKDAY}){_PLACE}))?"
    rf"(?:,\s*(?P<date>{_DATELINE_DATE}))?"
    rf"\s*\((?P<outlet>{_OUTLET})\)"
    rf"(?:\s*{_DASH}\s*|(?P<alone>\s*$))"
)
# "Kyiv • UNN", "Kyiv | UNN" on a line of its own
_BULLET_DATELINE = re.compile(
    rf"^(?P<place>{_PLACE})\s*[\u2022|\u00b7]\s*(?P<outlet>[A-Z][\w&.\-]*(?:\s[A-Z][\w&.\-]*){{0,3}})\s*$"
)


@dataclass(frozen=True)
class Dateline:
    place: str
    outlet: str | None
    date_text: str | None
    start: int
    end: int


def find_dateline(text: str, search_paragraphs: int = 4) -> Dateline | None:
    """The wire dateline at the start of one of the first paragraphs, with its span in `text`."""
    offset = 0
    for index, paragraph in enumerate(text.split("\n")):
        if index >= search_paragraphs * 2:  # blank separators count as lines
            break
        for pattern in (_WIRE_DATELINE, _BULLET_DATELINE):
            match = pattern.match(paragraph)
            if match and _stands_alone_without_marks(match):
                continue
            if match:
                groups = match.groupdict()
                return Dateline(
                    place=groups["place"].strip(),
                    outlet=(groups.get("outlet") or "").strip() or None,
                    date_text=groups.get("date"),
                    start=offset + match.start(),
                    end=offset + match.end(),
                )
        offset += len(paragraph) + 1
    return None


def _stands_alone_without_marks(match: re.Match[str]) -> bool:
    """A dashless line that is not a dateline: no date and a city not in capitals."""
    groups = match.groupdict()
    if groups.get("alone") is None:
        return False
    return not groups.get("date") and not groups["place"].isupper()


def normalize_date(value: object) -> str | None:
    """An ISO date (YYYY-MM-DD) from whatever a page or feed gives; None when it names no year."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (tuple, list)) and len(value) >= 3:  # time.struct_time from feedparser
        try:
            return date(int(value[0]), int(value[1]), int(value[2])).isoformat()
        except (TypeError, ValueError):
            return None
    text = str(value).strip()
    if not text or not re.search(r"\b(1[89]|20)\d\d\b", text):
        return None
    try:
        parsed = date_parser.parse(text, fuzzy=True, default=datetime(1900, 1, 1))
    except (ValueError, OverflowError, TypeError):
        return None
    if not 1900 < parsed.year < 2200:
        return None
    return parsed.date().isoformat()


@dataclass
class PageMetadata:
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    url: str | None = None


_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "blogposting", "webpage"}


def _jsonld_nodes(value: object):
    if isinstance(value, list):
        for item in value:
            yield from _jsonld_nodes(item)
    elif isinstance(value, dict):
        yield value
        if "@graph" in value:
            yield from _jsonld_nodes(value["@graph"])


def _type_names(node: dict) -> set[str]:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).casefold() for k in kinds if k}


def _name_of(value: object) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return str(value).strip() if isinstance(value, str) and value.strip() else None


def from_json_ld(blocks: list[str]) -> PageMetadata:
    """Headline, publisher and date from the first article-like JSON-LD node."""
    found = PageMetadata()
    for block in blocks:
        try:
            data = json.loads(block)
        except ValueError:
            continue
        for node in _jsonld_nodes(data):
            if not _type_names(node) & _ARTICLE_TYPES:
                continue
            found.title = found.title or _name_of(node.get("headline")) or _name_of(node.get("name"))
            found.outlet = found.outlet or _name_of(node.get("publisher")) or _name_of(node.get("sourceOrganization"))
            found.published = found.published or normalize_date(node.get("datePublished") or node.get("dateCreated"))
            url = node.get("url") or node.get("mainEntityOfPage")
            url = url.get("@id") if isinstance(url, dict) else url
            if isinstance(url, str) and url.startswith(("http://", "https://")):
                found.url = found.url or url
    return found


_TITLE_KEYS = ("og:title", "twitter:title", "dc.title", "parsely-title", "title")
_OUTLET_KEYS = ("og:site_name", "application-name", "publisher", "dc.publisher", "parsely-site", "twitter:site")
_DATE_KEYS = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "parsely-pub-date",
    "sailthru.date",
    "citation_publication_date",
)


def from_meta_tags(meta: dict[str, str]) -> PageMetadata:
    """`meta` maps lower-cased name/property to content."""

    def first(keys: tuple[str, ...]) -> str | None:
        for key in keys:
            value = (meta.get(key) or "").strip()
            if value:
                return value
        return None

    outlet = first(_OUTLET_KEYS)
    if outlet and outlet.startswith("@"):  # a twitter handle is not a name
        outlet = None
    published = None
    for key in _DATE_KEYS:
        published = normalize_date(meta.get(key))
        if published:
            break
    url = first(("og:url",))
    return PageMetadata(
        title=first(_TITLE_KEYS),
        outlet=outlet,
        published=published,
        url=url if url and url.startswith(("http://", "https://")) else None,
    )


def split_site_suffix(title: str, sitename: str | None) -> tuple[str, str | None]:
    """'Headline | Outlet' -> ('Headline', 'Outlet'); a hyphen only splits when the tail is the site name."""
    title = " ".join(title.split())
    match = re.match(r"^(.*\S)\s+[|\u2013\u2014]\s+([^|\u2013\u2014]{2,60})$", title)
    if match:
        return match.group(1), sitename or match.group(2).strip()
    if sitename:
        for sep in (" - ", " | ", " \u2013 ", " \u2014 ", " :: "):
            suffix = sep + sitename
            if title.casefold().endswith(suffix.casefold()):
                return title[: -len(suffix)].strip(), sitename
    return title, sitename


_TRACKING = re.compile(r"^(?:utm_\w+|fbclid|gclid|mc_cid|mc_eid|ocid|cmpid|smid|ref|src|at_medium|at_campaign)$", re.I)


def canonical_url(url: str | None) -> str | None:
    """The URL that identifies an article: no fragment, no tracking parameters, lower-case host.

    A feed's link with `?utm_source=rss` and the address a user pastes are the same article.
    """
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return url
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)])
    netloc = parts.hostname.lower() + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", query, ""))
