"""Group commit: concurrent checks share transactions, and one bad record fails alone."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tonecheck.server.check_writer import CheckWriter
from tonecheck.server.metrics import Metrics
from tonecheck.server.storage import Storage, StoredCheck, now

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def check_values(
    draft: str, agent: str | None = "ana", hedges: Sequence[tuple[str, str]] = ()
) -> StoredCheck:
    return StoredCheck(
        created_at=now(),
        agent=agent,  # type: ignore[arg-type]  # None: a row the database refuses
        team="billing",
        draft_id=draft,
        site=None,
        model_version="v1",
        knowledge=50,
        intent=50,
        empathy=50,
        standing=50,
        overall=50,
        hedge_count=1,
        text_length=10,
        hedges=hedges,
    )


async def while_locked(db: Path, writer: CheckWriter, records: list[Any]) -> list[Any]:
    """Hand `records` over while another connection holds the write lock, then release it.

    The first record's transaction waits on the lock; the rest queue up behind it,
    so they must share the next transaction.
    """
    locker = sqlite3.connect(db, isolation_level=None)
    locker.execute("begin immediate")
    tasks = [asyncio.create_task(writer.record(record)) for record in records]
    await asyncio.sleep(0.3)
    locker.execute("rollback")
    locker.close()
    return await asyncio.gather(*tasks, return_exceptions=True)


async def test_queued_checks_share_one_transaction_and_keep_their_hedges(tmp_path: Path) -> None:
    db = tmp_path / "tonecheck.db"
    metrics = Metrics()
    writer = CheckWriter(Storage.open(str(db)), metrics)
    try:
        records = [check_values(f"d{i}", hedges=[(f"phrase {i}", "hope")]) for i in range(40)]
        ids = await while_locked(db, writer, records)
    finally:
        writer.close()
    assert len(set(ids)) == 40 and all(isinstance(i, int) for i in ids)
    sample = metrics.registry.get_sample_value
    # one may have waited on the lock alone; the rest queued behind it
    assert sample("tonecheck_storage_batch_checks_count") <= 2
    assert sample("tonecheck_storage_batch_checks_sum") == 40
    with sqlite3.connect(db) as connection:
        stored = connection.execute(
            "select c.id, c.draft_id, h.phrase from checks c join check_hedges h on h.check_id = c.id"
        ).fetchall()
    assert sorted(stored) == sorted((ids[i], f"d{i}", f"phrase {i}") for i in range(40))


async def test_a_bad_record_fails_alone(tmp_path: Path) -> None:
    db = tmp_path / "tonecheck.db"
    writer = CheckWriter(Storage.open(str(db)), Metrics())
    try:
        records = [check_values("ok-1"), check_values("bad", agent=None)]
        records += [check_values("ok-2", hedges=[("maybe", "possibility")])]
        outcomes = await while_locked(db, writer, records)
    finally:
        writer.close()
    assert isinstance(outcomes[0], int) and isinstance(outcomes[2], int)
    assert isinstance(outcomes[1], sa.exc.IntegrityError)
    assert "agent" in str(outcomes[1])
    with sqlite3.connect(db) as connection:
        drafts = [r[0] for r in connection.execute("select draft_id from checks order by id")]
    assert drafts == ["ok-1", "ok-2"]


async def test_close_writes_what_was_handed_over(tmp_path: Path) -> None:
    db = tmp_path / "tonecheck.db"
    writer = CheckWriter(Storage.open(str(db)), Metrics())
    tasks = [asyncio.create_task(writer.record(check_values(f"d{i}"))) for i in range(5)]
    await asyncio.sleep(0)  # every record is queued
    await asyncio.to_thread(writer.close)
    assert len(set(await asyncio.gather(*tasks))) == 5
    with sqlite3.connect(db) as connection:
        assert connection.execute("select count(*) from checks").fetchone() == (5,)


def test_a_batch_keeps_each_checks_hedges_with_its_check(tmp_path: Path) -> None:
    storage = Storage.open(str(tmp_path / "tonecheck.db"))
    records = [check_values(f"d{i}", hedges=[(f"phrase {i}", "hope")] * i) for i in range(4)]
    ids = storage.record_checks(records)
    assert len(set(ids)) == 4
    with storage.engine.connect() as connection:
        rows = connection.execute(
            sa.text(
                "select c.draft_id, h.phrase from check_hedges h join checks c on c.id = h.check_id"
                " order by h.id"
            )
        ).fetchall()
    assert [tuple(r) for r in rows] == [
        (f"d{i}", f"phrase {i}") for i in range(4) for _ in range(i)
    ]
