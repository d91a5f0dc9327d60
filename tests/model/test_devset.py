"""The real-reply dev set: ids and labels joined to texts read at run time, the agreement
figures, and the quality floor the default model must hold on it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.paths import EXTERNAL, REPO
from tonecheck.model.devset import (
    DEV_LABELS,
    SECOND_LABELS,
    DevSetUnavailable,
    agreement,
    cohen_kappa,
    load_labels,
    macro_f1,
    read_turns,
)
from tonecheck.model.evaluate import evaluate_model
from tonecheck.model.scorer import ToneModel

TURNS_FILE = EXTERNAL / "tweetsumm" / "agent_turns.jsonl"
needs_real_texts = pytest.mark.skipif(
    not TURNS_FILE.is_file(), reason=f"{TURNS_FILE} is not here (the dev set's texts)"
)
# The floors this model holds on real replies it never trained on (see the README's
# "What it measures"); issue 11's targets are higher, and the gap is reported there.
MEAN_MACRO_F1_FLOOR = 0.62
HEDGE_F1_FLOOR = 0.75


def test_kappa_and_macro_f1_by_hand() -> None:
    first, second = [1, 1, 0, 0, 1, 0], [1, 0, 0, 0, 1, 1]
    # observed 4/6; both say 1 half the time, so chance is 1/2: (2/3 - 1/2) / (1/2) = 1/3
    assert cohen_kappa(first, second) == pytest.approx(1 / 3)
    assert cohen_kappa(first, first) == 1.0
    # class 1: tp 2, errors 2 -> 4/6; class 0: tp 2, errors 2 -> 4/6
    assert macro_f1(first, second) == pytest.approx(2 / 3)


def test_labels_that_point_nowhere_are_an_error(tmp_path: Path) -> None:
    turns = {
        "d1:2": {
            "dialog_id": "d1",
            "turn_index": 2,
            "text": "@x Sorry, try this.",
            "brand_handle": "B",
        }
    }
    labels = tmp_path / "labels.jsonl"
    good = {
        "dialog_id": "d1",
        "turn_index": 2,
        "labeler": "a",
        "hedges": [{"start": 10, "end": 13, "category": "attempt"}],
    }
    good["labels"] = {"knowledge": 0, "intent": 0, "empathy": 0, "standing": 1}
    labels.write_text(json.dumps(good) + "\n" + json.dumps({**good, "turn_index": 3}) + "\n")
    with pytest.raises(ValueError, match=r"line 2: no real reply d1:3"):
        load_labels(labels, turns)  # type: ignore[arg-type]
    labels.write_text(
        json.dumps({**good, "hedges": [{"start": 10, "end": 99, "category": "attempt"}]})
    )
    with pytest.raises(ValueError, match=r"line 1: bad hedge"):
        load_labels(labels, turns)  # type: ignore[arg-type]
    labels.write_text(json.dumps(good) + "\n")
    (reply,) = load_labels(labels, turns)  # type: ignore[arg-type]
    assert reply.record.hedges[0].text == "try" and reply.record.channel == "social"


def test_missing_texts_say_so_in_one_line(tmp_path: Path) -> None:
    with pytest.raises(DevSetUnavailable, match="is not here"):
        read_turns(tmp_path / "agent_turns.jsonl")


def test_the_dev_set_stores_ids_and_labels_never_text() -> None:
    for path in (DEV_LABELS, SECOND_LABELS):
        for line in (REPO / path).read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            assert set(item) == {"dialog_id", "turn_index", "labeler", "labels", "hedges"}
            assert all(set(h) == {"start", "end", "category"} for h in item["hedges"])


@needs_real_texts
def test_size_labelers_and_human_agreement() -> None:
    turns = read_turns(TURNS_FILE)
    dev = load_labels(REPO / DEV_LABELS, turns)
    second = load_labels(REPO / SECOND_LABELS, turns)
    assert len(dev) >= 1500 and len({r.record.id for r in dev}) == len(dev)
    assert len({r.labeler for r in dev}) >= 3
    splits = {str(turns[r.record.id]["split"]) for r in dev}
    assert splits <= {"train", "valid"}
    first_by_key = {r.record.id: r.labeler for r in dev}
    assert len(second) >= 300
    assert all(first_by_key[r.record.id] != r.labeler for r in second)
    figures = agreement(dev, second)
    assert all(f["replies"] == len(second) for f in figures.values())
    assert all(f["kappa"] > 0.5 for f in figures.values())


@pytest.mark.slow
@needs_real_texts
def test_the_default_model_holds_its_floor_on_real_replies(tone_model: ToneModel) -> None:
    """Quality figures, not times: the default model never trains on the dev set."""
    dev = load_labels(REPO / DEV_LABELS, read_turns(TURNS_FILE))
    figures = evaluate_model(tone_model, [r.record for r in dev])
    assert figures["macro_f1_mean"] >= MEAN_MACRO_F1_FLOOR, figures["principles"]
    assert figures["hedges"]["f1"] >= HEDGE_F1_FLOOR, figures["hedges"]
