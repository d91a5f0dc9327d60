"""Counts that show whether a labeled set is balanced as LABELING.md asks."""

from __future__ import annotations

import itertools
import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from tonecheck.model.records import Record
from tonecheck.model.types import HEDGE_CATEGORIES, PRINCIPLES

SOCIAL_SHORT_CHARS = 280


def _rates(records: Sequence[Record]) -> dict[str, float]:
    return {
        p: round(sum(r.labels[p] for r in records) / len(records), 3) if records else 0.0
        for p in PRINCIPLES
    }


def corpus_stats(
    records: Sequence[Record], parts: Mapping[str, Sequence[Record]] | None = None
) -> dict[str, Any]:
    """The figures of `data stats`; `parts` (a name for each file read) adds their label rates."""
    total = len(records)
    by_channel: dict[str, list[Record]] = {}
    for record in records:
        by_channel.setdefault(record.channel, []).append(record)
    combos = Counter("".join(str(r.labels[p]) for p in PRINCIPLES) for r in records)
    categories = Counter(h.category for r in records for h in r.hedges)
    tags = Counter(t for r in records for t in r.tags)
    words = [len(r.text.split()) for r in records] or [0]
    return {
        "records": total,
        "split": dict(Counter(r.split for r in records)),
        "channels": dict(sorted(Counter(r.channel for r in records).items())),
        "domains": dict(sorted(Counter(r.domain for r in records).items())),
        "positive_share": {
            p: round(sum(r.labels[p] for r in records) / total, 3) if total else 0.0
            for p in PRINCIPLES
        },
        "positive_share_by_channel": {c: _rates(rs) for c, rs in sorted(by_channel.items())},
        "positive_share_by_part": {name: _rates(rs) for name, rs in (parts or {}).items()},
        "label_combinations": {
            "".join(map(str, c)): combos.get("".join(map(str, c)), 0)
            for c in itertools.product((0, 1), repeat=len(PRINCIPLES))
        },
        "records_with_hedge": sum(bool(r.hedges) for r in records),
        "hedge_spans": sum(categories.values()),
        "hedge_categories": {c: categories.get(c, 0) for c in HEDGE_CATEGORIES},
        "hard_cases": tags.get("hard", 0),
        "tags": dict(tags.most_common()),
        "social_under_280": sum(
            r.channel == "social" and len(r.text) < SOCIAL_SHORT_CHARS for r in records
        ),
        "words_per_reply": {
            "min": min(words),
            "median": statistics.median(words),
            "max": max(words),
        },
    }


def format_stats_table(stats: dict[str, Any]) -> str:
    total = stats["records"] or 1
    rows: list[tuple[str, str]] = [
        ("records", str(stats["records"])),
        ("split", ", ".join(f"{k} {v}" for k, v in sorted(stats["split"].items()))),
        ("channels", ", ".join(f"{k} {v}" for k, v in stats["channels"].items())),
        (
            "domains",
            f"{len(stats['domains'])}: "
            + ", ".join(f"{k} {v}" for k, v in stats["domains"].items()),
        ),
    ]
    rows += [(f"{p} positive", f"{share:.1%}") for p, share in stats["positive_share"].items()]
    groups = [("channel", stats["positive_share_by_channel"])]
    if len(stats["positive_share_by_part"]) > 1:
        groups.append(("part", stats["positive_share_by_part"]))
    for kind, shares in groups:
        rows.append((f"positive by {kind} (k i e s)", ""))
        rows += [
            (f"  {name}", " ".join(f"{rate:.1%}" for rate in rates.values()))
            for name, rates in shares.items()
        ]
    combos = stats["label_combinations"]
    rows.append(
        ("label combinations (k i e s)", f"min {min(combos.values())}, max {max(combos.values())}")
    )
    rows += [(f"  {key}", str(count)) for key, count in combos.items()]
    with_hedge = stats["records_with_hedge"]
    rows.append(("records with a hedge", f"{with_hedge} ({with_hedge / total:.1%})"))
    rows.append(("hedge spans", str(stats["hedge_spans"])))
    rows += [(f"  {c}", str(n)) for c, n in stats["hedge_categories"].items()]
    rows.append(("hard cases", str(stats["hard_cases"])))
    hard_kinds = {k: v for k, v in stats["tags"].items() if k != "hard"}
    rows += [(f"  tag {k}", str(v)) for k, v in hard_kinds.items()]
    rows.append(("social replies under 280 chars", str(stats["social_under_280"])))
    w = stats["words_per_reply"]
    rows.append(("words per reply", f"min {w['min']}, median {w['median']}, max {w['max']}"))
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name.ljust(width)}  {value}" for name, value in rows)
