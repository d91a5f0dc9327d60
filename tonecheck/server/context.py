"""What every handler needs, built once in the lifespan and reached through `request.state`."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from tonecheck.server.auth import Authenticator
from tonecheck.server.check_writer import CheckWriter
from tonecheck.server.config import Settings
from tonecheck.server.errors import ApiError
from tonecheck.server.metrics import Metrics
from tonecheck.server.model_holder import ModelHolder
from tonecheck.server.ratelimit import RateLimiter
from tonecheck.server.scoring_pool import ScoringPool
from tonecheck.server.storage import Storage, StoredCheck

log = logging.getLogger("tonecheck.storage")
T = TypeVar("T")
DEGRADED_FOR_SECONDS = 30.0
# How long a check's answer waits for its row to be committed before saying stored: false.
STORE_WAIT_SECONDS = 0.25


@dataclass
class AppContext:
    settings: Settings
    storage: Storage
    metrics: Metrics
    holder: ModelHolder
    auth: Authenticator
    limiter: RateLimiter
    writer: CheckWriter | None = None
    pool: ScoringPool | None = None
    started: float = field(default_factory=time.monotonic)
    last_failure: tuple[float, str] | None = None

    def storage_status(self) -> tuple[bool, str | None]:
        if self.last_failure and time.monotonic() - self.last_failure[0] < DEGRADED_FOR_SECONDS:
            return False, self.last_failure[1]
        try:
            self.storage.ping()
        except Exception as error:
            return False, f"{type(error).__name__}: {error}"
        return True, None

    def _failed(self, operation: str, error: Exception) -> None:
        message = f"{operation}: {type(error).__name__}: {error}".splitlines()[0][:300]
        self.last_failure = (time.monotonic(), message)
        self.metrics.storage_errors.labels(operation).inc()
        log.error("storage failure during %s", message)

    def write(
        self, operation: str, action: Callable[[Storage], T], required: bool = False
    ) -> T | None:
        """Run a storage write; a failure is counted and, unless `required`, does not fail the request."""
        try:
            result = action(self.storage)
        except Exception as error:
            self._failed(operation, error)
            if required:
                raise ApiError(
                    503,
                    "storage_unavailable",
                    f"could not save {operation}: storage is unavailable",
                ) from None
            return None
        self.last_failure = None
        return result

    async def write_check(self, record: StoredCheck) -> bool:
        """Store a check through the group-commit writer; True only once it is committed.

        The answer waits at most `STORE_WAIT_SECONDS`: past that the agent gets the scores
        with `stored: false` and health turns degraded, instead of every check hanging on
        a lock. The write goes on, and its own failure is counted when it comes.
        """
        assert self.writer is not None, "the check writer starts with the app"
        task = asyncio.ensure_future(self.writer.record(record))
        task.add_done_callback(self._after_check_write)
        try:
            await asyncio.wait_for(asyncio.shield(task), STORE_WAIT_SECONDS)
        except TimeoutError:
            self._failed(
                "check_wait",
                TimeoutError(
                    f"a check was not committed within {STORE_WAIT_SECONDS * 1000:.0f} ms; "
                    "the database is busy, locked or gone"
                ),
            )
            return False
        except Exception:
            return False  # counted by _after_check_write
        self.last_failure = None
        return True

    def _after_check_write(self, task: asyncio.Future[int]) -> None:
        if task.cancelled():
            return
        error = task.exception()
        if isinstance(error, Exception):
            self._failed("check", error)

    def read(self, operation: str, action: Callable[[Storage], T]) -> T:
        try:
            return action(self.storage)
        except Exception as error:
            self._failed(operation, error)
            raise ApiError(
                503, "storage_unavailable", f"could not read {operation}: storage is unavailable"
            ) from None
