"""Intake Lambda: SES receipt event -> raw message from S3 -> parse, classify -> DynamoDB."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.data_classes import SESEvent
from aws_lambda_powertools.utilities.typing import LambdaContext

from replydesk.intake_service import IntakeService
from replydesk.records import Delivery, Status, Verdicts
from replydesk.runtime import build_intake_service
from replydesk.settings import Settings

logger = Logger(service="replydesk")
metrics = Metrics(namespace="replydesk", service="replydesk")
tracer = Tracer(service="replydesk")  # reply texts are personal data: responses are never put in traces


@cache
def _default_service() -> tuple[IntakeService, Settings]:
    settings = Settings.from_env(required=("TABLE_NAME", "RAW_BUCKET"))
    return build_intake_service(settings), settings


def delivery_from(record: Any, bucket: str, prefix: str) -> Delivery:
    """The SES receipt as replydesk's Delivery; the raw message is at prefix + messageId."""
    mail, receipt = record.ses.mail, record.ses.receipt
    verdict = lambda v: v.status if v.raw_event else None  # noqa: E731
    return Delivery(
        ses_message_id=mail.message_id,
        received=datetime.fromisoformat(mail.timestamp.replace("Z", "+00:00")),
        recipients=tuple(r.lower() for r in receipt.recipients),
        bucket=bucket,
        key=f"{prefix}{mail.message_id}",
        verdicts=Verdicts(
            spam=verdict(receipt.spam_verdict),
            virus=verdict(receipt.virus_verdict),
            spf=verdict(receipt.spf_verdict),
            dkim=verdict(receipt.dkim_verdict),
            dmarc=verdict(receipt.dmarc_verdict),
        ),
    )


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
def lambda_handler(
    event: dict, context: LambdaContext, service: IntakeService | None = None, settings: Settings | None = None
) -> dict[str, Any]:
    if service is None or settings is None:
        service, settings = _default_service()
    results = []
    for record in SESEvent(event).records:
        delivery = delivery_from(record, settings.raw_bucket, settings.raw_prefix)
        logger.append_keys(ses_message_id=delivery.ses_message_id)
        outcome = service.receive(delivery)
        _observe(outcome.record.status, outcome.written, outcome.record.reason)
        results.append(
            {
                "ses_message_id": delivery.ses_message_id,
                "status": outcome.record.status.value,
                "campaign": outcome.record.campaign,
                "written": outcome.written,
            }
        )
    return {"results": results}


def _observe(status: Status, written: bool, reason: str | None) -> None:
    metrics.add_metric(name=f"Replies{status.value.title()}", unit=MetricUnit.Count, value=1)
    tracer.put_annotation(key="status", value=status.value)
    if not written:
        metrics.add_metric(name="Redeliveries", unit=MetricUnit.Count, value=1)
        logger.info("already stored; nothing written")
    elif status is Status.FAILED:
        logger.error("stored as failed", extra={"reason": reason})
    else:
        logger.info("stored", extra={"status": status.value})
