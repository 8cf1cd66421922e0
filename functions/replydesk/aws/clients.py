"""One place builds AWS clients: endpoint, region, timeouts and retries live here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config

_BASE_CONFIG = Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 8, "mode": "adaptive"})
# Presigned export URLs must be SigV4 (the only kind newer regions accept), with a regional host.
_S3_CONFIG = _BASE_CONFIG.merge(Config(signature_version="s3v4", s3={"addressing_style": "virtual"}))


@dataclass
class ClientFactory:
    """Builds and caches boto3 clients; ``endpoint_url`` points every service at moto or AWS."""

    region: str = "eu-west-1"
    endpoint_url: str | None = None
    _session: Any = field(default=None, init=False, repr=False)
    _clients: dict[str, Any] = field(default_factory=dict, init=False, repr=False)

    def session(self) -> boto3.session.Session:
        if self._session is None:
            self._session = boto3.session.Session(region_name=self.region)
        return self._session

    def client(self, service: str) -> Any:
        if service not in self._clients:
            config = _S3_CONFIG if service == "s3" else _BASE_CONFIG
            self._clients[service] = self.session().client(service, endpoint_url=self.endpoint_url, config=config)
        return self._clients[service]

    def resource(self, service: str) -> Any:
        return self.session().resource(service, endpoint_url=self.endpoint_url, config=_BASE_CONFIG)
