from __future__ import annotations

from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

import pytest

from replydesk.automatic import detect, failed_recipients
from replydesk.records import Automatic


def _msg(headers: dict[str, str], body: str = "Hello") -> EmailMessage:
    raw = "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n" + body
    return BytesParser(policy=policy.default).parsebytes(raw.encode())


BASE = {"From": "Jo Bloggs <jo@parliament.example>", "To": "replies@campaign.example", "Subject": "Re: Treaty"}


@pytest.mark.parametrize(
    ("extra", "reason_part"),
    [
        ({"Auto-Submitted": "auto-replied"}, "Auto-Submitted"),
        ({"X-Autoreply": "yes"}, "X-Autoreply"),
        ({"X-Autorespond": "Out of office"}, "X-Autorespond"),
        ({"Precedence": "auto_reply"}, "Precedence"),
        ({"Subject": "Automatic reply: Treaty", "X-Auto-Response-Suppress": "All"}, "subject"),
        ({"Subject": "Abwesenheitsnotiz: Streumunition"}, "subject"),
        ({"Subject": "Réponse automatique : Traité"}, "subject"),
        ({"Subject": "Respuesta automática: Tratado"}, "subject"),
        ({"Subject": "Out of Office"}, "subject"),
    ],
)
def test_auto_reply_signals(extra: dict[str, str], reason_part: str) -> None:
    verdict = detect(_msg({**BASE, **extra}), "I am away.")
    assert verdict.kind is Automatic.AUTO_REPLY
    assert verdict.is_automatic()
    assert reason_part in verdict.reason


def test_text_only_auto_reply_is_recognised_from_its_wording() -> None:
    text = "Thank you for your email. I am currently out of the office until 3 March with limited access to email."
    assert detect(_msg(BASE), text).kind is Automatic.AUTO_REPLY


def test_auto_reply_that_says_committed_is_still_automatic() -> None:
    text = "This is an automated response. We are committed to answering within 10 working days."
    assert detect(_msg(BASE), text).is_automatic()


def test_long_letter_mentioning_out_of_office_is_not_automatic() -> None:
    text = "I am sorry for the delay; I was out of the office last week. " + "I support the ban fully. " * 60
    assert not detect(_msg(BASE), text).is_automatic()


def test_auto_submitted_no_and_plain_replies_are_not_automatic() -> None:
    assert not detect(_msg({**BASE, "Auto-Submitted": "no"}), "I will sign.").is_automatic()
    assert detect(_msg(BASE), "I will table a question.").kind is None


def test_bounce_from_mailer_daemon_with_failed_recipient() -> None:
    body = (
        "This is the mail system at host mx.campaign.example.\n\nI'm sorry to have to inform you that your"
        " message could not be delivered.\n\n<j.doe@parliament.example>: host mx.parliament.example said:"
        " 550 5.1.1 User unknown\n"
    )
    msg = _msg(
        {
            "From": "MAILER-DAEMON@mx.campaign.example (Mail Delivery System)",
            "To": "replies@campaign.example",
            "Subject": "Undelivered Mail Returned to Sender",
        },
        body,
    )
    verdict = detect(msg, body, "mailer-daemon@mx.campaign.example")
    assert verdict.kind is Automatic.BOUNCE
    assert failed_recipients(msg, body) == ("j.doe@parliament.example",)


def test_bounce_recipient_from_delivery_status_part() -> None:
    raw = (
        "From: Mail Delivery Subsystem <postmaster@mx.example.net>\r\nTo: replies@campaign.example\r\n"
        "Subject: Delivery Status Notification (Failure)\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"\r\n\r\n'
        "--b1\r\nContent-Type: text/plain\r\n\r\nDelivery to the following recipient failed permanently.\r\n"
        "--b1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.net\r\n\r\n"
        "Final-Recipient: rfc822; A.Person@Senate.example\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n--b1--\r\n"
    )
    msg = BytesParser(policy=policy.default).parsebytes(raw.encode())
    verdict = detect(msg, "Delivery to the following recipient failed permanently.", "postmaster@mx.example.net")
    assert verdict.kind is Automatic.BOUNCE and verdict.score == 1.0
    assert failed_recipients(msg, "") == ("a.person@senate.example",)
