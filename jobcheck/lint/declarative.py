"""Declarative checks: a target, optional ``when`` conditions and a ``require`` condition.

A rule file's check compiles once into a function with the signature every check has,
``fn(workload, params) -> hits``; the conditions are closures, so an object pays no dispatch
on the check's keys. The grammar is documented in docs/rule-format.md.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache, partial

from jobcheck.finding import Hit, Path, format_path
from jobcheck.kube.objects import Container, Workload, get_in
from jobcheck.kube.values import as_map
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


def _instances(target: str) -> Callable[[Workload], Iterable[tuple[Any, Path, Container | None]]]:
    """The function giving (data, absolute path, container or None) for each instance of a target.

    Chosen once per check, so an object pays one call rather than a generator and a dispatch on
    the target's name.
    """
    if target == "object":
        return lambda w: ((w.data, w.path, None),)
    if target == "metadata":
        return lambda w: ((w.metadata, w.path + ("metadata",), None),)
    if target == "cronjob-spec":
        return lambda w: ((w.cronjob_spec, w.cronjob_spec_path, None),) if w.kind == "CronJob" else ()
    if target == "job-spec":
        return lambda w: ((w.job_spec, w.job_spec_path, None),)
    if target == "pod-spec":
        return lambda w: ((w.pod_spec, w.pod_spec_path, None),)
    if target == "template-metadata":
        return lambda w: ((as_map(w.template.get("metadata")), w.template_path + ("metadata",), None),)
    init = target == "container"
    return lambda w: [(c.data, c.path, c) for c in w.containers(init=init)]


class _Values(dict):
    """What a failure message may name, each value made only when it does (most name two or
    three): ``{**params, "kind": ..., "name": ..., "container": ..., "field": ..., "value": ...}``,
    later entries winning. A name it does not know stays as written."""

    __slots__ = ("params", "w", "container", "path", "data", "rel")

    def __init__(self, params: Mapping, w: Workload, container: Container | None, path: Path, data: Any,
                 rel: Path) -> None:
        self.params, self.w, self.container, self.path, self.data, self.rel = params, w, container, path, data, rel

    def __missing__(self, key: str) -> Any:
        if key == "field":
            return format_path(self.path)
        if key == "value":
            return get_in(self.data, self.rel)
        if key == "kind":
            return self.w.kind
        if key == "name":
            return self.w.display_name  # {name} reads naturally for a generateName too
        if key == "container" and self.container is not None:
            return self.container.name
        return self.params[key] if key in self.params else "{" + key + "}"


def _param(value: Any, params: Mapping) -> Any:
    if isinstance(value, dict) and "param" in value:
        return params.get(value["param"])
    return value


_MISSING = object()
Condition = Callable[["Any", Mapping], bool]  # (target data, rule parameters) -> holds


def _compile(cond: dict) -> Condition:
    """Turn a validated condition into a function, so each object pays no dispatch on its keys."""
    # all/any as loops: a generator per object would cost more than the conditions it runs.
    if "all" in cond:
        subs = [_compile(c) for c in cond["all"]]

        def holds_all(data: Any, params: Mapping) -> bool:
            for sub in subs:
                if not sub(data, params):
                    return False
            return True

        return holds_all
    if "any" in cond:
        subs = [_compile(c) for c in cond["any"]]

        def holds_any(data: Any, params: Mapping) -> bool:
            for sub in subs:
                if sub(data, params):
                    return True
            return False

        return holds_any
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
    instances: Callable[[Workload], Iterable[tuple[Any, Path, Container | None]]]
    when: tuple[Condition, ...]
    require: Condition
    report: Path  # the field a failure is reported at, relative to the target
    message: str


def _compile_check(check: dict) -> _CompiledCheck:
    field = _report_field(check["require"])
    return _CompiledCheck(
        _instances(check["target"]),
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


def _run_compiled(compiled: _CompiledCheck, w: Workload, params: Mapping) -> list[Hit]:
    hits = []
    for data, base, container in compiled.instances(w):
        for cond in compiled.when:
            if not cond(data, params):
                break
        else:
            if not compiled.require(data, params):
                path = base + compiled.report
                message = compiled.message.format_map(_Values(params, w, container, path, data, compiled.report))
                hits.append(Hit(path, message))
    return hits


def compile_check(check: dict) -> Callable[[Workload, Mapping], Iterable[Hit]]:
    """The declarative ``check`` as a check function ``fn(workload, params)``."""
    return partial(_run_compiled, _compile_check(check))

