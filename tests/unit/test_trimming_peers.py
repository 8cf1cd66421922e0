"""replydesk.trimming measured on the public peer fixtures vendored in tests/fixtures/peers/.

- email_reply_trimmer (Discourse): every emails/X.txt must trim to trimmed/X.txt, compared
  the way shared/peers/score.py does (CRLF -> LF, each line stripped, blank lines dropped at
  both ends); what we cut must match elided/X.txt.
- email_reply_parser (GitHub) and email-reply-parser (Zapier): the exact visible-reply
  assertions of their test code, and the fragment-level ones restated as reply/elided checks.
- talon: standard_replies, decoded with the stdlib email parser.
Timing of the pathological and email_long_quote inputs is measured in benchmarks/bench_trim.py.
"""

from __future__ import annotations

import email
import email.policy
import re
from collections import Counter
from pathlib import Path

import pytest

from replydesk.trimming import split_reply, trim
from tests.conftest import normalise_peer_text as normalise

PEERS = Path(__file__).resolve().parents[1] / "fixtures" / "peers"
TRIMMER = PEERS / "email_reply_trimmer" / "test"
GITHUB_ERP = PEERS / "email_reply_parser" / "test" / "emails"
ZAPIER_ERP = PEERS / "email-reply-parser" / "test" / "emails"
TALON_STANDARD = PEERS / "talon" / "tests" / "fixtures" / "standard_replies"

TRIMMER_CASES = sorted(path.stem for path in (TRIMMER / "emails").glob("*.txt"))

# Cases we cannot match exactly, with why. Empty: all 64 match. A case listed here is marked
# xfail(strict=True), so one that starts passing fails the suite until it is removed.
TRIMMER_XFAIL: dict[str, str] = {}

# Where our elided text differs from upstream's only in layout, not in content:
# upstream joins a wrapped quote header into one line ("... <\ninfo@x> wrote:" -> one line),
# or rewrites supercite/pipe quote markers ("Richard>", "C>", "|") to ">". We keep the lines
# as they were, so for these the comparison ignores quote markers and line breaks.
ELIDED_LAYOUT_ONLY = {
    # wrapped quote header joined upstream
    "embedded_ception", "embedded_email_12", "embedded_email_14", "embedded_email_15",
    "embedded_email_3", "embedded_email_dutch_2", "embedded_email_french_1",
    "embedded_email_german_4", "embedded_email_german_5", "embedded_email_german_6",
    "embedded_email_portuguese", "embedded_email_quote_text", "embedded_email_russian_2",
    # quote markers rewritten upstream
    "embedded_email_1", "embedded_email_4", "embedded_email_7",
}  # fmt: skip

_SUPERCITE = re.compile(r"(?m)^[ \t]*[A-Za-z]{1,8}>")


def words_without_quote_markers(text: str) -> list[str]:
    return re.sub(r"[>|]", " ", _SUPERCITE.sub("", text)).split()


def read_trimmer(folder: str, name: str) -> str:
    return (TRIMMER / folder / f"{name}.txt").read_bytes().decode("utf-8")


def trimmer_input(name: str) -> str:
    return read_trimmer("emails", name).strip()  # the upstream test strips the input too


def _trimmer_param(name: str) -> object:
    if name in TRIMMER_XFAIL:
        return pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=TRIMMER_XFAIL[name]))
    return name


# --- email_reply_trimmer ------------------------------------------------------------------
def test_trimmer_fixture_set_is_complete() -> None:
    assert len(TRIMMER_CASES) == 64
    assert set(TRIMMER_XFAIL) <= set(TRIMMER_CASES)
    assert len(TRIMMER_XFAIL) <= 6


@pytest.mark.parametrize("name", [_trimmer_param(name) for name in TRIMMER_CASES])
def test_trimmer_trimmed(name: str) -> None:
    assert normalise(trim(trimmer_input(name))) == normalise(read_trimmer("trimmed", name))


@pytest.mark.parametrize("name", TRIMMER_CASES)
def test_trimmer_reply_and_elided_cover_the_input(name: str) -> None:
    text = trimmer_input(name)
    result = split_reply(text)
    lines_in = Counter(line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip())
    parts = (result.reply, result.elided)
    lines_out = Counter(line.strip() for part in parts for line in part.split("\n") if line.strip())
    assert lines_out == lines_in


@pytest.mark.parametrize("name", TRIMMER_CASES)
def test_trimmer_elided(name: str) -> None:
    elided = split_reply(trimmer_input(name)).elided
    expected = read_trimmer("elided", name)
    if name in ELIDED_LAYOUT_ONLY:
        assert normalise(elided) != normalise(expected)  # else: move it out of ELIDED_LAYOUT_ONLY
        assert words_without_quote_markers(elided) == words_without_quote_markers(expected)
    else:
        assert normalise(elided) == normalise(expected)


@pytest.mark.parametrize("name", sorted(path.stem for path in (TRIMMER / "embedded").glob("*.txt")))
def test_trimmer_embedded_email_header_is_elided(name: str) -> None:
    """embedded/X starts with the embedded mail's header; before/X is the text above that mail."""
    result = split_reply(trimmer_input(name))
    embedded, before = read_trimmer("embedded", name), read_trimmer("before", name)
    assert embedded.splitlines()[0].strip() in result.elided
    around = {line.strip() for line in (before + "\n" + embedded).splitlines()}
    assert all(line.strip() in around for line in result.reply.splitlines())


def test_trimmer_matcher_performance_case_is_kept() -> None:
    text = (TRIMMER / "matchers" / "does_not_contain_embedded_email.txt").read_text(encoding="utf-8")
    assert trim(text) == text.strip()


# --- email_reply_parser (GitHub) and email-reply-parser (Zapier) --------------------------
def erp(folder: Path, name: str) -> str:
    return (folder / f"{name}.txt").read_bytes().decode("utf-8")


BOTH_ERP = [GITHUB_ERP, ZAPIER_ERP]
ERP_VISIBLE = [
    (GITHUB_ERP, "email_2_1", "Outlook with a reply"),
    (ZAPIER_ERP, "email_2_1", "Outlook with a reply"),
    (GITHUB_ERP, "email_2_2", "Outlook with a reply directly above line"),
    (ZAPIER_ERP, "email_2_2", "Outlook with a reply directly above line"),
    (GITHUB_ERP, "email_2_3", "Outlook with a reply directly above line"),
    (ZAPIER_ERP, "email_2_3", "Outlook with a reply above headers using unusual format"),
    (GITHUB_ERP, "email_iPhone", "Here is another email"),
    (ZAPIER_ERP, "email_iPhone", "Here is another email"),
    (GITHUB_ERP, "email_BlackBerry", "Here is another email"),
    (ZAPIER_ERP, "email_BlackBerry", "Here is another email"),
    (GITHUB_ERP, "email_multi_word_sent_from_my_mobile_device", "Here is another email"),
    (ZAPIER_ERP, "email_multi_word_sent_from_my_mobile_device", "Here is another email"),
    (
        GITHUB_ERP,
        "email_sent_from_my_not_signature",
        "Here is another email\n\nSent from my desk, is much easier then my mobile phone.",
    ),
    (
        ZAPIER_ERP,
        "email_sent_from_my_not_signature",
        "Here is another email\n\nSent from my desk, is much easier then my mobile phone.",
    ),
    (ZAPIER_ERP, "email_gmail", "This is a test for inbox replying to a github message."),
    (ZAPIER_ERP, "email_headers_no_delimiter", "And another reply!"),
]


@pytest.mark.parametrize(
    ("folder", "name", "expected"),
    ERP_VISIBLE,
    ids=[f"{folder.parents[1].name}-{name}" for folder, name, _ in ERP_VISIBLE],
)
def test_erp_visible_reply(folder: Path, name: str, expected: str) -> None:
    assert trim(erp(folder, name)) == expected


@pytest.mark.parametrize("folder", BOTH_ERP, ids=["github", "zapier"])
def test_erp_bullets_are_kept(folder: Path) -> None:
    reply = trim(erp(folder, "email_bullets"))
    assert reply.endswith("and retain this formatting\n\n\n   - how about bullets\n   - and another")
    assert trim(erp(folder, "email_1_5")) == erp(folder, "email_1_5").strip()


@pytest.mark.parametrize("folder", BOTH_ERP, ids=["github", "zapier"])
def test_erp_bottom_post_keeps_the_answer_below_the_quote(folder: Path) -> None:
    result = split_reply(erp(folder, "email_1_2"))
    assert result.reply.startswith("Hi,\n> Hi folks")
    assert "You can list the keys for the bucket" in result.reply
    assert result.reply.endswith('you’ll need to delete them all individually."')
    assert "riak-users mailing list" not in result.reply
    assert result.elided.startswith("On Tue, 2011-03-01 at 18:02 +0530, Abhishek Kona wrote:")


@pytest.mark.parametrize("folder", BOTH_ERP, ids=["github", "zapier"])
def test_erp_top_post(folder: Path) -> None:
    result = split_reply(erp(folder, "email_1_3"))
    assert result.reply == "Oh thanks.\n\nHaving the function would be great.\n\n-Abhishek Kona"
    assert result.elided.startswith("On 01/03/11 7:07 PM, Russell Brown wrote:")


@pytest.mark.parametrize("folder", BOTH_ERP, ids=["github", "zapier"])
def test_erp_inline_replies_keep_the_quoted_context(folder: Path) -> None:
    result = split_reply(erp(folder, "email_1_8"))
    assert result.reply.startswith("> okay.  Well, here's some stuff I can write.")
    assert "I will reply under this one\n\n>\n> okay?\n>\n\nand under this." in result.reply
    assert result.reply.endswith("and under this.")
    assert result.elided.startswith("On Tue, Apr 29, 2014 at 4:22 PM, Example Dev <sugar@example.com>wrote:")
    assert "Hey there, this is my signature" in result.elided


@pytest.mark.parametrize("folder", BOTH_ERP, ids=["github", "zapier"])
def test_erp_multiline_quote_header(folder: Path) -> None:
    result = split_reply(erp(folder, "email_1_6"))
    assert result.reply == "I get proper rendering as well."
    assert "On Dec 16, 2011, at 12:47 PM, Corey Donohoe\n<reply@reply.github.com>\nwrote:" in result.elided
    assert "> Was this caching related" in result.elided


@pytest.mark.parametrize("folder", BOTH_ERP, ids=["github", "zapier"])
def test_erp_crlf(folder: Path) -> None:
    assert "\r\n" in erp(folder, "email_1_7")
    assert trim(erp(folder, "email_1_7")) == ":+1:"


@pytest.mark.parametrize("folder", BOTH_ERP, ids=["github", "zapier"])
def test_erp_a_reply_line_starting_with_one_or_on_is_not_a_header(folder: Path) -> None:
    reply = trim(erp(folder, "email_one_is_not_on"))
    assert reply.startswith("Thank, this is really helpful.\n\nOne outstanding question I had:")
    assert reply.endswith("Locally (on development), when I run...")
    result = split_reply(erp(folder, "greedy_on"))
    assert result.reply.startswith("On your remote host you can run:\n\n     telnet 127.0.0.1 52698")
    assert result.reply.endswith("fails, the tunnel is not working.")
    assert result.elided.startswith("On 9 Jan 2014, at 2:47, George Plymale wrote:")


@pytest.mark.parametrize("folder", BOTH_ERP, ids=["github", "zapier"])
def test_erp_signatures(folder: Path) -> None:
    result = split_reply(erp(folder, "correct_sig"))
    assert result.reply == "this is an email with a correct -- signature."
    assert result.elided == "-- \nrick"
    text = erp(folder, "email_sig_delimiter_in_middle_of_line")
    assert trim(text) == text.strip()
    reply = trim(erp(folder, "email_1_1"))
    assert reply.endswith("I am currently using the Java HTTP API.\n\n-Abhishek Kona")


def test_erp_partial_quote_header() -> None:
    reply = trim(erp(ZAPIER_ERP, "email_partial_quote_header"))
    assert reply.endswith("fails, the tunnel is not working.")
    assert "George Plymale" not in reply


@pytest.mark.parametrize("folder", BOTH_ERP, ids=["github", "zapier"])
def test_erp_pathological_returns(folder: Path) -> None:
    assert trim(erp(folder, "pathological")) == (
        "I think you're onto something. I will try to fix the problem as soon as I\nget back to a computer."
    )


def test_erp_long_quote_returns() -> None:
    reply = trim(erp(GITHUB_ERP, "email_long_quote"))
    assert reply.startswith("Hi folks\n\nWhat is the best way to clear a Riak bucket")
    assert "riak-users mailing list" not in reply


# --- talon standard_replies ---------------------------------------------------------------
TALON_CASES = sorted(path.stem for path in TALON_STANDARD.glob("*.eml"))


def talon_body(name: str) -> str:
    raw = (TALON_STANDARD / f"{name}.eml").read_bytes()
    message = email.message_from_bytes(raw, policy=email.policy.default)
    return message.get_body(("plain",)).get_content()


def talon_expected(name: str) -> str:
    reply_text = TALON_STANDARD / f"{name}_reply_text"
    return reply_text.read_text(encoding="utf-8").strip() if reply_text.exists() else "Hello"


def test_talon_fixture_set_is_complete() -> None:
    assert len(TALON_CASES) == 12


@pytest.mark.parametrize("name", TALON_CASES)
def test_talon_standard_quotation(name: str) -> None:
    """Talon's own test is quotation-only: its expected reply keeps the signature."""
    assert trim(talon_body(name), keep_signature=True).strip() == talon_expected(name)


@pytest.mark.parametrize("name", TALON_CASES)
def test_talon_standard_default_also_cuts_the_signature(name: str) -> None:
    """By default the signature goes too ("Sent from my iPhone", "-- xxx / Sent with Sparrow")."""
    assert trim(talon_body(name)).strip() == "Hello"
