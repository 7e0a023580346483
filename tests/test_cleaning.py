"""Page noise is dropped paragraph by paragraph; reporting is kept word for word."""

from __future__ import annotations

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
        BODY
        + [
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
