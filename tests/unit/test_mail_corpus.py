"""The golden mail corpus: every .eml in tests/fixtures/mail/<kind>/ against its .expected.json."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from replydesk.mime import ParseOptions, UnparseableMessage, parse_message
from replydesk.records import ParsedMessage

MAIL = Path(__file__).resolve().parents[1] / "fixtures" / "mail"
KINDS = ("replies", "auto_replies", "bounces", "forwarded", "html", "attachments", "charsets", "broken")
OPTIONS = ParseOptions(own_addresses=frozenset({"inbox@campaign.example", "@campaign.example"}))
CASES = sorted(p for kind in KINDS for p in (MAIL / kind).glob("*.eml"))


def _expected(path: Path) -> dict:
    return json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))


def _collapse(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def _exact(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).strip()


def test_the_corpus_covers_every_kind() -> None:
    for kind in KINDS:
        assert len(list((MAIL / kind).glob("*.eml"))) >= 4, kind


def _parse(path: Path, expected: dict) -> ParsedMessage | None:
    raw = path.read_bytes()
    if expected.get("parse_error") and "author" not in expected:
        with pytest.raises(UnparseableMessage):
            parse_message(raw, OPTIONS)
        return None
    parsed = parse_message(raw, OPTIONS)
    if expected.get("parse_error"):
        assert parsed.error, "a message with no readable text must carry an error"
    return parsed


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_parse_matches_expected(path: Path) -> None:
    expected = _expected(path)
    parsed = _parse(path, expected)
    if parsed is None:
        return
    if "author" in expected:
        assert parsed.author is not None
        assert parsed.author.email == expected["author"]["email"].lower()
        if expected["author"].get("name"):
            assert parsed.author.name == expected["author"]["name"]
    if "forwarded_by" in expected:
        if expected["forwarded_by"] is None:
            assert parsed.forwarded_by is None
        else:
            assert parsed.forwarded_by is not None
            assert parsed.forwarded_by.email == expected["forwarded_by"]["email"].lower()
            if expected["forwarded_by"].get("name"):
                assert parsed.forwarded_by.name == expected["forwarded_by"]["name"]
    if "automatic" in expected:
        assert (parsed.automatic.value if parsed.automatic else None) == expected["automatic"]
    if "failed_recipients" in expected:
        assert set(parsed.failed_recipients) == {a.lower() for a in expected["failed_recipients"]}
    if "reply_text" in expected:
        assert _exact(parsed.reply_text) == _exact(expected["reply_text"])
    for phrase in expected.get("reply_text_contains", []):
        assert _collapse(phrase) in _collapse(parsed.reply_text)
    for phrase in expected.get("reply_text_excludes", []):
        assert _collapse(phrase) not in _collapse(parsed.reply_text)
    if "text_source" in expected:
        assert parsed.text_source == expected["text_source"]
    if "language" in expected:
        assert parsed.language == expected["language"]
    if "attachments" in expected:
        got = {(a.filename, a.content_type) for a in parsed.attachments}
        assert got == {(a["filename"], a["content_type"]) for a in expected["attachments"]}


def test_no_sidecar_is_orphaned() -> None:
    for kind in KINDS:
        for sidecar in (MAIL / kind).glob("*.expected.json"):
            assert sidecar.with_name(re.sub(r"\.expected\.json$", ".eml", sidecar.name)).is_file()


def test_unflow_joins_soft_breaks_within_one_quote_depth_only() -> None:
    from replydesk.mime import unflow

    assert unflow("I will \nsign it.\n> Hi \nHello") == "I will sign it.\n> Hi\nHello"
    assert unflow("-- \nJo") == "-- \nJo"
    assert unflow("one\u0020\ntwo", delsp=True) == "onetwo"
