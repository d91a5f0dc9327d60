"""Batch report speed: `tonecheck report` on 100,000 replies, beside a baseline measured in
the same run.

    .venv/bin/python bench/report_bench.py [--rows 100000] [--jobs 2] [--artifacts DIR]

The input is made at run time and never committed: replies sampled (fixed seed, with
replacement) from data/replies.jsonl, each made distinct by a ticket reference so no
cache can help, written as a helpdesk-style CSV to a temporary directory.
The baseline is the same model's `score_many` on one core over 2,000 of those replies,
500 a call, as `tonecheck score --file` scored before batch.py sliced its chunks.
The target: the whole command, model load to HTML written, under 120 s on 2 cores.
"""

from __future__ import annotations

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import argparse  # noqa: E402
import csv  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from tonecheck.model.artifact import current_version, load_version  # noqa: E402
from tonecheck.model.lexicon import builtin_lexicon  # noqa: E402
from tonecheck.model.train import train_model  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data" / "replies.jsonl"
TARGET_SECONDS = 120.0
AGENTS = ("ana", "bo", "cy", "dee", "eli", "fay", "gus", "hal")


def write_input(path: Path, rows: int, seed: int = 0) -> list[str]:
    texts = [json.loads(line)["text"] for line in DATA.open(encoding="utf-8")]
    chooser = random.Random(seed)
    written: list[str] = []
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Ticket ID", "Body", "Assignee", "Group", "Created At"])
        for index in range(rows):
            text = f"{chooser.choice(texts)} (ref #{100_000 + index})"
            agent = AGENTS[index % len(AGENTS)]
            day = 1 + (index * 7) % 28
            writer.writerow(
                [
                    index // 3,
                    text,
                    agent,
                    "billing" if index % 2 else "tech",
                    f"2026-02-{day:02d}T10:00:00Z",
                ]
            )
            if len(written) < 2000:
                written.append(text)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--artifacts", type=Path, help="Model directory (default: train one).")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        artifacts = args.artifacts
        if artifacts is None or current_version(artifacts) is None:
            artifacts = root / "artifacts"
            print("training a model for the benchmark ...", flush=True)
            train_model(DATA, artifacts, builtin_lexicon(), seed=0)
        source = root / "replies.csv"
        sample = write_input(source, args.rows)
        model = load_version(artifacts).model
        began = time.perf_counter()
        for start in range(0, len(sample), 500):
            model.score_many(sample[start : start + 500])
        baseline = len(sample) / (time.perf_counter() - began)
        command = [
            *(sys.executable, "-m", "tonecheck", "report"),
            *("--input", str(source), "--out", str(root / "report.html")),
            *("--csv", str(root / "scores.csv"), "--jobs", str(args.jobs)),
            *("--artifacts", str(artifacts)),
        ]
        began = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, cwd=REPO, check=False)
        seconds = time.perf_counter() - began
        if done.returncode != 0:
            sys.exit(f"tonecheck report failed:\n{done.stderr[-2000:]}")
        size_mb = (root / "report.html").stat().st_size / 1e6
    rate = args.rows / seconds
    print(f"{args.rows:,} replies, --jobs {args.jobs}, {os.cpu_count()} cores on this machine")
    print(f"{'figure':<46} {'value':>14}")
    print(f"{'baseline: score_many, one core, 500 a call':<46} {baseline:>10.0f} /s")
    print(f"{'tonecheck report, whole command':<46} {rate:>10.0f} /s")
    print(f"{'  ratio report / baseline':<46} {rate / baseline:>13.2f}x")
    verdict = "ok" if seconds <= TARGET_SECONDS else "OVER"
    print(f"{'  wall time (target <= 120 s)':<46} {seconds:>12.1f} s  {verdict}")
    print(f"{'  report.html size':<46} {size_mb:>11.2f} MB")
    print(done.stderr.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
