"""`--db postgresql+psycopg://…`: storage, schema upgrade, the API and the reports on a real PostgreSQL."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.support.pg_server import PostgresServer
from tests.support.report_fixture import CHECKS, store_checks
from tests.support.server_helpers import running_app
from tonecheck.server.check_writer import CheckWriter
from tonecheck.server.metrics import Metrics
from tonecheck.server.schema import SCHEMA_VERSION, _migration_1, meta_table
from tonecheck.server.storage import Storage, StorageError, StoredCheck, now

pytestmark = [pytest.mark.slow, pytest.mark.anyio]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def test_tokens_and_group_commit_on_postgres(postgres: PostgresServer) -> None:
    storage = Storage.open(postgres.new_database())
    assert storage.engine.dialect.name == "postgresql"
    token = storage.create_token("ana", "agent", "billing")
    with pytest.raises(StorageError, match="a token named 'ana' already exists"):
        storage.create_token("ana", "lead")
    principal = storage.principal_for(token)
    assert principal is not None and (principal.name, principal.team) == ("ana", "billing")
    writer = CheckWriter(storage, Metrics())
    try:
        values = {
            "created_at": now(),
            "agent": "ana",
            "team": "billing",
            "site": None,
            "model_version": "v1",
            "knowledge": 10,
            "intent": 20,
            "empathy": 30,
            "standing": 40,
            "overall": 25,
            "text_length": 12,
            "text": None,
        }
        records = [
            StoredCheck(
                **values, draft_id=f"d{i}", hedge_count=i, hedges=[(f"phrase {i}", "hope")] * i
            )
            for i in range(12)
        ]
        ids = await asyncio.gather(*(writer.record(r) for r in records))
    finally:
        writer.close()
    assert len(set(ids)) == 12
    with storage.engine.connect() as connection:
        rows = connection.execute(
            sa.text(
                "select c.draft_id, h.phrase from check_hedges h join checks c on c.id = h.check_id"
            )
        ).fetchall()
    assert sorted(tuple(r) for r in rows) == sorted(
        (f"d{i}", f"phrase {i}") for i in range(12) for _ in range(i)
    )
    storage.revoke_token("ana")
    assert storage.principal_for(token) is None
    storage.engine.dispose()


def test_schema_1_database_is_upgraded_on_postgres(postgres: PostgresServer) -> None:
    url = postgres.new_database()
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        meta_table.create(connection)
        _migration_1(connection)
        connection.execute(meta_table.insert().values(key="schema_version", value="1"))
    engine.dispose()
    storage = Storage.open(url)
    with storage.engine.connect() as connection:
        assert storage.schema_version(connection) == SCHEMA_VERSION == 2
        columns = {c["name"] for c in sa.inspect(connection).get_columns("checks")}
        assert "text" in columns and sa.inspect(connection).has_table("check_hedges")
    storage.engine.dispose()


async def test_api_and_reports_on_postgres(
    tmp_path: Path, trained_artifacts: Path, postgres: PostgresServer
) -> None:
    url = postgres.new_database()
    async with running_app(tmp_path, trained_artifacts, url=url, workers=1) as run:
        checked = await run.client.post(
            "/v1/check",
            json={"text": "I think the refund should arrive Friday.", "draft_id": "live"},
            headers=run.agent,
        )
        assert checked.status_code == 200, checked.text
        feedback = await run.client.post(
            "/v1/feedback",
            json={"text": "I think so.", "start": 0, "end": 7, "verdict": "useful"},
            headers=run.agent,
        )
        assert feedback.status_code == 201
        health = (await run.client.get("/v1/health")).json()
        assert health["storage"] == "ok"
        store_checks(url)  # type: ignore[arg-type]
        summary = await run.client.get("/v1/reports/summary", headers=run.lead)
        export = await run.client.get("/v1/reports/export.csv", headers=run.lead)
    assert summary.status_code == 200, summary.text
    assert summary.json()["checks"] == len(CHECKS) + 1
    assert export.status_code == 200
    assert f"summary,checks,value,{len(CHECKS) + 1}" in export.text.splitlines()
