"""Staff corrections as training rows: from an edited export, or from the table's reviewed items."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from replydesk.exports import parse_label
from replydesk.training import Example


class CorrectionsError(ValueError):
    pass


def _example(ses_id: str, text: str, label: str, lang: str, when: str) -> Example:
    return Example(
        id=f"correction-{ses_id}",
        text=text,
        label=label,
        lang=lang or "",
        source="staff-correction",
        added=(when or datetime.now(UTC).isoformat())[:10],
    )


def corrections_from_items(items: Iterable[Mapping[str, Any]]) -> list[Example]:
    """Reviewed replies: the staff label is the truth, whatever the model said."""
    return [
        _example(
            str(i["ses_message_id"]),
            str(i.get("reply_text", "")),
            str(i["staff_label"]),
            str(i.get("language", "")),
            str(i.get("reviewed_at", "")),
        )
        for i in items
        if i.get("staff_label") and str(i.get("reply_text", "")).strip()
    ]


def read_export_rows(path: Path) -> list[dict[str, Any]]:
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
        sheet = workbook["Replies"] if "Replies" in workbook.sheetnames else workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [str(h or "").strip().lower() for h in next(rows, ())]
        return [dict(zip(header, ("" if v is None else v for v in row), strict=False)) for row in rows]
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [{(k or "").strip().lower(): v for k, v in row.items()} for row in csv.DictReader(handle)]


def corrections_from_export(path: Path) -> list[Example]:
    """Rows of an export whose label differs from the model's label (a staff edit)."""
    if path.suffix.lower() == ".jsonl":
        from replydesk.training import read_corpus

        return read_corpus([path])
    rows = read_export_rows(path)
    if rows and not {"id", "label", "reply_text"} <= rows[0].keys():
        raise CorrectionsError(f"{path.name}: needs id, label and reply_text columns")
    examples = []
    for row in rows:
        label = parse_label(str(row.get("label", "")))
        model_label = parse_label(str(row.get("model_label", "")))
        if label and (label != model_label or row.get("reviewed_by")) and str(row.get("reply_text", "")).strip():
            examples.append(
                _example(
                    str(row["id"]),
                    str(row["reply_text"]),
                    label.value,
                    str(row.get("language", "")),
                    str(row.get("reviewed_at", "")),
                )
            )
    return examples


def write_corrections(path: Path, examples: list[Example]) -> int:
    """Append rows not already there (same id and label); earlier rows are never edited."""
    seen: set[tuple[str, str]] = set()
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                seen.add((row["id"], row["label"]))
    added = 0
    with path.open("a", encoding="utf-8") as handle:
        for ex in examples:
            if (ex.id, ex.label) in seen:
                continue
            handle.write(
                json.dumps(
                    {
                        "id": ex.id,
                        "text": ex.text,
                        "label": ex.label,
                        "lang": ex.lang,
                        "source": ex.source,
                        "added": ex.added,
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
            seen.add((ex.id, ex.label))
            added += 1
    return added
