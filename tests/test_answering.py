"""Answers end to end over a real store (hash embedder): cited, short, and abstaining when they must.

The articles are written for these tests; the store, the lexical index, the extraction and the
answer composition are the real ones.
"""

from __future__ import annotations

import re

import pytest

from bot.answering import ABSTAIN
from bot.models import Turn
from ingest.models import LoadedDocument

OSLO = """Li and Whitfield trade demands in Oslo

OSLO, March 7 (Wire) - Chinese Foreign Minister Li Wen met US Secretary of State Dana Whitfield on Friday at the Nobel Institute in Oslo.
Li urged the US to lift export controls on Chinese chipmakers.
He also called on Washington to stop arms sales to the region.
Whitfield raised concerns about cyber attacks on American utilities.
The two sides agreed that their trade teams should meet again in May.
"""

LIMA = """Whitfield visits Lima for copper talks

Peruvian President Rosa Quispe received US Secretary of State Dana Whitfield in Lima on Tuesday.
Quispe asked the US to invest in the copper port at Callao.
Whitfield praised Peru's record on mining safety.
"""

KAZAN = """Quispe and Li discuss lithium

Peruvian President Rosa Quispe and Chinese Foreign Minister Li Wen held talks in Kazan about lithium supply.
Li said China would build a lithium refinery near Arequipa.
"""


@pytest.fixture
def chat(components):
    docs = [
        LoadedDocument(text=OSLO, title=OSLO.split("\n")[0], source="oslo.txt", published="2025-03-09"),
        LoadedDocument(text=LIMA, title=LIMA.split("\n")[0], source="lima.txt"),
        LoadedDocument(text=KAZAN, title=KAZAN.split("\n")[0], source="kazan.txt"),
    ]
    results = list(components.ingest.ingest_documents(docs))
    assert [r.status for r in results] == ["new", "new", "new"]
    return components.chat


def ingest_one(components, text: str, source: str, published: str) -> None:
    """One report, written for the test, stored whole; its first line is its headline."""
    doc = LoadedDocument(text=text, title=text.split("\n")[0], source=source, published=published)
    assert [r.status for r in components.ingest.ingest_documents([doc])] == ["new"]


def assert_well_cited(answer, store) -> None:
    """Every [n] has a citation, every citation is used, and each cites its article's exact characters."""
    used = {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)}
    assert used == {c.n for c in answer.citations}
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    for c in answer.citations:
        article = store.get_article(c.article_id)
        assert article.text[c.start : c.end] == c.text
        assert len(c.text) < 400  # a sentence, not the article


def test_who_met_names_the_other_participant(chat, components):
    answer = chat.ask("Who did Whitfield meet in Oslo?")
    assert not answer.abstained
    assert "Li Wen" in answer.answer
    assert_well_cited(answer, components.store)
    assert "Oslo" in answer.citations[0].text


def test_who_met_opens_with_the_short_fact_cited_to_the_sentence_that_states_it(chat, components):
    answer = chat.ask("Who did Whitfield meet in Oslo?")
    lead, _, _rest = answer.answer.partition("[1]")
    assert lead.strip() == "Dana Whitfield met Li Wen at the Nobel Institute in Oslo."
    assert "Li Wen met US Secretary of State Dana Whitfield" in answer.citations[0].text  # [1] shows all of it
    assert_well_cited(answer, components.store)


def test_demands_of_a_side_come_from_that_side(chat, components):
    answer = chat.ask("What did China ask the US to do?")
    assert "lift export controls" in answer.answer
    assert "cyber attacks" not in answer.answer  # the other side's words
    assert_well_cited(answer, components.store)


def test_where_and_when(chat, components):
    answer = chat.ask("Where and on what day did Li and Whitfield meet?")
    assert "Oslo" in answer.answer and "Friday" in answer.answer
    assert_well_cited(answer, components.store)


def test_outcome(chat):
    answer = chat.ask("What did Li and Whitfield agree?")
    assert "trade teams should meet again" in answer.answer


def test_follow_up_pronoun_uses_the_previous_answer(chat, components):
    first = chat.ask("Who did Whitfield meet in Oslo?")
    second = chat.ask(
        "What did he urge the US to do?", [Turn(question="Who did Whitfield meet in Oslo?", answer=first)]
    )
    assert second.resolved_question == "What did Li Wen urge the US to do?"
    assert "lift export controls" in second.answer
    assert_well_cited(second, components.store)


def test_that_leader_after_a_whom_question_is_the_person_it_named(components):
    text = (
        "Marin phones Okafor\n\nFinnish Foreign Minister Aino Marin spoke by telephone with Nigerian Foreign "
        "Minister Tunde Okafor on Monday.\nMarin informed Kenyan President Ruto Kamau before the call.\n"
        "Kamau called the call a useful step towards a ceasefire.\nThe two ministers agreed to talk again.\n"
    )
    first = ask_one_article(components, text, "Whom had Marin informed before the call?")
    assert "Ruto Kamau" in first.answer and first.focus.answered_people == ["Ruto Kamau"]
    second = components.chat.ask(
        "How did that leader react to the call?", [Turn(question="Whom had Marin informed?", answer=first)]
    )
    assert second.resolved_question == "How did Ruto Kamau react to the call?"
    assert "useful step" in second.answer


def test_follow_up_other_side(chat):
    first = chat.ask("What did China ask the US to do in Oslo?")
    second = chat.ask("And what concerns did the American side raise?", [Turn(question="q", answer=first)])
    assert "cyber attacks" in second.answer


def test_cross_article_list_cites_each_meeting(chat, components):
    answer = chat.ask("Which officials did Dana Whitfield meet in these articles?")
    assert "Li Wen" in answer.answer and "Rosa Quispe" in answer.answer
    assert len({c.article_id for c in answer.citations}) == 2
    assert_well_cited(answer, components.store)


def test_cross_article_where_question_lists_each_meetings_place(chat, components):
    answer = chat.ask("Where did Dana Whitfield hold talks in these articles?")
    assert "(Nobel Institute, 2025-03-07)" in answer.answer and "(Lima, Tuesday)" in answer.answer
    assert_well_cited(answer, components.store)


def test_a_cross_article_what_question_quotes_each_meetings_answer(chat, components):
    answer = chat.ask("In the meetings covered here, what did Dana Whitfield agree?")
    lines = answer.answer.splitlines()
    oslo = next(line for line in lines if line.startswith("Li Wen and Dana Whitfield"))
    assert "The two sides agreed that their trade teams should meet again in May. [" in oslo  # what, not only who
    lima = next(line for line in lines if line.startswith("Rosa Quispe and Dana Whitfield"))
    assert ":" not in lima  # Lima agreed nothing: its label and citation, no sentence passed off as an agreement
    assert_well_cited(answer, components.store)


_MARIN_AGREED = (
    "The two sides agreed to open a joint customs office, to share weather data from their northern "
    "stations and to hold a yearly review of the fishing quotas that both fleets use in {sea}."
)
_MARIN_MEETINGS = (
    ("Tunde Okafor", "Nigerian Foreign Minister", "Geneva", "the Gulf of Guinea"),
    ("Lars Berg", "Norwegian Foreign Minister", "Oslo", "the Barents Sea"),
    ("Rosa Quispe", "Peruvian President", "Lima", "the Pacific"),
)


def _ingest_marin_meetings(components, count: int) -> None:
    """`count` reports of Aino Marin's meetings, each with a long agreement sentence."""
    docs = [
        LoadedDocument(
            text=f"Marin and {name} meet\n\nFinnish Foreign Minister Aino Marin met {title} {name} in {city} "
            f"on Monday.\n{_MARIN_AGREED.format(sea=sea)}\n",
            title=f"Marin and {name} meet",
            source=f"{city}.txt",
        )
        for name, title, city, sea in _MARIN_MEETINGS[:count]
    ]
    list(components.ingest.ingest_documents(docs))


def test_a_long_cross_article_answer_stays_short_and_every_marker_has_its_citation(components):
    _ingest_marin_meetings(components, 3)
    answer = components.chat.ask("In the meetings covered here, what did Aino Marin agree?")
    assert not answer.abstained
    assert len(answer.answer.splitlines()) == 3  # every meeting keeps its line
    assert len(answer.answer.split()) < 110  # quotations stop once the answer is long enough
    assert_well_cited(answer, components.store)


def test_what_each_of_two_meetings_agreed_is_quoted_for_both(components):
    _ingest_marin_meetings(components, 2)
    answer = components.chat.ask("In the meetings covered here, what did Aino Marin agree in each?")
    lines = answer.answer.splitlines()
    assert len(lines) == 2 and all(": The two sides agreed to open a joint customs office" in line for line in lines)
    assert_well_cited(answer, components.store)


def test_a_which_question_about_issues_quotes_them(chat, components):
    answer = chat.ask("Which issues did Dana Whitfield raise in these articles?")
    assert ": " in answer.answer  # issues asked for, so what each meeting's sentence says


def test_a_which_meetings_question_lists_the_meetings(chat, components):
    answer = chat.ask("Which of the meetings covered here involved Rosa Quispe?")
    assert "Rosa Quispe" in answer.answer and "\n" not in answer.answer
    assert len({c.article_id for c in answer.citations}) == 2
    assert_well_cited(answer, components.store)


def test_who_met_says_a_phone_call_was_one(components):
    text = (
        "Marin and Okafor talk\n\nFinnish Prime Minister Aino Marin spoke by telephone on Monday with "
        "Nigerian President Tunde Okafor.\nThe two leaders agreed to meet in June.\n"
    )
    answer = ask_one_article(components, text, "Whom did Aino Marin speak with on Monday?")
    assert answer.answer.startswith("Aino Marin spoke by phone with Tunde Okafor")


@pytest.mark.parametrize(
    "question",
    [
        "What did Macron tell Whitfield in Oslo?",  # a person the store does not know
        "What did Li and Whitfield discuss in Geneva?",  # known people, a city the store does not have for them
        "What did Li and Whitfield agree about fentanyl?",  # a topic their meeting never touched
        "What did Quispe say to Whitfield about lithium in 2019?",  # wrong year for the stored meeting
        "How long did the Oslo meeting last?",  # the article gives no duration
    ],
)
def test_abstains_with_no_citation(chat, question):
    answer = chat.ask(question)
    assert answer.abstained, answer.answer
    assert answer.answer.startswith(ABSTAIN.rstrip("."))
    assert answer.citations == []


def test_same_people_other_meeting_is_answered_from_the_right_one(chat):
    answer = chat.ask("What did Quispe ask the US to invest in?")
    assert "Callao" in answer.answer
    assert all(c.title.startswith("Whitfield visits Lima") for c in answer.citations)


def test_answers_are_short(chat):
    questions = [
        "Who did Whitfield meet in Oslo?",
        "What did China ask the US to do?",
        "What concerns did Whitfield raise?",
        "What did Quispe ask the US to invest in?",
    ]
    for question in questions:
        assert len(chat.ask(question).answer.split()) <= 60, question


def test_a_place_of_an_earlier_meeting_is_not_this_meeting(components):
    text = (
        "Li and Whitfield meet in Oslo\n\nChinese Foreign Minister Li Wen met US Secretary of State Dana Whitfield "
        "in Oslo on Friday.\nThe two sides agreed to restore hotlines.\nThey had last met in Geneva in 2023.\n"
    )
    list(components.ingest.ingest_documents([LoadedDocument(text=text, title="Li and Whitfield", source="o.txt")]))
    assert not components.chat.ask("What did Li and Whitfield agree in Oslo?").abstained
    assert components.chat.ask("What did Li and Whitfield agree in Geneva?").abstained


def test_a_meeting_on_another_day_is_not_this_meeting(components):
    text = (
        "Li and Whitfield meet in Oslo\n\nChinese Foreign Minister Li Wen met US Secretary of State Dana Whitfield "
        "in Oslo on March 7.\nThe two sides agreed to restore hotlines.\nTheir January 12 meeting in Geneva "
        "had ended without a statement.\n"
    )
    doc = LoadedDocument(text=text, title="Li and Whitfield", source="o.txt", published="2025-03-08")
    list(components.ingest.ingest_documents([doc]))
    assert not components.chat.ask("What did Li and Whitfield agree at their March 7 meeting?").abstained
    assert components.chat.ask("What did Li and Whitfield agree at their January 12 meeting?").abstained


GENEVA_LEAD = (
    "Marin and Okafor meet in Geneva\n\nFinnish Foreign Minister Aino Marin met Nigerian Foreign Minister "
    "Tunde Okafor in Geneva on Monday.\n"
)


def ask_one_article(components, text: str, question: str):
    """The answer to a question about one article written for the test, checked for exact citations."""
    list(components.ingest.ingest_documents([LoadedDocument(text=text, title=text.split("\n")[0], source="a.txt")]))
    answer = components.chat.ask(question)
    assert_well_cited(answer, components.store)
    return answer


def test_a_question_about_the_next_meeting_does_not_open_with_this_meetings_place(components):
    text = (
        GENEVA_LEAD
        + "The two sides agreed to restore hotlines.\nThey will meet again in Abuja in May, after the Geneva meeting.\n"
    )
    answer = ask_one_article(components, text, "Where are Marin and Okafor due to meet next?")
    assert "met in Geneva" not in answer.answer  # the place of the meeting reported is no answer to that
    assert "met in Geneva" in ask_one_article(components, text, "Where did Marin and Okafor meet?").answer


def test_where_they_met_comes_from_the_meeting_not_from_a_sentence_that_says_meeting(components):
    # The lead says "hosted"; a later sentence says "meeting" about another one. The question's
    # "meet" must not pull the answer to that sentence.
    text = (
        "Marin hosts Okafor\n\nHELSINKI, June 2 (Wire) - Finnish Foreign Minister Aino Marin hosted Nigerian "
        "Foreign Minister Tunde Okafor at the Kalastajatorppa Hall in Helsinki on Monday.\n"
        "Marin urged Nigeria to reopen the grain port.\n"
        "Okafor is expected to travel to Lisbon in May for a meeting of foreign ministers.\n"
    )
    answer = ask_one_article(components, text, "Where did Aino Marin and Tunde Okafor meet?")
    assert "Lisbon" not in answer.answer
    # The short fact names the building and the city the sentence gives it ("which city?" is answered too).
    assert answer.answer.startswith("Aino Marin and Tunde Okafor met at the Kalastajatorppa Hall in Helsinki")


def test_the_short_fact_names_a_city_its_sentence_writes_as_a_dateline(components):
    text = (
        "Marin and Okafor talk grain\n\nHELSINKI, June 2 (Wire) - Finnish Foreign Minister Aino Marin "
        "held talks with Nigerian Foreign Minister Tunde Okafor on Monday.\n"
        "Marin urged Nigeria to reopen the grain port.\n"
    )
    answer = ask_one_article(components, text, "Where did Aino Marin and Tunde Okafor meet?")
    assert answer.answer.startswith("Aino Marin and Tunde Okafor met in Helsinki")
    # A city no list holds, with its country after it, is still the dateline's city: "in", not "at the".
    text = (
        "Lund and Okafor talk grain\n\nKELANTRA, Sweden, June 9 (Wire) - Swedish Foreign Minister Eva Lund "
        "welcomed Nigerian Foreign Minister Tunde Okafor to the Kelantra Palace on Monday.\n"
    )
    answer = ask_one_article(components, text, "Where did Eva Lund and Tunde Okafor meet?")
    assert answer.answer.startswith("Eva Lund and Tunde Okafor met in Kelantra")


def test_a_namesake_of_another_report_is_not_the_person_asked_about(components):
    # Two reports, two Egyptians surnamed Bakr; the other one's report says "warned" twice, this one's
    # says "cautioned". The surname alone must not pick the report that matches the question better.
    reports = [
        "Bakr warns Oslo\n\nOSLO, May 3 (Wire) - Egyptian Trade Minister Hamad Bakr met Norwegian Trade "
        "Minister Ola Berg in Oslo on Monday.\nBakr, for his part, warned that secondary sanctions would damage "
        "trade for years.\nBakr also warned against new tariffs.\n",
        "Lima talks\n\nLIMA, May 9 (Wire) - Egyptian Energy Minister Fatima Bakr met Peruvian Energy Minister "
        "Rosa Quispe in Lima on Friday.\nFatima Bakr cautioned that a halt to gas shipments could trigger "
        "a power crisis.\n",
    ]
    docs = [LoadedDocument(text=t, title=t.split("\n")[0], source=f"{i}.txt") for i, t in enumerate(reports)]
    list(components.ingest.ingest_documents(docs))
    answer = components.chat.ask("What did Fatima Bakr warn about?")
    assert_well_cited(answer, components.store)
    assert "power crisis" in answer.answer and "sanctions" not in answer.answer and "tariffs" not in answer.answer


def test_what_one_side_agreed_with_the_other_is_what_the_two_sides_agreed(components):
    # "The two sides agreed" is each side's agreement; before, with nothing else of Marin's in the
    # report, "What did Marin agree with Okafor?" found her silent and abstained.
    text = (
        "Marin meets Okafor\n\nGENEVA, May 3 (Wire) - Finnish Foreign Minister Aino Marin met Nigerian Foreign "
        "Minister Tunde Okafor in Geneva on Monday.\nThe two sides agreed to restore hotlines.\n"
    )
    answer = ask_one_article(components, text, "What did Marin agree with Okafor?")
    assert not answer.abstained and "restore hotlines" in answer.answer


def test_how_long_the_talks_lasted_is_not_answered_with_their_place_and_day(components):
    text = (
        "Marin and Okafor meet in Geneva\n\nFinnish Foreign Minister Aino Marin met Nigerian Foreign Minister "
        "Tunde Okafor in Geneva on Monday, less than 48 hours before the grain deal expires.\n"
        "The two sides agreed to restore hotlines.\n"
    )
    answer = ask_one_article(components, text, "How long did the talks between Marin and Okafor last?")
    assert "met in Geneva" not in answer.answer  # a place and a day are no length; the sentence is cited as it is


def test_a_quotation_over_two_sentences_is_quoted_whole(components):
    body = 'Okafor said: "Our commitment to the grain corridor remains firm.\nWe expect the same from every partner."\n'
    answer = ask_one_article(
        components,
        GENEVA_LEAD + body + "Marin praised the talks.\n",
        "What did Okafor say about the grain corridor commitment?",
    )
    assert "remains firm" in answer.answer and "We expect the same from every partner" in answer.answer


def test_the_end_of_a_quotation_brings_the_sentence_that_opens_it(components):
    body = (
        'Okafor said: "Our commitment to the grain corridor remains firm.\n'
        'We expect the same loyalty from every partner."\nMarin praised the talks.\n'
    )
    answer = ask_one_article(components, GENEVA_LEAD + body, "What loyalty did Okafor expect from every partner?")
    # The closing sentence alone would not say who is speaking: the one that opens the quotation comes first.
    assert 'Okafor said: "Our commitment' in answer.answer
    assert answer.answer.index("Okafor said") < answer.answer.index("every partner")
    # Its closing mark closes the quotation: what follows it is no part of it.
    assert "Marin praised" not in answer.answer


def test_a_quotation_with_no_speaker_named_carries_on_the_one_before(components):
    body = (
        '"Any corridor deal is hard to keep," Okafor said of the grain corridor.\n'
        '"But Finland has shown real interest in it."\nMarin praised the talks.\n'
    )
    answer = ask_one_article(components, GENEVA_LEAD + body, "What did Okafor say about the grain corridor deal?")
    assert "hard to keep" in answer.answer and "shown real interest" in answer.answer
    assert "Marin praised" not in answer.answer


def test_each_part_of_a_where_and_when_question_is_answered_by_a_sentence_that_states_it(components):
    text = (
        "Marin and Okafor sign a grain pact\n\n"
        "LAGOS - Finland and Nigeria sealed their agreement on Sunday (16 July), officials said.\n"
        "The grain pact was signed at the Tafawa Balewa House in Lagos, on a date both sides had long sought.\n"
        "Both sides called the grain pact a model for others.\n"
    )
    answer = ask_one_article(components, text, "Where and on what date was the grain pact signed?")
    assert "16 July" in answer.answer and "Tafawa Balewa House" in answer.answer


def test_a_country_the_article_never_names_is_not_answered(chat):
    answer = chat.ask("Did Li and Whitfield discuss Brazil?")
    assert answer.abstained and answer.citations == []


def test_check_citations_rejects_markers_without_citations():
    from bot.answering import check_citations
    from bot.models import Answer, Citation

    cite = Citation(n=1, article_id="a", title="t", source="s", text="x", start=0, end=1)
    check_citations(Answer(question="q", answer="A fact [1].", citations=[cite]))
    with pytest.raises(AssertionError):
        check_citations(Answer(question="q", answer="A fact [2].", citations=[cite]))
    with pytest.raises(AssertionError):
        check_citations(Answer(question="q", answer="A fact.", citations=[cite]))


@pytest.mark.parametrize(
    ("report", "question", "cited", "opening"),
    [
        (  # a call is no meeting: "spoke with" when the cited sentence does not say "by phone"
            "Readout of President Whitfield's Call with Prime Minister Osei of Ghana\n\n"
            "President Dana Whitfield spoke today with Prime Minister Kwame Osei of Ghana.\n"
            "President Whitfield urged Ghana to join the maritime initiative.\n",
            "Who did Whitfield speak with?",
            ["President Dana Whitfield spoke today with Prime Minister Kwame Osei of Ghana."],
            "Dana Whitfield spoke with Kwame Osei. [1]",
        ),
        (  # a venue written with "of the", and the city the sentence gives it
            "Xi holds talks with Faye\n\nBEIJING, Sept. 3 (Xinhua) -- Chinese President Xi Jinping held talks "
            "with Senegalese President Bassirou Faye at the Great Hall of the People in Beijing on Tuesday.\n"
            "Faye said Senegal would import more Chinese machinery.\n",
            "Where did Xi and Faye hold talks?",
            [
                "BEIJING, Sept. 3 (Xinhua) -- Chinese President Xi Jinping held talks with Senegalese President "
                "Bassirou Faye at the Great Hall of the People in Beijing on Tuesday."
            ],
            "Xi Jinping and Bassirou Faye met at the Great Hall of the People in Beijing",
        ),
        (  # "He Jianwen said ..." names its speaker: no sentence before it to show who "he" is
            "Geneva trade talks\n\nGENEVA, May 12 (Wire) - Chinese Vice Premier He Jianwen met US Trade "
            "Representative Dana Whitfield in Geneva for talks on tariffs.\n"
            "He Jianwen told reporters that the talks on tariffs had been long.\n"
            "He Jianwen said the talks had been candid and constructive.\n"
            "Whitfield urged Beijing to buy more American soybeans.\n",
            "How did He Jianwen describe the talks?",
            ["He Jianwen said the talks had been candid and constructive."],
            "He Jianwen said the talks",
        ),
        (  # a part's sentence that opens a quotation brings the one that closes it
            "Ruiz and Osei sign port pact\n\nPANAMA CITY, June 3 (Wire) - Panamanian President Elena Ruiz met "
            "Ghanaian President Kwame Osei in Panama City on Tuesday.\n"
            '"The port was left in the hands of smugglers for years.\n'
            'We will rebuild the customs service with our neighbours," Ruiz said.\n'
            "The two presidents signed a maritime customs pact.\n",
            "What did Ruiz say had happened to the port, and what did the two presidents sign?",
            [
                '"The port was left in the hands of smugglers for years.',
                'We will rebuild the customs service with our neighbours," Ruiz said.',
                "The two presidents signed a maritime customs pact.",
            ],
            '"The port was left',
        ),
        (  # "Who hosted X?": the short fact's subject is the host, not X
            "Whitfield hosts Osei and Ruto\n\nBRUSSELS, May 14 (Wire) - Council President Dana Whitfield hosted "
            "Ghana's President Kwame Osei and Kenya's President William Ruto in Brussels on Sunday.\n"
            "Osei said the talks had been useful.\n",
            "Who hosted Ghana's president in Brussels?",
            [
                "BRUSSELS, May 14 (Wire) - Council President Dana Whitfield hosted Ghana's President Kwame Osei "
                "and Kenya's President William Ruto in Brussels on Sunday."
            ],
            "Dana Whitfield met Kwame Osei and William Ruto",
        ),
        (  # "Who else did X meet?": X is the subject
            "Whitfield hosts Osei and Ruto\n\nBRUSSELS, May 14 (Wire) - Council President Dana Whitfield hosted "
            "Ghana's President Kwame Osei and Kenya's President William Ruto in Brussels on Sunday.\n"
            "Osei said the talks had been useful.\n",
            "Who else did Kwame Osei meet in Brussels?",
            [
                "BRUSSELS, May 14 (Wire) - Council President Dana Whitfield hosted Ghana's President Kwame Osei "
                "and Kenya's President William Ruto in Brussels on Sunday."
            ],
            "Kwame Osei met Dana Whitfield and William Ruto",
        ),
        (  # "What position does X hold?": the title the report gives X, from the sentence that gives it
            "Osei visits Oslo\n\nOSLO, May 14 (Wire) - Norwegian Prime Minister Ingrid Dahl met Ghanaian Foreign "
            "Minister Kwame Osei in Oslo on Sunday.\n"
            "Osei said Ghana wanted more investment in its cocoa processing.\n"
            "Osei also called for a new shipping route to Tema.\n",
            "What position does Kwame Osei hold?",
            [
                "OSLO, May 14 (Wire) - Norwegian Prime Minister Ingrid Dahl met Ghanaian Foreign Minister Kwame Osei "
                "in Oslo on Sunday."
            ],
            "Kwame Osei is the Ghanaian Foreign Minister. [1]",
        ),
        (  # what was agreed: the lead-in and every item of its list
            "Ruto and Ishikawa sign port deal\n\nTOKYO, Feb. 8 (Wire) - Kenyan President William Ruto met "
            "Japanese Prime Minister Fumio Ishikawa in Tokyo on Thursday.\n\n"
            "The two sides agreed on the following:\n"
            "1. To expand the Mombasa container terminal with a new loan.\n"
            "2. To launch talks on a bilateral investment treaty.\n"
            "3. To hold annual consultations between their foreign ministers.\n\n"
            "Ruto made clear that Kenya would not take on debt it could not repay.\n",
            "What did Kenya and Japan agree?",
            [
                "The two sides agreed on the following:",
                "To expand the Mombasa container terminal with a new loan.",
                "To launch talks on a bilateral investment treaty.",
                "To hold annual consultations between their foreign ministers.",
            ],
            "The two sides agreed on the following: [1] To expand",
        ),
        (  # an item of two sentences is one item; the list goes on after it
            "Ruto and Ishikawa sign port deal\n\nTOKYO, Feb. 8 (Wire) - Kenyan President William Ruto met "
            "Japanese Prime Minister Fumio Ishikawa in Tokyo on Thursday.\n\n"
            "The two sides agreed on the following:\n"
            "1. To expand the Mombasa container terminal. The loan will total 40 billion yen.\n"
            "2. To hold annual consultations between their foreign ministers.\n\n"
            "Ruto made clear that Kenya would not take on debt it could not repay.\n",
            "What did Kenya and Japan agree?",
            [
                "The two sides agreed on the following:",
                "To expand the Mombasa container terminal.",
                "The loan will total 40 billion yen.",
                "To hold annual consultations between their foreign ministers.",
            ],
            "The two sides agreed on the following: [1] To expand",
        ),
    ],
)
def test_the_answer_says_and_cites_what_answers_whole_and_nothing_else(components, report, question, cited, opening):
    ingest_one(components, report, "report.txt", "2025-05-12")
    answer = components.chat.ask(question)
    assert answer.answer.startswith(opening)
    assert [c.text for c in answer.citations] == cited
    assert_well_cited(answer, components.store)


def test_a_place_asked_is_where_the_meeting_was_not_where_the_next_one_will_be(components):
    first = (
        "Gallo and Reyes hold first talks\n\nBUENOS AIRES, Jan. 14 (Wire) - Argentine President Martin Gallo "
        "received Chilean President Camila Reyes at the Casa Rosada on Tuesday.\n"
        "Gallo urged Chile to lower port fees for Argentine grain.\n"
        "The two leaders agreed to meet again in Santiago in March.\n"
    )
    second = (
        "Reyes hosts Gallo\n\nSANTIAGO, March 3 (Wire) - Chilean President Camila Reyes hosted Argentine President "
        "Martin Gallo at La Moneda palace on Monday.\n"
        "Reyes warned that new tariffs on Chilean wine would trigger retaliation.\n"
        "Both presidents agreed to set up a binational lithium council.\n"
    )
    docs = [
        LoadedDocument(text=t, title=t.split("\n")[0], source=f"{n}.txt", published=p)
        for n, t, p in (("ba", first, "2025-01-14"), ("santiago", second, "2025-03-03"))
    ]
    assert [r.status for r in components.ingest.ingest_documents(docs)] == ["new", "new"]
    answer = components.chat.ask("What did the two presidents agree in Santiago?")
    assert [c.text for c in answer.citations] == ["Both presidents agreed to set up a binational lithium council."]
    assert_well_cited(answer, components.store)


def test_whether_a_topic_the_report_never_names_came_up_is_not_answered(chat):
    assert chat.ask("Did Li and Whitfield discuss debt relief?").answer == ABSTAIN
    answer = chat.ask("Did Li and Whitfield discuss cyber attacks?")
    assert [c.text for c in answer.citations] == [
        "Whitfield raised concerns about cyber attacks on American utilities."
    ]


def test_the_place_of_a_meeting_is_not_given_up_for_a_summit_to_come_named_after_it():
    from bot.answering import place_of_meeting
    from vectorstore.models import Article

    text = (
        "Lula hosts Xi\n\nBrazilian President Lula received Chinese President Xi Jinping at the Alvorada Palace "
        "in Brasilia on Wednesday, ahead of the next summit of BRICS leaders.\n"
        "The two leaders agreed to meet again in Kazan in October.\n"
    )
    article = Article(id="b1", title="Lula hosts Xi", source="b.txt", text=text)
    assert place_of_meeting("Brasilia", article, None)
    assert not place_of_meeting("Kazan", article, None)  # where the next meeting will be


def test_a_summit_the_article_only_says_is_to_come_is_not_its_meeting(components):
    text = (
        "Marin and Okafor meet in Oslo\n\nOSLO, May 14 (Wire) - Finnish Foreign Minister Aino Marin met Nigerian "
        "Foreign Minister Tunde Okafor in Oslo on Sunday.\n"
        "The two ministers agreed to restore direct flights.\n"
        "Okafor is expected to travel to Delhi in June for a meeting of G20 foreign ministers.\n"
    )
    answer = ask_one_article(components, text, "What was agreed at the G20 summit in Oslo?")
    assert answer.abstained and not answer.citations
    # As the topic of the question, the summit to come is what the sentence is about.
    about = components.chat.ask("What did the report say about Okafor and the G20 meeting?")
    assert "G20 foreign ministers" in about.answer


def test_where_a_phone_call_was_held_is_answered_as_a_call_not_a_meeting_in_the_dateline_city(components):
    text = (
        "Dahl and Osei talk by phone\n\nOSLO, May 14 (Wire) - Norwegian Prime Minister Ingrid Dahl held a phone "
        "call with Ghanaian Foreign Minister Kwame Osei on Sunday, her office said.\n"
        "The two discussed cocoa prices.\n"
    )
    answer = ask_one_article(components, text, "Where and when did Dahl and Osei hold their talks?")
    assert "spoke by phone" in answer.answer and "met in Oslo" not in answer.answer
    whom = components.chat.ask("Who did Dahl speak with?")
    assert whom.answer.startswith("Ingrid Dahl spoke by phone with Kwame Osei") and "in Oslo" not in whom.answer


def test_where_in_the_city_is_answered_by_the_building(components):
    text = (
        "Marin hosts Okafor\n\nFinnish Foreign Minister Aino Marin hosted Nigerian Foreign Minister Tunde Okafor "
        "in Helsinki on Monday.\n"
        "Marin urged Nigeria to reopen the grain port.\n"
        "The talks took place at the Foreign Ministry's guest house on Rauhankatu Street and lasted four hours.\n"
        "Helsinki was cold.\n"
    )
    answer = ask_one_article(components, text, "Where in Helsinki did Marin and Okafor meet?")
    assert "guest house on Rauhankatu Street" in answer.answer


def test_a_report_that_names_no_building_answers_where_in_the_city_with_the_city(components):
    text = (
        "Marin hosts Okafor\n\nFinnish Foreign Minister Aino Marin hosted Nigerian Foreign Minister Tunde Okafor "
        "in Helsinki on Monday.\nMarin urged Nigeria to reopen the grain port.\n"
        "Protesters gathered in Senate Square as the talks began.\n"
    )
    answer = ask_one_article(components, text, "Where in Helsinki did Marin and Okafor meet?")
    assert not answer.abstained and "Helsinki" in answer.answer
    assert "Protesters" not in answer.answer  # a square the talks were not held in


def test_the_owner_of_a_venue_is_no_venue(components):
    text = (
        "Marin hosts Okafor\n\nFinnish Foreign Minister Aino Marin hosted Nigerian Foreign Minister Tunde Okafor "
        "at the Foreign Ministry's guest house in Helsinki on Monday.\nMarin urged Nigeria to reopen the grain port.\n"
    )
    answer = ask_one_article(components, text, "Where did Marin and Okafor meet?")
    assert "met at the Foreign Ministry's" not in answer.answer
    assert answer.answer.startswith("Aino Marin and Tunde Okafor met in Helsinki on Monday.")  # the city instead


def test_a_word_that_qualifies_a_building_is_no_venue(components):
    text = (
        "ACCRA, June 3 - Ghanaian Trade Minister Kofi Mensah and his Togolese counterpart, Yawa Adjovi, met for "
        "two hours at the Ghanaian trade ministry on Tuesday.\nMensah urged Togo to cut transit fees.\n"
    )
    answer = ask_one_article(components, text, "Where did Mensah and Adjovi meet?")
    assert "at the Ghanaian." not in answer.answer and "met at the Ghanaian" not in answer.answer
    assert "Accra" in answer.answer  # the dateline's city instead


def test_talks_in_a_city_off_the_capitals_list_are_placed_by_the_reports_venue(components):
    from ingest.extraction.lexicon import CITIES

    assert "Arequipa" not in CITIES
    text = (
        "Lima and La Paz talk water\n\nAREQUIPA, March 12 - Peruvian Foreign Minister Ana Soto and her Bolivian "
        "counterpart, Luis Mamani, met on Tuesday in Arequipa for their first talks in four years.\n"
        "Soto said the two sides would share data on the lake.\n"
    )
    answer = ask_one_article(components, text, "When and in which city did the Peruvian and Bolivian ministers meet?")
    assert not answer.abstained
    assert "Arequipa" in answer.answer


def test_a_body_named_by_its_short_form_is_found_under_its_full_name(components):
    text = (
        "Lisbon and Rabat sign visa pact\n\nPortuguese Foreign Minister Rui Mota met his Moroccan counterpart, "
        "Nadia Alami, in Rabat on Monday.\nThe Moroccan side requested that Portugal support, within the European "
        "Union, faster visa procedures for Moroccan students.\n"
    )
    answer = ask_one_article(components, text, "What did Morocco ask Portugal to push for at EU level?")
    assert not answer.abstained
    assert "visa procedures" in answer.answer
    # A seat is no such name: "at the Kremlin" must be written, however often Russia is named.
    assert ask_one_article(components, text, "What did Morocco ask Portugal to push for at the Kremlin?").abstained


def test_a_meeting_the_report_mentions_in_passing_is_not_the_one_it_reports(components):
    text = (
        "Rojas in La Paz\n\nBolivian President Marco Quispe welcomed his Chilean counterpart, Ana Rojas, to "
        "La Paz on Friday for talks on lithium and rail links.\n"
        "The two had already met once, briefly, on the sidelines of a regional gathering in Asunción last December.\n"
        "Quispe urged Chile to reopen the Arica railway.\n"
    )
    answer = ask_one_article(components, text, "What did Quispe and Rojas discuss when they first met in Asunción?")
    assert answer.abstained
    assert not ask_one_article(components, text, "What did Quispe urge Chile to do?").abstained
