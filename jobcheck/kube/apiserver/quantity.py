"""Kubernetes ``resource.Quantity``: parse exactly, compare, and print the canonical form.

The server keeps a quantity as an exact decimal rounded up (away from zero) to
a nano, remembers its format (binary ``Ki``..``Ei``, decimal ``n``..``E`` or an
``e``-exponent) and prints it in canonical form, so ``2000m`` prints as ``2``
and ``1024Mi`` as ``1Gi``. Error messages quote that canonical text.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

FORMAT_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
SUFFIX_ERROR = "unable to parse quantity's suffix"

BINARY, DECIMAL, EXPONENT = "BinarySI", "DecimalSI", "DecimalExponent"

_DEC = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_DEC_BY_EXP = {v: k for k, v in _DEC.items()}
_BIN = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_BIN_BY_EXP = {v: k for k, v in _BIN.items()}
_SUFFIX_CHARS = frozenset("eEinumkKMGTP")
_DIGITS = frozenset("0123456789")
_NANO = Fraction(1, 10**9)
_MAX_INT64 = 2**63 - 1


class QuantityError(ValueError):
    pass


@dataclass(frozen=True)
class Quantity:
    value: Fraction
    format: str
    text: str | None = None  # the input, when the server keeps it as the printed form

    def __str__(self) -> str:
        return self.text if self.text is not None else _canonical(self.value, self.format)


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
    if suffix in _DEC:
        return 10, _DEC[suffix], DECIMAL
    if suffix in _BIN:
        return 2, _BIN[suffix], BINARY
    if len(suffix) > 1 and suffix[0] in "eE":
        digits = suffix[1:]
        body = digits[1:] if digits[0] in "+-" else digits
        if body and all(c in _DIGITS for c in body) and abs(int(digits)) < 2**63:
            return 10, int(digits), EXPONENT
    raise QuantityError(SUFFIX_ERROR)


@lru_cache(maxsize=4096)  # a repository uses a few dozen quantities; Quantity is immutable
def parse_quantity(raw: str) -> Quantity:
    """Parse like ``resource.ParseQuantity`` after JSON decoding (surrounding space is trimmed)."""
    s = raw.strip()
    if not s:
        raise QuantityError(FORMAT_ERROR)
    positive, num, denom, suffix = _split(s)
    base, exponent, fmt = _interpret(suffix)
    value = Fraction(int(num + denom), 10 ** len(denom))
    value *= Fraction(10) ** exponent if base == 10 else 2**exponent
    if not positive:
        value = -value

    # The fast path keeps the input text when it is already canonical.
    text = None
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
                if fmt == BINARY:
                    if exponent % 10 == 0 and int(shifted) & 7:
                        text = s
                elif scale % 3 == 0 and not shifted.endswith("000") and shifted[0] != "0":
                    text = s
                return Quantity(value, fmt, text)

    magnitude = abs(value)
    if magnitude and magnitude % _NANO:
        magnitude = (magnitude // _NANO + 1) * _NANO  # round up to a nano
    if fmt == BINARY and magnitude > _MAX_INT64:
        magnitude = Fraction(_MAX_INT64)
    if fmt == BINARY and 0 < magnitude < 1:
        fmt = DECIMAL
    return Quantity(magnitude if value >= 0 else -magnitude, fmt)


def _canonical(value: Fraction, fmt: str) -> str:
    if value == 0:
        return "0"
    if fmt == BINARY and (-1024 < value < 1024 or value.denominator != 1):
        fmt = DECIMAL
    if fmt == BINARY:
        amount, exp = int(value), 0
        while amount % 1024 == 0:
            amount //= 1024
            exp += 10
        return f"{amount}{_BIN_BY_EXP[exp]}"
    # Exact decimal mantissa * 10**exp, exponent lowered to a multiple of 3.
    exp = 0
    while value.denominator != 1:
        value *= 10
        exp -= 1
    amount = int(value)
    while amount % 10 == 0:
        amount //= 10
        exp += 1
    while exp % 3:
        amount *= 10
        exp -= 1
    if fmt == EXPONENT:
        return f"{amount}" + (f"e{exp}" if exp else "")
    return f"{amount}{_DEC_BY_EXP.get(exp, '')}"


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
