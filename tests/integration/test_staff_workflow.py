"""Campaigns, targets, exports and review through the CLI and the export Lambda, on moto."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from replydesk.aws.campaigns_table import CampaignsStore
from replydesk.aws.replies_table import RepliesTable
from replydesk.aws.targets_table import TargetsStore
from replydesk.cli import main
from replydesk.demo import LambdaContextStub
from replydesk.export_job import ExportJob
from replydesk.handlers import export as export_handler
from tests.conftest import REPO, load_eml
from tests.integration.conftest import Stack

pytestmark = pytest.mark.integration

SAMPLES = REPO / "samples"


def _cli(stack: Stack, *args: str) -> int:
    return main([*args, "--table", stack.settings.table_name])


def _reply(name: str, email: str, text: str) -> bytes:
    return (
        f"From: {name} <{email}>\r\nTo: replies+ccm@campaign.example\r\nSubject: Re: Cluster munitions\r\n"
        f"Date: Fri, 20 Nov 2026 09:00:00 +0000\r\nMessage-ID: <{email}.1@example.org>\r\n"
        f'Content-Type: text/plain; charset="utf-8"\r\n\r\n{text}\r\n'
    ).encode()


@pytest.fixture
def campaign(stack: Stack, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Stack:
    assert _cli(stack, "campaigns", "sync", str(SAMPLES / "campaigns.yaml")) == 0
    assert _cli(stack, "targets", "import", "--campaign", "ccm", str(SAMPLES / "targets-ccm.csv")) == 0
    capsys.readouterr()
    return stack


def test_campaigns_sync_reports_changes_and_rejects_bad_files(stack: Stack, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert _cli(stack, "campaigns", "sync", str(SAMPLES / "campaigns.yaml")) == 0
    assert "added att, updated ccm, removed -" in capsys.readouterr().out
    assert {c.id for c in CampaignsStore(stack.dynamo_table).load()} == {"ccm", "att"}
    bad = tmp_path / "campaigns.yaml"
    bad.write_text("campaigns:\n  - id: Bad Id\n    name: x\n", encoding="utf-8")
    assert _cli(stack, "campaigns", "sync", str(bad)) == 2
    assert "must be lower-case" in capsys.readouterr().err


def test_a_reply_to_an_unknown_address_lands_in_unassigned(campaign: Stack) -> None:
    raw = (_reply("Nobody Known", "someone@elsewhere.example", "I will sign.")
           .replace(b"Cluster munitions", b"Hi").replace(b"replies+ccm@", b"press@"))
    result = campaign.receive(raw, "unknown-1", recipients=["press@campaign.example"])
    assert result["campaign"] == "unassigned"
    out = io.BytesIO()
    from replydesk.export_service import ExportFilters, export

    export(campaign.table, None, ExportFilters(), "csv", out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    assert [r["campaign"] for r in rows] == ["unassigned"]


def test_targets_import_keeps_good_rows_and_reports_bad_ones_by_line(
    stack: Stack, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "targets.csv"
    path.write_text(
        "Name,EMAIL,Party,Country\n"
        "Ana Silva,ana.silva@parliament.example,Greens,Portugal\n"
        ",nobody@parliament.example,X,Y\n"
        "Tom Reed,not-an-address,Labour,UK\n"
        "Kim Lee,Kim.Lee@Senate.example,Independent,Canada\n",
        encoding="utf-8",
    )
    assert _cli(stack, "targets", "import", "--campaign", "ccm", str(path)) == 0
    captured = capsys.readouterr()
    assert "line 3: name is empty" in captured.err
    assert "line 4: 'not-an-address' is not an email address" in captured.err
    assert "2 targets added, 0 updated, 2 rows reported" in captured.out
    store = TargetsStore(stack.dynamo_table)
    assert {t.email for t in store.load("ccm")} == {"ana.silva@parliament.example", "kim.lee@senate.example"}
    assert _cli(stack, "targets", "import", "--campaign", "ccm", str(path)) == 0
    assert "0 targets added, 2 updated" in capsys.readouterr().out
    assert len(store.load("ccm")) == 2


def test_replies_are_matched_by_address_plus_tag_name_and_bounces_flag_the_target(campaign: Stack) -> None:
    by_address = campaign.receive(_reply("H W", "Hannah.Whitlock.MP+office@Parliament.example", "I will sign."), "m1")
    by_name = campaign.receive(load_eml("../../../samples/19-staffer-address-committed.eml"), "m2")
    bounce = campaign.receive((SAMPLES / "11-bounce-unknown-user.eml").read_bytes(), "m3")
    assert by_address["status"] == by_name["status"] == "classified"
    assert bounce["status"] == "automatic"
    items = {i["ses_message_id"]: i for i in campaign.items()}
    assert (items["m1"]["target_match"], items["m1"]["target_email"]) == (
        "address", "hannah.whitlock.mp@parliament.example")
    assert (items["m2"]["target_match"], items["m2"]["target_name"]) == ("name", "Margaret Ashby")
    assert items["m3"]["target_match"] == "bounce"
    flagged = [t for t in TargetsStore(campaign.dynamo_table).items("ccm") if t.get("address_status") == "failing"]
    assert [t["email"] for t in flagged] == ["j.doe@parliament.example"]


def test_export_csv_and_xlsx_neutralise_formulas_and_show_targets(
    campaign: Stack, tmp_path: Path
) -> None:
    campaign.receive(_reply("=cmd|' /C calc'!A0", "hannah.whitlock.mp@parliament.example",
                            "+I will sign the pledge."), "f1")
    csv_path, xlsx_path = tmp_path / "out.csv", tmp_path / "out.xlsx"
    assert _cli(campaign, "export", "--campaign", "ccm", "--format", "csv", "-o", str(csv_path)) == 0
    assert _cli(campaign, "export", "--campaign", "ccm", "--format", "xlsx", "-o", str(xlsx_path)) == 0
    data = csv_path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    [row] = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert row["author"].startswith("'=")
    assert row["reply_text"].startswith("'+")
    assert row["party"] == "Progressive"
    book = load_workbook(xlsx_path)
    assert book.sheetnames == ["Replies", "Targets", "Summary"]
    header = [c.value for c in book["Replies"][1]]
    assert book["Replies"].cell(2, header.index("author") + 1).value.startswith("'=")
    targets = list(book["Targets"].iter_rows(values_only=True))
    statuses = {r[1]: r[-1] for r in targets[1:]}
    assert len(statuses) == 23
    assert statuses["hannah.whitlock.mp@parliament.example"] == "replied"
    assert list(statuses.values()).count("no reply yet") == 22
    assert len(book["Summary"]._charts) == 1


def test_export_filters(campaign: Stack, tmp_path: Path) -> None:
    campaign.receive(_reply("A", "a@parliament.example", "I will table a question and vote for it."), "e1",
                     received="2026-11-01T10:00:00Z")
    campaign.receive(_reply("B", "b@parliament.example", "We will not sign; the treaty is flawed."), "e2",
                     received="2026-11-15T10:00:00Z")
    out = tmp_path / "x.csv"

    def ids(*args: str) -> set[str]:
        assert _cli(campaign, "export", "--campaign", "ccm", "-o", str(out), *args) == 0
        return {r["id"] for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig")))}

    assert ids() == {"e1", "e2"}
    assert ids("--since", "2026-11-10") == {"e2"}
    assert ids("--until", "2026-11-01") == {"e1"}
    assert ids("--label", "committed") == {"e1"}
    assert ids("--language", "de") == set()


def test_review_a_single_reply_keeps_the_model_label_and_history(
    campaign: Stack, capsys: pytest.CaptureFixture[str]
) -> None:
    campaign.receive(_reply("A", "a@parliament.example", "I will table a question."), "r1")
    assert _cli(campaign, "review", "r1", "--label", "No action", "--by", "Ana") == 0
    assert "-> no_action by Ana" in capsys.readouterr().out
    item = campaign.table.get("r1")
    assert (item["label"], item["model_label"], item["staff_label"]) == ("no_action", "committed", "no_action")
    assert item["label_history"][0]["by"] == "Ana"
    assert _cli(campaign, "review", "nope", "--label", "committed", "--by", "Ana") == 2


def test_review_import_applies_only_changed_rows_and_reports_bad_ones(
    campaign: Stack, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    campaign.receive(_reply("A", "a@parliament.example", "I will table a question."), "i1")
    campaign.receive(_reply("B", "b@parliament.example", "We will not sign; the treaty is flawed."), "i2")
    campaign.receive(_reply("C", "c@parliament.example", "Thank you, your email was passed on."), "i3")
    export = tmp_path / "export.xlsx"
    assert _cli(campaign, "export", "--campaign", "ccm", "--format", "xlsx", "-o", str(export)) == 0
    book = load_workbook(export)
    sheet = book["Replies"]
    header = [c.value for c in sheet[1]]
    id_col, label_col = header.index("id") + 1, header.index("label") + 1
    rows = {sheet.cell(r, id_col).value: r for r in range(2, sheet.max_row + 1)}
    before = {i["ses_message_id"]: i["label"] for i in campaign.items()}
    sheet.cell(rows["i2"], label_col).value = "Committed" if before["i2"] != "committed" else "Sceptical"
    sheet.cell(rows["i3"], label_col).value = "perhaps"
    sheet.cell(sheet.max_row + 1, id_col).value = "ghost"
    sheet.cell(sheet.max_row, label_col).value = "Committed"
    book.save(export)
    capsys.readouterr()
    assert main(["review", "--import", str(export), "--by", "Ana", "--table", campaign.settings.table_name]) == 0
    captured = capsys.readouterr()
    assert "1 replies corrected, 1 unchanged, 2 rows reported" in captured.out
    assert "unknown label 'perhaps'" in captured.err
    assert "no reply with id ghost" in captured.err
    after = {i["ses_message_id"]: i for i in campaign.items()}
    assert after["i1"]["label"] == before["i1"] and "reviewed_by" not in after["i1"]
    assert after["i3"]["label"] == before["i3"] and "reviewed_by" not in after["i3"]
    assert after["i2"]["reviewed_by"] == "Ana" and after["i2"]["label"] != before["i2"]


def test_export_lambda_writes_to_the_exports_bucket_and_returns_a_presigned_url(campaign: Stack) -> None:
    campaign.receive(_reply("A", "hannah.whitlock.mp@parliament.example", "I will sign."), "x1")
    job = ExportJob(campaign.table, TargetsStore(campaign.dynamo_table), campaign.factory.client("s3"),
                    campaign.settings.exports_bucket, url_seconds=900)
    stores = CampaignsStore(campaign.dynamo_table)
    response = export_handler.lambda_handler({"campaign": "ccm", "format": "xlsx"}, LambdaContextStub(),
                                             job=job, campaigns=stores)
    [done] = response["exports"]
    assert done["rows"] == 1 and done["key"].startswith("exports/ccm/") and done["key"].endswith(".xlsx")
    assert "X-Amz-Expires=900" in done["url"]
    body = campaign.factory.client("s3").get_object(Bucket=campaign.settings.exports_bucket, Key=done["key"])
    assert load_workbook(io.BytesIO(body["Body"].read())).sheetnames == ["Replies", "Targets", "Summary"]
    scheduled = export_handler.lambda_handler({"source": "aws.events", "detail-type": "Scheduled Event"},
                                              LambdaContextStub(), job=job, campaigns=stores)
    assert sorted(d["campaign"] for d in scheduled["exports"]) == ["att", "ccm", "unassigned"]


def test_corrections_feed_training_rows(campaign: Stack) -> None:
    from replydesk.corrections import corrections_from_items

    campaign.receive(_reply("A", "a@parliament.example", "I will table a question."), "c1")
    RepliesTable(campaign.dynamo_table).set_label("c1", "sceptical", by="Ana")
    [example] = corrections_from_items(campaign.items())
    assert (example.id, example.label, example.source) == ("correction-c1", "sceptical", "staff-correction")
    assert "table a question" in example.text
