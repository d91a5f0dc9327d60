"""Group commit for checks: the records of concurrent requests share one transaction.

A request hands its record to `CheckWriter.record` and waits until a transaction
holding it has committed, so a check answered 2xx with no storage error is in
the database. One thread drains the queue: what arrives while a transaction runs
is written by the next, so under load many checks share one commit and the
event loop never waits on the database. If a shared transaction fails, its
records are retried one by one, so one bad record fails alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from dataclasses import dataclass

from tonecheck.server.metrics import Metrics
from tonecheck.server.storage import Storage, StoredCheck

MAX_BATCH = 256


@dataclass
class _Pending:
    record: StoredCheck
    future: asyncio.Future[int]
    loop: asyncio.AbstractEventLoop


def _settle(future: asyncio.Future[int], outcome: int | BaseException) -> None:
    if future.done():
        return
    if isinstance(outcome, BaseException):
        future.set_exception(outcome)
    else:
        future.set_result(outcome)


class CheckWriter:
    def __init__(self, storage: Storage, metrics: Metrics) -> None:
        self.storage = storage
        self.metrics = metrics
        self._queue: queue.SimpleQueue[_Pending | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="tonecheck-writer", daemon=True)
        self._thread.start()

    async def record(self, record: StoredCheck) -> int:
        """Store one check; returns its id once committed, or raises what the database raised."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[int] = loop.create_future()
        self._queue.put(_Pending(record, future, loop))
        return await future

    def close(self) -> None:
        """Write everything already handed over, then stop the thread."""
        self._queue.put(None)
        self._thread.join()

    def _run(self) -> None:
        stopping = False
        while not stopping:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < MAX_BATCH:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    stopping = True
                    break
                batch.append(item)
            self._write(batch)

    def _write(self, batch: list[_Pending]) -> None:
        self.metrics.storage_batch.observe(len(batch))
        try:
            ids = self.storage.record_checks([p.record for p in batch])
        except Exception as error:
            if len(batch) == 1:
                self._resolve(batch[0], error)
                return
            for pending in batch:
                self._write([pending])
            return
        for pending, check_id in zip(batch, ids, strict=True):
            self._resolve(pending, check_id)

    @staticmethod
    def _resolve(pending: _Pending, outcome: int | BaseException) -> None:
        # RuntimeError: the event loop is closed, so nobody waits for this answer any more.
        with contextlib.suppress(RuntimeError):
            pending.loop.call_soon_threadsafe(_settle, pending.future, outcome)
