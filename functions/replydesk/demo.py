"""`replydesk demo`: a folder of .eml files through the real intake handler on local moto."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email import policy
from email.parser import BytesHeaderParser
from email.utils import getaddresses
from pathlib import Path
from typing import Any

from replydesk import exports
from replydesk.aws.campaigns_table import CampaignsStore
from replydesk.aws.replies_table import RepliesTable
from replydesk.aws.targets_table import TargetsStore
from replydesk.campaigns import UNASSIGNED, load_campaigns
from replydesk.export_service import ExportFilters, export
from replydesk.local import REPO_ROOT, local_aws
from replydesk.runtime import build_intake_service, client_factory
from replydesk.ses_events import build_receipt_event, ses_message_id
from replydesk.targets import read_targets_csv

DEFAULT_SAMPLES = REPO_ROOT / "samples"
DEFAULT_RECIPIENT = "replies@campaign.example"


@dataclass(frozen=True)
class LambdaContextStub:
    """What the Lambda runtime passes as context; Powertools reads these fields."""

    function_name: str = "replydesk-intake"
    function_version: str = "$LATEST"
    invoked_function_arn: str = "arn:aws:lambda:eu-west-1:123456789012:function:replydesk-intake"
    memory_limit_in_mb: int = 1536
    aws_request_id: str = "local-demo"
    log_group_name: str = "/aws/lambda/replydesk-intake"
    log_stream_name: str = "local"

    def get_remaining_time_in_millis(self) -> int:
        return 120_000


def envelope_recipients(raw: bytes) -> list[str]:
    """Who SES would have received this for: the To/Cc/Delivered-To addresses."""
    try:
        headers = BytesHeaderParser(policy=policy.compat32).parsebytes(raw)
        values = [str(v) for name in ("Delivered-To", "To", "Cc") for v in headers.get_all(name) or []]
        found = [a.lower() for _, a in getaddresses(values) if "@" in a]
    except Exception:
        found = []
    return list(dict.fromkeys(found)) or [DEFAULT_RECIPIENT]


def run_demo(samples: Path = DEFAULT_SAMPLES, out: Path = Path("out"),
             echo: Callable[[str], None] = print) -> dict[str, Any]:
    """Provision local AWS from template.yaml, load campaigns and targets, receive every .eml
    through the intake handler, then export: one CSV of every reply and an XLSX per campaign."""
    files = sorted(p for p in samples.glob("*.eml") if p.is_file())
    with local_aws() as (settings, resources):
        from replydesk.handlers import intake  # after local_aws: Powertools reads its settings at import

        factory = client_factory(settings)
        table = factory.resource("dynamodb").Table(settings.table_name)
        campaigns = _load_campaigns_and_targets(samples, table, echo)
        service = build_intake_service(settings, factory)
        s3 = factory.client("s3")
        start = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
        results = []
        for number, path in enumerate(files):
            raw = path.read_bytes()
            message_id = ses_message_id(raw + path.name.encode())
            s3.put_object(Bucket=resources.bucket, Key=f"{resources.prefix}{message_id}", Body=raw)
            event = build_receipt_event(raw, envelope_recipients(raw), message_id=message_id,
                                        received=start + timedelta(hours=7 * number))
            response = intake.lambda_handler(event, LambdaContextStub(), service=service, settings=settings)
            results.extend({**r, "file": path.name} for r in response["results"])
        replies = RepliesTable(table)
        items = sorted(replies.all_replies(), key=lambda i: i["received"])
        echo(render_table(items, {r["ses_message_id"]: r["file"] for r in results}))
        out.mkdir(parents=True, exist_ok=True)
        written = [out / "replies.csv"]
        with written[0].open("wb") as handle:
            export(replies, None, ExportFilters(), "csv", handle)
        targets = TargetsStore(table)
        for campaign in [*campaigns, UNASSIGNED]:
            if campaign == UNASSIGNED and not any(i["campaign"] == UNASSIGNED for i in items):
                continue
            path = out / f"{campaign}.xlsx"
            with path.open("wb") as handle:
                export(replies, targets, ExportFilters(campaign), "xlsx", handle)
            written.append(path)
        echo("")
        echo(render_summary(items, targets, campaigns))
        echo(f"\n{len(items)} replies stored from {len(files)} files in {samples}")
        for path in written:
            echo(f"wrote {path}")
        return {"items": items, "files": written, "results": results}


def _load_campaigns_and_targets(samples: Path, table: Any, echo: Callable[[str], None]) -> list[str]:
    campaigns_file = samples / "campaigns.yaml"
    if not campaigns_file.is_file():
        return []
    campaigns = load_campaigns(campaigns_file)
    CampaignsStore(table).sync(campaigns)
    store = TargetsStore(table)
    for campaign in campaigns:
        targets_file = samples / f"targets-{campaign.id}.csv"
        if targets_file.is_file():
            report = read_targets_csv(targets_file.read_bytes())
            added, _ = store.import_targets(campaign.id, report.targets)
            echo(f"campaign {campaign.id}: {added} targets from {targets_file.name}"
                 + (f" ({len(report.errors)} rows reported)" if report.errors else ""))
    return [c.id for c in campaigns]


def render_summary(items: list[dict[str, Any]], targets: TargetsStore, campaigns: list[str]) -> str:
    lines = []
    for campaign in [*campaigns, UNASSIGNED]:
        mine = [i for i in items if i["campaign"] == campaign]
        if not mine and campaign == UNASSIGNED:
            continue
        counts = Counter(exports.display_label(i.get("label")) or f"({i.get('status')})" for i in mine)
        listed = targets.items(campaign) if campaign != UNASSIGNED else []
        tracker = exports.TargetTracker(listed)  # the same statuses as the export's Targets sheet
        for _ in tracker.watch(mine):
            pass
        statuses = Counter(row["status"] for row in tracker.rows())
        summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        lines.append(f"{campaign}: {len(mine)} replies ({summary})"
                     + (f"; targets {len(listed)}: " + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
                        if listed else ""))
    return "\n".join(lines)


def render_table(items: list[dict[str, Any]], files: dict[str, str]) -> str:
    header = ("file", "author", "target", "subject", "label", "conf", "status")
    rows = []
    for item in items:
        author = item.get("author_name") or item.get("author_email") or "?"
        confidence = item.get("confidence")
        target = f"{item.get('target_name', '')} ({item['target_match']})" if item.get("target_name") else "unmatched"
        rows.append((
            files.get(item["ses_message_id"], "")[:30],
            str(author)[:24],
            target[:30],
            str(item.get("subject", ""))[:34],
            exports.display_label(item.get("label")) or "-",
            f"{float(confidence):.2f}" if confidence is not None else "-",
            str(item.get("status", "")),
        ))
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    return "\n".join([line(header), line(tuple("-" * w for w in widths)), *(line(r) for r in rows)])
