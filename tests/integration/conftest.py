"""A moto-backed stack provisioned from template.yaml, shared by the integration tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from moto import mock_aws

from replydesk.aws.campaigns_table import CampaignsStore
from replydesk.aws.clients import ClientFactory
from replydesk.aws.replies_table import RepliesTable
from replydesk.campaigns import Campaign
from replydesk.demo import LambdaContextStub
from replydesk.handlers import intake
from replydesk.local import REGION, TemplateResolver, load_template, provision
from replydesk.runtime import build_intake_service
from replydesk.settings import Settings, default_model_path


@dataclass
class Stack:
    factory: ClientFactory
    settings: Settings
    bucket: str
    prefix: str

    @property
    def table(self) -> RepliesTable:
        return RepliesTable(self.factory.resource("dynamodb").Table(self.settings.table_name))

    def put_raw(self, message_id: str, raw: bytes) -> None:
        self.factory.client("s3").put_object(Bucket=self.bucket, Key=f"{self.prefix}{message_id}", Body=raw)

    def invoke(self, event: dict) -> dict[str, Any]:
        service = build_intake_service(self.settings, self.factory)
        return intake.lambda_handler(event, LambdaContextStub(), service=service, settings=self.settings)

    def items(self) -> list[dict[str, Any]]:
        return list(self.table.all_replies())

    @property
    def dynamo_table(self) -> Any:
        return self.factory.resource("dynamodb").Table(self.settings.table_name)

    def receive(self, raw: bytes, message_id: str, recipients: list[str] | None = None,
                received: str = "2026-11-20T09:14:52.318Z") -> dict[str, Any]:
        """Store a raw message and deliver a real-shaped SES event for it."""
        from datetime import datetime

        from replydesk.ses_events import build_receipt_event

        self.put_raw(message_id, raw)
        event = build_receipt_event(raw, recipients or ["replies+ccm@campaign.example"], message_id=message_id,
                                    received=datetime.fromisoformat(received.replace("Z", "+00:00")))
        return self.invoke(event)["results"][0]


@pytest.fixture
def stack() -> Iterator[Stack]:
    with mock_aws():
        factory = ClientFactory(region=REGION)
        resources = provision(factory, TemplateResolver(load_template(), "replydesk-test"))
        CampaignsStore(factory.resource("dynamodb").Table(resources.table)).sync(
            (Campaign("ccm", "Cluster munitions", ("replies+ccm@campaign.example",)),)
        )
        settings = Settings(
            table_name=resources.table,
            raw_bucket=resources.bucket,
            raw_prefix=resources.prefix,
            model_path=str(default_model_path()),
            own_addresses=frozenset({"inbox@campaign.example"}),
            exports_bucket=resources.exports_bucket,
        )
        yield Stack(factory, settings, resources.bucket, resources.prefix)


