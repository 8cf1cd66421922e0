"""One place builds AWS clients: endpoint, region, timeouts and retries live here."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import boto3
from botocore.config import Config


@dataclass(frozen=True)
class ClientFactory:
    """Builds and caches boto3 clients; ``endpoint_url`` points every service at moto or AWS."""

    region: str = "eu-west-1"
    endpoint_url: str | None = None

    @cached_property
    def _session(self) -> boto3.session.Session:
        return boto3.session.Session(region_name=self.region)

    @cached_property
    def _config(self) -> Config:
        return Config(
            connect_timeout=5,
            read_timeout=30,
            retries={"max_attempts": 8, "mode": "adaptive"},
        )

    def client(self, service: str) -> Any:
        return self._clients.setdefault(
            service, self._session.client(service, endpoint_url=self.endpoint_url, config=self._config)
        )

    def resource(self, service: str) -> Any:
        return self._session.resource(service, endpoint_url=self.endpoint_url, config=self._config)

    @cached_property
    def _clients(self) -> dict[str, Any]:
        return {}
