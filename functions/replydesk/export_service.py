"""Which replies an export holds, read page by page through the table's indexes, and written out.

Storage is passed in (the replies table and the targets store), so the CLI and the export Lambda
share this; nothing here holds more than one page of replies plus the campaign's target list.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO, Protocol

from replydesk import exports
from replydesk.campaigns import base_address


class ReplySource(Protocol):
    def by_campaign(self, campaign: str, since: str | None = None, until: str | None = None) -> Iterator[dict]: ...
    def by_label(self, campaign: str, label: str) -> Iterator[dict]: ...
    def all_replies(self) -> Iterator[dict]: ...


class TargetSource(Protocol):
    def items(self, campaign: str) -> list[dict[str, Any]]: ...


@dataclass(frozen=True)
class ExportFilters:
    campaign: str | None = None
    label: str | None = None
    needs_review: bool = False
    since: str | None = None  # ISO date or timestamp, inclusive
    until: str | None = None  # inclusive
    language: str | None = None

    def keep(self, item: dict[str, Any]) -> bool:
        if self.label and item.get("label") != self.label:
            return False
        if self.needs_review and not item.get("needs_review"):
            return False
        if self.language and item.get("language") != self.language:
            return False
        received = str(item.get("received", ""))
        if self.since and received < self.since:
            return False
        return not (self.until and received[: len(self.until)] > self.until)


def select(replies: ReplySource, filters: ExportFilters) -> Iterator[dict[str, Any]]:
    """The narrowest index for the filters: label index, campaign-by-date index, or a paged scan."""
    if filters.campaign and filters.label and not (filters.since or filters.until):
        items = replies.by_label(filters.campaign, filters.label)
    elif filters.campaign:
        items = replies.by_campaign(filters.campaign, filters.since, filters.until)
    else:
        items = replies.all_replies()
    return (item for item in items if filters.keep(item))


def export(replies: ReplySource, targets: TargetSource | None, filters: ExportFilters, fmt: str,
           out: BinaryIO) -> int:
    """Write CSV or XLSX to ``out``; returns the number of replies written."""
    target_items = targets.items(filters.campaign) if targets is not None and filters.campaign else []
    by_address = {base_address(str(t["email"])): t for t in target_items}
    rows = (exports.item_to_row(item, by_address) for item in select(replies, filters))
    if fmt == "csv":
        return exports.write_csv(rows, out)
    tracker = exports.TargetTracker(target_items)
    return exports.write_xlsx(tracker.watch(rows), out, tracker.rows(), tracker.columns())
