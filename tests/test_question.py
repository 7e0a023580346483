"""Question understanding: the intent, the people and sides asked about, and what must be in the store."""

from __future__ import annotations

import pytest

from bot.answer.catalog import build_catalog
from bot.answer.question import embedding_text, parse, proper_nouns
from ingest.extraction import extract_meetings
from ingest.segment import split_sentences
from vectorstore.models import Article

TEXT = """Envoys meet in Oslo

Chinese Foreign Minister Li Wen met US Secretary of State Dana Whitfield in Oslo on Friday.
Li urged the US to lift export controls.
Whitfield raised concerns about cyber attacks.
"""


@pytest.fixture(scope="module")
def catalog():
    article = Article(id="a1", title="Envoys meet in Oslo", source="t.txt", text=TEXT)
    article.meetings = extract_meetings(article, split_sentences(TEXT))
    return build_catalog([article])


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("Who did Whitfield meet in Oslo?", "who_met"),
        ("Which officials took part in the talks?", "who_met"),
        ("Whom did the Chinese foreign minister receive in Oslo?", "who_met"),
        ("Where did Li and Whitfield meet?", "where_when"),
        ("On what day did the talks take place?", "where_when"),
        ("In which building did Li receive Whitfield?", "where_when"),
        ("Whom did Li speak with on Friday?", "who_met"),
        ("Who was the Chinese foreign minister talking to?", "who_met"),
        ("Who talked about export controls?", "other"),  # who spoke of it, not whom someone met
        ("Who did Li sit down with in Oslo?", "who_met"),
        ("Who represented China at the talks?", "who_met"),
        ("Who were the two envoys at the Oslo meeting?", "who_met"),
        ("Who warned about the meeting's outcome?", "outcome"),  # a meeting named, but not who met
        ("Who were the biggest winners at the summit?", "other"),
        ("Who welcomes the ceasefire deal?", "outcome"),
        ("What did China ask the US to do?", "demands"),
        ("What did Li urge Washington to lift?", "demands"),
        ("What did Beijing want?", "demands"),
        ("What was Washington pushing for?", "demands"),
        ("What did China press for at the talks?", "demands"),
        ("What does Beijing want from the talks?", "other"),  # what it is after, not a demand it made
        ("What concerns did Whitfield raise?", "side_position"),
        ("How did Whitfield react to the proposal?", "side_position"),
        ("What did the two sides agree on?", "outcome"),
        ("Which topics did they discuss?", "topics"),
        ("What was on the table at the Oslo talks?", "topics"),
        ("Which presidents met in Oslo?", "who_met"),
        ("What did the Oslo talks produce?", "outcome"),
        ("What came out of the talks?", "outcome"),
        ("How much oil does Norway produce?", "other"),  # what a country produces, not what the talks did
        ("What did China put on the table?", "other"),  # a proposal, not the topics
        ("Which deal did the presidents sign when they met?", "outcome"),
        ("Why was the meeting notable?", "other"),
    ],
)
def test_intent(catalog, question, intent):
    assert parse(question, catalog).intent == intent


def test_country_words_name_a_side(catalog):
    for question in (
        "What did China ask for?",
        "What did the Chinese side ask for?",
        "What did Beijing ask for?",
        "What had Beijing said before the talks?",  # any auxiliary comes before the subject
        "According to Beijing, what must the deal include?",  # the source speaks when no subject does
    ):
        q = parse(question, catalog)
        assert q.actor_side == "China", question


def test_a_place_that_names_a_document_or_a_process_speaks_for_no_one(catalog):
    for question in (
        "What does the Beijing agreement say about troops?",
        "What did the Beijing declaration commit to?",
        "Under the Beijing format, what must the talks include?",
    ):
        q = parse(question, catalog)
        assert q.actor_side is None and q.actor is None, question
        assert "China" in q.sides, question  # still an anchor of the question
    assert parse("What did Beijing say about the agreement?", catalog).actor_side == "China"
    # Nor does the side the document's question is about speak, and "plan" after a country is a verb.
    assert parse("What does the Beijing agreement say about Norwegian troops?", catalog).actor_side is None
    assert parse("Does Norway plan to lift sanctions on China?", catalog).actor_side == "Norway"


def test_person_is_the_actor_and_carries_the_side(catalog):
    q = parse("What did Whitfield tell Li about cyber attacks?", catalog)
    assert q.actor is not None and q.actor.name == "Dana Whitfield"
    assert q.actor_side == "United States"
    assert [p.name for p in q.people] == ["Dana Whitfield", "Li Wen"]
    assert q.about and "cyber attacks" in q.about


def test_title_before_a_name_does_not_hide_the_person(catalog):
    q = parse("What did US Secretary of State Dana Whitfield say?", catalog)
    assert q.actor is not None and q.actor.name == "Dana Whitfield"


def test_two_people_together_are_no_single_speaker(catalog):
    q = parse("How was the tone of the Whitfield–Li discussion described?", catalog)
    assert q.actor is None


@pytest.mark.parametrize("joined", ["Li-Whitfield", "Whitfield\u2013Li", "Li-Whitfeld"])
def test_two_people_joined_by_a_hyphen_or_a_dash_are_both_named(catalog, joined):
    q = parse(f"What subjects came up in the {joined} talks?", catalog)
    assert sorted(p.name for p in q.people) == ["Dana Whitfield", "Li Wen"]
    assert q.unknown_names == []  # nothing the store must hold besides the two


@pytest.mark.parametrize(
    ("question", "sides"),
    [
        ("Where did the China-US talks take place?", ["China", "United States"]),  # joined by a hyphen
        ("How many visas will Norwegians get under the deal?", ["Norway"]),  # a people in the plural
    ],
)
def test_country_words_are_sides_not_names_the_store_must_hold(catalog, question, sides):
    q = parse(question, catalog)
    assert q.unknown_names == [] and q.sides == sides


@pytest.mark.parametrize(
    ("question", "sides"),
    [
        ("Which South American leaders signed the trade pact?", []),
        ("What did the North-American delegates want?", []),
        ("Did Central American governments back the plan?", []),
        ("What did the Latin Americans ask for?", []),  # a people in the plural
        ("Which leaders from South\nAmerica came?", []),  # the region's noun, wrapped onto a new line
        ("What did Latin American and American officials agree?", ["United States"]),
        ("What did the Americans ask for?", ["United States"]),
    ],
)
def test_south_or_latin_american_is_not_the_united_states(catalog, question, sides):
    assert parse(question, catalog).sides == sides


def test_an_organisation_before_an_office_stays_a_name_the_store_must_hold(catalog):
    assert parse("What did the Hamas leader demand?", catalog).unknown_names == ["Hamas"]
    assert parse("What did the Jordans say?", catalog).unknown_names == ["Jordans"]  # no people's name


def test_abbreviated_offices_are_offices_and_a_time_stays_a_time(catalog):
    from bot.answering import _resolve_office

    q = parse("What did the Chinese FM urge?", catalog)
    _resolve_office(q, ["a1"], catalog)
    assert q.actor is not None and q.actor.name == "Li Wen"
    assert q.unknown_names == []
    assert "PM" in parse("What did Li say at the 3 PM briefing?", catalog).text


def test_joined_countries_ask_about_both_sides(catalog):
    q = parse("What did China and the US agree to do?", catalog)
    assert q.actor_side == "both"


def test_unknown_names_and_places_are_kept_for_the_store_check(catalog):
    q = parse("What did Macron tell Whitfield when they met in Istanbul?", catalog)
    assert "Macron" in q.unknown_names
    assert "Istanbul" in q.places
    assert [p.name for p in q.people] == ["Dana Whitfield"]


def test_proper_nouns_skip_question_words_titles_and_countries():
    assert proper_nouns("What did President Macron of France say about the South China Sea?") == [
        "Macron",
        "South China Sea",
    ]
    # A preposition or conjunction is capitalised only because it opens the question.
    assert proper_nouns("Apart from the dam, which crisis did Abiy raise?") == ["Abiy"]
    assert proper_nouns("Beyond trade, what did they sign in Porto?") == ["Porto"]


@pytest.mark.parametrize(
    ("question", "excluded"),
    [
        ("Besides fishing quotas, what did Li and Whitfield discuss?", "fishing quotas"),
        ("Which issues came up in Oslo apart from trade?", "trade"),
        ("What did Li and Whitfield discuss?", ""),
    ],
)
def test_what_a_question_leaves_out(catalog, question, excluded):
    assert parse(question, catalog).excluded == excluded


def test_the_kind_of_fact_a_question_asks_for(catalog):
    assert parse("In which city did Li and Whitfield meet?", catalog).wants_place
    assert parse("On what date did they meet?", catalog).wants_date
    long = parse("How long did the meeting last?", catalog)
    assert long.wants_duration and long.quantity == "duration"
    much = parse("How much money did they pledge?", catalog)
    assert much.wants_number and much.quantity == "number"
    assert parse("What deadline did they set for the talks?", catalog).wants_time
    assert parse("Which leaders attended?", catalog).wants_name
    said = parse("What did Li say about how many ships were seized?", catalog)
    assert said.wants_number and said.quantity is None  # a number inside, but the question asks what Li said
    assert parse("What annual volume of grain did the ministers promise?", catalog).quantity == "number"
    assert parse("What sum of money was pledged?", catalog).quantity == "number"
    by = parse("By how many days will the visa wait be cut?", catalog)
    assert by.quantity == "number" and by.counted == "days"
    assert parse("By how much will the quota be cut?", catalog).quantity is None  # "by half" answers it
    assert parse("What figure did Li give for the catch?", catalog).quantity is None  # no "of": may be a word
    assert not parse("What did they discuss?", catalog).wants_place


@pytest.mark.parametrize(
    ("question", "next_one", "earlier_one"),
    [
        ("Where are Li and Whitfield due to meet next?", True, False),
        ("When will Li and Whitfield meet again?", True, False),
        ("When did Li and Whitfield last meet?", False, True),
        ("Where were their previous talks held?", False, True),
        ("How long did the meeting last?", False, False),  # "last" the verb
        ("Where did Li and Whitfield meet last week?", False, False),  # dates the meeting reported
        ("What did Li say the deal would bring?", False, False),
        ("Where did Li and Whitfield meet due to the storm?", False, False),  # "due to": a cause
        ("When did Li last visit Oslo?", False, True),
        ("Who else is Li due to see before leaving Oslo?", True, False),
        ("Whom is Li scheduled to meet on Saturday?", True, False),
    ],
)
def test_a_question_about_another_meeting_than_the_one_reported(catalog, question, next_one, earlier_one):
    q = parse(question, catalog)
    assert (q.wants_next, q.wants_earlier) == (next_one, earlier_one)


def test_an_abbreviated_month_is_no_name_the_article_must_hold(catalog):
    assert parse("Who met in Oslo on Mar. 7?", catalog).unknown_names == []


def test_cross_article_questions(catalog):
    assert parse("Which meetings discussed the Arctic?", catalog).cross
    assert parse("Which officials did Whitfield meet in these articles?", catalog).cross
    assert not parse("What talks preceded the Oslo meeting?", catalog).cross
    assert parse("Which of the meetings covered here dealt with fishing?", catalog).cross
    assert parse("Whitfield met two leaders in this set. What did she agree to in each?", catalog).cross
    assert not parse("What is in this set of proposals?", catalog).cross


def test_two_part_and_where_when_questions_are_split(catalog):
    q = parse("What did Li urge, and what did Whitfield reply?", catalog)
    assert q.parts == ["What did Li urge", "what did Whitfield reply?"]
    q = parse("Where and on what day did they meet?", catalog)
    assert q.parts == ["Where did they meet?", "on what day did they meet?"]
    q = parse("What did Li urge, and on what date did Whitfield reply?", catalog)
    assert q.parts == ["What did Li urge", "on what date did Whitfield reply?"]
    assert parse("Which leaders did Li meet, and on what dates?", catalog).parts == []  # one question, two facts


def test_source_clause_is_not_part_of_the_topic(catalog):
    q = parse("Where did Li meet Whitfield, according to the Reuters report datelined Oslo?", catalog)
    assert "Reuters" not in q.core and q.core.startswith("Where did Li meet Whitfield")


def test_spelling_variants_match_the_known_person(catalog):
    q = parse("What did Whitfeld raise?", catalog)
    assert q.actor is not None and q.actor.name == "Dana Whitfield"


def catalog_of_participants(people: list[tuple[str, str | None]]):
    """A catalog of one article per (name, country), article ids a0, a1, ... in order."""
    from vectorstore.models import Meeting, Participant

    articles = [
        Article(
            id=f"a{i}",
            title="t",
            source="t.txt",
            text="text",
            meetings=[Meeting(participants=[Participant(name=name, country=country)])],
        )
        for i, (name, country) in enumerate(people)
    ]
    return build_catalog(articles)


def test_a_lone_name_is_a_surname_and_a_full_name_claims_its_words():
    catalog = catalog_of_participants(
        [("Mahmoud Abbas", "Palestine"), ("Abbas Mousavi", "Iran"), ("Faisal Mahmoud", "Egypt")]
    )
    assert [p.name for p in parse("What did Abbas urge Blinken to do?", catalog).people] == ["Mahmoud Abbas"]
    named = parse("Where did Mahmoud Abbas meet Blinken?", catalog)
    assert [p.name for p in named.people] == ["Mahmoud Abbas"]  # not also Faisal Mahmoud or Abbas Mousavi
    assert [p.name for p in parse("What did Abbas Mousavi say?", catalog).people] == ["Abbas Mousavi"]


def test_namesakes_of_one_country_are_two_people_and_spellings_of_one_name_are_one():
    catalog = catalog_of_participants(
        [("Hamad Bakr", "Egypt"), ("Fatima Bakr", "Egypt"), ("Antony Blinken", None), ("Anthony Blinken", None)]
    )
    (fatima,) = parse("What did Fatima Bakr warn about?", catalog).people
    assert fatima.name == "Fatima Bakr" and fatima.article_ids == {"a1"}
    (blinken,) = parse("What did Anthony Blinken say?", catalog).people
    assert blinken.article_ids == {"a2", "a3"}
    # A report that gives the surname alone, read first, does not make every Bakr one person.
    catalog = catalog_of_participants([("Bakr", None), ("Fatima Bakr", "Egypt"), ("Hamad Bakr", "Egypt")])
    (fatima,) = parse("What did Fatima Bakr warn about?", catalog).people
    assert fatima.article_ids == {"a0", "a1"}

    # The name written another way is that person, not a name the article must also hold.
    formal = parse("What did Joseph R. Biden agree with Kishida?", catalog_of_participants([("Joe Biden", None)]))
    assert [p.name for p in formal.people] == ["Joe Biden"] and formal.proper_terms == ["Kishida"]


def test_an_office_holds_whoever_has_its_title_and_country_however_the_title_is_written(catalog):
    (office,) = parse("What did the South Korean president say?", catalog).offices
    assert office.held_by("President", "South Korea")  # "South Korea's President Yoon"
    assert office.held_by("South Korean President", "South Korea")
    assert not office.held_by("President", "Japan")


@pytest.mark.parametrize(
    ("question", "person"),
    [
        ("What did the Secretary of State raise?", "Dana Whitfield"),
        ("What did the foreign minister urge?", "Li Wen"),
        ("What did Beijing's leader say?", None),  # no head of government of China in the meeting
        ("What did China's foreign minister urge?", "Li Wen"),
        ("What did the American foreign minister urge?", None),  # no such office holder
    ],
)
def test_a_person_named_by_office_is_whoever_holds_it_in_the_meetings(catalog, question, person):
    from bot.answering import _resolve_office

    q = parse(question, catalog)
    _resolve_office(q, ["a1"], catalog)
    assert (q.actor.name if q.actor else None) == person


def test_an_office_two_people_hold_names_no_one():
    from bot.answering import _resolve_office

    text = (
        "Ministers meet\n\nFrench Foreign Minister Claire Dubois met Brazilian Foreign Minister Marco Silva "
        "in Paris on Friday.\nSilva urged France to lift tariffs.\n"
    )
    article = Article(id="a2", title="Ministers meet", source="t.txt", text=text)
    article.meetings = extract_meetings(article, split_sentences(text))
    catalog = build_catalog([article])
    q = parse("What did the foreign minister urge?", catalog)
    _resolve_office(q, ["a2"], catalog)
    assert q.actor is None and q.people == []


@pytest.mark.parametrize(
    ("question", "days"),
    [
        ("Which leaders met in Seoul on May 26?", [(5, 26)]),
        ("What did they announce after their August 31, 2022 meeting?", [(8, 31)]),
        ("What was agreed at the talks on 5 May?", [(5, 5)]),
        ("Who met in Seoul on Nov. 14?", [(11, 14)]),  # news style's abbreviated month
        ("What came out of their Sept 5 meeting?", [(9, 5)]),
        ("What deadline did they set, March 31?", []),  # a date in the answer, not the meeting's
    ],
)
def test_the_day_a_question_gives_for_the_meeting(catalog, question, days):
    assert parse(question, catalog).meeting_days == days


@pytest.mark.parametrize(
    ("question", "embedded"),
    [
        ("What did the two ministers agree on fishing?", "did the two ministers agree on fishing"),
        ("Who hosted the talks in Valletta?", "hosted the talks in Valletta"),
        ("  how long did they meet ?", "long did they meet"),
        ("Did they sign anything?", "Did they sign anything"),
        ("What?", "What?"),  # nothing left: the question as asked
    ],
)
def test_the_embedder_sees_the_question_without_its_interrogative_word(question, embedded):
    assert embedding_text(question) == embedded


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("Did they discuss debt relief?", "debt relief"),
        ("Did Whitfield and Li discuss debt relief at the talks?", "debt relief"),
        ("Was the issue of fisheries discussed during the visit?", "fisheries"),
        ("Was Taiwan raised?", "Taiwan"),
        ("Have they discussed climate change before?", "climate change"),
    ],
)
def test_whether_a_topic_came_up_asks_about_that_topic(catalog, question, topic):
    # The topic must be in the article, or the articles don't say: the same rule as "What did they
    # say about debt relief?".
    q = parse(question, catalog)
    assert (q.about, q.about_strict) == (topic, True)
    # With a second question after it, the topic only ranks: the other part may be answered.
    q = parse(question.rstrip("?") + ", and where did they meet?", catalog)
    assert (q.about, q.about_strict) == (topic, False)


@pytest.mark.parametrize(
    ("question", "interval"),
    [
        ("How long did the talks last?", False),
        ("How long did the talks last before they broke off?", False),
        ("How long did Whitfield stay in Oslo before flying to Lima?", False),
        ("How long after the election did they meet?", True),
        ("How long had it been since their last meeting?", True),
        ("How long was the visit?", None),
    ],
)
def test_how_long_it_lasted_or_how_long_since(catalog, question, interval):
    assert parse(question, catalog).wants_interval is interval


@pytest.mark.parametrize(
    ("question", "asks_title"),
    [
        ("What position does Whitfield hold?", True),
        ("What is Whitfield's official title?", True),
        ("What role did Whitfield play in the talks?", False),  # a part in events, not a title
        ("What position did Whitfield take on export controls?", False),  # a stance
        ("What is Whitfield's position on investment?", False),
        ("What title did Whitfield give the agreement?", False),
        ("What did the office of Whitfield say?", False),
        ("What position do Whitfield and Li hold?", False),  # one person's title is asked
    ],
)
def test_a_question_asking_one_persons_title(catalog, question: str, asks_title: bool) -> None:
    assert parse(question, catalog).asks_title is asks_title


@pytest.mark.parametrize(
    ("question", "venue"),
    [
        ("Where in Oslo did Li and Whitfield meet?", True),
        ("At which venue in Oslo did the envoys hold their talks?", True),
        ("Where exactly did Li receive Whitfield?", True),
        ("In which building did Li receive Whitfield?", True),
        ("Where did Li and Whitfield meet?", False),
        ("In which city did Li and Whitfield meet?", False),
        ("Where in Norway did Li and Whitfield meet?", False),  # a country: the city is asked
        ("where in oslo did Li and Whitfield meet?", True),
    ],
)
def test_a_question_may_ask_for_the_building_not_the_city(catalog, question, venue):
    q = parse(question, catalog)
    assert q.wants_place and q.wants_venue is venue


def test_which_day_asks_for_a_date(catalog):
    assert parse("Where were the talks held, and on which day?", catalog).wants_date


def test_two_peoples_joined_by_a_hyphen_are_no_name_to_look_for(catalog):
    q = parse("Where did the Kazakh-Korean minerals talks take place?", catalog)
    assert q.unknown_names == [] and "Kazakhstan" in q.sides
    # a hyphenated name stays one to look for, and so does a name beside it ("Lucian" of "Saint Lucian")
    assert parse("What did Smith-Korean say in Oslo?", catalog).unknown_names == ["Smith-Korean"]
    assert parse("What did Lucian Kazakh-Korean say in Oslo?", catalog).unknown_names == ["Lucian Kazakh-Korean"]


def test_take_place_asks_no_place(catalog):
    assert not parse("When did the talks take place?", catalog).wants_place
    assert not parse("When will the talks take  place?", catalog).wants_place
    assert parse("Where did the talks take place?", catalog).wants_place
    assert parse("In what place did the two ministers meet?", catalog).wants_place


@pytest.mark.parametrize(
    ("question", "coming"),
    [
        ("When will the first session of the new joint commission take place?", True),
        ("On what exact date will the two countries' new border security committee hold its first meeting?", True),
        ("When will the first meeting of the new Arctic security dialogue be held?", True),
        ("When did the two ministers meet?", False),
        # no meeting: the date may be any sentence's
        ("When will the tariff cut take effect?", False),
        ("When will the ceasefire start?", False),
        ("When will the new consulate open?", False),
    ],
)
def test_a_question_in_the_future_asks_about_a_meeting_to_come(catalog, question, coming):
    q = parse(question, catalog)
    assert q.wants_next is coming
    if coming:  # a when-question, whose date the answer must give
        assert q.intent == "where_when" and q.wants_date


@pytest.mark.parametrize(
    ("question", "money"),
    [
        ("How much will the customs corridor cost?", True),
        ("How much disaster aid did Australia announce?", True),
        ("What is the estimated value of the defence framework?", True),
        ("How much was trade between the two countries worth?", True),
        ("How much of the border is still closed?", False),
        ("How many inspectors will be posted at the border?", False),
        ("What did Li say about the cost of living?", False),
        ("How much did Li and Whitfield talk about funding?", False),
        ("How much emphasis did they place on aid?", False),
        ("How much will the deal about gas cost?", True),
        ("At what price will the utility sell power to its neighbour?", True),
        ("What price per tonne did the two ministers settle on?", True),
        ("What did the prime minister say about the price of fuel?", False),
        ("What price controls were discussed?", False),  # a topic, not a price
    ],
)
def test_a_question_may_ask_for_a_sum_of_money(catalog, question, money):
    assert parse(question, catalog).wants_money is money


def test_a_country_of_two_words_beside_a_hyphen_is_a_side(catalog):
    q = parse("Where were the Sudan-South Sudan pipeline talks held?", catalog)
    assert q.unknown_names == [] and set(q.sides) == {"Sudan", "South Sudan"}


def test_an_adjective_made_of_a_name_leaves_the_name_to_look_for(catalog):
    assert proper_nouns("Who led the delegations at the AU-mediated talks?") == ["AU"]
    assert proper_nouns("What did the Saudi-backed government say?") == []  # a country word: a side


def test_a_side_before_two_people_joined_by_a_hyphen_is_the_speaker(catalog):
    q = parse("What did Beijing press the US to lift at the Li-Whitfield talks?", catalog)
    assert q.actor_side == "China"
    # the two together, with no side or two sides before them, are no single speaker
    assert parse("What came out of the Li-Whitfield talks?", catalog).actor_side is None
    for joint in (
        "What did China and the US agree at the Li-Whitfield talks?",
        "What did Beijing and Washington agree at the Li-Whitfield meeting?",
    ):
        q = parse(joint, catalog)
        assert q.actor is None and q.actor_side in (None, "both"), joint
    assert parse("What did Chinese Foreign Minister Li and Whitfield agree?", catalog).actor is None
