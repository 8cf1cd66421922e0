"""Was this message written by a machine? Auto-replies and bounces, with a score and the reasons.

Headers are strong evidence (RFC 3834 ``Auto-Submitted``, ``multipart/report`` delivery status);
subjects and wording are weaker and are only trusted on short texts, so a minister's letter that
mentions "out of office" in passing is not mistaken for an auto-reply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import Message

from replydesk.records import Automatic

AUTO_REPLY_SUBJECT = re.compile(
    r"^\s*(?:"
    r"automatic reply|auto(?:matic)?[- ]?(?:reply|response)|autoreply|out of (?:the )?office|ooo\b"  # en
    r"|absent\b|absence|réponse automatique|reponse automatique|message automatique"  # fr
    r"|respuesta automática|respuesta automatica|fuera de la oficina|ausencia"  # es
    r"|automatische antwort|abwesenheitsnotiz|abwesend|außer haus|ausser haus"  # de
    r"|risposta automatica|fuori sede"  # it
    r"|automatisch antwoord|afwezig"  # nl
    r")",
    re.IGNORECASE,
)
BOUNCE_SUBJECT = re.compile(
    r"(?:undeliverable|undelivered mail|delivery status notification|delivery failure|mail delivery failed"  # en
    r"|returned mail|delivery has failed|failure notice|could not be delivered|address not found"  # en
    r"|non remis|non distribuable|échec de la remise|echec de la remise"  # fr
    r"|no se puede entregar|no entregado|error de entrega|no se pudo entregar"  # es
    r"|unzustellbar|nicht zustellbar|zustellung fehlgeschlagen|rückläufige nachricht"  # de
    r")",
    re.IGNORECASE,
)
BOUNCE_SENDER = re.compile(r"^(?:mailer-daemon|postmaster|mail delivery (?:subsystem|system))\b", re.IGNORECASE)
BOUNCE_WORDING = re.compile(
    r"(?:could not be delivered|couldn't be delivered|delivery (?:has )?failed|permanent(?:ly)? (?:error|failure)"  # en
    r"|user unknown|mailbox unavailable|no such user|address (?:was )?not found|recipient address rejected"  # en
    r"|\b5\.\d{1,3}\.\d{1,3}\b"  # DSN status code
    r"|n'a pas pu être remis|n'a pas pu être distribué|adresse introuvable"  # fr
    r"|no se ha podido entregar|no se pudo entregar|dirección no encontrada"  # es
    r"|konnte nicht zugestellt werden|unzustellbar|empfänger unbekannt"  # de
    r")",
    re.IGNORECASE,
)
AUTO_REPLY_WORDING = re.compile(
    r"(?:\bI(?:'m| am) (?:currently |now )?"  # en
    r"(?:out of (?:the )?office|away|on (?:annual |parental )?leave|travelling)"  # en
    r"|\bI will be (?:out of (?:the )?office|away|on leave)"  # en
    r"|\bwith (?:limited|no) access to (?:e-?mail|my e-?mail)"  # en
    r"|\bthis is an? (?:automatic|automated|auto-generated)(?:ally generated)?"  # en
    r" (?:reply|response|message|acknowledgement)"  # en
    r"|\bthis (?:mail ?box|inbox|email address) is not (?:monitored|checked)"  # en
    r"|\bdo not reply to this (?:e-?mail|message)"  # en
    r"|\b(?:we|I) (?:have|has) received your (?:e-?mail|message|correspondence)"  # en
    r"[^.]{0,80}(?:reference|respond within|reply within)"  # en
    r"|\bje suis (?:actuellement )?absente?\b|\bje serai absente?\b"  # fr
    r"|\bmessage automatique|\bréponse automatique"  # fr
    r"|\bvotre (?:message|courriel|courrier) a bien été reçu"  # fr
    r"|\bestaré fuera de la oficina|\bme encuentro fuera de la oficina|\bestoy fuera de la oficina"  # es
    r"|\b(?:respuesta|mensaje) automátic[oa]|\bhemos recibido (?:su|tu) (?:mensaje|correo)"  # es
    r"|\bich bin (?:derzeit |momentan |zurzeit |bis [^.]{1,40})?"  # de
    r"(?:nicht im büro|abwesend|im urlaub|außer haus)"  # de
    r"|\bautomatische (?:antwort|nachricht|eingangsbestätigung)|\babwesenheitsnotiz"  # de
    r"|\bihre (?:nachricht|e-?mail) ist (?:bei uns )?eingegangen"  # de
    r")",
    re.IGNORECASE,
)
_WORDING_MAX_WORDS = 180


@dataclass(frozen=True)
class AutomaticVerdict:
    """How strongly a message looks automatic, and why."""

    kind: Automatic | None
    score: float
    reasons: tuple[str, ...] = ()

    def is_automatic(self, threshold: float = 0.5) -> bool:
        return self.kind is not None and self.score >= threshold

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


def _header(msg: Message, name: str) -> str:
    try:
        value = msg.get(name)
    except Exception:  # malformed header: fall back to its raw text
        value = next((v for k, v in msg.raw_items() if k.lower() == name.lower()), None)
    return str(value or "").strip()


def _has_delivery_report(msg: Message) -> bool:
    if msg.get_content_type() == "multipart/report":
        return msg.get_param("report-type", "").lower() == "delivery-status" or any(
            p.get_content_type() == "message/delivery-status" for p in msg.walk()
        )
    return False


def detect(msg: Message, text: str, sender_address: str = "") -> AutomaticVerdict:
    """Decide from headers first, then subject, then wording of a short text."""
    bounce = _bounce_evidence(msg, text, sender_address)
    auto = _auto_reply_evidence(msg, text)
    if bounce and sum(s for s, _ in bounce) >= max((s for s, _ in auto), default=0):
        return AutomaticVerdict(Automatic.BOUNCE, min(1.0, sum(s for s, _ in bounce)), tuple(r for _, r in bounce))
    if auto:
        return AutomaticVerdict(Automatic.AUTO_REPLY, min(1.0, sum(s for s, _ in auto)), tuple(r for _, r in auto))
    return AutomaticVerdict(None, 0.0)


def _bounce_evidence(msg: Message, text: str, sender_address: str) -> list[tuple[float, str]]:
    found: list[tuple[float, str]] = []
    if _has_delivery_report(msg):
        found.append((1.0, "multipart/report delivery-status"))
    if _header(msg, "X-Failed-Recipients"):
        found.append((0.6, "X-Failed-Recipients header"))
    sender = sender_address.split("@")[0] if sender_address else ""
    from_header = _header(msg, "From")
    if BOUNCE_SENDER.match(sender) or BOUNCE_SENDER.match(from_header):
        found.append((0.4, f"sender {sender_address or from_header}"))
    subject = _header(msg, "Subject")
    if BOUNCE_SUBJECT.search(subject):
        found.append((0.3, f"subject {subject[:60]!r}"))
    if found and BOUNCE_WORDING.search(text[:5000]):
        found.append((0.2, "delivery-failure wording"))
    return found if sum(s for s, _ in found) >= 0.5 else []


def _auto_reply_evidence(msg: Message, text: str) -> list[tuple[float, str]]:
    found: list[tuple[float, str]] = []
    auto_submitted = _header(msg, "Auto-Submitted").lower()
    if auto_submitted and auto_submitted != "no" and not auto_submitted.startswith("auto-forwarded"):
        found.append((1.0, f"Auto-Submitted: {auto_submitted}"))
    for name in ("X-Autoreply", "X-Autorespond", "X-Autogenerated", "X-Auto-Reply"):
        if _header(msg, name):
            found.append((0.9, f"{name} header"))
    precedence = _header(msg, "Precedence").lower()
    if precedence == "auto_reply":
        found.append((0.9, "Precedence: auto_reply"))
    elif precedence in ("bulk", "junk"):
        found.append((0.3, f"Precedence: {precedence}"))
    if _header(msg, "X-Auto-Response-Suppress"):
        found.append((0.2, "X-Auto-Response-Suppress header"))
    subject = _header(msg, "Subject")
    if AUTO_REPLY_SUBJECT.match(subject):
        found.append((0.5, f"subject {subject[:60]!r}"))
    if len(text.split()) <= _WORDING_MAX_WORDS:
        match = AUTO_REPLY_WORDING.search(text)
        if match:
            found.append((0.5, f"wording {match.group(0)[:50]!r}"))
    return found if sum(s for s, _ in found) >= 0.5 else []


_RECIPIENT_FIELD = re.compile(
    r"^(?:Final|Original)-Recipient:\s*(?:rfc822;)?\s*<?([^\s<>;]+@[^\s<>;]+?)>?\s*$", re.I | re.M
)
_ADDRESS_IN_TEXT = re.compile(r"<?\b([A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24})\b>?")
_FAILURE_LINE = re.compile(
    r"(?:could not be delivered|delivery (?:to the following recipients? )?(?:has )?failed|user unknown"
    r"|address not found|no such user|mailbox unavailable|recipient address rejected|\b5\.\d{1,3}\.\d{1,3}\b"
    r"|unzustellbar|konnte nicht zugestellt|n'a pas pu être remis|no se (?:ha podido|pudo) entregar)",
    re.IGNORECASE,
)


def failed_recipients(msg: Message, text: str, own_addresses: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """Addresses a bounce says could not be reached, from the DSN part, headers or wording."""
    found: list[str] = []
    for part in msg.walk():
        if part.get_content_type() == "message/delivery-status":
            payload = part.get_payload()
            blocks = payload if isinstance(payload, list) else [payload]
            for block in blocks:
                found.extend(_RECIPIENT_FIELD.findall(block.as_string() if isinstance(block, Message) else str(block)))
    found.extend(a.strip() for a in _header(msg, "X-Failed-Recipients").split(",") if "@" in a)
    if not found:
        lines = text.splitlines()[:200]
        for i, line in enumerate(lines):
            window = " ".join(lines[max(0, i - 2) : i + 3])
            if _FAILURE_LINE.search(window):
                found.extend(_ADDRESS_IN_TEXT.findall(line))
    seen: dict[str, None] = {}
    for address in found:
        key = address.strip().lower()
        domain = "@" + key.rsplit("@", 1)[-1]
        if key and key not in own_addresses and domain not in own_addresses and not BOUNCE_SENDER.match(key):
            seen.setdefault(key, None)
    return tuple(seen)
