"""Reply types that mark the register of real support replies, and the table that compares
a labeled corpus with real replies type by type.

A reply can be of several types at once (a short reply with an @handle, a link
and initials). The types are what a reader notices at a glance; the data card's
gap table is written against them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Final

from tonecheck.model.records import Record
from tonecheck.model.types import PRINCIPLES

SHORT_CHARS: Final = 100

REPLY_TYPES: Final[Mapping[str, re.Pattern[str]]] = {
    "link": re.compile(r"https?://|\bwww\.", re.IGNORECASE),
    "dm_move": re.compile(
        r"\bDMs?\b|\bDM[’']?(?:d|ing)\b|direct messag|private messag|\bPM\b"
        r"|send us a (?:message|note)",
        re.IGNORECASE,
    ),
    "question": re.compile(r"\?"),
    "closing_or_thanks": re.compile(
        r"\b(?:thanks|thank you|thx|cheers|have a (?:great|good|nice|lovely|wonderful)"
        r"|take care|you[’']?re welcome|glad (?:to|we|i)|enjoy)\b",
        re.IGNORECASE,
    ),
    "apology": re.compile(r"\b(?:sorry|apologi[sz]e|apologies)\b", re.IGNORECASE),
    # "1/2" closing a tweet (perhaps before initials) or opening one after the handles;
    # a date like 3/4 inside a sentence is not a part number
    "multi_part": re.compile(
        r"(?<![\w/])\(?[1-9]/[1-9]\)?(?=\s*(?:[\^~*-]\s?\w{1,12})?\s*\Z)"
        r"|\A\s*(?:@\w+\s+)*\(?[1-9]/[1-9]\)?\s"
    ),
    "signature": re.compile(
        r"(?:[\^~]\s?[A-Z][A-Za-z]{0,3}|[-–—*]\s?[A-Z][a-z]+|[-–—]\s?[A-Z]{1,3})\s*$"
        r"|\n(?:Best|Regards|Kind regards|Thanks|Cheers|Warm regards|Sincerely),?\s*\n",
        re.MULTILINE,
    ),
    "handle": re.compile(r"(?<!\w)@\w+"),
    "emoji": re.compile("[\U0001f300-\U0001faff\u2600-\u27bf\U0001f000-\U0001f2ff]|[:;]-?[)(DP]"),
}
TYPE_NAMES: Final = (*REPLY_TYPES, "short")


def reply_types(text: str) -> tuple[str, ...]:
    """The types of `text`, in `TYPE_NAMES` order."""
    found = [name for name, pattern in REPLY_TYPES.items() if pattern.search(text)]
    if len(text) < SHORT_CHARS:
        found.append("short")
    return tuple(found)


def type_table(records: Sequence[Record]) -> dict[str, dict[str, float | int]]:
    """Per reply type: how many replies, their share, and the rate of each label among them."""
    table: dict[str, dict[str, float | int]] = {}
    typed = [(r, set(reply_types(r.text))) for r in records]
    for name in ("all", *TYPE_NAMES):
        members = [r for r, types in typed if name == "all" or name in types]
        row: dict[str, float | int] = {
            "replies": len(members),
            "share": round(len(members) / len(records), 3) if records else 0.0,
        }
        for principle in PRINCIPLES:
            positive = sum(r.labels[principle] for r in members)
            row[principle] = round(positive / len(members), 3) if members else float("nan")
        table[name] = row
    return table


def format_type_tables(tables: Mapping[str, Mapping[str, Mapping[str, float | int]]]) -> str:
    """One block per labeled set: each reply type's share and label rates, as percentages."""
    lines: list[str] = []
    for title, table in tables.items():
        lines.append(f"{title} ({table['all']['replies']} replies)")
        lines.append(
            f"  {'type':<18} {'share':>6} {'know':>6} {'intent':>6} {'empath':>6} {'stand':>6}"
        )
        for name, row in table.items():
            if not row["replies"]:
                lines.append(f"  {name:<18} {0:>5.0f}%      -      -      -      -")
                continue
            rates = " ".join(f"{100 * float(row[p]):>5.0f}%" for p in PRINCIPLES)
            lines.append(f"  {name:<18} {100 * float(row['share']):>5.0f}% {rates}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
