"""Reads the raw MIME message SES stored in S3."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

MAX_RAW_BYTES = 40 * 1024 * 1024


class RawMessageMissing(LookupError):
    """No object at the key SES should have written: a reason for a failed record, not a crash."""


class MailStore:
    def __init__(self, s3_client: Any) -> None:
        self._s3 = s3_client

    def read(self, bucket: str, key: str) -> bytes:
        try:
            response = self._s3.get_object(Bucket=bucket, Key=key)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in ("NoSuchKey", "404", "NoSuchBucket", "AccessDenied", "403"):
                raise RawMessageMissing(f"s3://{bucket}/{key}: {code}") from exc
            raise
        body = response["Body"]
        data = body.read(MAX_RAW_BYTES + 1)
        body.close()
        return data

    def put(self, bucket: str, key: str, raw: bytes) -> None:
        self._s3.put_object(Bucket=bucket, Key=key, Body=raw)
