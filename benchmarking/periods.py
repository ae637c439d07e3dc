"""Collection periods as explicit values: a year, a half or a quarter."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

YEAR, HALF, QUARTER = "Y", "H", "Q"
FIRST_YEAR, LAST_YEAR = 2000, 2100
_PARTS = {YEAR: 1, HALF: 2, QUARTER: 4}
_PATTERN = re.compile(r"^(\d{4})(?:-([HQ])([1-4]))?$")


@dataclass(frozen=True, order=True)
class Period:
    year: int
    kind: str = YEAR
    index: int = 1

    def __post_init__(self):
        if self.kind not in _PARTS or not 1 <= self.index <= _PARTS[self.kind]:
            raise ValueError(f"invalid period {self.kind}{self.index}")
        if not FIRST_YEAR <= self.year <= LAST_YEAR:
            raise ValueError(f"year out of range: {self.year}")

    @classmethod
    def parse(cls, text: str) -> "Period":
        """'2025', '2025-H1' or '2025-Q3'."""
        match = _PATTERN.match(text.strip().upper())
        if not match:
            raise ValueError(f"not a period: {text!r}")
        year, kind, index = match.groups()
        return cls(int(year), kind or YEAR, int(index or 1))

    def previous(self) -> "Period | None":
        """The same stretch of time one step earlier (2025-Q1 -> 2024-Q4); None
        for the first periods kept (2000, 2000-H1, 2000-Q1): there is nothing
        before them to compare with."""
        if self.index > 1:
            return Period(self.year, self.kind, self.index - 1)
        if self.year == FIRST_YEAR:
            return None
        return Period(self.year - 1, self.kind, _PARTS[self.kind])

    @property
    def code(self) -> str:
        return str(self.year) if self.kind == YEAR else f"{self.year}-{self.kind}{self.index}"

    @property
    def label(self) -> str:
        if self.kind == YEAR:
            return str(self.year)
        if self.kind == HALF:
            return _("%(index)d° semestre %(year)d") % {"index": self.index, "year": self.year}
        return _("%(index)d° trimestre %(year)d") % {"index": self.index, "year": self.year}

    def __str__(self) -> str:
        return self.label
