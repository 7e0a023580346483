"""Schemathesis over the OpenAPI schema, with the admin token and without: no request, however odd,
gets a server error, and none without the token changes the library.

Requests are generated from `/openapi.json` (valid ones and, for the mode that breaks the schema on
purpose, invalid ones), sent in-process, a few per operation so the test stays short; Hypothesis
runs derandomised, so a failure reproduces.
"""

from __future__ import annotations

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation import GenerationMode

from bot.surfaces.server import create_app
from tests.web.support import MUNICH, munich_meeting, store_article

TOKEN = "fuzz-admin-token"
HOST = "testserver"  # the host name schemathesis sends; the server is told to answer to it
EXAMPLES = 10  # per operation and generation mode
WRITES = {("POST", "/api/articles"), ("DELETE", "/api/articles/{article_id}")}


@pytest.fixture
def app(components):
    store_article(components, MUNICH, munich_meeting)
    components.settings.admin_token = TOKEN
    components.settings.allowed_hosts = [HOST]
    components.settings.client_quota = 10**6
    components.settings.daily_quota = 10**6
    components.settings.session_quota = 10**6
    return create_app(components, with_ui=False)


def fuzz(app, headers: dict[str, str]) -> list[tuple[str, str, int]]:
    """Every operation, positive and negative cases; (method, path, status) of each call.
    Raises at the first server error, with the request that caused it."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    calls: list[tuple[str, str, int]] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def call(case) -> None:
                response = case.call(headers=headers)
                calls.append((case.method.upper(), case.operation.path, response.status_code))
                assert response.status_code < 500, (case.method, case.formatted_path, case.body, response.text[:300])

            try:
                call()
            except Unsatisfiable:  # an operation with nothing to break (no parameters, no body)
                assert mode is GenerationMode.NEGATIVE
    return calls


def test_no_server_error_and_no_write_without_the_token(app, components):
    before = sorted(a.id for a in components.store.list_articles())
    calls = fuzz(app, headers={})
    writes = [(m, p, s) for m, p, s in calls if (m, p) in WRITES]
    assert writes, "the writes were fuzzed too"
    assert all(not 200 <= status < 300 for _, _, status in writes), writes
    assert {status for _, _, status in writes} <= {400, 401, 403, 404, 413, 415, 422}
    assert sorted(a.id for a in components.store.list_articles()) == before
    assert {p for _, p, _ in calls} >= {"/api/ask", "/api/ask/stream", "/api/articles", "/api/meetings"}


def test_no_server_error_with_the_token(app, components):
    headers = {"Authorization": f"Bearer {TOKEN}"}
    calls = fuzz(app, headers=headers)
    writes = {s for m, p, s in calls if (m, p) in WRITES}
    assert writes and 401 not in writes, writes  # the token was taken; what failed, failed on its content
    # After all that, the library still takes a real article and gives it back whole.
    api = TestClient(app, base_url=f"http://{HOST}", raise_server_exceptions=False)
    added = api.post("/api/articles", json={"text": MUNICH.read_text("utf-8") + "\n\nThey met again."}, headers=headers)
    assert added.status_code == 201, added.text
    article_id = added.json()["results"][0]["article_id"]
    assert api.get(f"/api/articles/{article_id}").json()["text"].endswith("They met again.")


def test_a_wrong_token_writes_nothing(app, components):
    api = TestClient(app, base_url=f"http://{HOST}", raise_server_exceptions=False)
    article_id = components.store.list_articles()[0].id
    for token in ("", "fuzz-admin-toke", TOKEN + "x", TOKEN.upper(), f"{TOKEN}\x00"):
        headers = {"Authorization": f"Bearer {token}"}
        assert api.delete(f"/api/articles/{article_id}", headers=headers).status_code == 401
        assert (
            api.post("/api/articles", json={"text": "Ministers met in Oslo. " * 10}, headers=headers).status_code == 401
        )
    assert [a.id for a in components.store.list_articles()] == [article_id]
