"""The machine-readable report: one JSON object, schema in JSON_FORMAT.md (version 1)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from itertools import chain, repeat
from json.encoder import encode_basestring_ascii as _quote
from operator import attrgetter
from weakref import WeakKeyDictionary

from jobcheck import record
from jobcheck.finding import Columns, Finding, Severity, Summary, Texts
from jobcheck.report.base import ReportContext
from jobcheck.report.escape import unicode_safe
from jobcheck.rulemeta import Rule

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up, issue 13)
if TYPE_CHECKING:
    from typing import TextIO

FORMAT_VERSION = 1


def finding_dict(f: Finding) -> dict:
    """Return ``f`` as the JSON object JSON_FORMAT.md documents (unknown ends are null)."""
    return {
        "rule": f.rule,
        "name": f.name,
        "severity": str(f.severity),
        "message": f.message,
        "file": f.file,
        "line": f.line,
        "column": f.column,
        "end_line": f.end_line or None,
        "end_column": f.end_column or None,
        "field": f.field,
        "document": f.document,
        "kind": f.kind,
        "namespace": f.namespace,
        "object": f.object,
        "fix": f.fix,
        "source": f.source,
    }


def render(findings: list[Finding], summary: Summary, rules: Mapping[str, Rule], ctx: ReportContext) -> str:
    """Return the report as indented JSON (ASCII only, so any output encoding can carry it)."""
    head = {"version": FORMAT_VERSION, "tool": {"name": "jobcheck", "version": ctx.tool_version}, "findings": []}
    tail = {"summary": summary.as_dict()}
    if not findings:
        return json.dumps({**head, **tail}, indent=2) + "\n"
    # Serialised one finding at a time: a dict per finding for the whole report would cost
    # several times the output's size in memory on large runs.
    opening = json.dumps(head, indent=2)[: -len("[]\n}")] + "[\n"
    items = findings_json(findings)
    closing = "\n  ],\n" + json.dumps(tail, indent=2)[2:] + "\n"
    return opening + items + closing


def _dumps(value: object) -> str:
    """JSON for a finding's scalar values, through the C string encoder (json.dumps with indent is pure Python)."""
    if isinstance(value, str):
        return _quote(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)  # int


@lru_cache(maxsize=4096)
def _dumps_repeated(value: str | None) -> str:
    """_dumps for the fields that repeat from finding to finding: rule, name, file, field, fix..."""
    return _dumps(value)


_SEVERITY_JSON = {level: _quote(str(level)) for level in Severity}
_SEVERITY_BY_VALUE = [_SEVERITY_JSON[level] for level in sorted(Severity)]  # indexed: Enum's __hash__ is Python

# finding_json at the report's own indent, in three parts: the lines of a rule (rule, name), the
# finding's own lines, and the lines of an object (kind ... source), the first and last built once
# per rule and per object (bounded), since tens of thousands of findings share a few of each.
_I = ',\n      "'
_FIELDS = attrgetter("rule", "name", "severity", "message", "file", "line", "column", "end_line", "end_column",
                     "field", "document", "kind", "namespace", "object", "fix", "source")
_RULE_LINES: dict[tuple, str] = {}
_OBJECT_LINES: dict[tuple, str] = {}
_FIX_LINES: dict[tuple, str] = {}


def finding_json(f: Finding, prefix: str = "    ") -> str:
    """``json.dumps(finding_dict(f), indent=2)`` indented by ``prefix``, byte for byte, several times faster.

    Every value of a finding is a scalar, so the pretty layout is one "key": value per line;
    the keys are spelled out in finding_dict's order (a test holds the two together).
    """
    if prefix != "    ":
        return _finding_json(f, prefix)
    (rule, name, severity, message, file, line, column, end_line, end_column, field, document,
     kind, namespace, obj, fix, source) = _FIELDS(f)
    key = (rule, name)
    head = _RULE_LINES.get(key)
    if head is None:
        if len(_RULE_LINES) > 4096:
            _RULE_LINES.clear()
        head = _RULE_LINES[key] = f'    {{\n      "rule": {_dumps(rule)}{_I}name": {_dumps(name)}{_I}severity": '
    key = (kind, namespace, obj)
    tail = _OBJECT_LINES.get(key)
    if tail is None:
        if len(_OBJECT_LINES) > 64:  # an object's findings come together (sorted by line): a few suffice
            _OBJECT_LINES.clear()
        tail = _OBJECT_LINES[key] = f'{_I}kind": {_dumps(kind)}{_I}namespace": {_dumps(namespace)}{_I}object": {_dumps(obj)}'
    key = (fix, source)  # apart from the object's: an object's findings mostly have fixes of their own rules
    end = _FIX_LINES.get(key)
    if end is None:
        if len(_FIX_LINES) > 256:  # a rule's fix hint recurs; a fix made for one object (JC312's) rarely does
            _FIX_LINES.clear()
        end = _FIX_LINES[key] = f'{_I}fix": {_dumps(fix)}{_I}source": {_dumps(source)}\n    }}'
    return (
        f'{head}{_SEVERITY_BY_VALUE[severity]}{_I}message": {_quote(message)}{_I}file": {_dumps_repeated(file)}'
        f'{_I}line": {line}{_I}column": {column}{_I}end_line": {end_line or "null"}{_I}end_column": '
        f'{end_column or "null"}{_I}field": {_dumps_repeated(field)}{_I}document": {document}{tail}{end}'
    )


def _finding_json(f: Finding, prefix: str) -> str:
    """finding_json at any indent."""
    q = _dumps_repeated
    i = ",\n" + prefix + '  "'
    return (
        f'{prefix}{{\n{prefix}  "rule": {q(f.rule)}{i}name": {q(f.name)}{i}severity": {_SEVERITY_JSON[f.severity]}'
        f'{i}message": {_quote(f.message)}{i}file": {q(f.file)}{i}line": {f.line}{i}column": {f.column}'
        f'{i}end_line": {f.end_line or "null"}{i}end_column": {f.end_column or "null"}{i}field": {q(f.field)}'
        f'{i}document": {f.document}{i}kind": {q(f.kind)}{i}namespace": {q(f.namespace)}{i}object": {q(f.object)}'
        f'{i}fix": {q(f.fix)}{i}source": {q(f.source)}\n{prefix}}}'
    )


def findings_json(findings: list[Finding]) -> str:
    """``finding_json`` of each finding, joined by ",\\n". A string with a surrogate (a YAML
    ``"\\ud800"`` escape, an undecodable byte of a file name) would be a ``\\udXXX`` escape that
    strict parsers refuse: the rare batch that has one is written again with it escaped visibly."""
    text = ",\n".join(map(finding_json, findings))
    if "\\ud" in text:
        text = ",\n".join(finding_json(_unicode_safe(f)) for f in findings)
    return text


# columns_json's pieces between a finding's values, after its message.
_AFTER_LINE = f'{_I}column": '
_AFTER_COLUMN = f'{_I}end_line": '
_AFTER_END_LINE = f'{_I}end_column": '
_NULL_ZERO = {0: "null"}  # an unknown end, stored as 0
_NUMBERS = tuple(map(str, range(1024)))  # most lines, columns and documents: looked up, not formatted
_ENDS = ("null", *_NUMBERS[1:])


def _numbers(values: Sequence[int], null_zero: bool = False) -> Iterator[str]:
    """``values`` as JSON: each ``str(value)``, or null for a 0 with ``null_zero``."""
    if not values or max(values) < len(_NUMBERS):
        return map((_ENDS if null_zero else _NUMBERS).__getitem__, values)
    return map(_NULL_ZERO.get, values, map(str, values)) if null_zero else map(str, values)


class Quoted:
    """The texts of a table (``Columns.texts``: a cache pack's, shared by its files, already JSON
    strings) and the pieces of a finding's JSON built from them, kept from one file to the next:
    the lines of a rule (rule, name, severity), of a field, and the last two (fix, source), by
    their numbers."""

    __slots__ = ("quoted", "nullable", "heads", "fields", "ends", "surrogates")

    def __init__(self, texts: Texts) -> None:
        self.quoted = texts.quoted  # not the table itself: Stream.tables holds it weakly
        self.nullable = ["null", *texts.quoted]  # fix and source: 0 for null, else the index plus one
        self.heads: dict[tuple[int, int, int], str] = {}
        self.fields: dict[int, str] = {}
        self.ends: dict[tuple[int, int], str] = {}
        # Whether a text escapes a lone surrogate (see findings_json); the pieces around the texts
        # hold no backslash, and a quoted text begins and ends with a quote: only a text can.
        self.surrogates = "\\ud" in "".join(texts.quoted)


def columns_json(found: Columns, table: Quoted) -> str:
    """``",\n" + findings_json(found.findings())`` (each finding after a separator, so a report
    of many files writes each text as it is) from the columns as they are (a warm run's stored
    findings), byte for byte, without building a Finding: each value is picked from ``table``
    (``found.texts`` as JSON) or formatted by C code, and the pieces are joined at once."""
    (rule, name, message, field, kind, namespace, obj, fix, source, severity, line, column,
     end_line, end_column, document) = found.columns
    quoted, heads, fields, ends = table.quoted, table.heads, table.fields, table.ends
    for key in set(zip(rule, name, severity, strict=True)):
        if key not in heads:
            heads[key] = (f',\n    {{\n      "rule": {quoted[key[0]]}{_I}name": {quoted[key[1]]}{_I}severity": '
                          f'{_SEVERITY_BY_VALUE[key[2]]}{_I}message": ')
    for n in set(field):
        if n not in fields:
            fields[n] = f'{_I}field": {quoted[n]}{_I}document": '
    for key in set(zip(fix, source, strict=True)):
        if key not in ends:
            ends[key] = f'{_I}fix": {table.nullable[key[0]]}{_I}source": {table.nullable[key[1]]}\n    }}'
    objects = {key: f'{_I}kind": {quoted[key[0]]}{_I}namespace": {quoted[key[1]]}{_I}object": {quoted[key[2]]}'
               for key in set(zip(kind, namespace, obj, strict=True))}  # an object's findings are in one file
    at = f'{_I}file": {_quote(found.file)}{_I}line": '
    # Not strict: the pieces between values repeat without end (the columns have ``count`` each).
    pieces = zip(map(heads.__getitem__, zip(rule, name, severity, strict=True)),  # noqa: B905
                 map(quoted.__getitem__, message), repeat(at), _numbers(line), repeat(_AFTER_LINE), _numbers(column),
                 repeat(_AFTER_COLUMN), _numbers(end_line, True), repeat(_AFTER_END_LINE), _numbers(end_column, True),
                 map(fields.__getitem__, field), _numbers(document),
                 map(objects.__getitem__, zip(kind, namespace, obj, strict=True)),
                 map(ends.__getitem__, zip(fix, source, strict=True)))
    text = "".join(chain.from_iterable(pieces))
    if (table.surrogates or "\\ud" in at) and "\\ud" in text:
        return ",\n" + findings_json(found.findings())
    return text


def _unicode_safe(f: Finding) -> Finding:
    changes = {name: unicode_safe(value) for name in _TEXT_FIELDS if isinstance(value := getattr(f, name), str)}
    return record.replace(f, **changes)


_TEXT_FIELDS = ("file", "rule", "name", "message", "field", "kind", "namespace", "object", "fix", "source")


MAX_TAKEN = 4 << 20  # characters of one file's findings a recording Stream holds (see ``take``)


class Stream:
    """The JSON report written as findings arrive: the same bytes as ``render``."""

    def __init__(self, out: TextIO, ctx: ReportContext) -> None:
        self.out, self.ctx = out, ctx
        self.head = {"version": FORMAT_VERSION, "tool": {"name": "jobcheck", "version": ctx.tool_version},
                     "findings": []}
        self.any = False
        # A table's pieces, for as long as its texts live: a pack's for the run (the cache holds it),
        # a stream file's chunk's until the chunk is written (a 20k-document stream has 80 of them).
        self.tables: WeakKeyDictionary[Texts, Quoted] = WeakKeyDictionary()
        self.taken: list[str] | None = None  # what was written since the last ``take``, when recording
        self.taken_size = 0  # its characters; past ``MAX_TAKEN``, nothing until the next ``take``

    def _lead(self) -> str:
        """What comes before the next findings: the report's opening, or the separator."""
        if self.any:
            return ",\n"
        self.any = True
        return json.dumps(self.head, indent=2)[: -len("[]\n}")] + "[\n"

    def record(self, on: bool = True) -> None:
        """Keep what is written of findings from now on, for ``take`` (the result cache keeps it),
        or, with ``on`` false, no longer."""
        self.taken = [] if on else None
        self.taken_size = 0

    def take(self) -> str:
        """The findings written since the last call (each after a separator: ``columns_json``'s form);
        empty when they were more than ``MAX_TAKEN`` characters (a long stream's are not held)."""
        taken, self.taken = self.taken, []
        size, self.taken_size = self.taken_size, 0
        return "".join(taken) if taken and size <= MAX_TAKEN else ""

    def _keep(self, *texts: str) -> None:
        size = self.taken_size = self.taken_size + sum(map(len, texts))
        if size <= MAX_TAKEN:
            self.taken += texts
        else:
            self.taken.clear()

    def add(self, file: str, findings: list[Finding]) -> None:
        if findings:  # one write per batch: under PYTHONUNBUFFERED each is a system call
            text = findings_json(findings)
            self.out.write(self._lead() + text)
            if self.taken is not None:
                self._keep(",\n", text)

    def add_columns(self, file: str, found: Columns) -> None:
        """``add`` of a cached file's findings as the cache holds them (``Columns``)."""
        if not found.count:
            return
        table = self.tables.get(found.texts)
        if table is None:
            table = self.tables[found.texts] = Quoted(found.texts)
        text = columns_json(found, table)  # after a separator: the report's first findings replace it
        self.out.write(text if self.any else self._lead() + text[2:])
        if self.taken is not None:
            self._keep(text)

    def add_json(self, file: str, text: str) -> None:
        """``add`` of a cached file's findings as this report wrote them before (``take``)."""
        if text:
            self.out.write(text if self.any else self._lead() + text[2:])

    def close(self, summary: Summary) -> None:
        tail = {"summary": summary.as_dict()}
        if not self.any:
            self.out.write(json.dumps({**self.head, **tail}, indent=2) + "\n")
        else:
            self.out.write("\n  ],\n" + json.dumps(tail, indent=2)[2:] + "\n")
