"""A small set of checks whose report figures are computed by hand in the tests."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tonecheck.reports.figures import CheckRow
from tonecheck.server.storage import Storage, StoredCheck

# (when, agent, team, draft, knowledge, intent, empathy, standing, overall, hedges)
CHECKS: list[
    tuple[datetime, str, str, str | None, int, int, int, int, int, list[tuple[str, str]]]
] = [
    (datetime(2026, 2, 27, 16, 0, tzinfo=UTC), "cy", "tech", "d4", 30, 40, 50, 60, 46, []),
    (
        datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
        "ana",
        "billing",
        "d1",
        40,
        50,
        60,
        30,
        45,
        [("I think", "epistemic"), ("hopefully", "hope")],
    ),
    (
        datetime(2026, 3, 2, 9, 5, tzinfo=UTC),
        "ana",
        "billing",
        "d1",
        60,
        70,
        60,
        50,
        60,
        [("Hopefully", "hope")],
    ),
    (datetime(2026, 3, 3, 10, 0, tzinfo=UTC), "ana", "billing", "d1", 80, 90, 70, 60, 75, []),
    (
        datetime(2026, 3, 4, 10, 0, tzinfo=UTC),
        "bo",
        "billing",
        "d2",
        20,
        30,
        40,
        10,
        25,
        [("I think", "epistemic"), ("maybe", "epistemic")],
    ),
    (
        datetime(2026, 3, 4, 23, 59, tzinfo=UTC),
        "bo",
        "billing",
        "d2",
        10,
        30,
        40,
        20,
        25,
        [("Maybe", "epistemic")],
    ),
    (datetime(2026, 3, 10, 8, 0, tzinfo=UTC), "bo", "billing", "d3", 90, 80, 70, 100, 85, []),
    (
        datetime(2026, 3, 11, 12, 0, tzinfo=UTC),
        "cy",
        "tech",
        None,
        50,
        50,
        50,
        50,
        50,
        [("should be able to", "soft_outcome")],
    ),
]


def check_rows(text: str | None = None) -> list[CheckRow]:
    return [
        CheckRow(str(i), when, agent, team, draft, tuple(scores), tuple(hedges), text)
        for i, (when, agent, team, draft, *scores, hedges) in enumerate(CHECKS, 1)  # type: ignore[misc]
    ]


def store_checks(
    db: Path, rows: list[tuple[Any, ...]] | None = None, text: str | None = None
) -> None:
    storage = Storage.open(str(db))
    for when, agent, team, draft, k, i, e, s, overall, hedges in rows or CHECKS:
        storage.record_check(
            StoredCheck(
                created_at=when,
                agent=agent,
                team=team,
                draft_id=draft,
                site=None,
                model_version="fixture",
                knowledge=k,
                intent=i,
                empathy=e,
                standing=s,
                overall=overall,
                hedge_count=len(hedges),
                text_length=len(text or ""),
                text=text,
                hedges=hedges,
            )
        )
    storage.engine.dispose()
