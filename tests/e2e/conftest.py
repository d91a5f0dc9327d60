"""Fixtures for the end-to-end tests (the shared machinery is in harness.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import BrowserContext, Playwright, Worker, sync_playwright

from tests.e2e.editor_page import EditorPage
from tests.support.harness import ARTIFACTS, chromium_with_extension, serve_site, start_server
from tests.support.server_process import ServerProcess


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    process = start_server(tmp_path_factory.mktemp("server") / "tonecheck.db")
    yield process
    process.stop()


@pytest.fixture(scope="session")
def site_url() -> Iterator[str]:
    httpd, url = serve_site()
    yield url
    httpd.shutdown()
    httpd.server_close()


# Module-scoped, so each test module may drive its own Playwright (only one sync driver may
# run at a time).
@pytest.fixture(scope="module")
def playwright_driver() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(
    playwright_driver: Playwright, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[BrowserContext, Worker]]:
    """Chromium with the extension, one per module; each test resets its storage."""
    context, worker = chromium_with_extension(
        playwright_driver, tmp_path_factory.mktemp("chromium-profile")
    )
    yield context, worker
    context.close()


@pytest.fixture
def extension(browser: tuple[BrowserContext, Worker], server: ServerProcess) -> Worker:
    """The extension's worker, set up for this test: the live server, an agent token,
    tonecheck switched on for 127.0.0.1 (through the same per-site switch as the popup)."""
    context, worker = browser
    for page in context.pages[1:]:
        page.close()
    worker.evaluate(
        """async (settings) => {
            await chrome.storage.local.clear();
            await chrome.storage.session.clear();
            await chrome.storage.local.set(settings);
        }""",
        {
            "serverUrl": server.url,
            "token": server.agent_token,
            "debounceMs": 400,
            "sites": {"127.0.0.1": True},
        },
    )
    return worker


@pytest.fixture
def editor_page(
    request: pytest.FixtureRequest,
    browser: tuple[BrowserContext, Worker],
    extension: Worker,
    site_url: str,
) -> Iterator[EditorPage]:
    """An editor page (the test parametrizes which, indirectly); it must log no errors."""
    context, _ = browser
    page = context.new_page()
    opened = EditorPage.open(page, site_url, request.param)
    yield opened
    problems = list(opened.problems)
    page.close()
    assert problems == [], f"the {request.param} page logged errors"


@pytest.fixture(scope="session", autouse=True)
def _artifacts_dir() -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
