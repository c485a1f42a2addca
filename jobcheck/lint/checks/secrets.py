"""Secret checks: credentials written into the manifest, and Secrets exposed as env vars.

No message ever contains a value that might be a credential: hits name the field and the
reason (a name pattern or the kind of token recognised), never the text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator

from jobcheck.finding import Hit, Severity
from jobcheck.kube.objects import Workload
from jobcheck.lint.checks import as_list, as_map, as_str, container_label
from jobcheck.lint.checks.commands import Token, argv, env_entries
from jobcheck.redact import URL_PASSWORD, LazyPattern, credential_shape, is_placeholder

_SPACE = LazyPattern(r"\s")
_QUOTING = LazyPattern(r"['\"\\]")
_BLANKS = LazyPattern(r"[ \t\r\n]+")

SECRET_FLAG = LazyPattern(
    r"^--?(?P<name>[A-Za-z0-9_.-]*(?:password|passwd|passphrase|secret|token|api[-_]?key|apikey|"
    r"access[-_]?key|private[-_]?key|credentials?)[A-Za-z0-9_.-]*)(?:=(?P<value>.*))?$",
    re.IGNORECASE,
)
# Flags that name where a secret is, or switch behaviour, rather than carry one.
NOT_A_VALUE_FLAG = LazyPattern(
    r"(?:file|path|dir|env|stdin|prompt|length|policy|url|uri|endpoint|host|name|ref|id|type|ttl|"
    r"expiry|expiration|header|audience|mount|key-?id)$|^(?:no|ask|prompt|skip|use|with|enable|disable)[-_]",
    re.IGNORECASE,
)
# Short flags that carry a password, per program: mysql -pSECRET, redis-cli -a S, sshpass -p S.
ATTACHED_PASSWORD = {
    "mysql": "-p",
    "mysqldump": "-p",
    "mysqladmin": "-p",
    "mysqlimport": "-p",
    "mariadb": "-p",
    "mariadb-dump": "-p",
}
SEPARATE_PASSWORD = {"redis-cli": ("-a",), "sshpass": ("-p",), "curl": ("-u", "--user")}
# What any JC503 finding needs somewhere in command/args: a secret-like flag name, one of the
# programs above, or a URL. Containers without one are skipped before their scripts are split.
_SECRET_HINTS = ("pass", "secret", "token", "key", "credential", "mysql", "mariadb", "redis-cli", "sshpass", "curl", "://")


def _may_carry_secret(text: str) -> bool:
    # Quotes and backslashes go first (a shell word may be spelt pa"ss"word); casefold, plus the
    # dotless i, covers every character that SECRET_FLAG's IGNORECASE would take for a letter.
    folded = _QUOTING.sub("", text).casefold().replace("\u0131", "i")
    return any(hint in folded for hint in _SECRET_HINTS)


def _normalized(name: str) -> str:
    return re.sub(r"[^A-Z0-9]", "_", name.upper())


def _name_match(params: dict) -> Callable[[str], str | None]:
    """A function giving the name pattern a variable name matches (upper-cased), unless the
    name ends in an ignored suffix."""
    suffixes = tuple([s for s in as_list(params.get("ignore_suffixes")) if isinstance(s, str)])
    patterns = tuple([p for p in as_list(params.get("name_patterns")) if isinstance(p, str)])
    return _name_matcher(suffixes, patterns)


@functools.lru_cache(maxsize=16)  # one per distinct configuration
def _name_matcher(suffixes: tuple[str, ...], patterns: tuple[str, ...]) -> Callable[[str], str | None]:
    upper_suffixes = tuple(s.upper() for s in suffixes)
    upper_patterns = tuple(p.upper() for p in patterns)

    @functools.lru_cache(maxsize=4096)  # env var names repeat across every container of a repository
    def match(name: str) -> str | None:
        norm = _normalized(name)
        if norm.endswith(upper_suffixes):
            return None
        return next((p for p in upper_patterns if p in norm), None)

    return match


def secret_literal_in_env(w: Workload, params: dict) -> Iterator[Hit]:
    """JC501: an env ``value`` that is a credential by its variable name or by its shape."""
    name_match = _name_match(params)
    for c in w.containers():
        for i, _entry, name, value in env_entries(c):
            if value is None:
                continue
            name = name or f"#{i}"
            shape = credential_shape(value)
            if shape:
                reason = f"looks like {shape}"
            elif (pattern := name_match(name)) and not (value.isdigit() and len(value) < 6):
                reason = f"is a literal value for a name matching {pattern}"
            else:
                continue
            if is_placeholder(value):  # asked last: most values have no reason to be reported
                continue
            yield Hit(
                c.path + ("env", i, "value"),
                f"env {name} of {container_label(c.name, c.init)} {reason} (value not shown)",
            )


def secret_via_env(w: Workload, params: dict) -> Iterator[Hit]:
    """JC502: a Secret exposed as env vars (secretKeyRef or envFrom secretRef)."""
    for c in w.containers():
        who = container_label(c.name, c.init)
        for i, entry, name, _value in env_entries(c):
            source = entry.get("valueFrom")  # absent on most entries: no helper calls for them
            ref = source.get("secretKeyRef") if isinstance(source, dict) else None
            if not ref or not isinstance(ref, dict):
                continue
            name = name or f"#{i}"
            secret = as_str(ref.get("name")) or "?"
            yield Hit(
                c.path + ("env", i, "valueFrom", "secretKeyRef"),
                f'env {name} of {who} reads key "{ref.get("key")}" of Secret "{secret}" into the environment',
                severity=Severity.INFO,  # one key, the documented way: visible, not a build failure
            )
        for i, entry in enumerate(as_list(c.data.get("envFrom"))):
            ref = as_map(as_map(entry).get("secretRef"))
            if not ref:
                continue
            secret = as_str(ref.get("name")) or "?"
            yield Hit(
                c.path + ("envFrom", i, "secretRef"),
                f'envFrom of {who} exposes every key of Secret "{secret}" as an environment variable',
            )


def secret_in_args(w: Workload, params: dict) -> Iterator[Hit]:
    """JC503: a credential passed as a literal in command or args."""
    for c in w.containers():
        command, args = argv(c)
        tokens = command + args
        # One test of all elements at once: no hint contains the NUL that joins them.
        if not tokens or not _may_carry_secret("\0".join([tok.text for tok in tokens])):
            continue
        # Each element, and for a shell script each of its words, keeps the element's path.
        words: list[tuple[str, Token]] = []
        for tok in tokens:
            for word in _split(tok.text) if _SPACE.search(tok.text) else (tok.text,):
                words.append((word, tok))
        who = container_label(c.name, c.init)
        reported: set = set()
        for hit_tok, reason in _findings(words):
            if hit_tok.path in reported:
                continue
            reported.add(hit_tok.path)
            yield Hit(hit_tok.path, f"{hit_tok.label} of {who} {reason} (value not shown)")


def _split(text: str) -> tuple[str, ...]:
    try:
        return shell_words(text)
    except ValueError:
        return tuple(text.split())


# One piece of a POSIX shell word: plain characters, a '...' or "..." string, a backslash
# escape; or the blanks between words; or a character that cannot start any of those.
_PIECE = LazyPattern(r"""[^ \t\r\n'"\\]+|'([^']*)'|"((?:[^"\\]|\\[\s\S])*)"|\\([\s\S])|([ \t\r\n]+)|(.)""")
_DQ_ESCAPE = LazyPattern(r'\\([\\"])')


def shell_words(text: str) -> tuple[str, ...]:
    """``shlex.split(text)`` (POSIX rules, no comments), with its ValueError on an unclosed quote
    or a trailing backslash, at a fraction of the cost of shlex's character-by-character lexer.
    """
    if not _QUOTING.search(text):
        return tuple(filter(None, _BLANKS.split(text)))
    out: list[str] = []
    word: str | None = None
    for m in _PIECE.finditer(text):
        single, double, escaped, blank, stray = m.groups()
        if blank is not None:
            if word is not None:
                out.append(word)
                word = None
            continue
        if stray is not None:
            raise ValueError(f"unclosed quote or trailing backslash at {m.start()}")
        if single is not None:
            piece = single
        elif double is not None:
            piece = _DQ_ESCAPE.sub(r"\1", double)  # inside "...", a backslash escapes only " and itself
        elif escaped is not None:
            piece = escaped
        else:
            piece = m.group(0)
        word = piece if word is None else word + piece
    if word is not None:
        out.append(word)
    return tuple(out)


def _findings(words: list[tuple[str, Token]]) -> Iterator[tuple[Token, str]]:
    tool = ""
    for i, (word, tok) in enumerate(words):
        base = word.rsplit("/", 1)[-1]
        if base in ATTACHED_PASSWORD or base in SEPARATE_PASSWORD:
            tool = base
        nxt = words[i + 1] if i + 1 < len(words) else None
        m = SECRET_FLAG.match(word) if word[:1] == "-" else None  # most words are not flags
        if m and not NOT_A_VALUE_FLAG.search(m.group("name")):
            flag = word.split("=", 1)[0]
            if m.group("value") is not None:
                if not is_placeholder(m.group("value")):
                    yield tok, f"passes a literal value to {flag}"
            elif nxt and not nxt[0].startswith("-") and not is_placeholder(nxt[0]):
                yield nxt[1], f"passes a literal value to {flag}"
            continue
        if (
            tool in ATTACHED_PASSWORD
            and word.startswith("-p")
            and len(word) > 2
            and not word.startswith("--")
        ):
            if not is_placeholder(word[2:]):
                yield tok, f"passes a literal password to {tool} {ATTACHED_PASSWORD[tool]}"
            continue
        if tool in SEPARATE_PASSWORD and word in SEPARATE_PASSWORD[tool] and nxt:
            value = (
                nxt[0].split(":", 1)[1]
                if tool == "curl" and ":" in nxt[0]
                else (None if tool == "curl" else nxt[0])
            )
            if value is not None and not is_placeholder(value):
                yield nxt[1], f"passes a literal password to {tool} {word}"
            continue
        url = URL_PASSWORD.search(word) if "://" in word else None
        if url and not is_placeholder(url.group(1)):
            yield tok, "embeds a password in a URL"
