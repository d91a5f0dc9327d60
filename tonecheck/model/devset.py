"""The real-reply dev set: our labels of real brand replies, joined to texts read at run time.

`data/eval/` stores only each reply's `dialog_id`, `turn_index`, labeler, the four
labels and the hedge offsets with their categories: the texts are third-party and
may not ship. They are read from `../shared/external/tweetsumm/agent_turns.jsonl`
when the dev set is used; where that file is absent (a user's clone), loading
raises `DevSetUnavailable` with a one-line reason.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from sklearn.metrics import cohen_kappa_score, f1_score

from tonecheck.model.records import GoldHedge, Record
from tonecheck.model.types import HEDGE_CATEGORIES, PRINCIPLES

DEV_LABELS: Final = Path("data/eval/tweetsumm_dev.jsonl")
SECOND_LABELS: Final = Path("data/eval/tweetsumm_dev_second.jsonl")
TURNS: Final = Path("../shared/external/tweetsumm/agent_turns.jsonl")


class DevSetUnavailable(Exception):
    """The real texts the dev set's labels point at are not on this machine."""


@dataclass(frozen=True)
class RealReply:
    """One labeled real reply: the record the model is judged on, and who labeled it."""

    record: Record
    dialog_id: str
    labeler: str
    customer_message: str


def _key(dialog_id: str, turn_index: int) -> str:
    return f"{dialog_id}:{turn_index}"


def read_turns(path: Path = TURNS) -> dict[str, dict[str, object]]:
    """The real agent turns by `dialog_id:turn_index`."""
    if not path.is_file():
        raise DevSetUnavailable(f"{path} is not here: the dev set's texts are read from it")
    turns: dict[str, dict[str, object]] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            turn = json.loads(line)
            turns[_key(turn["dialog_id"], int(turn["turn_index"]))] = turn
    return turns


def load_labels(labels: Path, turns: dict[str, dict[str, object]]) -> list[RealReply]:
    """Every labeled reply of `labels`, in file order, as a record with its real text.

    A label whose reply is missing, or whose hedge offsets fall outside the text,
    is an error naming its line: labels that point nowhere are never skipped.
    """
    replies: list[RealReply] = []
    with labels.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            item = json.loads(line)
            key = _key(item["dialog_id"], int(item["turn_index"]))
            turn = turns.get(key)
            if turn is None:
                raise ValueError(f"{labels}: line {number}: no real reply {key}")
            text = str(turn["text"])
            hedges = []
            for hedge in item["hedges"]:
                start, end, category = int(hedge["start"]), int(hedge["end"]), hedge["category"]
                if not 0 <= start < end <= len(text) or category not in HEDGE_CATEGORIES:
                    raise ValueError(f"{labels}: line {number}: bad hedge {hedge!r}")
                hedges.append(GoldHedge(start, end, text[start:end], category))
            record = Record(
                id=key,
                text=text,
                channel="social",
                domain=str(turn.get("brand_handle", "")),
                labels={p: int(item["labels"][p]) for p in PRINCIPLES},
                hedges=tuple(hedges),
                line=number,
            )
            replies.append(
                RealReply(
                    record,
                    item["dialog_id"],
                    item["labeler"],
                    str(turn.get("previous_customer_text", "")),
                )
            )
    return replies


def load_dev_set(labels: Path = DEV_LABELS, turns_path: Path = TURNS) -> list[RealReply]:
    return load_labels(labels, read_turns(turns_path))


def cohen_kappa(first: Sequence[int], second: Sequence[int]) -> float:
    """Agreement beyond chance between two labelings of the same items (1.0 when both
    give every item the same one label, where scikit-learn's formula is undefined)."""
    if len(set(first) | set(second)) < 2:
        return 1.0
    return float(cohen_kappa_score(first, second))


def macro_f1(truth: Sequence[int], predicted: Sequence[int]) -> float:
    """The mean of both classes' F1: the figure the model is held to."""
    return float(f1_score(truth, predicted, labels=[0, 1], average="macro", zero_division=1.0))


def agreement(
    first: Iterable[RealReply], second: Iterable[RealReply]
) -> dict[str, dict[str, float]]:
    """Per principle, Cohen's kappa and macro F1 between two labelings of the same replies."""
    by_key = {r.record.id: r for r in first}
    pairs = [(by_key[r.record.id], r) for r in second if r.record.id in by_key]
    figures: dict[str, dict[str, float]] = {}
    for principle in PRINCIPLES:
        a = [p.record.labels[principle] for p, _ in pairs]
        b = [s.record.labels[principle] for _, s in pairs]
        figures[principle] = {
            "replies": len(pairs),
            "kappa": round(cohen_kappa(a, b), 3),
            "macro_f1": round(macro_f1(a, b), 3),
        }
    return figures
