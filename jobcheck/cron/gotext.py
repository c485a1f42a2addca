"""The few Go standard-library behaviours robfig/cron's messages and grammar depend on.

Kubernetes reports robfig's error strings verbatim, and those embed Go's own texts
(``strconv.Atoi`` errors, ``time.ParseDuration`` errors, ``%s`` of a slice), so they
are reproduced here byte for byte: Go quoting, Go's whitespace set, Atoi and
ParseDuration.
"""

from __future__ import annotations

# unicode.IsSpace (what strings.Fields and strings.TrimSpace use). Python's str.isspace
# also counts U+001C..U+001F, which Go does not, so the set is spelled out.
GO_SPACE = frozenset(
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)


def fields_with_offsets(text: str, base: int = 0) -> list[tuple[str, int]]:
    """Split like Go's strings.Fields; return (field, offset of its first character + base)."""
    out: list[tuple[str, int]] = []
    start = -1
    for i, ch in enumerate(text):
        if ch in GO_SPACE:
            if start >= 0:
                out.append((text[start:i], start + base))
                start = -1
        elif start < 0:
            start = i
    if start >= 0:
        out.append((text[start:], start + base))
    return out


def trim_space(text: str) -> tuple[str, int]:
    """strings.TrimSpace; also return how many characters were cut from the front."""
    i, j = 0, len(text)
    while i < j and text[i] in GO_SPACE:
        i += 1
    while j > i and text[j - 1] in GO_SPACE:
        j -= 1
    return text[i:j], i


def go_lower(text: str) -> str:
    """strings.ToLower with Go's simple case mapping (U+0130 becomes a plain 'i')."""
    return text.replace("\u0130", "i").lower()


_ESCAPES = {7: "\\a", 8: "\\b", 12: "\\f", 10: "\\n", 13: "\\r", 9: "\\t", 11: "\\v"}


def strconv_quote(text: str) -> str:
    """strconv.Quote: printable runes stay, the rest become \\x, \\u or \\U escapes."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch.isprintable():
            out.append(ch)
        elif code in _ESCAPES:
            out.append(_ESCAPES[code])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append("\\ufffd")
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


def time_quote(text: str) -> str:
    """The time package's own quote(): bytes outside printable ASCII become \\xHH."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if code >= 0x80 or code < 0x20:
            out.extend(f"\\x{b:02x}" for b in ch.encode("utf-8", "surrogatepass"))
        else:
            if ch in '"\\':
                out.append("\\")
            out.append(ch)
    out.append('"')
    return "".join(out)


class GoError(ValueError):
    """An error whose str() is the Go error text."""


def atoi(text: str) -> int:
    """strconv.Atoi on a 64-bit platform; raises GoError with Go's message."""
    raw = text.encode("utf-8", "surrogatepass")
    if 0 < len(raw) < 19:
        body = raw[1:] if raw[:1] in (b"+", b"-") else raw
        if not body or not all(48 <= b <= 57 for b in body):
            raise GoError(f"strconv.Atoi: parsing {strconv_quote(text)}: invalid syntax")
        n = int(body)
        return -n if raw[:1] == b"-" else n
    syntax = GoError(f"strconv.Atoi: parsing {strconv_quote(text)}: invalid syntax")
    overflow = GoError(f"strconv.Atoi: parsing {strconv_quote(text)}: value out of range")
    if not raw:
        raise syntax
    neg = raw[:1] == b"-"
    body = raw[1:] if raw[:1] in (b"+", b"-") else raw
    if not body:
        raise syntax
    max_u64 = (1 << 64) - 1
    cutoff = max_u64 // 10 + 1
    n = 0
    for b in body:  # ParseUint reports the first problem it meets, in order
        if not 48 <= b <= 57:
            raise syntax
        if n >= cutoff:
            raise overflow
        n = n * 10 + (b - 48)
        if n > max_u64:
            raise overflow
    if (not neg and n >= 1 << 63) or (neg and n > 1 << 63):
        raise overflow
    return -n if neg else n


_UNITS = {
    "ns": 1,
    "us": 1_000,
    "\u00b5s": 1_000,
    "\u03bcs": 1_000,
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "m": 60_000_000_000,
    "h": 3_600_000_000_000,
}


def parse_duration(text: str) -> int:
    """time.ParseDuration (Go 1.19); return nanoseconds or raise GoError with Go's message."""
    orig = text
    invalid = GoError("time: invalid duration " + time_quote(orig))
    s = text.encode("utf-8", "surrogatepass")
    neg = False
    if s and s[:1] in (b"-", b"+"):
        neg = s[:1] == b"-"
        s = s[1:]
    if s == b"0":
        return 0
    if not s:
        raise invalid
    total = 0
    while s:
        if not (s[0] == 46 or 48 <= s[0] <= 57):
            raise invalid
        # leading integer
        i, v = 0, 0
        while i < len(s) and 48 <= s[i] <= 57:
            if v > (1 << 63) // 10:
                raise invalid
            v = v * 10 + s[i] - 48
            if v > 1 << 63:
                raise invalid
            i += 1
        pre = i > 0
        s = s[i:]
        post = False
        f, scale = 0, 1.0
        if s and s[0] == 46:
            s = s[1:]
            i, overflow = 0, False
            while i < len(s) and 48 <= s[i] <= 57:
                if not overflow:
                    if f > ((1 << 63) - 1) // 10:
                        overflow = True
                    else:
                        y = f * 10 + s[i] - 48
                        if y > 1 << 63:
                            overflow = True
                        else:
                            f = y
                            scale *= 10
                i += 1
            post = i > 0
            s = s[i:]
        if not pre and not post:
            raise invalid
        i = 0
        while i < len(s) and not (s[i] == 46 or 48 <= s[i] <= 57):
            i += 1
        if i == 0:
            raise GoError("time: missing unit in duration " + time_quote(orig))
        unit_text = s[:i].decode("utf-8", "surrogatepass")
        s = s[i:]
        unit = _UNITS.get(unit_text)
        if unit is None:
            raise GoError(f"time: unknown unit {time_quote(unit_text)} in duration {time_quote(orig)}")
        if v > (1 << 63) // unit:
            raise invalid
        v *= unit
        if f > 0:
            v += int(float(f) * (float(unit) / scale))
            if v > 1 << 63:
                raise invalid
        total += v
        if total > 1 << 63:
            raise invalid
    if neg:
        return -total
    if total > (1 << 63) - 1:
        raise invalid
    return total
