"""Merge the written corpus slices into train.jsonl and heldout.jsonl (run once per new slice).

The held-out split is a fixed 20%, stratified by label and language, chosen by a hash of each
row's id: adding rows later never moves an existing row between splits.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).parent
HELDOUT_PERCENT = 20
FIELDS = ("id", "text", "label", "lang", "source", "hard", "added")


def is_heldout(row_id: str) -> bool:
    return int(hashlib.sha256(row_id.encode()).hexdigest(), 16) % 100 < HELDOUT_PERCENT


def main(slices: list[Path], added: str) -> None:
    rows = []
    for path in slices:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                row = json.loads(line)
                missing = {"id", "text", "label", "lang"} - row.keys()
                if missing:
                    raise SystemExit(f"{path.name}:{number}: missing {sorted(missing)}")
                row.setdefault("added", added)
                rows.append({k: row[k] for k in FIELDS if k in row})
    ids = [r["id"] for r in rows]
    if len(ids) != len(set(ids)):
        raise SystemExit("duplicate ids across slices")
    for name, keep in (("train.jsonl", False), ("heldout.jsonl", True)):
        with (HERE / name).open("w", encoding="utf-8") as handle:
            for row in sorted(rows, key=lambda r: r["id"]):
                if is_heldout(row["id"]) == keep:
                    handle.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main([Path(p) for p in sys.argv[2:]], sys.argv[1])
