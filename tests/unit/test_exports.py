import csv
import io

from openpyxl import load_workbook

from replydesk.exports import item_to_row, neutralise, parse_label, write_csv, write_xlsx
from replydesk.records import Label

ITEM = {
    "ses_message_id": "abc",
    "received": "2026-11-20T09:14:52Z",
    "campaign": "ccm",
    "author_name": "=HYPERLINK(1)",
    "author_email": "a@parliament.example",
    "subject": "+Re: Treaty",
    "label": "committed",
    "model_label": "committed",
    "confidence": 0.91,
    "needs_review": False,
    "evidence": ["will table", "support"],
    "reply_text": "@I will sign.\n",
    "status": "classified",
    "raw_location": "s3://b/raw/abc",
}


def test_formula_cells_are_neutralised() -> None:
    for value in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(value).startswith("'")
    assert neutralise("plain") == "plain"
    assert neutralise(3.5) == 3.5


def test_csv_has_bom_header_and_neutralised_cells() -> None:
    out = io.BytesIO()
    assert write_csv([item_to_row(ITEM)], out) == 1
    data = out.getvalue()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0]["author"] == "'=HYPERLINK(1)"
    assert rows[0]["subject"] == "'+Re: Treaty"
    assert rows[0]["reply_text"] == "'@I will sign.\n"
    assert rows[0]["label"] == "Committed"
    assert rows[0]["evidence"] == "will table; support"


def test_xlsx_has_three_sheets_frozen_header_filter_and_chart() -> None:
    out = io.BytesIO()
    targets = [{"name": "A", "email": "a@parliament.example", "status": "replied"},
               {"name": "B", "email": "b@parliament.example", "status": "no reply yet"},
               {"name": "C", "email": "c@parliament.example", "status": "no reply yet"}]
    write_xlsx([item_to_row(ITEM)], out, targets)
    book = load_workbook(io.BytesIO(out.getvalue()))
    assert book.sheetnames == ["Replies", "Targets", "Summary"]
    replies = book["Replies"]
    assert replies.freeze_panes == "A2"
    assert replies.auto_filter.ref.startswith("A1:")
    header = [c.value for c in replies[1]]
    assert replies.cell(2, header.index("author") + 1).value == "'=HYPERLINK(1)"
    assert len(book["Summary"]._charts) == 1
    summary = {r[0]: r[1] for r in book["Summary"].iter_rows(min_row=2, max_row=4, values_only=True)}
    assert summary == {"Committed": 1, "Sceptical": 0, "No action": 0}
    everything = {r[0]: r[1] for r in book["Summary"].iter_rows(values_only=True) if r and r[0]}
    assert (everything["targets"], everything["replied"], everything["no reply yet"]) == (3, 1, 2)


def test_parse_label_accepts_what_staff_type() -> None:
    assert parse_label("No action") is Label.NO_ACTION
    assert parse_label(" committed ") is Label.COMMITTED
    assert parse_label("Sceptical") is Label.SCEPTICAL
    assert parse_label("maybe") is None
