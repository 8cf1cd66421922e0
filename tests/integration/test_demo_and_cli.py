"""`replydesk demo` end to end on the embedded moto server, and the parse/classify commands."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from replydesk.cli import main
from tests.conftest import FIXTURES, REPO

pytestmark = pytest.mark.integration


def test_demo_runs_the_samples_through_the_handler_and_writes_exports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "20 replies stored from 20 files" in out
    assert "ccm: 18 replies (Committed 7, No action 6, Sceptical 5)" in out
    assert "targets 23: address failing 1, no reply yet 5, replied 17" in out  # as the Targets sheet says
    rows = list(csv.DictReader(io.StringIO((tmp_path / "replies.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == 20
    assert {r["status"] for r in rows} <= {"classified", "automatic"}
    book = load_workbook(tmp_path / "ccm.xlsx")
    assert book.sheetnames == ["Replies", "Targets", "Summary"]
    assert (tmp_path / "att.xlsx").is_file()


def test_demo_stores_broken_messages_as_failed_and_still_exits_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    samples = tmp_path / "in"
    samples.mkdir()
    for name in ("garbage-bytes", "zero-bytes", "octet-stream-only", "no-from-header"):
        shutil.copy(FIXTURES / "mail" / "broken" / f"{name}.eml", samples / f"{name}.eml")
    assert main(["demo", "--samples", str(samples), "--out", str(tmp_path / "out")]) == 0
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out" / "replies.csv").read_text(encoding="utf-8-sig"))))
    statuses = sorted(r["status"] for r in rows)
    assert len(rows) == 4
    assert statuses.count("failed") == 3
    assert all(r["reason"] for r in rows if r["status"] == "failed")
    assert "4 replies stored from 4 files" in capsys.readouterr().out


def test_parse_prints_the_documented_fields(capsys: pytest.CaptureFixture[str]) -> None:
    path = REPO / "samples" / "06-fwd-inline-gmail-committed.eml"
    assert main(["parse", str(path), "--inbox", "inbox@campaign.example"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"message_id", "subject", "date", "author", "forwarded_by", "automatic", "text_source", "language",
            "attachments", "reply_text"} <= data.keys()
    assert data["forwarded_by"]["email"] == "inbox@campaign.example"
    assert data["author"]["email"] != "inbox@campaign.example"
    assert main(["parse", "--text", str(path)]) == 0
    assert capsys.readouterr().out.strip() in data["reply_text"] or data["reply_text"]


def test_parse_of_an_unreadable_file_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(FIXTURES / "mail" / "broken" / "zero-bytes.eml")]) == 2
    assert "empty message" in capsys.readouterr().err


def test_classify_json_lines_and_eml_files(monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    lines = [{"id": "a", "text": "I will table a written question and vote for the ban."},
             {"id": "b", "text": ""}]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(json.dumps(x) for x in lines) + "\n"))
    assert main(["classify"]) == 0
    out = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [o["id"] for o in out] == ["a", "b"]
    assert {"label", "confidence", "needs_review", "evidence", "model_version"} <= out[0].keys()
    assert out[1]["label"] == "no_action"
    files = [str(REPO / "samples" / n) for n in ("09-out-of-office.eml", "01-gmail-quoted-committed.eml")]
    assert main(["classify", *files]) == 0
    out = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [o["file"] for o in out] == files
    assert (out[0]["automatic"], out[0]["label"]) == ("auto_reply", "no_action")
    assert out[1]["author"]["email"] and out[1]["automatic"] is None


def test_classify_rejects_bad_json_lines(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO('{"id": 1}\n'))
    assert main(["classify"]) == 2
    assert "stdin line 1" in capsys.readouterr().err
