"""Page noise is dropped paragraph by paragraph; reporting is kept word for word."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from ingest.cleaning import clean_text

BODY = [
    "Chinese Foreign Minister Wang Yi met US Secretary of State Antony Blinken in Munich on Friday.",
    "Wang urged Washington to lift the sanctions it has imposed on Chinese companies.",
    "Blinken said the United States would defend its interests and those of its allies.",
]

NOISE = [
    "Photo: US and Chinese delegations on the margins of the conference (Credits: Pool photo)",
    "Blinken and Wang before the talks (Photo: Reuters)",
    "FILE - Secretary of State Antony Blinken speaks in Washington, Feb. 1, 2024. (AP Photo/Mark Schiefelbein)",
    "Read more: Full coverage of the war in Ukraine",
    "Related stories: Wang meets Lavrov",
    "Sign up for our daily newsletter to get the top stories in your inbox",
    "Follow us on X and LinkedIn for the latest trade and business news.",
    "Advertisement",
    "(Reporting by Reuters in Moscow and New Delhi; written by Mark Trevelyan; edited by Javi West)",
    "Reporting by Guy Faulconbridge; Editing by Alex Richardson",
    "Our Standards: The Thomson Reuters Trust Principles.",
    "Copyright 2024 The Daily Planet. All rights reserved.",
    "Listen to this article",
    "Also read: Wang meets Lavrov in Beijing",
    "WATCH: Blinken arrives in Munich",
    "Share",
    "Getty Images",
    "Blinken arrives at the venue. (Photo by Kevin Dietsch/Getty Images)",
]


@pytest.mark.parametrize("noise", NOISE)
def test_noise_paragraphs_are_dropped_and_the_reporting_kept(noise):
    text = "\n\n".join([BODY[0], noise, BODY[1], BODY[2]])
    assert clean_text(text) == "\n\n".join(BODY)


def test_author_bio_and_follow_lines_at_the_end():
    text = "\n\n".join(
        [
            *BODY,
            "Jane Doe is a diplomatic correspondent for The Daily Planet based in Beijing.",
            "I am a freelance writer and I love covering Asia; my articles appear weekly.",
        ]
    )
    assert clean_text(text) == "\n\n".join(BODY)


@pytest.mark.parametrize(
    "reporting",
    [
        "Reporting by state media suggested that the talks ran late into the night.",
        "More than 40 people were killed in the attack on Monday, officials said.",
        "Follow-up talks are planned for June in Geneva, the ministry said.",
        "Photographs of the meeting were released by the Kremlin on Tuesday.",
        "Updated figures released on Monday showed trade rose 4% in 2023.",
        "Wang is a veteran diplomat who has met Blinken several times.",
    ],
)
def test_reporting_that_looks_a_little_like_noise_is_kept(reporting):
    text = "\n\n".join([BODY[0], reporting, BODY[1]])
    assert reporting in clean_text(text)


def test_soft_wraps_join_and_blank_lines_separate():
    text = "Wang met Blinken\nin Munich on Friday.\n\n\nBlinken raised\nconcerns about Russia."
    assert clean_text(text) == "Wang met Blinken in Munich on Friday.\n\nBlinken raised concerns about Russia."


STORY = [
    "Japanese Foreign Minister Aiko Mori met her Indonesian counterpart Budi Santoso in Jakarta on Monday.",
    "Mori urged Jakarta to open its nickel sector to Japanese investors.",
    "Santoso said Indonesia would decide on the licences by the end of the year.",
]


@pytest.mark.parametrize(
    "bio",
    [
        "Hana Lindqvist is the Harbour Herald's Southeast Asia correspondent. She has reported from Jakarta since 2019.",
        "Tomás Ferreira is Coastline News's diplomatic editor, based in Lisbon. He previously covered the EU.",
        "Ravi Menon covers trade and foreign policy for the Lantern Post.",
        "Ana de la Cruz is a freelance journalist based in Manila.",
        "*Olu Adeyemi is a U.S. correspondent for the Delta Ledger.*",
        "Greta Holm was the Nordic Times' Beijing bureau chief until 2022.",
    ],
)
def test_third_person_author_blurbs_at_the_end_are_dropped(bio):
    text = "\n\n".join([*STORY, bio])
    assert clean_text(text) == "\n\n".join(STORY)


def test_a_blurb_followed_by_page_chrome_still_counts_as_the_end():
    tail = [
        "Hana Lindqvist is the Harbour Herald's Southeast Asia correspondent.",
        "She previously reported from Bangkok and Hanoi.",
        "Follow us on Telegram for breaking news.",
        "Copyright 2025 Harbour Herald. All rights reserved.",
    ]
    assert clean_text("\n\n".join(STORY + tail)) == "\n\n".join(STORY)


@pytest.mark.parametrize(
    "reporting",
    [
        "Santoso is Indonesia's foreign minister.",
        "Santoso is a career diplomat and a former editor of a Jakarta newspaper.",
        "Mori is Japan's top diplomat. She was once a reporter in Osaka.",
        "Dewi Lestari is a senior fellow at the Jakarta Policy Institute and said the deal was likely.",
        "The agreement covers nickel and cobalt for five years.",
    ],
)
def test_people_in_the_news_described_at_the_end_stay(reporting):
    text = "\n\n".join([*STORY, reporting])
    assert clean_text(text).endswith(reporting)


def test_a_correspondent_in_the_body_is_reporting_not_a_blurb():
    body = "Budi Santoso was a foreign correspondent before he became a diplomat, officials noted."
    text = "\n\n".join([STORY[0], body, STORY[1], STORY[2]])
    assert body in clean_text(text)


def test_reference_marks_are_dropped_so_they_never_read_as_answer_citations():
    from ingest.cleaning import clean_text

    cleaned = clean_text("Wang met Blinken in Munich.[1] They agreed [2] to talk again.[citation needed]")
    assert cleaned == "Wang met Blinken in Munich. They agreed to talk again."


# -- noise by shape: a corpus of lines written in many outlets' styles ----------------------------------

NOISE_CORPUS = Path(__file__).resolve().parent / "fixtures" / "noise"


def _corpus(name: str) -> list[str]:
    lines = (NOISE_CORPUS / name).read_text("utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def _noise_cases() -> list[tuple[str, int]]:
    """(line, where it is put in STORY): the end, just under the headline, or anywhere."""
    places = {"end": [len(STORY)], "start": [1], "any": [1, 2, len(STORY)]}
    cases = []
    for row in _corpus("noise_lines.txt"):
        where, line = row.split("\t", 1)
        cases += [(line, at) for at in places[where]]
    return cases


HEADLINE_STORY = ["Japan and Indonesia agree on nickel investment talks", *STORY]


@pytest.mark.parametrize(("line", "at"), _noise_cases())
def test_noise_lines_in_many_styles_are_dropped_by_their_shape(line, at):
    paragraphs = [*HEADLINE_STORY[:at], line, *HEADLINE_STORY[at:]]
    assert clean_text("\n\n".join(paragraphs)) == "\n\n".join(HEADLINE_STORY)


@pytest.mark.parametrize("line", _corpus("reporting_lines.txt"))
@pytest.mark.parametrize("at", [1, 2, len(HEADLINE_STORY)])
def test_reporting_with_a_noisy_shape_is_kept_anywhere(line, at):
    paragraphs = [*HEADLINE_STORY[:at], line, *HEADLINE_STORY[at:]]
    assert clean_text("\n\n".join(paragraphs)) == "\n\n".join(paragraphs)


def test_a_page_foot_of_stacked_labels_and_credits_is_dropped_whole():
    foot = ["Topics: Indonesia, Japan, Nickel", "Most read", "Recommended for you", "Comments (3)", "###"]
    assert clean_text("\n\n".join(HEADLINE_STORY + foot)) == "\n\n".join(HEADLINE_STORY)


# -- the gold sets: what their articles store -----------------------------------------------------------

# The gold articles' page noise, by set and file: a hash of each noise paragraph as the cleaner
# receives it (so no article text is copied here), with its shape. The test checks that each is
# still in what the loader extracts (the list stays true) and that none is stored.
GOLD_NOISE = {
    "seed/000_blinken_wang_munich.txt": {
        "5235df7b3c5bd152": "credit line",
        "0ad0717f9228500d": "photo caption with a credit",
        "7f420e6d3aec838f": "first-person author blurb at the end",
    },
    "dev/001_blinken_wang_yi_munich_2024.txt": {"fde344f8b77c66ee": "photo caption"},
    "dev/004_modi_putin_moscow_2024.txt": {
        "731cb9e88129831b": "read-more prompt",
        "6dee71347057d356": "wire credits in brackets",
    },
    "dev/007_raimondo_wang_wentao_washington_2023.txt": {"41a15cd842309aee": "follow prompt"},
    "dev2/001_pashinyan_aliyev_brussels_2023.txt": {
        "b1755dd7056c8034": "byline: name | desk | date",
        "e735498c4df729d0": "read-more prompt",
        "94a6869eff0e3623": "author blurb at the end",
    },
    "dev2/002_vucic_kurti_borrell_brussels_2023.txt": {"83bbd0a3f275716a": "credit and follow prompt"},
    "dev2/003_sisi_abiy_cairo_gerd_2023.txt": {
        "d826b75399cf394c": "photo caption",
        "811745c71d7c5546": "credit: compiled by a newsdesk",
    },
    "dev2/004_maduro_ali_argyle_2023.html": {"ff8297fce9093175": "read-more prompt"},
    "dev2/005_biden_lula_white_house_2023.txt": {"56dc6d47737d155a": "end mark"},
    "dev2/006_erdogan_zelenskyy_istanbul_2023.txt": {
        "707c690301095c0d": "photo credit",
        "59b855bd35194c5f": "follow prompt",
    },
    "dev2/007_eu_tunisia_mou_carthage_2023.html": {"cdcea537f58c22be": "read-more prompt"},
    "dev2/008_african_peace_mission_kyiv_st_petersburg_2023.md": {
        "a95742f50e095010": "byline: name, place | date",
        "4bad1d17bab784a5": "read-more prompt",
        "2fff694abf3db6b0": "author blurb at the end",
    },
    "dev2/009_ethiopia_tplf_pretoria_au_2022.txt": {"1d7e01fa9e3a5879": "wire credits in brackets"},
    "dev2/010_eu_mercosur_montevideo_2024.html": {"654660ac3eefc37a": "read-more prompt"},
    "dev2/011_petro_maduro_caracas_2022.txt": {
        "8f1921a81b7f9c90": "photo caption",
        "47c755e819f90424": "read-more prompt",
        "b715d667f7d9b7c3": "follow prompt",
    },
}


def _digest(paragraph: str) -> str:
    return hashlib.sha256(paragraph.encode("utf-8")).hexdigest()[:16]


def _load_recording(path: Path, monkeypatch) -> tuple[list[str], str]:
    """The paragraphs the cleaner was given for this article, and the text stored."""
    import ingest.loaders.base as base
    import ingest.loaders.html as html
    from ingest.cleaning import split_paragraphs
    from ingest.loaders import load_path

    given: list[str] = []

    def recording(text: str) -> str:
        given.extend(" ".join(p.split()) for p in split_paragraphs(text))
        return clean_text(text)

    monkeypatch.setattr(base, "clean_text", recording)
    monkeypatch.setattr(html, "clean_text", recording)
    (doc,) = load_path(path)
    return given, doc.text


def test_the_gold_sets_articles_store_none_of_their_noise_lines(eval_dir, monkeypatch):
    for name, noise in GOLD_NOISE.items():
        given, stored = _load_recording(eval_dir / name.split("/")[0] / "articles" / name.split("/")[1], monkeypatch)
        extracted = {_digest(p) for p in given}
        kept = {_digest(p) for p in stored.split("\n\n")}
        assert set(noise) <= extracted, f"{name}: a listed noise line is no longer in the article"
        assert not set(noise) & kept, f"{name}: stored {[noise[h] for h in set(noise) & kept]}"


def test_every_gold_evidence_sentence_is_stored_in_all_sets(eval_dir):
    from ingest.loaders import load_path

    for split in ("seed", "dev", "dev2"):
        records = [json.loads(line) for line in (eval_dir / split / "articles.jsonl").open(encoding="utf-8")]
        texts = {r["id"]: next(iter(load_path(eval_dir / split / r["file"]))).text for r in records}
        for line in (eval_dir / split / "qa.jsonl").open(encoding="utf-8"):
            question = json.loads(line)
            ids = question["article_id"] if isinstance(question["article_id"], list) else [question["article_id"]]
            for sentence in question.get("evidence") or []:
                assert any(sentence in texts.get(i, "") for i in ids if i), (split, question["id"], sentence)


def test_a_list_item_on_its_own_line_is_never_a_soft_wrap():
    from ingest.cleaning import split_paragraphs

    text = (
        "The two sides agreed on the following:\n1. To expand the port\nwith a new loan.\n"
        "2. To start talks on an investment treaty.\n- To meet every year.\n\n"
        "Ruto said Kenya would not take on\nmore debt."
    )
    assert split_paragraphs(text) == [
        "The two sides agreed on the following:",
        "1. To expand the port with a new loan.",
        "2. To start talks on an investment treaty.",
        "- To meet every year.",
        "Ruto said Kenya would not take on more debt.",
    ]


def test_a_dash_or_a_number_opening_a_wrapped_line_is_no_list_item():
    from ingest.cleaning import split_paragraphs

    text = "He met Rubio in Geneva on Tuesday\n- the first such meeting since 2022 - and agreed\nto resume talks on March\n3. Officials said so.\n\nNext."
    assert split_paragraphs(text)[0] == (
        "He met Rubio in Geneva on Tuesday - the first such meeting since 2022 - and agreed to resume talks on March "
        "3. Officials said so."
    )
