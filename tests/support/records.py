"""Labeled records for tests: one valid record to vary, and a small slice of the corpus."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.support.paths import REPO

WriteJsonl = Callable[..., Path]


def valid_record(**overrides: Any) -> dict[str, Any]:
    text = overrides.pop(
        "text", "Hi Sam, the refund is on its way. You should be able to see it Friday."
    )
    record: dict[str, Any] = {
        "id": "t1",
        "text": text,
        "customer_message": "Where is my refund?",
        "channel": "email",
        "domain": "billing",
        "labels": {"knowledge": 1, "intent": 1, "empathy": 0, "standing": 0},
        "hedges": [],
    }
    phrase = "should be able to"
    if phrase in text:
        start = text.index(phrase)
        record["hedges"] = [
            {"start": start, "end": start + len(phrase), "text": phrase, "category": "soft_outcome"}
        ]
    record.update(overrides)
    return record


WriteJsonl = Callable[..., Path]


def small_data(tmp_path: Path, size: int = 250) -> Path:
    lines = (REPO / "data" / "replies.jsonl").read_text(encoding="utf-8").splitlines()[:size]
    path = tmp_path / "small.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
