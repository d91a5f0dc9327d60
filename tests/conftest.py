from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.pg_server import PostgresServer, postgres_server

REPO = Path(__file__).resolve().parent.parent


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


@pytest.fixture
def write_jsonl(tmp_path: Path) -> WriteJsonl:
    def write(*records: dict[str, Any] | str | bytes, name: str = "data.jsonl") -> Path:
        path = tmp_path / name
        chunks: list[bytes] = []
        for item in records:
            if isinstance(item, bytes):
                chunks.append(item)
            elif isinstance(item, str):
                chunks.append(item.encode("utf-8"))
            else:
                chunks.append(json.dumps(item, ensure_ascii=False).encode("utf-8") + b"\n")
        path.write_bytes(b"".join(chunks))
        return path

    return write


@pytest.fixture(scope="session")
def trained_artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A model trained once per test session on the real corpus (its first version is CURRENT)."""
    from model.lexicon import builtin_lexicon
    from model.train import train_model

    root = tmp_path_factory.mktemp("artifacts")
    train_model(REPO / "data" / "replies.jsonl", root, builtin_lexicon(), seed=0)
    return root


@pytest.fixture(scope="session")
def tone_model(trained_artifacts: Path) -> Any:
    from model.artifact import load_current

    return load_current(trained_artifacts).model


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A real PostgreSQL server for the session; `postgres.new_database()` gives a fresh URL."""
    with postgres_server() as server:
        yield server
