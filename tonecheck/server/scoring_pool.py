"""The pool of scoring processes behind /v1/check.

With `--workers N` (N > 0) the event loop only reads requests, checks tokens,
stores records and writes answers; N processes score, so several drafts are
scored at once on several cores and a long draft never holds up /v1/health or
the next request's headers. Each draft is sent with the model version the
server has accepted, and a process loads that version from the artifacts the
first time it sees it, so a promoted model reaches every process between two
requests. A process that dies is replaced, and the draft it held is scored in
the server process instead of failing.

Each process has its own socket pair: the process reads and writes it with
multiprocessing's blocking `Connection`, the server with asyncio streams in the
same framing (a 4-byte length, then a pickle), so a long answer arriving in
pieces never blocks the event loop. The standard
library's ProcessPoolExecutor was measured first: with its manager and feeder
threads, a check of an empty draft under wrk cost the serving process 0.56 ms of
CPU, against 0.35-0.37 ms with these sockets and 0.17-0.25 ms scoring in-process;
the serving process is the one all requests share.
"""

from __future__ import annotations

import asyncio
import collections
import gc
import logging
import multiprocessing
import os
import pickle
import signal
import socket
import struct
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from tonecheck.model.artifact import ArtifactError, load_artifact
from tonecheck.model.lexicon import Lexicon, load_lexicon
from tonecheck.model.scorer import ToneModel, adopt_lexicon
from tonecheck.server.metrics import Metrics
from tonecheck.server.scoring import Scored, score_for_api

log = logging.getLogger("tonecheck.scoring")
# A draft waits this long for a free scoring process before the server scores it itself;
# only processes that keep dying (or a stuck one) make a draft wait that long.
IDLE_WAIT_SECONDS = 10.0


class _Loader:
    """A scoring process's model: the version last asked for, loaded from the artifacts."""

    def __init__(
        self, root: Path, team_lexicon: Lexicon | None, loaded: tuple[str, ToneModel] | None
    ) -> None:
        self.root = root
        self.team_lexicon = team_lexicon
        self.loaded = loaded

    def model(self, version: str) -> ToneModel:
        if self.loaded is None or self.loaded[0] != version:
            model = load_artifact(self.root, version).model
            self.loaded = (version, adopt_lexicon(model, self.team_lexicon))
        return self.loaded[1]


def _scoring_process(
    conn: Connection,
    inherited: list[int],
    root: Path,
    lexicon_file: Path | None,
    served: tuple[str, ToneModel] | str | None,
) -> None:
    """A scoring process: answers (version, text) with ("ok", Scored) or ("error", exception),
    and (version, None) with ("ok", None) once that version is loaded.

    `served` is the (version, model) a forked process shares with the server, or
    the version a fresh one loads before it says it is ready. Signals go to the
    server, which finishes its requests and then closes the socket; end of file on
    the socket (the server closed it or died) ends the process, so it first closes
    the server's ends of the sockets it inherited by forking.
    """
    for fd in inherited:
        os.close(fd)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    team_lexicon = load_lexicon(lexicon_file) if lexicon_file else None
    loader = _Loader(root, team_lexicon, None if isinstance(served, str) else served)
    if isinstance(served, str):
        loader.model(served)
    conn.send(("ready", None))
    while True:
        try:
            version, text = conn.recv()
        except EOFError:
            return
        try:
            model = loader.model(version)
            conn.send(("ok", None if text is None else score_for_api(model, text)))
        except Exception as error:
            conn.send(("error", error))


class ProcessDied(Exception):
    """A scoring process ended while it held a draft."""


@dataclass(eq=False)
class _Process:
    process: multiprocessing.process.BaseProcess
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    waiting: asyncio.Future[tuple[str, Any]] | None = None
    ready: asyncio.Future[None] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )

    def send(self, message: object) -> None:
        """Frame `message` as `Connection.recv` in the process expects it."""
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        self.writer.write(struct.pack("!i", len(data)) + data)

    async def receive(self) -> tuple[str, Any]:
        """One message the process sent with `Connection.send`."""
        (size,) = struct.unpack("!i", await self.reader.readexactly(4))
        if size == -1:  # a message over 2 GiB: the length follows in 8 bytes
            (size,) = struct.unpack("!Q", await self.reader.readexactly(8))
        message: tuple[str, Any] = pickle.loads(await self.reader.readexactly(size))
        return message


class ScoringPool:
    """`workers` scoring processes.

    The first ones are forked from the server at start-up, before it has threads
    or sockets, with the model already loaded: they share its memory (two
    processes add ~50 MB, not ~240 MB). A replacement for one that died is
    spawned as a fresh interpreter, because by then the server has threads and
    open connections that a fork would copy.
    """

    def __init__(
        self,
        workers: int,
        root: Path,
        lexicon_file: Path | None,
        metrics: Metrics,
    ) -> None:
        self.workers = workers
        self._where = (root, lexicon_file)
        self._metrics = metrics
        self._processes: list[_Process] = []
        # Free processes, and the drafts waiting for one, first come first served.
        self._idle: collections.deque[_Process] = collections.deque()
        self._waiting: collections.deque[asyncio.Future[_Process]] = collections.deque()
        self._closing = False
        self._version: str | None = None  # the last version drafts were sent with
        self._tasks: set[asyncio.Task[Any]] = set()  # readers and replacements under way

    async def _spawn(self, fork: bool, served: tuple[str, ToneModel] | str | None) -> _Process:
        """Start one scoring process: forked from this one, or a fresh interpreter."""
        context = multiprocessing.get_context("fork" if fork else "spawn")
        ours, theirs = socket.socketpair()
        # A forked process must close the server's ends it inherits, or it never sees EOF.
        inherited = [p.writer.get_extra_info("socket").fileno() for p in self._processes]
        their_end = Connection(theirs.detach())
        process = context.Process(  # type: ignore[attr-defined]
            target=_scoring_process,
            args=(their_end, [*inherited, ours.fileno()] if fork else [], *self._where, served),
            name="tonecheck-scoring",
            daemon=True,
        )
        process.start()
        their_end.close()  # the process has its own copy now
        reader, writer = await asyncio.open_unix_connection(sock=ours)
        entry = _Process(process, reader, writer)
        self._processes.append(entry)
        task = asyncio.create_task(self._read(entry))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return entry

    async def start(self, served: tuple[str, ToneModel] | None) -> list[int]:
        """Fork every process with `served` (version, model) loaded; returns their pids.

        Call it before the server starts threads or opens sockets.
        """
        gc.freeze()  # objects from before the fork stay put, so their pages stay shared
        self._version = served[0] if served else None
        started = [await self._spawn(True, served) for _ in range(self.workers)]
        await asyncio.gather(*(entry.ready for entry in started))
        return sorted(entry.process.pid or 0 for entry in started)

    def pids(self) -> list[int]:
        return sorted(entry.process.pid or 0 for entry in self._processes)

    async def _read(self, entry: _Process) -> None:
        """Deliver what one process sends until it ends."""
        while True:
            try:
                message = await entry.receive()
            except (asyncio.IncompleteReadError, OSError):
                await self._lost(entry)
                return
            if message[0] == "ready":
                entry.ready.set_result(None)
            else:
                waiting, entry.waiting = entry.waiting, None
                if waiting is not None and not waiting.done():
                    waiting.set_result(message)
            self._release(entry)

    def _release(self, entry: _Process) -> None:
        """Hand a free process to the longest-waiting draft, or keep it for the next one."""
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():  # a waiter that timed out is cancelled
                waiter.set_result(entry)
                return
        self._idle.append(entry)

    async def _acquire(self) -> _Process:
        """A free process; a draft never overtakes one that waited longer."""
        while self._waiting and self._waiting[0].done():
            self._waiting.popleft()  # timed out or cancelled
        while self._idle and not self._waiting:
            entry = self._idle.popleft()
            if entry in self._processes:  # not one that ended while it sat here
                return entry
        waiter: asyncio.Future[_Process] = asyncio.get_running_loop().create_future()
        self._waiting.append(waiter)
        self._metrics.scoring_waiting.inc()
        try:
            return await asyncio.wait_for(waiter, IDLE_WAIT_SECONDS)
        finally:
            self._metrics.scoring_waiting.dec()

    async def _lost(self, entry: _Process) -> None:
        """A process ended: fail what it held and, unless the server is stopping, replace it."""
        entry.writer.close()
        if entry in self._processes:
            self._processes.remove(entry)  # first, so no draft is handed to it from here on
        for future in (entry.waiting, entry.ready):
            if future is not None and not future.done():
                future.set_exception(ProcessDied(f"scoring process {entry.process.pid} ended"))
                future.exception()  # whoever awaits it still gets it; nobody else need log it
        await asyncio.to_thread(entry.process.join, 1)  # reap it without holding up requests
        if not self._closing:
            log.error(
                "scoring process %s ended (exit code %s); starting another",
                entry.process.pid,
                entry.process.exitcode,
            )
            task = asyncio.create_task(self._spawn(False, self._version))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def score(self, model: ToneModel, version: str, text: str) -> Scored:
        """Score in an idle process of the pool; if that process fails, score here."""
        try:
            entry = await self._acquire()
        except TimeoutError:
            self._metrics.scoring_fallbacks.labels("no_process").inc()
            log.error("no scoring process was free for %s s; scoring here", IDLE_WAIT_SECONDS)
            return score_for_api(model, text)
        self._version = version
        entry.waiting = asyncio.get_running_loop().create_future()
        try:
            entry.send((version, text))
            kind, value = await entry.waiting
        except (ProcessDied, OSError) as error:
            entry.waiting = None
            self._metrics.scoring_fallbacks.labels("process_died").inc()
            log.error("%s; scoring this draft in the server process", error)
            return score_for_api(model, text)
        if kind == "ok":
            assert isinstance(value, Scored)
            return value
        if isinstance(value, ArtifactError):
            self._metrics.scoring_fallbacks.labels("load_failed").inc()
            log.error("a scoring process could not load %s (%s); scoring here", version, value)
            return score_for_api(model, text)
        raise value

    async def warm(self, version: str) -> None:
        """Have every process load `version` now, in turn, rather than on the first draft.

        Called after a swap: each process takes the load as it would a draft, first
        come first served, so drafts that arrive meanwhile wait no longer than they would.
        """
        self._version = version
        try:
            for _ in range(len(self._processes)):
                entry = await self._acquire()
                entry.waiting = asyncio.get_running_loop().create_future()
                entry.send((version, None))
                kind, value = await entry.waiting
                if kind == "error":
                    raise value
        except Exception as error:  # drafts still load the version themselves
            log.error("scoring processes did not all load %s: %s", version, error)
            return
        log.warning("%d scoring processes loaded model %s", len(self._processes), version)

    async def shutdown(self) -> None:
        """Close every socket (each process then ends) and wait for the processes."""
        self._closing = True
        for task in list(self._tasks):
            task.cancel()
        for entry in self._processes:
            entry.writer.close()
        for entry in self._processes:
            await asyncio.to_thread(entry.process.join, 5)
            if entry.process.is_alive():
                entry.process.kill()
                await asyncio.to_thread(entry.process.join)
        self._processes.clear()
