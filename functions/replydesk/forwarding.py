"""Inline forwards: find the forwarded message's header block in a body and read its author.

Covers Gmail ("---------- Forwarded message ---------"), Apple Mail ("Begin forwarded message:"),
Thunderbird ("-------- Original Message --------"), Outlook (a rule line, then From/Sent/To/Subject)
and their French, Spanish and German forms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import parseaddr

from replydesk.records import Person

FORWARD_MARKER = re.compile(
    r"^[ \t>]*(?:"
    r"-{2,}\s*(?:forwarded message|original message)\s*-{2,}|begin forwarded message:?"  # en
    r"|-{2,}\s*message transf[ée]r[ée]\s*-{2,}|d[ée]but du message (?:r[ée]exp[ée]di[ée]|transf[ée]r[ée])\s*:?"  # fr
    r"|-{2,}\s*message d'origine\s*-{2,}"  # fr
    r"|-{2,}\s*mensaje (?:reenviado|original)\s*-{2,}|inicio del mensaje reenviado:?"  # es
    r"|-{2,}\s*(?:weitergeleitete nachricht|urspr[üu]ngliche nachricht)\s*-{2,}"  # de
    r"|anfang der weitergeleiteten nachricht:?"  # de
    r"|_{20,}"  # Outlook rule line before its header block
    r")\s*$",
    re.IGNORECASE | re.MULTILINE,
)
# Header names of a forwarded block, per language; the value is what follows the colon.
_FROM = r"(?:from|de|von|da|van|od)"
_HEADER_LINE = re.compile(
    r"^[ \t>]*\*?(?P<name>from|de|von|da|van|sent|date|envoy[ée]|enviado(?: el)?|fecha|gesendet|datum|to|[àa]|para"
    r"|an|cc|subject|objet|sujet|pour|copie [àa]|asunto|betreff|reply-to|r[ée]pondre [àa]|antwort an|oggetto|data)"
    r"\*?\s*:\s*\*?(?P<value>.*)$",
    re.IGNORECASE,
)
_SUBJECT_NAMES = frozenset({"subject", "objet", "sujet", "asunto", "betreff", "oggetto"})
_FROM_NAMES = re.compile(rf"^{_FROM}$", re.IGNORECASE)
_MAILTO = re.compile(r"\[mailto:([^\]]+)\]", re.IGNORECASE)


@dataclass(frozen=True)
class InlineForward:
    before: str
    author: Person | None
    subject: str | None
    body: str


def _person(value: str) -> Person | None:
    value = value.strip().strip("*").strip()
    mailto = _MAILTO.search(value)
    if mailto:
        name = _MAILTO.sub("", value).strip().strip('"')
        return Person(name, mailto.group(1).strip().lower())
    name, address = parseaddr(value)
    if "@" not in address:
        angle = re.search(r"<([^<>@\s]+@[^<>\s]+)>", value)
        if not angle:
            return Person(value.strip('"'), "") if value else None
        address = angle.group(1)
        name = value[: angle.start()].strip().strip('"')
    return Person(name.strip().strip('"'), address.strip().lower())


def find_inline_forward(text: str) -> InlineForward | None:
    """The first forwarded message in ``text`` whose header block names its sender."""
    for marker in FORWARD_MARKER.finditer(text):
        rest = text[marker.end() :].lstrip("\r\n")
        lines = rest.splitlines()
        headers: dict[str, str] = {}
        consumed = 0
        for line in lines[:20]:
            if not line.strip():
                if headers:
                    consumed += 1
                    break
                consumed += 1
                continue
            match = _HEADER_LINE.match(line)
            if not match:
                if headers and line.startswith((" ", "\t")):
                    consumed += 1
                    continue
                break
            headers.setdefault(match.group("name").lower(), match.group("value"))
            consumed += 1
        from_value = next((v for k, v in headers.items() if _FROM_NAMES.match(k)), None)
        if from_value is None or len(headers) < 2:
            continue
        subject = next((v.strip() for k, v in headers.items() if k in _SUBJECT_NAMES), None)
        body = "\n".join(lines[consumed:])
        return InlineForward(text[: marker.start()], _person(from_value), subject, body)
    return None
