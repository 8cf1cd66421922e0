"""Benchmark replydesk.trimming.trim on the vendored peer fixtures, optionally against talon.

    python benchmarks/bench_trim.py [--repeat N] [--peer-python /path/to/venv/bin/python]

Times `trim` in-process over the 64 email_reply_trimmer inputs (repeated N times) and prints
trims/second, the slowest of those cases, and the time of the two must-not-blow-up inputs
(email_reply_parser's 767 kB email_long_quote.txt and pathological.txt). With --peer-python,
the same inputs go through talon's extract_from_plain + brute-force signature extraction in
that interpreter (a throwaway venv with `pip install talon`), timed in-process there too, and
both are printed side by side. Inputs are stripped first, as the upstream trimmer test does.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PEERS = REPO / "tests" / "fixtures" / "peers"
TRIMMER_EMAILS = PEERS / "email_reply_trimmer" / "test" / "emails"
HEAVY = {
    "email_long_quote": PEERS / "email_reply_parser" / "test" / "emails" / "email_long_quote.txt",
    "pathological": PEERS / "email_reply_parser" / "test" / "emails" / "pathological.txt",
}

try:
    from replydesk.trimming import trim
except ImportError:  # not installed: run from the source tree
    sys.path.insert(0, str(REPO / "functions"))
    from replydesk.trimming import trim

# Runs in the peer interpreter: reads {"repeat": N, "cases": {name: path}, "heavy": {...}} on
# stdin, prints the same JSON report as measure() below.
PEER_SCRIPT = r"""
import json, sys, time
from talon import quotations
from talon.signature.bruteforce import extract_signature

def talon(text):
    body, _signature = extract_signature(quotations.extract_from_plain(text))
    return body

def load(paths):
    return {name: open(path, encoding="utf-8", errors="replace").read().strip() for name, path in paths.items()}

def timed(fn, text, repeat):
    best = float("inf")
    total = 0.0
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(text)
        elapsed = time.perf_counter() - t0
        total += elapsed
        best = min(best, elapsed)
    return total, best

job = json.load(sys.stdin)
cases, heavy = load(job["cases"]), load(job["heavy"])
total, slowest = 0.0, ("", 0.0)
for name, text in cases.items():
    spent, best = timed(talon, text, job["repeat"])
    total += spent
    slowest = max(slowest, (name, best), key=lambda item: item[1])
report = {
    "rate": len(cases) * job["repeat"] / total,
    "slowest": slowest,
    "heavy": {name: timed(talon, text, min(job["repeat"], 3))[1] for name, text in heavy.items()},
}
print(json.dumps(report))
"""


def load(paths: dict[str, Path]) -> dict[str, str]:
    return {name: path.read_text(encoding="utf-8", errors="replace").strip() for name, path in paths.items()}


def timed(fn: Callable[[str], str], text: str, repeat: int) -> tuple[float, float]:
    """Total and best time of `repeat` calls."""
    best, total = float("inf"), 0.0
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(text)
        elapsed = time.perf_counter() - t0
        total += elapsed
        best = min(best, elapsed)
    return total, best


def measure(cases: dict[str, str], heavy: dict[str, str], repeat: int) -> dict:
    total, slowest = 0.0, ("", 0.0)
    for name, text in cases.items():
        spent, best = timed(trim, text, repeat)
        total += spent
        slowest = max(slowest, (name, best), key=lambda item: item[1])
    return {
        "rate": len(cases) * repeat / total,
        "slowest": slowest,
        "heavy": {name: timed(trim, text, min(repeat, 3))[1] for name, text in heavy.items()},
    }


def measure_peer(python: str, cases: dict[str, Path], repeat: int) -> dict:
    job = {
        "repeat": repeat,
        "cases": {name: str(path) for name, path in cases.items()},
        "heavy": {name: str(path) for name, path in HEAVY.items()},
    }
    proc = subprocess.run(
        [python, "-c", PEER_SCRIPT], input=json.dumps(job), capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise SystemExit(f"peer interpreter failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=20, help="calls per input (default 20)")
    parser.add_argument("--peer-python", help="a Python with talon installed, to compare against")
    args = parser.parse_args(argv)

    paths = {path.stem: path for path in sorted(TRIMMER_EMAILS.glob("*.txt"))}
    ours = measure(load(paths), load(HEAVY), args.repeat)
    columns = {"replydesk": ours}
    if args.peer_python:
        columns["talon"] = measure_peer(args.peer_python, paths, args.repeat)

    print(f"{len(paths)} email_reply_trimmer inputs x {args.repeat}")
    print(f"{'':34}" + "".join(f"{name:>16}" for name in columns))
    print(f"{'trims/s':34}" + "".join(f"{report['rate']:>16,.0f}" for report in columns.values()))
    print(
        f"{'slowest trimmer case, ms':34}"
        + "".join(f"{report['slowest'][1] * 1e3:>16.2f}" for report in columns.values())
        + "   ("
        + ", ".join(f"{name}: {report['slowest'][0]}" for name, report in columns.items())
        + ")"
    )
    for heavy in HEAVY:
        label = f"{heavy} ({HEAVY[heavy].stat().st_size:,} B), ms"
        print(f"{label:34}" + "".join(f"{report['heavy'][heavy] * 1e3:>16.2f}" for report in columns.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
