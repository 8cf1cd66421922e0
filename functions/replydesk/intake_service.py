"""The intake step as a unit: read the raw message, run the pipeline, store the record.

Ports (mail store, table) are passed in, so the Lambda, the local demo and tests share it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from replydesk.pipeline import Intake
from replydesk.records import Delivery, ReplyRecord
from replydesk.targets import Target


class RawMail(Protocol):
    def read(self, bucket: str, key: str) -> bytes: ...


class ReplyStore(Protocol):
    def put_new(self, record: ReplyRecord) -> bool: ...


class TargetFlags(Protocol):
    def mark_failing(self, campaign: str, target: Target, reason: str) -> None: ...


@dataclass(frozen=True)
class Outcome:
    record: ReplyRecord
    written: bool


@dataclass(frozen=True)
class IntakeService:
    intake: Intake
    mail: RawMail
    store: ReplyStore
    targets: TargetFlags | None = None

    def receive(self, delivery: Delivery) -> Outcome:
        try:
            raw: bytes | None = self.mail.read(delivery.bucket, delivery.key)
            missing = None
        except LookupError as exc:  # the store's "no such object": a failed record, not a lost one
            raw, missing = None, f"raw message missing: {exc}"
        record = self.intake.process(raw, delivery, missing)
        written = self.store.put_new(record)
        if written and record.target_match == "bounce" and record.target and self.targets is not None:
            reason = f"bounce {delivery.ses_message_id}: {record.reason or ''}"
            self.targets.mark_failing(record.campaign, Target(record.target.name, record.target.email), reason)
        return Outcome(record, written)
