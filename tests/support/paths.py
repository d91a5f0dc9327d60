"""Where things are, for tests and benchmarks alike."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
EXTERNAL = SHARED / "external"
