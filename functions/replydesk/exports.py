"""Reply items to the spreadsheets staff work in: CSV and XLSX, streamed row by row.

Pure formatting: callers pass an iterator of table items and a binary stream, so memory stays
flat however many replies a campaign has. Cells that a spreadsheet would run as a formula are
neutralised with a leading apostrophe (OWASP's CSV-injection advice), in CSV and XLSX alike.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from replydesk.campaigns import base_address
from replydesk.records import Label

EXCERPT_CHARS = 140
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_CELL_LIMIT = 32_767

COLUMNS: tuple[tuple[str, int], ...] = (
    ("id", 18),
    ("received", 20),
    ("campaign", 12),
    ("author", 24),
    ("author_email", 28),
    ("target", 24),
    ("party", 14),
    ("country", 12),
    ("subject", 36),
    ("label", 12),
    ("model_label", 12),
    ("confidence", 11),
    ("needs_review", 12),
    ("evidence", 30),
    ("excerpt", 50),
    ("reply_text", 80),
    ("language", 9),
    ("automatic", 11),
    ("forwarded_by", 24),
    ("status", 11),
    ("reason", 30),
    ("reviewed_by", 16),
    ("reviewed_at", 20),
    ("model_version", 22),
    ("raw_location", 40),
)
HEADER = tuple(name for name, _ in COLUMNS)


def display_label(value: str | None) -> str:
    try:
        return Label(value).display if value else ""
    except ValueError:
        return value or ""


def parse_label(value: str) -> Label | None:
    """Accept what staff type in the label column: ``committed``, ``Committed``, ``No action``..."""
    cleaned = value.strip().lower().replace(" ", "_").replace("-", "_")
    try:
        return Label(cleaned)
    except ValueError:
        return None


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def excerpt(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= EXCERPT_CHARS else line[: EXCERPT_CHARS - 1] + "…"


def item_to_row(item: Mapping[str, Any], targets: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """One spreadsheet row; ``targets`` maps a target's base address to its stored fields."""
    text = str(item.get("reply_text", ""))
    forwarded = item.get("forwarded_by") or {}
    target_email = str(item.get("target_email") or "")
    target = (targets or {}).get(base_address(target_email), {}) if target_email else {}
    fields = target.get("fields", {}) if isinstance(target, Mapping) else {}
    confidence = item.get("confidence")
    return {
        "id": item.get("ses_message_id", ""),
        "received": item.get("received", ""),
        "campaign": item.get("campaign", ""),
        "author": item.get("author_name", ""),
        "author_email": item.get("author_email", ""),
        "target": item.get("target_name") or "",
        "target_email": target_email,
        "target_match": item.get("target_match", ""),
        "party": fields.get("party", ""),
        "country": fields.get("country", ""),
        "subject": item.get("subject", ""),
        "label": display_label(item.get("label")),
        "model_label": display_label(item.get("model_label")),
        "confidence": float(confidence) if confidence is not None else "",
        "needs_review": "yes" if item.get("needs_review") else "",
        "evidence": "; ".join(item.get("evidence", []) or []),
        "excerpt": excerpt(text),
        "reply_text": text,
        "language": item.get("language", ""),
        "automatic": item.get("automatic", ""),
        "forwarded_by": forwarded.get("email", "") if isinstance(forwarded, Mapping) else "",
        "status": item.get("status", ""),
        "reason": item.get("reason", ""),
        "reviewed_by": item.get("reviewed_by", ""),
        "reviewed_at": item.get("reviewed_at", ""),
        "model_version": item.get("model_version", ""),
        "raw_location": item.get("raw_location", ""),
    }


class TargetTracker:
    """Watches rows stream past and remembers each target's latest reply, in O(targets) memory."""

    def __init__(self, targets: Iterable[Mapping[str, Any]]) -> None:
        self.targets = {base_address(str(t["email"])): t for t in targets}
        self.latest: dict[str, tuple[str, str]] = {}
        self.counts: Counter = Counter()

    def watch(self, rows: Iterable[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
        for row in rows:
            key = base_address(str(row.get("target_email") or "")) if row.get("target_email") else ""
            if key in self.targets and row.get("target_match") != "bounce":
                self.counts[key] += 1
                received = str(row.get("received", ""))
                if received >= self.latest.get(key, ("", ""))[0]:
                    self.latest[key] = (received, str(row.get("label", "")))
            yield row

    def columns(self) -> tuple[str, ...]:
        names: dict[str, None] = {}
        for target in self.targets.values():
            names.update(dict.fromkeys(target.get("fields", {})))
        return tuple(names)

    def rows(self) -> Iterator[dict[str, Any]]:
        for key, target in sorted(self.targets.items(), key=lambda kv: str(kv[1].get("name", "")).lower()):
            received, label = self.latest.get(key, ("", ""))
            failing = target.get("address_status") == "failing"
            status = "replied" if received else ("address failing" if failing else "no reply yet")
            yield {"name": target.get("name", ""), "email": target.get("email", ""), **target.get("fields", {}),
                   "latest_label": label, "latest_reply": received, "replies": self.counts.get(key, 0),
                   "status": status if not (failing and received) else "replied; address failing"}


def write_csv(rows: Iterable[Mapping[str, Any]], out: BinaryIO) -> int:
    """UTF-8 with BOM so Excel opens it right; returns the number of rows written."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(HEADER)
    count = 0
    for row in rows:
        writer.writerow([neutralise(row.get(name, "")) for name in HEADER])
        count += 1
    text.flush()
    text.detach()
    return count


@dataclass
class SummaryCounts:
    labels: Counter = field(default_factory=Counter)
    by_group: dict[str, Counter] = field(default_factory=dict)

    def add(self, row: Mapping[str, Any]) -> None:
        label = row.get("label") or f"({row.get('status', 'unlabelled')})"
        self.labels[label] += 1
        for group in ("party", "country"):
            value = row.get(group)
            if value:
                self.by_group.setdefault(group, Counter())[(value, label)] += 1


def _counting(rows: Iterable[Mapping[str, Any]], counts: SummaryCounts) -> Iterator[Mapping[str, Any]]:
    for row in rows:
        counts.add(row)
        yield row


def write_xlsx(
    rows: Iterable[Mapping[str, Any]],
    out: BinaryIO,
    target_rows: Iterable[Mapping[str, Any]] = (),
    target_columns: tuple[str, ...] = (),
) -> int:
    """A Replies sheet, a Targets sheet (who has and has not replied) and a Summary with a chart."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    replies = workbook.create_sheet("Replies")
    targets = workbook.create_sheet("Targets")
    summary = workbook.create_sheet("Summary")
    replies.freeze_panes = "A2"
    for index, (_, width) in enumerate(COLUMNS, 1):
        replies.column_dimensions[get_column_letter(index)].width = width
    replies.append(HEADER)
    counts = SummaryCounts()
    count = 0
    for row in _counting(rows, counts):
        replies.append([_cell(row.get(name, "")) for name in HEADER])
        count += 1
    replies.auto_filter.ref = f"A1:{get_column_letter(len(HEADER))}{count + 1}"

    target_header = ("name", "email", *target_columns, "latest_label", "latest_reply", "replies", "status")
    targets.freeze_panes = "A2"
    for index in range(1, len(target_header) + 1):
        targets.column_dimensions[get_column_letter(index)].width = 22
    targets.append(target_header)
    target_count = 0
    target_status: Counter = Counter()
    for target in target_rows:
        targets.append([_cell(target.get(name, "")) for name in target_header])
        target_status[str(target.get("status", ""))] += 1
        target_count += 1
    targets.auto_filter.ref = f"A1:{get_column_letter(len(target_header))}{target_count + 1}"

    summary.append(["label", "replies"])
    ordered = [Label(v).display for v in Label] + sorted(k for k in counts.labels if k not in Label.__members__)
    label_rows = [
        name for name in dict.fromkeys(ordered) if name in counts.labels or name in {lbl.display for lbl in Label}
    ]
    for name in label_rows:
        summary.append([name, counts.labels.get(name, 0)])
    chart = BarChart()
    chart.title = "Replies by label"
    chart.y_axis.title = "replies"
    chart.add_data(Reference(summary, min_col=2, min_row=1, max_row=len(label_rows) + 1), titles_from_data=True)
    chart.set_categories(Reference(summary, min_col=1, min_row=2, max_row=len(label_rows) + 1))
    summary.add_chart(chart, "E2")
    if target_count:
        summary.append([])
        summary.append(["targets", target_count])
        for status, number in sorted(target_status.items()):
            summary.append([status, number])
    for group, counter in counts.by_group.items():
        summary.append([])
        labels = [lbl.display for lbl in Label]
        summary.append([group, *labels])
        for value in sorted({v for v, _ in counter}):
            summary.append([_cell(value), *[counter.get((value, lbl), 0) for lbl in labels]])
    workbook.save(out)
    return count


def _cell(value: Any) -> Any:
    value = neutralise(value)
    if isinstance(value, str) and len(value) > XLSX_CELL_LIMIT:
        return value[: XLSX_CELL_LIMIT - 1] + "…"
    return value
