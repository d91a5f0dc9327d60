"""The labeled record of LABELING.md, the problems found in a file of them, and the split.

Reading and validating a file is `model.data_check`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Final

TEST_SHARE_PERCENT: Final = 20


class DataError(Exception):
    """Labeled data that cannot be used; the message lists every problem."""


@dataclass(frozen=True)
class Problem:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "file"
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


@dataclass(frozen=True)
class GoldHedge:
    start: int
    end: int
    text: str
    category: str


@dataclass(frozen=True)
class Record:
    id: str
    text: str
    channel: str
    domain: str
    labels: dict[str, int]
    hedges: tuple[GoldHedge, ...]
    customer_message: str | None = None
    tags: tuple[str, ...] = ()
    line: int = 0

    @property
    def split(self) -> str:
        return split_of(self.id)


@dataclass
class CheckResult:
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def split_of(record_id: str) -> str:
    """'test' for a fixed 20 % of ids, 'train' for the rest; a pure function of the id."""
    bucket = int.from_bytes(hashlib.sha256(record_id.encode("utf-8")).digest()[:4], "big") % 100
    return "test" if bucket < TEST_SHARE_PERCENT else "train"
