"""Raw message + how it arrived -> one ReplyRecord. Never raises for bad mail.

Every message that reaches replydesk ends as a record: a parse failure, a missing object or an
unavailable model become ``status=failed`` with the reason, a virus verdict ``quarantined``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Protocol

from replydesk.campaigns import CampaignDirectory
from replydesk.mime import ParseOptions, UnparseableMessage, parse_message
from replydesk.records import Automatic, Classification, Delivery, Label, ParsedMessage, Person, ReplyRecord, Status
from replydesk.targets import TargetDirectory


class TargetLookup(Protocol):
    def for_campaign(self, campaign: str) -> TargetDirectory: ...


class NoTargets:
    def for_campaign(self, campaign: str) -> TargetDirectory:
        return TargetDirectory(())


class StanceClassifier(Protocol):
    @property
    def version(self) -> str: ...

    def classify(self, text: str) -> Classification: ...


@dataclass(frozen=True)
class Intake:
    """The domain service the intake Lambda and the CLI share."""

    classifier: StanceClassifier | None
    campaigns: CampaignDirectory
    options: ParseOptions = field(default_factory=ParseOptions)
    targets: TargetLookup = field(default_factory=NoTargets)

    def process(self, raw: bytes | None, delivery: Delivery, missing_reason: str | None = None) -> ReplyRecord:
        if raw is None:
            return self._failed(delivery, None, missing_reason or "raw message not available")
        quarantined = delivery.verdicts.virus_found
        options = replace(self.options, open_attachments=self.options.open_attachments and not quarantined)
        try:
            parsed = parse_message(raw, options)
        except UnparseableMessage as exc:
            return self._failed(delivery, None, f"unparseable: {exc}")
        except Exception as exc:  # hostile mail must not take the record down with it
            return self._failed(delivery, None, f"parser error: {type(exc).__name__}: {exc}"[:500])
        campaign = self.campaigns.assign(delivery.recipients + parsed.recipients, parsed.subject)
        if parsed.error:
            return self._failed(delivery, parsed, parsed.error, campaign)
        record = self._classified(delivery, parsed, campaign, quarantined)
        directory = self.targets.for_campaign(campaign)
        if parsed.automatic is Automatic.BOUNCE:  # the author is a mail server; the target is who it failed to reach
            failed = next((t for t in map(directory.by_address, parsed.failed_recipients) if t), None)
            return (
                replace(record, target=Person(failed.name, failed.email), target_match="bounce") if failed else record
            )
        match = directory.match(parsed.author, parsed.reply_text)
        target = Person(match.target.name, match.target.email) if match.target else None
        return replace(record, target=target, target_match=match.method)

    def _classified(self, delivery: Delivery, parsed: ParsedMessage, campaign: str, quarantined: bool) -> ReplyRecord:
        if parsed.automatic is not None:
            status = Status.QUARANTINED if quarantined else Status.AUTOMATIC
            reason = f"{parsed.automatic.value}: {parsed.automatic_reason}"
            model_version = self.classifier.version if self.classifier else "rules"
            rule = Classification(Label.NO_ACTION, 1.0, model_version, False, (parsed.automatic.value,))
            return ReplyRecord(delivery, campaign, status, parsed, rule, reason)
        if self.classifier is None:
            return self._failed(delivery, parsed, "model unavailable", campaign)
        try:
            classification = self.classifier.classify(parsed.reply_text)
        except Exception as exc:
            return self._failed(delivery, parsed, f"classifier error: {type(exc).__name__}: {exc}"[:500], campaign)
        status = Status.QUARANTINED if quarantined else Status.CLASSIFIED
        reason = "virus verdict FAIL: attachments not opened" if quarantined else None
        return ReplyRecord(delivery, campaign, status, parsed, classification, reason)

    def _failed(
        self, delivery: Delivery, parsed: ParsedMessage | None, reason: str, campaign: str | None = None
    ) -> ReplyRecord:
        campaign = campaign or self.campaigns.assign(delivery.recipients)
        return ReplyRecord(delivery, campaign, Status.FAILED, parsed, None, reason)
