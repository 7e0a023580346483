"""Loaders: every format reads into clean article text; every bad input fails alone with a reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.archives import iter_zip
from ingest.loaders import LoadError, LoadFailure, iter_bytes, iter_path, load_bytes, load_path
from ingest.loaders.base import LoadedDocument
from tests.fixtures.ingest.builders import make_blank_pdf, make_pdf, make_zip, make_zip_bomb

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"

STORY = (
    "Ministers meet in Oslo on ferry links\n\n"
    "Norwegian Foreign Minister Espen Eide met Danish Foreign Minister Lars Lokke Rasmussen in Oslo on Friday.\n\n"
    "Eide urged Denmark to restore the night ferry. Rasmussen said Denmark would study the costs.\n"
)


def test_html_page_keeps_the_article_and_drops_the_chrome():
    (doc,) = load_path(FIXTURES / "harbour_talks.html")
    paragraphs = doc.text.split("\n\n")
    assert paragraphs[0] == "Envoys agree on harbour safety talks in Valletta"
    for kept in (
        "Maltese Foreign Minister Ian Borg met Tunisian Foreign Minister Nabil Ammar in Valletta on Thursday",
        "Borg urged Tunisia to share search-and-rescue data",
        "The two ministers agreed to hold quarterly harbour safety talks",
        "Ammar said the hotline would be staffed around the clock",
    ):
        assert kept in doc.text
    for dropped in (
        "cookies",
        "Related stories",
        "Most read",
        "Cup final",
        "Follow us",
        "All rights reserved",
        "Read more",
        "Morning Briefing newsletter",
        "is a diplomatic correspondent",
        "Photo: Meridian",
        "Business",
    ):
        assert dropped not in doc.text, dropped
    assert doc.title == "Envoys agree on harbour safety talks in Valletta"
    assert doc.outlet == "The Meridian Courier"
    assert doc.published == "2025-03-14"
    assert doc.url == "https://meridian.example/world/envoys-harbour-talks-valletta"


def test_div_soup_page_in_windows_1252_keeps_the_story_only():
    (doc,) = load_path(FIXTURES / "divsoup_page.html")
    assert doc.text.split("\n\n") == [
        "Andean ministers sign water pact in La Paz",
        "LA PAZ, June 10 (Altiplano) - Bolivian Foreign Minister Celinda Sosa met Peruvian Foreign Minister "
        "Elmer Schialer in La Paz on Tuesday and signed a pact on the shared waters of Lake Titicaca.",
        "Sosa urged Peru to halt untreated mining discharge into rivers that feed the lake. Schialer said Peru "
        "would fund two treatment plants near Puno and warned that illegal mining was spreading faster than "
        "inspectors could act.",
        "Both ministers agreed to set up a binational authority for the lake, with monitoring stations on each "
        "shore and a joint fund for cleaning up the bay of Cohana. The authority will report to both governments "
        "every six months.",
        "The pact still needs approval by both congresses. Sosa said Bolivia would send it to lawmakers in July.",
    ]
    assert doc.published == "2025-06-11"


def test_plain_text_headline_dateline_and_outlet(tmp_path):
    path = tmp_path / "oslo.txt"
    path.write_text(STORY.replace("Norwegian", "OSLO, Jan 3, 2025 (Reuters) - Norwegian"), encoding="utf-8")
    (doc,) = load_path(path)
    assert doc.title == "Ministers meet in Oslo on ferry links"
    assert doc.outlet == "Reuters"
    assert doc.published == "2025-01-03"
    assert doc.source == "oslo.txt"
    assert doc.text.startswith("Ministers meet in Oslo on ferry links\n\nOSLO, Jan 3, 2025 (Reuters) - Norwegian")


def test_markdown_loses_its_markup_not_its_words():
    (doc,) = load_path(FIXTURES / "briefing.md")
    assert doc.title == "Ministers meet in Vilnius on grid links"
    assert "met Polish Foreign Minister Radoslaw Sikorski in Vilnius on Monday" in doc.text
    assert "The two ministers agreed to share cable surveillance data." in doc.text
    assert not any(mark in doc.text for mark in ("**", "](", "![", "# ", "> "))
    assert doc.outlet == "Baltic Wire"


def test_json_lines_read_each_record_and_fail_bad_ones_alone():
    items = list(iter_path(FIXTURES / "exports.jsonl"))
    docs = [i for i in items if isinstance(i, LoadedDocument)]
    failures = [i for i in items if isinstance(i, LoadFailure)]
    assert [d.title for d in docs] == [
        "Foreign ministers meet on Danube shipping in Bratislava",
        "Ministers agree to reopen border crossing at Komarno",
    ]
    first, second = docs
    assert (first.outlet, first.published, first.url) == (
        "Danube Wire",
        "2025-04-02",
        "https://danube.example/news/shipping-talks",
    )
    assert second.published == "2025-04-03" and second.url == "https://danube.example/news/komarno"
    assert "Blanar urged Hungary to speed up dredging" in first.text
    assert {f.source: f.reason for f in failures} == {
        "exports.jsonl:2": 'no "text" field',
        "exports.jsonl:3": "not valid JSON",
    }


def test_json_file_with_a_list_of_articles(tmp_path):
    path = tmp_path / "export.json"
    path.write_text(
        json.dumps({"articles": [{"title": "Oslo ferry talks", "text": STORY}, {"text": "<p>" + STORY + "</p>"}]}),
        encoding="utf-8",
    )
    docs = list(load_path(path))
    assert len(docs) == 2
    assert docs[0].title == "Oslo ferry talks"
    assert "Eide urged Denmark to restore the night ferry." in docs[1].text


def test_pdf_text_layer_is_reflowed_into_paragraphs():
    data = make_pdf(
        [
            "Ministers meet in Oslo on ferry links",
            "",
            "Norwegian Foreign Minister Espen Eide met Danish Foreign Minister Lars Lokke",
            "Rasmussen in Oslo on Friday to discuss the night ferry between the two capitals.",
            "",
            "Eide urged Denmark to restore the night ferry before the summer season.",
            "2",
        ]
    )
    (doc,) = load_bytes(data, "oslo.pdf")
    assert doc.title == "Ministers meet in Oslo on ferry links"
    assert "Lars Lokke Rasmussen in Oslo on Friday" in doc.text
    assert "Eide urged Denmark to restore the night ferry before the summer season." in doc.text
    assert not doc.text.rstrip().endswith("2")


def test_zip_archive_of_articles_with_one_bad_member(tmp_path):
    archive = tmp_path / "bundle.zip"
    archive.write_bytes(
        make_zip(
            {
                "a/oslo.txt": STORY.encode(),
                "a/harbour.html": (FIXTURES / "harbour_talks.html").read_bytes(),
                "a/broken.json": b"{not json",
                "notes.exe": b"MZ\x00\x00",  # not an article format: skipped, as in a folder
                "__MACOSX/a/._oslo.txt": b"\x00\x05",
            }
        )
    )
    items = list(iter_path(archive))
    docs = [i for i in items if isinstance(i, LoadedDocument)]
    failures = [i for i in items if isinstance(i, LoadFailure)]
    assert sorted(d.title for d in docs) == [
        "Envoys agree on harbour safety talks in Valletta",
        "Ministers meet in Oslo on ferry links",
    ]
    assert [f.source for f in failures] == ["bundle.zip/a/broken.json"]
    assert "not valid JSON" in failures[0].reason


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    return make_zip_bomb(inflated_mb=40)


def test_zip_bomb_member_fails_alone(zip_bomb):
    data = make_zip({"oslo.txt": STORY.encode()})
    # The bomb sits beside a good article in one archive: the article still loads.
    import io
    import zipfile

    combined = io.BytesIO()
    with zipfile.ZipFile(combined, "w") as out:
        with zipfile.ZipFile(io.BytesIO(zip_bomb)) as bomb:
            info = bomb.infolist()[0]
            out.writestr(info, bomb.open(info).read(), compress_type=zipfile.ZIP_DEFLATED)
        with zipfile.ZipFile(io.BytesIO(data)) as good:
            out.writestr("oslo.txt", good.read("oslo.txt"))
    items = list(iter_bytes(combined.getvalue(), "mixed.zip"))
    assert [i.title for i in items if isinstance(i, LoadedDocument)] == ["Ministers meet in Oslo on ferry links"]
    (failure,) = [i for i in items if isinstance(i, LoadFailure)]
    assert failure.source == "mixed.zip/bomb.txt" and "limit" in failure.reason


def test_archive_caps_on_total_size_and_member_count():
    data = make_zip({f"n{i}.txt": STORY.encode() for i in range(5)})
    with pytest.raises(LoadError, match="over the 3-file limit"):
        list(iter_zip(data, "many.zip", max_members=3))
    with pytest.raises(LoadError, match=r"over the limit|past the total"):
        list(iter_zip(data, "big.zip", max_total=len(STORY) * 3))


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "no article text"),
        ("short.txt", b"Just a headline", "no article text"),
        ("binary.txt", bytes(range(256)) * 20, "binary"),
        ("utf16-without-bom.txt", STORY.encode("utf-16-le"), "binary"),
        ("scan.pdf", make_blank_pdf(), "no text layer"),
        ("garbage.pdf", b"%PDF-1.4 garbage", "not a readable PDF"),
        ("empty.html", b"<html><body><nav>Home</nav></body></html>", "no article text"),
        ("broken.zip", b"PK\x03\x04 not really", "not a readable zip"),
        ("data.json", b"[1, 2", "not valid JSON"),
        ("notes.docx", b"PK", "unsupported file type .docx"),
    ],
)
def test_bad_inputs_fail_with_a_clear_reason(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(LoadError, match=reason) as caught:
        list(load_path(path))
    assert "\n" not in str(caught.value)


def test_windows_1252_text_is_read():
    text = STORY.replace("Oslo on Friday", "Oslo on Friday \u2013 a \u201cfrank\u201d meeting")
    (doc,) = load_bytes(text.encode("cp1252"), "old.txt")
    assert "\u201cfrank\u201d" in doc.text


def test_a_200_mb_file_fails_before_it_is_read(tmp_path):
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:  # sparse: no 200 MB is written to disk
        handle.truncate(200 * 1024 * 1024)
    with pytest.raises(LoadError, match=r"200 MB is over the 25\.0 MB limit|over the"):
        list(load_path(huge))


def test_missing_and_unreadable_files(tmp_path):
    with pytest.raises(LoadError, match="no such file"):
        list(load_path(tmp_path / "gone.txt"))
    not_a_file = tmp_path / "folder.txt"
    not_a_file.mkdir()
    with pytest.raises(LoadError, match="cannot read file"):
        list(load_path(not_a_file))


# -- arbitrary input never crashes a loader ----------------------------------------------------

FORMATS = [".txt", ".md", ".html", ".json", ".jsonl", ".pdf", ".zip"]


def _load_or_fail(data: bytes, suffix: str) -> None:
    try:
        for item in iter_bytes(data, "input" + suffix):
            assert isinstance(item, (LoadedDocument, LoadFailure))
            if isinstance(item, LoadedDocument):
                assert len(item.text.split()) >= 5
    except LoadError as exc:
        assert str(exc) and "\n" not in str(exc)  # noqa: PT017 - any input may fail, but with one line


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(FORMATS))
def test_arbitrary_bytes_only_fail_that_input(data, suffix):
    _load_or_fail(data, suffix)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=2000), suffix=st.sampled_from(FORMATS))
def test_arbitrary_strings_only_fail_that_input(text, suffix):
    _load_or_fail(text.encode("utf-8", "surrogatepass"), suffix)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    head=st.sampled_from(["<html><body><p>", '{"text": "', "%PDF-1.4\n", "PK\x03\x04", "<rss><channel><item>"]),
    body=st.text(max_size=1500),
    suffix=st.sampled_from(FORMATS),
)
def test_plausible_but_broken_inputs_only_fail_that_input(head, body, suffix):
    _load_or_fail((head + body).encode("utf-8", "surrogatepass"), suffix)
