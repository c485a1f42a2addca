"""Find and merge configuration: ``.jobcheck.yaml`` or ``[tool.jobcheck]`` in pyproject.toml.

The nearest file walking up from the linted path wins; command-line flags override it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from jobcheck.yaml.loader import load_text

CONFIG_NAMES = (".jobcheck.yaml", ".jobcheck.yml", "pyproject.toml")
SEVERITIES = ("error", "warning", "info")


class ConfigError(Exception):
    """A configuration problem; the message names the file and the position."""


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] | None = None  # None: the rules enabled by default
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict = field(default_factory=dict)  # rule id/name -> "error" | "warning" | "info"
    params: dict = field(default_factory=dict)  # rule id/name -> {param: value}
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


def find_config(start: Path) -> Path | None:
    """The nearest config file at or above ``start``; a pyproject.toml counts only with [tool.jobcheck]."""
    here = start.resolve()
    if here.is_file() or not here.exists():
        here = here.parent
    for directory in (here, *here.parents):
        for name in CONFIG_NAMES:
            candidate = directory / name
            if not candidate.is_file():
                continue
            if name != "pyproject.toml" or _has_tool_section(candidate):
                return candidate
    return None


def _has_tool_section(path: Path) -> bool:
    try:
        return re.search(r"^\[tool\.jobcheck\]", path.read_text(encoding="utf-8"), re.MULTILINE) is not None
    except (OSError, UnicodeDecodeError):
        return False


def load_config(path: Path) -> Config:
    """Read and validate one config file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from None
    if path.name == "pyproject.toml":
        data, where = _from_toml(path, text)
    else:
        data, where = _from_yaml(path, text)
    return _build(data, where, str(path))


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

    return data, where


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

    return data, where


def _build(data: dict, where, source: str) -> Config:
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
        elif attr == "kubernetes_version":
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
