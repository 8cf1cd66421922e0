"""Broken and hostile mail: seeded mutations of the golden corpus either parse or raise the one
documented error, never anything else, and deep nesting or huge headers stay bounded."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from replydesk.mime import ParseOptions, UnparseableMessage, parse_message

MAIL = Path(__file__).resolve().parents[1] / "fixtures" / "mail"
SOURCES = sorted(p for p in MAIL.rglob("*.eml") if p.stat().st_size)


def _mutate(raw: bytes, rng: random.Random) -> bytes:
    data = bytearray(raw)
    for _ in range(rng.randint(1, 12)):
        choice = rng.random()
        position = rng.randrange(len(data)) if data else 0
        if choice < 0.4 and data:
            data[position] = rng.randrange(256)
        elif choice < 0.6:
            data[position:position] = rng.choice([b"\r\n", b"--", b"=?utf-8?b?", b"\x00", b"boundary=", b"\xff\xfe"])
        elif choice < 0.8 and data:
            del data[position : position + rng.randint(1, 200)]
        else:
            data[position:position] = data[: rng.randint(0, 300)]
    return bytes(data)


@pytest.mark.parametrize("seed", range(40))
def test_mutated_messages_parse_or_raise_the_documented_error(seed: int) -> None:
    rng = random.Random(seed)
    for source in rng.sample(SOURCES, 8):
        mutated = _mutate(source.read_bytes(), rng)
        try:
            parsed = parse_message(mutated)
        except UnparseableMessage:
            continue
        assert isinstance(parsed.reply_text, str)


def test_deeply_nested_multiparts_are_bounded() -> None:
    parts = [b"From: A <a@parliament.example>\r\nSubject: x\r\nMIME-Version: 1.0\r\n"]
    for depth in range(60):
        parts.append(f'Content-Type: multipart/mixed; boundary="b{depth}"\r\n\r\n--b{depth}\r\n'.encode())
    parts.append(b"Content-Type: text/plain\r\n\r\nI will sign.\r\n")
    parsed = parse_message(b"".join(parts))
    assert parsed.author is not None and parsed.author.email == "a@parliament.example"


def test_an_enormous_header_and_body_do_not_hang() -> None:
    raw = (b"From: A <a@parliament.example>\r\nSubject: " + b"x" * 200_000 + b"\r\n\r\n"
           + b"> quoted line\r\n" * 50_000 + b"I support the ban.\r\n")
    parsed = parse_message(raw)
    assert "I support the ban." in parsed.reply_text


def test_messages_of_forwarded_attachments_nested_in_each_other_stop() -> None:
    inner = b"From: MP <mp@parliament.example>\r\nSubject: r\r\n\r\nI will vote for it.\r\n"
    for level in range(12):
        inner = (
            b"From: Inbox <inbox@campaign.example>\r\nSubject: Fwd\r\nMIME-Version: 1.0\r\n"
            b'Content-Type: multipart/mixed; boundary="L' + str(level).encode() + b'"\r\n\r\n--L'
            + str(level).encode() + b"\r\nContent-Type: message/rfc822\r\n\r\n" + inner
            + b"\r\n--L" + str(level).encode() + b"--\r\n"
        )
    parsed = parse_message(inner, ParseOptions(own_addresses=frozenset({"inbox@campaign.example"})))
    assert parsed.author is not None
