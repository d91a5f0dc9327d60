"""The live reports in-process: sign-in and session, JSON and CSV, the pages, escaping."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import jsonschema
import pytest

from tests.support.pages import page_cells
from tests.support.report_fixture import CHECKS, store_checks
from tests.support.server_helpers import Running, running_app
from tonecheck.server.openapi import openapi_document
from tonecheck.server.storage import Storage

pytestmark = pytest.mark.anyio

EVIL = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
IMG = '"><img src=x onerror=alert(3)>'  # no slash: a path segment of its own


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def sign_in(run: Running) -> None:
    token = run.lead["Authorization"].removeprefix("Bearer ")
    response = await run.client.post("/reports/login", data={"token": token, "next": "/reports"})
    assert response.status_code == 303 and response.headers["location"] == "/reports"


async def test_summary_matches_hand_computed_figures(
    tmp_path: Path, trained_artifacts: Path
) -> None:
    async with running_app(tmp_path, trained_artifacts) as run:
        store_checks(run.db)
        body = (await run.client.get("/v1/reports/summary", headers=run.lead)).json()
        march = (
            await run.client.get(
                "/v1/reports/summary?from=2026-03-01&to=2026-03-04", headers=run.lead
            )
        ).json()
        tech = (await run.client.get("/v1/reports/summary?team=tech", headers=run.lead)).json()
        bo = (await run.client.get("/v1/reports/summary?agent=bo", headers=run.lead)).json()
    document = openapi_document()
    schema = {"$ref": "#/components/schemas/ReportSummary", "components": document["components"]}
    for figures in (body, march, tech, bo):
        jsonschema.validate(figures, schema)
    assert body["checks"] == len(CHECKS) == 8
    assert body["scores"]["overall"]["mean"] == 51.4 and body["scores"]["overall"]["median"] == 48.0
    assert body["improvement"]["change"]["overall"] == 15.0
    assert body["improvement"]["drafts_compared"] == 2
    assert body["checks_per_draft"]["mean"] == 1.75
    assert [w["week"] for w in body["trend"]] == ["2026-02-23", "2026-03-02", "2026-03-09"]
    assert body["hedges"]["phrases"][0] == {"phrase": "hopefully", "category": "hope", "count": 2}
    # 1 March to 4 March takes in the late check on the 4th: checks 2-6 of the fixture.
    assert march["checks"] == 5 and march["scores"]["overall"]["mean"] == 46.0
    assert march["filters"] == {"from": "2026-03-01", "to": "2026-03-04"}
    assert tech["checks"] == 2 and tech["scores"]["overall"]["mean"] == 48.0
    assert bo["checks"] == 3 and bo["team"]["name"] == "billing"
    assert bo["team"]["checks"] == 6 and bo["team"]["scores"]["overall"]["mean"] == 52.5


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("from=2026-02-30", "from"),
        ("to=soon", "to"),
        ("from=2026-03-05&to=2026-03-01", "from"),
        ("agent=" + "a" * 200, "agent"),
        ("colour=blue", "colour"),
    ],
)
async def test_bad_parameters_are_422_naming_the_parameter(
    tmp_path: Path, trained_artifacts: Path, query: str, parameter: str
) -> None:
    async with running_app(tmp_path, trained_artifacts) as run:
        for path in ("/v1/reports/summary", "/v1/reports/export.csv"):
            response = await run.client.get(f"{path}?{query}", headers=run.lead)
            assert response.status_code == 422
            error = response.json()["error"]
            assert error["code"] == "invalid_field" and error["message"].startswith(
                f"{parameter}: "
            )


async def test_agents_and_strangers_are_refused(tmp_path: Path, trained_artifacts: Path) -> None:
    async with running_app(tmp_path, trained_artifacts) as run:
        agent_token = run.agent["Authorization"].removeprefix("Bearer ")
        for path in ("/v1/reports/summary", "/v1/reports/export.csv"):
            assert (await run.client.get(path)).status_code == 401
            assert (await run.client.get(path, headers=run.agent)).status_code == 403
        assert (await run.client.get("/reports", headers=run.agent)).status_code == 403
        login = await run.client.post("/reports/login", data={"token": agent_token})
        assert login.status_code == 403 and "set-cookie" not in login.headers
        assert "reports need a lead token" in login.text
        wrong = await run.client.post("/reports/login", data={"token": "tc_nope"})
        assert wrong.status_code == 401
        page = await run.client.get("/reports")
        assert page.status_code == 303 and page.headers["location"].startswith("/reports/login")


async def test_session_cookie_signs_in_and_out(tmp_path: Path, trained_artifacts: Path) -> None:
    async with running_app(tmp_path, trained_artifacts) as run:
        store_checks(run.db)
        token = run.lead["Authorization"].removeprefix("Bearer ")
        login = await run.client.post(
            "/reports/login", data={"token": token, "next": "https://evil.example/"}
        )
        cookie = login.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and "max-age=28800" in cookie
        assert login.headers["location"] == "/reports"
        assert token not in login.headers["set-cookie"]
        page = await run.client.get("/reports")
        assert page.status_code == 200 and "signed in as lee" in page.text
        assert (await run.client.get("/v1/reports/summary")).json()["checks"] == 8
        assert (await run.client.get("/v1/reports/export.csv")).status_code == 200
        cross = await run.client.post(
            "/reports/login", data={"token": token}, headers={"Origin": "https://evil.example"}
        )
        assert cross.status_code == 403
        await run.client.post("/reports/logout")
        assert (await run.client.get("/reports")).status_code == 303
        await sign_in(run)
        storage = Storage.open(str(run.db))
        storage.revoke_token("lee")
        storage.engine.dispose()
        # A revoked lead token ends its session at the next request.
        assert (await run.client.get("/reports")).status_code == 303


async def test_pages_send_a_content_security_policy(
    tmp_path: Path, trained_artifacts: Path
) -> None:
    async with running_app(tmp_path, trained_artifacts) as run:
        store_checks(run.db)
        login_form = await run.client.get("/reports/login")
        await sign_in(run)
        for response in (login_form, await run.client.get("/reports")):
            policy = response.headers["content-security-policy"]
            assert "default-src 'none'" in policy and "style-src 'sha256-" in policy
            assert "frame-ancestors 'none'" in policy and "script" not in policy
            assert response.headers["x-content-type-options"] == "nosniff"
            assert "<script" not in response.text


async def test_csv_export_is_exactly_what_the_page_shows(
    tmp_path: Path, trained_artifacts: Path
) -> None:
    async with running_app(tmp_path, trained_artifacts) as run:
        store_checks(run.db)
        await sign_in(run)
        for query in ("", "?team=billing&from=2026-03-01", "?agent=bo"):
            page = await run.client.get(f"/reports{query}")
            export = await run.client.get(f"/v1/reports/export.csv{query}")
            assert export.headers["content-type"].startswith("text/csv")
            rows = list(csv.reader(io.StringIO(export.text)))
            exported = {(s, r, c): v for s, r, c, v in rows[1:]}
            assert exported == page_cells(page.text), query
        agent_page = await run.client.get("/reports/agent/bo")
        assert page_cells(agent_page.text) == exported
        assert exported[("comparison", "mean Overall", "team billing")] == "52.5"
        assert exported[("improvement", "Overall", "change")] == "+0.0"


async def test_names_and_text_are_escaped_everywhere(
    tmp_path: Path, trained_artifacts: Path
) -> None:
    evil_rows = [(CHECKS[0][0], EVIL, EVIL, "d", 10, 20, 30, 40, 25, [(EVIL, "hope")])]
    async with running_app(tmp_path, trained_artifacts, store_text=True) as run:
        store_checks(run.db, evil_rows, text=EVIL)
        await sign_in(run)
        pages = [
            await run.client.get("/reports"),
            await run.client.get("/reports", params={"agent": EVIL, "team": EVIL}),
            await run.client.get(f"/reports/agent/{IMG}"),
        ]
        summary = await run.client.get("/v1/reports/summary", params={"agent": EVIL})
    assert summary.json()["lowest"][0]["text"] == EVIL
    for page in pages:
        assert page.status_code == 200
        assert "<script>" not in page.text and "<img" not in page.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text or "&lt;img" in page.text
    assert "Agent &#34;&gt;&lt;img src=x onerror=alert(3)&gt;" in pages[2].text
    # A name with a slash cannot be a path segment: its link is the overview's agent filter.
    assert 'href="/reports?agent=%3Cscript%3Ealert%281%29%3C%2Fscript%3E' in pages[0].text
    # With stored text the lowest-scoring checks show it, escaped, named by their draft and
    # with their hedge phrases.
    cells = page_cells(pages[0].text)
    assert ("lowest", "draft d", "text") in cells
    assert cells[("lowest", "draft d", "hedges")] == EVIL


async def test_no_reply_text_unless_the_server_stores_text(
    tmp_path: Path, trained_artifacts: Path
) -> None:
    async with running_app(tmp_path, trained_artifacts) as run:
        # Text left in the database from an earlier --store-text run stays hidden.
        store_checks(run.db, text="Secret reply text")
        await sign_in(run)
        page = await run.client.get("/reports")
        body = (await run.client.get("/v1/reports/summary")).json()
        export = (await run.client.get("/v1/reports/export.csv")).text
    assert "Secret reply text" not in page.text + export + str(body)
    assert "lowest" not in body and 'id="lowest"' not in page.text


async def test_bad_filters_on_a_page_are_a_422_page(
    tmp_path: Path, trained_artifacts: Path
) -> None:
    async with running_app(tmp_path, trained_artifacts) as run:
        await sign_in(run)
        page = await run.client.get("/reports?to=31-12-2026")
        agent_page = await run.client.get("/reports/agent/bo?agent=cy")
    assert page.status_code == 422 and "to: &#39;31-12-2026&#39; is not an ISO date" in page.text
    assert agent_page.status_code == 422 and "agent: unknown parameter" in agent_page.text
    assert "content-security-policy" in page.headers


async def test_a_filter_that_matches_nothing_says_so_and_names_what_exists(
    tmp_path: Path, trained_artifacts: Path
) -> None:
    async with running_app(tmp_path, trained_artifacts) as run:
        store_checks(run.db)
        await sign_in(run)
        nobody = await run.client.get("/reports?agent=nobody")
        no_team = await run.client.get("/reports?team=nowhere")
        no_dates = await run.client.get("/reports?from=2001-01-01&to=2001-01-02")
        everyone = await run.client.get("/reports")
    known_agents = sorted({row[1] for row in CHECKS})
    assert "No agent called &#39;nobody&#39; has checks" in nobody.text
    assert all(agent in nobody.text.split("Agents with checks:")[1][:400] for agent in known_agents)
    assert "No team called &#39;nowhere&#39; has checks" in no_team.text
    assert "No checks match these filters" in no_dates.text
    assert 'class="notice"' not in everyone.text
