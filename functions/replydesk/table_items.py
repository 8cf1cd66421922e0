"""The replies table's key design, and records <-> items. Pure: no AWS client here.

Base table: ``pk = REPLY#<ses message id>``, ``sk = REPLY`` -- one item per received message,
so a redelivered event finds the item it already wrote. Three global secondary indexes:

- ``by_campaign``: ``gsi1pk = CAMPAIGN#<id>``, ``gsi1sk = <received ISO>#<id>`` -- a campaign by date;
- ``by_label``: ``gsi2pk = CAMPAIGN#<id>#LABEL#<label>``, ``gsi2sk`` received -- one label of a campaign;
- ``by_target``: ``gsi3pk = CAMPAIGN#<id>#TARGET#<address>``, ``gsi3sk`` received -- one target's replies.

The label key follows the staff label when there is one, else the model's.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from replydesk.records import ReplyRecord

MAX_TEXT_CHARS = 100_000
SCHEMA_VERSION = 1


def reply_key(ses_message_id: str) -> dict[str, str]:
    return {"pk": f"REPLY#{ses_message_id}", "sk": "REPLY"}


def campaign_key(campaign: str) -> str:
    return f"CAMPAIGN#{campaign}"


def label_key(campaign: str, label: str | None) -> str:
    return f"CAMPAIGN#{campaign}#LABEL#{label or 'unlabelled'}"


def target_key(campaign: str, address: str) -> str:
    return f"CAMPAIGN#{campaign}#TARGET#{address.lower()}"


def record_to_item(record: ReplyRecord, now: datetime | None = None) -> dict[str, Any]:
    delivery, parsed, result = record.delivery, record.parsed, record.classification
    received = delivery.received.astimezone(UTC).isoformat().replace("+00:00", "Z")
    label = result.label.value if result else None
    author_email = parsed.author.email if parsed and parsed.author else ""
    item: dict[str, Any] = {
        **reply_key(delivery.ses_message_id),
        "gsi1pk": campaign_key(record.campaign),
        "gsi1sk": f"{received}#{delivery.ses_message_id}",
        "gsi2pk": label_key(record.campaign, label),
        "gsi2sk": received,
        "schema_version": SCHEMA_VERSION,
        "campaign": record.campaign,
        "ses_message_id": delivery.ses_message_id,
        "received": received,
        "recipients": list(delivery.recipients),
        "raw_location": delivery.raw_location,
        "status": record.status.value,
        "verdicts": {k: v for k, v in delivery.verdicts.as_dict().items() if v},
        "processed_at": (now or datetime.now(UTC)).isoformat().replace("+00:00", "Z"),
    }
    target_address = record.target.email if record.target else author_email
    if target_address:
        item["gsi3pk"] = target_key(record.campaign, target_address)
        item["gsi3sk"] = received
    item["target_match"] = record.target_match
    if record.target:
        item["target_email"] = record.target.email
        item["target_name"] = record.target.name
    if record.reason:
        item["reason"] = record.reason[:2000]
    if parsed:
        text = parsed.reply_text
        item.update(
            {
                "message_id": parsed.message_id or "",
                "subject": parsed.subject[:1000],
                "sent": parsed.date.isoformat() if parsed.date else "",
                "author_name": parsed.author.name if parsed.author else "",
                "author_email": author_email,
                "reply_text": text[:MAX_TEXT_CHARS],
                "text_source": parsed.text_source,
                "language": parsed.language or "",
                "automatic": parsed.automatic.value if parsed.automatic else "",
                "attachments": [a.as_dict() for a in parsed.attachments],
                "failed_recipients": list(parsed.failed_recipients),
                "notes": list(parsed.notes),
            }
        )
        if len(text) > MAX_TEXT_CHARS:
            item["notes"].append(f"reply text truncated from {len(text)} characters")
        if parsed.forwarded_by:
            item["forwarded_by"] = parsed.forwarded_by.as_dict()
    if result:
        item.update(
            {
                "label": result.label.value,
                "model_label": result.label.value,
                "confidence": Decimal(str(round(result.confidence, 4))),
                "needs_review": result.needs_review,
                "evidence": list(result.evidence),
                "model_version": result.model_version,
            }
        )
    return {k: v for k, v in item.items() if v is not None}
