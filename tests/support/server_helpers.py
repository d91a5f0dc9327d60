"""Running the app in-process with its lifespan, for the API tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from asgi_lifespan import LifespanManager

from tonecheck.server.app import create_app
from tonecheck.server.config import Settings
from tonecheck.server.storage import Storage


@dataclass
class Running:
    client: httpx.AsyncClient
    agent: dict[str, str]
    lead: dict[str, str]
    db: Path
    url: str  # what --db would be: the SQLite file, or the URL given


@asynccontextmanager
async def running_app(
    tmp_path: Path, artifacts: Path, url: str | None = None, **settings: object
) -> AsyncIterator[Running]:
    """The app on a fresh SQLite file in `tmp_path`, or on the database at `url`."""
    db = tmp_path / "tonecheck.db"
    url = url or str(db)
    storage = Storage.open(url)
    agent = storage.create_token("ana", "agent", "billing")
    lead = storage.create_token("lee", "lead", "billing")
    storage.engine.dispose()
    app = create_app(Settings(db=url, artifacts=artifacts, **settings))  # type: ignore[arg-type]
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield Running(
                client,
                {"Authorization": f"Bearer {agent}"},
                {"Authorization": f"Bearer {lead}"},
                db,
                url,
            )
