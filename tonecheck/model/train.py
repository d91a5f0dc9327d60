"""Training a new model version, comparing it with CURRENT, and promoting versions."""

from __future__ import annotations

import json
import platform
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import scipy
import sklearn
from threadpoolctl import threadpool_limits

from tonecheck.model.artifact import (
    ArtifactError,
    current_version,
    list_versions,
    load_artifact,
    load_version,
    read_metadata,
    save_artifact,
    set_current,
    sha256_of,
)
from tonecheck.model.data_check import read_corpus
from tonecheck.model.evaluate import evaluate_model
from tonecheck.model.hedges import HedgeDetector
from tonecheck.model.lexicon import Lexicon
from tonecheck.model.records import DataError, Record
from tonecheck.model.scorer import fit_tone_model
from tonecheck.model.types import FEEDBACK_VERDICTS, PRINCIPLES


@dataclass(frozen=True)
class Feedback:
    text: str
    start: int
    end: int
    verdict: str


@dataclass(frozen=True)
class TrainResult:
    version: str
    path: Path
    metrics: dict[str, Any]
    current_metrics: dict[str, Any] | None
    current_version: str | None
    became_current: bool
    seconds: float


def read_feedback(path: Path) -> list[Feedback]:
    """Agents' verdicts exported by `tonecheck feedback export`; every bad line is named."""
    items: list[Feedback] = []
    problems: list[str] = []
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as error:
                problems.append(f"line {number}: invalid JSON: {error.msg}")
                continue
            if not isinstance(obj, dict):
                problems.append(f"line {number}: expected a JSON object")
                continue
            text, start, end, verdict = (obj.get(k) for k in ("text", "start", "end", "verdict"))
            if not isinstance(text, str) or type(start) is not int or type(end) is not int:
                problems.append(f"line {number}: needs text (string), start and end (integers)")
            elif not 0 <= start < end <= len(text):
                problems.append(f"line {number}: start..end {start}..{end} outside the text")
            elif verdict not in FEEDBACK_VERDICTS:
                problems.append(
                    f"line {number}: verdict: {verdict!r} is not one of {', '.join(FEEDBACK_VERDICTS)}"
                )
            else:
                items.append(Feedback(text, start, end, verdict))
    if problems:
        raise DataError(f"{path}: {len(problems)} problem(s)\n" + "\n".join(problems[:20]))
    return items


def _hedge_examples(
    records: Sequence[Record], feedback: Sequence[Feedback]
) -> list[tuple[str, list[tuple[int, int]], list[tuple[int, int]]]]:
    examples: list[tuple[str, list[tuple[int, int]], list[tuple[int, int]]]] = [
        (r.text, [(h.start, h.end) for h in r.hedges], []) for r in records
    ]
    for item in feedback:
        span = [(item.start, item.end)]
        if item.verdict == "useful":
            examples.append((item.text, span, []))
        else:
            examples.append((item.text, [], span))
    return examples


def _git_commit() -> str:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return done.stdout.strip() or "unknown"


def _new_version(root: Path, seed: int) -> str:
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    version = f"{stamp}-s{seed}"
    taken = set(list_versions(root))
    suffix = 1
    while version in taken:
        suffix += 1
        version = f"{stamp}-s{seed}-{suffix}"
    return version


def train_model(
    data: Path | Sequence[Path],
    root: Path,
    lexicon: Lexicon,
    seed: int = 0,
    feedback_file: Path | None = None,
) -> TrainResult:
    """Fit on the train split of every data file, evaluate on their test split, save;
    the first version becomes CURRENT."""
    began = time.perf_counter()
    files = [data] if isinstance(data, Path) else list(data)
    records = read_corpus(files)
    train = [r for r in records if r.split == "train"]
    test = [r for r in records if r.split == "test"]
    if not train or not test:
        names = " + ".join(str(f) for f in files)
        raise DataError(
            f"{names}: needs records in both splits (train {len(train)}, test {len(test)})"
        )
    feedback = read_feedback(feedback_file) if feedback_file else []
    # One BLAS thread: the calibrated classifiers' many small fits spend more time handing
    # work between threads than doing it (28 s against 5 s on two cores).
    with threadpool_limits(limits=1, user_api="blas"):
        detector = HedgeDetector.fit(lexicon, _hedge_examples(train, feedback), seed)
        labels = np.asarray([[r.labels[p] for p in PRINCIPLES] for r in train])
        model = fit_tone_model([r.text for r in train], labels, detector, seed)
        metrics = evaluate_model(model, test)
    previous = current_version(root)
    current_metrics = None
    if previous is not None:
        try:
            current_metrics = evaluate_model(load_version(root).model, test)
        except ArtifactError:
            current_metrics = None
    metadata = {
        "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "data_files": {str(f): sha256_of(f) for f in files},
        "feedback_sha256": sha256_of(feedback_file) if feedback_file else None,
        "feedback_items": len(feedback),
        "git_commit": _git_commit(),
        "seed": seed,
        "train_records": len(train),
        "test_records": len(test),
        "versions": {
            "python": platform.python_version(),
            "scikit-learn": sklearn.__version__,
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "joblib": joblib.__version__,
        },
        "lexicon": {"version": lexicon.version, "fingerprint": lexicon.fingerprint},
        "metrics": metrics,
    }
    version = _new_version(root, seed)
    path = save_artifact(root, version, model, metadata)
    if previous is None:
        set_current(root, version)
    return TrainResult(
        version,
        path,
        metrics,
        current_metrics,
        previous,
        previous is None,
        time.perf_counter() - began,
    )


def promote(root: Path, version: str, force: bool = False) -> str | None:
    """Make `version` CURRENT; refuse one that cannot serve (it must load and pass the
    probes) and, without `force`, one that scores lower than CURRENT."""
    candidate = read_metadata(root, version)
    load_artifact(root, version)
    previous = current_version(root)
    if previous is not None and previous != version and not force:
        deployed = read_metadata(root, previous)
        for label, path in (("macro F1", ("macro_f1_mean",)), ("hedge F1", ("hedges", "f1"))):
            new, old = _metric(candidate, path), _metric(deployed, path)
            if new < old:
                raise ArtifactError(
                    f"version {version} has test-split {label} {new:.4f}, lower than CURRENT "
                    f"{previous}'s {old:.4f}; use --force to promote it anyway"
                )
    set_current(root, version)
    return previous


def _metric(metadata: dict[str, Any], path: tuple[str, ...]) -> float:
    value: Any = metadata.get("metrics", {})
    for key in path:
        value = value.get(key, {}) if isinstance(value, dict) else {}
    return float(value) if isinstance(value, int | float) else 0.0
