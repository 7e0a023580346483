"""The answer engine's features on sentences written for these tests, and the fitted model's shape."""

from __future__ import annotations

import json

import numpy as np
import pytest

from bot.answer.catalog import Catalog, build_catalog
from bot.answer.compose import best_first, choose
from bot.answer.features import INDEX, NAMES, ArticleContext, answer_facts, candidate_sentences, featurize
from bot.answer.question import parse
from bot.answer.ranker import WEIGHTS_FILE, load_weights
from ingest.extraction import extract_meetings
from ingest.extraction.lexicon import find_sides
from ingest.segment import split_sentences
from vectorstore.models import Article

TEXT = (
    "Where the money goes\n"
    "The two foreign ministers met in Valletta on Monday for three hours.\n"
    "The package is worth 105 million euros over three years.\n"
    "Both sides agreed to finish the border talks within four months.\n"
    "Fishing quotas were also on the agenda."
)


def features_for(question: str, text: str = TEXT) -> dict[str, np.ndarray]:
    article = Article(id="a1", title="Ministers meet", source="t.txt", text=text)
    sentences = split_sentences(text)
    q = parse(question, Catalog())
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(len(sentences), 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    context = ArticleContext(article, None, sentences, vectors, {}, focus=0.0, rank=0)
    candidates, matrix = featurize(q, vectors[1], [context])
    assert [c.sentence.text for c in candidates] == [s.text for s in sentences]
    return {name: matrix[:, INDEX[name]] for name in NAMES}


def test_the_kind_of_fact_asked_for_marks_the_sentences_that_state_one():
    assert features_for("When did the ministers meet?")["date_asked"].tolist() == [0, 1, 0, 0, 0]
    assert features_for("How much money is in the package?")["number_asked"][2] == 1
    assert features_for("What deadline did they set for the border talks?")["time_asked"][3] == 1
    assert features_for("How long did the ministers talk?")["duration_asked"][1] == 1
    # The same sentences carry no such mark when the question asks for something else.
    assert features_for("What did they discuss?")["number_asked"].sum() == 0


def test_the_best_dense_match_is_marked():
    f = features_for("What did they discuss?")
    assert f["dense_top"].tolist() == [0, 1, 0, 0, 0]  # the question vector is sentence 2's own
    assert f["dense_gap"][1] == 0 and (f["dense_gap"] <= 0).all()


def test_lexical_overlap_prefers_the_sentence_with_the_question_words():
    f = features_for("Were fishing quotas on the agenda?")
    assert int(np.argmax(f["lexical"])) == 4


def test_fitted_weights_name_every_feature_and_point_the_expected_way():
    data = json.loads(WEIGHTS_FILE.read_text("utf-8"))
    assert set(data["weights"]) == set(NAMES)
    weights = load_weights()
    assert weights.weights["lexical"] > 0 and weights.weights["dense"] + weights.weights["dense_gap"] > 0
    assert weights.fit["folds"].startswith("by article")
    row = np.zeros(len(NAMES), dtype=np.float32)
    row[INDEX["lexical"]] = 1.0
    assert "lexical" in weights.explain(row)


def test_countries_come_from_the_dataset_with_their_capitals():
    sides = {side for _, _, side in find_sides("Talks between Baku and Yerevan, with Georgetown and Caracas")}
    assert sides == {"Azerbaijan", "Armenia", "Guyana", "Venezuela"}
    assert find_sides("Victoria said the Kremlin") == [(18, 25, "Russia")]  # a given name is no capital


def test_headings_and_questions_put_to_someone_are_never_evidence():
    text = (
        "What the two sides signed\n"
        "QUESTION (state radio): What changes for people at the border?\n"
        "Valletta, 7 March 2025.\n"
        "The ministers signed a fisheries memorandum on Monday.\n"
        '"We will keep talking," the minister said.'
    )
    kept = [s.text for s in candidate_sentences(split_sentences(text))]
    assert kept == [
        "The ministers signed a fisheries memorandum on Monday.",
        '"We will keep talking," the minister said.',
    ]


def _eye_context(text: str, article_id: str, title: str) -> tuple[Article, list, np.ndarray, ArticleContext]:
    """One article written for a test, its sentences with one-hot vectors (sentence i is the question
    when the question vector is row i), and the context the features read."""
    article = Article(id=article_id, title=title, source="t.txt", text=text)
    sentences = split_sentences(text)
    vectors = np.eye(len(sentences), 8, dtype=np.float32)
    return article, sentences, vectors, ArticleContext(article, None, sentences, vectors, {}, focus=0.0, rank=0)


def _features(text: str, question: str, published: str | None = None) -> dict[str, np.ndarray]:
    article = Article(id="a2", title="Talks", source="t.txt", text=text, published=published)
    sentences = split_sentences(text)
    vectors = np.eye(len(sentences), 8, dtype=np.float32)
    context = ArticleContext(article, None, sentences, vectors, {}, focus=0.0, rank=0)
    _, matrix = featurize(parse(question, Catalog()), vectors[0], [context])
    return {name: matrix[:, INDEX[name]] for name in NAMES}


def test_a_city_is_asked_for_and_a_venue_does_not_answer_it():
    text = "The ministers met on the margins of the regional summit.\nThey spoke for an hour."
    assert _features(text, "Where did the ministers meet?")["place_asked"][0] == 1
    assert _features(text, "In which city did the ministers meet?")["place_asked"][0] == 0


def test_what_the_question_leaves_out_is_not_its_topic():
    text = "The ministers discussed fishing quotas.\nThey also discussed the border talks."
    f = _features(text, "Besides fishing quotas, what did the ministers discuss?")
    # "besides fishing quotas": the quotas count for neither sentence, only the verb both share
    assert f["lexical"][0] == f["lexical"][1] > 0


def test_a_building_answers_which_building():
    text = "The president was driven to the presidential palace for the ceremony.\nThey spoke for an hour."
    question = "In which building did the president receive his guest?"
    assert _features(text, question)["place_asked"].tolist() == [1, 0]
    text = "They agreed on building a railway.\nThe talks were held in the old customs building."
    assert _features(text, question)["place_asked"].tolist() == [0, 1]  # the noun, not the verb
    assert _features("They launched a building programme.", question)["place_asked"].tolist() == [0]


def test_today_is_a_date_only_in_a_dated_article():
    text = "The ministers met earlier today in the capital.\nThey spoke for an hour."
    assert _features(text, "On what date did the ministers meet?")["date_asked"][0] == 0
    assert _features(text, "On what date did the ministers meet?", published="2025-03-07")["date_asked"][0] == 1


def test_a_sentence_that_names_an_earlier_year_than_the_reports_is_marked():
    text = (
        "The ministers met in Lima in 2025.\nThey recalled the 1998 border treaty.\n"
        "In May 2024 a prisoner swap took place."
    )
    question = "What did the ministers recall?"
    assert _features(text, question, published="2025-03-07")["past_year"].tolist() == [0, 1, 1]
    assert _features(text, question)["past_year"].tolist() == [0, 0, 0]  # no date: no year to be earlier than


def test_the_meeting_verb_of_a_where_question_is_no_word_overlap():
    text = (
        "The prime minister hosted her guest at the palace in Valletta on Monday.\n"
        "The guest is expected to travel to Rome in May for a meeting of foreign ministers."
    )
    # "meet" is how the question asks for the meeting; the lead says "hosted". Matching the verb
    # would favour any sentence that happens to say "meeting", here one about another meeting.
    f = features_for("Where did the prime minister meet her guest?", text)
    assert f["lexical"][0] == f["lexical"][1]  # both name the guest; neither is closer for "meeting"
    assert f["meeting_cue"].tolist() == [1, 1]  # both say a meeting word; which meeting is for other features
    # Asked what they said, the verb still counts: "urged" is what a demands question asks for.
    said = "The prime minister urged her guest to act.\nThe guest visited the harbour."
    assert features_for("What did the prime minister urge her guest to do?", said)["lexical"][0] > 0


def test_one_surname_is_not_one_person():
    from bot.answer.names import same_person

    assert not same_person("Fatima Bakr", "Hamad Bakr") and not same_person("Wang Yi", "Wang Wentao")
    assert same_person("Luiz Inácio Lula da Silva", "Lula da Silva") and same_person(
        "Lula da Silva", "Luiz Inácio Lula da Silva"
    )
    assert same_person("Antony Blinken", "Anthony Blinken") and same_person("Olaf Scholz", "Scholz")
    # A nickname, an initial and a suffix (the nicknames package's table) are one person.
    assert same_person("Joe Biden", "Joseph R. Biden, Jr.") and same_person("Joseph R. Biden", "Joe Biden")
    assert not same_person("Bill Clinton", "Hillary Clinton")


def test_a_namesakes_statement_is_not_the_speakers_asked_about():
    from types import SimpleNamespace

    from bot.answer.catalog import KnownPerson
    from bot.answer.features import is_actor

    q = parse("What did Fatima Bakr warn about?", Catalog())
    q.actor = KnownPerson(name="Fatima Bakr", country="Egypt")
    assert is_actor(SimpleNamespace(actor="Fatima Bakr", side="Egypt"), q)
    assert is_actor(SimpleNamespace(actor="Bakr", side="Egypt"), q)  # the surname alone, as reports repeat it
    assert not is_actor(SimpleNamespace(actor="Hamad Bakr", side="Egypt"), q)
    q.actor = KnownPerson(name="Luiz Inácio Lula da Silva", country="Brazil")
    assert is_actor(SimpleNamespace(actor="Lula", side="Brazil"), q)  # the part of the name reports use alone


def test_the_place_and_year_that_pick_the_meeting_are_not_the_topic():
    text = "The two ministers met in Geneva in March 2023.\nThey agreed to reopen the rail link."
    # "in Geneva in 2023" says which meeting; the answer is about the rail link, not the city.
    f = features_for("What did the ministers agree in Geneva in 2023 about the rail link?", text)
    assert f["lexical"][0] == 0 and f["lexical"][1] > 0
    # Asked where, the place is what the answer must hold.
    assert features_for("Where did the ministers meet in 2023, Geneva or Basel?", text)["lexical"][0] > 0


def test_the_article_whose_headline_matches_the_question_is_marked_in_every_sentence():
    # A question that names no one ("What deadline did the two leaders set for the dam?") is told
    # apart from other meetings by what the article is about: its headline.
    contexts = []
    for i, text in enumerate(["The leaders met. They set a deadline.", "The ministers met. They set a date."]):
        sentences = split_sentences(text)
        vectors = np.eye(len(sentences), 8, k=0, dtype=np.float32)
        title = np.eye(1, 8, k=4 + i, dtype=np.float32)[0]
        article = Article(id=f"a{i}", title="Talks", source="t.txt", text=text)
        contexts.append(ArticleContext(article, None, sentences, vectors, {}, focus=0.0, rank=i, title_vector=title))
    question_vector = np.eye(1, 8, k=5, dtype=np.float32)[0]  # the second article's headline
    _, matrix = featurize(parse("What did they set?", Catalog()), question_vector, contexts)
    assert matrix[:, INDEX["title_dense"]].tolist() == [-1, -1, 0, 0]


def test_one_sentence_need_not_answer_every_part_of_a_two_part_question():
    from bot.answer.features import ABSTAIN_NAMES, abstention_features

    text = "Li met Whitfield in Oslo on Friday.\nLi urged the US to lift export controls.\nWhitfield said no."
    _article, _sentences, vectors, context = _eye_context(text, "a3", "Talks")

    def flags(question: str) -> dict[str, float]:
        q = parse(question, Catalog())
        candidates, matrix = featurize(q, vectors[1], [context])
        matrix[1, INDEX["actor_other_side"]] = 1.0  # the best sentence is someone else's
        probabilities = np.full(len(candidates), 0.1)
        probabilities[1] = 0.5  # sentence 1 is the best
        return dict(zip(ABSTAIN_NAMES, abstention_features(q, candidates, matrix, probabilities)))

    one = flags("On what date did China ask the US to lift export controls?")
    assert one["best_other_speaker"] == 1 and one["best_type_absent"] == 1
    two = flags("What did China ask the US to lift, and when did Whitfield answer?")
    assert two["best_other_speaker"] == 0 and two["best_type_absent"] == 0


def test_abstention_sees_how_far_the_speakers_own_best_sentence_is_and_a_background_best():
    from bot.answer.features import ABSTAIN_NAMES, abstention_features

    text = "Li met Whitfield in Oslo in 2025.\nIn 2019 the two sides swapped prisoners.\nLi said talks went well."
    article = Article(id="a5", title="Talks", source="t.txt", text=text, published="2025-05-02")
    sentences = split_sentences(text)
    vectors = np.eye(len(sentences), 8, dtype=np.float32)
    context = ArticleContext(article, None, sentences, vectors, {}, focus=0.0, rank=0)
    q = parse("What did China say about the prisoners?", Catalog())
    candidates, matrix = featurize(q, vectors[1], [context])
    matrix[:, INDEX["actor_said"]] = [0, 0, 1]  # only the last sentence is China's
    flags = dict(zip(ABSTAIN_NAMES, abstention_features(q, candidates, matrix, np.array([0.1, 0.5, 0.2]))))
    assert flags["best_past_year"] == 1  # the best sentence tells of 2019, before the report
    assert flags["actor_best_gap"] == pytest.approx(np.log(0.5 / 0.5) - np.log(0.2 / 0.8))


def test_a_title_names_the_person_but_its_words_alone_are_the_topic():
    from bot.answer.features import question_stems

    assert question_stems("What did the trade minister say about security?")[0] == {"secur"}
    assert "trade" in question_stems("What trade target did Finland and Chile set?")[0]
    assert "state" in question_stems("What did the Secretary of State say about a Palestinian state?")[0]


@pytest.mark.parametrize(
    ("sentence", "states_a_length"),
    [
        ("He paid a state visit from 6 to 8 October.", True),
        ("The delegation stayed from Monday to Wednesday.", True),
        ("The talks lasted about two hours.", True),
        ("Inflation rose from 5 to 8 percent.", False),  # a range, not a stay
        ("The vote was postponed from Monday to Wednesday.", False),  # a date moved, not a stay
    ],
)
def test_a_stay_from_one_day_to_another_is_a_length(sentence, states_a_length):
    assert _features(sentence, "How long did the visit last?")["duration_asked"][0] == states_a_length


def test_for_the_next_meeting_the_reported_meetings_sentence_is_not_the_meeting_asked_about():
    from ingest.extraction import extract_meetings

    text = (
        "Talks in Lima\n\nPeruvian Foreign Minister Rosa Quispe met Chilean Foreign Minister Ana Mora in Lima "
        "on Monday.\nThey agreed to meet again in Quito in May."
    )
    article = Article(id="a4", title="Talks in Lima", source="t.txt", text=text)
    sentences = split_sentences(text)
    (meeting,) = extract_meetings(article, sentences)
    vectors = np.eye(len(sentences), 8, dtype=np.float32)
    context = ArticleContext(article, meeting, sentences, vectors, {}, focus=0.0, rank=0)

    def column(question: str, name: str) -> list[float]:
        return featurize(parse(question, Catalog()), vectors[0], [context])[1][:, INDEX[name]].tolist()

    assert column("Where did Quispe and Mora meet?", "meeting_sentence") == [0, 1, 0]
    assert column("Where will Quispe and Mora meet next?", "meeting_sentence") == [0, 0, 0]
    assert column("Where will Quispe and Mora meet next?", "planned_asked") == [0, 0, 1]
    assert column("Where did Quispe and Mora meet?", "planned_asked") == [0, 0, 0]


def test_a_meeting_announced_in_the_passive_answers_what_comes_next_and_only_that() -> None:
    text = (
        "Summit ends\nThe leaders signed a pact setting up a commission, whose first session will be held in Tirana.\n"
        "Next year's summit will be held in Tirana, the host confirmed."
    )
    _article, _sentences, vectors, context = _eye_context(text, "a8", "Summit ends")

    def column(question: str, name: str) -> list[float]:
        return featurize(parse(question, Catalog()), vectors[0], [context])[1][:, INDEX[name]].tolist()

    assert column("Which city will host next year's summit?", "planned_asked") == [0, 1, 1]
    # For what was agreed, a session "will be held" is part of the deal: the penalty for a sentence about
    # another occasion ("planned") stays off, which is why the passive form is not in PLANNED.
    assert column("What did the leaders sign?", "planned") == [0, 0, 0]
    assert column("What did the leaders sign?", "planned_asked") == [0, 0, 0]


@pytest.mark.parametrize(
    ("sentence", "lasted", "since"),
    [
        ("The two leaders talked for about 90 minutes before a working dinner.", True, False),
        ("The talks lasted about two hours.", True, False),
        ("It was the first visit by a Kenyan leader to Japan in nine years.", False, True),
        ("The meeting came two weeks after the election.", False, True),
        ("Their first meeting in two years lasted three hours.", True, True),
        ("After three hours of talks, they signed a deal.", True, False),
        ("It was his first visit to Norway for nine years.", False, True),
        ("The summit came a week after the election.", False, True),
    ],
)
def test_how_long_it_lasted_and_how_long_since_are_two_spans(sentence, lasted, since):
    # "How long did the talks last?" is not answered by "the first visit in nine years", nor "How
    # long after the election ...?" by "talked for 90 minutes".
    assert _features(sentence, "How long did the talks last?")["duration_asked"][0] == lasted
    assert _features(sentence, "How long after the election did they meet?")["duration_asked"][0] == since
    assert _features(sentence, "How long was the visit?")["duration_asked"][0] == 1  # either will do


@pytest.mark.parametrize(
    ("question", "runner_up_score", "joins"),
    [
        ("What deadline did they set for the border talks?", 0.25, True),  # the best sentence states none
        ("What deadline did they set for the border talks?", 0.1, False),  # far below the best one
        ("What did they say about the border talks?", 0.25, False),  # no kind of fact asked for
    ],
)
def test_a_runner_up_that_states_the_fact_asked_for_joins_a_best_sentence_that_lacks_it(
    question: str, runner_up_score: float, joins: bool
) -> None:
    _article, _sentences, vectors, context = _eye_context(TEXT, "a1", "Ministers meet")
    q = parse(question, Catalog())
    candidates, _ = featurize(q, vectors[4], [context])
    scores = {"Fishing quotas were also on the agenda.": 0.4, "Both sides agreed to finish": runner_up_score}
    for c in candidates:
        c.score = next((p for opening, p in scores.items() if c.sentence.text.startswith(opening)), 0.01)
    chosen = [c.sentence.text for c in choose(best_first(candidates), q, add_ratio=0.8, add_floor=0.05)]
    best = "Fishing quotas were also on the agenda."
    deadline = "Both sides agreed to finish the border talks within four months."
    assert chosen == ([deadline, best] if joins else [best])  # in the article's order


@pytest.mark.parametrize(
    ("second", "joins"),
    [
        ("They also agreed to resume direct flights.", True),  # goes on with the chosen sentence
        ("Direct flights were suspended in 2020.", False),  # a sentence of its own, scored far below
    ],
)
def test_a_sentence_that_goes_on_with_a_chosen_one_joins_it(second: str, joins: bool) -> None:
    text = f"Ministers meet\nThe two ministers agreed to reopen the border crossing.\n{second}\nIt rained."
    _article, _sentences, vectors, context = _eye_context(text, "a1", "Ministers meet")
    q = parse("What did the two ministers agree?", Catalog())
    candidates, _ = featurize(q, vectors[1], [context])
    first = "The two ministers agreed to reopen the border crossing."
    for c in candidates:
        c.score = 0.6 if c.sentence.text == first else 0.1 if c.sentence.text == second else 0.01
    chosen = [c.sentence.text for c in choose(best_first(candidates), q, add_ratio=0.8, add_floor=0.05)]
    assert chosen == ([first, second] if joins else [first])


@pytest.mark.parametrize(
    ("first", "question", "second", "joins"),
    [
        # says there were results, not which: the next sentence says them
        ("There were, in the end, tangible results.", "What did the two ministers agree?", None, True),
        ("The most concrete result concerned the crossing itself.", "What did the two ministers agree?", None, True),
        # says them itself: the next sentence must earn its place like any runner-up
        ("They agreed on concrete steps to reopen the border.", "What did the two ministers agree?", None, False),
        ("The two ministers agreed to reopen the border crossing.", "What did the two ministers agree?", None, False),
        # one answer is asked for, not a list
        ("There were, in the end, tangible results.", "Where did the two ministers meet?", None, False),
        # the next sentence opens another paragraph
        ("There were, in the end, tangible results.", "What did the two ministers agree?", "\n", False),
        # the next sentence is another side's: not what the speaker asked about demanded
        (
            "Kyiv listed its demands.",
            "What did Kyiv demand?",
            "Russia's foreign minister said Moscow would never withdraw.",
            False,
        ),
    ],
)
def test_the_sentence_after_one_that_only_announces_results_says_them(
    first: str, question: str, second: str | None, joins: bool
) -> None:
    follows = "From April the crossing will stay open around the clock."
    if second == "\n":
        text = f"Ministers meet\n{first}\n{follows}\nIt rained."
    else:
        follows = second or follows
        text = f"Ministers meet\n{first} {follows}\nIt rained."
    _article, _sentences, vectors, context = _eye_context(text, "a1", "Ministers meet")
    q = parse(question, Catalog())
    candidates, _ = featurize(q, vectors[1], [context])
    # two strong runner-ups elsewhere must not crowd the announced results out
    for c in candidates:
        c.score = 0.6 if c.sentence.text == first else 0.1 if c.sentence.text == follows else 0.01
    chosen = [c.sentence.text for c in choose(best_first(candidates), q, add_ratio=0.8, add_floor=0.05)]
    assert chosen[:2] == [first, follows] if joins else follows not in chosen


def test_announced_results_join_before_stronger_runner_ups() -> None:
    first, follows = "There were, in the end, tangible results.", "From April the crossing will stay open."
    text = (
        f"Ministers meet\n{first} {follows}\nThe two ministers agreed to share river data.\nThe two ministers agreed to restore flights.\n"
        "It rained."
    )
    _article, _sentences, vectors, context = _eye_context(text, "a1", "Ministers meet")
    q = parse("What was agreed at the talks?", Catalog())
    candidates, _ = featurize(q, vectors[1], [context])
    scores = {
        first: 0.6,
        follows: 0.1,
        "The two ministers agreed to share river data.": 0.55,
        "The two ministers agreed to restore flights.": 0.5,
    }
    for c in candidates:
        c.score = scores.get(c.sentence.text, 0.01)
    chosen = [c.sentence.text for c in choose(best_first(candidates), q, add_ratio=0.8, add_floor=0.05)]
    # the announcement, what it announces, and the strongest runner-up: a list answer of three
    assert chosen == [first, follows, "The two ministers agreed to share river data."]


def test_the_facts_an_answer_must_state_are_those_the_question_asks_for_not_its_when_clause() -> None:
    assert answer_facts(parse("When did the ministers meet?", Catalog())) == ["date_asked"]
    assert answer_facts(parse("What deadline did they set for the border talks?", Catalog())) == ["time_asked"]
    assert answer_facts(parse("What did Marin say when the ministers met?", Catalog())) == []


VALLETTA = (
    "Ministers meet\n"
    "The two foreign ministers met in Valletta on Monday.\n"
    "The talks took place at the Auberge de Castille Palace in the old town and lasted three hours.\n"
    "Valletta was busy with tourists."
)


def test_a_question_that_names_the_city_asks_for_the_building_in_it():
    f = _features(VALLETTA, "Where in Valletta did the ministers meet, and on which day?")
    assert f["place_asked"].tolist() == [0, 0, 1, 0]  # the city alone no longer answers
    assert f["date_asked"].tolist() == [0, 1, 0, 0]
    assert f["lexical"][3] == 0  # the city the question already knows is no word to look for
    # Without the city named, the city answers "where".
    assert _features(VALLETTA, "Where did the ministers meet?")["place_asked"][1] == 1


def _chosen(text: str, article_id: str, question: str, scores: dict[str, float]) -> tuple[list[str], list[str]]:
    """The sentences `choose` keeps when the sentences opening with the given words score so (others
    0.01); and the text's sentences."""
    _article, sentences, vectors, context = _eye_context(text, article_id, "Ministers meet")
    q = parse(question, Catalog())
    candidates, _ = featurize(q, vectors[2], [context])
    for c in candidates:
        c.score = next((p for opening, p in scores.items() if c.sentence.text.startswith(opening)), 0.01)
    chosen = [c.sentence.text for c in choose(best_first(candidates), q, add_ratio=0.8, add_floor=0.05)]
    return chosen, [s.text for s in sentences]


def test_the_sentence_with_the_day_joins_the_one_with_the_building() -> None:
    scores = {"The talks took place": 0.6, "The two foreign ministers": 0.3}
    chosen, sentences = _chosen(VALLETTA, "a4", "Where in Valletta did the ministers meet, and on which day?", scores)
    assert chosen == [sentences[1], sentences[2]]


def test_a_long_lead_with_the_day_joins_a_meeting_sentence_without_one() -> None:
    text = (
        "Ministers meet\n"
        "VALLETTA, May 3 - Malta and Tunisia agreed on Tuesday to set up a joint coastguard centre and to share "
        "radar data on the central Mediterranean, but talks between the two countries' foreign ministers ended "
        "without a deal on fishing rights in the disputed waters south of the Maltese islands.\n"
        "Maltese Foreign Minister Ian Borg hosted his Tunisian counterpart for a day of talks at the Auberge de "
        "Castille in the Maltese capital.\n"
        "Valletta was busy with tourists."
    )
    question = "On what day and where did the Maltese and Tunisian ministers meet?"
    chosen, sentences = _chosen(text, "a6", question, {"Maltese Foreign": 0.9, "VALLETTA": 0.15})
    assert chosen == [sentences[1], sentences[2]]  # in the report's order
    assert len(" ".join(chosen).split()) > 70  # longer than a runner-up may make an answer: the day is worth it


def test_a_report_without_the_building_still_answers_where_in_the_city():
    from bot.answer.features import asked_fact_missing

    text = "Ministers meet\nThe two foreign ministers met in Valletta on Monday.\nThey spoke for an hour."
    article, sentences, vectors, context = _eye_context(text, "a5", "Ministers meet")
    for question, missing in (("Where exactly did the ministers meet?", False), ("Where did they meet?", False)):
        q = parse(question, Catalog())
        candidates, matrix = featurize(q, vectors[1], [context])
        assert asked_fact_missing(q, candidates, matrix, 1) is missing
    q = parse("In which city did the ministers meet?", Catalog())
    text = "Ministers meet\nThe two foreign ministers met on Monday.\nThey spoke for an hour."
    article = Article(id="a6", title="Ministers meet", source="t.txt", text=text)
    sentences = split_sentences(text)
    context = ArticleContext(article, None, sentences, vectors[: len(sentences)], {}, focus=0.0, rank=0)
    candidates, matrix = featurize(q, vectors[1], [context])
    assert asked_fact_missing(q, candidates, matrix, 1) is True  # no place at all: nothing answers


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("The ministers agreed to build a customs corridor.\nIt will cost 40 million euros.", False),
        ("The ministers agreed to build a customs corridor.\nIt will have 40 inspection lanes.", True),
        ("The ministers agreed to build a customs corridor.\nA US$12 billion fund will pay for it.", False),
        ("The ministers agreed to build a customs corridor.\nJapan will lend Sh5 billion for it.", False),
        ("The ministers agreed to build a customs corridor.\nIt will cost 10 billion U.S. dollars.", False),
        ("The ministers agreed to build a customs corridor.\nIt will cost some 300 million over 4 years.", False),
        ("The ministers agreed to build a customs corridor.\nIt is a 2-billion-dollar project of 4 lanes.", False),
        ("The ministers agreed to build a customs corridor.\nIt will cost 1.2bn rupiah, in 3 phases.", False),
        ("The ministers agreed to build a customs corridor.\nIt will serve 40 million people in 3 countries.", True),
        ("The ministers agreed to build a customs corridor.\nIt will serve 5 million Syrians in 3 countries.", True),
        ("The ministers agreed to build a customs corridor.\nIt joins the N1 road at 2 points.", True),
    ],
)
def test_a_sum_of_money_asked_for_is_missing_when_only_a_count_is_stated(text: str, missing: bool) -> None:
    from bot.answer.features import asked_fact_missing

    _article, _sentences, vectors, context = _eye_context(text, "a7", "Corridor")
    q = parse("How much will the customs corridor cost?", Catalog())
    candidates, matrix = featurize(q, vectors[0], [context])
    for c, score in zip(candidates, (0.4, 0.6)):
        c.score = score
    assert bool(asked_fact_missing(q, candidates, matrix, 1)) is missing  # the best one states a number


@pytest.mark.parametrize(
    ("next_round", "missing"),
    [
        ("The next round will also take place in Doha.", True),
        ("The next round will open in Doha on 12 April.", False),
        ("Talks will resume in Doha on 12 April.", False),
        ("The second round is scheduled for 12 April in Doha.", False),
        ("A follow-up session is set for 12 April.", False),
        ("The two envoys agreed to reconvene on 12 April.", False),
        ("The next round will take place in Doha. A truce will take effect on 12 April.", True),  # no meeting's date
        ("Li will travel to Washington on 12 April.", False),
        ("Biden will host Xi at the White House on 12 April.", False),
        ("The meeting, their second this year, opened on 3 March.", True),  # this meeting, not the next
        ("Li said on 3 March that the talks would cover trade.", True),
    ],
)
def test_the_date_of_the_next_meeting_is_not_the_date_of_this_one(next_round: str, missing: bool) -> None:
    from bot.answer.features import asked_fact_missing

    text = f"Doha talks\nThe two delegations met in Doha on 3 March.\n{next_round}"
    _article, _sentences, vectors, context = _eye_context(text, "a8", "Doha talks")
    q = parse("On what date will the next round of the talks open?", Catalog())
    assert q.wants_next and q.wants_date
    candidates, matrix = featurize(q, vectors[2], [context])
    assert bool(asked_fact_missing(q, candidates, matrix, len(candidates) - 1)) is missing


def test_a_topics_question_prefers_the_sentence_that_says_what_the_talks_covered():
    from vectorstore.models import Evidence, Meeting, Topic

    sentences = split_sentences(TEXT)
    agenda = sentences[4]  # "Fishing quotas were also on the agenda."
    meeting = Meeting(
        topics=[Topic(label="Fishing quotas", evidence=Evidence(article_id="a1", start=agenda.start, end=agenda.end))]
    )

    def column(question: str, name: str) -> list[float]:
        article = Article(id="a1", title="Ministers meet", source="t.txt", text=TEXT)
        vectors = np.eye(len(sentences), 8, dtype=np.float32)
        context = ArticleContext(article, meeting, sentences, vectors, {}, focus=0.0, rank=0)
        _, matrix = featurize(parse(question, Catalog()), vectors[1], [context])
        return matrix[:, INDEX[name]].tolist()

    assert column("What was on the table at the talks?", "topics_asked") == [0, 0, 0, 0, 1]
    # What they agreed is no topic question: the same sentence is marked as a topic, not as asked for.
    assert sum(column("What did the two sides agree?", "topics_asked")) == 0
    assert column("What did the two sides agree?", "topic_evidence") == [0, 0, 0, 0, 1]
    assert load_weights().weights["topics_asked"] > 0


@pytest.mark.parametrize(
    ("question", "sentence", "missing"),
    [
        ("How many Kenyan troops are deployed in Somalia?", "Kenya would train 500 Somali police officers.", True),
        ("How many barrels of oil a day does the pipeline carry?", "Oil is 90 percent of its revenue.", True),
        ("How many patrol ships is Tokyo giving Manila?", "Japan will provide five more patrol vessels.", False),
        ("How many prisoners are to be freed?", "On the prisoners, about 300 detainees will be released.", False),
        ("How many visas a year will Guatemalans get?", "A programme of 25,000 temporary work visas per year.", False),
        ("How many Kenyan troops are deployed in Somalia?", "Kenya will train 500 Kenyan police officers.", True),
        ("How many Kenyan troops are deployed in Somalia?", "In 2024, Kenya said its troops would stay.", True),
        ("How many hours a day will the crossing open?", "The crossing will open for 90 minutes more.", False),
        # a unit of time counts as itself or the next one up or down
        ("By how many days will the visa wait be cut?", "The call lasted about forty minutes.", True),
        ("By how many days will the visa wait be cut?", "Visas will be issued within two weeks.", False),
        ("By how many days will the visa wait be cut?", "The wait drops to five business days.", False),
        ("How many minutes did the call last?", "The call lasted two hours.", False),
        # number words past ten are numbers
        ("How many days will the fair run?", "The fair opens in May and runs for fourteen days.", False),
        ("How many US troops remain in Iraq?", "The US keeps 2,500 soldiers there.", False),  # not checked
    ],
)
def test_a_number_of_something_else_does_not_answer_how_many(question: str, sentence: str, missing: bool) -> None:
    from bot.answer.features import asked_fact_missing

    text = "Ministers meet\nThe two foreign ministers met in Valletta on Monday.\n" + sentence
    _article, _sentences, vectors, context = _eye_context(text, "a7", "Ministers meet")
    q = parse(question, Catalog())
    candidates, matrix = featurize(q, vectors[2], [context])
    best = next(i for i, c in enumerate(candidates) if c.sentence.text == sentence)
    assert bool(asked_fact_missing(q, candidates, matrix, best)) is missing


@pytest.mark.parametrize(
    ("sentence", "missing"),
    [
        # the day given is the announcement's, not the meeting's to come
        ("Under the package announced on Tuesday, the two ministers will meet every year.", True),
        ("The ministers agreed in March to meet again.", True),
        ("The ministers will meet again in Rabat on 12 May.", False),
        ("The talks, announced on Tuesday, will resume on Friday.", False),
        ("The commission will meet in Rabat, the ministry said in a statement on Tuesday.", True),
        ("Following Tuesday's announcement, the commission will meet in Rabat.", True),
        # days still to come: a future passive, and a date agreed as the meeting's
        ("The accord will be signed on 12 May, when the ministers meet again.", False),
        ("The two sides agreed on 3 June as the date of the next round of talks.", False),
    ],
)
def test_the_date_of_a_meeting_to_come_is_not_the_day_it_was_announced(sentence: str, missing: bool) -> None:
    from bot.answer.features import asked_fact_missing

    text = "Ministers meet\nThe two foreign ministers met in Valletta on Monday.\n" + sentence
    _article, _sentences, vectors, context = _eye_context(text, "a8", "Ministers meet")
    q = parse("When will the first session of the new joint commission take place?", Catalog())
    candidates, matrix = featurize(q, vectors[2], [context])
    best = next(i for i, c in enumerate(candidates) if c.sentence.text == sentence)
    assert bool(asked_fact_missing(q, candidates, matrix, best)) is missing


def test_a_topics_question_keeps_the_country_it_is_about() -> None:
    text = "Ministers meet\nThe ministers discussed Ukraine at length.\nThey also discussed Arctic fishing."
    _article, _sentences, vectors, context = _eye_context(text, "a9", "Ministers meet")
    q = parse("What issues concerning Ukraine came up in the talks?", Catalog())
    lexical = featurize(q, vectors[0], [context])[1][:, INDEX["lexical"]].tolist()
    assert lexical[1] > lexical[2]


def test_the_day_of_this_meeting_does_not_join_an_answer_about_an_earlier_one() -> None:
    text = (
        "Ministers meet\nThe two foreign ministers met in Valletta on Monday.\n"
        "It was their first meeting since they last met in Geneva, years ago."
    )
    scores = {"It was their first": 0.9, "The two foreign ministers": 0.06}
    chosen, sentences = _chosen(text, "a10", "When did the two ministers last meet?", scores)
    assert chosen == [sentences[2]]


def test_asked_what_both_sides_did_a_sentence_nobody_is_reported_saying_is_theirs() -> None:
    from bot.answer.features import ABSTAIN_NAMES, abstention_features

    text = (
        "Fisheries talks in Oslo\n"
        "Chinese Foreign Minister Li Wen met Norwegian Foreign Minister Eva Dahl in Oslo on Friday.\n"
        "A joint committee on fisheries will meet in Bergen within 60 days.\n"
        '"We will not accept new quotas," Li told reporters.\n'
        "Li and Dahl signed a fisheries pact.\n"
    )
    article = Article(id="a9", title="Fisheries talks in Oslo", source="t.txt", text=text)
    sentences = split_sentences(text)
    article.meetings = extract_meetings(article, sentences)
    catalog = build_catalog([article])
    vectors = np.eye(len(sentences), 8, dtype=np.float32)
    context = ArticleContext(article, article.meetings[0], sentences, vectors, {}, focus=0.0, rank=0)
    texts = [s.text for s in sentences]
    committee, quote, pact = 2, 3, 4
    assert texts[committee].startswith("A joint committee") and texts[pact].startswith("Li and Dahl")

    both = parse("What did China and Norway agree to set up?", catalog)
    assert both.actor_side == "both"
    _, matrix = featurize(both, vectors[2], [context])
    said = matrix[:, INDEX["actor_said"]]
    assert said[committee] == 1  # the report's own account of what they did
    assert said[quote] == 0  # one side's statement is not what both agreed

    # Asked what one of them said, a sentence nobody says is not hers, nor is a joint act; the
    # abstention model reads her as silent
    one = parse("What did Dahl say?", catalog)
    candidates, matrix = featurize(one, vectors[2], [context])
    assert matrix[committee, INDEX["actor_said"]] == 0 and matrix[pact, INDEX["actor_said"]] == 0
    flags = dict(zip(ABSTAIN_NAMES, abstention_features(one, candidates, matrix, np.full(len(candidates), 0.5))))
    assert flags["actor_silent"] == 1
