"""Sentences and passages: offsets must point at exactly the characters a citation shows."""

from ingest.segment import make_passages, split_sentences

TEXT = (
    "Talks in Geneva end with a pledge\n\n"
    "U.S. Secretary of State Anne Carter met Gen. Li Wei on Tuesday. They spoke for two hours.\n\n"
    "\u201cWe will not accept coercion,\u201d Carter said. Li urged Washington to lift sanctions on Jan. 5 goods!\n\n"
    "Is a deal near? Officials in Washington, D.C. declined to say."
)


def test_sentences_have_exact_offsets():
    sentences = split_sentences(TEXT)
    for s in sentences:
        assert TEXT[s.start : s.end] == s.text
        assert s.text == s.text.strip()


def test_sentence_boundaries_respect_news_abbreviations_and_quotes():
    texts = [s.text for s in split_sentences(TEXT)]
    assert texts == [
        "Talks in Geneva end with a pledge",
        "U.S. Secretary of State Anne Carter met Gen. Li Wei on Tuesday.",
        "They spoke for two hours.",
        "\u201cWe will not accept coercion,\u201d Carter said.",
        "Li urged Washington to lift sanctions on Jan. 5 goods!",
        "Is a deal near?",
        "Officials in Washington, D.C. declined to say.",
    ]


def test_passages_overlap_cover_every_sentence_and_keep_offsets():
    sentences = split_sentences(TEXT)
    passages = make_passages("a1", TEXT, sentences, window=3, stride=2)
    assert [p.id for p in passages] == [f"a1:{i}" for i in range(len(passages))]
    for p in passages:
        assert TEXT[p.start : p.end] == p.text
    covered = {s.start for s in sentences if any(p.start <= s.start and s.end <= p.end for p in passages)}
    assert covered == {s.start for s in sentences}
    # Consecutive windows share a sentence, so a fact on a boundary is whole somewhere.
    assert all(passages[i + 1].start < passages[i].end for i in range(len(passages) - 1))


def test_passages_respect_the_word_cap():
    long_sentence = "Word " + " ".join(["word"] * 99) + "."
    text = " ".join([long_sentence] * 3)
    passages = make_passages("a2", text, split_sentences(text), window=3, max_words=140)
    assert len(passages) == 3
    assert all(len(p.text.split()) <= 140 for p in passages)


def test_empty_text_has_no_passages():
    assert split_sentences("") == []
    assert make_passages("a3", "", []) == []


def test_no_ends_a_sentence_unless_a_number_follows():
    text = "Asked about a deal, he said no. The two sides left. Talks on No. 10 went on. See Vol. II of the report."
    assert [s.text for s in split_sentences(text)] == [
        "Asked about a deal, he said no.",
        "The two sides left.",
        "Talks on No. 10 went on.",
        "See Vol. II of the report.",
    ]


def test_an_initialism_ends_a_sentence_when_a_new_one_starts():
    texts = [s.text for s in split_sentences("The plan was backed by the U.S. The two sides agreed. U.S. envoys left.")]
    assert texts == ["The plan was backed by the U.S.", "The two sides agreed.", "U.S. envoys left."]


def test_list_items_belong_to_the_lead_in_that_announces_them():
    from ingest.segment import list_items

    text = (
        "The two sides agreed on the following:\n1. To expand the port. The loan is new.\n"
        "2. To meet every year.\n\nRuto said Kenya would not borrow more.\n"
        "He listed his aims: growth and jobs.\nThe talks ended."
    )
    sentences = split_sentences(text)
    items = list_items(text, sentences)
    lead = sentences[0].start
    assert [s.text for s in sentences if items.get(s.start) == lead] == [
        "To expand the port.",
        "The loan is new.",
        "To meet every year.",
    ]
    # A lead-in whose next line opens no item announces no list.
    assert len(items) == 3
