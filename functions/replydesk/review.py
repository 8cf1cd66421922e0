"""Staff corrections: one reply at a time, or in bulk from an edited export."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from replydesk.exports import parse_label


class ReviewTable(Protocol):
    def get(self, ses_message_id: str) -> dict[str, Any]: ...
    def set_label(self, ses_message_id: str, label: str, by: str) -> dict[str, Any]: ...


@dataclass
class ImportResult:
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)


def apply_rows(table: ReviewTable, rows: Iterable[Mapping[str, Any]], by: str,
               not_found: type[Exception] = LookupError) -> ImportResult:
    """Apply every row whose label differs from the stored one; report unknown labels and ids.

    Row numbers in problems count the header as row 1, as a spreadsheet shows them.
    """
    result = ImportResult()
    for number, row in enumerate(rows, 2):
        reply_id = str(row.get("id") or "").strip()
        typed = str(row.get("label") or "").strip()
        if not reply_id:
            result.problems.append(f"row {number}: no id")
            continue
        label = parse_label(typed)
        if label is None:
            result.problems.append(f"row {number} ({reply_id}): unknown label {typed!r}")
            continue
        try:
            current = table.get(reply_id)
        except not_found:
            result.problems.append(f"row {number}: no reply with id {reply_id}")
            continue
        if current.get("label") == label.value:
            result.unchanged += 1
            continue
        table.set_label(reply_id, label.value, by)
        result.changed.append(reply_id)
    return result
