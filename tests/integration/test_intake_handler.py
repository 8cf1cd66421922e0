"""The intake Lambda through moto: SES event -> S3 -> parse/classify -> DynamoDB item."""

from __future__ import annotations

import copy
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
from tests.conftest import load_eml, load_event

pytestmark = pytest.mark.integration


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
        )
        yield Stack(factory, settings, resources.bucket, resources.prefix)


def _event(message_id: str | None = None, recipients: list[str] | None = None, virus: str | None = None) -> dict:
    event = copy.deepcopy(load_event("ses_receipt_lambda"))
    ses = event["Records"][0]["ses"]
    if message_id:
        ses["mail"]["messageId"] = message_id
    if recipients:
        ses["receipt"]["recipients"] = recipients
    if virus:
        ses["receipt"]["virusVerdict"]["status"] = virus
    return event


MESSAGE_ID = "q8a3tl1vh0k2m6p4r9s7u5w3y1z0b8c6d4e2f0g9"


def test_event_for_a_stored_reply_produces_the_expected_item(stack: Stack) -> None:
    stack.put_raw(MESSAGE_ID, load_eml("handler/okafor-committed.eml"))
    response = stack.invoke(_event())
    assert response["results"] == [
        {"ses_message_id": MESSAGE_ID, "status": "classified", "campaign": "ccm", "written": True}
    ]
    [item] = stack.items()
    assert item["pk"] == f"REPLY#{MESSAGE_ID}"
    assert item["campaign"] == "ccm"
    assert item["author_name"] == "Miriam Okafor MP"
    assert item["author_email"] == "m.okafor@parliament.example"
    assert item["subject"].startswith("Re: Please urge the Government")
    assert item["received"] == "2026-11-20T09:14:52.318000Z"
    assert "table a written question" in item["reply_text"]
    assert "104 states" not in item["reply_text"]
    assert item["label"] == "committed"
    assert 0.0 < float(item["confidence"]) <= 1.0
    assert item["model_version"]
    assert item["raw_location"] == f"s3://{stack.bucket}/{stack.prefix}{MESSAGE_ID}"
    assert item["verdicts"] == {"spam": "PASS", "virus": "PASS", "spf": "PASS", "dkim": "PASS", "dmarc": "PASS"}
    assert item["language"] == "en"
    assert item["gsi1pk"] == "CAMPAIGN#ccm"
    assert item["gsi2pk"] == "CAMPAIGN#ccm#LABEL#committed"
    assert item["gsi3pk"] == "CAMPAIGN#ccm#TARGET#m.okafor@parliament.example"


def test_the_same_event_twice_produces_one_item(stack: Stack) -> None:
    stack.put_raw(MESSAGE_ID, load_eml("handler/okafor-committed.eml"))
    first = stack.invoke(_event())
    second = stack.invoke(_event())
    assert first["results"][0]["written"] is True
    assert second["results"][0]["written"] is False
    assert len(stack.items()) == 1


def test_a_message_that_cannot_be_parsed_is_stored_as_failed(stack: Stack) -> None:
    stack.put_raw("broken-1", load_eml("handler/not-a-message.eml"))
    response = stack.invoke(_event("broken-1"))
    assert response["results"][0]["status"] == "failed"
    [item] = stack.items()
    assert item["status"] == "failed"
    assert item["reason"].startswith("unparseable:")
    assert item["campaign"] == "ccm"
    assert "label" not in item


def test_a_missing_raw_object_is_stored_as_failed_and_healed_by_redelivery(stack: Stack) -> None:
    response = stack.invoke(_event("not-yet-there"))
    assert response["results"][0]["status"] == "failed"
    assert "raw message missing" in stack.items()[0]["reason"]
    stack.put_raw("not-yet-there", load_eml("handler/okafor-committed.eml"))
    again = stack.invoke(_event("not-yet-there"))
    assert again["results"][0] == {
        "ses_message_id": "not-yet-there",
        "status": "classified",
        "campaign": "ccm",
        "written": True,
    }
    [item] = stack.items()
    assert item["status"] == "classified"
    assert "reason" not in item


def test_a_staff_correction_survives_redelivery(stack: Stack) -> None:
    stack.put_raw(MESSAGE_ID, load_eml("handler/okafor-committed.eml"))
    stack.invoke(_event())
    stack.table.set_label(MESSAGE_ID, "sceptical", by="Ana (campaigns)")
    stack.invoke(_event())
    item = stack.table.get(MESSAGE_ID)
    assert item["label"] == "sceptical"
    assert item["model_label"] == "committed"
    assert item["reviewed_by"] == "Ana (campaigns)"
    assert item["gsi2pk"] == "CAMPAIGN#ccm#LABEL#sceptical"
    assert [h["to"] for h in item["label_history"]] == ["sceptical"]


def test_a_reply_to_an_unknown_address_is_unassigned(stack: Stack) -> None:
    stack.put_raw(MESSAGE_ID, load_eml("handler/okafor-committed.eml").replace(b"replies+ccm", b"someone"))
    stack.invoke(_event(recipients=["someone@campaign.example"]))
    assert stack.items()[0]["campaign"] == "unassigned"


def test_a_virus_verdict_quarantines_without_opening_attachments(stack: Stack) -> None:
    stack.put_raw(MESSAGE_ID, load_eml("handler/okafor-committed.eml"))
    stack.invoke(_event(virus="FAIL"))
    item = stack.items()[0]
    assert item["status"] == "quarantined"
    assert item["verdicts"]["virus"] == "FAIL"
    assert "attachments not opened" in item["reason"]
