"""The replies table: idempotent writes, staff corrections, and paged queries on the key design."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from boto3.dynamodb.conditions import Attr, Key
from botocore.exceptions import ClientError

from replydesk.records import ReplyRecord
from replydesk.table_items import campaign_key, label_key, record_to_item, reply_key


class TableUnavailable(RuntimeError):
    """DynamoDB refused the call after the client's retries (throttling, missing table...)."""


class ReplyNotFound(LookupError):
    pass


class RepliesTable:
    def __init__(self, table: Any) -> None:
        self._table = table

    def put_new(self, record: ReplyRecord) -> bool:
        """Write a record unless one exists; True if written.

        A redelivered event finds the item and writes nothing, so staff corrections survive.
        The one exception: an earlier ``failed`` record nobody has reviewed may be replaced, so a
        redelivery after a transient fault (object not yet there, model not loaded) heals it.
        """
        item = record_to_item(record)
        condition = Attr("pk").not_exists() | (Attr("status").eq("failed") & Attr("reviewed_by").not_exists())
        try:
            self._table.put_item(Item=item, ConditionExpression=condition)
        except ClientError as exc:
            if _code(exc) == "ConditionalCheckFailedException":
                return False
            raise TableUnavailable(f"put {item['pk']}: {_code(exc)}") from exc
        return True

    def get(self, ses_message_id: str) -> dict[str, Any]:
        try:
            item = self._table.get_item(Key=reply_key(ses_message_id), ConsistentRead=True).get("Item")
        except ClientError as exc:
            raise TableUnavailable(f"get {ses_message_id}: {_code(exc)}") from exc
        if not item:
            raise ReplyNotFound(ses_message_id)
        return item

    def set_label(self, ses_message_id: str, label: str, by: str, now: datetime | None = None) -> dict[str, Any]:
        """Record a staff correction beside the model's label, with who, when and the history."""
        item = self.get(ses_message_id)
        at = (now or datetime.now(UTC)).isoformat().replace("+00:00", "Z")
        change = {"from": item.get("label", ""), "to": label, "by": by, "at": at}
        try:
            response = self._table.update_item(
                Key=reply_key(ses_message_id),
                UpdateExpression=(
                    "SET #label = :label, staff_label = :label, reviewed_by = :by, reviewed_at = :at, "
                    "gsi2pk = :gsi2pk, label_history = list_append(if_not_exists(label_history, :empty), :change)"
                ),
                ConditionExpression=Attr("pk").exists(),
                ExpressionAttributeNames={"#label": "label"},
                ExpressionAttributeValues={
                    ":label": label,
                    ":by": by,
                    ":at": at,
                    ":change": [change],
                    ":empty": [],
                    ":gsi2pk": label_key(item["campaign"], label),
                },
                ReturnValues="ALL_NEW",
            )
        except ClientError as exc:
            raise TableUnavailable(f"update {ses_message_id}: {_code(exc)}") from exc
        return response["Attributes"]

    def by_campaign(
        self, campaign: str, since: str | None = None, until: str | None = None, page_size: int = 500
    ) -> Iterator[dict[str, Any]]:
        condition = Key("gsi1pk").eq(campaign_key(campaign))
        if since and until:
            condition &= Key("gsi1sk").between(since, until + "\uffff")
        elif since:
            condition &= Key("gsi1sk").gte(since)
        elif until:
            condition &= Key("gsi1sk").lte(until + "\uffff")
        yield from self._query("by_campaign", condition, page_size)

    def by_label(self, campaign: str, label: str, page_size: int = 500) -> Iterator[dict[str, Any]]:
        yield from self._query("by_label", Key("gsi2pk").eq(label_key(campaign, label)), page_size)

    def all_replies(self, page_size: int = 500) -> Iterator[dict[str, Any]]:
        """Every reply item, paged: for exports across campaigns and for re-classification."""
        kwargs: dict[str, Any] = {"Limit": page_size, "FilterExpression": Attr("sk").eq("REPLY")}
        while True:
            try:
                page = self._table.scan(**kwargs)
            except ClientError as exc:
                raise TableUnavailable(f"scan: {_code(exc)}") from exc
            yield from page.get("Items", [])
            if "LastEvaluatedKey" not in page:
                return
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def _query(self, index: str, condition: Any, page_size: int) -> Iterator[dict[str, Any]]:
        kwargs: dict[str, Any] = {"IndexName": index, "KeyConditionExpression": condition, "Limit": page_size}
        while True:
            try:
                page = self._table.query(**kwargs)
            except ClientError as exc:
                raise TableUnavailable(f"query {index}: {_code(exc)}") from exc
            yield from page.get("Items", [])
            if "LastEvaluatedKey" not in page:
                return
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", "Unknown"))
