"""The model being served, swapped for a new one when `CURRENT` changes.

A background task polls CURRENT once a second; a new version is loaded in a
worker thread and swapped in with one assignment, so a request sees either the
old model or the new one, never a half-loaded one. A version that fails to load
is refused and logged; the old model keeps serving and /v1/health shows why.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import anyio
from starlette.concurrency import run_in_threadpool

from tonecheck.model.artifact import ArtifactError, LoadedModel, current_version, load_artifact
from tonecheck.model.lexicon import Lexicon
from tonecheck.model.scorer import ToneModel, adopt_lexicon
from tonecheck.server.metrics import Metrics

log = logging.getLogger("tonecheck.model")
POLL_SECONDS = 1.0


@dataclass(frozen=True)
class Served:
    version: str
    model: ToneModel


class ModelHolder:
    def __init__(self, root: Path, metrics: Metrics, team_lexicon: Lexicon | None = None) -> None:
        self.root = root
        self.metrics = metrics
        self.team_lexicon = team_lexicon
        self.served: Served | None = None
        self.error: str | None = None
        self._refused: str | None = None

    def _adopt(self, loaded: LoadedModel) -> Served:
        return Served(loaded.version, adopt_lexicon(loaded.model, self.team_lexicon))

    def load_now(self) -> None:
        """Load CURRENT synchronously (at start-up); raises ArtifactError if it cannot."""
        version = current_version(self.root)
        if version is None:
            raise ArtifactError(f"no model in {self.root}: train one with `tonecheck train`")
        self._swap(self._adopt(load_artifact(self.root, version)))

    def _swap(self, served: Served) -> None:
        previous = self.served
        self.served = served
        self.error = None
        self._refused = None
        if previous is not None:
            self.metrics.model_info.remove(previous.version)
        self.metrics.model_info.labels(served.version).set(1)

    def refresh(self) -> bool:
        """Swap to CURRENT if it names another version; True when a swap happened.

        CURRENT that cannot be read keeps the old model serving and says why in health;
        pointing CURRENT back at the served version clears a refused version's error."""
        try:
            version = current_version(self.root)
        except ArtifactError as error:
            if self.error != str(error):
                log.error(
                    "%s; still serving %s", error, self.served.version if self.served else "nothing"
                )
            self.error = str(error)
            self._refused = None
            return False
        if self.served and version == self.served.version:
            self.error, self._refused = None, None
            return False
        if version is None or version == self._refused:
            return False
        began = time.perf_counter()
        try:
            served = self._adopt(load_artifact(self.root, version))
        except ArtifactError as error:
            self._refused = version
            self.error = f"refused model {version}: {error}"
            self.metrics.model_reloads.labels("refused").inc()
            log.error(
                "%s; still serving %s",
                self.error,
                self.served.version if self.served else "nothing",
            )
            return False
        self._swap(served)
        self.metrics.model_reloads.labels("swapped").inc()
        log.warning("now serving model %s (loaded in %.2f s)", version, time.perf_counter() - began)
        return True

    async def watch(self, on_swap: Callable[[Served], Awaitable[None]] | None = None) -> None:
        """Poll CURRENT forever; after each swap, await `on_swap` with what is served now."""
        while True:
            await anyio.sleep(POLL_SECONDS)
            try:
                if await run_in_threadpool(self.refresh) and on_swap and self.served:
                    await on_swap(self.served)
            except Exception as error:  # the watcher never stops: the old model serves on
                self.error = f"model watcher: {type(error).__name__}: {error}"
                log.exception("model watcher failed; still serving the old model")
