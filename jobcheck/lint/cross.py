"""Cross-object rules: rules that see every object of a run (JC312, the schedule pile-up, first).

Such a rule's check is ``{collect: module:function, finish: module:function}`` (jobcheck.lint.registry):

- **collect** ``fn(workload, params) -> (path, data) | None`` runs in the per-file pass, beside the
  object checks, and only when the rule is selected for the file: ``data`` is a small summary of the
  object (JSON values only: it is pickled back from ``--jobs`` workers and stored in the result
  cache with the file's entry), ``path`` the field a finding about the object would be reported on.
  The engine turns the pair into a *record* (``record``): the summary and the finding's template,
  already placed, with what would suppress it there;
- **finish** ``fn(items, params, now) -> [(index, message, fix | None)]`` runs once, after the last
  file, in the driver's process, over the items of every file in input order (each item is the
  summary with the record's ``file`` and ``line``); each result is a finding on ``items[index]``.

Suppressions apply as for any rule: ``--select``/``--ignore`` and a file's configuration decide
whether a file collects at all; a comment on the finding's line or block, a file-wide comment and
the object's ``jobcheck.dev/ignore`` annotation are matched when the file is linted (``suppressors``)
and used when finish reports. A suppression that only a cross-object finding could use is not judged
in the per-file pass: it is *deferred* (``defer``) and judged by ``finish`` (JC000), so a comment
that silences a pile-up is not reported as unused, and one that silences nothing still is.
"""

from __future__ import annotations

from collections.abc import Iterable

from jobcheck.finding import FIELD_ORDER, Finding, Severity, finding_order
from jobcheck.lint import suppress
from jobcheck.lint.options import LintOptions
from jobcheck.lint.registry import cross_object_check

# A record's finding template: the Finding's fields after ``file``, severity as an int (JSON).
_MESSAGE, _FIX = 7, 13


def template(finding: Finding) -> list:
    """``finding``'s fields but its file, as plain JSON values."""
    fields = [getattr(finding, name) for name in FIELD_ORDER[1:]]
    fields[6] = int(fields[6])
    return fields


def record(rule: str, data: dict, at: Finding, ignored: str | None, annotation: Finding | None) -> dict:
    """What one object tells a cross-object rule: its ``data``, where a finding goes (``at``), and the
    annotation code that exempts it (``ignored``; ``annotation``: where that annotation is)."""
    placed = template(at)
    placed[_FIX] = None  # the rule's own fix text, put back by finish: a record stays small
    return {"rule": rule, "data": data, "at": placed, "ignored": ignored,
            "annotation": template(annotation) if annotation is not None else None, "suppressed": []}


def _covers(d: suppress.Directive, line: int, rule: str, name: str) -> str | None:
    """The code of ``d`` that would silence a finding of ``rule`` at ``line`` (as suppress.apply)."""
    if not (d.file_wide or d.applies_to == line or line in d.blocks):
        return None
    if d.codes is None:
        return "*"
    return next((c for c in sorted(d.codes) if c in (rule, name) or c.lower() == "all"), None)


def suppressors(records: list[dict], directives: list[suppress.Directive]) -> None:
    """Note in each record the comments that would silence its finding: [(comment line, code)]."""
    for rec in records:
        at = rec["at"]
        rec["suppressed"] = [[d.line, code] for d in directives
                             if (code := _covers(d, at[0], rec["rule"], at[5])) is not None]


def defer(d: suppress.Directive, records: list[dict], options: LintOptions) -> dict | None:
    """A record of the unused suppression ``d`` when a cross-object finding could still use it (it
    covers a record's place), for ``finish`` to judge; None when it is stale whatever finish finds."""
    if not any(s[0] == d.line for rec in records for s in rec["suppressed"]):
        return None
    stale = None if d.codes is None else sorted(c for c in d.codes if c not in d.used and c not in options.inactive_codes)
    rid = options.unused_suppression_rule
    return {"line": d.line, "column": d.column, "end_column": d.end_column, "stale": stale, "rule": rid,
            "name": options.rules[rid].name, "severity": int(options.severity.get(rid, options.rules[rid].severity))}


def finish(files: Iterable[tuple[str, list[dict], list[dict]]], options: LintOptions) -> list[tuple[str, list[Finding]]]:
    """The findings of every cross-object rule over the records of ``files`` ((name, records,
    deferred suppressions), in input order), by file, in that order and sorted within a file.

    ``options`` are the run's (its parameters and clock); whether a file's objects take part, and
    their findings' severities, were decided by the file's own options when it was linted."""
    files = list(files)
    found: dict[str, list[Finding]] = {name: [] for name, _, _ in files}
    used: set[tuple[str, int, str]] = set()  # (file, comment line, code) used by a finding
    exempted: set[int] = set()  # ids of records whose annotation silenced a finding
    for rid in sorted({rec["rule"] for _, records, _ in files for rec in records}):
        fns = cross_object_check(options.rules[rid]) if rid in options.rules else None
        if fns is None:
            continue
        mine = [(name, rec) for name, records, _ in files for rec in records if rec["rule"] == rid]
        items = [{**rec["data"], "file": name, "line": rec["at"][0]} for name, rec in mine]
        for index, message, fix in fns[1](items, options.params.get(rid, {}), options.now):
            name, rec = mine[index]
            if rec["suppressed"]:
                used.update((name, line, code) for line, code in rec["suppressed"])
                continue
            if rec["ignored"] is not None:
                exempted.add(id(rec))
                continue
            fields = list(rec["at"])
            fields[_MESSAGE] = message
            fields[_FIX] = fix if fix is not None else options.fix_hints.get(rid)
            fields[6] = Severity(fields[6])
            found[name].append(Finding(name, *fields))
    for name, records, deferred in files:
        for rec in records:
            if rec["annotation"] is not None and id(rec) not in exempted:
                fields = list(rec["annotation"])
                fields[6] = Severity(fields[6])
                fields[_MESSAGE] = (f"annotation {suppress.ANNOTATION} suppresses {rec['ignored']}, "
                                    "which matches no finding")
                found[name].append(Finding(name, *fields))
        for d in deferred:
            codes_used = {code for file, line, code in used if file == name and line == d["line"]}
            if d["stale"] is None:
                if codes_used:
                    continue
                message = "suppression comment matches no finding"
            else:
                stale = [c for c in d["stale"] if c not in codes_used]
                if not stale:
                    continue
                message = f"suppression of {', '.join(stale)} matches no finding"
            found[name].append(Finding(name, d["line"], d["column"], d["rule"], d["line"], d["end_column"],
                                       d["name"], Severity(d["severity"]), message))
    return [(name, sorted(findings, key=finding_order)) for name, findings in found.items() if findings]


_TEMPLATE_TYPES = (int, int, str, int, int, str, int, str, str, int, str, str, str, (str, type(None)), (str, type(None)))


def _is_template(fields: object) -> bool:
    return (type(fields) is list and len(fields) == len(_TEMPLATE_TYPES)
            and all(isinstance(v, t) and type(v) is not bool for v, t in zip(fields, _TEMPLATE_TYPES, strict=True))
            and fields[6] in {int(level) for level in Severity})


def valid_records(records: object, deferred: object) -> bool:
    """Whether ``records`` and ``deferred`` read back from the result cache are as ``record`` and
    ``defer`` make them (a damaged entry is a miss, never a failure of ``finish``)."""
    if type(records) is not list or type(deferred) is not list:
        return False
    for rec in records:
        if (type(rec) is not dict or type(rec.get("rule")) is not str or type(rec.get("data")) is not dict
                or not _is_template(rec.get("at")) or not isinstance(rec.get("ignored"), (str, type(None)))
                or not (rec.get("annotation") is None or _is_template(rec.get("annotation")))
                or type(rec.get("suppressed")) is not list
                or not all(type(s) is list and len(s) == 2 and type(s[0]) is int and type(s[1]) is str
                           for s in rec["suppressed"])):
            return False
    for d in deferred:
        if (type(d) is not dict or not all(type(d.get(k)) is int for k in ("line", "column", "end_column", "severity"))
                or type(d.get("rule")) is not str or type(d.get("name")) is not str
                or d.get("severity") not in {int(level) for level in Severity}
                or not (d.get("stale") is None or (type(d["stale"]) is list and all(type(c) is str for c in d["stale"])))):
            return False
    return True
