from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.paths import REPO
from tests.support.pg_server import PostgresServer, postgres_server
from tests.support.records import WriteJsonl


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
    from tonecheck.model.lexicon import builtin_lexicon
    from tonecheck.model.train import train_model
    from tonecheck.server.config import DEFAULT_DATA

    root = tmp_path_factory.mktemp("artifacts")
    train_model([REPO / path for path in DEFAULT_DATA], root, builtin_lexicon(), seed=0)
    return root


@pytest.fixture(scope="session")
def tone_model(trained_artifacts: Path) -> Any:
    from tonecheck.model.artifact import load_version

    return load_version(trained_artifacts).model


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A real PostgreSQL server for the session; `postgres.new_database()` gives a fresh URL."""
    with postgres_server() as server:
        yield server
