"""A campaign's target list: CSV import with per-line errors, and matching replies to targets.

Matching order: the author's address (case-insensitive, plus-tags ignored), then the author's
name when a staffer's or a private address was used, else unmatched.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from replydesk.campaigns import base_address
from replydesk.records import Person

REQUIRED = ("name", "email")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_TITLES = re.compile(
    r"\b(?:mp|mep|msp|ms|td|mla|mpp|hon|honourable|the|rt|right|dr|prof|sir|dame|lord|lady|baroness|senator|sen"
    r"|mr|mrs|miss|mx|m|mme|mlle|sr|sra|srta|d|dña|dip|diputad[oa]|senador[a]?|herr|frau|abg|mdb|mdl|ma)\b\.?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Target:
    name: str
    email: str
    fields: Mapping[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return base_address(self.email)

    def as_item_fields(self) -> dict[str, object]:
        return {"name": self.name, "email": self.email.lower(), "fields": dict(self.fields)}


@dataclass(frozen=True)
class ImportReport:
    targets: tuple[Target, ...]
    errors: tuple[str, ...]
    columns: tuple[str, ...]


def read_targets_csv(data: bytes | str) -> ImportReport:
    """Parse a target list; bad rows are reported by line number and skipped, good ones kept."""
    text = data.decode("utf-8-sig", errors="replace") if isinstance(data, bytes) else data.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        return ImportReport((), ("line 1: the file is empty",), ())
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        return ImportReport((), (f"line 1: missing column(s) {', '.join(missing)} (found: {', '.join(header)})",), ())
    extra = tuple(h for h in header if h and h not in REQUIRED)
    targets: dict[str, Target] = {}
    errors: list[str] = []
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            errors.append(f"line {line}: {len(row)} cells but {len(header)} columns")
            continue
        values = dict(zip(header, (cell.strip() for cell in row), strict=False))
        name, email = values.get("name", ""), values.get("email", "").lower()
        if not name:
            errors.append(f"line {line}: name is empty")
            continue
        if not _EMAIL.match(email):
            errors.append(f"line {line}: {email or 'email'!r} is not an email address")
            continue
        target = Target(name, email, {k: values.get(k, "") for k in extra})
        if target.key in targets:
            errors.append(f"line {line}: {email} repeats an earlier row; the later row is kept")
        targets[target.key] = target
    return ImportReport(tuple(targets.values()), tuple(errors), extra)


def name_key(name: str) -> str:
    """'Rt Hon. Dr Jane O'Neill MP' -> 'jane oneill': titles, accents and punctuation dropped."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    folded = re.sub(r"\([^)]*\)", " ", folded)
    if "," in folded and folded.count(",") == 1:  # "Lee, Kim" -> "Kim Lee"
        last, first = folded.split(",")
        folded = f"{first} {last}"
    folded = _TITLES.sub(" ", folded)
    return " ".join(re.sub(r"[^a-z ]", "", folded.lower()).split())


@dataclass(frozen=True)
class Match:
    target: Target | None
    method: str  # "address", "name" or "unmatched"


class TargetDirectory:
    def __init__(self, targets: Iterable[Target]) -> None:
        self.targets = tuple(targets)
        self._by_address = {t.key: t for t in self.targets}
        by_name: dict[str, list[Target]] = {}
        for target in self.targets:
            by_name.setdefault(name_key(target.name), []).append(target)
        self._by_name = {k: v[0] for k, v in by_name.items() if k and len(v) == 1}

    def match(self, author: Person | None, reply_text: str = "") -> Match:
        """Address first; then the author's name ("Jane Doe", "Office of Jane Doe MP"); then a
        target's full name in the reply's last lines, where a caseworker signs "on behalf of"."""
        if author is not None and author.email and base_address(author.email) in self._by_address:
            return Match(self._by_address[base_address(author.email)], "address")
        key = name_key(author.name) if author is not None else ""
        if key and key in self._by_name:
            return Match(self._by_name[key], "name")
        signature = name_key(" ".join(reply_text.strip().splitlines()[-8:])) if reply_text else ""
        for haystack in (key, signature):
            found = [t for k, t in self._by_name.items() if " " in k and f" {k} " in f" {haystack} "]
            if len(found) == 1:
                return Match(found[0], "name")
        return Match(None, "unmatched")

    def by_address(self, address: str) -> Target | None:
        return self._by_address.get(base_address(address))
