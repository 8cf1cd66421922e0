"""Text out of reply attachments (text/plain, PDF, DOCX), bounded in size and pages.

A minister's office often sends the letter as a PDF with a one-line body. Extraction never
raises: a refusal (too large, encrypted, broken) comes back as a reason.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_PAGES = 30
MAX_CHARS = 50_000

_DOCX_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PDF_TYPES = frozenset({"application/pdf", "application/x-pdf"})
_DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Extracted:
    text: str
    note: str | None = None


def kind_of(filename: str, content_type: str) -> str | None:
    """'text', 'pdf' or 'docx' when replydesk can read this attachment, else None."""
    name = filename.lower()
    if content_type in _PDF_TYPES or name.endswith(".pdf"):
        return "pdf"
    if content_type == _DOCX_TYPE or name.endswith(".docx"):
        return "docx"
    if content_type == "text/plain" or name.endswith(".txt"):
        return "text"
    return None


def extract_text(data: bytes, filename: str, content_type: str, charset: str | None = None) -> Extracted:
    kind = kind_of(filename, content_type)
    if kind is None:
        return Extracted("", f"not a readable type ({content_type})")
    if len(data) > MAX_ATTACHMENT_BYTES:
        return Extracted("", f"skipped: {len(data)} bytes is over the {MAX_ATTACHMENT_BYTES}-byte limit")
    try:
        if kind == "pdf":
            return _pdf_text(data)
        if kind == "docx":
            return _docx_text(data)
        return Extracted(_decode(data, charset)[:MAX_CHARS])
    except Exception as exc:  # a broken file is a reason, never a crash
        return Extracted("", f"unreadable {kind}: {type(exc).__name__}: {exc}"[:300])


def _decode(data: bytes, charset: str | None) -> str:
    for candidate in (charset, "utf-8", "cp1252"):
        if not candidate:
            continue
        try:
            return data.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("latin-1")


def _pdf_text(data: bytes) -> Extracted:
    from pypdf import PdfReader  # imported here: most replies carry no PDF

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        try:
            if not reader.decrypt(""):
                return Extracted("", "encrypted PDF: needs a password")
        except Exception as exc:
            return Extracted("", f"encrypted PDF: {type(exc).__name__}")
    chunks: list[str] = []
    total = 0
    note = None
    for number, page in enumerate(reader.pages):
        if number >= MAX_PAGES:
            note = f"stopped after {MAX_PAGES} pages"
            break
        text = page.extract_text() or ""
        chunks.append(text)
        total += len(text)
        if total >= MAX_CHARS:
            note = f"stopped after {MAX_CHARS} characters"
            break
    text = "\n\n".join(chunks)[:MAX_CHARS].strip()
    if not text:
        return Extracted("", "PDF has no extractable text (scanned image?)")
    return Extracted(text, note)


def _docx_text(data: bytes) -> Extracted:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("word/document.xml")
        if info.file_size > MAX_ATTACHMENT_BYTES * 5:
            return Extracted("", "skipped: document.xml is implausibly large")
        root = ElementTree.fromstring(archive.read(info))
    paragraphs = []
    for para in root.iter(f"{_DOCX_NS}p"):
        parts = [node.text or "" for node in para.iter() if node.tag in (f"{_DOCX_NS}t", f"{_DOCX_NS}tab")]
        paragraphs.append("".join(parts))
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(paragraphs)).strip()
    return Extracted(text[:MAX_CHARS], None if len(text) <= MAX_CHARS else f"stopped after {MAX_CHARS} characters")
