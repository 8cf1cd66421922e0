"""One vocabulary for every layer: what a parsed reply, a classification and a stored record are."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Label(StrEnum):
    """The product's three labels (shared/labels.md)."""

    COMMITTED = "committed"
    SCEPTICAL = "sceptical"
    NO_ACTION = "no_action"

    @property
    def display(self) -> str:
        return {"committed": "Committed", "sceptical": "Sceptical", "no_action": "No action"}[self.value]


class Automatic(StrEnum):
    """Why a message was written by a machine rather than a person."""

    AUTO_REPLY = "auto_reply"
    BOUNCE = "bounce"


class Status(StrEnum):
    """How far a raw message got through replydesk."""

    CLASSIFIED = "classified"
    AUTOMATIC = "automatic"
    FAILED = "failed"
    QUARANTINED = "quarantined"


@dataclass(frozen=True)
class Person:
    name: str
    email: str

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "email": self.email}


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    size: int
    note: str | None = None

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"filename": self.filename, "content_type": self.content_type, "size": self.size}
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class ParsedMessage:
    """What replydesk understood of one raw message, independent of how it arrived."""

    message_id: str | None
    subject: str
    date: datetime | None
    author: Person | None
    forwarded_by: Person | None
    automatic: Automatic | None
    automatic_reason: str | None
    reply_text: str
    text_source: str = "body"
    language: str | None = None
    attachments: tuple[Attachment, ...] = ()
    failed_recipients: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    error: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "error": self.error,
            "message_id": self.message_id,
            "subject": self.subject,
            "date": self.date.isoformat() if self.date else None,
            "author": self.author.as_dict() if self.author else None,
            "forwarded_by": self.forwarded_by.as_dict() if self.forwarded_by else None,
            "automatic": self.automatic.value if self.automatic else None,
            "automatic_reason": self.automatic_reason,
            "failed_recipients": list(self.failed_recipients),
            "text_source": self.text_source,
            "language": self.language,
            "attachments": [a.as_dict() for a in self.attachments],
            "notes": list(self.notes),
            "reply_text": self.reply_text,
        }


@dataclass(frozen=True)
class Classification:
    label: Label
    confidence: float
    model_version: str
    needs_review: bool = False
    evidence: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "label": self.label.value,
            "confidence": round(self.confidence, 4),
            "needs_review": self.needs_review,
            "evidence": list(self.evidence),
            "model_version": self.model_version,
        }


@dataclass(frozen=True)
class Verdicts:
    """SES's receipt verdicts (PASS, FAIL, GRAY, PROCESSING_FAILED, DISABLED)."""

    spam: str | None = None
    virus: str | None = None
    spf: str | None = None
    dkim: str | None = None
    dmarc: str | None = None

    @property
    def virus_found(self) -> bool:
        return self.virus == "FAIL"

    def as_dict(self) -> dict[str, str | None]:
        return {"spam": self.spam, "virus": self.virus, "spf": self.spf, "dkim": self.dkim, "dmarc": self.dmarc}


@dataclass(frozen=True)
class Delivery:
    """How a raw message reached replydesk: the SES receipt, and where its bytes are stored."""

    ses_message_id: str
    received: datetime
    recipients: tuple[str, ...]
    bucket: str
    key: str
    verdicts: Verdicts = field(default_factory=Verdicts)

    @property
    def raw_location(self) -> str:
        return f"s3://{self.bucket}/{self.key}"


@dataclass(frozen=True)
class ReplyRecord:
    """One stored reply: always written, whatever happened to the message on the way."""

    delivery: Delivery
    campaign: str
    status: Status
    parsed: ParsedMessage | None = None
    classification: Classification | None = None
    reason: str | None = None
    target: Person | None = None
    target_match: str = "unmatched"
