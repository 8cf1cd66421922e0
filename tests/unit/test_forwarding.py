import pytest

from replydesk.forwarding import find_inline_forward


@pytest.mark.parametrize(
    ("block", "name", "email"),
    [
        (
            "---------- Forwarded message ---------\nFrom: Ana Silva <ana.silva@parliament.example>\n"
            "Date: Mon, 2 Nov 2026 at 10:00\nSubject: Re: Treaty\nTo: <replies@campaign.example>\n",
            "Ana Silva",
            "ana.silva@parliament.example",
        ),
        (
            'Begin forwarded message:\n\nFrom: "Tom Reed" <t.reed@assembly.example>\nSubject: Re: Treaty\n'
            "Date: 2 November 2026 at 10:00:00 GMT\nTo: replies@campaign.example\n",
            "Tom Reed",
            "t.reed@assembly.example",
        ),
        (
            "________________________________\nFrom: Lee, Kim <kim.lee@senate.example>\n"
            "Sent: Monday, November 2, 2026\n"
            "To: Campaign\nSubject: RE: Treaty\n",
            "Lee, Kim",
            "kim.lee@senate.example",
        ),
        (
            "________________________________\nDe : Claire Martin [mailto:c.martin@assemblee.example]\n"
            "Envoyé : lundi 2 novembre 2026 10:00\nÀ : Campagne\nObjet : RE: Traité\n",
            "Claire Martin",
            "c.martin@assemblee.example",
        ),
        (
            "---------- Weitergeleitete Nachricht ---------\nVon: Jens Vogt <jens.vogt@bundestag.example>\n"
            "Datum: Mo., 2. Nov. 2026 um 10:00 Uhr\nBetreff: AW: Vertrag\nAn: <replies@campaign.example>\n",
            "Jens Vogt",
            "jens.vogt@bundestag.example",
        ),
        (
            "---------- Mensaje reenviado ---------\nDe: Lucía Gómez <lgomez@congreso.example>\n"
            "Fecha: lun, 2 nov 2026 a las 10:00\nAsunto: RE: Tratado\nPara: <replies@campaign.example>\n",
            "Lucía Gómez",
            "lgomez@congreso.example",
        ),
    ],
)
def test_forward_header_blocks(block: str, name: str, email: str) -> None:
    forward = find_inline_forward(f"\n{block}\nI will vote for the bill.\n")
    assert forward is not None
    assert forward.author is not None
    assert (forward.author.name, forward.author.email) == (name, email)
    assert forward.body.strip() == "I will vote for the bill."


def test_a_rule_line_without_headers_is_not_a_forward() -> None:
    assert find_inline_forward("Thanks.\n________________________\nJust a signature line\n") is None
