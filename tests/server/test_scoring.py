"""Scoring processes (`--workers`): same answers as in-process, and a dead process costs no request."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
from pathlib import Path

import pytest

from tests.support.server_helpers import running_app
from tonecheck.model.artifact import load_artifact
from tonecheck.model.lexicon import load_lexicon
from tonecheck.model.scorer import adopt_lexicon
from tonecheck.server.metrics import Metrics
from tonecheck.server.scoring import score_for_api
from tonecheck.server.scoring_pool import ScoringPool

pytestmark = pytest.mark.anyio

DRAFTS = [
    "Hi Dana 👋, I think the refund should arrive Friday. You may cancel any time.",
    "I've reissued the invoice 🧾🧾 and it is in your inbox now. Hopefully that helps!",
    "Sorry about the wait. Your order ships today and arrives Thursday.",
    "   ",
]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def answers(tmp_path: Path, artifacts: Path, workers: int) -> list[dict[str, object]]:
    async with running_app(tmp_path, artifacts, workers=workers) as run:
        health = (await run.client.get("/v1/health")).json()
        assert health["scoring_processes"] == workers
        bodies = []
        for text in DRAFTS:
            response = await run.client.post("/v1/check", json={"text": text}, headers=run.agent)
            assert response.status_code == 200, response.text
            body = response.json()
            body.pop("took_ms")
            bodies.append(body)
    return bodies


async def test_scoring_processes_answer_exactly_as_the_server_process(
    tmp_path: Path, trained_artifacts: Path
) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "pool").mkdir()
    here = await answers(tmp_path / "in", trained_artifacts, workers=0)
    pooled = await answers(tmp_path / "pool", trained_artifacts, workers=2)
    assert pooled == here
    assert any(body["hedges"] for body in here)  # the drafts exercise hedges and emoji offsets


async def test_a_process_that_dies_holding_a_draft_costs_no_request(
    trained_artifacts: Path,
) -> None:
    version = (trained_artifacts / "CURRENT").read_text().strip()
    metrics = Metrics()
    model = load_artifact(trained_artifacts, version).model
    pool = ScoringPool(1, trained_artifacts, None, metrics)
    (first,) = await pool.start((version, model))
    long_draft = "I think the parcel should arrive Friday, hopefully. " * 380  # ~20,000 characters
    try:
        task = asyncio.create_task(pool.score(model, version, long_draft))
        while not any(p.waiting for p in pool._processes):
            await asyncio.sleep(0.001)
        os.kill(first, signal.SIGKILL)
        scored = await task
        assert scored.body == score_for_api(model, long_draft).body
        fallbacks = metrics.registry.get_sample_value(
            "tonecheck_scoring_fallbacks_total", {"reason": "process_died"}
        )
        assert fallbacks == 1.0
        for _ in range(600):  # a replacement starts and takes the next draft
            if pool.pids() and pool.pids() != [first] and pool._idle:
                break
            await asyncio.sleep(0.05)
        (second,) = pool.pids()
        assert second != first
        again = await pool.score(model, version, "Your refund went out today.")
        assert again.body == score_for_api(model, "Your refund went out today.").body
        assert (
            metrics.registry.get_sample_value(
                "tonecheck_scoring_fallbacks_total", {"reason": "process_died"}
            )
            == 1.0
        )
    finally:
        await pool.shutdown()
    assert pool.pids() == []


async def test_drafts_wait_their_turn_and_the_wait_is_measured(trained_artifacts: Path) -> None:
    version = (trained_artifacts / "CURRENT").read_text().strip()
    metrics = Metrics()
    model = load_artifact(trained_artifacts, version).model
    pool = ScoringPool(1, trained_artifacts, None, metrics)
    await pool.start((version, model))
    drafts = [f"Draft {i}: I think it should arrive Friday, hopefully. " * 300 for i in range(4)]
    waiting = metrics.registry.get_sample_value
    try:
        tasks = [asyncio.create_task(pool.score(model, version, d)) for d in drafts]
        await asyncio.sleep(0)  # each task has taken the process or joined the queue
        assert waiting("tonecheck_scoring_waiting") == 3
        finished: list[int] = []
        for index, task in enumerate(tasks):
            task.add_done_callback(lambda _, i=index: finished.append(i))
        results = await asyncio.gather(*tasks)
    finally:
        await pool.shutdown()
    assert finished == [0, 1, 2, 3]  # first come, first served
    assert [r.body for r in results] == [score_for_api(model, d).body for d in drafts]
    assert waiting("tonecheck_scoring_waiting") == 0


async def test_scoring_processes_use_the_team_lexicon_for_every_version(
    tmp_path: Path, trained_artifacts: Path
) -> None:
    team = tmp_path / "team.yaml"
    team.write_text("add:\n  - phrase: circle back\n    category: deference\n")
    artifacts = tmp_path / "artifacts"
    shutil.copytree(trained_artifacts, artifacts)
    version = (artifacts / "CURRENT").read_text().strip()
    shutil.copytree(artifacts / version, artifacts / "promoted")
    draft = "I'll circle back with you tomorrow once I hear from the courier."
    async with running_app(tmp_path, artifacts, workers=2, lexicon_file=team) as run:
        response = await run.client.post("/v1/check", json={"text": draft}, headers=run.agent)
        assert [h["text"] for h in response.json()["hedges"]] == ["circle back"]
    # A version the processes load themselves (as after a swap) gets the team lexicon too.
    metrics = Metrics()
    model = adopt_lexicon(load_artifact(artifacts, version).model, load_lexicon(team))
    pool = ScoringPool(1, artifacts, team, metrics)
    await pool.start((version, model))
    try:
        await pool.warm("promoted")
        scored = await pool.score(model, "promoted", draft)
    finally:
        await pool.shutdown()
    assert scored.hedges == [("circle back", "deference")]
