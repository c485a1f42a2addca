"""The rule registry: every rule is one rules/*.yaml file, and its ``check`` says what reports it.

A check is one of (docs/rule-format.md has the details):

* ``{python: module:function, stage: ...}``: a function ``fn(workload, params) -> hits`` run on
  every Job and CronJob; ``stage`` (default ``catalog``) places it in ``STAGES``;
* a declarative check (``target``/``when``/``require``), compiled into such a function;
* a list of the two forms above, when one rule is reported by several functions;
* ``{problems: [kind, ...]}``: the loading problems of these kinds (``jobcheck.yaml.loader``);
* ``{suppressions: unused}``: suppressions that matched nothing;
* ``{collect: module:function, finish: module:function}``: a cross-object rule, which sees every
  object of a run (jobcheck.lint.cross): ``collect`` takes a small summary of each object during
  the per-file pass, ``finish`` judges all summaries once, after the last file.

How the layers interact is data too: a rule's ``hides: [ids]`` drops hits of those rules at
the same place where it reports (the API server's words win over the schema's), and a hit of
a ``gate`` check ends the object (see jobcheck.lint.engine). A rule's ``skip_owned_by: [kinds]``
leaves alone the objects another object of those kinds owns (a CronJob's Jobs carry the
CronJob's choices, which the rule reports on the CronJob).

The shipped rule files are read at every start, which costs more than the rest of a small run's
own work; their checked records are therefore kept in a catalogue file in the user's cache
directory (``$XDG_CACHE_HOME/jobcheck``, else ``~/.cache/jobcheck``), used only when the files'
names, sizes and modification times, the rules directory, jobcheck's and Python's versions all
match what it was built from, and rebuilt otherwise. It is plain data (``marshal``: no code runs
when it is read); a corrupt or unwritable catalogue is ignored and the files are parsed.
``JOBCHECK_NO_RULE_CATALOG=1`` always parses. Custom rule directories are always parsed.
"""

from __future__ import annotations

import importlib
import marshal
import os
import re
import sys
import zlib
from collections.abc import Callable, Iterable
from functools import cache, lru_cache

from jobcheck import __version__
from jobcheck.data import data_path
from jobcheck.finding import Hit, Severity
from jobcheck.kube.objects import Workload
from jobcheck.lint.declarative import compile_check, parse_field, validate_declarative
from jobcheck.record import fields
from jobcheck.rulemeta import Rule
from jobcheck.yaml.loader import load_text

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up, issue 13)
if TYPE_CHECKING:
    from pathlib import Path as FsPath
    from typing import Any

__all__ = ["STAGES", "CheckFn", "RuleError", "load_rule_file", "load_rules", "object_checks", "parse_field",
           "problem_kinds", "reports_unused_suppressions"]

REQUIRED_FIELDS = ("id", "name", "severity", "category", "summary", "check")
CheckFn = Callable[[Workload, dict], Iterable[Hit]]
# The order object checks run in. A hit from a gate check ends the object: an object that
# nothing would apply (no apiVersion) gets one finding, not a cascade.
STAGES = ("gate", "schema", "api", "catalog")
UNUSED_SUPPRESSIONS = "unused"


class RuleError(Exception):
    """A rule file that cannot be used; the message names the file and the position."""


def load_rules(extra_dirs: Iterable[str | FsPath] = ()) -> dict[str, Rule]:
    """Return every rule by id: the shipped catalog, then custom rule directories."""
    rules = dict(_shipped_rules())
    for directory in extra_dirs:
        for rule in _load_dir(directory):
            if rule.id in rules:
                raise RuleError(f"{rule.source}: rule id {rule.id} is already defined by {rules[rule.id].source}")
            rules[rule.id] = rule
    for rule in rules.values():
        unknown = [rid for rid in rule.hides if rid not in rules]
        if unknown:
            raise RuleError(f"{rule.source}: hides names no rule: {', '.join(unknown)}")
    return rules


@lru_cache(maxsize=1)
def _shipped_rules() -> tuple[tuple[str, Rule], ...]:
    directory = data_path("rules")
    signature = _signature(directory)
    if signature is None:
        return tuple((rule.id, rule) for rule in _load_dir(directory))
    path = _catalog_path(directory)
    rules = _read_catalog(path, signature)
    if rules is None:
        rules = _load_dir(directory)
        _write_catalog(path, signature, rules)
    return tuple((rule.id, rule) for rule in rules)


_CATALOG_FORMAT = 1
_RULE_FIELDS = tuple(f.name for f in fields(Rule))


def _signature(directory: FsPath) -> tuple | None:
    """What the catalogue of ``directory`` must have been built from; None: do not use one."""
    if os.environ.get("JOBCHECK_NO_RULE_CATALOG") or not os.path.isdir(directory):
        return None
    try:
        with os.scandir(directory) as entries:
            files = sorted(
                (e.name, st.st_size, st.st_mtime_ns)
                for e in entries
                if e.name.endswith(".yaml")  # what _load_dir's glob reads
                for st in (e.stat(),)
            )
    except OSError:
        return None
    return (_CATALOG_FORMAT, __version__, sys.version, str(directory), tuple(files))


def _catalog_path(directory: FsPath) -> str:
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # unset, or relative (which the XDG spec says to ignore)
        base = os.path.join(os.path.expanduser("~"), ".cache")
    # One file per rules directory (checkouts side by side do not evict each other); the name is
    # only a hint, the signature inside decides.
    tag = f"{zlib.crc32(os.fsencode(directory)):08x}"
    return os.path.join(base, "jobcheck", f"rules-{tag}.marshal")


def _read_catalog(path: str, signature: tuple) -> list[Rule] | None:
    try:
        with open(path, "rb") as fh:
            stored, rows = marshal.load(fh)
        if stored != signature:
            return None
        rules = []
        for row in rows:
            values = dict(zip(_RULE_FIELDS, row, strict=True))
            values["severity"] = Severity(values["severity"])
            rules.append(Rule(**values))
        return rules
    except (OSError, EOFError, ValueError, TypeError, KeyError):  # missing or damaged: parse the files
        return None


def _write_catalog(path: str, signature: tuple, rules: list[Rule]) -> None:
    rows = tuple(
        tuple(int(r.severity) if name == "severity" else getattr(r, name) for name in _RULE_FIELDS) for r in rules
    )
    try:
        data = marshal.dumps((signature, rows))
    except ValueError:  # a value marshal cannot write: no catalogue, nothing lost
        return
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)  # atomic: a concurrent run reads the old catalogue or the new one
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def _load_dir(directory: str | FsPath) -> list[Rule]:
    from pathlib import Path as FsPath  # rule files read, not the catalogue: pathlib only then

    directory = FsPath(directory)
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
    hides = data.get("hides") or []
    if not isinstance(hides, list) or not all(isinstance(h, str) for h in hides):
        raise RuleError(f"{where('hides')}: hides must be a list of rule ids")
    skip_owned_by = data.get("skip_owned_by") or []
    if not isinstance(skip_owned_by, list) or not all(isinstance(k, str) and k for k in skip_owned_by):
        raise RuleError(f"{where('skip_owned_by')}: skip_owned_by must be a list of kinds, like [CronJob]")
    partial = str(data.get("partial", "check"))
    if partial not in ("check", "skip"):
        raise RuleError(f"{where('partial')}: partial must be check or skip")
    correctness = data.get("correctness", False)
    if not isinstance(correctness, bool):
        raise RuleError(f"{where('correctness')}: correctness must be true or false")
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
        hides=tuple(hides),
        skip_owned_by=tuple(skip_owned_by),
        partial=partial,
        source=str(path),
        correctness=correctness,
        severity_reason=str(data.get("severity_reason", "")).strip(),
    )


def validate_check(check: Any) -> None:
    """Raise ValueError when a rule's ``check`` is malformed."""
    if isinstance(check, list):
        if not check:
            raise ValueError("a list of checks must not be empty")
        for item in check:
            if not isinstance(item, dict) or "problems" in item or "suppressions" in item:
                raise ValueError("a list of checks holds python or declarative checks only")
            validate_check(item)
        return
    if not isinstance(check, dict):
        raise ValueError("check must be a mapping")
    if "problems" in check:
        kinds = check["problems"]
        if not isinstance(kinds, list) or not kinds or not all(isinstance(k, str) for k in kinds):
            raise ValueError("check.problems must be a list of loading problem kinds")
        return
    if "suppressions" in check:
        if check["suppressions"] != UNUSED_SUPPRESSIONS:
            raise ValueError(f"check.suppressions must be {UNUSED_SUPPRESSIONS!r}")
        return
    if "collect" in check or "finish" in check:
        for key in ("collect", "finish"):
            if not re.fullmatch(r"[\w.]+:\w+", str(check.get(key))):
                raise ValueError(f"check.{key} must look like package.module:function")
        return
    if check.get("stage", "catalog") not in STAGES:
        raise ValueError(f"check.stage must be one of {', '.join(STAGES)}")
    if "python" in check:
        if not re.fullmatch(r"[\w.]+:\w+", str(check["python"])):
            raise ValueError("check.python must look like package.module:function")
        return
    validate_declarative(check)


@cache
def python_check(ref: str) -> CheckFn:
    """Import ``module:function`` once."""
    module, _, name = ref.partition(":")
    return getattr(importlib.import_module(module), name)


def object_checks(rule: Rule) -> list[tuple[str, CheckFn]]:
    """The (stage, function) pairs that report ``rule`` on Jobs and CronJobs; [] for rules
    reported elsewhere (loading problems, suppressions) or without a check."""
    specs = rule.check if isinstance(rule.check, list) else [rule.check]
    out = []
    for spec in specs:
        if not isinstance(spec, dict) or "problems" in spec or "suppressions" in spec or "collect" in spec:
            continue
        fn = python_check(spec["python"]) if "python" in spec else compile_check(spec)
        if rule.skip_owned_by or rule.partial == "skip":
            fn = _where_it_applies(fn, frozenset(rule.skip_owned_by), rule.partial == "skip")
        out.append((spec.get("stage", "catalog"), fn))
    return out


def _where_it_applies(fn: CheckFn, owners: frozenset[str], skip_partial: bool) -> CheckFn:
    """``fn``, silent on objects the rule does not judge: those whose ownerReferences name one of
    ``owners`` (a CronJob's Jobs), and partial objects (kustomize patches, whose absent fields
    their base supplies) when ``skip_partial``. One wrapper, so each object pays one extra call."""

    def check(w: Workload, params: dict) -> Iterable[Hit]:
        if (skip_partial and w.partial) or (owners and w.owner_kinds & owners):
            return ()
        return fn(w, params)

    return check


def problem_kinds(rule: Rule) -> tuple[str, ...]:
    """The loading problem kinds ``rule`` reports."""
    check = rule.check
    return tuple(check["problems"]) if isinstance(check, dict) and "problems" in check else ()


def cross_object_check(rule: Rule) -> tuple[Callable, Callable] | None:
    """(collect, finish) of a cross-object rule, else None."""
    check = rule.check
    if isinstance(check, dict) and "collect" in check:
        return python_check(check["collect"]), python_check(check["finish"])
    return None


def reports_unused_suppressions(rule: Rule) -> bool:
    check = rule.check
    return isinstance(check, dict) and check.get("suppressions") == UNUSED_SUPPRESSIONS

