"""Reading and checking the figures people type or import.

Italian writing is the default: `1.234,5` is one thousand two hundred and
thirty-four point five; `12,5` and `12.5` are both twelve and a half; `1.500`
is one thousand five hundred. Nothing is rounded or truncated silently: a figure
with more decimals than we keep is refused with a message.
"""

import math
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

MAX_DECIMALS = 4
MAX_INTEGER_DIGITS = 16  # DecimalField(max_digits=20, decimal_places=4)
# No figure we keep takes more characters to write (16 digits, 4 decimals, thousands
# dots, sign, a few spaces): longer text is refused before any parsing.
MAX_TEXT_LENGTH = 64

_THOUSANDS_DOTS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
_TRUE = {"1", "si", "sì", "s", "yes", "y", "true", "vero"}
_FALSE = {"0", "no", "n", "false", "falso"}


class NumberError(ValueError):
    """The text is not a figure we can keep; the message is for the user."""


def parse_number(text: str) -> Decimal:
    """The figure written in `text`, Italian way first; NumberError (with the
    message for the person) for anything that is not a figure we can keep:
    not a number, exponents (`1e400`), more than MAX_DECIMALS decimals, more
    than MAX_INTEGER_DIGITS digits before the comma."""
    stripped = (text or "").strip()
    if len(stripped) > MAX_TEXT_LENGTH:
        raise NumberError(_("Il valore è troppo lungo per essere un numero."))
    raw = stripped.replace("\u00a0", "").replace(" ", "").replace("'", "")
    if not raw:
        raise NumberError(_("Manca il valore."))
    if "," in raw:
        cleaned = raw.replace(".", "").replace(",", ".") if raw.rfind(",") > raw.rfind(".") else None
        if cleaned is None:  # 1,234.5 (English thousands)
            cleaned = raw.replace(",", "")
    elif _THOUSANDS_DOTS.match(raw):
        cleaned = raw.replace(".", "")
    else:
        cleaned = raw
    # ASCII digits only: str.isdigit() and \d also take other scripts' digits.
    if not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", cleaned):
        raise NumberError(_("«%(text)s» non è un numero.") % {"text": stripped[:40]})
    try:
        number = Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern above guarantees a decimal
        raise NumberError(_("«%(text)s» non è un numero.") % {"text": stripped[:40]}) from None
    return _within_bounds(number)


def number_from(value: int | float | Decimal) -> Decimal:
    """A figure that arrives already as a number (a JSON number in the API, a
    numeric cell of a spreadsheet), held to the same rules as a typed one:
    infinities (`1e400` in JSON is a float infinity), NaN, too many digits or
    decimals are refused with NumberError."""
    if isinstance(value, bool):
        raise NumberError(_("Scrivi un numero."))
    if isinstance(value, float):
        if math.isnan(value):
            raise NumberError(_("Scrivi un numero."))
        if math.isinf(value):
            raise NumberError(_("Il numero è troppo grande."))
        # repr is the shortest text of the float: 1.234 stays 1.234.
        number = Decimal(repr(value))
    elif isinstance(value, int | Decimal):
        number = Decimal(value)
    else:
        raise NumberError(_("Scrivi un numero."))
    if not number.is_finite():
        raise NumberError(_("Il numero è troppo grande."))
    return _within_bounds(number)


def number_text(value: int | float | Decimal) -> str:
    """`number_from`, written back as a person would type it (`1234,5`)."""
    return input_text(number_from(value))


def _within_bounds(number: Decimal) -> Decimal:
    sign, digits, exponent = number.as_tuple()
    if not isinstance(exponent, int):  # pragma: no cover - callers pass finite numbers
        raise NumberError(_("Il numero è troppo grande."))
    # Digits before the decimal point, leading zeros aside (0,5 has none).
    significant = list(digits)
    while significant and significant[0] == 0:
        significant.pop(0)
    if len(significant) + exponent > MAX_INTEGER_DIGITS:
        raise NumberError(_("Il numero è troppo grande: al massimo %(n)d cifre prima della virgola.")
                          % {"n": MAX_INTEGER_DIGITS})
    if -exponent > MAX_DECIMALS:
        raise NumberError(
            _("Al massimo %(n)d decimali: il valore non viene arrotondato.") % {"n": MAX_DECIMALS}
        )
    return number


def parse_boolean(text: str) -> Decimal:
    raw = (text or "").strip().lower()
    if raw in _TRUE:
        return Decimal(1)
    if raw in _FALSE:
        return Decimal(0)
    raise NumberError(_("Scrivi sì oppure no."))


def format_number(value: Decimal | None, decimals: int | None = None) -> str:
    """Italian writing, for showing a kept figure back (`1234.5` -> `1.234,5`)."""
    if value is None:
        return ""
    if decimals is not None:
        value = value.quantize(Decimal(1).scaleb(-decimals))
    else:
        value = value.normalize() if value == value.to_integral() else value
        if value == value.to_integral():
            value = value.quantize(Decimal(1))
    sign = "-" if value < 0 else ""
    integer, _sep, fraction = f"{abs(value):f}".partition(".")
    if decimals is None:
        fraction = fraction.rstrip("0")
    groups = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    text = ".".join(groups)
    return f"{sign}{text},{fraction}" if fraction else f"{sign}{text}"


def input_text(value: Decimal | None) -> str:
    """A kept figure as typed back into a field: no thousands dots, comma decimals."""
    if value is None:
        return ""
    text = f"{value.normalize():f}" if value != value.to_integral() else f"{value.quantize(Decimal(1)):f}"
    return text.replace(".", ",")
