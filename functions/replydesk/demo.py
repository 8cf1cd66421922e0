"""`replydesk demo`: a folder of .eml files through the real intake handler on local moto."""

from __future__ import annotations

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
from replydesk.campaigns import load_campaigns
from replydesk.local import REPO_ROOT, local_aws
from replydesk.runtime import build_intake_service, client_factory, replies_table
from replydesk.ses_events import build_receipt_event, ses_message_id

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


def run_demo(
    samples: Path = DEFAULT_SAMPLES, out: Path = Path("out"), echo: Callable[[str], None] = print
) -> dict[str, Any]:
    from replydesk.handlers import intake

    files = sorted(p for p in samples.glob("*.eml") if p.is_file())
    with local_aws() as (settings, resources):
        factory = client_factory(settings)
        campaigns_file = samples / "campaigns.yaml"
        if campaigns_file.is_file():
            table = factory.resource("dynamodb").Table(settings.table_name)
            CampaignsStore(table).sync(load_campaigns(campaigns_file))
        service = build_intake_service(settings, factory)
        s3 = factory.client("s3")
        start = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
        results = []
        for number, path in enumerate(files):
            raw = path.read_bytes()
            message_id = ses_message_id(raw + path.name.encode())
            s3.put_object(Bucket=resources.bucket, Key=f"{resources.prefix}{message_id}", Body=raw)
            event = build_receipt_event(
                raw, envelope_recipients(raw), message_id=message_id, received=start + timedelta(hours=7 * number)
            )
            response = intake.lambda_handler(event, LambdaContextStub(), service=service, settings=settings)
            results.extend({**r, "file": path.name} for r in response["results"])
        items = sorted(replies_table(settings, factory).all_replies(), key=lambda i: i["received"])
        echo(render_table(items, {r["ses_message_id"]: r["file"] for r in results}))
        out.mkdir(parents=True, exist_ok=True)
        rows = [exports.item_to_row(i) for i in items]
        csv_path, xlsx_path = out / "replies.csv", out / "replies.xlsx"
        with csv_path.open("wb") as handle:
            exports.write_csv(rows, handle)
        with xlsx_path.open("wb") as handle:
            exports.write_xlsx(rows, handle)
        echo(f"\n{len(items)} replies stored from {len(files)} files in {samples}")
        echo(f"wrote {csv_path}\nwrote {xlsx_path}")
        return {"items": items, "files": [csv_path, xlsx_path], "results": results}


def render_table(items: list[dict[str, Any]], files: dict[str, str]) -> str:
    header = ("file", "author", "subject", "label", "conf", "status")
    rows = []
    for item in items:
        author = item.get("author_name") or item.get("author_email") or "?"
        confidence = item.get("confidence")
        rows.append(
            (
                files.get(item["ses_message_id"], "")[:28],
                str(author)[:26],
                str(item.get("subject", ""))[:40],
                exports.display_label(item.get("label")) or "-",
                f"{float(confidence):.2f}" if confidence is not None else "-",
                item.get("status", ""),
            )
        )
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()  # noqa: E731
    return "\n".join([line(header), line(tuple("-" * w for w in widths)), *(line(r) for r in rows)])
