"""Merge the written corpus slices into train.jsonl and heldout.jsonl (run once per new slice).

The held-out split is 20% of every (label, language) group: the rows whose id hashes lowest, so
the split is reproducible and does not depend on file order. Staff corrections never pass
through here (they go to corrections.jsonl, training only), so the held-out split stays fixed.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).parent
HELDOUT_PERCENT = 20
FIELDS = ("id", "text", "label", "lang", "source", "hard", "added")


def _rank(row_id: str) -> str:
    return hashlib.sha256(row_id.encode()).hexdigest()


def heldout_ids(rows: list[dict]) -> set[str]:
    groups: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        groups.setdefault((row["label"], row["lang"]), []).append(row["id"])
    chosen: set[str] = set()
    for ids in groups.values():
        chosen.update(sorted(ids, key=_rank)[: round(len(ids) * HELDOUT_PERCENT / 100)])
    return chosen


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
    heldout = heldout_ids(rows)
    for name, keep in (("train.jsonl", False), ("heldout.jsonl", True)):
        with (HERE / name).open("w", encoding="utf-8") as handle:
            for row in sorted(rows, key=lambda r: r["id"]):
                if (row["id"] in heldout) == keep:
                    handle.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main([Path(p) for p in sys.argv[2:]], sys.argv[1])
