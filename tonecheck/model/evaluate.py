"""Metrics for the four principles and for hedge spans, with the lexicon-only baseline."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.metrics import (
    brier_score_loss,
    f1_score,
    precision_recall_fscore_support,
    roc_auc_score,
)

from tonecheck.model.hedges import HedgeDetector
from tonecheck.model.records import Record
from tonecheck.model.scorer import ToneModel
from tonecheck.model.types import PRINCIPLES

Span = tuple[int, int]


CALIBRATION_BINS = 10
_EDGE = " \t\n\r.,;:!?\"'“”‘’()[]-–—…"


def match_spans(predicted: Sequence[Span], gold: Sequence[Span], exact: bool = False) -> int:
    """How many predicted spans overlap a gold span (or, `exact`, equal one), each gold span
    used once."""
    used: set[int] = set()
    matched = 0
    for start, end in sorted(predicted):
        for index, (g_start, g_end) in enumerate(gold):
            hit = (start, end) == (g_start, g_end) if exact else g_start < end and start < g_end
            if index not in used and hit:
                used.add(index)
                matched += 1
                break
    return matched


def trimmed(text: str, span: Span) -> Span:
    """`span` without the punctuation and spaces at its edges, so "maybe," equals "maybe"."""
    start, end = span
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end


def span_scores(
    predicted: Sequence[Sequence[Span]], gold: Sequence[Sequence[Span]], exact: bool = False
) -> dict[str, float]:
    true_positive = sum(match_spans(p, g, exact) for p, g in zip(predicted, gold, strict=True))
    n_predicted = sum(len(p) for p in predicted)
    n_gold = sum(len(g) for g in gold)
    precision = true_positive / n_predicted if n_predicted else 0.0
    recall = true_positive / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "predicted": n_predicted,
        "gold": n_gold,
    }


def hedge_metrics(
    detector: HedgeDetector, texts: Sequence[str], gold: Sequence[Sequence[Span]]
) -> dict[str, Any]:
    """Span precision, recall and F1 counting overlaps as hits, and (under "exact") counting
    only spans whose boundaries equal the gold span's once edge punctuation is trimmed."""
    predicted = [[(h.start, h.end) for h in detector.find_hedges(t, rewrites=False)] for t in texts]
    figures: dict[str, Any] = dict(span_scores(predicted, gold))

    def trim_all(spans: Sequence[Sequence[Span]]) -> list[list[Span]]:
        return [[trimmed(t, s) for s in row] for t, row in zip(texts, spans, strict=True)]

    figures["exact"] = span_scores(trim_all(predicted), trim_all(gold), exact=True)
    return figures


def calibration_error(truth: np.ndarray, probability: np.ndarray) -> float:
    """Expected calibration error over equal-width bins: the mean gap between how sure the
    scores say they are and how often they are right, weighted by each bin's size."""
    bins = np.minimum((probability * CALIBRATION_BINS).astype(int), CALIBRATION_BINS - 1)
    error = 0.0
    for b in range(CALIBRATION_BINS):
        inside = bins == b
        if inside.any():
            error += inside.mean() * abs(truth[inside].mean() - probability[inside].mean())
    return float(error)


def principle_metrics(labels: np.ndarray, probabilities: np.ndarray) -> dict[str, dict[str, float]]:
    result: dict[str, dict[str, float]] = {}
    for index, principle in enumerate(PRINCIPLES):
        truth, proba = labels[:, index], probabilities[:, index]
        predicted = (proba >= 0.5).astype(int)
        precision, recall, f1, _ = precision_recall_fscore_support(
            truth, predicted, average="binary", zero_division=0
        )
        both_classes = len(set(truth.tolist())) == 2
        result[principle] = {
            "precision": round(float(precision), 4),
            "recall": round(float(recall), 4),
            "f1": round(float(f1), 4),
            "macro_f1": round(
                float(f1_score(truth, predicted, average="macro", zero_division=0)), 4
            ),
            "roc_auc": round(float(roc_auc_score(truth, proba)), 4)
            if both_classes
            else float("nan"),
            "brier": round(float(brier_score_loss(truth, proba)), 4),
            "ece": round(calibration_error(truth, proba), 4),
        }
    return result


def evaluate_model(model: ToneModel, records: Sequence[Record]) -> dict[str, Any]:
    """All figures for `model` on `records`, beside the lexicon-only baseline."""
    texts = [r.text for r in records]
    labels = np.asarray([[r.labels[p] for p in PRINCIPLES] for r in records])
    gold = [[(h.start, h.end) for h in r.hedges] for r in records]
    principles = principle_metrics(labels, model.predict_proba(texts))
    baseline = HedgeDetector(model.detector.lexicon, None)
    return {
        "records": len(records),
        "principles": principles,
        "macro_f1_mean": round(float(np.mean([m["macro_f1"] for m in principles.values()])), 4),
        "hedges": hedge_metrics(model.detector, texts, gold),
        "baseline_hedges": hedge_metrics(baseline, texts, gold),
    }


def format_evaluation(figures: dict[str, Any], title: str = "") -> str:
    lines = [title] if title else []
    lines.append(f"{figures['records']} records")
    lines.append(
        f"{'principle':<10} {'prec':>6} {'recall':>6} {'F1':>6} {'macroF1':>8} {'AUC':>6} "
        f"{'Brier':>6} {'ECE':>6}"
    )
    for principle, m in figures["principles"].items():
        lines.append(
            f"{principle:<10} {m['precision']:>6.3f} {m['recall']:>6.3f} {m['f1']:>6.3f} "
            f"{m['macro_f1']:>8.3f} {m['roc_auc']:>6.3f} {m['brier']:>6.3f} {m['ece']:>6.3f}"
        )
    lines.append(f"{'mean macro F1':<10} {figures['macro_f1_mean']:.3f}")
    lines.append(format_hedge_rows(figures))
    return "\n".join(lines)


def format_hedge_rows(figures: dict[str, Any]) -> str:
    """The hedge rows of an evaluation: overlap and exact boundaries, model and lexicon."""
    lines = [f"{'hedges':<30} {'prec':>6} {'recall':>6} {'F1':>6} {'found':>6} {'gold':>6}"]
    for name, key in (("model", "hedges"), ("lexicon-only baseline", "baseline_hedges")):
        for kind in ("overlap", "exact"):
            m = figures[key] if kind == "overlap" else figures[key]["exact"]
            lines.append(
                f"{f'{name}, {kind}':<30} {m['precision']:>6.3f} {m['recall']:>6.3f} "
                f"{m['f1']:>6.3f} {m['predicted']:>6} {m['gold']:>6}"
            )
    return "\n".join(lines)


def rewrite_coherence(model: ToneModel, texts: Sequence[str]) -> dict[str, Any]:
    """Apply every rewrite the model offers, one at a time, and score the result: how often
    Standing does not fall, and Overall does not fall by more than one point. A suggestion
    that lowers the score it was meant to raise is one an agent stops trusting."""
    offered = standing_held = overall_held = both = 0
    worst: list[tuple[int, str, str]] = []
    for text, result in zip(texts, model.score_many(texts, explain=False), strict=True):
        if result.overall is None:
            continue
        edits = [h for h in result.hedges if h.rewrite is not None]
        after = model.score_many([h.rewrite.apply(text) for h in edits if h.rewrite], explain=False)
        for hedge, scored in zip(edits, after, strict=True):
            if scored.overall is None:
                continue
            offered += 1
            standing_ok = (scored.scores["standing"] or 0) >= (result.scores["standing"] or 0)
            overall_ok = scored.overall >= result.overall - 1
            standing_held += standing_ok
            overall_held += overall_ok
            both += standing_ok and overall_ok
            if not (standing_ok and overall_ok):
                worst.append((scored.overall - result.overall, hedge.text, text[:80]))
    return {
        "offered": offered,
        "standing_held": round(standing_held / offered, 4) if offered else 1.0,
        "overall_held": round(overall_held / offered, 4) if offered else 1.0,
        "both_held": round(both / offered, 4) if offered else 1.0,
        "worst": sorted(worst)[:5],
    }
