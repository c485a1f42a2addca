"""Declarative checks: a target, optional ``when`` conditions and a ``require`` condition.

A rule file's check compiles once into a function with the signature every check has,
``fn(workload, params) -> hits``; the conditions are closures, so an object pays no dispatch
on the check's keys. The grammar is documented in docs/rule-format.md.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache, partial

from jobcheck.finding import Hit, Path, format_path
from jobcheck.kube.objects import Workload, get_in
from jobcheck.record import dataclass
from jobcheck.redact import LazyPattern

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up, issue 13)
if TYPE_CHECKING:
    from typing import Any

TARGETS = (
    "object", "metadata", "cronjob-spec", "job-spec", "pod-spec", "template-metadata",
    "container", "app-container",
)
_OPS = ("present", "equals", "one_of", "matches", "gt", "gte", "lt", "lte")


def validate_declarative(check: dict) -> None:
    """Raise ValueError when a declarative check spec is malformed."""
    if check.get("target") not in TARGETS:
        raise ValueError(f"check.target must be one of {', '.join(TARGETS)}")
    if "require" not in check:
        raise ValueError("a declarative check needs a 'require' condition")
    for cond in list(check.get("when") or []) + [check["require"]]:
        _validate_condition(cond)


def _validate_condition(cond: Any) -> None:
    if not isinstance(cond, dict):
        raise ValueError(f"condition must be a mapping, got {cond!r}")
    if "all" in cond or "any" in cond:
        for sub in cond.get("all") or cond.get("any") or []:
            _validate_condition(sub)
        return
    if "not" in cond:
        _validate_condition(cond["not"])
        return
    if "field" not in cond:
        raise ValueError(f"condition needs 'field': {cond!r}")
    ops = [op for op in _OPS if op in cond]
    if len(ops) != 1:
        raise ValueError(f"condition needs exactly one of {', '.join(_OPS)}: {cond!r}")
    if "matches" in cond:
        try:
            re.compile(str(cond["matches"]))
        except re.error as exc:
            raise ValueError(f"bad regular expression {cond['matches']!r}: {exc}") from None


# A name between dots, or a bracketed list index or map key: ``annotations[helm.sh/hook]`` addresses
# a key holding dots and slashes, written as findings print such keys.
_SEGMENT = LazyPattern(r"([^.\[\]]+)|\[([^\]]*)\]|(\.)")


@lru_cache(maxsize=512)
def parse_field(text: str) -> Path:
    """``a.b[0].c`` -> ("a", "b", 0, "c"); ``a[b.c/d]`` -> ("a", "b.c/d")."""
    out: list[str | int] = []
    for name, bracket, _dot in _SEGMENT.findall(text):
        if name:
            out.append(name)
        elif bracket:
            out.append(int(bracket) if bracket.isdigit() else bracket)
    return tuple(out)


def _targets(w: Workload, target: str) -> Iterator[tuple[Any, Path, str | None]]:
    """Yield (data, absolute path, container name or None) for each instance of a target."""
    if target == "object":
        yield w.data, w.path, None
    elif target == "metadata":
        yield w.metadata, w.path + ("metadata",), None
    elif target == "cronjob-spec":
        if w.kind == "CronJob":
            yield w.cronjob_spec, w.cronjob_spec_path, None
    elif target == "job-spec":
        yield w.job_spec, w.job_spec_path, None
    elif target == "pod-spec":
        yield w.pod_spec, w.pod_spec_path, None
    elif target == "template-metadata":
        meta = w.template.get("metadata")
        yield (meta if isinstance(meta, dict) else {}), w.template_path + ("metadata",), None
    else:
        for container in w.containers(init=target == "container"):
            yield container.data, container.path, container.name


def _context(w: Workload, container: str | None) -> dict:
    """A message's context: made only for a failure (most instances pass)."""
    ctx = {"kind": w.kind, "name": w.display_name}  # {name} reads naturally for a generateName too
    if container is not None:
        ctx["container"] = container
    return ctx


def _param(value: Any, params: Mapping) -> Any:
    if isinstance(value, dict) and "param" in value:
        return params.get(value["param"])
    return value


_MISSING = object()
Condition = Callable[["Any", Mapping], bool]  # (target data, rule parameters) -> holds


def _compile(cond: dict) -> Condition:
    """Turn a validated condition into a function, so each object pays no dispatch on its keys."""
    if "all" in cond:
        subs = [_compile(c) for c in cond["all"]]
        return lambda data, params: all(sub(data, params) for sub in subs)
    if "any" in cond:
        subs = [_compile(c) for c in cond["any"]]
        return lambda data, params: any(sub(data, params) for sub in subs)
    if "not" in cond:
        inner = _compile(cond["not"])
        return lambda data, params: not inner(data, params)
    path = parse_field(cond["field"])
    if "present" in cond:
        want = bool(cond["present"])
        return lambda data, params: (get_in(data, path, None) is not None) == want
    test = _value_test(cond)

    def holds(data: Any, params: Mapping) -> bool:
        value = get_in(data, path, _MISSING)
        return value is not _MISSING and test(value, params)

    return holds


def _value_test(cond: dict) -> Callable[[Any, Mapping], bool]:
    if "equals" in cond:
        expected = cond["equals"]
        return lambda value, params: value == _param(expected, params)
    if "one_of" in cond:
        allowed = cond["one_of"]
        return lambda value, params: value in (_param(allowed, params) or ())
    if "matches" in cond:
        pattern = cond["matches"]
        return lambda value, params: (
            isinstance(value, str) and re.search(str(_param(pattern, params)), value) is not None
        )
    op = next(op for op in ("gt", "gte", "lt", "lte") if op in cond)
    compare = _COMPARISONS[op]
    bound = cond[op]

    def test(value: Any, params: Mapping) -> bool:
        limit = _param(bound, params)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not isinstance(limit, (int, float)):
            return False
        return compare(value, limit)

    return test


_COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le,
}


@dataclass(frozen=True)
class _CompiledCheck:
    target: str
    when: tuple[Condition, ...]
    require: Condition
    report: Path  # the field a failure is reported at, relative to the target
    message: str


def _compile_check(check: dict) -> _CompiledCheck:
    field = _report_field(check["require"])
    return _CompiledCheck(
        check["target"],
        tuple(_compile(c) for c in check.get("when") or ()),
        _compile(check["require"]),
        parse_field(field) if field else (),
        str(check.get("message", "{field} fails the rule")),
    )


def _report_field(cond: dict) -> str | None:
    """The field a failed condition is about, for the finding's position."""
    if "field" in cond:
        return cond["field"]
    for key in ("all", "any"):
        if key in cond and cond[key]:
            return _report_field(cond[key][0])
    if "not" in cond:
        return _report_field(cond["not"])
    return None


def _run_compiled(compiled: _CompiledCheck, w: Workload, params: Mapping) -> Iterator[Hit]:
    rel = compiled.report
    when, require = compiled.when, compiled.require
    for data, base, container in _targets(w, compiled.target):
        for cond in when:
            if not cond(data, params):
                break
        else:
            if require(data, params):
                continue
            values = {**params, **_context(w, container), "field": format_path(base + rel), "value": get_in(data, rel)}
            yield Hit(base + rel, compiled.message.format_map(_Default(values)))


class _Default(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def compile_check(check: dict) -> Callable[[Workload, Mapping], Iterator[Hit]]:
    """The declarative ``check`` as a check function ``fn(workload, params)``."""
    return partial(_run_compiled, _compile_check(check))

