"""`make extension-package`: unsigned packages a team lead can sign and roll out."""

from __future__ import annotations

import json
import subprocess
import zipfile

import pytest

from tests.support.paths import REPO

DIST = REPO / "extension" / "dist"


@pytest.mark.skipif(
    not (DIST / "chrome" / "manifest.json").is_file(), reason="the extension is not built"
)
def test_packages_hold_the_built_extension_with_the_manifest_at_their_root() -> None:
    done = subprocess.run(
        ["make", "--no-print-directory", "extension-package"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for name, browser in (("tonecheck-chrome.zip", "chrome"), ("tonecheck-firefox.xpi", "firefox")):
        with zipfile.ZipFile(DIST / name) as package:
            names = set(package.namelist())
            manifest = json.loads(package.read("manifest.json"))
        built = {
            p.relative_to(DIST / browser).as_posix()
            for p in (DIST / browser).rglob("*")
            if p.is_file()
        }
        assert built <= names and "content.js" in names and "pages/options.html" in names
        if browser == "chrome":
            assert manifest["background"] == {"service_worker": "background.js"}
        else:
            assert manifest["background"] == {"scripts": ["background.js"]}
            assert manifest["browser_specific_settings"]["gecko"]["id"]
