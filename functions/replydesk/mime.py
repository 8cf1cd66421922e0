"""Raw RFC 5322 bytes to a ParsedMessage: who wrote it, what they wrote, what came with it.

Built on the standard library's ``email`` package with ``policy.default``. Every step that a
hostile or broken message can trip is guarded, so parsing either returns a ParsedMessage or
raises :class:`UnparseableMessage` with a reason a person can read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

from replydesk import attachments, automatic
from replydesk.forwarding import find_inline_forward
from replydesk.html_text import html_to_text
from replydesk.language import detect_language
from replydesk.records import Attachment, Automatic, ParsedMessage, Person
from replydesk.trimming import trim

MAX_MESSAGE_BYTES = 40 * 1024 * 1024
MAX_NESTING = 5
# A body that only points at the real reply: "please find attached the Minister's reply".
_POINTS_AT_ATTACHMENT = re.compile(
    r"(?:attached|attachment|enclosed|herewith"  # en
    r"|ci-joint|ci-jointe|pi[eè]ce jointe|en annexe"  # fr
    r"|adjunt[oa]|archivo adjunto|anexo"  # es
    r"|im anhang|anbei|beigef[üu]gt|in der anlage|als anlage)",  # de
    re.IGNORECASE,
)
_NAMES_A_LETTER = re.compile(
    r"(?:reply|response|answer|letter|statement|position"  # en
    r"|r[ée]ponse|lettre|courrier|position"  # fr
    r"|respuesta|carta|contestaci[óo]n|posici[óo]n"  # es
    r"|antwort|schreiben|brief|stellungnahme)",  # de
    re.IGNORECASE,
)
_ATTACHMENT_POINTER_MAX_WORDS = 40


class UnparseableMessage(ValueError):
    """The bytes are not a message replydesk can read; the text says why."""


def is_own_address(address: str, own: frozenset[str]) -> bool:
    """Own addresses are the campaign's inboxes; an entry ``@domain`` covers a whole domain."""
    address = address.lower()
    return address in own or ("@" in address and "@" + address.rsplit("@", 1)[1] in own)


@dataclass(frozen=True)
class ParseOptions:
    """What parsing needs to know about the campaign, and what it may open."""

    own_addresses: frozenset[str] = frozenset()
    open_attachments: bool = True
    detect_language: bool = True
    keep_signature: bool = False


@dataclass
class _Body:
    text: str = ""
    has_text: bool = False
    attachments: list[Attachment] = field(default_factory=list)
    readable: list[tuple[Message, Attachment]] = field(default_factory=list)
    forwarded: list[Message] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def parse_message(raw: bytes, options: ParseOptions | None = None) -> ParsedMessage:
    options = options or ParseOptions()
    if not raw or not raw.strip():
        raise UnparseableMessage("empty message: no bytes")
    if len(raw) > MAX_MESSAGE_BYTES:
        raise UnparseableMessage(f"message of {len(raw)} bytes is over the {MAX_MESSAGE_BYTES}-byte limit")
    msg = BytesParser(policy=policy.default).parsebytes(_strip_leading_blank_lines(raw))
    if not any(True for _ in msg.raw_items()):
        raise UnparseableMessage("no headers: this is not an RFC 5322 message")
    return _parse(msg, options, depth=0)


def _strip_leading_blank_lines(raw: bytes) -> bytes:
    """Some stores prepend blank lines; the stdlib would then read every header as body."""
    stripped = raw.lstrip(b"\r\n")
    return stripped if re.match(rb"[!-9;-~]+:", stripped) else raw


def _parse(msg: EmailMessage, options: ParseOptions, depth: int) -> ParsedMessage:
    author = _author(msg)
    body = _Body()
    _collect(msg, body, options)
    subject = _header(msg, "Subject")
    forwarded_by: Person | None = None
    notes = list(body.notes)
    text = body.text

    if author.email == "":
        notes.append(f"no sender address in From: {_header(msg, 'From')[:80]!r}")
    redirected_by = _address_header(msg, "Resent-From") or _forwarder_from_headers(msg, author)
    author_is_inbox = is_own_address(author.email, options.own_addresses)
    if body.forwarded and depth < MAX_NESTING and (author_is_inbox or not trim(text).strip()):
        inner = _parse(_as_message(body.forwarded[0]), options, depth + 1)
        return _forwarded(inner, author, body, [*notes, "forwarded as attachment"])
    inline = find_inline_forward(text)
    if inline and inline.author and inline.author.email and (author_is_inbox or not trim(inline.before).strip()):
        forwarded_by = author
        author = inline.author
        subject = inline.subject or subject
        text = inline.body
        notes.append("inline forward")
    elif redirected_by and redirected_by.email != author.email:
        forwarded_by = redirected_by
        notes.append("redirected")

    verdict = automatic.detect(msg, text, author.email)
    kind = verdict.kind if verdict.is_automatic() else None
    failed = automatic.failed_recipients(msg, text, options.own_addresses) if kind is Automatic.BOUNCE else ()
    reply_text = text.strip() if kind is Automatic.BOUNCE else trim(text, keep_signature=options.keep_signature)
    text_source = "body"
    if kind is None and body.readable and options.open_attachments and _points_at_attachment(reply_text):
        reply_text, text_source = _text_from_attachments(body, reply_text, notes)
    language = detect_language(reply_text) if options.detect_language and kind is not Automatic.BOUNCE else None
    error = None
    if not body.has_text and not reply_text.strip() and not body.forwarded:
        kinds = ", ".join(sorted({a.content_type for a in body.attachments})) or "nothing"
        error = f"no readable text: the message holds {kinds}"
    return ParsedMessage(
        message_id=_header(msg, "Message-ID").strip("<> ") or None,
        subject=subject,
        date=_date(msg),
        author=author,
        forwarded_by=forwarded_by,
        automatic=kind,
        automatic_reason=verdict.reason or None,
        reply_text=reply_text,
        text_source=text_source,
        language=language,
        attachments=tuple(body.attachments),
        failed_recipients=failed,
        recipients=_recipients(msg),
        notes=tuple(notes),
        error=error,
    )


def _author(msg: EmailMessage) -> Person:
    """From, else Sender, else Reply-To; a message with none still parses, with an empty address."""
    found = [_address_header(msg, name) for name in ("From", "Sender", "Reply-To")]
    with_address = next((p for p in found if p and p.email), None)
    if with_address:
        return with_address
    named = next((p for p in found if p and p.name), None)
    return Person(named.name if named else "", "")


def _forwarded(inner: ParsedMessage, forwarder: Person, outer: _Body, notes: list[str]) -> ParsedMessage:
    return ParsedMessage(
        message_id=inner.message_id,
        subject=inner.subject,
        date=inner.date,
        author=inner.author,
        forwarded_by=forwarder,
        automatic=inner.automatic,
        automatic_reason=inner.automatic_reason,
        reply_text=inner.reply_text,
        text_source=inner.text_source,
        language=inner.language,
        attachments=tuple(outer.attachments),
        failed_recipients=inner.failed_recipients,
        recipients=inner.recipients,
        notes=tuple(notes) + inner.notes,
        error=inner.error,
    )


def _as_message(part: Message) -> EmailMessage:
    payload = part.get_payload()
    if isinstance(payload, list) and payload:
        inner = payload[0]
        if isinstance(inner, EmailMessage):
            return inner
        return BytesParser(policy=policy.default).parsebytes(inner.as_bytes())
    data = part.get_payload(decode=True) or b""
    return BytesParser(policy=policy.default).parsebytes(data)


def _collect(msg: EmailMessage, body: _Body, options: ParseOptions) -> None:
    """Choose the body part (plain before HTML) and list every attachment."""
    try:
        main = msg.get_body(preferencelist=("plain", "html"))
    except Exception as exc:
        main = None
        body.notes.append(f"body not found: {type(exc).__name__}")
    if main is None and msg.get_content_maintype() == "multipart" and not _safe_multipart(msg):
        main = msg  # a multipart without a usable boundary: read its payload as plain text
        body.notes.append("multipart without boundary read as text")
    if main is not None:
        text = _decode_text(main)
        if main.get_content_type() == "text/html":
            text = html_to_text(text)
        elif main.get_param("format", "").lower() == "flowed":
            text = unflow(text, delsp=main.get_param("delsp", "").lower() == "yes")
        body.text = _strip_boundary_lines(text) if main is msg and msg.is_multipart() else text
        body.has_text = True
    if msg.is_multipart():
        _walk_attachments(msg, main, body, options, depth=0)
    elif main is None:
        _add_attachment(msg, body, options)


def unflow(text: str, delsp: bool = False) -> str:
    """Undo RFC 3676 format=flowed soft breaks: a line ending in a space continues on the next
    line of the same quote depth; a change of depth ends the paragraph."""
    out: list[str] = []
    pending, pending_depth = "", 0

    def emit(content: str, depth: int) -> None:
        out.append(">" * depth + (" " if depth and content else "") + content)

    for raw_line in text.split("\n"):
        line = raw_line.rstrip("\r")
        depth = len(line) - len(line.lstrip(">"))
        content = line[depth:]
        if content.startswith(" "):
            content = content[1:]  # space-stuffing
        if pending and depth != pending_depth:
            emit(pending.rstrip(), pending_depth)
            pending = ""
        if content.endswith(" ") and content != "-- ":
            pending += content[:-1] if delsp else content
            pending_depth = depth
            continue
        emit(pending + content, depth)
        pending = ""
    if pending:
        emit(pending.rstrip(), pending_depth)
    return "\n".join(out)


def _strip_boundary_lines(text: str) -> str:
    """Drop MIME boundary and part-header lines from a multipart read as plain text."""
    lines = text.splitlines()
    kept: list[str] = []
    in_headers = False
    for line in lines:
        if re.match(r"^--\S+$", line.strip()):
            in_headers = True
            continue
        if in_headers:
            if not line.strip():
                in_headers = False
            elif re.match(r"^[A-Za-z-]+:", line):
                continue
            else:
                in_headers = False
        kept.append(line)
    return "\n".join(kept)


def _safe_multipart(msg: Message) -> bool:
    return isinstance(msg.get_payload(), list)


def _walk_attachments(container: Message, main: Message | None, body: _Body, options: ParseOptions, depth: int) -> None:
    if depth > MAX_NESTING or not _safe_multipart(container):
        return
    for part in container.get_payload():
        if part is main:
            continue
        ctype = part.get_content_type()
        if ctype == "message/rfc822":
            body.forwarded.append(part)
            _add_attachment(part, body, options)
        elif part.is_multipart():
            _walk_attachments(part, main, body, options, depth + 1)
        elif ctype in ("text/plain", "text/html") and not part.is_attachment() and part.get_filename() is None:
            continue  # the alternative rendering of the body, or an inline text continuation
        elif ctype == "message/delivery-status" or ctype.startswith("text/rfc822-headers"):
            continue
        else:
            _add_attachment(part, body, options)


def _add_attachment(part: Message, body: _Body, options: ParseOptions) -> None:
    ctype = part.get_content_type()
    try:
        filename = part.get_filename() or ""
    except Exception:
        filename = ""
    if not filename:
        filename = "forwarded.eml" if ctype == "message/rfc822" else f"unnamed.{ctype.split('/')[-1]}"
    data = _payload_bytes(part)
    attachment = Attachment(filename=filename, content_type=ctype, size=len(data))
    body.attachments.append(attachment)
    if options.open_attachments and attachments.kind_of(filename, ctype):
        body.readable.append((part, attachment))


def _payload_bytes(part: Message) -> bytes:
    if part.get_content_type() == "message/rfc822":
        payload = part.get_payload()
        inner = payload[0] if isinstance(payload, list) and payload else None
        return inner.as_bytes() if isinstance(inner, Message) else b""
    try:
        return part.get_payload(decode=True) or b""
    except Exception:
        return b""


def _decode_text(part: Message) -> str:
    """Decode a text part, surviving unknown charsets and bytes that contradict the declared one."""
    data = _payload_bytes(part)
    declared = part.get_content_charset() or "utf-8"
    for candidate in (declared, "utf-8", "cp1252"):
        try:
            return data.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("latin-1")


def _points_at_attachment(text: str) -> bool:
    """An empty body, or a short one that says the reply or letter is attached."""
    words = len(text.split())
    return words == 0 or (
        words <= _ATTACHMENT_POINTER_MAX_WORDS
        and bool(_POINTS_AT_ATTACHMENT.search(text))
        and bool(_NAMES_A_LETTER.search(text))
    )


def _text_from_attachments(body: _Body, fallback: str, notes: list[str]) -> tuple[str, str]:
    for part, attachment in body.readable:
        extracted = attachments.extract_text(
            _payload_bytes(part), attachment.filename, attachment.content_type, part.get_content_charset()
        )
        if extracted.note:
            notes.append(f"{attachment.filename}: {extracted.note}")
        if extracted.text.strip():
            return trim(extracted.text), attachment.filename
    return fallback, "body"


def _header(msg: Message, name: str) -> str:
    try:
        value = msg.get(name)
        return str(value).strip() if value is not None else ""
    except Exception:
        raw = next((v for k, v in msg.raw_items() if k.lower() == name.lower()), "")
        return str(raw).strip()


def _address_header(msg: Message, name: str) -> Person | None:
    try:
        header = msg.get(name)
        addresses = getattr(header, "addresses", None)
        if addresses:
            first = addresses[0]
            if first.addr_spec and "@" in first.addr_spec:
                return Person(first.display_name or "", first.addr_spec.lower())
    except Exception:
        pass
    raw = _header(msg, name)
    if not raw:
        return None
    display, address = parseaddr(raw)
    if "@" not in address:
        return Person(display or raw, "")
    return Person(display, address.lower())


def _forwarder_from_headers(msg: Message, author: Person) -> Person | None:
    """Gmail and others add X-Forwarded-For: <forwarder> <final recipient> on auto-forward."""
    for name in ("X-Forwarded-For", "X-Forwarded-By"):
        value = _header(msg, name)
        if value:
            address = value.replace(",", " ").split()[0].strip("<>").lower()
            if "@" in address and address != author.email:
                return Person("", address)
    return None


def _recipients(msg: Message) -> tuple[str, ...]:
    values = [_header(msg, name) for name in ("To", "Cc", "Delivered-To", "X-Original-To")]
    return tuple(dict.fromkeys(a.lower() for _, a in getaddresses([v for v in values if v]) if "@" in a))


def _date(msg: Message) -> datetime | None:
    try:
        header = msg.get("Date")
        value = getattr(header, "datetime", None)
        if value is not None:
            return value
    except Exception:
        pass
    raw = _header(msg, "Date")
    try:
        return parsedate_to_datetime(raw) if raw else None
    except (TypeError, ValueError, IndexError):
        return None
