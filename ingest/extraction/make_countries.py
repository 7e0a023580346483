"""Regenerate `countries.json` (names, demonyms, capitals of every country) from the `countryinfo` package.

Run: `python -m ingest.extraction.make_countries` (needs the `data` extra: `pip install .[data]`).
The output is committed, so the product never imports countryinfo: the data is read once at start.

Kept from the dataset: the common name, Latin-script alternative names of more than three letters
(ISO codes such as "TR" or "CN" are words of other texts), the demonym and the capital (its first
word group: "Washington D.C." -> "Washington"). Dropped: capitals that are also common English
words or given names, which would turn "Victoria said" into a country.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

TARGET = Path(__file__).with_name("countries.json")
_AMBIGUOUS_CAPITALS = {"Male", "Victoria", "Kingston", "Saint John's", "Castries", "Hamilton", "Nassau", "Sucre"}
_LATIN = re.compile(r"^[A-Za-zÀ-ÿ' .-]+$")


def _capital(value: str | list[str] | None) -> str | None:
    if isinstance(value, list):  # a few countries list several seats: the first is the capital
        value = value[0] if value else None
    if not value:
        return None
    value = re.sub(r"\s+D\.C\.$", "", value.strip())
    return None if value in _AMBIGUOUS_CAPITALS or not _LATIN.match(value) else value


def build() -> dict[str, dict[str, list[str]]]:
    from countryinfo import all_countries

    out: dict[str, dict[str, list[str]]] = {}
    for country in all_countries():
        info = country.info()
        name = (info.get("name") or "").strip()
        if not name or not _LATIN.match(name):
            continue
        names = [name] + [
            alt
            for alt in info.get("altSpellings") or []
            if len(alt) > 3 and _LATIN.match(alt) and not alt.isupper() and alt != name
        ]
        demonym = info.get("demonym") or ""
        demonym = (demonym[0] if isinstance(demonym, list) and demonym else str(demonym)).strip()
        capital = _capital(info.get("capital"))
        out[name] = {
            "names": list(dict.fromkeys(names)),
            "demonyms": [demonym] if demonym and _LATIN.match(demonym) else [],
            "capitals": [capital] if capital else [],
        }
    return dict(sorted(out.items()))


def main() -> None:
    TARGET.write_text(json.dumps(build(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
