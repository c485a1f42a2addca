"""Command checks: what Kubernetes does (and does not do) to command, args and env values.

Kubernetes execs ``command`` + ``args`` directly; no shell runs unless the command names one.
The kubelet expands only ``$(NAME)`` for env vars defined for the container; ``$$`` becomes
``$`` (so ``$$(NAME)`` is an escape) and an undefined ``$(NAME)`` stays literal. Everything
else (``${VAR}``, ``$VAR``, backticks, pipes, ``&&``) is plain text to the program.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator

from jobcheck.finding import Hit
from jobcheck.kube.objects import Container, Workload
from jobcheck.lint.checks import as_list, as_map, as_str, container_label
from jobcheck.record import dataclass
from jobcheck.redact import LazyPattern

SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh", "mksh", "busybox"})
# Programs that run the rest of the argv: `tini -- sh -c ...`, `/usr/bin/env bash -c ...`.
WRAPPERS = frozenset({"env", "tini", "tini-static", "dumb-init", "exec", "nice", "nohup", "timeout", "--"})

# A name the kubelet would look up. Used for $(...) contents.
ENV_NAME = LazyPattern(r"[-._a-zA-Z][-._a-zA-Z0-9]*")
# A reference that reads as a variable rather than a command: it has an upper-case letter
# (`$(date)`, `$(hostname)` are commands; `$(DB_HOST)`, `$(MyVar)` are variables).
VARIABLE_LIKE = LazyPattern(r"[A-Za-z_][A-Za-z0-9_]*")
# Variables the kubelet injects for services (KUBERNETES_SERVICE_HOST, FOO_PORT_80_TCP_ADDR, ...).
SERVICE_VAR = LazyPattern(
    r"[A-Z0-9_]+_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT(_\d+_(TCP|UDP|SCTP)(_(PROTO|PORT|ADDR))?)?)"
)
INDEX_VAR = "JOB_COMPLETION_INDEX"

SHELL_VAR = LazyPattern(r"\$(\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)")
OPERATOR_TOKENS = frozenset({"|", "||", "&&", ";", ">", ">>", "<", "2>&1", "&", "2>", "&>"})
# Inside a longer argument only operators that rarely mean anything else (SQL and regex
# arguments often contain `;`, `<`, `>` or a bare `|`).
OPERATOR_INSIDE = LazyPattern(r"\s(&&|\|\||\||>>?)\s|2>&1")


# One element of command, args or an env value, with its path and how it is named (label:
# command[0], args[2], env[1].value (DB_URL)).
Token = namedtuple("Token", ["text", "path", "label"])


@dataclass(frozen=True)
class Ref:
    """A ``$(...)`` reference the kubelet would try to expand: [start, end) in the text."""

    start: int
    end: int
    content: str


def scan_refs(text: str) -> Iterator[Ref]:
    """Yield the ``$(...)`` references of ``text`` the way the kubelet scans it.

    ``$$`` is consumed as an escape, so ``$$(X)`` yields nothing; an unterminated ``$(`` is
    left alone.
    """
    i = text.find("$")  # jumping from "$" to "$": most texts have none
    while 0 <= i < len(text) - 1:
        nxt = text[i + 1]
        if nxt == "$":
            i = text.find("$", i + 2)
        elif nxt == "(":
            close = text.find(")", i + 2)
            if close < 0:
                return
            yield Ref(i, close + 1, text[i + 2 : close])
            i = text.find("$", close + 1)
        else:
            i = text.find("$", i + 1)


def argv(c: Container) -> tuple[tuple[Token, ...], tuple[Token, ...]]:
    """Return the container's command and args tokens (strings only); four checks read them."""
    out = c.memo.get("argv")
    if out is None:
        out = c.memo["argv"] = (_tokens(c, "command"), _tokens(c, "args"))
    return out


def _tokens(c: Container, field: str) -> tuple[Token, ...]:
    items = c.data.get(field)
    if not items or not isinstance(items, list):
        return ()  # most containers lack command or args: no generator for them
    base = c.path + (field,)
    return tuple([Token(item, base + (i,), f"{field}[{i}]") for i, item in enumerate(items) if isinstance(item, str)])


def env_entries(c: Container) -> list[tuple[int, dict, str | None, str | None]]:
    """Return the container's env entries as (index, entry, name, value): the entry a mapping ({} if
    it is none), its name and value when they are strings. Four checks read them: walked once."""
    out = c.memo.get("env")
    if out is None:
        out = c.memo["env"] = [
            (i, e, as_str(e.get("name")), as_str(e.get("value")))
            for i, e in enumerate(map(as_map, as_list(c.data.get("env"))))
        ]
    return out


def program(words: list[str]) -> tuple[str, int] | None:
    """Return the basename of the program ``words`` run and its index, skipping wrappers.

    ``["/usr/bin/env", "-i", "bash", "-c", "x"]`` gives ``("bash", 2)``.
    """
    for i, word in enumerate(words):
        base = word.rsplit("/", 1)[-1]
        if base in WRAPPERS or (i > 0 and (word.startswith("-") or "=" in word)):
            continue
        return base, i
    return None


def is_shell(words: list[str]) -> bool:
    """Whether ``words`` start a shell (after wrappers such as tini or env)."""
    prog = program(words)
    return prog is not None and prog[0] in SHELLS


def shell_runs(c: Container) -> bool | None:
    """Whether a shell interprets the container's argv: True, False, or None (unknown).

    Without ``command`` the image entrypoint runs; we only know it when ``args`` itself
    starts with a shell (an image with no entrypoint).
    """
    command, args = argv(c)
    if command:
        return is_shell([t.text for t in command])
    if args and is_shell([t.text for t in args]):
        return True
    return None


def declared_env(c: Container) -> list[str]:
    """Return the names of the container's env entries, in order."""
    return [name for _, _, name, _ in env_entries(c) if name]


def has_env_from(c: Container) -> bool:
    return bool(as_list(c.data.get("envFrom")))


def is_indexed(w: Workload) -> bool:
    return w.job_spec.get("completionMode") == "Indexed"


def known_name(name: str, declared: set[str], indexed: bool) -> bool:
    return name in declared or (indexed and name == INDEX_VAR) or bool(SERVICE_VAR.fullmatch(name))


def is_variable_like(content: str) -> bool:
    return bool(VARIABLE_LIKE.fullmatch(content)) and any(ch.isupper() for ch in content)


# --------------------------------------------------------------------------- JC801


def shell_syntax_without_shell(w: Workload, params: dict) -> Iterator[Hit]:
    """JC801: shell syntax in command/args that no shell will interpret.

    With a ``command`` that is not a shell every construct is reported. Without ``command`` the
    image entrypoint is unknown (it might be a shell wrapper), so only the constructs that are
    never sensible as literal text are reported: ``$(command ...)`` and backticks.
    """
    indexed = is_indexed(w)
    for c in w.containers():
        runs = shell_runs(c)
        if runs:
            continue
        command, args = argv(c)
        declared = set(declared_env(c))
        if command:
            prog = program([t.text for t in command])
            why = f'command "{prog[0] if prog else command[0].text}" is not a shell, so it is passed on literally'
        else:
            why = "no command is set and Kubernetes runs args without a shell, so the entrypoint receives it literally"
        for tok in command + args:
            found = _shell_construct(tok.text, declared, indexed, full=bool(command))
            if found is None:
                continue
            what, start, end = found
            yield Hit(
                tok.path,
                f'{tok.label} of {container_label(c.name, c.init)} uses {what} "{tok.text[start:end]}", but {why}',
                span=(start, end),
            )


_DOLLAR = LazyPattern(r"\$(?=[{A-Za-z_])")
_IDENT = LazyPattern(r"[A-Za-z_][A-Za-z0-9_]*")


def shell_variable(text: str) -> tuple[int, int] | None:
    """Return the span of the first match of ``SHELL_VAR`` in ``text``, in linear time.

    The regular expression retries ``[^}]*`` from every ``${`` and is quadratic on a value
    made of ``${`` without a closing brace; here a ``${`` matches when a ``}`` follows it
    anywhere, which one ``rfind`` answers.
    """
    last_close = text.rfind("}")
    for m in _DOLLAR.finditer(text):
        at = m.start()
        if text[at + 1] == "{":
            if last_close > at + 1:
                return at, text.find("}", at + 2) + 1
            continue
        ident = _IDENT.match(text, at + 1)
        return at, ident.end()  # type: ignore[union-attr]  # the lookahead saw its first character
    return None


# A character every construct below contains: most elements (a program, a flag, a path) have none.
_SHELL_CHARS = LazyPattern(r"[$`|&;<>]")


def _shell_construct(text: str, declared: set[str], indexed: bool, full: bool) -> tuple[str, int, int] | None:
    if not _SHELL_CHARS.search(text):
        return None
    for ref in scan_refs(text):
        if known_name(ref.content, declared, indexed) or is_variable_like(ref.content):
            continue  # a variable reference: JC802 judges whether it is defined
        return "command substitution", ref.start, ref.end
    first = text.find("`")
    if first >= 0 and text.find("`", first + 1) > first:
        return "backtick command substitution", first, text.find("`", first + 1) + 1
    if not full:
        return None
    var = shell_variable(text.replace("$$", "\0\0"))
    if var:
        return "shell variable", var[0], var[1]
    if text.strip() in OPERATOR_TOKENS:
        return "shell operator", 0, len(text)
    m = OPERATOR_INSIDE.search(text)
    if m:
        group = 1 if m.group(1) else 0
        return "shell operator", m.start(group), m.end(group)
    return None


# --------------------------------------------------------------------------- JC802


def undefined_env_reference(w: Workload, params: dict) -> Iterator[Hit]:
    """JC802: ``$(NAME)`` where the container defines no env var NAME.

    command and args may use every env entry; an env value only the entries before it. With
    envFrom any name might be provided, so the container is skipped. A lower-case ``$(date)``
    is command substitution, not a variable: JC801 judges it (and a shell runs it as intended).
    """
    indexed = is_indexed(w)
    for c in w.containers():
        if has_env_from(c):
            continue
        names = declared_env(c)
        declared = set(names)
        first: dict[str, int] = {}  # where each name is first declared (names[:i] for entry i, in O(1))
        for pos, name in enumerate(names):
            first.setdefault(name, pos)
        who = container_label(c.name, c.init)
        command, args = argv(c)
        for tok in command + args:
            if "$(" not in tok.text:
                continue  # most elements reference nothing
            for ref in scan_refs(tok.text):
                if _undefined(ref.content, declared, indexed):
                    yield _ref_hit(tok, ref, f"which is not defined in the env of {who}")
        for i, _entry, name, value in env_entries(c):
            if value is None or "$(" not in value:
                continue
            name = name or f"#{i}"
            tok = Token(value, c.path + ("env", i, "value"), f"env {name}")
            earlier = _Before(first, i)  # the same names as set(names[:i])
            for ref in scan_refs(value):
                if not _undefined(ref.content, earlier, indexed):
                    continue
                why = (
                    f"which is defined only later in the env of {who} (a value sees earlier entries only)"
                    if ref.content in declared
                    else f"which is not defined in the env of {who}"
                )
                yield _ref_hit(tok, ref, why)


class _Before:
    """The names declared before entry ``limit`` (as a set would answer ``in``), without building the set.

    Building ``set(names[:i])`` for every entry made a container with n chained env vars cost n**2.
    """

    __slots__ = ("first", "limit")

    def __init__(self, first: dict[str, int], limit: int):
        self.first = first
        self.limit = limit

    def __contains__(self, name: object) -> bool:
        return self.first.get(name, self.limit) < self.limit  # type: ignore[arg-type]


def _undefined(content: str, declared: set[str] | _Before, indexed: bool) -> bool:
    if not ENV_NAME.fullmatch(content) or known_name(content, declared, indexed):
        return False
    # Outside a shell a lower-case $(word) is reported by JC801 as command substitution.
    return is_variable_like(content)


def _ref_hit(tok: Token, ref: Ref, why: str) -> Hit:
    return Hit(
        tok.path,
        f'{tok.label} references "$({ref.content})", {why}; Kubernetes passes it on literally',
        span=(ref.start, ref.end),
    )
