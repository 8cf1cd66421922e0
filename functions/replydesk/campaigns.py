"""Campaigns and which one a reply belongs to: by recipient address, then subject keywords."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

UNASSIGNED = "unassigned"
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")


class CampaignFileError(ValueError):
    """The campaigns file is not valid; the message says where and why."""


@dataclass(frozen=True)
class Campaign:
    id: str
    name: str
    addresses: tuple[str, ...] = ()
    subject_keywords: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "addresses": list(self.addresses),
            "subject_keywords": list(self.subject_keywords),
        }


def normalise_address(address: str) -> str:
    return address.strip().strip("<>").lower()


def base_address(address: str) -> str:
    """``replies+ccm@x.org`` -> ``replies@x.org``."""
    local, _, domain = normalise_address(address).partition("@")
    return f"{local.split('+', 1)[0]}@{domain}"


@dataclass(frozen=True)
class CampaignDirectory:
    campaigns: tuple[Campaign, ...] = ()
    _by_address: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for campaign in self.campaigns:
            for address in campaign.addresses:
                self._by_address.setdefault(normalise_address(address), campaign.id)

    def assign(self, recipients: Iterable[str], subject: str = "") -> str:
        """Exactly one campaign id, or ``unassigned``; an exact address beats keywords."""
        recipients = [normalise_address(r) for r in recipients]
        for address in recipients:
            if address in self._by_address:
                return self._by_address[address]
        lowered = subject.lower()
        for campaign in self.campaigns:
            if any(k.lower() in lowered for k in campaign.subject_keywords if k.strip()):
                return campaign.id
        return UNASSIGNED


def parse_campaigns(data: object, source: str = "campaigns") -> tuple[Campaign, ...]:
    if not isinstance(data, dict) or not isinstance(data.get("campaigns"), list):
        raise CampaignFileError(f"{source}: expected a mapping with a 'campaigns' list")
    campaigns: list[Campaign] = []
    seen_addresses: dict[str, str] = {}
    for index, item in enumerate(data["campaigns"], 1):
        where = f"{source}: campaign #{index}"
        if not isinstance(item, dict):
            raise CampaignFileError(f"{where}: expected a mapping")
        cid = str(item.get("id", "")).strip()
        if not _ID.match(cid) or cid == UNASSIGNED:
            raise CampaignFileError(f"{where}: id {cid!r} must be lower-case letters, digits, '-' or '_'")
        if cid in {c.id for c in campaigns}:
            raise CampaignFileError(f"{where}: duplicate id {cid!r}")
        name = str(item.get("name") or "").strip()
        if not name:
            raise CampaignFileError(f"{where} ({cid}): a name is required")
        addresses = tuple(normalise_address(a) for a in item.get("addresses") or [])
        for address in addresses:
            if "@" not in address:
                raise CampaignFileError(f"{where} ({cid}): {address!r} is not an email address")
            if address in seen_addresses:
                raise CampaignFileError(f"{where} ({cid}): {address} already belongs to {seen_addresses[address]}")
            seen_addresses[address] = cid
        keywords = tuple(str(k) for k in item.get("subject_keywords") or [])
        if not addresses and not keywords:
            raise CampaignFileError(f"{where} ({cid}): give at least one address or subject keyword")
        campaigns.append(Campaign(cid, name, addresses, keywords))
    return tuple(campaigns)


def load_campaigns(path: Path) -> tuple[Campaign, ...]:
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CampaignFileError(f"{path.name}: not valid JSON: {exc}") from exc
    else:
        import yaml

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise CampaignFileError(f"{path.name}: not valid YAML: {exc}") from exc
    return parse_campaigns(data, path.name)
