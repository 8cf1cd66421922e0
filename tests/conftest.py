"""Shared fixtures: no real AWS, ever; event and mail fixtures behind one helper each."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent


def normalise_peer_text(text: str) -> str:
    """shared/peers/score.py's comparison: CRLF/CR -> LF, lines stripped, outer blank lines dropped."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


@pytest.fixture(autouse=True)
def no_real_aws(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Fake credentials and config files pointed at nothing, so a test can never reach AWS."""
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "TABLE_NAME", "RAW_BUCKET", "MODEL_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("POWERTOOLS_TRACE_DISABLED", "true")
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "replydesk-tests")
    monkeypatch.setenv("POWERTOOLS_SERVICE_NAME", "replydesk")


def load_event(name: str) -> dict:
    """An SES/S3 event fixture, checked for the shape SES sends before a test uses it."""
    event = json.loads((FIXTURES / "events" / f"{name}.json").read_text(encoding="utf-8"))
    record = event["Records"][0]
    assert record["eventSource"] == "aws:ses"
    assert {"mail", "receipt"} <= record["ses"].keys()
    assert {"timestamp", "messageId", "destination", "commonHeaders"} <= record["ses"]["mail"].keys()
    assert {"recipients", "spamVerdict", "virusVerdict", "action"} <= record["ses"]["receipt"].keys()
    return event


def load_eml(relative: str) -> bytes:
    return (FIXTURES / "mail" / relative).read_bytes()
