"""replydesk.trimming on our own real-shaped replies (tests/fixtures/trimming/) and edge cases."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

import pytest

from replydesk.trimming import Trimmed, split_reply, trim

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "trimming"
CASES = sorted(path.name.removesuffix(".txt") for path in FIXTURES.glob("*.txt") if ".expected." not in path.name)

REPLY = "Thank you for your email. I will support the Clean Air Bill.\n\nBest,\nAnna"
QUOTE = "> Dear Anna Example,\n>\n> Will you support the Clean Air Bill?\n>\n> Clean Air Campaign"


def fixture(name: str) -> str:
    return (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")


def expected(name: str) -> str:
    return (FIXTURES / f"{name}.expected.txt").read_text(encoding="utf-8").rstrip("\n")


def non_blank_lines(*texts: str) -> Counter[str]:
    return Counter(line.strip() for text in texts for line in text.splitlines() if line.strip())


# --- fixtures -----------------------------------------------------------------------------
def test_fixture_set() -> None:
    assert len(CASES) >= 25
    for name in CASES:
        assert (FIXTURES / f"{name}.expected.txt").exists(), name


@pytest.mark.parametrize("name", CASES)
def test_fixture_reply(name: str) -> None:
    assert trim(fixture(name)) == expected(name)


@pytest.mark.parametrize("name", CASES)
def test_fixture_reply_and_elided_cover_the_input(name: str) -> None:
    result = split_reply(fixture(name))
    assert non_blank_lines(result.reply, result.elided) == non_blank_lines(fixture(name))


@pytest.mark.parametrize("name", CASES)
def test_fixture_crlf_gives_the_same_reply(name: str) -> None:
    assert trim(fixture(name).replace("\n", "\r\n")) == expected(name)
    assert trim(fixture(name).replace("\n", "\r")) == expected(name)


def test_wrapped_french_header_and_signature_are_elided() -> None:
    elided = split_reply(fixture("fr_gmail_wrapped")).elided
    assert elided.startswith(
        "Envoyé de mon iPhone\n\nLe lun. 3 mars 2025 à 10:12, Campagne Air Pur <contact@airpur.example.org> a\nécrit :"
    )
    assert elided.endswith("> Campagne Air Pur")


def test_long_ministerial_reply_comes_back_unchanged() -> None:
    text = fixture("ministerial_no_quote")
    result = split_reply(text)
    assert result == Trimmed(text.rstrip("\n"), "")
    assert "Sent from my desk, this letter is also available in print on request." in result.reply
    assert "On 3 March you wrote to the Department about three points" in result.reply


def test_disclaimer_is_elided_whole() -> None:
    result = split_reply(fixture("disclaimer_uk_parliament"))
    assert result.elided.startswith("UK Parliament Disclaimer: this e-mail is confidential")
    assert result.elided.endswith("for sensitive data.")
    assert result.reply.endswith(
        "Best,\nAnna\n\nAnna Example MP\nMember of Parliament for Exampleton\nHouse of Commons, London"
    )


def test_body_that_is_only_a_quote() -> None:
    assert split_reply(fixture("quote_only_with_header")).reply == ""
    assert split_reply(fixture("quote_only_with_header")).elided.startswith("On Mon, 3 Mar 2025 at 10:12")
    assert split_reply(fixture("quote_only_plain")) == Trimmed(fixture("quote_only_plain").rstrip("\n"), "")


# --- API ------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["", " ", "\n\n", "\r\n \t\r\n"])
def test_empty_body(text: str) -> None:
    assert split_reply(text) == Trimmed("", "")
    assert trim(text) == ""


def test_trim_is_the_reply_of_split_reply() -> None:
    text = fixture("top_posted_campaign")
    assert trim(text) == split_reply(text).reply


def test_trimmed_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        split_reply("Hello").reply = "changed"  # type: ignore[misc]


def test_keep_signature_cuts_only_quoted_mail() -> None:
    header = "On Mon, 3 Mar 2025 at 10:12, A <a@example.org> wrote:"
    text = f"{REPLY}\n\n-- \nAnna Example MP\nSent from my iPhone\n\n{header}\n{QUOTE}"
    assert trim(text) == REPLY
    assert trim(text, keep_signature=True) == f"{REPLY}\n\n-- \nAnna Example MP\nSent from my iPhone"
    disclaimer = f"{REPLY}\n\nThis email and any attachments are confidential."
    assert trim(disclaimer, keep_signature=True) == disclaimer


def test_reply_keeps_the_original_lines() -> None:
    text = "  Indented first line\n\tTabbed line   \n\nLast line"
    assert trim(text) == text


# --- quote headers ------------------------------------------------------------------------
ATTRIBUTIONS = {
    "en-gmail": "On Mon, 3 Mar 2025 at 10:12, Clean Air Campaign <hello@cleanair.example.org> wrote:",
    "en-apple": "On 3 Mar 2025, at 10:12, Clean Air Campaign <hello@cleanair.example.org> wrote:",
    "en-outlook-mobile": 'On Mon, Mar 3, 2025 at 10:12 AM -0800, "Clean Air" <hello@cleanair.example.org> wrote:',
    "en-thunderbird": "On 03/03/2025 10:12, Clean Air Campaign wrote:",
    "en-sender": "Clean Air Campaign <hello@cleanair.example.org> wrote:",
    "fr": "Le lun. 3 mars 2025 à 10:12, Campagne Air Pur <contact@airpur.example.org> a écrit :",
    "fr-thunderbird": "Le 03/03/2025 à 10:12, Campagne Air Pur a écrit :",
    "es": "El lun, 3 mar 2025 a las 10:12, Campaña Agua Limpia (<hola@agua.example.org>) escribió:",
    "de": "Am 03.03.2025 um 10:12 schrieb Kampagne Saubere Luft <info@luft.example.org>:",
    "de-gmail": "Kampagne Saubere Luft <info@luft.example.org> schrieb am Mo., 3. März 2025 um 10:12 Uhr:",
    "nl": "Op ma 3 mrt 2025 om 10:12 schreef Campagne Schone Lucht <info@schonelucht.example.org>:",
    "nl-apple": "Op 3 mrt. 2025 om 10:12 heeft Schone Lucht <info@schonelucht.example.org> het volgende geschreven:",
    "it": "Il giorno lun 3 mar 2025 alle ore 10:12 Campagna Aria Pulita <info@ariapulita.example.org> ha scritto:",
    "pt": "Em seg., 3 de mar. de 2025 às 10:12, Campanha Ar Limpo <ola@arlimpo.example.org> escreveu:",
    "sv": "Den mån 3 mars 2025 kl 10:12 skrev Kampanj Ren Luft <info@renluft.example.org>:",
    "no": "Den 3. mar. 2025 kl. 10:12 skrev Kampanje Ren Luft <post@renluft.example.org>:",
    "da": "Den man. 3. mar. 2025 kl. 10.12 skrev Kampagne Ren Luft <info@renluft.example.org>:",
    "pl-thunderbird": "W dniu 3.03.2025 o 10:12, Kampania Czyste Powietrze <biuro@czyste.example.org> pisze:",
    "pl-gmail": "pon., 3 mar 2025 o 10:12 Kampania Czyste Powietrze <biuro@czyste.example.org> napisał(a):",
    "ru-gmail": "пн, 3 мар. 2025 г. в 10:12, Кампания Чистый Воздух <info@vozduh.example.org>:",
    "ru": "3 марта 2025 г., в 10:12, Кампания Чистый Воздух <info@vozduh.example.org> написал(а):",
    "uk": "пн, 3 бер. 2025 р. о 10:12 Кампанія Чисте Повітря <info@povitria.example.org> пише:",
    "zh": "在 2025年3月3日 10:12，清洁空气运动 <info@kongqi.example.org> 写道：",
    "ja": "2025年3月3日(月) 10:12 Clean Air Campaign <hello@cleanair.example.org>:",
    "ko": "2025년 3월 3일 (월) 오전 10:12, Clean Air Campaign <hello@cleanair.example.org>님이 작성:",
    "fi": "ma 3.3.2025 klo 10.12 Clean Air Campaign (hello@cleanair.example.org) kirjoitti:",
}


@pytest.mark.parametrize("header", ATTRIBUTIONS.values(), ids=ATTRIBUTIONS.keys())
def test_attribution_line(header: str) -> None:
    result = split_reply(f"{REPLY}\n\n{header}\n\n{QUOTE}\n")
    assert result.reply == REPLY
    assert result.elided == f"{header}\n\n{QUOTE}"


@pytest.mark.parametrize("header", ATTRIBUTIONS.values(), ids=ATTRIBUTIONS.keys())
def test_attribution_line_followed_by_an_unquoted_original(header: str) -> None:
    original = QUOTE.replace("> ", "").replace(">", "")
    assert trim(f"{REPLY}\n\n{header}\n\n{original}\n") == REPLY


@pytest.mark.parametrize(
    "wrapped",
    [
        "On Mon, 3 Mar 2025 at 10:12, Clean Air Campaign <\nhello@cleanair.example.org> wrote:",
        "On Mon, 3 Mar 2025 at 10:12, Clean Air Campaign\n<hello@cleanair.example.org>\nwrote:",
        "Le lun. 3 mars 2025 à 10:12, Campagne Air Pur <contact@airpur.example.org> a\nécrit :",
        'El lun, 3 mar 2025 a las 10:12, "Campaña Agua Limpia" <\nhola@agua.example.org> escribió:',
        "Kampagne Saubere Luft <info@luft.example.org> schrieb am Mo., 3. März\n2025 um 10:12 Uhr:",
        'Am 03.03.2025 um 10:12 schrieb "Kampagne Saubere Luft" <info@luft.example.org\n>:',
        "On Mon, Mar 3, 2025\nat 10:12 AM Clean Air Campaign <hello@cleanair.example.org> wrote:",
        "Kampagne Saubere Luft <info@luft.example.org> schrieb\nam Mo., 3. März 2025 um 10:12 Uhr:",
    ],
)
def test_wrapped_attribution(wrapped: str) -> None:
    result = split_reply(f"{REPLY}\n\n{wrapped}\n\n{QUOTE}")
    assert result.reply == REPLY
    assert result.elided.startswith(wrapped)


def test_a_reply_line_above_a_wrapped_header_is_not_swallowed() -> None:
    header = "On 3 Mar 2025 at 10:12, Clean Air Campaign <\nhello@cleanair.example.org> wrote:"
    result = split_reply(f"{REPLY}\nOn Monday we met.\n{header}\n{QUOTE}")
    assert result.reply == f"{REPLY}\nOn Monday we met."
    assert result.elided == f"{header}\n{QUOTE}"


SEPARATORS = [
    "-----Original Message-----",
    "----- Original Message -----",
    "-------- Original Message --------",
    "-----Message d'origine-----",
    "-----Ursprüngliche Nachricht-----",
    "-----Mensaje original-----",
    "-----Messaggio originale-----",
    "-----Oorspronkelijk bericht-----",
    "---------- Forwarded message ---------",
    "---------- Message transféré ---------",
    "---------- Weitergeleitete Nachricht ---------",
    "---------- Mensaje reenviado ---------",
    "Begin forwarded message:",
    "Début du message réexpédié :",
    "Anfang der weitergeleiteten Nachricht:",
]


@pytest.mark.parametrize("separator", SEPARATORS)
def test_separator_cuts_a_long_original(separator: str) -> None:
    original = "\n".join(f"Line {n} of the campaign letter, which is long." for n in range(12))
    text = f"{REPLY}\n\n{separator}\nFrom: Clean Air Campaign <hello@cleanair.example.org>\nSent: 03 March 2025 10:12\n"
    text += f"To: Anna Example\nSubject: Clean Air Bill\n\n{original}\n"
    assert trim(text) == REPLY


OUTLOOK_BLOCKS = {
    "en-bold": "*From:* Clean Air [mailto:hello@cleanair.example.org]\n*Sent:* Monday, March 3, 2025 10:12 AM\n"
    "*To:* Anna Example\n*Subject:* Clean Air Bill",
    "sv": "Från: Kampanj Ren Luft [mailto:info@renluft.example.org]\nSkickat: den 3 mars 2025 10:12\n"
    "Till: anna@riksdagen.example.org\nÄmne: Ren luft",
    "pt": "De: Campanha Ar Limpo <ola@arlimpo.example.org>\nEnviada em: segunda-feira, 3 de março de 2025 10:12\n"
    "Para: Ana Exemplo\nAssunto: Ar limpo",
    "pl": "Od: Kampania Czyste Powietrze <biuro@czyste.example.org>\nWysłano: poniedziałek, 3 marca 2025 10:12\n"
    "Do: Anna Przykład\nTemat: Czyste powietrze",
    "ru": "От: Кампания Чистый Воздух <info@vozduh.example.org>\nОтправлено: 3 марта 2025 г. 10:12\n"
    "Кому: Анна Пример\nТема: Чистый воздух",
    "zh": "发件人: 清洁空气运动 <info@kongqi.example.org>\n发送时间: 2025年3月3日 10:12\n收件人: 安娜\n主题: 清洁空气",
}


@pytest.mark.parametrize("block", OUTLOOK_BLOCKS.values(), ids=OUTLOOK_BLOCKS.keys())
def test_outlook_header_block(block: str) -> None:
    result = split_reply(f"{REPLY}\n\n{block}\n\nDear Anna Example,\n\nWill you support the Bill?\n")
    assert result.reply == REPLY
    assert result.elided.startswith(block)


# --- what must stay -----------------------------------------------------------------------
NOT_HEADERS = [
    "On 3 March, the Minister wrote:",
    "On 3 March I wrote to the Secretary of State about this.",
    "On Monday I wrote:",
    "On this, my view has not changed.",
    "Le ministre a écrit :",
    "One question remains: when?",
    "At the meeting we agreed the following:",
    "To: all members of the committee",
    "Date: 12 March, 10:00, Westminster Hall",
    "Sent on behalf of Anna Example MP",
    "Sent from the office of Anna Example MP",
    "Sent from my desk, is much easier then my mobile phone.",
    "From my perspective, the Bill does not go far enough.",
    "This is not a ---------- delimiter.",
    "And here is a fix -- this is not a signature.",
    "—Anna",
]


@pytest.mark.parametrize("line", NOT_HEADERS)
def test_reply_lines_that_look_like_markers_are_kept(line: str) -> None:
    text = f"Dear Campaigner,\n\n{line}\n\nMore of my reply follows here.\nAnd another line.\n\nBest,\nAnna"
    assert trim(text) == text


def test_section_breaks_in_a_letter_are_kept() -> None:
    text = "Part one of my answer.\n\n***\n\nPart two: I will vote for the Bill.\n\n====\n\nPart three."
    assert trim(text) == text


def test_trailing_rule_is_dropped() -> None:
    assert trim("I will vote for the Bill.\n\n***\n") == "I will vote for the Bill."


def test_code_block_is_kept() -> None:
    text = "Here is the snippet:\n\n```\n--\n> not a quote\n____\n```\n\nThanks"
    assert trim(text) == text


MOBILE_SIGNATURES = [
    "Sent from my iPhone",
    "Sent from my Galaxy",
    "Sent from my BlackBerry 10 smartphone.",
    "Sent from my iPad, please excuse brevity",
    "Get Outlook for Android",
    "Get Outlook for iOS<https://aka.ms/o0ukef>",
    "Envoyé de mon iPhone",
    "Envoyé depuis mon mobile",
    "Von meinem iPhone gesendet",
    "Gesendet von meinem iPad",
    "Enviado desde mi iPhone",
    "Enviado do meu iPhone",
    "Inviato da iPhone",
    "Verstuurd vanaf mijn iPhone",
    "Skickat från min iPhone",
    "Sendt fra min iPad",
    "Wysłane z iPhone'a",
    "Отправлено с iPhone",
    "发自我的 iPhone",
]


@pytest.mark.parametrize("signature", MOBILE_SIGNATURES)
def test_mobile_signature_is_elided(signature: str) -> None:
    assert split_reply(f"{REPLY}\n\n{signature}\n") == Trimmed(REPLY, signature)


def test_sign_off_name_is_kept() -> None:
    assert trim("Count me in.\n\nBest, Anna") == "Count me in.\n\nBest, Anna"
    assert trim("Count me in.\n\nBest,\nAnna\n\nSent from my iPhone") == "Count me in.\n\nBest,\nAnna"


# --- inline, bottom-posted, quotes ----------------------------------------------------------
def test_inline_answers_keep_the_quoted_questions() -> None:
    result = split_reply(fixture("inline_replies"))
    assert "> Will you meet local parents?" in result.elided
    assert result.elided.startswith("On Mon, 3 Mar 2025 at 10:12, Clean Air Campaign")


def test_text_between_quotes_is_kept() -> None:
    text = "> Will you sign?\n\nYes.\n\n> Will you speak?\n\nNo."
    assert trim(text) == text


def test_trailing_quote_is_dropped() -> None:
    assert split_reply(f"{REPLY}\n\n{QUOTE}\n") == Trimmed(REPLY, QUOTE)


def test_nested_quoted_header_at_the_top_of_a_quote() -> None:
    text = f"{REPLY}\n> On Mon, 3 Mar 2025 at 10:12, A <a@example.org> wrote:\n>\n{QUOTE}"
    assert trim(text) == REPLY


# --- robustness ---------------------------------------------------------------------------
def test_huge_body_returns() -> None:
    letter = "A line of a very long campaign letter, quoted in full.\n"
    text = REPLY + "\n\nOn Mon, 3 Mar 2025 at 10:12, A <a@example.org> wrote:\n" + ("> " + letter) * 100_000
    assert trim(text) == REPLY
    unquoted = REPLY + "\n\n" + letter * 100_000
    assert trim(unquoted) == unquoted.rstrip()


@pytest.mark.parametrize(
    "line",
    [
        "On " + "1:00 " * 50_000 + "wrote",
        "On " + "a" * 300 + " wrote:" + " " * 300,
        "Le 3 " + "a écrit " * 60 + "x",
        ">" * 700_000,
        "Sent from my " + "iPhone " * 10_000,
        "-" * 500_000,
        "From: " + "x" * 500_000,
    ],
    ids=["on-times", "on-padded", "fr-repeat", "quote-markers", "sent-from", "dashes", "header"],
)
def test_hostile_lines_return(line: str) -> None:
    result = split_reply(f"Hello\n{line}\n{line}\nBye")
    assert result.reply.startswith("Hello")
