"""Fixtures for the end-to-end tests: the real tonecheck server, the editor pages, and
Debian's Chromium with the built extension loaded."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Playwright, Worker, sync_playwright

from tests.e2e.editor_page import EditorPage
from tests.e2e.server_process import ServerProcess

REPO = Path(__file__).resolve().parents[2]
EXTENSION_SRC = REPO / "extension"
EXTENSION_DIR = EXTENSION_SRC / "dist" / "chrome"
SITE_DIR = Path(__file__).resolve().parent / "editors" / "site"
ARTIFACTS = REPO / "tests" / "artifacts"
MODEL_CACHE = REPO / "build" / "e2e-model"
CHROMIUM = Path("/usr/bin/chromium")


def extension_id(manifest_path: Path) -> str:
    """Chrome's ID for an extension with a fixed public key: SHA-256 of the key, in a-p."""
    key = json.loads(manifest_path.read_text("utf-8"))["key"]
    digest = hashlib.sha256(base64.b64decode(key)).hexdigest()[:32]
    return "".join(chr(ord("a") + int(c, 16)) for c in digest)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _require_built() -> None:
    missing = [
        str(path)
        for path in (CHROMIUM, EXTENSION_DIR / "manifest.json", SITE_DIR / "quill.js")
        if not path.exists()
    ]
    if missing:
        pytest.fail(f"missing {', '.join(missing)}: run `make e2e-deps` first", pytrace=False)


def _model_inputs_hash() -> str:
    """What a trained model depends on, so a model cached by an earlier run is reused only
    when the data and the model code are unchanged."""
    digest = hashlib.sha256()
    for path in sorted([REPO / "data" / "replies.jsonl", *(REPO / "model").glob("*.py")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    digest.update((REPO / "model" / "lexicon.yaml").read_bytes())
    return digest.hexdigest()[:16]


def _tonecheck() -> str:
    return str(Path(sys.executable).with_name("tonecheck"))


@pytest.fixture(scope="session")
def trained_artifacts() -> Path:
    """A trained model: trained once (about a minute) and reused while its inputs are the same."""
    target = MODEL_CACHE / _model_inputs_hash()
    if (target / "CURRENT").exists():
        return target
    shutil.rmtree(MODEL_CACHE, ignore_errors=True)
    scratch = MODEL_CACHE / f"training-{os.getpid()}"
    subprocess.run(
        [_tonecheck(), "train", "--artifacts", str(scratch)],
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    )
    scratch.rename(target)
    return target


@pytest.fixture(scope="session")
def server(
    tmp_path_factory: pytest.TempPathFactory, trained_artifacts: Path
) -> Iterator[ServerProcess]:
    db = tmp_path_factory.mktemp("server") / "tonecheck.db"
    process = ServerProcess.start(
        tonecheck=_tonecheck(),
        db=db,
        artifacts=trained_artifacts,
        origin=f"chrome-extension://{extension_id(EXTENSION_DIR / 'manifest.json')}",
        port=free_port(),
        cwd=REPO,
    )
    yield process
    process.stop()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def site_url() -> Iterator[str]:
    """The editor pages built by tests/e2e/editors, served on loopback."""
    _require_built()
    handler = partial(_QuietHandler, directory=str(SITE_DIR))
    httpd = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(
    playwright_driver: Playwright, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[BrowserContext, Worker]]:
    """Chromium with the extension, one for the session; each test resets its storage."""
    _require_built()
    profile = tmp_path_factory.mktemp("chromium-profile")
    context = playwright_driver.chromium.launch_persistent_context(
        str(profile),
        executable_path=str(CHROMIUM),
        headless=False,  # the new headless mode, which loads extensions, is asked for below
        viewport={"width": 1100, "height": 760},
        args=[
            "--headless=new",
            f"--disable-extensions-except={EXTENSION_DIR}",
            f"--load-extension={EXTENSION_DIR}",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    )
    worker = next(
        (w for w in context.service_workers if w.url.startswith("chrome-extension://")), None
    ) or context.wait_for_event("serviceworker", timeout=10_000)
    assert worker.url.split("/")[2] == extension_id(EXTENSION_DIR / "manifest.json")
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
