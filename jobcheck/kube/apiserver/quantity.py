"""Kubernetes ``resource.Quantity``: parse exactly, compare, and print the canonical form.

The server keeps a quantity as an exact decimal rounded up (away from zero) to
a nano, remembers its format (binary ``Ki``..``Ei``, decimal ``n``..``E`` or an
``e``-exponent) and prints it in canonical form, so ``2000m`` prints as ``2``
and ``1024Mi`` as ``1Gi``. Error messages quote that canonical text.
"""

from __future__ import annotations

from decimal import MAX_EMAX, MIN_EMIN, ROUND_CEILING, ROUND_UP, Context, Decimal
from functools import lru_cache

from jobcheck.record import dataclass

FORMAT_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
SUFFIX_ERROR = "unable to parse quantity's suffix"

BINARY, DECIMAL, EXPONENT = "BinarySI", "DecimalSI", "DecimalExponent"

_DEC = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_DEC_BY_EXP = {v: k for k, v in _DEC.items()}
_BIN = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_BIN_BY_EXP = {v: k for k, v in _BIN.items()}
_SUFFIX_CHARS = frozenset("eEinumkKMGTP")
_DIGITS = frozenset("0123456789")
_NANO = Decimal("1e-9")
_MILLI = Decimal("1e-3")
_MAX_INT64 = 2**63 - 1
_MAX_INT64_DEC = Decimal(_MAX_INT64)
_INT64_DIGITS = 19  # significant digits of the largest int64


class QuantityError(ValueError):
    pass


def _context(digits: int) -> Context:
    """Exact arithmetic on numbers of about ``digits`` significant digits, at any exponent.

    A quantity is kept as a decimal (coefficient and exponent), never expanded into an integer:
    ``1e2147483647`` costs what ``1e3`` costs.
    """
    return Context(prec=digits + 40, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[])


@dataclass(frozen=True)
class Quantity:
    value: Decimal  # exact, as the server keeps it (rounded up to a nano, binary capped at int64)
    format: str
    text: str | None = None  # the input, when the server keeps it as the printed form

    def __str__(self) -> str:
        return self.text if self.text is not None else _canonical(self.value, self.format)

    @property
    def negative(self) -> bool:
        return self.value.is_signed() and bool(self.value)

    def whole_in_millis(self) -> bool:
        """Whether the value, rounded up to a thousandth (as the server's MilliValue does), is whole."""
        value = self.value
        if value.as_tuple().exponent >= 0:
            return True
        rounded = value.quantize(_MILLI, rounding=ROUND_CEILING, context=_context(max(value.adjusted(), 0) + 3))
        return rounded == rounded.to_integral_value()

    def compare(self, other: Quantity) -> int:
        """-1, 0 or 1 as this quantity is less than, equal to or greater than ``other``."""
        return (self.value > other.value) - (self.value < other.value)


def _split(s: str) -> tuple[bool, str, str, str]:
    """``parseQuantityString``: (positive, numerator, denominator, suffix)."""
    positive, pos, end = True, 0, len(s)
    if s[0] in "+-":
        positive = s[0] == "+"
        pos = 1
    while pos < end and s[pos] == "0":
        pos += 1
    if pos >= end:
        return positive, "0", "", ""
    start = pos
    while pos < end and s[pos] in _DIGITS:
        pos += 1
    num = s[start:pos] or "0"
    denom = ""
    if pos < end and s[pos] == ".":
        pos += 1
        start = pos
        while pos < end and s[pos] in _DIGITS:
            pos += 1
        denom = s[start:pos]
    suffix_start = pos
    while pos < end and s[pos] in _SUFFIX_CHARS:
        pos += 1
    if pos < end and s[pos] in "+-":
        pos += 1
    while pos < end and s[pos] in _DIGITS:
        pos += 1
    if pos < end:
        raise QuantityError(FORMAT_ERROR)
    return positive, num, denom, s[suffix_start:]


def _interpret(suffix: str) -> tuple[int, int, str]:
    """``quantitySuffixer.interpret``: (base, exponent, format).

    An ``e`` exponent is read as Go's ``strconv.ParseInt(s, 10, 64)`` (outside int64: the suffix
    error) and then kept as ``int32(parsed)``, as Kubernetes does: ``1e4294967296`` is 1 and
    ``1e9223372036854775806`` is 10m. The exponent is therefore always within int32.
    """
    if suffix in _DEC:
        return 10, _DEC[suffix], DECIMAL
    if suffix in _BIN:
        return 2, _BIN[suffix], BINARY
    if len(suffix) > 1 and suffix[0] in "eE":
        digits = suffix[1:]
        sign = -1 if digits[0] == "-" else 1
        body = digits[1:] if digits[0] in "+-" else digits
        significant = body.lstrip("0")
        if body and all(c in _DIGITS for c in body) and len(significant) <= _INT64_DIGITS:
            parsed = sign * int(significant or "0")
            if -(2**63) <= parsed < 2**63:
                return 10, (parsed + 2**31) % 2**32 - 2**31, EXPONENT
    raise QuantityError(SUFFIX_ERROR)


@lru_cache(maxsize=4096)  # a repository uses a few dozen quantities; Quantity is immutable
def parse_quantity(raw: str) -> Quantity:
    """Parse like ``resource.ParseQuantity`` after JSON decoding (surrounding space is trimmed).

    Work is linear in the length of the text whatever the exponent: values are exact decimals.
    """
    s = raw.strip()
    if not s:
        raise QuantityError(FORMAT_ERROR)
    positive, num, denom, suffix = _split(s)
    base, exponent, fmt = _interpret(suffix)

    # The fast path keeps the input text when it is already canonical.
    if fmt == BINARY:
        precision = (15 - len(num) - int(exponent * 3 / 10) - 1) if not denom else -1
    else:
        precision = 18 - (len(num) + len(denom))
    if precision >= 0:
        scale = (0 if fmt == BINARY else exponent) - len(denom)
        if scale >= -9:
            shifted = num + denom
            mantissa = int(shifted) * (2**exponent if fmt == BINARY else 1)
            if mantissa <= _MAX_INT64:
                text = None
                if fmt == BINARY:
                    if exponent % 10 == 0 and int(shifted) & 7:
                        text = s
                elif scale % 3 == 0 and not shifted.endswith("000") and shifted[0] != "0":
                    text = s
                value = Decimal(f"{'' if positive else '-'}{mantissa}e{scale}")
                return Quantity(value, fmt, text)

    ctx = _context(len(num) + len(denom))
    magnitude = Decimal(f"{num}.{denom}" if denom else num)
    if base == 10:
        magnitude = magnitude.scaleb(exponent, context=ctx)
    else:
        magnitude = ctx.multiply(magnitude, Decimal(2**exponent))
    if magnitude and magnitude.as_tuple().exponent < -9:  # round up to a nano
        if magnitude.adjusted() < -9:
            magnitude = _NANO
        else:
            magnitude = magnitude.quantize(_NANO, rounding=ROUND_UP, context=_context(magnitude.adjusted() + 10))
    if fmt == BINARY and magnitude > _MAX_INT64_DEC:
        magnitude = _MAX_INT64_DEC
    if fmt == BINARY and 0 < magnitude < 1:
        fmt = DECIMAL
    return Quantity(magnitude if positive else magnitude.copy_negate(), fmt)


def _canonical(value: Decimal, fmt: str) -> str:
    """The server's canonical text (``CanonicalizeBytes``), computed without expanding the exponent."""
    if not value:
        return "0"
    integral = value.as_tuple().exponent >= 0 or value == value.to_integral_value()
    if fmt == BINARY and (-1024 < value < 1024 or not integral):
        fmt = DECIMAL
    if fmt == BINARY:
        amount, exp = int(value), 0  # a binary quantity is capped at int64
        while amount % 1024 == 0 and exp < 60:
            amount //= 1024
            exp += 10
        return f"{amount}{_BIN_BY_EXP.get(exp, '')}"
    # Exact decimal mantissa * 10**exp, trailing zeros moved into the exponent, exponent lowered
    # to a multiple of 3.
    sign, digits, exp = value.as_tuple()
    text = "".join(map(str, digits)).rstrip("0")
    exp += len(digits) - len(text)
    while exp % 3:
        text += "0"
        exp -= 1
    text = ("-" if sign else "") + text
    if fmt == EXPONENT:
        return text + (f"e{exp}" if exp else "")
    return f"{text}{_DEC_BY_EXP.get(exp, '')}"


def quantity_from_yaml(value: object) -> Quantity | None:
    """Parse a quantity as the server decodes it from JSON (string or number); None for other types.

    Raises QuantityError with the server's text when the string is not a quantity.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return parse_quantity(str(value))
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        return parse_quantity(repr(value))
    if isinstance(value, str):
        return parse_quantity(value)
    return None
