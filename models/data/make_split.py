"""Add newly written corpus slices to train.jsonl and heldout.jsonl.

Rows already in the corpus keep their split, so the held-out split only ever grows and a row that
was once held out never becomes training data. Of the new rows, 20% of every (label, language)
group is held out: the rows whose id hashes lowest, so the split is reproducible and does not
depend on file order. Staff corrections never pass through here (they go to corrections.jsonl,
training only).

    python models/data/make_split.py <added-date> <slice.jsonl>...
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).parent
HELDOUT_PERCENT = 20
FIELDS = ("id", "text", "label", "lang", "source", "hard", "added")
SPLITS = {"train.jsonl": False, "heldout.jsonl": True}


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


def read_rows(path: Path, added: str | None = None) -> list[dict]:
    rows = []
    if not path.exists():
        return rows
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            row = json.loads(line)
            missing = {"id", "text", "label", "lang"} - row.keys()
            if missing:
                raise SystemExit(f"{path.name}:{number}: missing {sorted(missing)}")
            if added:
                row.setdefault("added", added)
            rows.append({k: row[k] for k in FIELDS if k in row})
    return rows


def main(slices: list[Path], added: str) -> None:
    existing = {name: read_rows(HERE / name) for name in SPLITS}
    known = {row["id"] for rows in existing.values() for row in rows}
    known_texts = {row["text"] for rows in existing.values() for row in rows}
    new = [row for path in slices for row in read_rows(path, added)]
    ids = [r["id"] for r in new]
    if len(ids) != len(set(ids)) or known & set(ids):
        raise SystemExit("duplicate ids: a slice repeats an id or reuses one already in the corpus")
    if known_texts & {r["text"] for r in new}:
        raise SystemExit("a slice repeats a text already in the corpus")
    heldout = heldout_ids(new)
    for name, keep in SPLITS.items():
        rows = existing[name] + [row for row in new if (row["id"] in heldout) == keep]
        with (HERE / name).open("w", encoding="utf-8") as handle:
            for row in sorted(rows, key=lambda r: r["id"]):
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"{name}: {len(rows)} rows ({len(rows) - len(existing[name])} new)")


if __name__ == "__main__":
    main([Path(p) for p in sys.argv[2:]], sys.argv[1])
