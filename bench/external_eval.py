"""How the CURRENT model behaves on real text nobody on the team wrote.

    .venv/bin/python bench/external_eval.py [--artifacts DIR] [--external ../shared/external]

Reads the external material at run time (its licences forbid copying it into
the project) and prints figures only:

- The real-reply dev set: 1,560 real brand replies we labeled by LABELING.md
  (ids, labels and hedge offsets in data/eval/tweetsumm_dev.jsonl): per
  principle macro F1, ROC AUC and calibration error, beside the agreement of
  two human labelings of 300 of them (the ceiling); hedge span P/R/F1 with
  overlapping and with exact boundaries, beside the lexicon-only baseline.
- Szeged Uncertainty Corpus: epistemic and doxastic cues (condition and
  investigation cues are not hedges in our sense) in Wikipedia and news
  sentences: cue P/R/F1, detector and lexicon.
- TweetSumm agent turns: score distributions on 4,616 real replies.
- Ericsson outbound tweets: mean scores for replies labeled Apologize vs not.
- EPITOME peer-support responses: Spearman correlation between the empathy
  score and the annotated empathy levels (out of domain).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
from scipy.stats import spearmanr

from tonecheck.model.artifact import load_version
from tonecheck.model.devset import DEV_LABELS, SECOND_LABELS, agreement, load_labels, read_turns
from tonecheck.model.evaluate import evaluate_model, format_hedge_rows, span_scores
from tonecheck.model.hedges import HedgeDetector
from tonecheck.model.scorer import ToneModel

REPO = Path(__file__).resolve().parent.parent
HEDGE_CUE_TYPES = {"epistemic", "epistemic_possible", "doxastic"}


def jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def spans_table(
    name: str,
    detectors: dict[str, HedgeDetector],
    texts: list[str],
    gold: list[list[tuple[int, int]]],
) -> None:
    print(f"\n{name}: {len(texts)} texts, {sum(map(len, gold))} gold spans")
    print(f"  {'detector':<22} {'precision':>9} {'recall':>7} {'F1':>6} {'found':>6}")
    for label, detector in detectors.items():
        predicted = [
            [(h.start, h.end) for h in detector.find_hedges(t, rewrites=False)] for t in texts
        ]
        m = span_scores(predicted, gold)
        print(
            f"  {label:<22} {m['precision']:>9.3f} {m['recall']:>7.3f} {m['f1']:>6.3f} {m['predicted']:>6}"
        )


def dev_set(model: ToneModel, external: Path) -> None:
    turns = read_turns(external / "tweetsumm" / "agent_turns.jsonl")
    dev = load_labels(REPO / DEV_LABELS, turns)
    second = load_labels(REPO / SECOND_LABELS, turns)
    figures = evaluate_model(model, [r.record for r in dev])
    human = agreement(dev, second)
    print(f"\nReal-reply dev set: {len(dev)} real brand replies, labeled by LABELING.md")
    print(
        f"  {'principle':<10} {'macro F1':>8} {'ROC AUC':>8} {'ECE':>6}   "
        f"{'human macro F1':>14} {'human kappa':>11}"
    )
    for principle, m in figures["principles"].items():
        h = human[principle]
        print(
            f"  {principle:<10} {m['macro_f1']:>8.3f} {m['roc_auc']:>8.3f} {m['ece']:>6.3f}   "
            f"{h['macro_f1']:>14.3f} {h['kappa']:>11.3f}"
        )
    mean_human = np.mean([h["macro_f1"] for h in human.values()])
    print(f"  {'mean':<10} {figures['macro_f1_mean']:>8.3f} {'':>8} {'':>6}   {mean_human:>14.3f}")
    print(f"  (human: {human['knowledge']['replies']} replies labeled twice, blind)")
    print("  " + format_hedge_rows(figures).replace("\n", "\n  "))


def szeged(external: Path, detectors: dict[str, HedgeDetector]) -> None:
    for part in ("wiki", "factbank"):
        rows = list(jsonl(external / "szeged_uncertainty" / f"{part}.jsonl"))
        texts = [r["text"] for r in rows]
        gold = [
            [(c["start"], c["end"]) for c in r["cues"] if c["type"] in HEDGE_CUE_TYPES]
            for r in rows
        ]
        spans_table(
            f"Szeged uncertainty, {part} (epistemic + doxastic cues)", detectors, texts, gold
        )


def distributions(model: ToneModel, external: Path) -> None:
    texts = [r["text"] for r in jsonl(external / "tweetsumm" / "agent_turns.jsonl")]
    results = model.score_many(texts, explain=False)
    print(f"\nTweetSumm agent turns: {len(texts)} real replies")
    print(f"  {'principle':<10} {'mean':>5} {'median':>6} {'share >= 50':>11}")
    for principle in ("knowledge", "intent", "empathy", "standing"):
        values = np.array([r.scores[principle] for r in results if r.scores[principle] is not None])
        print(
            f"  {principle:<10} {values.mean():>5.1f} {np.median(values):>6.0f} {np.mean(values >= 50):>11.1%}"
        )
    hedged = np.mean([bool(r.hedges) for r in results])
    print(f"  replies with at least one hedge: {hedged:.1%}")


def ericsson(model: ToneModel, external: Path) -> None:
    rows = list(jsonl(external / "ericsson" / "outbound_labeled.jsonl"))
    results = model.score_many([r["text"] for r in rows], explain=False)
    print(f"\nEricsson outbound tweets: {len(rows)} with hand-labeled activities")
    for activity, principle in (
        ("Apologize", "empathy"),
        ("Provide URL", "knowledge"),
        ("Investigate Issue", "intent"),
    ):
        with_it = [
            res.scores[principle]
            for r, res in zip(rows, results, strict=True)
            if r["labels"].get(activity) == 1
        ]
        without = [
            res.scores[principle]
            for r, res in zip(rows, results, strict=True)
            if r["labels"].get(activity) == 0
        ]
        print(
            f"  mean {principle} score: {activity} {np.mean(with_it):.1f} (n={len(with_it)}) vs not {np.mean(without):.1f} (n={len(without)})"
        )


def epitome(model: ToneModel, external: Path) -> None:
    rows = list(jsonl(external / "epitome" / "merged_by_response.jsonl"))
    results = model.score_many([r["response_post"][:20_000] for r in rows], explain=False)
    empathy = [r.scores["empathy"] for r in results]
    keep = [i for i, v in enumerate(empathy) if v is not None]
    level = [
        rows[i]["emotional_reactions_level"]
        + rows[i]["interpretations_level"]
        + rows[i]["explorations_level"]
        for i in keep
    ]
    rho, p_value = spearmanr([empathy[i] for i in keep], level)
    print(
        f"\nEPITOME peer-support responses: {len(keep)}; Spearman(empathy score, summed empathy levels) = {rho:.3f} (p={p_value:.1g})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--artifacts", type=Path, default=REPO / "model" / "artifacts")
    parser.add_argument("--external", type=Path, default=REPO.parent / "shared" / "external")
    args = parser.parse_args()
    loaded = load_version(args.artifacts)
    model = loaded.model
    print(f"model {loaded.version}")
    detectors = {
        "tonecheck detector": model.detector,
        "lexicon-only baseline": HedgeDetector(model.detector.lexicon, None),
    }
    dev_set(model, args.external)
    szeged(args.external, detectors)
    distributions(model, args.external)
    ericsson(model, args.external)
    epitome(model, args.external)


if __name__ == "__main__":
    main()
