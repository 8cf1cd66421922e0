"""The export job behind the export Lambda: one file per campaign into the exports bucket.

Each file is streamed to a temporary file and uploaded from there, so memory stays flat; the
caller gets a presigned URL valid for a limited time.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from replydesk.campaigns import UNASSIGNED
from replydesk.export_service import ExportFilters, ReplySource, TargetSource, export

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class ExportRequest:
    campaigns: tuple[str, ...]
    fmt: str = "xlsx"
    filters: ExportFilters = field(default_factory=ExportFilters)

    @classmethod
    def from_event(cls, event: dict[str, Any], all_campaigns: tuple[str, ...]) -> ExportRequest:
        """A scheduled EventBridge event exports every campaign; an on-demand event names one."""
        if event.get("source") == "aws.events" or not event.get("campaign"):
            return cls((*all_campaigns, UNASSIGNED), str(event.get("format", "xlsx")))
        fmt = str(event.get("format", "xlsx"))
        if fmt not in CONTENT_TYPES:
            raise ValueError(f"format must be csv or xlsx, not {fmt!r}")
        campaign = str(event["campaign"])
        filters = ExportFilters(campaign, event.get("label"), bool(event.get("needs_review")), event.get("since"),
                                event.get("until"), event.get("language"))
        return cls((campaign,), fmt, filters)


@dataclass(frozen=True)
class ExportJob:
    replies: ReplySource
    targets: TargetSource
    s3: Any
    bucket: str
    url_seconds: int = 3600

    def run(self, request: ExportRequest, now: datetime | None = None) -> list[dict[str, Any]]:
        now = now or datetime.now(UTC)
        stamp = now.strftime("%Y-%m-%dT%H%M%SZ")
        done = []
        for campaign in request.campaigns:
            filters = ExportFilters(campaign, *[getattr(request.filters, f) for f in
                                                 ("label", "needs_review", "since", "until", "language")])
            key = f"exports/{campaign}/{stamp}-{campaign}.{request.fmt}"
            with tempfile.TemporaryFile() as handle:
                rows = export(self.replies, self.targets, filters, request.fmt, handle)
                handle.seek(0)
                self.s3.upload_fileobj(handle, self.bucket, key,
                                       ExtraArgs={"ContentType": CONTENT_TYPES[request.fmt]})
            url = self.s3.generate_presigned_url(
                "get_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=self.url_seconds)
            done.append({"campaign": campaign, "rows": rows, "key": key, "url": url,
                         "expires_in_seconds": self.url_seconds})
        return done
