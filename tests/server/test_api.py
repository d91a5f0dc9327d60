"""The /v1 API in-process, through httpx's ASGI transport with the app's lifespan."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from openapi_spec_validator import validate

from tests.support.server_helpers import running_app
from tonecheck.server.openapi import openapi_document

pytestmark = pytest.mark.anyio

DRAFT = "Hi Dana 👋, I think the refund should arrive Friday. You may cancel any time."


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def schema_for(name: str) -> dict[str, Any]:
    document = openapi_document()
    return {"$ref": f"#/components/schemas/{name}", "components": document["components"]}


def rows(db: Path, query: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as connection:
        return connection.execute(query).fetchall()


async def test_health_needs_no_token(tmp_path: Path, trained_artifacts: Path) -> None:
    async with running_app(tmp_path, trained_artifacts) as run:
        response = await run.client.get("/v1/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["storage"] == "ok"
    assert body["model_version"] == (trained_artifacts / "CURRENT").read_text().strip()
    jsonschema.validate(body, schema_for("Health"))


async def test_check_scores_and_utf16_offsets(tmp_path: Path, trained_artifacts: Path) -> None:
    async with running_app(tmp_path, trained_artifacts) as run:
        response = await run.client.post(
            "/v1/check",
            json={
                "text": DRAFT,
                "draft_id": "d-1",
                "site": "https://acme.zendesk.com/agent/tickets/9?q=x",
            },
            headers=run.agent,
        )
    assert response.status_code == 200, response.text
    body = response.json()
    jsonschema.validate(body, schema_for("CheckResponse"))
    assert set(body["scores"]) == {"knowledge", "intent", "empathy", "standing"}
    assert all(0 <= v <= 100 for v in body["scores"].values())
    utf16 = DRAFT.encode("utf-16-le")
    hedges = {h["text"]: h for h in body["hedges"]}
    assert "I think" in hedges and "may" not in " ".join(hedges)
    for hedge in body["hedges"]:
        # The offsets index the UTF-16 form of the text, as JavaScript does.
        assert utf16[2 * hedge["start"] : 2 * hedge["end"]].decode("utf-16-le") == hedge["text"]
    assert hedges["I think"]["start"] == DRAFT.index("I think") + 1
    stored = rows(
        run.db, "select agent, team, draft_id, site, hedge_count, text_length, text from checks"
    )
    assert stored == [
        ("ana", "billing", "d-1", "acme.zendesk.com", len(body["hedges"]), len(DRAFT), None)
    ]
    phrases = rows(run.db, "select phrase, category from check_hedges order by id")
    assert ("I think", "epistemic") in phrases


async def test_store_text_redacts_first(tmp_path: Path, trained_artifacts: Path) -> None:
    text = (
        "Email me at dana.k@example.com or call +44 20 7946 0958; card 4111 1111 1111 1111 is fine."
    )
    async with running_app(tmp_path, trained_artifacts, store_text=True) as run:
        response = await run.client.post("/v1/check", json={"text": text}, headers=run.agent)
    assert response.status_code == 200
    [(stored,)] = rows(run.db, "select text from checks")
    assert "example.com" not in stored and "7946" not in stored and "1111" not in stored
    assert stored.count("[email]") == 1 and "[phone]" in stored and "[card]" in stored


async def test_empty_text_gives_null_scores_with_reason(
    tmp_path: Path, trained_artifacts: Path
) -> None:
    async with running_app(tmp_path, trained_artifacts) as run:
        response = await run.client.post("/v1/check", json={"text": "   \n "}, headers=run.agent)
    body = response.json()
    assert response.status_code == 200
    assert body["scores"] == dict.fromkeys(("knowledge", "intent", "empathy", "standing"))
    assert body["overall"] is None and "empty" in body["reason"]


@pytest.mark.parametrize(
    ("headers", "status", "fragment"),
    [
        ({}, 401, "missing Authorization header"),
        ({"Authorization": "Bearer tc_nope"}, 401, "not valid or has been revoked"),
        ({"Authorization": "Basic abc"}, 401, "missing Authorization header"),
    ],
)
async def test_tokens_are_required(
    tmp_path: Path, trained_artifacts: Path, headers: dict[str, str], status: int, fragment: str
) -> None:
    async with running_app(tmp_path, trained_artifacts) as run:
        response = await run.client.post("/v1/check", json={"text": "hi"}, headers=headers)
    assert response.status_code == status
    assert response.json()["error"]["code"] == "unauthorized"
    assert fragment in response.json()["error"]["message"]


async def test_agent_gets_403_on_lead_endpoints(tmp_path: Path, trained_artifacts: Path) -> None:
    async with running_app(tmp_path, trained_artifacts) as run:
        denied = await run.client.get("/v1/feedback", headers=run.agent)
        allowed = await run.client.get("/v1/feedback", headers=run.lead)
    assert denied.status_code == 403
    assert "has role 'agent'; this needs lead" in denied.json()["error"]["message"]
    assert allowed.status_code == 200


async def test_revoked_token_is_refused(tmp_path: Path, trained_artifacts: Path) -> None:
    from tonecheck.server.storage import Storage

    async with running_app(tmp_path, trained_artifacts) as run:
        Storage.open(str(run.db)).revoke_token("ana")
        response = await run.client.post("/v1/check", json={"text": "hi"}, headers=run.agent)
    assert response.status_code == 401


BAD_BODIES: list[tuple[dict[str, str], bytes, int, str, str]] = [
    ({"content-type": "application/json"}, b"{not json", 400, "invalid_json", "not valid JSON"),
    (
        {"content-type": "text/plain"},
        b'{"text": "hi"}',
        415,
        "unsupported_media_type",
        "application/json",
    ),
    ({"content-type": "application/json"}, b'{"text": "caf\xe9"}', 400, "invalid_utf8", "byte 13"),
    (
        {"content-type": "application/json"},
        b"{}",
        422,
        "invalid_field",
        "text: missing required field",
    ),
    (
        {"content-type": "application/json"},
        b'{"text": "a", "mood": 1}',
        422,
        "invalid_field",
        "unknown field(s): mood",
    ),
    (
        {"content-type": "application/json"},
        b'{"text": 5}',
        422,
        "invalid_field",
        "text: must be a string, got int",
    ),
    (
        {"content-type": "application/json"},
        b'{"text": "a", "draft_id": true}',
        422,
        "invalid_field",
        "draft_id: must be a string",
    ),
    (
        {"content-type": "application/json"},
        b'["text"]',
        422,
        "invalid_field",
        "must be a JSON object, got list",
    ),
    (
        {"content-type": "application/json"},
        b'{"text": "a\\u0000b"}',
        422,
        "invalid_field",
        "NUL character at index 1",
    ),
    (
        {"content-type": "application/json"},
        b'{"text": "a\\ud800b"}',
        422,
        "invalid_field",
        "lone surrogate at index 1",
    ),
    (
        {"content-type": "application/json"},
        json.dumps({"text": "x" * 20_001}).encode(),
        422,
        "invalid_field",
        "20,001 characters, over the 20,000-character limit",
    ),
    (
        {"content-type": "application/json"},
        json.dumps({"text": "x" * 300_000}).encode(),
        413,
        "payload_too_large",
        "256,384-byte limit",
    ),
    (
        {"content-type": "application/json"},
        b'{"text": "a", "draft_id": ' + b"9" * 5000 + b"}",
        400,
        "invalid_json",
        "digits",
    ),
    (
        {"content-type": "application/json"},
        b'{"text": "a", "draft_id": null}',
        422,
        "invalid_field",
        "draft_id: must be a string, got null",
    ),
    (
        {"content-type": "application/json"},
        b'{"text": "a", "site": "http://["}',
        422,
        "invalid_field",
        "site: 'http://[' is not a URL or host",
    ),
]


async def test_the_longest_draft_fits_even_in_escaped_emoji(
    tmp_path: Path, trained_artifacts: Path
) -> None:
    body = json.dumps({"text": "🎉" * 20_000}).encode()  # ensure_ascii: 12 bytes a character
    async with running_app(tmp_path, trained_artifacts) as run:
        response = await run.client.post(
            "/v1/check", content=body, headers={**run.agent, "content-type": "application/json"}
        )
    assert response.status_code == 200, response.text[:200]


async def test_inputs_that_once_gave_5xx_get_named_4xx(
    tmp_path: Path, trained_artifacts: Path
) -> None:
    async with running_app(tmp_path, trained_artifacts) as run:
        limit = await run.client.get("/v1/feedback?limit=²", headers=run.lead)
        huge_end = await run.client.post(
            "/v1/feedback",
            content=b'{"text": "maybe", "start": 0, "end": '
            + b"9" * 5000
            + b', "verdict": "useful"}',
            headers={**run.agent, "content-type": "application/json"},
        )
        big_end = await run.client.post(
            "/v1/feedback",
            json={"text": "maybe", "start": 0, "end": 10**12, "verdict": "useful"},
            headers=run.agent,
        )
        login = await run.client.get("/reports/login?next=//[")
        far = await run.client.get("/v1/reports/summary?to=9999-12-31", headers=run.lead)
        health = await run.client.get("/v1/health")
        wrong = await run.client.put("/v1/feedback", headers=run.agent)
    assert limit.status_code == 422 and "limit" in limit.json()["error"]["message"]
    assert huge_end.status_code == 400 and huge_end.json()["error"]["code"] == "invalid_json"
    assert big_end.status_code == 422 and "end:" in big_end.json()["error"]["message"]
    assert login.status_code == 200 and 'value="/reports"' in login.text
    assert far.status_code == 200, far.text
    assert health.json()["storage"] == "ok"
    assert wrong.status_code == 405 and set(wrong.headers["allow"].replace(" ", "").split(",")) == {
        "GET",
        "POST",
        "HEAD",
    }


@pytest.mark.parametrize(("headers", "body", "status", "code", "fragment"), BAD_BODIES)
async def test_bad_bodies_get_named_errors(
    tmp_path: Path,
    trained_artifacts: Path,
    headers: dict[str, str],
    body: bytes,
    status: int,
    code: str,
    fragment: str,
) -> None:
    async with running_app(tmp_path, trained_artifacts) as run:
        response = await run.client.post(
            "/v1/check", content=body, headers={**run.agent, **headers}
        )
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert fragment in error["message"]


async def test_unknown_path_and_method_are_json_errors(
    tmp_path: Path, trained_artifacts: Path
) -> None:
    async with running_app(tmp_path, trained_artifacts) as run:
        missing = await run.client.get("/v1/nothing")
        wrong = await run.client.get("/v1/check", headers=run.agent)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert wrong.status_code == 405 and "GET is not allowed" in wrong.json()["error"]["message"]


async def test_rate_limit_engages_with_retry_after(tmp_path: Path, trained_artifacts: Path) -> None:
    async with running_app(tmp_path, trained_artifacts, rate_limit=3) as run:
        statuses = []
        for _ in range(6):
            response = await run.client.post("/v1/check", json={"text": "hello"}, headers=run.agent)
            statuses.append(response.status_code)
        assert statuses[:3] == [200, 200, 200]
        assert 429 in statuses[3:]
        limited = next(r for r in [response] if r.status_code == 429)
        assert int(limited.headers["retry-after"]) >= 1
        assert "more than 3 requests per second" in limited.json()["error"]["message"]
        other = await run.client.post("/v1/check", json={"text": "hello"}, headers=run.lead)
        assert other.status_code == 200


async def test_rate_limit_zero_is_off(tmp_path: Path, trained_artifacts: Path) -> None:
    async with running_app(tmp_path, trained_artifacts, rate_limit=0) as run:
        for _ in range(30):
            response = await run.client.post("/v1/check", json={"text": "hello"}, headers=run.agent)
            assert response.status_code == 200


async def test_lexicon_etag_and_304(tmp_path: Path, trained_artifacts: Path) -> None:
    async with running_app(tmp_path, trained_artifacts) as run:
        first = await run.client.get("/v1/lexicon", headers=run.agent)
        again = await run.client.get(
            "/v1/lexicon", headers={**run.agent, "If-None-Match": first.headers["etag"]}
        )
        stale = await run.client.get("/v1/lexicon", headers={**run.agent, "If-None-Match": '"old"'})
    assert first.status_code == 200 and again.status_code == 304 and stale.status_code == 200
    body = first.json()
    jsonschema.validate(body, schema_for("Lexicon"))
    assert {e["category"] for e in body["entries"]} == {
        "hope",
        "soft_outcome",
        "epistemic",
        "attempt",
        "possibility",
        "deference",
    }
    assert any(not e["instant"] for e in body["entries"])


async def test_feedback_round_trip_in_code_points(tmp_path: Path, trained_artifacts: Path) -> None:
    text = "🎉 Maybe restart it. Write to ann@example.com"
    start = len("🎉 ".encode("utf-16-le")) // 2
    async with running_app(tmp_path, trained_artifacts) as run:
        saved = await run.client.post(
            "/v1/feedback",
            json={
                "text": text,
                "start": start,
                "end": start + 5,
                "verdict": "not_a_hedge",
                "draft_id": "d",
            },
            headers=run.agent,
        )
        bad = await run.client.post(
            "/v1/feedback",
            json={"text": text, "start": 1, "end": 5, "verdict": "not_a_hedge"},
            headers=run.agent,
        )
        verdict = await run.client.post(
            "/v1/feedback",
            json={"text": text, "start": 3, "end": 8, "verdict": "meh"},
            headers=run.agent,
        )
        listed = await run.client.get("/v1/feedback", headers=run.lead)
    assert saved.status_code == 201 and isinstance(saved.json()["id"], int)
    assert bad.status_code == 422 and "inside a surrogate pair" in bad.json()["error"]["message"]
    assert (
        verdict.status_code == 422
        and "verdict: 'meh' is not one of" in verdict.json()["error"]["message"]
    )
    [item] = listed.json()["items"]
    assert item["verdict"] == "not_a_hedge" and item["agent"] == "ana"
    assert "ann@example.com" not in item["text"]
    utf16 = item["text"].encode("utf-16-le")
    assert utf16[2 * item["start"] : 2 * item["end"]].decode("utf-16-le") == "Maybe"
    [(stored_text, stored_start, stored_end)] = rows(
        run.db, "select text, start, end from feedback"
    )
    assert stored_text[stored_start:stored_end] == "Maybe"


async def test_feedback_keeps_only_the_words_around_the_phrase(
    tmp_path: Path, trained_artifacts: Path
) -> None:
    draft = (
        ("Hello Sam, thanks for your patience with the delivery. " * 20)
        + "Maybe it lands Friday. "
        + ("Our depot in Leeds scanned the parcel this morning. " * 20)
    )
    start = draft.index("Maybe")
    async with running_app(tmp_path, trained_artifacts) as run:
        saved = await run.client.post(
            "/v1/feedback",
            json={"text": draft, "start": start, "end": start + 5, "verdict": "not_a_hedge"},
            headers=run.agent,
        )
    assert saved.status_code == 201
    [(text, begin, end)] = rows(run.db, "select text, start, end from feedback")
    assert text[begin:end] == "Maybe" and len(text) <= 205 and len(text) < len(draft)


async def test_metrics_count_requests_checks_and_storage_errors(
    tmp_path: Path, trained_artifacts: Path
) -> None:
    async with running_app(tmp_path, trained_artifacts) as run:
        await run.client.post("/v1/check", json={"text": "hello there"}, headers=run.agent)
        text = (await run.client.get("/metrics")).text
    assert "tonecheck_checks_scored_total 1.0" in text
    assert 'tonecheck_requests_total{method="POST",route="/v1/check",status="200"} 1.0' in text
    assert 'tonecheck_request_seconds_bucket{le="0.1",route="/v1/check"}' in text
    assert "tonecheck_storage_errors" in text


async def test_locked_database_degrades_but_still_scores(
    tmp_path: Path, trained_artifacts: Path
) -> None:
    async with running_app(tmp_path, trained_artifacts) as run:
        warm = await run.client.post("/v1/check", json={"text": "warm up"}, headers=run.agent)
        assert warm.status_code == 200 and warm.json()["stored"] is True
        locker = sqlite3.connect(run.db, timeout=0.1)
        locker.execute("BEGIN EXCLUSIVE")
        try:
            response = await run.client.post(
                "/v1/check", json={"text": "I think so"}, headers=run.agent
            )
            health = (await run.client.get("/v1/health")).json()
            metrics = (await run.client.get("/metrics")).text
        finally:
            locker.rollback()
            locker.close()
    body = response.json()
    assert response.status_code == 200 and body["scores"]["standing"] is not None
    assert body["stored"] is False  # the answer did not wait out the lock
    assert health["storage"] == "degraded" and health["status"] == "degraded"
    assert "locked" in health["storage_error"]
    assert 'tonecheck_storage_errors_total{operation="check_wait"} 1.0' in metrics
    # the write went on once the lock was gone: stored: false means "not confirmed", not lost
    assert rows(run.db, "select count(*) from checks") == [(2,)]


def test_openapi_document_is_valid_and_complete() -> None:
    document = openapi_document()
    validate(document)
    assert document["openapi"].startswith("3.1")
    from tonecheck.server.app import create_app

    api_paths = {
        str(getattr(route, "path", ""))
        for route in create_app().routes
        if str(getattr(route, "path", "")).startswith(("/v1/", "/metrics"))
    }
    assert "/v1/ping" in api_paths and "/v1/check" in api_paths
    assert set(document["paths"]) == api_paths


async def test_openapi_served(tmp_path: Path, trained_artifacts: Path) -> None:
    async with running_app(tmp_path, trained_artifacts) as run:
        response = await run.client.get("/v1/openapi.json")
    assert response.status_code == 200 and response.json()["openapi"] == "3.1.0"


async def test_cors_answers_only_configured_origins(
    tmp_path: Path, trained_artifacts: Path
) -> None:
    origin = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
    async with running_app(tmp_path, trained_artifacts, allow_origins=(origin,)) as run:
        preflight = {
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization",
        }
        good = await run.client.options("/v1/check", headers={"Origin": origin, **preflight})
        evil = await run.client.options(
            "/v1/check", headers={"Origin": "https://evil.example", **preflight}
        )
    assert good.status_code == 200 and good.headers["access-control-allow-origin"] == origin
    assert "access-control-allow-origin" not in evil.headers


async def test_the_root_page_says_where_to_go(tmp_path: Path, trained_artifacts: Path) -> None:
    async with running_app(tmp_path, trained_artifacts) as run:
        page = await run.client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    for link in ('href="/reports"', 'href="/v1/health"', "extension/dist/chrome", "token create"):
        assert link in page.text
