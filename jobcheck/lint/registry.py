"""Load rules/*.yaml, evaluate declarative checks, and resolve Python checks by name."""

from __future__ import annotations

import importlib
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache, partial
from pathlib import Path as FsPath
from typing import Any

from jobcheck.data import data_dir
from jobcheck.finding import Hit, Path, Severity, format_path
from jobcheck.kube.objects import Workload, get_in
from jobcheck.rulemeta import Rule
from jobcheck.yaml.loader import load_text

REQUIRED_FIELDS = ("id", "name", "severity", "category", "summary", "check")
CheckFn = Callable[[Workload, dict], Iterable[Hit]]


class RuleError(Exception):
    """A rule file that cannot be used; the message names the file and the position."""


def load_rules(extra_dirs: Iterable[str | FsPath] = ()) -> dict[str, Rule]:
    """Return every rule by id: the shipped catalog, then custom rule directories."""
    rules = dict(_shipped_rules())
    for directory in extra_dirs:
        for rule in _load_dir(FsPath(directory)):
            if rule.id in rules:
                raise RuleError(f"{rule.source}: rule id {rule.id} is already defined by {rules[rule.id].source}")
            rules[rule.id] = rule
    return rules


@lru_cache(maxsize=1)
def _shipped_rules() -> tuple[tuple[str, Rule], ...]:
    return tuple((rule.id, rule) for rule in _load_dir(data_dir("rules")))


def _load_dir(directory: FsPath) -> list[Rule]:
    if not directory.is_dir():
        raise RuleError(f"{directory}: rules directory not found")
    return [load_rule_file(path) for path in sorted(directory.glob("*.yaml"))]


def load_rule_file(path: FsPath) -> Rule:
    """Read and check one rule file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RuleError(f"{path}: cannot read rule file: {exc.strerror}") from None
    docs = list(load_text(text))
    for doc in docs:
        for problem in doc.problems:
            raise RuleError(f"{path}:{problem.line}:{problem.column}: {problem.message}")
    data = docs[0].data if docs else None
    if not isinstance(data, dict):
        raise RuleError(f"{path}:1:1: a rule file must be a mapping")

    def where(key: str) -> str:
        span, _ = docs[0].positions.locate(data, (key,), on_key=True)
        return f"{path}:{span.line}:{span.column}"

    missing = [key for key in REQUIRED_FIELDS if key not in data]
    if missing:
        raise RuleError(f"{path}:1:1: rule file lacks {', '.join(missing)}")
    if not re.fullmatch(r"[A-Z]+[0-9]+", str(data["id"])):
        raise RuleError(f"{where('id')}: rule id must be letters then digits, like JC306 or ACME001")
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", str(data["name"])):
        raise RuleError(f"{where('name')}: rule name must be a kebab-case slug")
    try:
        severity = Severity.parse(str(data["severity"]))
    except KeyError:
        raise RuleError(f"{where('severity')}: severity must be error, warning or info") from None
    check = data["check"]
    try:
        validate_check(check)
    except ValueError as exc:
        raise RuleError(f"{where('check')}: {exc}") from None
    fixer, fix_safety = data.get("fixer"), str(data.get("fix_safety", "none"))
    if fixer is not None and not re.fullmatch(r"[\w.]+:\w+", str(fixer)):
        raise RuleError(f"{where('fixer')}: fixer must look like package.module:function")
    if fixer is not None and fix_safety not in ("safe", "unsafe"):
        raise RuleError(f"{where('fixer')}: a rule with a fixer needs fix_safety safe or unsafe")
    if fixer is None and fix_safety in ("safe", "unsafe"):
        raise RuleError(f"{where('fix_safety')}: fix_safety {fix_safety} needs a fixer: package.module:function")
    return Rule(
        id=str(data["id"]),
        name=str(data["name"]),
        severity=severity,
        category=str(data["category"]),
        enabled=bool(data.get("enabled", True)),
        summary=str(data["summary"]).strip(),
        what=str(data.get("what", "")).strip(),
        why=str(data.get("why", "")).strip(),
        bad=str(data.get("bad", "")),
        good=str(data.get("good", "")),
        fix=str(data.get("fix", "")).strip(),
        fix_safety=fix_safety,
        fixer=None if fixer is None else str(fixer),
        references=tuple(data.get("references") or ()),
        params=dict(data.get("params") or {}),
        check=check,
        source=str(path),
    )


# --- declarative checks -------------------------------------------------------------------

TARGETS = (
    "object", "metadata", "cronjob-spec", "job-spec", "pod-spec", "template-metadata",
    "container", "app-container",
)
_OPS = ("present", "equals", "one_of", "matches", "gt", "gte", "lt", "lte")


def validate_check(check: Any) -> None:
    """Raise ValueError when a check spec is malformed."""
    if not isinstance(check, dict):
        raise ValueError("check must be a mapping")
    if "python" in check:
        if not re.fullmatch(r"[\w.]+:\w+", str(check["python"])):
            raise ValueError("check.python must look like package.module:function")
        return
    if "builtin" in check:
        return
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


@lru_cache(maxsize=512)
def parse_field(text: str) -> Path:
    """``a.b[0].c`` -> ("a", "b", 0, "c")."""
    out: list[str | int] = []
    for part in text.split("."):
        name, *indexes = part.split("[")
        if name:
            out.append(name)
        out.extend(int(ix.rstrip("]")) for ix in indexes)
    return tuple(out)


def _targets(w: Workload, target: str) -> Iterator[tuple[Any, Path, dict]]:
    """Yield (data, absolute path, message context) for each instance of a target."""
    ctx = {"kind": w.kind, "name": w.name}
    if target == "object":
        yield w.data, w.path, ctx
    elif target == "metadata":
        yield w.metadata, w.path + ("metadata",), ctx
    elif target == "cronjob-spec":
        if w.kind == "CronJob":
            yield w.cronjob_spec, w.cronjob_spec_path, ctx
    elif target == "job-spec":
        yield w.job_spec, w.job_spec_path, ctx
    elif target == "pod-spec":
        yield w.pod_spec, w.pod_spec_path, ctx
    elif target == "template-metadata":
        meta = w.template.get("metadata")
        yield (meta if isinstance(meta, dict) else {}), w.template_path + ("metadata",), ctx
    else:
        for container in w.containers(init=target == "container"):
            yield container.data, container.path, {**ctx, "container": container.name}


def _param(value: Any, params: Mapping) -> Any:
    if isinstance(value, dict) and "param" in value:
        return params.get(value["param"])
    return value


_MISSING = object()
Condition = Callable[[Any, Mapping], bool]  # (target data, rule parameters) -> holds


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


def run_declarative(check: dict, w: Workload, params: Mapping) -> Iterator[Hit]:
    """Evaluate a declarative check on one workload (the engine compiles it once instead:
    see check_function)."""
    return _run_compiled(_compile_check(check), w, params)


def _run_compiled(compiled: _CompiledCheck, w: Workload, params: Mapping) -> Iterator[Hit]:
    rel = compiled.report
    for data, base, ctx in _targets(w, compiled.target):
        if not all(cond(data, params) for cond in compiled.when) or compiled.require(data, params):
            continue
        values = {**params, **ctx, "field": format_path(base + rel), "value": get_in(data, rel)}
        yield Hit(base + rel, compiled.message.format_map(_Default(values)))


class _Default(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@cache
def python_check(ref: str) -> CheckFn:
    """Import ``module:function`` once."""
    module, _, name = ref.partition(":")
    return getattr(importlib.import_module(module), name)


def check_function(rule: Rule) -> CheckFn | None:
    """The function that runs ``rule``'s check as ``fn(workload, params)``; None for builtin ones
    and rules without a check."""
    check = rule.check
    if not check:
        return None
    if "python" in check:
        return python_check(check["python"])
    if "builtin" in check:
        return None
    return partial(_run_compiled, _compile_check(check))
