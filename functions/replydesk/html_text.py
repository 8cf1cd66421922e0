"""HTML mail bodies to readable plain text with the standard library's HTML parser.

Block elements become paragraph breaks, ``<br>`` a line break, list items a ``- `` bullet;
script, style and head content is dropped. Quoted history that mail clients mark up
(``<blockquote>``, Gmail's ``gmail_quote``, Outlook's ``divRplyFwdMsg``/``OLK_SRC_BODY_SECTION``,
Exchange's ``messageReplySection``)
is rendered as ``>``-quoted lines, so the plain-text trimmer removes it the same way.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCK = frozenset(
    [
        "address",
        "article",
        "aside",
        "div",
        "dl",
        "dt",
        "dd",
        "fieldset",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tr",
        "ul",
        "center",
    ]
)
_SKIP = frozenset({"script", "style", "head", "title", "template", "noscript", "xml"})
# Signature blocks that clients mark up; dropped like the plain-text trimmer drops a "-- " signature.
_SIGNATURE_CLASSES = ("gmail_signature",)
_QUOTE_CLASSES = ("gmail_quote", "yahoo_quoted", "moz-cite-prefix", "protonmail_quote")
_QUOTE_IDS = ("divRplyFwdMsg", "OLK_SRC_BODY_SECTION", "appendonsend")
# Outlook mobile / Exchange put the new text in messageBodySection and the message replied to in
# messageReplySection; a reply section with no body section beside it is the only text there is.
_EXCHANGE_BODY = re.compile(r"""name\s*=\s*["']?messageBodySection""", re.IGNORECASE)
_EXCHANGE_REPLY = "messageReplySection"
_VOID = frozenset({"br", "hr", "img", "meta", "link", "input", "wbr", "col", "area", "base", "source"})


class _TextCollector(HTMLParser):
    def __init__(self, exchange_body: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self._exchange_body = exchange_body
        self.lines: list[str] = []
        self._current: list[str] = []
        self._skip_depth = 0
        self._skip_stack: list[str] = []
        self._quote_depth = 0
        self._stack: list[tuple[str, bool]] = []
        self._quoted_rest = False

    def _flush(self, blank: bool = False) -> None:
        text = re.sub(r"[ \t\r\n\f\u00a0]+", " ", "".join(self._current)).strip()
        self._current = []
        prefix = "> " * (self._quote_depth + (1 if self._quoted_rest else 0))
        if text:
            self.lines.append(prefix + text)
        if blank and self.lines and self.lines[-1] != "":
            self.lines.append("")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skip_depth += 1
            self._skip_stack.append(tag)
            return
        attr = dict(attrs)
        if self._skip_depth or any(c in (attr.get("class") or "").split() for c in _SIGNATURE_CLASSES):
            if tag not in _VOID:
                self._skip_depth += 1
                self._skip_stack.append(tag)
            return
        is_quote = (
            tag == "blockquote"
            or any(c in (attr.get("class") or "") for c in _QUOTE_CLASSES)
            or (self._exchange_body and attr.get("name") == _EXCHANGE_REPLY)
        )
        if (attr.get("id") or "") in _QUOTE_IDS:
            self._flush(blank=True)
            self._quoted_rest = True
        if tag == "br":
            self._flush()
            return
        if tag in _VOID:
            if tag == "hr":
                self._flush(blank=True)
            return
        if tag in _BLOCK or is_quote or tag == "li":
            self._flush(blank=tag in ("p", "blockquote", "ul", "ol", "table", "h1", "h2", "h3"))
        if tag == "li":
            self._current.append("- ")
        if is_quote:
            self._quote_depth += 1
        self._stack.append((tag, is_quote))

    def handle_endtag(self, tag: str) -> None:
        if self._skip_depth:
            if tag in self._skip_stack:
                while self._skip_stack:
                    self._skip_depth -= 1
                    if self._skip_stack.pop() == tag:
                        break
            return
        if tag in _VOID:
            return
        while self._stack:
            open_tag, was_quote = self._stack.pop()
            if was_quote:
                self._flush(blank=True)
                self._quote_depth = max(0, self._quote_depth - 1)
            if open_tag == tag:
                break
        if tag in _BLOCK or tag == "li":
            self._flush(blank=tag in ("p", "ul", "ol", "table", "h1", "h2", "h3"))
        elif tag in ("td", "th"):
            self._current.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self._current.append(data)

    def text(self) -> str:
        self._flush()
        return "\n".join(self.lines).strip("\n")


def html_to_text(html: str) -> str:
    """Readable text of an HTML body; never raises on malformed markup."""
    collector = _TextCollector(exchange_body=bool(_EXCHANGE_BODY.search(html)))
    collector.feed(html)
    collector.close()
    return collector.text()
