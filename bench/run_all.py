"""Run every benchmark in turn (`make bench`); each prints its figures and its baseline."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ORDER = [
    "model_bench.py",
    "server_bench.py",
    "external_eval.py",
    "devset_curve.py",
    "report_bench.py",
    "extension_bench.py",
]


def main() -> None:
    failed = []
    for name in ORDER:
        if not (BENCH / name).exists():
            continue
        print(f"\n=== {name} ===", flush=True)
        if subprocess.run(
            [sys.executable, str(BENCH / name)], cwd=BENCH.parent, check=False
        ).returncode:
            failed.append(name)
    if failed:
        sys.exit(f"failed to run: {', '.join(failed)}")


if __name__ == "__main__":
    main()
