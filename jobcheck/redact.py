"""What may be a credential, and how its value is kept out of every output.

One module for the whole rule (docs/limits.md, "Secrets"), at the bottom of the layers so that
the lint checks, the API-server messages, the reporters and the fixer all ask the same thing:

- ``credential_shape`` / ``looks_secret``: a value that is a credential whatever field holds it
  (token shapes, URLs with user info, long random strings, ``password=...`` pairs);
- ``name_looks_secret``: a name (env var, key, flag) that says its value is a credential;
- ``mask_lines``: source lines (code frames, diffs) with such values replaced by ``***``. It reads
  the text, not a parsed document (reporters may not import the YAML layer): it masks more than a
  parser would, never less, and it is linear in the length of the text.

Every regular expression here is linear: no pattern has an unbounded quantifier that can be
retried from each position of a long run (starts are anchored to a run's boundary, or the
repeat is bounded).
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up, issue 13)
if TYPE_CHECKING:
    from typing import TypeVar

    T = TypeVar("T")


class LazyPattern:
    """A regular expression compiled when first used: a run that never masks a line or meets a
    credential does not pay for compiling these (about 3 ms at start-up). After the first use
    its methods are the compiled pattern's own, so a lookup costs what a compiled pattern's does."""

    _METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "flags", "groups")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self._flags = flags

    def __getattr__(self, name: str):
        if name.startswith("_") or "pattern" not in self.__dict__:
            raise AttributeError(name)
        compiled = re.compile(self.pattern, self._flags)
        for attr in self._METHODS:
            setattr(self, attr, getattr(compiled, attr))
        return getattr(compiled, name)


MASK = "***"

# Token shapes that are credentials whatever the field is called. Each starts only where a run of
# its characters starts (the look-behind), and asks for the shortest length that makes it a
# match, so a long run is scanned once, not once per position.
SHAPES = (
    ("an AWS access key id", LazyPattern(r"(?<![0-9A-Za-z])(?:AKIA|ASIA)[0-9A-Z]{16}(?![0-9A-Za-z])")),
    ("a GitHub token", LazyPattern(r"(?<![0-9A-Za-z_])(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22})")),
    ("a Slack token", LazyPattern(r"(?<![0-9A-Za-z-])xox[abposr]-[A-Za-z0-9-]{10}")),
    ("a private key", LazyPattern(r"-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----")),
    (
        "a JSON Web Token",
        LazyPattern(r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8}"),
    ),
    ("a Google API key", LazyPattern(r"(?<![0-9A-Za-z_-])AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])")),
    ("a Stripe secret key", LazyPattern(r"(?<![0-9A-Za-z_])[rs]k_live_[0-9A-Za-z]{16}")),
)
_ANY_SHAPE = LazyPattern("|".join(f"(?:{pattern.pattern})" for _, pattern in SHAPES))  # one pass for the usual miss
# A literal each shape above contains: a value with none of them has no shape, and is judged
# without compiling or running the patterns (most values; ~0.5 ms at start-up).
_SHAPE_HINTS = ("AKIA", "ASIA", "gh", "github_pat_", "xox", "-----BEGIN ", "eyJ", "AIza", "k_live_")
# scheme://user:password@host — group 1 is the password. No scheme is needed to see user info,
# and asking for one made each letter of a long word a new start.
URL_PASSWORD = LazyPattern(r"://[^/\s:@]*:([^/\s@]+)@")
# Any user info at all (``https://token@host``): masked in source lines.
URL_USERINFO = LazyPattern(r"://([^/\s@]+)@")
# ``user:password@host`` without a scheme (a URL cut at its first ``/``). Bounded repeats.
_BARE_USERINFO = LazyPattern(r"(?<![^\s/\"'=])[^/\s:@\"']{1,256}:[^/\s@\"']{1,256}@")
ENTROPY_CHARS = LazyPattern(r"[A-Za-z0-9+/=_-]+")
ENTROPY_MIN_LENGTH = 32
ENTROPY_MIN_BITS = 4.3
_ENTROPY_RUN = LazyPattern(r"[A-Za-z0-9+/=_-]{32,}")

PLACEHOLDER_WORDS = frozenset(
    {
        "changeme", "change-me", "change_me", "changeit", "replaceme", "replace-me", "replace_me",
        "todo", "tbd", "fixme", "placeholder", "example", "dummy", "redacted", "secret", "password",
        "token", "none", "null", "nil", "n/a", "na", "true", "false", "yes", "no", "default",
    }
)
# Anchored at the start: one attempt per value, whatever its length.
PLACEHOLDER_SHAPES = LazyPattern(
    r"^(?:x+|\*+|\.+|-+|#+|<[^>]*>|\{\{.*\}\}|%[sd]|your[-_ ].*|.*[-_]here|replace[-_ ].*)$", re.IGNORECASE
)
# References the kubelet or a shell resolves at run time: not a literal.
RUNTIME_REF = LazyPattern(r"\$\(|\$\{|\$[A-Za-z_]")

# Words that make a name (env var, key, flag) a credential's name. Wider than JC501's default
# name_patterns on purpose: masking too much in a code frame costs little.
_SECRET_WORD = r"(?:passw(?:or)?d|passphrase|secret|token|api[-_.]?key|access[-_.]?key|private[-_.]?key|credential|auth(?:orization)?(?![a-z])|bearer|pwd)"
SECRET_NAME = LazyPattern(_SECRET_WORD, re.IGNORECASE)
# A part every match of _SECRET_WORD contains once casefolded (no "i": IGNORECASE equates it with
# "ı" and "İ", which casefold does not). A text with none has no such word: the patterns are
# neither compiled nor run for it (most values and names; ~1 ms at start-up).
_WORD_HINTS = ("passw", "passphrase", "secret", "token", "key", "credent", "auth", "bearer", "pwd")


def _may_hold_secret_word(text: str) -> bool:
    folded = text.casefold()
    return any(hint in folded for hint in _WORD_HINTS)

# Kubernetes fields whose names contain such a word but whose values are references or switches.
STRUCTURAL_KEYS = frozenset(
    {
        "secretKeyRef", "secretRef", "secretName", "secret", "imagePullSecrets", "serviceAccountToken",
        "automountServiceAccountToken", "projected", "tokenRequests",
    }
)
# ``password=...``/``token: ...`` inside a longer value (a connection string, a script).
# ``name: DB_PASSWORD, value: x`` (flow style, JSON) counts as a pair too.
_SECRET_PAIR = LazyPattern(
    _SECRET_WORD + r"[\w.-]{0,64}[\"']?\s{0,8}(?:,\s{0,8}[\"']?value[\"']?\s{0,8})?[=:]\s{0,8}(?=\S)", re.IGNORECASE
)
SECRET_RULES = frozenset({"JC501", "JC503"})  # rules whose findings point at a credential's value


def is_placeholder(value: str) -> bool:
    """Whether ``value`` is empty, a run-time reference, or an obvious stand-in."""
    v = value.strip().strip("'\"")
    if not v or RUNTIME_REF.search(v) or v.startswith("/"):
        return True
    return v.lower() in PLACEHOLDER_WORDS or bool(PLACEHOLDER_SHAPES.match(v))


def shannon_bits(text: str) -> float:
    """Return the Shannon entropy of ``text`` in bits per character."""
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def _random_key(v: str) -> bool:
    return (
        len(v) >= ENTROPY_MIN_LENGTH
        and ENTROPY_CHARS.fullmatch(v) is not None
        and any(ch.isupper() for ch in v)
        and any(ch.islower() for ch in v)
        and any(ch.isdigit() for ch in v)
        and shannon_bits(v) >= ENTROPY_MIN_BITS
    )


def _memoised(fn: Callable[[str], T]) -> Callable[[str], T]:
    """``fn``, remembered for texts of up to 64 characters: env names and values recur in every
    document of a repository (issue 13). A longer text is not kept alive by the cache, which holds
    at most 1,024: the hot texts come back at once after it is emptied, and a long stream's distinct
    values would otherwise hold a few hundred KB."""
    known: dict[str, T] = {}

    def memo(text: str) -> T:
        if len(text) > 64:
            return fn(text)
        if text in known:
            return known[text]
        if len(known) >= 1024:
            known.clear()
        out = known[text] = fn(text)
        return out

    return functools.wraps(fn)(memo)


@_memoised
def credential_shape(value: str) -> str | None:
    """Return what ``value`` looks like (``"a GitHub token"``) if it has a credential's shape."""
    if any(hint in value for hint in _SHAPE_HINTS) and _ANY_SHAPE.search(value):
        for label, pattern in SHAPES:
            if pattern.search(value):
                return label
    m = URL_PASSWORD.search(value) if "://" in value else None
    if m and not is_placeholder(m.group(1)):
        return "a URL with an embedded password"
    if _random_key(value.strip()):
        return "a random key"
    return None


@_memoised
def name_looks_secret(name: str) -> bool:
    """Whether a name (env var, map key, flag) says its value is a credential."""
    return name not in STRUCTURAL_KEYS and _may_hold_secret_word(name) and SECRET_NAME.search(name) is not None


def looks_secret(value: str) -> bool:
    """Whether a string may be a credential by its content alone: a credential's shape, any URL
    with user info, or a ``password=...`` pair. What a message may not echo."""
    return (
        credential_shape(value) is not None
        or ("://" in value and URL_USERINFO.search(value) is not None)
        or ("@" in value and _BARE_USERINFO.search(value) is not None)
        or _secret_pair(value) is not None
    )


def _secret_pair(text: str) -> re.Match | None:
    """The first ``password=``/``token:`` pair of ``text`` whose name is not a reference field."""
    if ("=" not in text and ":" not in text) or not _may_hold_secret_word(text):
        return None
    for m in _SECRET_PAIR.finditer(text):
        start = m.start()
        while start > 0 and m.start() - start < 64 and (text[start - 1].isalnum() or text[start - 1] in "_.-"):
            start -= 1
        word = text[start : m.end()].split(":", 1)[0].split("=", 1)[0].strip(" \t\"',")
        if name_looks_secret(word):
            return m
    return None


# ---------------------------------------------------------------------------
# Source lines


_FLAG = LazyPattern(r"(?<![\w-])--?[\w.-]{0,64}?" + _SECRET_WORD + r"[\w.-]{0,64}", re.IGNORECASE)
_TOOL = LazyPattern(r"(?<![\w-])(?:mysql\w{0,10}|mariadb[\w-]{0,10}|redis-cli|sshpass|curl)(?![\w-])")
_TOOL_FLAG = LazyPattern(r"(?<!\S)(?:-p(?=\S)|-[apu](?=\s)|--user(?=[\s=])|--password(?=[\s=]))")
_TOOL_FLAGS_ALONE = frozenset({"-p", "-a", "-u", "--user"})
_BEARER = LazyPattern(r"(?<![\w-])bearer\s+(?=\S)", re.IGNORECASE)
_TOKEN_END = LazyPattern(r"[A-Za-z0-9_+/=.-]*")


def _split_ending(line: str) -> tuple[str, str]:
    body = line.rstrip("\r\n")
    return body, line[len(body):]


def _comment_start(body: str) -> int:
    """Where a ``#`` comment starts (-1 if none): at the start or after a blank. Quotes are not
    tracked, so a ``#`` in a quoted value counts as a comment: only more is masked."""
    if body.lstrip().startswith("#"):
        return len(body) - len(body.lstrip())
    for sep in (" #", "\t#"):
        i = body.find(sep)
        if i >= 0:
            return i + 1
    return -1


def _key(body: str) -> tuple[int, bool, str, int] | None:
    """(indent of the key, whether a ``- `` starts the line, key, offset after ``key:``) of a
    ``key: value`` line, or None."""
    stripped = body.lstrip(" \t")
    indent = len(body) - len(stripped)
    dashed = False
    while stripped.startswith("- ") or stripped == "-":
        dashed = True
        rest = stripped[1:].lstrip(" \t")
        indent += len(stripped) - len(rest)
        stripped = rest
    if stripped[:1] in ("'", '"'):
        end = stripped.find(stripped[0], 1)
        if end < 0 or stripped[end + 1 : end + 2] != ":":
            return None
        key, after = stripped[1:end], end + 2
    else:
        colon = stripped.find(": ")
        if colon < 0:
            if not stripped.endswith(":"):
                return None
            colon = len(stripped) - 1
        key, after = stripped[:colon], colon + 1
    if not key or any(ch in key for ch in "{}[],#"):
        return None
    return indent, dashed, key, indent + after


def _value_like(key: str) -> bool:
    """``value`` or a misspelling of it (``valeu``, ``vaule``, ``Value``), not ``valueFrom``."""
    import difflib

    key = key.lower()
    return key == "value" or (
        key != "valuefrom" and len(key) <= 8 and difflib.SequenceMatcher(None, key, "value").ratio() >= 0.6
    )


def _scalar(text: str) -> str:
    return text.strip().rstrip(",").strip().strip("'\"")


def _sibling_names(parsed: list, i: int) -> Iterator[str]:
    """The ``name:`` values in the same mapping as line ``i`` (a few lines either way)."""
    indent, dashed = parsed[i][0], parsed[i][1]
    for step in (-1, 1):
        j = i
        if step == -1 and dashed:
            continue  # the value's line opens the item: names can only follow
        for _ in range(8):
            j += step
            if not 0 <= j < len(parsed) or parsed[j] is None:
                break
            entry = parsed[j]
            if entry == "skip":
                continue
            if entry[0] != indent:
                if entry[0] < indent:
                    break
                continue
            if entry[2] == "name":
                yield entry[4]
            if entry[1]:  # an item starts here: going up it is ours and the last; going down, not ours
                break


def mask_lines(lines: Sequence[str]) -> list[str]:
    """Return ``lines`` with every value that may be a credential replaced by ``***``.

    Masked: the value of a key named like a credential (and its block or continuation lines),
    an env ``value`` whose ``name`` is, what follows a flag named like one (``--password=x``,
    ``--token x``, the next list item after ``- --token``), the password options of mysql,
    redis-cli, sshpass and curl, credential-shaped tokens and URL user info anywhere, and any
    comment that names or holds a credential. Line endings are kept.
    """
    bodies = [_split_ending(line) for line in lines]
    parsed: list = []
    for body, _ in bodies:
        if not body.strip() or body.lstrip().startswith("#"):
            parsed.append("skip")
            continue
        key = _key(body)
        parsed.append(None if key is None else (*key, _scalar(body[key[3]:])))
    out: list[str] = []
    block: int | None = None  # while set, lines indented deeper belong to a masked value
    in_key = False  # inside a PEM private key, up to its END line
    next_item = False  # a lone credential flag: the next list item is its value
    for i, (body, ending) in enumerate(bodies):
        stripped = body.lstrip(" \t")
        indent = len(body) - len(stripped)
        if in_key:
            in_key = "-----END" not in body
            out.append(body[:indent] + (MASK if stripped else "") + ending)
            continue
        if "PRIVATE KEY-----" in body and "-----BEGIN" in body:
            in_key = "-----END" not in body[body.find("-----BEGIN") + 10 :].replace("PRIVATE KEY-----", "", 1)
        if block is not None:
            if not stripped or indent > block:
                out.append(body[:indent] + (MASK if stripped else "") + ending)
                continue
            block = None
        entry = parsed[i]
        comment = _comment_start(body)
        content = body if comment < 0 else body[:comment]
        cut = -1  # mask from here to the end of the line
        if next_item and entry != "skip":
            next_item = False
            if stripped.startswith("-"):
                cut = indent + 1
                block = indent
        if cut < 0 and isinstance(entry, tuple):
            k_indent, _, key, after, value = entry
            # ``value`` (or a misspelling of it) beside a credential's ``name:``.
            if (name_looks_secret(key) or _value_like(key) and any(
                name_looks_secret(n) for n in _sibling_names(parsed, i)
            )) and after <= len(content):
                cut = after
                block = k_indent
        if cut < 0:
            cut = _inline_cut(content)
            if cut < 0 and _lone_flag(content):
                next_item = True
        if cut >= 0:
            out.append(_masked_from(body, cut) + ending)
            continue
        text = _mask_shapes(content)
        if comment >= 0:
            tail = body[comment:]
            text += "# " + MASK if SECRET_NAME.search(tail) or looks_secret(tail) else tail
        out.append(text + ending)
    return out


def _masked_from(body: str, cut: int) -> str:
    if cut >= len(body.rstrip()):
        return body
    prefix = body[:cut].rstrip(" \t")
    return prefix + ("" if prefix.endswith(("=", '"', "'")) else " ") + MASK


def _inline_cut(content: str) -> int:
    """Where a credential starts inside a line that is not a ``key: value`` of one: after a
    ``password=``/``token:`` pair or a credential flag followed by its value, after a tool's
    password option, after ``Bearer``; -1 if nowhere."""
    cuts = []
    pair = _secret_pair(content)
    if pair:
        cuts.append(pair.end())
    for flag in _FLAG.finditer(content):
        rest = content[flag.end():]
        if rest.strip(" \t\"',]}") and not rest.startswith(("/", "-")):
            cuts.append(flag.end())
            break
    if _TOOL.search(content):
        tool_flag = _TOOL_FLAG.search(content)
        if tool_flag:
            cuts.append(tool_flag.end())
    bearer = _BEARER.search(content)
    if bearer:
        cuts.append(bearer.end())
    return min(cuts) if cuts else -1


def _lone_flag(content: str) -> bool:
    item = content.strip()[1:].strip().strip("'\"") if content.strip().startswith("-") else ""
    if not item.startswith("-"):
        return False
    return item in _TOOL_FLAGS_ALONE or _FLAG.fullmatch(item) is not None


def _mask_shapes(text: str) -> str:
    """``text`` with credential-shaped tokens, URL user info and random keys replaced."""
    # A shape matches its shortest form: the mask runs on to the end of the token (once per
    # token: a match inside a token already masked is skipped, or a long run would be rescanned).
    spans = []
    for _, pattern in SHAPES:
        covered = -1
        for m in pattern.finditer(text):
            if m.start() >= covered:
                covered = _TOKEN_END.match(text, m.end()).end()
                spans.append((m.start(), covered))
    spans += [m.span(1) for m in URL_USERINFO.finditer(text)] if "://" in text else []
    spans += [m.span() for m in _ENTROPY_RUN.finditer(text) if _random_key(m.group())]
    if not spans:
        return text
    out, pos = [], 0
    for start, end in sorted(spans):
        if start < pos:
            start = pos
        if end <= start:
            continue
        out.append(text[pos:start] + MASK)
        pos = end
    out.append(text[pos:])
    return "".join(out)


def mask_frame_line(line: str, column: int, rule: str) -> str:
    """A code frame's line for a finding of ``rule`` at ``column`` (1-based): a secret rule's
    finding points at the credential itself, masked from there to the end of the line."""
    if rule in SECRET_RULES and 1 <= column <= len(line) + 1:
        return line[: column - 1] + MASK
    return line


def unified_diff(old: list[str], new: list[str], fromfile: str, tofile: str, n: int = 3) -> Iterator[str]:
    """``difflib.unified_diff`` of ``old`` and ``new`` (lines with their endings) that compares
    the real lines and prints the masked ones."""
    import difflib

    shown_old, shown_new = mask_lines(old), mask_lines(new)
    started = False
    for group in difflib.SequenceMatcher(None, old, new).get_grouped_opcodes(n):
        if not started:
            started = True
            yield f"--- {fromfile}\n"
            yield f"+++ {tofile}\n"
        first, last = group[0], group[-1]
        yield f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n"
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                yield from (" " + line for line in shown_old[i1:i2])
                continue
            if tag in ("replace", "delete"):
                yield from ("-" + line for line in shown_old[i1:i2])
            if tag in ("replace", "insert"):
                yield from ("+" + line for line in shown_new[j1:j2])


def _range(start: int, stop: int) -> str:
    """difflib's unified range: ``start,length`` (1-based; ``start`` alone when the length is 1)."""
    beginning, length = start + 1, stop - start
    if length == 1:
        return f"{beginning}"
    if not length:
        beginning -= 1
    return f"{beginning},{length}"


class _Memo:
    """The masked lines of the last file asked for: a report asks for one file's frames in a row.
    Holding the list itself keeps the identity test sound."""

    lines: Sequence[str] | None = None
    masked: list[str] = []


def frame_line(lines: Sequence[str], line: int, column: int, rule: str) -> str:
    """Line ``line`` (1-based) of ``lines`` as a code frame may show it: masked (``mask_lines``,
    once per file), and cut at ``column`` for a secret rule's finding."""
    if _Memo.lines is not lines:
        _Memo.lines, _Memo.masked = lines, mask_lines(lines)
    return mask_frame_line(_Memo.masked[line - 1].rstrip("\r\n"), column, rule)
