"""SES receipt events in the exact shape SES gives a Lambda action, built from a raw message.

Used by the local demo and the backfill path, so a message imported from disk travels the same
handler code as one SES received. The shape follows the AWS-documented Lambda action event
(see tests/fixtures/events/ses_receipt_lambda.json).
"""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime
from email import policy
from email.parser import BytesHeaderParser

MAX_HEADERS = 100


def ses_message_id(raw: bytes) -> str:
    """A stable id in SES's style (lower-case base32) derived from the content."""
    return base64.b32encode(hashlib.sha256(raw).digest()).decode().lower().rstrip("=")[:40]


def _header_values(msg, name: str) -> list[str]:
    try:
        return [str(v) for v in msg.get_all(name) or []]
    except Exception:
        return [str(v) for k, v in msg.raw_items() if k.lower() == name.lower()]


def build_receipt_event(
    raw: bytes,
    recipients: list[str],
    *,
    message_id: str | None = None,
    received: datetime | None = None,
    function_arn: str = "arn:aws:lambda:eu-west-1:123456789012:function:replydesk-intake",
    verdicts: dict[str, str] | None = None,
) -> dict:
    msg = BytesHeaderParser(policy=policy.compat32).parsebytes(raw)
    received = received or datetime.now(UTC)
    stamp = received.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    verdicts = {"spam": "PASS", "virus": "PASS", "spf": "PASS", "dkim": "PASS", "dmarc": "PASS", **(verdicts or {})}
    headers = [{"name": k, "value": str(v)} for k, v in list(msg.raw_items())[:MAX_HEADERS]]
    first = lambda name: (_header_values(msg, name) or [""])[0]  # noqa: E731
    return {
        "Records": [
            {
                "eventSource": "aws:ses",
                "eventVersion": "1.0",
                "ses": {
                    "mail": {
                        "timestamp": stamp,
                        "source": first("Return-Path").strip("<>") or first("From"),
                        "messageId": message_id or ses_message_id(raw),
                        "destination": recipients,
                        "headersTruncated": len(list(msg.raw_items())) > MAX_HEADERS,
                        "headers": headers,
                        "commonHeaders": {
                            "returnPath": first("Return-Path").strip("<>"),
                            "from": _header_values(msg, "From"),
                            "date": first("Date"),
                            "to": _header_values(msg, "To"),
                            "messageId": first("Message-ID"),
                            "subject": first("Subject"),
                        },
                    },
                    "receipt": {
                        "timestamp": stamp,
                        "processingTimeMillis": 412,
                        "recipients": recipients,
                        "spamVerdict": {"status": verdicts["spam"]},
                        "virusVerdict": {"status": verdicts["virus"]},
                        "spfVerdict": {"status": verdicts["spf"]},
                        "dkimVerdict": {"status": verdicts["dkim"]},
                        "dmarcVerdict": {"status": verdicts["dmarc"]},
                        "action": {"type": "Lambda", "functionArn": function_arn, "invocationType": "Event"},
                    },
                },
            }
        ]
    }
