"""Target lists in the replies table: ``pk = TARGETS#<campaign>``, ``sk = TARGET#<base address>``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from boto3.dynamodb.conditions import Key

from replydesk.targets import Target, TargetDirectory


def _pk(campaign: str) -> str:
    return f"TARGETS#{campaign}"


class TargetsStore:
    """Import, load and flag targets; loads are cached per campaign for the life of a container."""

    def __init__(self, table: Any) -> None:
        self._table = table
        self._cache: dict[str, TargetDirectory] = {}

    def import_targets(self, campaign: str, targets: Iterable[Target]) -> tuple[int, int]:
        """Put every target; the key is its address, so a re-import updates and never duplicates."""
        existing = {t.key for t in self.load(campaign)}
        added = updated = 0
        with self._table.batch_writer(overwrite_by_pkeys=["pk", "sk"]) as batch:
            for target in targets:
                batch.put_item(
                    Item={
                        "pk": _pk(campaign),
                        "sk": f"TARGET#{target.key}",
                        "campaign": campaign,
                        **target.as_item_fields(),
                    }
                )
                if target.key in existing:
                    updated += 1
                else:
                    added += 1
        self._cache.pop(campaign, None)
        return added, updated

    def items(self, campaign: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {"KeyConditionExpression": Key("pk").eq(_pk(campaign))}
        while True:
            page = self._table.query(**kwargs)
            items.extend(page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return items
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def load(self, campaign: str) -> tuple[Target, ...]:
        return tuple(Target(i["name"], i["email"], i.get("fields", {})) for i in self.items(campaign))

    def for_campaign(self, campaign: str) -> TargetDirectory:
        if campaign not in self._cache:
            self._cache[campaign] = TargetDirectory(self.load(campaign))
        return self._cache[campaign]

    def mark_failing(self, campaign: str, target: Target, reason: str, now: datetime | None = None) -> None:
        at = (now or datetime.now(UTC)).isoformat().replace("+00:00", "Z")
        self._table.update_item(
            Key={"pk": _pk(campaign), "sk": f"TARGET#{target.key}"},
            UpdateExpression="SET address_status = :failing, address_failed_at = :at, address_failure = :why",
            ExpressionAttributeValues={":failing": "failing", ":at": at, ":why": reason[:500]},
        )
