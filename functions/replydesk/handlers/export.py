"""Export Lambda: on a schedule or on demand, spreadsheets into the exports bucket, with a URL."""

from __future__ import annotations

import os
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from replydesk.aws.campaigns_table import CampaignsStore
from replydesk.aws.replies_table import RepliesTable
from replydesk.aws.targets_table import TargetsStore
from replydesk.export_job import ExportJob, ExportRequest
from replydesk.runtime import client_factory
from replydesk.settings import Settings

logger = Logger(service="replydesk")
metrics = Metrics(namespace="replydesk", service="replydesk")
tracer = Tracer(service="replydesk")  # reply texts are personal data: responses are never put in traces


@cache
def _default_job() -> tuple[ExportJob, CampaignsStore]:
    settings = Settings.from_env(required=("TABLE_NAME", "EXPORTS_BUCKET"))
    factory = client_factory(settings)
    table = factory.resource("dynamodb").Table(settings.table_name)
    seconds = int(os.environ.get("EXPORT_URL_SECONDS", "3600"))
    job = ExportJob(RepliesTable(table), TargetsStore(table), factory.client("s3"), settings.exports_bucket, seconds)
    return job, CampaignsStore(table)


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
def lambda_handler(event: dict, context: LambdaContext, job: ExportJob | None = None,
                   campaigns: CampaignsStore | None = None) -> dict[str, Any]:
    if job is None or campaigns is None:
        job, campaigns = _default_job()
    request = ExportRequest.from_event(event, tuple(c.id for c in campaigns.load()))
    exports = job.run(request)
    for done in exports:
        logger.info("exported", extra={k: done[k] for k in ("campaign", "rows", "key")})
        metrics.add_metric(name="ExportedRows", unit=MetricUnit.Count, value=done["rows"])
    return {"exports": exports}
