"""The real `tonecheck serve` on uvicorn, on 127.0.0.1: start, check, live model swap, SIGTERM."""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.support.server_process import free_port, serve_command

pytestmark = pytest.mark.slow
TONECHECK = [sys.executable, "-m", "tonecheck"]


@dataclass
class Served:
    process: subprocess.Popen[str]
    url: str
    token: str
    db: Path
    artifacts: Path
    log: Path


@pytest.fixture
def served(trained_artifacts: Path, tmp_path: Path) -> Iterator[Served]:
    artifacts = tmp_path / "artifacts"
    shutil.copytree(trained_artifacts, artifacts)
    db, log, port = tmp_path / "tonecheck.db", tmp_path / "serve.log", free_port()
    command = serve_command(TONECHECK, port, db, artifacts, "--workers", "2")
    with log.open("w") as out:
        # A session of its own, so a test can signal the whole group, as systemd does.
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, text=True, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/v1/health", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail(f"server did not start:\n{log.read_text()}")
    output = log.read_text()
    assert f"tonecheck serving on {url}" in output
    token_file = db.parent / "tonecheck-lead-token.txt"
    assert f"it is in {token_file}" in output and "tc_" not in output  # never in the log
    assert token_file.stat().st_mode & 0o777 == 0o600
    token = token_file.read_text().strip()
    yield Served(process, url, token, db, artifacts, log)
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def health(run: Served) -> dict[str, object]:
    body: dict[str, object] = httpx.get(f"{run.url}/v1/health", timeout=5).json()
    return body


def wait_for(condition: object, run: Served, seconds: float = 10) -> dict[str, object]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body = health(run)
        if callable(condition) and condition(body):
            return body
        time.sleep(0.2)
    pytest.fail(f"health never matched; last {health(run)}")


def test_check_then_live_model_swap_and_refusal(served: Served) -> None:
    auth = {"Authorization": f"Bearer {served.token}"}
    first = httpx.post(
        f"{served.url}/v1/check", json={"text": "I think it should work."}, headers=auth
    )
    assert first.status_code == 200
    original = first.json()["model_version"]

    shutil.copytree(served.artifacts / original, served.artifacts / "swapped")
    promoted = subprocess.run(
        [*TONECHECK, "promote", "swapped", "--force", "--artifacts", str(served.artifacts)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert promoted.returncode == 0, promoted.stderr
    wait_for(lambda body: body["model_version"] == "swapped", served)
    # Both scoring processes load the new version right after the swap, not on a draft.
    deadline = time.monotonic() + 10
    while "2 scoring processes loaded model swapped" not in served.log.read_text():
        assert time.monotonic() < deadline, served.log.read_text()
        time.sleep(0.1)
    after = httpx.post(
        f"{served.url}/v1/check", json={"text": "I think it should work."}, headers=auth
    )
    assert after.json()["model_version"] == "swapped"
    assert after.json()["scores"] == first.json()["scores"]

    shutil.copytree(served.artifacts / original, served.artifacts / "tampered")
    model_file = served.artifacts / "tampered" / "model.joblib"
    model_file.write_bytes(model_file.read_bytes()[:-10])
    (served.artifacts / "CURRENT").write_text("tampered\n")
    refused = wait_for(lambda body: body["model_error"] is not None, served)
    assert refused["model_version"] == "swapped" and refused["status"] == "degraded"
    assert "refused model tampered" in str(refused["model_error"]) and "SHA-256" in str(
        refused["model_error"]
    )
    still = httpx.post(f"{served.url}/v1/check", json={"text": "Done."}, headers=auth)
    assert still.status_code == 200 and still.json()["model_version"] == "swapped"
    metrics = httpx.get(f"{served.url}/metrics").text
    assert 'tonecheck_model_reloads_total{result="swapped"} 1.0' in metrics
    assert 'tonecheck_model_reloads_total{result="refused"} 1.0' in metrics

    # Pointing CURRENT back at the served version clears the refused version's error.
    (served.artifacts / "CURRENT").write_text("swapped\n")
    cleared = wait_for(lambda body: body["model_error"] is None, served)
    assert cleared["status"] == "ok" and cleared["model_version"] == "swapped"
    # A CURRENT the server cannot read keeps the old model serving and says why.
    (served.artifacts / "CURRENT").write_bytes(b"\xff\xfe not utf-8\n")
    unreadable = wait_for(lambda body: body["model_error"] is not None, served)
    assert "cannot be read" in str(unreadable["model_error"]) and unreadable["status"] == "degraded"
    again = httpx.post(f"{served.url}/v1/check", json={"text": "Done."}, headers=auth)
    assert again.status_code == 200 and again.json()["model_version"] == "swapped"
    (served.artifacts / "CURRENT").write_text("swapped\n")
    assert wait_for(lambda body: body["model_error"] is None, served)["status"] == "ok"


def test_sigterm_finishes_in_flight_requests_and_keeps_every_acknowledged_record(
    served: Served,
) -> None:
    auth = {"Authorization": f"Bearer {served.token}"}
    text = "Hi Sam, I've reissued the invoice; hopefully it arrives today. " * 20

    def send(index: int) -> int:
        try:
            response = httpx.post(
                f"{served.url}/v1/check",
                json={"text": text, "draft_id": f"d{index}"},
                headers=auth,
                timeout=30,
            )
        except httpx.TransportError:
            return 0
        return response.status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = [pool.submit(send, i) for i in range(40)]
        time.sleep(0.3)
        # Every process of the server gets SIGTERM, scoring processes too; drafts they
        # hold are still answered, because they leave only when the server closes their pipe.
        os.killpg(served.process.pid, signal.SIGTERM)
        statuses = [f.result() for f in futures]
    # uvicorn shuts down gracefully, then re-raises the signal so the exit status reports it.
    assert served.process.wait(timeout=30) in (0, -signal.SIGTERM)
    acknowledged = sum(status == 200 for status in statuses)
    assert acknowledged > 0
    assert all(status in (0, 200) for status in statuses), statuses
    with sqlite3.connect(served.db) as connection:
        stored = connection.execute("select count(*) from checks").fetchone()[0]
    assert stored == acknowledged
    assert (
        "Shutting down" in served.log.read_text()
        or "Finished server process" in served.log.read_text()
    )


def test_a_killed_scoring_process_is_replaced_and_checks_go_on(served: Served) -> None:
    auth = {"Authorization": f"Bearer {served.token}"}
    assert health(served)["scoring_processes"] == 2
    started = re.search(r"2 scoring processes: (\d+), (\d+)", served.log.read_text())
    assert started, served.log.read_text()
    os.kill(int(started.group(1)), signal.SIGKILL)
    statuses = [
        httpx.post(
            f"{served.url}/v1/check", json={"text": f"I think it ships day {i}."}, headers=auth
        ).status_code
        for i in range(20)
    ]
    assert statuses == [200] * 20
    wait_for(lambda body: body["scoring_processes"] == 2, served)
    assert f"scoring process {started.group(1)} ended" in served.log.read_text()
    with sqlite3.connect(served.db) as connection:
        assert connection.execute("select count(*) from checks").fetchone() == (20,)


def test_long_answers_reach_the_server_whole(served: Served) -> None:
    """Answers for 20,000-character drafts come back in pieces over the process's socket;
    the server must wait for the rest, not take a partial read for a dead process."""
    auth = {"Authorization": f"Bearer {served.token}"}
    draft = "Sorry about that! I think the refund should arrive Friday, hopefully. 👍 " * 270
    draft = draft[:20_000]

    def send(index: int) -> int:
        response = httpx.post(
            f"{served.url}/v1/check",
            json={"text": draft, "draft_id": f"long-{index}"},
            headers=auth,
            timeout=30,
        )
        assert len(response.json()["hedges"]) > 100
        return response.status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(send, range(12))) == [200] * 12
    assert "tonecheck_scoring_fallbacks_total{" not in httpx.get(f"{served.url}/metrics").text
    assert "ended" not in served.log.read_text()


def test_a_taken_port_is_one_clear_line_before_anything_else(tmp_path: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [
                *TONECHECK,
                "serve",
                "--port",
                str(port),
                "--db",
                str(tmp_path / "t.db"),
                "--artifacts",
                str(tmp_path / "none"),
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr and "--port" in done.stderr
    assert "serving on" not in done.stdout and "training" not in done.stdout
