"""The intake Lambda through moto: SES event -> S3 -> parse/classify -> DynamoDB item."""

from __future__ import annotations

import copy

import pytest

from tests.conftest import load_eml, load_event
from tests.integration.conftest import Stack

pytestmark = pytest.mark.integration


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
