"""The server's settings and the defaults the command line shares with it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

DEFAULT_DB: Final = "tonecheck.db"
DEFAULT_ARTIFACTS: Final = Path("model/artifacts")
# The default model learns from both corpora: the first, balanced one and the one in the
# register of real replies (data/README.md).
DEFAULT_DATA: Final = (Path("data/replies.jsonl"), Path("data/register.jsonl"))
DEFAULT_HOST: Final = "127.0.0.1"
DEFAULT_PORT: Final = 8765
DEFAULT_RATE_LIMIT: Final = 10.0


@dataclass(frozen=True)
class Settings:
    """What `tonecheck serve` was started with; the app reads nothing else."""

    db: str = DEFAULT_DB
    artifacts: Path = DEFAULT_ARTIFACTS
    allow_origins: tuple[str, ...] = ()
    rate_limit: float = DEFAULT_RATE_LIMIT
    store_text: bool = False
    lexicon_file: Path | None = None
    session_secret: str | None = None
    workers: int = 0
