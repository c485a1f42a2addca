"""Cross-object rules: rules that see every object of a run (JC312, the schedule pile-up, first).

Such a rule's check is ``{collect: module:function, finish: module:function}`` (jobcheck.lint.registry):

- **collect** ``fn(workload, params) -> (path, data) | None`` runs in the per-file pass, beside the
  object checks, and only when the rule is selected for the file: ``data`` is a small summary of the
  object (JSON values only: it is pickled back from ``--jobs`` workers and stored in the result
  cache with the file's entry), ``path`` the field a finding about the object would be reported on.
  The engine turns the pair into a *record* (``record``): the summary and the finding's template,
  already placed, with what would suppress it there;
- **finish** ``fn(items, params, now, memo) -> iterator of (index, message, fix | None)`` runs once,
  after the last file, in the driver's process, over the items of every file in input order (a
  sequence: each item is the summary with the record's ``file`` and ``line``, made when it is read);
  each result is a finding on ``items[index]``, **in ascending index order**, so the findings can go
  to the report as they are made. ``memo`` is a mapping of JSON values that persists across runs
  (the result cache's, or a dict) for work that does not change within a day; None without one.

A file's records are held packed (``Records``: compressed JSON by blocks of ``BLOCK``, which the
result cache stores as they are, the open block as plain JSON): a stream of ten thousand CronJobs
keeps about 33 bytes a record until finish reads them back, a block at a time.

Suppressions apply as for any rule: ``--select``/``--ignore`` and a file's configuration decide
whether a file collects at all; a comment on the finding's line or block, a file-wide comment and
the object's ``jobcheck.dev/ignore`` annotation are matched when the file is linted (``suppressors``)
and used when finish reports. A suppression that only a cross-object finding could use is not judged
in the per-file pass: it is *deferred* (``defer``) and judged by ``finish`` (JC000), so a comment
that silences a pile-up is not reported as unused, and one that silences nothing still is.
"""

from __future__ import annotations

import binascii
import json
import zlib
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence

from jobcheck.finding import FIELD_ORDER, Finding, Severity, finding_order
from jobcheck.lint import suppress
from jobcheck.lint.options import LintOptions
from jobcheck.lint.registry import cross_object_check

# A record: [rule, data, at, ignored, annotation, suppressed]; ``at`` and ``annotation`` are finding
# templates (the Finding's fields after ``file``, severity as an int), ``suppressed`` [[line, code], ...].
RULE, DATA, AT, IGNORED, ANNOTATION, SUPPRESSED = range(6)
_MESSAGE, _FIX = 7, 13  # in a template
BLOCK = 64  # records packed together (a block read back is about 75 KB)
CHUNK = 50  # findings handed to the report at once (with their text, a few KB each: the finish's peak)


def template(finding: Finding) -> list:
    """``finding``'s fields but its file, as plain JSON values."""
    fields = [getattr(finding, name) for name in FIELD_ORDER[1:]]
    fields[6] = int(fields[6])
    return fields


def record(rule: str, data: dict, at: Finding, ignored: str | None, annotation: Finding | None) -> list:
    """What one object tells a cross-object rule: its ``data``, where a finding goes (``at``), and the
    annotation code that exempts it (``ignored``; ``annotation``: where that annotation is)."""
    placed = template(at)
    placed[_FIX] = None  # the rule's own fix text, put back by finish: a record stays small
    return [rule, data, placed, ignored, template(annotation) if annotation is not None else None, []]


def _pack(records: list[list]) -> bytes:
    return zlib.compress(json.dumps(records, separators=(",", ":")).encode(), 6)


def _unpack(block: bytes) -> list[list]:
    return json.loads(zlib.decompress(block))


class Records:
    """A file's records in input order, packed by blocks of ``BLOCK`` (compressed JSON: the result
    cache stores them as they are); the last block stays open until it is full."""

    __slots__ = ("_blocks", "_tail", "_seen")

    def __init__(self, records: Iterable[list] = ()) -> None:
        self._blocks: list[bytes] = []
        self._tail: list[list] = []
        self._seen: tuple[int, list] | None = None  # the block last read back
        for rec in records:
            self.append(rec)

    def append(self, rec: list) -> None:
        self._tail.append(rec)
        if len(self._tail) == BLOCK:
            self._blocks.append(_pack(self._tail))
            self._tail = []

    def _block(self, n: int) -> list:
        if n == len(self._blocks):
            return self._tail
        seen = self._seen
        if seen is None or seen[0] != n:
            seen = self._seen = (n, _unpack(self._blocks[n]))
        return seen[1]

    def __getitem__(self, i: int) -> list:
        return self._block(i // BLOCK)[i % BLOCK]

    def __iter__(self) -> Iterator[list]:
        for block in self._blocks:
            yield from _unpack(block)
        yield from self._tail

    def __len__(self) -> int:
        return len(self._blocks) * BLOCK + len(self._tail)

    def __bool__(self) -> bool:
        return bool(self._blocks or self._tail)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Records) and len(self) == len(other) and all(
            a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> tuple:  # --jobs workers send them packed
        return _restored, (self._blocks, self._tail)

    def to_json(self) -> list:
        """The blocks as base64 text, for the result cache, then the open one's records as they are
        (a file of a few objects, the most common, is then read back at the speed of its pack's JSON)."""
        blocks: list = [binascii.b2a_base64(b, newline=False).decode("ascii") for b in self._blocks]
        return blocks + [self._tail] if self._tail else blocks

    @classmethod
    def from_json(cls, stored: object) -> Records | None:
        """Records as ``to_json`` gave them, each checked; None when any is damaged (a cache miss)."""
        if type(stored) is not list:
            return None
        out = cls()
        for n, text in enumerate(stored):
            if type(text) is list and n == len(stored) - 1:  # the open block
                if not 0 < len(text) < BLOCK or not all(map(_valid, text)):
                    return None
                out._tail = text
                continue
            try:
                block = binascii.a2b_base64(text.encode("ascii")) if type(text) is str else b""
                records = _unpack(block)
            except (ValueError, UnicodeError, zlib.error, RecursionError):
                return None
            if type(records) is not list or len(records) != BLOCK or not all(map(_valid, records)):
                return None
            out._blocks.append(block)
        return out


def _restored(blocks: list[bytes], tail: list[list]) -> Records:
    records = Records()
    records._blocks, records._tail = blocks, tail
    return records


def _covers(d: suppress.Directive, line: int, rule: str, name: str) -> str | None:
    """The code of ``d`` that would silence a finding of ``rule`` at ``line`` (as suppress.apply)."""
    if not (d.file_wide or d.applies_to == line or line in d.blocks):
        return None
    if d.codes is None:
        return "*"
    return next((c for c in sorted(d.codes) if c in (rule, name) or c.lower() == "all"), None)


def suppressors(records: Records, directives: list[suppress.Directive]) -> Records:
    """``records`` with the comments that would silence each one's finding: [[comment line, code], ...]."""
    out = Records()
    for rec in records:
        at = rec[AT]
        rec[SUPPRESSED] = [[d.line, code] for d in directives if (code := _covers(d, at[0], rec[RULE], at[5])) is not None]
        out.append(rec)
    return out


def defer(d: suppress.Directive, records: Records, options: LintOptions) -> dict | None:
    """A record of the unused suppression ``d`` when a cross-object finding could still use it (it
    covers a record's place), for ``finish`` to judge; None when it is stale whatever finish finds."""
    if not any(s[0] == d.line for rec in records for s in rec[SUPPRESSED]):
        return None
    stale = None if d.codes is None else sorted(c for c in d.codes if c not in d.used and c not in options.inactive_codes)
    rid = options.unused_suppression_rule
    return {"line": d.line, "column": d.column, "end_column": d.end_column, "stale": stale, "rule": rid,
            "name": options.rules[rid].name, "severity": int(options.severity.get(rid, options.rules[rid].severity))}


class _Items(Sequence):
    """A rule's items: each record's summary with its ``file`` and ``line``, made when read."""

    def __init__(self, files: list[tuple[str, Records, list]], starts: list[int], positions: array) -> None:
        self._files, self._starts, self._positions = files, starts, positions

    def __len__(self) -> int:
        return len(self._positions)

    def __getitem__(self, index):  # type: ignore[override]
        p = self._positions[index]
        f = bisect_right(self._starts, p) - 1
        name, records, _ = self._files[f]
        rec = records[p - self._starts[f]]
        return {**rec[DATA], "file": name, "line": rec[AT][0]}

    def __iter__(self) -> Iterator[dict]:
        return (self[i] for i in range(len(self._positions)))


def _finding(name: str, fields: tuple | list, message: str | None = None, fix: str | None = None) -> Finding:
    fields = list(fields)
    fields[6] = Severity(fields[6])
    if message is not None:
        fields[_MESSAGE] = message
        fields[_FIX] = fix
    return Finding(name, *fields)


def finish(files: Iterable[tuple[str, Records, list[dict]]], options: LintOptions,
           memo: dict | None = None) -> Iterator[tuple[str, list[Finding]]]:
    """The findings of every cross-object rule over the records of ``files`` ((name, records,
    deferred suppressions), in input order): (file, findings) in input order, sorted within a file,
    in chunks of up to ``CHUNK`` (a file may come in several).

    ``options`` are the run's (its parameters and clock); whether a file's objects take part, and
    their findings' severities, were decided by the file's own options when it was linted."""
    files = list(files)
    starts: list[int] = []
    positions: dict[str, array] = {}  # rule -> the global positions of its records
    ordered: list[bool] = []  # whether a file's records come in the order of their findings' places
    p = 0
    for _, records, _ in files:
        starts.append(p)
        last = None
        in_order = True
        for rec in records:
            positions.setdefault(rec[RULE], array("i")).append(p)
            p += 1
            places = [rec[AT][:5]] + ([rec[ANNOTATION][:5]] if rec[ANNOTATION] is not None else [])
            if last is not None and min(places) <= last:
                in_order = False
            last = max(places)
        ordered.append(in_order)
    hits: list[tuple[array, Iterator]] = []  # per rule: its positions, its (index, message, fix) in order
    for rid in sorted(positions):
        fns = cross_object_check(options.rules[rid]) if rid in options.rules else None
        if fns is not None:
            items = _Items(files, starts, positions[rid])
            hits.append((positions[rid], iter(fns[1](items, options.params.get(rid, {}), options.now, memo))))
    pending = [next(it, None) for _, it in hits]
    for f, (name, records, deferred) in enumerate(files):
        streamed = ordered[f] and not deferred  # else held and sorted at the file's end (rare)
        out: list[Finding] = []
        used: set[tuple[int, str]] = set()  # (comment line, code) used by a finding
        for r, rec in enumerate(records):
            p = starts[f] + r
            found = []
            for h, (where, it) in enumerate(hits):
                while pending[h] is not None and where[pending[h][0]] == p:
                    found.append(pending[h])
                    pending[h] = next(it, None)
                if pending[h] is not None and where[pending[h][0]] < p:
                    raise RuntimeError(f"rule {rec[RULE]}'s finish gave its findings out of order")
            exempted = False
            mine = []
            if found and rec[SUPPRESSED]:
                used.update((line, code) for line, code in rec[SUPPRESSED])
            elif found and rec[IGNORED] is not None:
                exempted = True
            else:
                hint = options.fix_hints.get(rec[RULE])
                mine = [_finding(name, rec[AT], message, fix if fix is not None else hint) for _, message, fix in found]
            if rec[ANNOTATION] is not None and not exempted:
                mine.append(_finding(name, rec[ANNOTATION], f"annotation {suppress.ANNOTATION} suppresses "
                                                              f"{rec[IGNORED]}, which matches no finding",
                                     rec[ANNOTATION][_FIX]))
            out.extend(sorted(mine, key=finding_order) if len(mine) > 1 else mine)
            if streamed and len(out) >= CHUNK:
                yield name, out
                out = []
        for d in deferred:
            codes_used = {code for line, code in used if line == d["line"]}
            if d["stale"] is None:
                if codes_used:
                    continue
                message = "suppression comment matches no finding"
            else:
                stale = [c for c in d["stale"] if c not in codes_used]
                if not stale:
                    continue
                message = f"suppression of {', '.join(stale)} matches no finding"
            out.append(Finding(name, d["line"], d["column"], d["rule"], d["line"], d["end_column"],
                               d["name"], Severity(d["severity"]), message))
        if out:
            yield name, out if streamed else sorted(out, key=finding_order)


# The field types of a template (``fix`` and ``source`` may be null); type() never names bool for int.
_TEMPLATE_SHAPES = frozenset(
    (int, int, str, int, int, str, int, str, str, int, str, str, str, fix, source)
    for fix in (str, type(None)) for source in (str, type(None)))
_LEVELS = frozenset(int(level) for level in Severity)


def _is_template(fields: object) -> bool:
    return type(fields) is list and tuple(map(type, fields)) in _TEMPLATE_SHAPES and fields[6] in _LEVELS


def _valid(rec: object) -> bool:
    """Whether ``rec``, read back from the result cache, is as ``record`` and ``suppressors`` make it."""
    return (type(rec) is list and len(rec) == 6 and type(rec[RULE]) is str and type(rec[DATA]) is dict
            and _is_template(rec[AT]) and isinstance(rec[IGNORED], (str, type(None)))
            and (rec[ANNOTATION] is None or _is_template(rec[ANNOTATION]))
            and type(rec[SUPPRESSED]) is list
            and all(type(s) is list and len(s) == 2 and type(s[0]) is int and type(s[1]) is str for s in rec[SUPPRESSED]))


def valid_deferred(deferred: object) -> bool:
    """Whether ``deferred`` read back from the result cache is as ``defer`` makes it (a damaged
    entry is a miss, never a failure of ``finish``)."""
    if type(deferred) is not list:
        return False
    for d in deferred:
        if (type(d) is not dict or not all(type(d.get(k)) is int for k in ("line", "column", "end_column", "severity"))
                or type(d.get("rule")) is not str or type(d.get("name")) is not str
                or d.get("severity") not in {int(level) for level in Severity}
                or not (d.get("stale") is None or (type(d["stale"]) is list and all(type(c) is str for c in d["stale"])))):
            return False
    return True
