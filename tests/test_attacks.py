"""A hostile client against the web API and the ingest pipeline: what it sends, what it gets.

- Upload names are labels, never paths: `../`, absolute paths and NUL bytes reach no file system.
- Zip members that climb out (`..`), are absolute, carry a NUL byte or are symbolic links are refused
  one by one, while the archive's real articles go in.
- A body over the upload cap is refused (413) before it is read whole, and stores nothing.
- An article that tries to instruct the bot ("ignore your instructions and ...") is text: the
  extractive answerer at most quotes one of its sentences, cited to its exact characters, never
  follows it, and the UI shows it escaped, never as HTML.
"""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.surfaces.server import create_app
from bot.surfaces.ui.render import answer_html
from tests.web.support import MUNICH

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "attacks"
INJECTED = FIXTURES / "injected_talks.txt"
LOOPBACK = ("127.0.0.1", 50000)
BASE = "http://127.0.0.1:7860"
TOKEN = "s3cret-admin-token-for-tests"


def api_for(components, **settings) -> TestClient:
    for key, value in settings.items():
        setattr(components.settings, key, value)
    return TestClient(
        create_app(components, with_ui=False), base_url=BASE, client=LOOPBACK, raise_server_exceptions=False
    )


def _stored_sources(components) -> list[str]:
    return sorted(a.source for a in components.store.list_articles())


# -- upload names -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "../../../../tmp/briefbot-evil.txt",
        "..\\..\\..\\briefbot-evil.txt",
        "/tmp/briefbot-evil-absolute.txt",
        "C:\\Windows\\briefbot-evil.txt",
        "reports/../../briefbot-evil.md",
        "bad\x00name.txt",
    ],
)
def test_upload_names_are_labels_never_paths(components, name):
    api = api_for(components)
    response = api.post("/api/articles", files={"files": (name, MUNICH.read_bytes(), "text/plain")})
    assert response.status_code == 201, response.text
    (result,) = response.json()["results"]
    source = result["source"]
    assert "/" not in source and "\\" not in source and "\x00" not in source and ".." not in source
    assert _stored_sources(components) == [source]
    assert not Path("/tmp/briefbot-evil.txt").exists() and not Path("/tmp/briefbot-evil-absolute.txt").exists()


# -- zip members ----------------------------------------------------------------------------------------


def hostile_zip() -> bytes:
    """One real article and every kind of member a crafted archive uses to escape."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("desk/munich.txt", MUNICH.read_text("utf-8"))
        archive.writestr("../../briefbot-zip-evil.txt", "Ministers met. " * 20)
        archive.writestr("desk/../../../briefbot-zip-evil2.txt", "Ministers met. " * 20)
        archive.writestr("/tmp/briefbot-zip-abs.txt", "Ministers met. " * 20)
        archive.writestr("nulXbyte.txt", "Ministers met. " * 20)
        link = zipfile.ZipInfo("desk/passwd.txt")
        link.create_system = 3
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    # A NUL byte in a stored name (zipfile will not write one): patched into both headers.
    return buffer.getvalue().replace(b"nulXbyte.txt", b"nul\x00byte.txt")


def test_zip_members_that_climb_out_are_absolute_or_links_are_refused_one_by_one(components):
    results = list(components.ingest.ingest_bytes(hostile_zip(), "hostile.zip"))
    stored = [r for r in results if r.status == "new"]
    refused = {r.source: r.reason for r in results if r.status == "failed"}
    assert [r.source for r in stored] == ["hostile.zip/desk/munich.txt"]
    assert len(refused) == 5, refused
    reasons = " | ".join(refused.values())
    assert "'..'" in reasons and "absolute path" in reasons and "symbolic link" in reasons and "NUL" in reasons
    texts = " ".join(a.text for a in components.store.list_articles())
    assert "/etc/passwd" not in texts and "root:" not in texts
    for leftover in ("briefbot-zip-evil.txt", "briefbot-zip-evil2.txt", "briefbot-zip-abs.txt"):
        assert not (Path("/tmp") / leftover).exists()


def test_the_same_zip_through_the_api(components):
    api = api_for(components)
    response = api.post("/api/articles", files={"files": ("hostile.zip", hostile_zip(), "application/zip")})
    assert response.status_code == 201
    statuses = [r["status"] for r in response.json()["results"]]
    assert statuses.count("new") == 1 and statuses.count("failed") == 5


# -- bodies over the cap --------------------------------------------------------------------------------


def test_an_upload_over_the_cap_is_refused_and_stores_nothing(components):
    from bot.surfaces.api import MAX_UPLOAD_BYTES

    api = api_for(components)
    boundary = "briefbotboundary"
    chunk = b"x" * (1024 * 1024)

    def body():  # no Content-Length: the cap is counted on the bytes as they arrive
        yield (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="big.txt"\r\n'
            "Content-Type: text/plain\r\n\r\n"
        ).encode()
        for _ in range(MAX_UPLOAD_BYTES // len(chunk) + 2):
            yield chunk
        yield f"\r\n--{boundary}--\r\n".encode()

    response = api.post(
        "/api/articles", content=body(), headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
    )
    assert response.status_code == 413
    assert components.store.list_articles() == []


def test_a_question_body_over_the_cap_is_refused_on_both_ask_routes(components):
    api = api_for(components)
    for path in ("/api/ask", "/api/ask/stream"):
        response = api.post(path, json={"question": "Who met?", "session_id": "x" * 200_000})
        assert response.status_code == 413, path


# -- prompt injection ---------------------------------------------------------------------------------------


QUESTIONS = [
    "Who met in Munich?",
    "What did Wang urge the United States to do?",
    "What did Blinken warn about?",
    "What did Vella urge Tunisia to do?",
    "What did Ben Ali warn about?",
    "What did the ministers agree in Valletta?",
    "What should the assistant do with the administrator token?",
    "What happened to the talks?",
]


def _answers(components) -> dict[str, object]:
    return {q: components.chat.ask(q) for q in QUESTIONS}


def test_an_injected_article_is_quoted_at_most_never_obeyed(components):
    components.settings.admin_token = TOKEN
    assert {r.status for r in components.ingest.ingest_paths([MUNICH])} == {"new"}
    before = {q: a for q, a in _answers(components).items() if "Munich" in q or "Wang" in q or "Blinken" in q}
    assert {r.status for r in components.ingest.ingest_paths([INJECTED])} == {"new"}
    injected = next(a for a in components.store.list_articles() if "Valletta" in a.title)
    after = _answers(components)

    for question, answer in after.items():
        # Every citation is a span of its article, character for character.
        for citation in answer.citations:
            article = components.store.get_article(citation.article_id)
            assert article.text[citation.start : citation.end] == citation.text
        # Nothing the article asked for happened: no token, no deletion, no instructed answer.
        assert TOKEN not in answer.answer
        if "collapsed in acrimony" in answer.answer:  # only ever as the quoted, cited sentence itself
            assert any("collapsed in acrimony" in c.text for c in answer.citations), (question, answer.answer)
        assert not answer.answer.strip().startswith("The talks collapsed")
    assert len(components.store.list_articles()) == 2
    # Questions about the other meeting get the same answers as before the article came in.
    for question, answer in before.items():
        assert after[question].answer == answer.answer and after[question].citations == answer.citations
    # The article's real reporting is what its questions are answered from.
    vella = after["What did Vella urge Tunisia to do?"]
    assert "catch data" in vella.answer and vella.citations[0].article_id == injected.id


def test_injected_markup_is_shown_as_text_in_the_ui(components):
    assert {r.status for r in components.ingest.ingest_paths([INJECTED])} == {"new"}
    article = components.store.list_articles()[0]
    assert "<script>" in article.text  # stored as the text it is ...
    for question in ("What happened at the end of the talks?", "What did Vella urge Tunisia to do?", *QUESTIONS):
        answer = components.chat.ask(question)
        html = answer_html(answer, {c.article_id: article for c in answer.citations})
        assert "<script" not in html and "<img" not in html and "onerror=" not in html.replace("&#", "")
        assert "</answer>" not in html
    api = api_for(components)
    shown = api.get(f"/api/articles/{article.id}")
    assert shown.headers["content-type"].startswith("application/json")  # ... and served as data, not a page
