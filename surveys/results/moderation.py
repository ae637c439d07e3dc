"""The automatic pass over a free-text answer before any reader beyond the
comune's staff sees it: personal data masked, offensive words replaced, and
what was found named for the moderator. Pragmatic, not exhaustive: the staff
still read and approve every comment (`services.moderate_comment`).

Masked (each replaced by a bracketed word, so a reader sees something was there):
e-mail addresses, Italian phone numbers (mobile and landline, with or without
+39), codici fiscali, IBANs, and a name after a title (sig., sig.ra, dott.,
dott.ssa, avv., ing., prof.; «signor Rossi», «la dottoressa Bianchi»).
Offensive words come from `data/offensive_it.txt` (data, not code).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b")
CODICE_FISCALE = re.compile(
    r"\b[A-Z]{6}\d{2}[A-EHLMPR-T]\d{2}[A-Z]\d{3}[A-Z]\b", re.IGNORECASE
)
# +39 or 0039 optional, then a mobile (3xx) or landline (0x) number of 6–11
# digits, possibly split by spaces, dots, slashes or dashes.
PHONE = re.compile(r"(?<![\w])(?:(?:\+|00)39[\s.-]?)?(?:3\d{2}|0\d{1,3})(?:[\s./-]?\d){5,8}(?![\w])")
TITLE = (
    r"(?:sig(?:\.ra|\.na|\.|nor[ae]?|nora)|dott(?:\.ssa|\.|oressa|or)|"
    r"avv(?:\.|ocat[oa])|ing(?:\.|egner[e])|prof(?:\.ssa|\.|essor(?:e|essa)))"
)
NAMED = re.compile(
    r"\b(?i:" + TITLE + r")\s*((?:[A-ZÀ-Ý][\w'’-]+)(?:\s+[A-ZÀ-Ý][\w'’-]+)?)", re.UNICODE
)


@dataclass(frozen=True)
class Screened:
    text: str
    found: tuple[str, ...]  # what was masked or replaced, as words for the moderator

    @property
    def flagged(self) -> bool:
        return bool(self.found)


@functools.cache
def _offensive() -> re.Pattern | None:
    path = Path(__file__).parent / "data" / "offensive_it.txt"
    words = [
        line.strip().lower()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    if not words:
        return None
    parts = [
        re.escape(word[:-1]) + r"\w*" if word.endswith("*") else re.escape(word) for word in words
    ]
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b", re.IGNORECASE | re.UNICODE)


def _named(match: re.Match) -> str:
    return match.group(0)[: match.start(1) - match.start(0)] + _("[nome]")


def screen(text: str) -> Screened:
    """The text as it may be shown after approval, and what was found."""
    found: list[str] = []

    def sub(pattern: re.Pattern, replacement, label: str, value: str) -> str:
        result, count = pattern.subn(replacement, value)
        if count and result != value:
            found.append(label)
        return result

    shown = text
    shown = sub(EMAIL, _("[e-mail]"), _("indirizzo e-mail"), shown)
    shown = sub(IBAN, _("[IBAN]"), _("IBAN"), shown)
    shown = sub(CODICE_FISCALE, _("[codice fiscale]"), _("codice fiscale"), shown)
    shown = sub(PHONE, _("[telefono]"), _("numero di telefono"), shown)
    shown = sub(NAMED, _named, _("nome di una persona"), shown)
    offensive = _offensive()
    if offensive is not None:
        shown = sub(offensive, "[…]", _("parola offensiva"), shown)
    return Screened(text=shown, found=tuple(found))
