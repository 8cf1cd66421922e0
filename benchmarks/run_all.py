"""Run every benchmark and print its figures (`make bench`). Benchmarks print; they never assert."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RUNS = (
    ["bench_trim.py"],
    ["bench_classify.py"],
    ["bench_export.py", "--sizes", "10000,100000"],
    ["lambda_size.py"],
)


def main() -> int:
    failed = 0
    for run in RUNS:
        print(f"\n== {' '.join(run)}", flush=True)
        failed += subprocess.run([sys.executable, str(HERE / run[0]), *run[1:]], check=False).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
