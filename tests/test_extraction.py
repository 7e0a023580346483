"""Briefing extraction on hand-written reporting: who met, where, when, and who said or asked what.

Every construction the extractor must handle has a sentence here: titles and appositives, pronouns,
descriptors ("the secretary"), country words as a side ("the French side", "Paris"), a speaker named
after the quote, a news agency named with "according to" (a reporter, not the speaker), two people
in one sentence, a joint subject, readout style, and dates resolved against the article's date.
"""

from __future__ import annotations

import pytest

from ingest.extraction import extract_meetings
from ingest.extraction.meeting import resolve_weekday
from ingest.extraction.people import find_people
from ingest.segment import split_sentences
from vectorstore.models import Article, Meeting

RIVER = """Dubois and Silva agree on river pact

French Foreign Minister Claire Dubois met Brazilian President Marco Silva on Friday at the Elysee Palace in Paris.
Silva urged France to lift tariffs on Brazilian beef, according to Reuters.
He also called on Paris to back a climate fund.
"We will not accept new barriers," Dubois said.
The French side warned against unilateral measures.
Dubois told Silva that Europe would study the request.
The two leaders signed a river protection pact.
"""

READOUT = """Secretary meets Nordic envoy

Secretary of State Dana Whitfield met Astrid Lund, the Norwegian foreign minister, in Oslo earlier today.
Secretary Whitfield emphasized the importance of Arctic cooperation.
The secretary also raised concerns about fishing quotas, according to the readout.
Lund, for her part, stressed that Norway would keep its fleet limits, a spokesperson said.
Washington pledged to hold a follow-up round next month.
"""


def extract(text: str, published: str | None = None) -> Meeting:
    article = Article(id="a1", title=text.split("\n", 1)[0], source="test.txt", text=text, published=published)
    meetings = extract_meetings(article, split_sentences(text))
    assert len(meetings) == 1
    return meetings[0]


def statement_for(meeting: Meeting, fragment: str):
    found = [s for s in meeting.statements if fragment in s.text]
    assert found, f"no statement for {fragment!r}: {[s.text for s in meeting.statements]}"
    return found[0]


def test_participants_carry_title_and_country():
    meeting = extract(RIVER)
    people = {p.name: p for p in meeting.participants}
    assert set(people) == {"Claire Dubois", "Marco Silva"}
    assert people["Claire Dubois"].country == "France"
    assert people["Marco Silva"].country == "Brazil"
    assert "Foreign Minister" in (people["Claire Dubois"].title or "")


def test_appositive_title_gives_the_country():
    people = {p.name: p for p in find_people(READOUT)}
    assert people["Astrid Lund"].country == "Norway"
    assert people["Dana Whitfield"].title and "Secretary" in people["Dana Whitfield"].title


@pytest.mark.parametrize(
    ("sentence", "name", "country"),
    [
        (
            "The Prime Minister spoke today with Losana Kaufusi, Prime Minister of the Kingdom of Tonga, by video.",
            "Losana Kaufusi",
            "Tonga",
        ),
        ("Ana Soto met Luis Mamani, Minister of Foreign Affairs of Bolivia.", "Luis Mamani", "Bolivia"),
    ],
)
def test_an_appositive_title_of_a_country_gives_the_country(sentence, name, country):
    person = {p.name: p for p in find_people(sentence)}[name]
    assert person.country == country
    assert person.title and person.title.endswith(country)


def test_a_regions_title_gives_no_country():
    people = {p.name: p for p in find_people("Latin American trade envoy Ana Ruiz met President Lula in Brasilia.")}
    assert people["Ana Ruiz"].country is None  # "Latin American" is no demonym of the United States


def test_a_place_before_a_title_and_name_is_no_person():
    text = (
        "In a pavilion overlooking Da Nang Bay, Vietnamese Foreign Minister Tran Quoc Vinh hosted his Philippine "
        "counterpart, Maria Abad.\nThey met Luis Mamani, Minister of Foreign Affairs of Bolivia. The talks went on.\n"
    )
    people = {p.name: p for p in find_people(text)}
    assert "Da Nang Bay" not in people
    assert people["Tran Quoc Vinh"].country == "Vietnam"
    assert people["Luis Mamani"].title == "Minister of Foreign Affairs of Bolivia"  # the sentence ends there


def test_subject_before_the_verb_is_the_actor_and_the_object_is_the_target():
    st = statement_for(extract(RIVER), "Silva urged France")
    assert (st.actor, st.side, st.kind, st.target) == ("Marco Silva", "Brazil", "urge", "France")


def test_agency_named_with_according_to_is_not_the_speaker():
    st = statement_for(extract(RIVER), "according to Reuters")
    assert st.actor == "Marco Silva"


def test_pronoun_refers_to_the_last_speaker():
    st = statement_for(extract(RIVER), "He also called on Paris")
    assert (st.actor, st.kind, st.target) == ("Marco Silva", "call-on", "France")


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        ("Silva did not dispute that account: speaking in Lyon, he said Brazil wanted a deal.", "Marco Silva"),
        ("President Marco Silva did not dispute that: in Lyon he said Brazil wanted a deal.", "Marco Silva"),
        # Not the subject: the person in focus, the last speaker, is whom the pronoun means.
        ("Asked about Silva, she said Brazil was a partner.", "Claire Dubois"),
        ("After meeting Silva, she said Brazil was a partner.", "Claire Dubois"),
        ("Silva's plan, she said, was bold.", "Claire Dubois"),
    ],
)
def test_a_pronoun_after_the_person_who_opens_the_sentence_means_that_person(sentence, speaker):
    text = (
        "Dubois and Silva meet\n\nFrench Foreign Minister Claire Dubois met Brazilian President Marco Silva on "
        f"Friday in Paris.\nDubois said the talks had been frank.\n{sentence}\n"
    )
    assert statement_for(extract(text), sentence[:-1]).actor == speaker


def test_speaker_named_after_the_quote():
    st = statement_for(extract(RIVER), "We will not accept")
    assert st.actor == "Claire Dubois" and st.side == "France"


def test_country_word_speaks_for_the_side():
    st = statement_for(extract(RIVER), "The French side warned")
    assert st.side == "France" and st.kind == "warn"


def test_two_people_in_one_sentence_first_is_actor_second_is_target():
    st = statement_for(extract(RIVER), "Dubois told Silva")
    assert st.actor == "Claire Dubois" and st.target == "Marco Silva"


def test_joint_subject_is_both_sides():
    meeting = extract(RIVER)
    st = statement_for(meeting, "The two leaders signed")
    assert st.side == "both" and st.kind == "agree"
    assert any("river protection pact" in a.text for a in meeting.agreements)


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        # Official readouts: honorifics are no part of the name.
        (
            "The Minister for Foreign Affairs, Senator the Hon Claire Whitmore, spoke by telephone today with the"
            " Minister for Foreign Affairs of the Republic of Indonesia, His Excellency Arif Wicaksono.",
            "Arif Wicaksono",
            "Indonesia",
        ),
        ("The Minister, Senator the Hon Claire Whitmore, spoke today.", "Claire Whitmore", None),
        # A title set off by a comma before the name gives the person and the country.
        ("Whitmore spoke today with Indonesia's foreign minister, Arif Wicaksono.", "Arif Wicaksono", "Indonesia"),
        ("Whitmore met the Indonesian Foreign Minister, Arif Wicaksono, in Jakarta.", "Arif Wicaksono", "Indonesia"),
    ],
)
def test_honorifics_and_a_title_before_the_comma(text, name, country):
    people = {p.name: p for p in find_people(text)}
    assert name in people, list(people)
    assert people[name].country == country
    assert not [n for n in people if n.split()[0] in ("Hon", "Excellency", "His")]


@pytest.mark.parametrize(
    "text",
    [
        "After meeting the president, Lula da Silva flew home.",  # the comma ends a clause ...
        "Having met the president, Lula da Silva flew home.",
        "France will stand by the Brazilian president, Claire Dubois told reporters.",  # ... or a quote
    ],
)
def test_a_title_before_a_comma_that_ends_a_clause_gives_no_title(text):
    assert all(p.title is None and p.country is None for p in find_people(text)), find_people(text)


def test_a_fronted_phrase_does_not_hide_a_set_off_title():
    people = find_people("On Monday, Whitmore met Indonesia's foreign minister, Arif Wicaksono.")
    assert [(p.name, p.country) for p in people] == [("Arif Wicaksono", "Indonesia")]


@pytest.mark.parametrize(
    ("lead", "host"),
    [
        # The country the meeting took place in: Caracas is Venezuela's.
        ("CARACAS - Colombian President Ana Mora and Venezuelan President Luis Pena met on Tuesday.\n", "Luis Pena"),
        # The meeting sentence says who received whom, wherever it was.
        ("GENEVA - Venezuelan President Luis Pena received Colombian President Ana Mora on Tuesday.\n", "Luis Pena"),
        # "was received by": the one after the verb hosted.
        ("GENEVA - Colombian President Ana Mora was received by Venezuelan President Luis Pena.\n", "Luis Pena"),
    ],
)
def test_the_host_and_the_guest_as_speakers_are_the_participants(lead, host):
    meeting = extract(
        "Border talks\n\n" + lead + "The host said the two leaders had agreed to reopen the border.\n"
        "His guest told reporters that trade would double.\n"
    )
    said = [(s.actor, s.kind) for s in meeting.statements if s.text.startswith("The host said")]
    assert (host, "state") in said and ("both", "agree") in said  # the host speaks; the two agree
    guest = statement_for(meeting, "His guest told")
    assert guest.actor == ({"Luis Pena", "Ana Mora"} - {host}).pop()


@pytest.mark.parametrize(
    "items",
    [
        "\n1. To raise trade to 2 billion dollars by 2030.\n\n2. To open a consulate in Valparaiso.\n",
        "\n- To raise trade to 2 billion dollars by 2030.\n- To open a consulate in Valparaiso.\n",
        "\n(a) To raise trade. The target is 2 billion dollars by 2030.\n(b) To open a consulate in Valparaiso.\n",
    ],
    ids=["numbered", "dashes", "lettered, an item of two sentences"],
)
def test_every_kind_of_list_item_says_what_its_lead_in_says(items):
    meeting = extract(
        "Joint statement\n\nFinnish President Eero Salo met Chilean President Ana Mora in Santiago on Monday.\n"
        "The two sides agreed on the following:\n" + items + "\nSalo thanked his host for the welcome.\n"
    )
    for item in ("To raise trade", "2 billion dollars", "To open a consulate"):
        st = statement_for(meeting, item)
        assert (st.side, st.kind) == ("both", "agree")
    assert statement_for(meeting, "Salo thanked").actor == "Eero Salo"


def test_the_items_of_a_list_say_what_its_lead_in_says():
    meeting = extract(
        "Joint statement\n\nFinnish President Eero Salo met Chilean President Ana Mora in Santiago on Monday.\n"
        "The two sides agreed on the following:\n\n1. To raise trade to 2 billion dollars by 2030.\n\n"
        "2. To open a consulate in Valparaiso.\n\nSalo thanked his host for the welcome.\n"
    )
    for item in ("To raise trade", "To open a consulate"):
        st = statement_for(meeting, item)
        assert (st.side, st.kind) == ("both", "agree")
    assert any("consulate" in a.text for a in meeting.agreements)
    assert statement_for(meeting, "Salo thanked").actor == "Eero Salo"  # the list has ended


def test_readout_style_and_descriptor():
    meeting = extract(READOUT)
    assert statement_for(meeting, "Secretary Whitfield emphasized").actor == "Dana Whitfield"
    concern = statement_for(meeting, "The secretary also raised concerns")
    assert (concern.actor, concern.kind) == ("Dana Whitfield", "concern")


def test_reporter_after_the_clause_is_not_the_speaker():
    st = statement_for(extract(READOUT), "Lund, for her part, stressed")
    assert st.actor == "Astrid Lund" and st.kind == "emphasize"


def test_seat_of_government_stands_for_the_country():
    st = statement_for(extract(READOUT), "Washington pledged")
    assert st.side == "United States" and st.kind == "agree"


def test_venue_and_weekday_resolved_against_the_article_date():
    meeting = extract(RIVER, published="2025-03-09")  # a Sunday: "on Friday" was 2025-03-07
    assert meeting.venue in ("Elysee Palace", "Paris")
    assert meeting.date == "2025-03-07"
    assert meeting.mode == "visit"


def test_date_words_kept_when_the_article_has_no_date():
    meeting = extract(READOUT)
    assert meeting.date == "earlier today"
    assert meeting.venue == "Oslo"


# The meeting's venue: the meeting sentence's place, then the headline's, then a dateline's city,
# and only then another sentence with a meeting word that is not about another occasion.
VENUES = {
    # The meeting sentence names no place; a later one names the city of a meeting still to come.
    "another occasion's place is not the venue; the headline's is": (
        "Leaders sign water pact at Valletta\n\n"
        "Prime Minister Anna Borg and President Omar Haddad signed a water pact on Monday.\n"
        "Borg said she would host a follow-up meeting in Rome next month.\n",
        "Valletta",
    ),
    "the dateline comes before other sentences": (
        "Leaders agree on grid link\n\n"
        "CAIRO \u2014 President Omar Haddad received Prime Minister Anna Borg on Monday.\n"
        "The two had talks at a summit in Rome last year.\n",
        "Cairo",
    ),
    "a capitalised dateline names the city, a capitalised headline does not": (
        "NATO, EU chiefs hold grid talks\n\n"
        "SHARJAH, Sept. 21 (Wire) -- Egyptian President Omar Haddad held talks with Maltese Prime Minister Anna Borg.\n",
        "Sharjah",
    ),
    "a capitalised dateline may give the country after the city": (
        "Grid talks\n\n"
        "KELANTRA, Malta, Sept. 21 (Wire) \u2014 Egyptian President Omar Haddad welcomed Maltese Prime Minister Anna "
        "Borg to the Kelantra Palace on Monday.\n",
        "Kelantra",
    ),
    "an affiliation is no venue": (
        "Grid talks\n\n"
        "Egyptian President Omar Haddad held talks with Maltese Prime Minister Anna Borg on Monday.\n"
        "Lina Aziz, a researcher at the University of Valletta, said the meeting eased tensions.\n",
        None,
    ),
    "what the sides would do next does not hide the meeting's place": (
        "Grid talks\n\n"
        "Egyptian President Omar Haddad met Maltese Prime Minister Anna Borg in Valletta on Monday and said "
        "Egypt would supply power.\n",
        "Valletta",
    ),
    "a city in the meeting sentence beats the dateline": (
        "Talks on grid link\n\n"
        "PARIS \u2014 President Omar Haddad met Prime Minister Anna Borg in a Cairo hotel on Monday.\n",
        "Cairo",
    ),
}


@pytest.mark.parametrize(("text", "venue"), list(VENUES.values()), ids=list(VENUES))
def test_the_meetings_venue(text: str, venue: str | None) -> None:
    assert extract(text).venue == venue


def test_a_speaker_quoted_from_elsewhere_is_not_a_participant():
    text = (
        "Leaders close grid deal\n\n"
        "President Omar Haddad hosted Prime Minister Anna Borg in Cairo on Monday.\n"
        '"This is a fair deal," Haddad said, standing alongside Foreign Minister Tarek Nabil.\n'
        "Nabil said the grid would open in May.\n"
        'French President Louis Marchand said on Sunday: "We will defend our farmers."\n'
    )
    names = [p.name for p in extract(text).participants]
    assert names[:2] == ["Omar Haddad", "Anna Borg"]
    assert "Tarek Nabil" in names  # placed at the meeting
    assert "Louis Marchand" not in names  # a voice in the story, not there


def test_a_participant_no_title_places_is_on_the_other_side_the_article_is_about():
    text = (
        "Grid talks in Cairo\n\n"
        "Omar Haddad, the deputy premier, met Maltese Prime Minister Anna Borg in Cairo on Monday.\n"
        "Egypt and Malta agreed to study a power cable. Egypt will host the next round.\n"
        '"Egypt is ready," Haddad said.\n'
    )
    meeting = extract(text)
    sides = {p.name: p.country for p in meeting.participants}
    assert sides == {"Omar Haddad": "Egypt", "Anna Borg": "Malta"}
    assert statement_for(meeting, "Egypt is ready").side == "Egypt"  # his words speak for his side


def test_a_view_a_post_and_two_presidents_are_attributed():
    text = (
        "Grid talks in Cairo\n\n"
        "Egyptian President Omar Haddad met Maltese Prime Minister Anna Borg in Cairo on Monday.\n"
        "In Cairo's view, any cable deal would have to respect Egypt's grid code.\n"
        "\u201cWe came to build,\u201d the Maltese leader wrote.\n"
        "After four hours, the two heads of government agreed to study the cable.\n"
    )
    meeting = extract(text)
    assert statement_for(meeting, "In Cairo's view").side == "Egypt"
    assert statement_for(meeting, "the Maltese leader wrote").actor == "Anna Borg"  # the verb decides
    assert statement_for(meeting, "the two heads of government agreed").side == "both"


def test_an_abbreviated_month_in_the_dateline_dates_the_meeting():
    text = (
        "Grid talks in Cairo\n\n"
        "CAIRO, Nov. 14 (Wire) - Egyptian President Omar Haddad met Maltese Prime Minister Anna Borg on Friday.\n"
    )
    assert extract(text).date == "Nov. 14"


def test_a_full_date_in_the_dateline_resolves_the_weekday_when_the_article_has_no_date():
    text = (
        "Grid talks in Cairo\n\n"
        "CAIRO, 13 July 2023.\n"
        "Egyptian President Omar Haddad held talks with Maltese Prime Minister Anna Borg on Thursday.\n"
    )
    assert extract(text).date == "2023-07-13"


def test_a_full_date_of_another_event_does_not_date_the_meeting():
    text = (
        "Grid talks in Cairo\n\n"
        "Egyptian President Omar Haddad held talks with Maltese Prime Minister Anna Borg on Thursday.\n"
        "The 2015 accord signed on 4 March 2015 expired last year.\n"
    )
    assert extract(text).date == "Thursday"


@pytest.mark.parametrize(
    ("weekday", "published", "expected"),
    [("Friday", "2024-02-17", "2024-02-16"), ("Tuesday", "2024-07-09", "2024-07-09"), ("Monday", None, "Monday")],
)
def test_resolve_weekday(weekday, published, expected):
    assert resolve_weekday(weekday, published) == expected


def test_every_fact_points_at_its_sentence():
    meeting = extract(RIVER)
    for st in meeting.statements:
        assert RIVER[st.evidence.start : st.evidence.end] == st.text
    assert meeting.evidence is not None
    assert "met" in RIVER[meeting.evidence.start : meeting.evidence.end]


def test_headline_in_title_case_names_no_one():
    text = "Minister Holds Talks With Envoy In Capital\n\nThe talks were short and nothing was said.\n"
    assert find_people(text) == []


def test_article_without_people_has_no_meeting():
    text = "Markets fell sharply on Monday.\n\nTraders blamed the weather for the drop in prices.\n"
    article = Article(id="a2", title="Markets", source="m.txt", text=text)
    assert extract_meetings(article, split_sentences(text)) == []


@pytest.mark.parametrize(
    ("text", "names", "alias", "not_alias", "fragment", "actor", "side"),
    [
        (  # particles inside a name, and any part of the name refers to the person
            "Leaders meet\n\nBrazilian President Luiz Inácio Lula da Silva met European Commission President "
            "Ursula von der Leyen in Brussels.\nLula urged Europe to ratify the trade deal.\n",
            {"Luiz Inácio Lula da Silva", "Ursula von der Leyen"},
            ("Luiz Inácio Lula da Silva", "Lula"),
            None,
            "Lula urged",
            "Luiz Inácio Lula da Silva",
            "Brazil",
        ),
        (  # Vietnamese and Chinese names may open with "To", "He": between a title and a name,
            # capitalised mid-sentence, they are the name's first part, and "He" there is no pronoun
            "Talks in Hanoi\n\nVietnamese General Secretary To Minh Khoa met Chinese Vice Premier He Jianwen "
            "and President Dr Amara Osei in Hanoi on Monday.\nHe Jianwen urged Hanoi to open its rice market.\n"
            "He also called for a new rail link.\n",
            {"To Minh Khoa", "He Jianwen", "Amara Osei"},
            ("He Jianwen", "Jianwen"),
            ("He Jianwen", "He"),
            "He Jianwen urged",
            "He Jianwen",
            "China",
        ),
    ],
)
def test_names_whole_and_by_their_parts(text, names, alias, not_alias, fragment, actor, side):
    people = {p.name: p for p in find_people(text)}
    assert set(people) == names
    assert alias[1] in people[alias[0]].aliases
    if not_alias:
        assert not_alias[1] not in people[not_alias[0]].aliases
    st = statement_for(extract(text), fragment)
    assert (st.actor, st.side) == (actor, side)


def test_a_readout_whose_headline_names_the_call_reports_a_call():
    text = (
        "Readout of President Whitfield's Call with Prime Minister Osei of Ghana\n\n"
        "President Dana Whitfield spoke today with Prime Minister Kwame Osei of Ghana.\n"
        "The leaders discussed cocoa prices and regional security.\n"
    )
    assert extract(text, "2025-01-02").mode == "phone"
    # A headline about a call does not make a meeting in person one, nor does one that mentions calls
    # over a meeting in person.
    visit = text.replace("spoke today with", "met")
    assert extract(visit, "2025-01-02").mode == "visit"
    in_person = (
        "Whitfield and Osei meet in person after months of phone calls\n\n"
        "President Dana Whitfield spoke with Prime Minister Kwame Osei of Ghana for four hours in Accra.\n"
    )
    assert extract(in_person, "2025-01-02").mode == "visit"


TRANSCRIPT = """Press conference by Foreign Minister Ana Duarte and Foreign Minister Tomas Kerekes after talks in Lisbon

LISBON, 14 April 2025

DUARTE: Good afternoon. I welcomed my colleague to Lisbon today.

KEREKES: Thank you. I asked Portugal to back our request for cohesion funds. We reject any attempt to link funds to political conditions.

QUESTION (Radio Lisboa): Minister Duarte, did you discuss the rule of law?

DUARTE: We did. I made clear that every member state must respect the rulings of the Court.

The two ministers agreed to meet again in Budapest in the autumn.
"""


def test_a_transcripts_turns_are_their_speakers_statements():
    meeting = extract(TRANSCRIPT, "2025-04-14")
    # A speaker whom only the headline names in full, by a label in capitals, is that person.
    assert "Tomas Kerekes" in {p.name for p in meeting.participants}
    assert statement_for(meeting, "I asked Portugal").actor == "Tomas Kerekes"
    assert statement_for(meeting, "I asked Portugal").kind == "demand"
    assert statement_for(meeting, "We reject any attempt").actor == "Tomas Kerekes"  # the turn goes on
    assert statement_for(meeting, "I made clear").actor == "Ana Duarte"
    # A question's label names no speaker, and a line without a label ends the turn.
    assert all(st.actor != "Tomas Kerekes" for st in meeting.statements if "did you discuss" in st.text)
    assert statement_for(meeting, "The two ministers agreed").side == "both"


def test_a_dateline_in_capitals_with_a_colon_is_no_speaker():
    text = (
        "Talks in Malaysia\n\nKUALA LUMPUR: Malaysian Prime Minister Anwar Ibrahim met Japanese Prime Minister "
        "Fumio Kishida in Kuala Lumpur on Monday.\nAnwar urged Japan to invest in chip plants.\n"
    )
    assert {p.name for p in find_people(text)} == {"Anwar Ibrahim", "Fumio Kishida"}
    assert statement_for(extract(text, "2025-01-06"), "Anwar urged").actor == "Anwar Ibrahim"


def test_a_country_is_never_a_person():
    text = "Talks\n\nPresident of the United States Dana Whitfield met the Prime Minister of Norway.\n"
    assert "United States" not in {p.name for p in find_people(text)}


def test_a_noun_is_not_the_statement_verb():
    st = statement_for(extract(RIVER), "Dubois told Silva")
    assert st.kind == "state"  # "the request" is a noun here, not a demand


PORT_TALKS = """Port deal talks

VALDORA — President Tomas Ferreira hosted his Chilean counterpart Ana Quispe at the old customs house on Monday.
Spokesman Leo Brandt said the talks went well.
Presidential spokeswoman Nadia Korr said the agenda was long.
"No port stays closed forever," President Ferreira told reporters.
The Uruguayan president said the customs rules would be simplified.
"We came to listen.
We leave with a plan," Quispe said.
"The timetable is tight," she added.
"But the ministers have a draft."
According to Quispe, the ministers will meet again in June.
Ferreira's trade adviser Paulo Mendes said the tariffs would fall.
The talks were chaired by the President of the Republic of Uruguay, Tomas Ferreira.
Kremlin spokesman Yuri Orlov said Moscow followed the talks.
Quispy praised the host, according to Reuters.
"""


def test_title_written_in_lower_case_before_the_name():
    people = {p.name: p for p in find_people(PORT_TALKS)}
    assert people["Yuri Orlov"].country == "Russia" and "spokesman" in (people["Yuri Orlov"].title or "")
    assert people["Ana Quispe"].country == "Chile"  # "his Chilean counterpart Ana Quispe"


def test_an_adviser_is_on_the_side_of_the_person_he_serves():
    people = {p.name: p for p in find_people(PORT_TALKS)}
    assert people["Paulo Mendes"].country == "Uruguay"


def test_a_descriptor_with_a_country_gives_the_last_named_person_his_side():
    # Nothing before names Ferreira's country; "The Uruguayan president" refers back to him.
    people = {p.name: p for p in find_people(PORT_TALKS)}
    assert people["Tomas Ferreira"].country == "Uruguay"
    st = statement_for(extract(PORT_TALKS), "customs rules would be simplified")
    assert (st.actor, st.side) == ("Tomas Ferreira", "Uruguay")


def test_a_country_word_across_a_quote_is_not_the_speakers_side():
    text = 'Harbour talks\n\n"Ports must reopen soon, with help from NATO," President Tomas Ferreira told reporters.\n'
    people = {p.name: p for p in find_people(text)}
    assert people["Tomas Ferreira"].country is None


def test_a_quote_over_several_sentences_has_one_speaker():
    meeting = extract(PORT_TALKS)
    assert statement_for(meeting, "We came to listen").actor == "Ana Quispe"  # named where the quote closes
    assert statement_for(meeting, "But the ministers have a draft").actor == "Ana Quispe"  # the quote goes on


def test_a_person_named_with_according_to_is_the_speaker():
    st = statement_for(extract(PORT_TALKS), "According to Quispe")
    assert st.actor == "Ana Quispe"


def test_one_article_spelling_a_name_two_ways():
    people = {p.name: p for p in find_people(PORT_TALKS)}
    assert "Quispy" in people["Ana Quispe"].aliases


def test_a_sentence_opening_word_is_not_part_of_a_title_or_a_name():
    text = "Summit\n\nSeven Andean countries sent envoys. But President Tomas Ferreira stayed home, Ferreira said.\n"
    people = find_people(text)
    assert [p.name for p in people] == ["Tomas Ferreira"]
    assert people[0].title == "President"


def test_a_middle_initial_stays_in_the_name():
    people = find_people("Visit\n\nPresident Joseph K. Harlan hosted the talks. Harlan said they went well.\n")
    assert [p.name for p in people] == ["Joseph K. Harlan"]


def test_the_subject_after_a_fronted_phrase_is_the_actor():
    text = (
        "Talks\n\nFrench Foreign Minister Claire Dubois met Brazilian President Marco Silva in Paris.\n"
        "In a separate session with Dubois on Monday, Silva complained about new farm tariffs.\n"
    )
    st = statement_for(extract(text), "Silva complained")
    assert (st.actor, st.side) == ("Marco Silva", "Brazil")


def test_an_article_with_no_headline_reports_its_meeting_in_the_first_sentence():
    text = "Minister Ana Sousa met Minister Tomas Berg in Lisbon. They agreed to expand fisheries cooperation."
    article = Article(id="a1", title="Lisbon talks", source="t.txt", text=text)
    (meeting,) = extract_meetings(article, split_sentences(text))
    assert {p.name for p in meeting.participants} == {"Ana Sousa", "Tomas Berg"}


@pytest.mark.parametrize(
    "report",
    [
        "Finnish Prime Minister Aino Marin spoke by telephone on Monday with Nigerian President Tunde Okafor.",
        "Finnish Prime Minister Aino Marin telephoned Nigerian President Tunde Okafor on Monday.",
        "Finnish Prime Minister Aino Marin held a video conference with Nigerian President Tunde Okafor on Monday.",
    ],
)
def test_a_meeting_at_a_distance_is_a_phone_call(report):
    meeting = extract(f"Marin and Okafor talk\n\n{report}\nThe two leaders agreed to meet in June.\n")
    assert meeting.mode == "phone"


@pytest.mark.parametrize(("written", "number"), [("November", 11), ("Nov.", 11), ("Sept.", 9), ("Sep", 9), ("May", 5)])
def test_a_month_as_news_writes_it(written, number):
    from ingest.extraction.lexicon import month_number, month_spellings

    assert month_number(written) == number
    assert written.rstrip(".").casefold() in month_spellings(number)


def test_seeking_to_do_something_is_an_aim_not_a_demand():
    text = (
        "Port talks\n\nFrench Foreign Minister Claire Dubois hosted Brazilian Foreign Minister Marco Silva in Paris "
        "on Monday, as the two countries sought to ease tensions over fishing rights.\n"
        "Silva sought the release of three fishermen held in Brest.\n"
    )
    meeting = extract(text)
    assert not [s for s in meeting.statements if "sought to ease" in s.text and s.kind == "demand"]
    assert statement_for(meeting, "Silva sought the release").kind == "demand"


@pytest.mark.parametrize(
    "sentence",
    [
        "Lisbon pressed for a joint commission on the fishing grounds.",
        "Silva pushed for an early vote on the treaty.",
        "Portugal wanted France to return the seized trawlers.",
        "Portugal would like France to return the seized trawlers.",
        "Silva asked that French inspectors leave the port.",
    ],
)
def test_pressing_for_and_wanting_someone_to_act_are_demands(sentence):
    text = (
        "Port talks\n\nPortuguese Foreign Minister Marco Silva hosted French Foreign Minister Claire Dubois in "
        f"Lisbon on Monday.\n{sentence}\n"
    )
    assert statement_for(extract(text), sentence[:20]).kind == "demand"


@pytest.mark.parametrize(
    "sentence",
    [
        "Silva wanted a quick lunch before the flight.",
        "When pressed for details, Silva declined to say more.",
        "Pressed for comment, Silva said the talks had been useful.",
        "Silva, pressed for time, left before the dinner.",
        "Silva is expected to travel to Paris next month.",
        "Few diplomats expected France to return the seized trawlers.",  # a forecast
        "Asked that question, Silva smiled.",
    ],
)
def test_wanting_a_thing_or_being_pressed_is_no_demand(sentence):
    text = (
        "Port talks\n\nPortuguese Foreign Minister Marco Silva hosted French Foreign Minister Claire Dubois in "
        f"Lisbon on Monday.\n{sentence}\n"
    )
    assert not [s for s in extract(text).statements if s.kind == "demand"]


@pytest.mark.parametrize("kicker", ["EXCLUSIVE", "ANALYSIS", "REFILE-EXCLUSIVE", "SPECIAL REPORT"])
def test_a_label_in_capitals_before_the_story_is_no_dateline(kicker):
    text = (
        f"Lima and La Paz talk water\n\n{kicker} - Peruvian Foreign Minister Ana Soto and her Bolivian counterpart, "
        "Luis Mamani, met on Tuesday for their first talks in four years.\n"
    )
    assert extract(text).venue is None


@pytest.mark.parametrize(
    ("sentence", "is_topic"),
    [
        ("The talks were dominated by border security and cross-border trade.", True),
        ("Climate finance dominated that conversation, along with fisheries.", True),
        ("Russia has dominated the energy market for years.", False),
        ("At the centre of the discussions was the proposed dam on the river.", True),
        ("The disputed Abyei area also came up on the final day.", True),
        ("The meeting, which lasted three hours, covered navigation in the waterway.", True),
        ("The agenda included energy, trade and migration.", True),
        ("Silva said the resolution was not on the agenda.", False),
        ("Silva arrived in Paris by train on Thursday evening.", False),
    ],
)
def test_what_the_talks_were_about_is_found_however_it_is_worded(sentence, is_topic):
    text = RIVER + sentence + "\n"
    topic_sentences = {text[t.evidence.start : t.evidence.end] for t in extract(text).topics}
    assert (sentence in topic_sentences) is is_topic


def test_a_host_who_welcomed_a_counterpart_reports_the_meeting():
    text = (
        "Chile and Bolivia talk rail in La Paz\n\n"
        "The two presidents had already met once, briefly, in Asuncion last year.\n"
        "Bolivian President Marco Quispe welcomed his Chilean counterpart, Ana Rojas, to the Casa Grande del "
        "Pueblo in La Paz on Friday.\n"
        'Rojas invited Quispe to continue the conversation in Santiago next year. "We will," Quispe said.\n'
    )
    meeting = extract(text)
    assert {p.name for p in meeting.participants} == {"Marco Quispe", "Ana Rojas"}  # La Paz is no one
    assert meeting.venue == "La Paz"
    assert meeting.evidence is not None and "welcomed" in text[meeting.evidence.start : meeting.evidence.end]


def test_a_title_set_off_before_the_next_name_is_not_the_previous_persons():
    text = (
        "Speaking after talks with the Minister of Trade and Expatriates, Nadia Alami, the Minister of Foreign "
        "Affairs of Portugal, Rui Mota, said the visit went well.\n"
    )
    people = {p.name: p for p in find_people(text)}
    assert people["Rui Mota"].country == "Portugal"
    assert people["Nadia Alami"].country is None


def test_a_list_of_people_with_their_titles_keeps_each_title_with_its_person():
    text = "Lee Jae-myung, the South Korean president, Kim Min-seok and others attended.\n"
    assert {p.name: p.country for p in find_people(text)} == {"Lee Jae-myung": "South Korea"}
    text = "Lukashenko hosted the presidents of Russia and Kazakhstan, Vladimir Putin and Kassym-Jomart Tokayev.\n"
    people = {p.name: p for p in find_people(text)}
    assert people["Vladimir Putin"].title == "president of Russia"  # not "hosted the president of Russia"


def test_a_named_building_is_a_venue_whatever_common_noun_follows():
    from ingest.extraction.meeting import _place_in

    assert _place_in("Macron met Scholz at the Elysee palace on Monday.", needs_cue=True) == "Elysee palace"
    assert _place_in("Putin met Xi at the Kremlin while his office released a note.", needs_cue=True) == "Kremlin"
    assert _place_in("They met at the Indian embassy in Doha.", needs_cue=True) == "Doha"


def test_two_people_introduced_together_get_the_countries_in_the_same_order():
    text = (
        "The foreign ministers of Kazakhstan and Uzbekistan, Daniyar Seitkali and Rustam Khodjaev, met in "
        "Tashkent on Monday.\nMinister Seitkali said water came first.\nSEITKALI: Thank you.\n"
    )
    people = {p.name: p for p in find_people(text)}
    assert set(people) == {"Daniyar Seitkali", "Rustam Khodjaev"}  # the surname and the turn label are him
    assert (people["Daniyar Seitkali"].country, people["Rustam Khodjaev"].country) == ("Kazakhstan", "Uzbekistan")
    assert people["Rustam Khodjaev"].title == "foreign minister of Uzbekistan"  # not the next sentence's words
