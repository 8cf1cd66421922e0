"""Typed settings read once from the environment; an explicit argument beats the variable."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MODEL_PATHS = (
    Path("/opt/replydesk-model.skops"),  # the SAM layer built from models/artifacts
    Path(__file__).resolve().parents[2] / "models" / "artifacts" / "replydesk-model.skops",  # a checkout
)


class SettingsError(ValueError):
    """Required settings are missing or empty; the message lists every one."""


@dataclass(frozen=True)
class Settings:
    table_name: str
    raw_bucket: str = ""
    raw_prefix: str = "raw/"
    model_path: str = ""
    own_addresses: frozenset[str] = frozenset()
    endpoint_url: str | None = None
    region: str = "eu-west-1"
    exports_bucket: str = ""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, required: tuple[str, ...] = ("TABLE_NAME",)) -> Settings:
        env = os.environ if env is None else env
        missing = [name for name in required if not env.get(name, "").strip()]
        if missing:
            raise SettingsError(f"missing or empty environment variables: {', '.join(missing)}")
        return cls(
            table_name=env.get("TABLE_NAME", "").strip(),
            raw_bucket=env.get("RAW_BUCKET", "").strip(),
            raw_prefix=env.get("RAW_PREFIX", "raw/"),
            model_path=env.get("MODEL_PATH", "").strip() or str(default_model_path()),
            own_addresses=frozenset(
                a.strip().lower() for a in env.get("CAMPAIGN_INBOX_ADDRESSES", "").split(",") if a.strip()
            ),
            endpoint_url=env.get("AWS_ENDPOINT_URL", "").strip() or None,
            region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "eu-west-1",
            exports_bucket=env.get("EXPORTS_BUCKET", "").strip(),
        )


def default_model_path() -> Path:
    return next((p for p in DEFAULT_MODEL_PATHS if p.is_file()), DEFAULT_MODEL_PATHS[-1])
