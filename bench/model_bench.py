"""Model speed and size, each figure beside a baseline measured in the same run.

    .venv/bin/python bench/model_bench.py [--artifacts DIR]

Latency: one ~1,500-character reply scored with hedges and explanations, one
thread, against a bare TF-IDF + LogisticRegression pipeline on the same replies.
Batch: replies per second per core. Training time on 2 cores, artifact size and
the resident memory of a process with the model loaded.
"""

from __future__ import annotations

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import argparse  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402

from tonecheck.model.artifact import MODEL_FILE, current_version, load_version  # noqa: E402
from tonecheck.model.data_check import read_records  # noqa: E402
from tonecheck.model.lexicon import builtin_lexicon  # noqa: E402
from tonecheck.model.train import train_model  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data" / "replies.jsonl"


def drafts(texts: list[str], length: int = 1500, count: int = 300) -> list[str]:
    """Distinct ~`length`-character drafts made of consecutive corpus replies (benchmark input only)."""
    out: list[str] = []
    index = 0
    while len(out) < count:
        parts: list[str] = []
        while sum(len(p) + 2 for p in parts) < length:
            parts.append(texts[index % len(texts)])
            index += 1
        out.append("\n\n".join(parts)[:length])
    return out


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def timed_each(function: object, inputs: list[str], rounds: int = 3) -> list[float]:
    times: list[float] = []
    for _ in range(rounds):
        for text in inputs:
            began = time.perf_counter()
            function(text)  # type: ignore[operator]
            times.append((time.perf_counter() - began) * 1000)
    return times


def rss_of_loaded_model(artifacts: Path) -> float:
    code = (
        "import resource, sys; from pathlib import Path; from tonecheck.model.artifact import load_version;"
        f"m = load_version(Path({str(artifacts)!r})).model; m.score('Hi, I think it should work.');"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    return float(done.stdout.strip())


def line(name: str, value: str, target: str, ok: bool) -> None:
    print(f"{name:<44} {value:>22}   target {target:<14} {'PASS' if ok else 'FAIL'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--artifacts", type=Path, default=None)
    args = parser.parse_args()
    records = read_records(DATA)
    train = [r for r in records if r.split == "train"]

    with tempfile.TemporaryDirectory() as scratch:
        began = time.perf_counter()
        train_model(DATA, Path(scratch), builtin_lexicon(), seed=0)
        train_seconds = time.perf_counter() - began
        artifacts = (
            args.artifacts if args.artifacts and current_version(args.artifacts) else Path(scratch)
        )
        loaded = load_version(artifacts)
        size_mb = (artifacts / loaded.version / MODEL_FILE).stat().st_size / 1e6
        rss = rss_of_loaded_model(artifacts)
    model = loaded.model

    baseline = Pipeline([("tfidf", TfidfVectorizer()), ("lr", LogisticRegression(max_iter=2000))])
    baseline.fit([r.text for r in train], [r.labels["standing"] for r in train])

    inputs = drafts([r.text for r in records])
    for text in inputs[:20]:
        model.score(text)
        baseline.predict_proba([text])
    ours = timed_each(model.score, inputs)
    bare = timed_each(lambda t: baseline.predict_proba([t]), inputs)

    # Batch: the corpus's own replies as they are (median ~40 words), then 600-character drafts.
    corpus = [r.text for r in records]
    rates: dict[str, tuple[float, float]] = {}
    for name, batch in (("corpus replies", corpus), ("600-char drafts", drafts(corpus, 600, 2000))):
        began = time.perf_counter()
        for start in range(0, len(batch), 500):
            model.score_many(batch[start : start + 500])
        batch_rate = len(batch) / (time.perf_counter() - began)
        began = time.perf_counter()
        baseline.predict_proba(batch)
        rates[name] = (batch_rate, len(batch) / (time.perf_counter() - began))

    print(
        f"model {loaded.version}; {len(inputs)} distinct drafts of {len(inputs[0])} characters, 3 rounds, 1 thread"
    )
    print(f"{'figure':<44} {'tonecheck (baseline)':>22}")
    p50, p99 = percentile(ours, 50), percentile(ours, 99)
    b50, b99 = percentile(bare, 50), percentile(bare, 99)
    line("one reply p50, ms (bare TF-IDF+LR)", f"{p50:.2f} ({b50:.2f})", "<= 2 ms", p50 <= 2)
    line("one reply p99, ms (bare TF-IDF+LR)", f"{p99:.2f} ({b99:.2f})", "<= 5 ms", p99 <= 5)
    print(f"{'  ratio p50 tonecheck / bare':<44} {p50 / b50:>22.1f}x")
    for name, (ours_rate, bare_rate) in rates.items():
        label = f"batch/s, one core, {name} (bare)"
        line(label, f"{ours_rate:.0f} ({bare_rate:.0f})", ">= 1000/s", ours_rate >= 1000)
    line(
        "training on the corpus, s (2 cores)",
        f"{train_seconds:.1f}",
        "<= 60 s",
        train_seconds <= 60,
    )
    line("artifact size, MB", f"{size_mb:.1f}", "<= 20 MB", size_mb <= 20)
    line("RSS with the model loaded, MB", f"{rss:.0f}", "<= 200 MB", rss <= 200)
    print(f"median single-reply time over {len(ours)} calls: {statistics.median(ours):.2f} ms")


if __name__ == "__main__":
    main()
