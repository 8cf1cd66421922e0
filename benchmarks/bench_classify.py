"""Classification throughput of the committed model: what a backfill or a re-classification costs.

    python benchmarks/bench_classify.py [--repeat N]

Classifies the held-out split (real-shaped replies of every length and language) in batches, as
the CLI and a re-classification would, and prints replies per second and the model's load time.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from replydesk import classifier
from replydesk.settings import default_model_path

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batch", type=int, default=256)
    args = parser.parse_args()
    texts = [json.loads(line)["text"] for line in (REPO / "models" / "data" / "heldout.jsonl").open(encoding="utf-8")]
    started = time.perf_counter()
    model = classifier.load(str(default_model_path()))
    loaded = time.perf_counter() - started
    best = float("inf")
    for _ in range(args.repeat):
        started = time.perf_counter()
        for start in range(0, len(texts), args.batch):
            model.classify_many(texts[start : start + args.batch])
        best = min(best, time.perf_counter() - started)
    words = sum(len(t.split()) for t in texts)
    print(f"model {model.version}: loaded in {loaded:.2f} s")
    print(f"{len(texts)} replies ({words / len(texts):.0f} words on average), batches of {args.batch}: "
          f"{len(texts) / best:,.0f} replies/s (best of {args.repeat})")


if __name__ == "__main__":
    main()
