"""Split a plain-text email reply into what the person wrote and what was cut.

The body is read line by line. Each line gets a kind (text, quote, quote header, mail
header, signature delimiter, mobile signature, disclaimer, ...), then a handful of rules
decide, top to bottom, which lines are the reply:

* a quote header ("On ... wrote:" in many languages, possibly wrapped over a few lines,
  "-----Original Message-----", "Forwarded message", ...) after some text cuts the rest,
  unless the person answered inline below the quote;
* a block of three or more Outlook-style headers (From:/Sent:/To:/Subject: and their
  translations) after some text cuts the rest;
* "-- " / "____" delimiters cut the rest, "Sent from my iPhone"-style lines are dropped,
  a legal/confidentiality disclaimer cuts the rest;
* a quote left dangling at the end, after the person's text, is dropped.

Pure stdlib; every pattern is compiled once, anchored, and uses bounded repetition only
where it can backtrack, so that huge or hostile bodies stay linear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Trimmed", "split_reply", "trim"]


@dataclass(frozen=True)
class Trimmed:
    """A reply split in two: what the person wrote and what was cut."""

    reply: str  # what the person wrote
    elided: str  # what was cut (quote, quote header, signature, disclaimer, embedded/forwarded mail)


# --- line kinds ---------------------------------------------------------------------------
BLANK = "e"  # empty or whitespace only
TEXT = "t"  # anything the person may have written
QUOTE = "q"  # "> ..." (or supercite "Name> ...")
ATTRIBUTION = "b"  # an "On ... wrote:" line, in any language (first line of its span)
SEPARATOR = "f"  # "-----Original Message-----", "Forwarded message", "Begin forwarded message:"
CONTINUATION = "c"  # further lines of a wrapped attribution
MAIL_HEADER = "h"  # "From: ...": candidate, confirmed or reverted by _confirm_header_blocks
HEADER_BLOCK = "H"  # first line of a confirmed block of From:/Sent:/To:/Subject: lines
STRONG_DELIMITER = "d"  # "-- ", "____": what follows is a signature or footer
WEAK_DELIMITER = "w"  # "***", "====", "----": dropped only when nothing follows
MOBILE_SIGNATURE = "s"  # "Sent from my iPhone" and friends
DISCLAIMER = "x"  # first line of a legal/confidentiality notice or an external-mail banner

_NON_TEXT = frozenset((BLANK, WEAK_DELIMITER, MOBILE_SIGNATURE))
_QUOTISH = frozenset((QUOTE, ATTRIBUTION, SEPARATOR, CONTINUATION, MAIL_HEADER, HEADER_BLOCK))

_MAX_HEADER_CHARS = 400  # longer lines are never quote headers
_MAX_JOINED_LINES = 5  # a quote header wraps over at most this many lines (blank lines included)
_MAX_CONTINUATION_CHARS = 120
_SHORT_TAIL_LINES = 7  # text below a quote shorter than this is the quoted mail's footer

# --- patterns -----------------------------------------------------------------------------
_QUOTE_LINE = re.compile(r"[ \t]{0,8}(?:[A-Za-z]{1,8})?>")
_QUOTE_PREFIX = re.compile(r"[ \t]{0,8}(?:[A-Za-z]{1,8})?>[> \t]*")
_FENCE = re.compile(r"[ \t]{0,3}```")
_STRONG_DELIMITER = re.compile(r"[ \t]{0,20}(?:--|_{2,}|\u1427)[ \t]*")
_DELIMITER_CHARS = frozenset("-_=~*#+\u1427")
_WEAK_DELIMITER = re.compile(r"[ \t]{0,20}[-=~*#+]{3,}[ \t]*")
_LINK = re.compile(
    r"\[([^\]\n]{0,80})\]\([^)\s]{0,300}\)|<https?://[^>\s]{0,300}>|\(https?://[^)\s]{0,300}\)|https?://\S{0,300}"
)

# Words that open an attribution line; a line starting with one may be wrapped.
_OPENER = re.compile(
    r"""(?:
        on|at                   # en
      | le                      # fr
      | el                      # es
      | am                      # de
      | op                      # nl
      | il                      # it
      | em                      # pt
      | den                     # sv / no / da
      | dnia|w\sdniu            # pl
      | в                       # ru
      | 在                      # zh
      | -{2,8}\s?on             # en (Zoho)
    )\s""",
    re.IGNORECASE | re.VERBOSE,
)

_EMAIL = r"<\s?[^<>\s]{1,150}@[^<>\s]{1,150}\s?>"
_DATED = r"(?=[^\n]{0,250}\d)"  # attribution lines that open with a word carry a date
_TIMED = r"(?=[^\n]{0,250}(?:\d[:.]\d\d|@))"  # English ones a time or an address: not "On 3 March, X wrote:"

# Words for "wrote" when the line starts with a date or a sender (not with an opener word).
_WROTE_AFTER_DATE_OR_SENDER = r"""(?:
        a\s[ée]crit                                  # fr
      | escribió                                     # es
      | schrieb                                      # de
      | schreef|geschreven                           # nl
      | ha\sscritto                                  # it
      | escreveu                                     # pt
      | skrev                                        # sv / no / da
      | napisał\(a\)|napisała|napisał|pisze          # pl
      | написал\(а\)|написала|написал|пишет          # ru
      | написав|пише                                 # uk
      | kirjoitti                                    # fi
      | írta                                         # hu
      | yazdı                                        # tr
    )"""

# An "On <date>, <someone> wrote:" line in any language, matched against the whole (joined) line.
# Examples, in the order of the alternatives:
#   On Mon, 3 Mar 2025 at 10:12, A <a@x> wrote:       ---- On 3 Mar 2025 A wrote ----
#   A <a@x> wrote:                                    Le lun. 3 mars 2025 à 10:12, A <a@x> a écrit :
#   El lun, 3 mar 2025 a las 10:12, A escribió:       Am 03.03.2025 um 10:12 schrieb A <a@x>:
#   A <a@x> schrieb am Mo., 3. März 2025 um 10:12 Uhr:
#   Op 3 mrt. 2025 om 10:12 heeft A het volgende geschreven:
#   Il giorno 3 mar 2025 alle 10:12 A ha scritto:      Em 3 de mar. de 2025 às 10:12, A escreveu:
#   Den 3 mars 2025 kl. 10.12 skrev A <a@x>:           W dniu 3.03.2025 o 10:12, A pisze:
#   在 2025年3月3日 10:12，A 写道：  A 於 2025年3月3日 寫道：  2025年3月3日 10:12 A さんは書きました:
#   2025년 3월 3일 오전 10:12, A님이 작성:               3 марта 2025 г., в 10:12, A <a@x> написал(а):
#   2013/7/20 A <a@x>      2016-03-03 17:21 GMT+01:00 A      пн, 3 мар. 2025 г. в 10:12, A <a@x>:
_ATTRIBUTION_LINE = re.compile(
    rf"""(?:
        (?:on|at)\s{_TIMED}[^\n]{{1,250}}?\bwrote\s?:                                     # en
      | -{{2,8}}\s?on\s[^\n]{{1,250}}?\bwrote\s?-{{2,8}}                                    # en (Zoho)
      | [^\n]{{1,200}}?{_EMAIL}\s?wrote\s?:                                                # en
      | le\s{_DATED}[^\n]{{1,250}}?\ba\s[ée]crit\s?:                                        # fr
      | el\s{_DATED}[^\n]{{1,250}}?\bescribió\s?:                                           # es
      | am\s{_DATED}[^\n]{{1,250}}?\bschrieb\b[^\n]{{0,250}}?:                              # de
      | [^\n]{{1,200}}?{_EMAIL}\s?schrieb(?:\sam\s[^\n]{{1,120}}?)?\s?:                     # de (Gmail)
      | op\s{_DATED}[^\n]{{1,250}}?\b(?:schreef|geschreven)\b[^\n]{{0,250}}?:               # nl
      | il\s{_DATED}[^\n]{{1,250}}?\bha\sscritto\s?:                                        # it
      | em\s{_DATED}[^\n]{{1,250}}?\bescreveu\s?:                                           # pt
      | den\s{_DATED}[^\n]{{1,250}}?\bskrev\b[^\n]{{0,250}}?:                               # sv / no / da
      | (?:dnia|w\sdniu)\s{_DATED}[^\n]{{1,250}}?\b(?:napisał\(a\)|napisała|napisał|pisze)\s?:  # pl
      | 在[^\n]{{1,250}}?写道\s?[:：]?                                                       # zh
      | [^\n]{{1,250}}?於[^\n]{{1,250}}?寫道\s?[:：]?                                        # zh-TW
      | [^\n]{{1,250}}?書きました\s?[:：]                                                     # ja
      | [^\n]{{1,250}}?님이\s?작성(?:했습니다)?\s?[:：]                                       # ko
      | (?=[^\n]{{0,300}}[@\d])[^\n]{{1,300}}?\s{_WROTE_AFTER_DATE_OR_SENDER}\s?[:：]        # ru, uk, pl, fi, …
      | \d{{2,4}}[./-]\d{{1,2}}[./-]\d{{1,4}}\s[^\n]{{0,200}}?{_EMAIL}\s?:?                 # Gmail (old)
      | \d{{4}}-\d{{2}}-\d{{2}}\s\d{{1,2}}:\d{{2}}\s(?:GMT|UTC)[+-]\d{{1,2}}:?\d{{2}}\b[^\n]{{0,200}}  # Gmail
      | (?=[^\n]{{0,250}}\d{{1,2}}[:.]\d{{2}})[^\n]{{1,250}}?{_EMAIL}\s?[:：]               # Gmail, any language
    )\s*""",
    re.IGNORECASE | re.VERBOSE,
)

# "-----Original Message-----" and friends; the whole line, dashes and stars optional.
_SEPARATOR_LINE = re.compile(
    r"""[-_=*\s]{0,40}?(?:
        original\smessage|forwarded\smessage|original\se-?mail|forwarded\se-?mail   # en
      | message\sd'origine|message\soriginal|message\stransféré|courriel\soriginal  # fr
      | ursprüngliche\snachricht|originalnachricht|weitergeleitete\snachricht       # de
      | mensaje\soriginal|mensaje\sreenviado                                        # es
      | messaggio\soriginale|messaggio\sinoltrato                                   # it
      | oorspronkelijk\sbericht|origineel\sbericht|doorgestuurd\sbericht            # nl
      | mensagem\soriginal|mensagem\sencaminhada                                    # pt
      | ursprungligt\smeddelande|vidarebefordrat\smeddelande                        # sv
      | opprinnelig\smelding|videresendt\smelding                                   # no
      | oprindelig\smeddelelse|videresendt\smeddelelse                              # da
      | wiadomość\soryginalna|oryginalna\swiadomość|przekazana\swiadomość           # pl
      | исходное\sсообщение|пересылаемое\sсообщение|пересланное\sсообщение          # ru
      | початкове\sповідомлення|переслане\sповідомлення                             # uk
      | 原始邮件|原始郵件|转发的邮件|轉寄的郵件                                       # zh
    )[-_=*\s]{0,40}
  | (?:
        begin\sforwarded\smessage                                                   # en (Apple Mail)
      | début\sdu\smessage\s(?:réexpédié|transféré)                                 # fr
      | anfang\sder\sweitergeleiteten\s(?:nachricht|e-?mail)                        # de
      | inicio\sdel\smensaje\sreenviado                                             # es
      | inizio\smessaggio\sinoltrato                                                # it
      | begin\sdoorgestuurd\sbericht                                                # nl
      | início\sda\smensagem\s(?:reencaminhada|encaminhada)                         # pt
      | vidarebefordrat\sbrev                                                       # sv
      | videresendt\smeddelelse                                                     # da
    )\s?:\s*""",
    re.IGNORECASE | re.VERBOSE,
)

# One Outlook header field, in bold or not ("*From:* ..."); three in a row make a block.
_MAIL_HEADER_LINE = re.compile(
    r"""[ \t]{0,8}\*{0,2}(?:
        from|sent|date|to|cc|bcc|subject|reply-to                     # en
      | de|envoyé|à|objet|répondre\sà                                 # fr
      | von|gesendet|datum|an|kopie|betreff|antwort\san               # de
      | enviado(?:\sel)?|fecha|para|asunto|responder\sa               # es (De: as fr)
      | da|inviato|data|a|oggetto|risposta|rispondi\sa                # it
      | van|verzonden|aan|onderwerp|beantwoorden                      # nl
      | enviada(?:\sem)?|enviado\sem|assunto                          # pt
      | från|skickat|till|kopia|ämne                                  # sv
      | fra|sendt|til|kopi|emne|dato                                  # no / da
      | od|wysłano|wysłane|do|dw|temat                                # pl
      | от|отправлено|дата|кому|копия|тема                            # ru
      | від|надіслано|копія                                           # uk (Кому, Тема, Дата as ru)
      | lähettäjä|lähetetty|vastaanottaja|aihe                        # fi
      | 发件人|发送时间|收件人|抄送|主题|寄件者|寄件日期|收件者|主旨       # zh
    )\*{0,2}[ \t]?[:：]""",
    re.IGNORECASE | re.VERBOSE,
)

_DEVICE = r"[\w.'’&+\-]{1,30}(?:\s{1,2}[\w.'’&+\-]{1,30}){0,6}"
_NOT_A_DEVICE = r"(?!(?:the\s|our\s)?(?:office|constituency|department|ministry|parliament|house|team|behalf)\b)"

# "Sent from my iPhone" and friends, the whole line (links removed first).
_MOBILE_SIGNATURE_LINE = re.compile(
    rf"""[(<\[]{{0,2}}\s?(?:
        sent\s(?:from|via|with|using)\s{_NOT_A_DEVICE}{_DEVICE}           # en: Sent from my iPhone / Sent with Airmail
      | sent\sby\s{_DEVICE}(?=[)>\]])                                    # en: <<sent by galaxy>>
      | [\w\-]{{1,30}}\sfrom\smobile                                      # en: Someone from mobile
      | from\smy\s(?:i?phone|ipad|ipod|mobile|android|blackberry|cell|smartphone|tablet|galaxy)  # en: From my iPhone 6
        (?:\s[\w\-]{{1,15}}){{0,3}}
      | get\soutlook\sfor\s\w{{1,20}}                                     # en: Get Outlook for Android
      | envoyé\s(?:de|depuis|à\spartir\sde)\s{_DEVICE}                   # fr: Envoyé de mon iPhone
      | von\smeinem\s{_DEVICE}\sgesendet                                 # de: Von meinem iPhone gesendet
      | gesendet\s(?:von|mit)\s{_DEVICE}                                 # de: Gesendet von meinem iPad
      | diese\snachricht\swurde\svon\s{_DEVICE}\sgesendet                # de: ... mit K-9 Mail gesendet
      | enviado\s(?:desde|de|do)\s{_DEVICE}                              # es / pt: Enviado desde mi iPhone
      | inviato\sda\s{_DEVICE}                                           # it: Inviato da iPhone
      | verzonden\s(?:met|vanaf|van)\s{_DEVICE}                          # nl: Verzonden met BlackBerry Work
      | verstuurd\svanaf\s{_DEVICE}                                      # nl: Verstuurd vanaf mijn iPhone
      | skickat\sfrån\s{_DEVICE}                                         # sv: Skickat från min iPhone
      | sendt\sfra\s{_DEVICE}                                            # no / da: Sendt fra min iPad
      | wysłane\sz\s{_DEVICE}                                            # pl: Wysłane z iPhone'a
      | отправлено\sс\s{_DEVICE}                                         # ru: Отправлено с iPhone
      | надіслано\sз\s{_DEVICE}                                          # uk: Надіслано з iPhone
      | 從我的\s?\S{{1,20}}\s?傳送                                          # zh-TW
      | 发自我的\s?\S{{1,20}}                                              # zh
    )[)>\]]{{0,2}}
    (?:\s{{0,3}}[,.;:\-–]?\s{{0,3}}(?:please|pls|excuse|pardon|sorry|apologies|disculpe?|désolé|entschuldig)[^\n]{{0,80}})?
    [.!]?\s*""",
    re.IGNORECASE | re.VERBOSE,
)

# First line of a legal/confidentiality notice (cuts the rest) or of an external-mail banner.
_DISCLAIMER_LINE = re.compile(
    r"""[ \t*]{0,4}(?:
        (?:uk\s)?parliament(?:ary)?\sdisclaimer                                               # en (UK Parliament)
      | (?:confidentiality|privacy|legal|e-?mail)\s(?:notice|disclaimer|statement)\b          # en
      | disclaimer\s?:                                                                        # en
      | (?:this|the)\s(?:e-?mail|message|communication|transmission)\b[^\n]{0,120}?    # en: This email and any …
        \b(?:is|are|may|contains?)\b[^\n]{0,60}?\b(?:confidential|privileged)           #     … are confidential
      | the\s(?:information|contents?)\s(?:contained\s)?(?:in|of)\sthis\s(?:e-?mail|message|communication)  # en
      | if\syou\s(?:are\snot\sthe\sintended\srecipient|have\sreceived\sthis\s(?:e-?mail|message)\sin\serror)  # en
      | (?:caution|warning|external\s(?:e-?mail|sender))\s?:[^\n]{0,40}?\b(?:external|outside)\b  # en (banner)
      | ce\s(?:message|courriel|e-?mail|mail)\b[^\n]{0,120}?\bconfidentiel                    # fr
      | (?:avertissement|avis\sde\sconfidentialité|clause\sde\sconfidentialité)\s?:           # fr
      | (?:diese|dieser)\s(?:e-?mail|nachricht)\S{0,20}[^\n]{0,120}?\bvertraulich             # de
      | (?:vertraulichkeitshinweis|haftungsausschluss)\b                                      # de
      | (?:este|el\spresente)\s(?:mensaje|correo)\b[^\n]{0,120}?\bconfidencial                # es
      | aviso\s(?:legal|de\sconfidencialidad)\b                                               # es
      | questo\s(?:messaggio|e-?mail)\b[^\n]{0,120}?\b(?:riservat|confidenzial)               # it
      | (?:dit\s(?:e-?mail)?bericht|deze\se-?mail)\b[^\n]{0,120}?\bvertrouwelijk              # nl
      | (?:esta\smensagem|este\se-?mail)\b[^\n]{0,120}?\bconfidencia                          # pt
    )""",
    re.IGNORECASE | re.VERBOSE,
)


# --- classification -----------------------------------------------------------------------
def _is_quote(line: str) -> bool:
    head = line[:12]
    if head.lstrip(" \t")[:1] == ">":
        return True
    return ">" in head and _QUOTE_LINE.match(line) is not None


def _unquote(line: str) -> str:
    return _QUOTE_PREFIX.sub("", line, count=1).strip()


def _could_end_header(text: str) -> bool:
    """Cheap test: quote headers end with ':' (or '-', '>') or carry a GMT stamp."""
    return text.endswith((":", "：", "-", ">")) or "GMT" in text or "UTC" in text


def _header_kind(text: str) -> str | None:
    """ATTRIBUTION or SEPARATOR if this (stripped, possibly joined) text is a whole quote header."""
    if len(text) > _MAX_HEADER_CHARS:
        return None
    if ("--" in text or text.endswith((":", "："))) and _SEPARATOR_LINE.fullmatch(text):
        return SEPARATOR
    if _could_end_header(text) and _ATTRIBUTION_LINE.fullmatch(text):
        return ATTRIBUTION
    return None


def _may_wrap(text: str) -> bool:
    """Whether a line that is not a whole header may be the first line of a wrapped one."""
    return len(text) <= _MAX_HEADER_CHARS and (
        _OPENER.match(text) is not None or text[:1].isdigit() or "@" in text or text.endswith("<")
    )


def _opens_header(text: str) -> bool:
    """Whether this line opens a header ("On 3 Mar ...") rather than continues one ("at 10:12 ...")."""
    return _OPENER.match(text) is not None and not text[:1].islower()


def _match_header(lines: list[str], i: int, quoted: bool) -> tuple[str, int] | None:
    """The kind and end (exclusive) of a quote header starting at line i, joining wrapped lines."""
    first = _unquote(lines[i]) if quoted else lines[i].strip()
    kind = _header_kind(first)
    if kind:
        return kind, i + 1
    if not _may_wrap(first):
        return None
    parts, size, blanks = [first], len(first), 0
    for j in range(i + 1, min(len(lines), i + _MAX_JOINED_LINES)):
        if quoted and not _is_quote(lines[j]):
            break
        nxt = _unquote(lines[j]) if quoted else lines[j].strip()
        if not nxt:
            blanks += 1
            if blanks > 1:
                break
            continue
        blanks = 0
        if len(nxt) > _MAX_CONTINUATION_CHARS or _opens_header(nxt):
            break  # not greedy: a line that opens a header of its own gets its own turn
        parts.append(nxt)
        size += len(nxt) + 1
        if size > _MAX_HEADER_CHARS:
            break
        joined = " ".join(parts)
        if _could_end_header(joined) and _ATTRIBUTION_LINE.fullmatch(joined):
            return ATTRIBUTION, j + 1
        if _header_kind(nxt):
            break
    return None


def _is_mobile_signature(text: str) -> bool:
    if len(text) > 200:
        return False
    if "http" in text or "](" in text:
        text = _LINK.sub(lambda m: m.group(1) or "", text)
    return _MOBILE_SIGNATURE_LINE.fullmatch(text.strip()) is not None


def _classify_plain(line: str) -> str:
    """Kind of an unquoted line that does not start a quote header."""
    stripped = line.strip()
    if stripped[0] in _DELIMITER_CHARS:
        if _STRONG_DELIMITER.fullmatch(line):
            return STRONG_DELIMITER
        if _WEAK_DELIMITER.fullmatch(line):
            return WEAK_DELIMITER
    if _is_mobile_signature(stripped):
        return MOBILE_SIGNATURE
    if _MAIL_HEADER_LINE.match(line):
        return MAIL_HEADER
    if _DISCLAIMER_LINE.match(line):
        return DISCLAIMER
    return TEXT


def _classify(lines: list[str], keep_signature: bool) -> tuple[list[str], dict[int, int], int]:
    """Kinds of the lines, where each quote header span or header block ends, and where to stop.

    Unless keep_signature, classification stops at a signature delimiter ("-- ", "____")
    below some content: everything from there on is cut.
    """
    kinds = [TEXT] * len(lines)
    ends: dict[int, int] = {}
    in_code = previous_quoted = seen_content = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if "`" in line and _FENCE.match(line):
            in_code = not in_code
            previous_quoted = False
            i += 1
            continue
        if in_code:
            i += 1
            continue
        if not line.strip():
            kinds[i] = BLANK
            i += 1
            continue
        quoted = _is_quote(line)
        # A quoted line is a header only when it opens a quote block ("> On ... wrote:").
        header = None if quoted and previous_quoted else _match_header(lines, i, quoted)
        previous_quoted = quoted
        if header:
            kind, end = header
            kinds[i] = kind
            for j in range(i + 1, end):
                kinds[j] = BLANK if not lines[j].strip() else CONTINUATION
            ends[i] = end
            i = end
            continue
        kind = kinds[i] = QUOTE if quoted else _classify_plain(line)
        if kind == STRONG_DELIMITER and seen_content and not keep_signature:
            break
        seen_content = seen_content or kind in (TEXT, QUOTE)
        i += 1
    stop = min(i, len(lines))
    _confirm_header_blocks(kinds, ends, stop)
    return kinds, ends, stop


def _confirm_header_blocks(kinds: list[str], ends: dict[int, int], stop: int) -> None:
    """Turn runs of 3+ header fields into HEADER_BLOCK; lone fields go back to TEXT."""
    i = 0
    while i < stop:
        if kinds[i] != MAIL_HEADER:
            i += 1
            continue
        fields, j, wrapped = 0, i, 0
        while j < stop:
            if kinds[j] == MAIL_HEADER:
                fields, wrapped = fields + 1, 0
            elif kinds[j] == TEXT and wrapped == 0 and j > i:
                wrapped = 1  # a field value wrapped onto the next line
            else:
                break
            j += 1
        if wrapped:
            j -= 1
        if fields >= 3:
            kinds[i] = HEADER_BLOCK
            for k in range(i + 1, j):
                kinds[k] = MAIL_HEADER
            ends[i] = j
        else:
            for k in range(i, j):
                if kinds[k] == MAIL_HEADER:
                    kinds[k] = TEXT
        i = max(j, i + 1)


# --- decisions ----------------------------------------------------------------------------
@dataclass
class _Run:
    quoted: bool
    start: int
    text_lines: int = 0


def _runs_after(kinds: list[str], start: int, stop: int, dropped: list[bool], limit: int = 3) -> list[_Run]:
    """The first `limit` runs of quote-like and text-like lines in [start, stop)."""
    runs: list[_Run] = []
    for j in range(start, stop):
        kind = kinds[j]
        if kind in _NON_TEXT or dropped[j]:
            continue
        quoted = kind in _QUOTISH
        if not runs or runs[-1].quoted != quoted:
            if len(runs) == limit:
                break
            runs.append(_Run(quoted, j))
        if not quoted:
            runs[-1].text_lines += 1
    return runs


def _header_action(kind: str, runs: list[_Run], seen_text: bool) -> tuple[str, int]:
    """What to do with a quote header given the runs after it: ("cut", 0), ("drop", 0) or ("through", j)."""
    if seen_text:
        if kind == SEPARATOR or not runs or not runs[0].quoted or len(runs) == 1:
            return "cut", 0
        if len(runs) == 2 and runs[1].text_lines < _SHORT_TAIL_LINES:
            return "cut", 0  # the text under the quote is the quoted mail's own footer
        return "drop", 0  # the person answered inline, below the quote
    if not runs or (len(runs) == 1 and runs[0].quoted):
        return "cut", 0  # nothing but the quote: nothing written
    if not runs[0].quoted:
        return "drop", 0
    if len(runs) == 2:
        return "through", runs[1].start  # bottom-posted: the reply is below the quote
    return "drop", 0  # inline answers: keep the quote as context


def _paragraph_end(kinds: list[str], i: int, stop: int) -> int:
    while i < stop and kinds[i] != BLANK:
        i += 1
    return i


def _decide(kinds: list[str], ends: dict[int, int], stop: int, keep_signature: bool) -> tuple[list[bool], int]:
    """Lines dropped one by one, and the index from which everything is cut."""
    dropped = [False] * len(kinds)
    seen_text = after_separator = False
    i = 0
    while i < stop:
        kind = kinds[i]
        if kind in (ATTRIBUTION, SEPARATOR):
            end = ends[i]
            action, through = _header_action(kind, _runs_after(kinds, end, stop, dropped), seen_text)
            if action == "cut":
                stop = i
                break
            end = through if action == "through" else end
            for j in range(i, end):
                dropped[j] = True
            after_separator = kind == SEPARATOR
            i = end
            continue
        if kind == HEADER_BLOCK:
            if seen_text:
                stop = i
                break
            if after_separator:  # a forwarded message with nothing written above it
                for j in range(i, ends[i]):
                    dropped[j] = True
                i = ends[i]
                continue
        elif kind == STRONG_DELIMITER and not keep_signature:
            dropped[i] = after_separator = True  # before any text: a separator, not a signature
        elif kind == MOBILE_SIGNATURE and not keep_signature:
            dropped[i] = True
        elif kind == DISCLAIMER and not keep_signature:
            if seen_text:
                stop = i
                break
            end = _paragraph_end(kinds, i, stop)  # a banner above the reply
            for j in range(i, end):
                dropped[j] = True
            i = end
            continue
        elif kind not in _NON_TEXT and kind not in _QUOTISH:
            seen_text = True
        if kind != BLANK:
            after_separator = after_separator and kind == STRONG_DELIMITER
        i += 1
    _drop_trailing_quote(kinds, dropped, stop)
    return dropped, stop


def _drop_trailing_quote(kinds: list[str], dropped: list[bool], stop: int) -> None:
    """Drop a quote (and weak delimiters) left at the end below the person's text."""
    tail: list[int] = []
    for j in range(stop - 1, -1, -1):
        if dropped[j] or kinds[j] == BLANK:
            continue
        if kinds[j] in _QUOTISH or kinds[j] == WEAK_DELIMITER:
            tail.append(j)
            continue
        break
    else:
        # Only quotes: keep them, unless they are only weak delimiters.
        tail = [j for j in tail if kinds[j] == WEAK_DELIMITER]
    for j in tail:
        dropped[j] = True


# --- public API ---------------------------------------------------------------------------
def _join(lines: list[str]) -> str:
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return "\n".join(lines[start:end]).rstrip()


# Lines that end the reply outright: "type your reply above this line" markers of ticketing and
# forum systems, and the "Previous Replies" digest some notification mails carry below the reply.
_CUT_MARKER = re.compile(
    r"""[#\-=\s]{0,10}(?:
        (?:please\s)?(?:type|write|enter)\s(?:your\s)?reply\sabove\sthis\sline           # en
      | reply\sabove\sthis\sline                                                  # en
      | bitte\sgib\sdeine\santwort\soberhalb\sdieser\szeile\sein                     # de
      | antworten\ssie\soberhalb\sdieser\szeile                                      # de
      | (?:veuillez\s)?(?:saisir|écrire|répondre)\s[^\n]{0,30}au-dessus\sde\scette\sligne  # fr
      | (?:escriba|escribe|responda)\s[^\n]{0,30}(?:encima|arriba)\sde\sesta\slínea   # es
    )[.!\s#\-=]{0,10}$
  | [*_]{0,2}(?:previous\sreplies|vorherige\santworten|réponses\sprécédentes|respuestas\santeriores)[*_]{0,2}\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


def _cut_at_marker(lines: list[str]) -> int:
    """Index of the first line from which everything is cut (a preceding rule line goes too)."""
    for i, line in enumerate(lines):
        if len(line) < 120 and _CUT_MARKER.match(line.strip()):
            return i - 1 if i and _WEAK_DELIMITER.fullmatch(lines[i - 1]) else i
    return len(lines)


def split_reply(text: str, *, keep_signature: bool = False) -> Trimmed:
    """Split a plain-text email body into the reply and what was elided.

    With keep_signature=True only quoted, embedded and forwarded mail is cut: signature
    delimiters, "Sent from my ..." lines and disclaimers stay in the reply.
    """
    if not text or not text.strip():
        return Trimmed("", "")
    all_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cut = _cut_at_marker(all_lines)
    lines, below_marker = all_lines[:cut], all_lines[cut:]
    kinds, ends, stop = _classify(lines, keep_signature)
    dropped, stop = _decide(kinds, ends, stop, keep_signature)
    for j in range(stop - 1, -1, -1):  # blank lines below the reply belong to what was cut
        if not dropped[j]:
            if kinds[j] != BLANK:
                break
            dropped[j] = True
    reply = [line for j, line in enumerate(lines[:stop]) if not dropped[j]]
    elided = [line for j, line in enumerate(lines[:stop]) if dropped[j]] + lines[stop:] + below_marker
    return Trimmed(_join(reply), _join(elided))


def trim(text: str, *, keep_signature: bool = False) -> str:
    """The reply only: split_reply(text).reply."""
    return split_reply(text, keep_signature=keep_signature).reply
