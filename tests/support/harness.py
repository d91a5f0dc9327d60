"""What the end-to-end tests and the extension benchmark share: the real tonecheck server,
the editor pages, and Debian's Chromium with the built extension loaded."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, Playwright, Worker

from tests.support.paths import REPO
from tests.support.server_process import ServerProcess, free_port

EXTENSION_SRC = REPO / "extension"
EXTENSION_DIR = EXTENSION_SRC / "dist" / "chrome"
SITE_DIR = REPO / "tests" / "e2e" / "editors" / "site"
ARTIFACTS = REPO / "tests" / "artifacts"
MODEL_CACHE = REPO / "build" / "e2e-model"
CHROMIUM = Path("/usr/bin/chromium")
# Headless without a screen, and no background traffic: this machine reaches no other host.
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def extension_id(manifest_path: Path) -> str:
    """Chrome's ID for an extension with a fixed public key: SHA-256 of the key, in a-p."""
    key = json.loads(manifest_path.read_text("utf-8"))["key"]
    digest = hashlib.sha256(base64.b64decode(key)).hexdigest()[:32]
    return "".join(chr(ord("a") + int(c, 16)) for c in digest)


def _require_built() -> None:
    missing = [
        str(path)
        for path in (CHROMIUM, EXTENSION_DIR / "manifest.json", SITE_DIR / "quill.js")
        if not path.exists()
    ]
    if missing:
        raise RuntimeError(f"missing {', '.join(missing)}: run `make e2e-deps` first")


def _model_inputs_hash() -> str:
    """What a trained model depends on, so a model cached by an earlier run is reused only
    when the data and the model code are unchanged."""
    digest = hashlib.sha256()
    for path in sorted(
        [*(REPO / "data").glob("*.jsonl"), *(REPO / "tonecheck" / "model").glob("*.py")]
    ):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    digest.update((REPO / "tonecheck" / "model" / "lexicon.yaml").read_bytes())
    return digest.hexdigest()[:16]


def tonecheck_command() -> str:
    return str(Path(sys.executable).with_name("tonecheck"))


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def trained_model() -> Path:
    """A trained model: trained once (about a minute) and reused while its inputs are the same."""
    target = MODEL_CACHE / _model_inputs_hash()
    if (target / "CURRENT").exists():
        return target
    shutil.rmtree(MODEL_CACHE, ignore_errors=True)
    scratch = MODEL_CACHE / f"training-{os.getpid()}"
    subprocess.run(
        [tonecheck_command(), "train", "--artifacts", str(scratch)],
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    )
    scratch.rename(target)
    return target


def chromium_with_extension(driver: Playwright, profile: Path) -> tuple[BrowserContext, Worker]:
    """Debian's Chromium with the built extension loaded, and the extension's worker."""
    _require_built()
    context = driver.chromium.launch_persistent_context(
        str(profile),
        executable_path=str(CHROMIUM),
        headless=False,  # the new headless mode, which loads extensions, is asked for below
        viewport={"width": 1100, "height": 760},
        args=[
            *CHROMIUM_FLAGS,
            f"--disable-extensions-except={EXTENSION_DIR}",
            f"--load-extension={EXTENSION_DIR}",
        ],
    )
    worker = next(
        (w for w in context.service_workers if w.url.startswith("chrome-extension://")), None
    ) or context.wait_for_event("serviceworker", timeout=10_000)
    assert worker.url.split("/")[2] == extension_id(EXTENSION_DIR / "manifest.json")
    return context, worker


def serve_site() -> tuple[ThreadingHTTPServer, str]:
    """The editor pages built by tests/e2e/editors, served on loopback."""
    _require_built()
    handler = partial(_QuietHandler, directory=str(SITE_DIR))
    httpd = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


def start_server(db: Path) -> ServerProcess:
    """The real tonecheck server on a free loopback port, allowing the extension's origin."""
    return ServerProcess.start(
        tonecheck=tonecheck_command(),
        db=db,
        artifacts=trained_model(),
        origin=f"chrome-extension://{extension_id(EXTENSION_DIR / 'manifest.json')}",
        port=free_port(),
        cwd=REPO,
    )
