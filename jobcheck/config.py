"""Find and merge configuration: ``.jobcheck.yaml`` or ``[tool.jobcheck]`` in pyproject.toml.

The nearest file walking up from the linted path wins; command-line flags override it.
Rule parameters are checked against the rule files once those are loaded (``check_params``),
with the position of each ``params`` entry kept from loading.
"""

from __future__ import annotations

import os
import re
import stat
from collections import namedtuple
from collections.abc import Callable, Mapping

from jobcheck.record import dataclass, field, replace
from jobcheck.rulemeta import Rule
from jobcheck.yaml.loader import load_text

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up, issue 13)
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

CONFIG_NAMES = (".jobcheck.yaml", ".jobcheck.yml", "pyproject.toml")
SEVERITIES = ("error", "warning", "info")


class ConfigError(Exception):
    """A configuration problem; the message names the file and the position."""


# Where a config entry is written: ``file:line:col`` of its key and of its value.
Place = namedtuple("Place", ["key", "value"])


@dataclass(frozen=True)
class Config:
    """One configuration file's settings (or the defaults), as ``load_config`` validated them."""

    select: tuple[str, ...] | None = None  # None: the rules enabled by default
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict = field(default_factory=dict)  # rule id/name -> "error" | "warning" | "info"
    params: dict = field(default_factory=dict)  # rule id/name -> {param: value}
    # (rule id/name, None) -> the params entry of that rule; (rule id/name, param) -> that parameter
    param_places: dict = field(default_factory=dict, compare=False, repr=False)
    kubernetes_version: str | None = None
    exclude: tuple[str, ...] = ()
    rules_dirs: tuple[str, ...] = ()
    fail_on: str | None = None
    strict: bool = True
    path: str | None = None  # the file it came from

    def merged(self, **overrides: Any) -> Config:
        """This config with the given non-None values replacing its own (CLI precedence)."""
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


_KEYS = {
    "select": "select", "extend-select": "extend_select", "ignore": "ignore", "severity": "severity",
    "params": "params", "kubernetes-version": "kubernetes_version", "exclude": "exclude",
    "rules-dir": "rules_dirs", "rules-dirs": "rules_dirs", "fail-on": "fail_on", "strict": "strict",
}


def find_config(start: Path | str, memo: dict | None = None) -> Path | None:
    """The nearest config file at or above ``start``; a pyproject.toml counts only with [tool.jobcheck].
    ``start`` is resolved as ``Path.resolve`` does (symbolic links followed, from the real directory
    up). ``memo``, shared by the calls of one run, looks at each directory once and resolves each
    directory's real path from its parent's with one ``lstat``: a run over thousands of folders
    otherwise checks their common parents, and resolves every component of every folder, again
    for every folder (a warm cached run spent a quarter of its time here)."""
    memo = {} if memo is None else memo
    text = os.fspath(start)
    # realpath resolves a link before the ".." after it; abspath would drop both: such paths whole.
    here = os.path.realpath(text) if os.pardir in text.split(os.sep) else _real(os.path.abspath(text), memo)
    if ("dir", here) not in memo:  # a directory _real saw as one needs no second look
        try:
            info = os.stat(here)
        except (OSError, ValueError):
            info = None
        if info is None or stat.S_ISREG(info.st_mode):  # a file, or nothing there: from its directory
            here = os.path.dirname(here)
    walked, found = [], None
    while True:
        known = memo.get(here, memo)  # the memo itself marks a directory not looked at yet
        if known is not memo:
            found = known
            break
        walked.append(here)
        found = _config_in(here, memo.get(("names", here)))
        parent = os.path.dirname(here)
        if found is not None or parent == here:
            break
        here = parent
    for directory in walked:  # each is at or below where the answer was found
        memo[directory] = found
    return found


def _real(path: str, memo: dict) -> str:
    """``os.path.realpath`` of an absolute, normalized ``path``, its directories' answers kept in
    ``memo`` (under a key of their own): a directory's real path is its parent's with its name
    joined, unless that is a symbolic link, which realpath then follows."""
    key = ("real", path)
    known = memo.get(key)
    if known is not None:
        return known
    parent, name = os.path.split(path)
    if not name:  # the root
        real = path
    else:
        joined = os.path.join(_real(parent, memo), name) if parent != path else path
        try:
            mode = os.lstat(joined).st_mode
        except (OSError, ValueError):
            mode = 0
        real = os.path.realpath(joined) if stat.S_ISLNK(mode) else joined
        if stat.S_ISDIR(mode):
            memo[("dir", real)] = True
    memo[key] = real
    return real


def note_listing(memo: dict, directory: str, names: list[str]) -> None:
    """Tell ``find_config``'s ``memo`` what a directory walk listed: ``directory`` (a real path)
    is a directory holding the non-directory entries ``names``. Only the config names among them
    are looked at then (a walk over thousands of folders otherwise stats three names in each)."""
    memo[("names", directory)] = tuple(name for name in CONFIG_NAMES if name in names)
    memo[("real", directory)] = directory
    memo[("dir", directory)] = True


def _config_in(directory: str, listed: tuple[str, ...] | None = None) -> Path | None:
    """The config file of ``directory``; ``listed``: the config names a walk saw there (None: unknown)."""
    for name in CONFIG_NAMES if listed is None else listed:
        candidate = os.path.join(directory, name)
        if not os.path.isfile(candidate):
            continue
        if name != "pyproject.toml" or _has_tool_section(candidate):
            from pathlib import Path  # a configuration was found: only then (~4 ms at start-up)

            return Path(candidate)
    return None


def _has_tool_section(path: str) -> bool:
    try:
        with open(path, encoding="utf-8") as fh:
            return re.search(r"^\[tool\.jobcheck\]", fh.read(), re.MULTILINE) is not None
    except (OSError, UnicodeDecodeError):
        return False


def load_config(path: Path) -> Config:
    """Read and validate one config file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from None
    if path.name == "pyproject.toml":
        data, where, place = _from_toml(path, text)
    else:
        data, where, place = _from_yaml(path, text)
    return _build(data, where, place, str(path))


def _from_yaml(path: Path, text: str):
    docs = list(load_text(text))
    for doc in docs:
        for problem in doc.problems:
            raise ConfigError(f"{path}:{problem.line}:{problem.column}: {problem.message}")
    data = docs[0].data if docs else {}
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1:1: the config must be a mapping")
    positions = docs[0].positions if docs else None

    def where(key: str) -> str:
        if positions is None:
            return f"{path}:1:1"
        span, _ = positions.locate(data, (key,), on_key=True)
        return f"{path}:{span.line}:{span.column}"

    def place(keys: tuple) -> Place:
        assert positions is not None  # there are keys, so there is a document
        key, _ = positions.locate(data, keys, on_key=True)
        value = positions.value_span(data, keys) or key
        return Place(f"{path}:{key.line}:{key.column}", f"{path}:{value.line}:{value.column}")

    return data, where, place


def _from_toml(path: Path, text: str):
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib
    try:
        data = tomllib.loads(text).get("tool", {}).get("jobcheck", {})
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    lines = text.splitlines()

    def where(key: str) -> str:
        start = next((i for i, line in enumerate(lines) if line.strip() == "[tool.jobcheck]"), 0)
        for i in range(start, len(lines)):
            if re.match(rf"\s*{re.escape(key)}\s*=", lines[i]):
                return f"{path}:{i + 1}:{lines[i].index(key[0]) + 1}"
        return f"{path}:{start + 1}:1"

    def place(keys: tuple) -> Place:
        found = _toml_place(text, keys)
        if found is None:
            return Place(where(keys[0]), where(keys[0]))
        return Place(*(f"{path}:{_line_col(text, offset)}" for offset in found))

    return data, where, place


def _toml_place(text: str, keys: tuple) -> tuple[int, int] | None:
    """Offsets of the last of ``keys`` and of its value in a pyproject.toml, or None.

    tomllib keeps no positions, so this is a search, good for the forms people write
    (``params = {JC201 = {default_ttl = 60}}``, ``[tool.jobcheck.params.JC201]`` then
    ``default_ttl = 60``, dotted keys): each key in turn, after the one before, written as
    a key (bare or quoted, followed by ``=``, ``.`` or a table header's ``]``).
    """
    masked = re.sub(r"#[^\n]*", lambda m: " " * len(m.group()), text)  # a "#" in a string: rare here
    section = re.search(r"^\s*\[\s*tool\.jobcheck\b", masked, re.MULTILINE)
    pos = key_at = section.start() if section else 0
    for key in keys:
        pattern = re.compile(rf"""(?<![\w"'-])(["']?){re.escape(str(key))}\1[ \t]*(=|\.|\])""")
        for match in pattern.finditer(masked, pos):
            if match.group(2) != "]" or _is_header(masked, match.start()):
                key_at, pos = match.start(), match.end()
                break
        else:
            return None
    if masked[pos - 1] != "=":  # a table header or a dotted key: the key is the best place for its value
        return key_at, key_at
    while masked[pos : pos + 1] in (" ", "\t"):
        pos += 1
    return key_at, pos


def _is_header(text: str, offset: int) -> bool:
    line_start = text.rfind("\n", 0, offset) + 1
    return text[line_start:offset].lstrip().startswith("[")


def _line_col(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"{line}:{column}"


def _build(data: dict, where, place, source: str) -> Config:
    values: dict[str, Any] = {"path": source}
    for key, raw in data.items():
        norm = str(key).replace("_", "-")
        attr = _KEYS.get(norm)
        if attr is None:
            raise ConfigError(f"{where(key)}: unknown config key {key!r}; known keys: {', '.join(sorted(_KEYS))}")
        if attr in ("select", "extend_select", "ignore", "exclude", "rules_dirs"):
            if isinstance(raw, str):
                raw = [raw]
            if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
                raise ConfigError(f"{where(key)}: {key} must be a list of strings")
            values[attr] = tuple(raw)
        elif attr == "severity":
            if not isinstance(raw, dict) or not all(str(v) in SEVERITIES for v in raw.values()):
                raise ConfigError(f"{where(key)}: severity maps rule ids or names to error, warning or info")
            values[attr] = {str(k): str(v) for k, v in raw.items()}
        elif attr == "params":
            if not isinstance(raw, dict) or not all(isinstance(v, dict) for v in raw.values()):
                raise ConfigError(f"{where(key)}: params maps rule ids or names to a mapping of parameters")
            values[attr] = {str(k): dict(v) for k, v in raw.items()}
            places = {}
            for token, entries in raw.items():
                places[(str(token), None)] = place((key, token))
                for name in entries:
                    places[(str(token), str(name))] = place((key, token, name))
            values["param_places"] = places
        elif attr == "kubernetes_version":
            if isinstance(raw, float):  # 1.30 unquoted is the number 1.3: the version meant cannot be known
                raise ConfigError(f"{place((key,)).value}: kubernetes-version {raw!r} is read as a number "
                                  f"(1.30 unquoted is 1.3); quote it, as in \"1.30\"")
            values[attr] = str(raw)
        elif attr == "fail_on":
            if str(raw) not in SEVERITIES + ("never",):
                raise ConfigError(f"{where(key)}: fail-on must be error, warning, info or never")
            values[attr] = str(raw)
        elif attr == "strict":
            if not isinstance(raw, bool):
                raise ConfigError(f"{where(key)}: strict must be true or false")
            values[attr] = raw
    return Config(**values)


_TYPE_NAMES = {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list",
               dict: "a mapping", type(None): "null"}


def _type_name(value: Any) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def _same_type(value: Any, default: Any) -> bool:
    """Whether ``value`` has the type of the rule file's ``default``; an int will do for a float."""
    if default is None:  # a default of null says nothing about the type
        return True
    if type(default) is float:
        return type(value) in (int, float)
    return type(value) is type(default)


def check_params(config: Config, rules: Mapping[str, Rule], resolve: Callable[[str], set[str]]) -> None:
    """Check ``config.params`` against the parameters the rule files declare; return None if all is well.

    Call it with the rules the run loads and a selector resolver, before merging the
    parameters: ``check_params(config, rules, lambda token: resolve_selector(token, rules))``.
    Raises ConfigError naming the ``file:line:col`` of the offending entry when a rule token
    matches no rule (``resolve`` raised ValueError), when a parameter is not one the rule
    declares, or when a value's type differs from the declared default's (an int may stand
    for a float; booleans are not integers).
    """
    for token, values in config.params.items():
        fallback = Place(config.path or "<config>", config.path or "<config>")
        token_place = config.param_places.get((token, None), fallback)
        try:
            rule_ids = sorted(resolve(token))
        except ValueError as exc:
            raise ConfigError(f"{token_place.key}: {exc}") from None
        for name, value in values.items():
            at = config.param_places.get((token, str(name)), token_place)
            for rid in rule_ids:
                declared = rules[rid].params
                if name not in declared:
                    known = ", ".join(sorted(declared)) or "none"
                    raise ConfigError(f"{at.key}: rule {rid} has no parameter {name} (its parameters: {known})")
                if not _same_type(value, declared[name]):
                    raise ConfigError(
                        f"{at.value}: parameter {name} of rule {rid} ({rules[rid].name}) must be "
                        f"{_type_name(declared[name])}, not {_type_name(value)}"
                    )
