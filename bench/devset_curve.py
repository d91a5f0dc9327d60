"""What a team's own labels add: the corpus alone, then the corpus plus 250, 500 and 1,000
labeled real replies, measured on real replies the model did not train on.

    .venv/bin/python bench/devset_curve.py [--sizes 0 250 500 1000] [--folds 5]

The real-reply dev set stands in for a team's own labeled replies. Five-fold
cross-validation grouped by dialog (no conversation is on both sides): each fold
trains on the corpus (`data/`) plus N replies drawn from the other folds, and is
scored on its own replies; the figures are over all folds. Texts are read from
`../shared/external/` at run time. The baseline row (N = 0) is the default model's
training data, measured in the same run.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.model_selection import GroupKFold
from threadpoolctl import threadpool_limits

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tonecheck.model.data_check import read_corpus  # noqa: E402
from tonecheck.model.devset import DEV_LABELS, load_labels, read_turns  # noqa: E402
from tonecheck.model.hedges import HedgeDetector  # noqa: E402
from tonecheck.model.lexicon import builtin_lexicon  # noqa: E402
from tonecheck.model.records import Record  # noqa: E402
from tonecheck.model.scorer import fit_tone_model  # noqa: E402
from tonecheck.model.types import PRINCIPLES  # noqa: E402
from tonecheck.server.config import DEFAULT_DATA  # noqa: E402


def fit(records: list[Record], seed: int) -> object:
    spans = [(r.text, [(h.start, h.end) for h in r.hedges], []) for r in records]
    detector = HedgeDetector.fit(builtin_lexicon(), spans, seed)
    labels = np.asarray([[r.labels[p] for p in PRINCIPLES] for r in records])
    return fit_tone_model([r.text for r in records], labels, detector, seed)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[0, 250, 500, 1000])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--external", type=Path, default=REPO.parent / "shared" / "external")
    args = parser.parse_args()
    dev = load_labels(
        REPO / DEV_LABELS, read_turns(args.external / "tweetsumm" / "agent_turns.jsonl")
    )
    corpus = [r for r in read_corpus([REPO / p for p in DEFAULT_DATA]) if r.split == "train"]
    truth = np.asarray([[r.record.labels[p] for p in PRINCIPLES] for r in dev])
    folds = list(GroupKFold(n_splits=args.folds).split(dev, groups=[r.dialog_id for r in dev]))
    print(f"{len(corpus)} corpus replies; {len(dev)} real replies in {args.folds} folds by dialog")
    print(
        f"{'added real labels':>17} {'mean macro F1':>13}  "
        + "  ".join(f"{p:>15}" for p in PRINCIPLES)
    )
    baseline = None
    for size in args.sizes:
        began = time.perf_counter()
        probability = np.zeros(truth.shape)
        for fold, (train_index, test_index) in enumerate(folds):
            chosen = random.Random(fold).sample(list(train_index), min(size, len(train_index)))
            with threadpool_limits(limits=1, user_api="blas"):
                model = fit(corpus + [dev[i].record for i in chosen], seed=0)
            texts = [dev[i].record.text for i in test_index]
            probability[test_index] = model.predict_proba(texts)  # type: ignore[attr-defined]
        macro = [
            f1_score(truth[:, i], (probability[:, i] >= 0.5).astype(int), average="macro")
            for i in range(len(PRINCIPLES))
        ]
        auc = [roc_auc_score(truth[:, i], probability[:, i]) for i in range(len(PRINCIPLES))]
        mean = float(np.mean(macro))
        baseline = mean if baseline is None else baseline
        cells = "  ".join(f"{m:.3f} (AUC {a:.2f})" for m, a in zip(macro, auc, strict=True))
        print(
            f"{size:>17} {mean:>13.3f}  {cells}   {mean - baseline:+.3f} vs corpus alone "
            f"({time.perf_counter() - began:.0f} s)",
            flush=True,
        )


if __name__ == "__main__":
    main()
