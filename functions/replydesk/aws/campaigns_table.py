"""Campaign definitions in the replies table: ``pk = CAMPAIGNS``, ``sk = CAMPAIGN#<id>``."""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.conditions import Key

from replydesk.campaigns import Campaign

PARTITION = "CAMPAIGNS"


class CampaignsStore:
    def __init__(self, table: Any) -> None:
        self._table = table

    def load(self) -> tuple[Campaign, ...]:
        items: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {"KeyConditionExpression": Key("pk").eq(PARTITION)}
        while True:
            page = self._table.query(**kwargs)
            items.extend(page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                break
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        return tuple(
            Campaign(i["id"], i["name"], tuple(i.get("addresses", [])), tuple(i.get("subject_keywords", [])))
            for i in items
        )

    def sync(self, campaigns: tuple[Campaign, ...]) -> dict[str, list[str]]:
        """Make the stored definitions equal to ``campaigns``; replies are never touched."""
        existing = {c.id: c for c in self.load()}
        wanted = {c.id: c for c in campaigns}
        with self._table.batch_writer() as batch:
            for campaign in campaigns:
                if existing.get(campaign.id) != campaign:
                    batch.put_item(Item={"pk": PARTITION, "sk": f"CAMPAIGN#{campaign.id}", **campaign.as_dict()})
            for cid in existing.keys() - wanted.keys():
                batch.delete_item(Key={"pk": PARTITION, "sk": f"CAMPAIGN#{cid}"})
        return {
            "added": sorted(wanted.keys() - existing.keys()),
            "updated": sorted(c for c in wanted.keys() & existing.keys() if existing[c] != wanted[c]),
            "removed": sorted(existing.keys() - wanted.keys()),
        }
