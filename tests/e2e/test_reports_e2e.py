"""The report pages in Debian's Chromium: the live overview behind the lead sign-in and a
batch report opened from disk. Each saves the screenshot the README shows."""

from __future__ import annotations

import csv
import json
import random
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

from tests.support.harness import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    REPO,
    free_port,
    tonecheck_command,
    trained_model,
)
from tests.support.report_fixture import store_checks
from tests.support.server_process import ServerProcess

pytestmark = pytest.mark.e2e

DOCS = REPO / "docs"
ARGS = CHROMIUM_FLAGS
PHRASES = [
    ("I hope this helps", "hope"),
    ("should be able to", "soft_outcome"),
    ("I think", "epistemic"),
    ("try to", "attempt"),
    ("might", "possibility"),
    ("if that's okay", "deference"),
    ("hopefully", "hope"),
]
AGENTS = [
    ("ana", "billing"),
    ("bo", "billing"),
    ("cy", "billing"),
    ("dee", "tech"),
    ("eli", "tech"),
]


def team_checks(seed: int = 7) -> list[tuple[Any, ...]]:
    """Eight weeks of checks whose scores rise and whose drafts improve between checks."""
    chooser = random.Random(seed)
    start = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    rows: list[tuple[Any, ...]] = []
    for draft in range(160):
        agent, team = AGENTS[draft % len(AGENTS)]
        week = draft // 20
        base = 35 + 4 * week + chooser.randint(-12, 12)
        for attempt in range(chooser.choice((1, 1, 2, 2, 3, 4))):
            when = start + timedelta(days=7 * week + draft % 5, minutes=10 * attempt)
            scores = [
                max(0, min(100, base + 8 * attempt + chooser.randint(-15, 15))) for _ in range(4)
            ]
            hedges = chooser.sample(PHRASES, k=max(0, 3 - attempt - chooser.randint(0, 1)))
            rows.append((when, agent, team, f"d{draft}", *scores, round(sum(scores) / 4), hedges))
    return rows


def wait_until_serving(url: str) -> None:
    """`tonecheck serve` says where it serves just before uvicorn binds the port."""
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{url}/v1/health", timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


def watch_console(page: Page) -> list[str]:
    problems: list[str] = []

    def seen(message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            problems.append(message.text)

    page.on("console", seen)
    return problems


def assert_styled_and_charted(page: Page) -> None:
    # The stylesheet ran (its CSP hash matched): sections have their border, SVGs their size.
    border = page.evaluate(
        "getComputedStyle(document.querySelector('section.figure')).borderTopStyle"
    )
    assert border == "solid"
    assert page.locator("svg.chart").count() >= 6
    assert (
        page.locator("svg.chart[role=img][aria-label]").count() == page.locator("svg.chart").count()
    )
    assert page.locator("section.figure table").count() >= 8
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('main')).maxWidth") == "none"
    page.emulate_media(media="screen")


def test_live_overview_behind_the_lead_sign_in(browser: Browser, tmp_path: Path) -> None:
    db = tmp_path / "tonecheck.db"
    store_checks(db, team_checks())
    server = ServerProcess.start(
        tonecheck=tonecheck_command(),
        db=db,
        artifacts=trained_model(),
        origin="http://127.0.0.1",
        port=free_port(),
        cwd=REPO,
    )
    try:
        wait_until_serving(server.url)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        problems = watch_console(page)
        page.goto(f"{server.url}/reports")
        assert page.url.startswith(f"{server.url}/reports/login")
        page.fill("#token", server.agent_token)
        page.click("button[type=submit]")
        assert "reports need a lead token" in page.inner_text("main")
        problems.clear()  # the browser logs the 403 it was just shown
        page.fill("#token", server.lead_token)
        page.click("button[type=submit]")
        page.wait_for_url(f"{server.url}/reports")
        assert "signed in as e2e-lead" in page.inner_text("header")
        cookie = next(c for c in context.cookies() if c["name"] == "tonecheck_session")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        assert_styled_and_charted(page)
        page.screenshot(path=str(DOCS / "report-live.png"), full_page=True)
        page.click("#agents a >> text=dee")
        page.wait_for_url("**/reports/agent/dee")
        assert "Beside the team (tech)" in page.inner_text("main")
        summary = json.loads(context.request.get(f"{server.url}/v1/reports/summary").text())
        assert summary["checks"] == len(team_checks())
        assert summary["improvement"]["change"]["overall"] > 0
        assert problems == []
        context.close()
    finally:
        server.stop()


def test_batch_report_opened_from_disk(browser: Browser, tmp_path: Path) -> None:
    lines = (REPO / "data" / "replies.jsonl").read_text("utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    chooser = random.Random(3)
    source = tmp_path / "export.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Ticket ID", "Body", "Assignee", "Group", "Created At"])
        for index, record in enumerate(chooser.sample(records, 400)):
            agent, team = AGENTS[index % len(AGENTS)]
            day = datetime(2026, 2, 2) + timedelta(days=index % 42)
            writer.writerow([index // 2, record["text"], agent, team, day.isoformat()])
        writer.writerow([999, "   ", "ana", "billing", "2026-03-01"])
    report = tmp_path / "report.html"
    done = subprocess.run(
        [
            tonecheck_command(),
            "report",
            *("--input", str(source), "--out", str(report), "--jobs", "2"),
            *("--artifacts", str(trained_model()), "--title", "Support team, February 2026"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "row 402 (id 401): text is empty or only whitespace" in done.stderr
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems = watch_console(page)
    page.goto(report.as_uri())
    assert "text is empty" in page.inner_text("#problems")
    assert_styled_and_charted(page)
    page.screenshot(path=str(DOCS / "report-batch.png"), full_page=True)
    assert problems == []
    page.close()
