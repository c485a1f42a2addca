"""The result cache: a file linted before, unchanged, under the same settings, is not linted again.

As ruff does, one entry per file, kept under ``.jobcheck_cache/`` at the project root (see
``cache_dir``). An entry's key digests everything its findings depend on:

- the file's name as reported, whether it is a kustomize patch, and the digest of its bytes;
- the settings it is linted with (``settings_digest``): every known rule's definition, the
  selection, severities, parameters, the Kubernetes version, strictness and a fixed clock;
- the code (``code_digest``): jobcheck's version and the size and modification time of each of
  its source, rule and schema files, so editing a dev checkout invalidates every entry.

An entry holds what every report format needs of the file: its findings (already redacted, the
same fields the JSON report prints), its counts and the reasons documents were skipped. Code
frames (``--show-source``) read the file again, as they do without the cache. Entries are JSON,
never pickle (a cache directory is data, it must not run code), written to a temporary file and
renamed into place, so runs sharing the directory see whole entries or none; an entry that does
not read back (truncated, another format, another key) is a miss and is written again.

Four schedule rules look ahead from the current minute (JC304, JC309, JC310, JC311: their check
functions read the workload's ``now``; ``clock_rules`` finds them). Their verdicts slide with the
clock: the next four runs named by JC310, the DST changes within a year named by JC311, the
shortest gap among the next 60 runs (JC309), a fire time within five years (JC304). When one of
them is selected, the entry of a file holding a CronJob is valid on the UTC day it was written
only, and one of their findings that names a date (an upcoming run, a DST change) binds it to the
minute it was written: such a message may change from one minute to the next. Verdicts that
change with a sliding window and name no date (a DST change entering JC309's 60 runs) are
reported at most a day late. A fixed clock (``LintOptions.now``) is part of the key instead.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import repeat
from operator import attrgetter

from jobcheck.finding import Finding, Severity
from jobcheck.lint.engine import FileResult
from jobcheck.lint.options import LintOptions
from jobcheck.redact import LazyPattern

FORMAT = 1  # the entries' layout; a new layout gets a new directory, and old entries are never read
DIRNAME = ".jobcheck_cache"
ENV = "JOBCHECK_CACHE_DIR"
ROOT_MARKERS = (".jobcheck.yaml", ".jobcheck.yml", "pyproject.toml", ".git")
_CHUNK = 1 << 20

# Findings are stored as columns, one per field but the file (the entry's key holds the name), in
# this order, all numbers: a text is its index in the entry's table of texts (a rule's name and the
# object's names recur in every finding of a file: stored once, read once), -1 is null, and a fix
# that is the rule's own hint (LintOptions.fix_hints) is -2. Columns check and decode at C speed.
_FIELDS = ("line", "column", "rule", "end_line", "end_column", "name", "severity", "message", "field", "document",
           "kind", "namespace", "object", "fix", "source")
_TEXTS = frozenset({2, 5, 7, 8, 10, 11, 12, 13, 14})  # the text fields
_NULL, _RULE_HINT = -1, -2
_INT, _STR = {int}, {str}
_SEVERITY = {int(level): level for level in Severity}
_DATE = LazyPattern(r"\d{4}-\d{2}-\d{2}")  # a date in a message: it names upcoming runs or DST changes


def cache_dir(paths: Iterable[str], cwd: str | None = None) -> str:
    """Where the cache of a run over ``paths`` lives: ``$JOBCHECK_CACHE_DIR`` when set, else
    ``.jobcheck_cache`` in the project root: the nearest directory at or above the paths' common
    directory that holds a jobcheck config, a ``pyproject.toml`` or ``.git``; without one, the
    working directory (as ruff does)."""
    moved = os.environ.get(ENV)
    if moved:
        return os.path.abspath(moved)
    cwd = cwd or os.getcwd()
    dirs = [os.path.dirname(os.path.abspath(p)) if not os.path.isdir(p) else os.path.abspath(p) for p in paths]
    start = os.path.commonpath(dirs) if dirs else cwd
    here = start
    while True:
        if any(os.path.exists(os.path.join(here, marker)) for marker in ROOT_MARKERS):
            return os.path.join(here, DIRNAME)
        parent = os.path.dirname(here)
        if parent == here:
            return os.path.join(cwd, DIRNAME)
        here = parent


_CODE: list[str] = []


def code_digest() -> str:
    """jobcheck's version and the (path, size, mtime) of every file of its code and data, once a process.

    About 180 files: one ``scandir`` per directory and one stat per file, the text hashed at once
    (os.walk and os.path.relpath cost a pre-commit run more than the stats themselves)."""
    if _CODE:
        return _CODE[0]
    import jobcheck
    from jobcheck.data import data_dir

    digest = hashlib.blake2b(jobcheck.__version__.encode(), digest_size=16)
    package = os.path.dirname(os.path.abspath(jobcheck.__file__))
    parts: list[str] = []
    for top in (package, str(data_dir("rules")), str(data_dir("schemas"))):
        _code_files(top, "", parts)
    digest.update("".join(parts).encode())
    _CODE.append(digest.hexdigest())
    return _CODE[0]


def _code_files(directory: str, rel: str, parts: list[str]) -> None:
    """Append ``relative path\0size\0mtime\n`` for the code and data files under ``directory``:
    a directory's files by name, then its subdirectories by name (os.walk's order)."""
    with os.scandir(directory) as it:
        entries = sorted(it, key=attrgetter("name"))
    subdirs = []
    for entry in entries:
        if entry.is_dir():
            if entry.name != "__pycache__":
                subdirs.append(entry)
        elif entry.name.endswith((".py", ".yaml", ".yml", ".json")):
            info = entry.stat()
            parts.append(f"{rel}{entry.name}\0{info.st_size}\0{info.st_mtime_ns}\n")
    for sub in subdirs:
        _code_files(sub.path, f"{rel}{sub.name}{os.sep}", parts)


def settings_digest(options: LintOptions) -> str:
    """What, besides a file's bytes and name, its findings depend on (fail-on is not among them)."""
    state = {
        "code": code_digest(),
        # A rule's repr shows every field, its raw check spec included (plain data from YAML, no sets,
        # so the same in every process: tests/test_cache.py checks under two hash seeds).
        "rules": [repr(options.rules[rid]) for rid in sorted(options.rules)],
        "active": sorted(options.active),
        "kubernetes_version": options.kubernetes_version,
        "strict": options.strict,
        "severity": {rid: int(level) for rid, level in sorted(options.severity.items())},
        "params": options.params,
        "now": options.now.isoformat() if options.now is not None else None,
        # Custom rules may name checks in modules of their own: those modules' files count as code.
        "modules": sorted({_module_state(spec.partition(":")[0]) for rule in options.rules.values()
                           for spec in _python_checks(rule.check) if not spec.startswith("jobcheck.")}),
    }
    text = json.dumps(state, sort_keys=True, default=repr)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _module_state(module: str) -> tuple:
    """(module, its file, size, mtime) of a check module outside jobcheck, found without importing it."""
    import importlib.util

    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):  # a missing parent package: the run will say so when it imports it
        return (module,)
    origin = spec.origin if spec is not None else None
    if not origin or not os.path.isfile(origin):
        return (module, origin)
    info = os.stat(origin)
    return (module, origin, info.st_size, info.st_mtime_ns)


def clock_rules(options: LintOptions) -> frozenset[str]:
    """The rules whose Python check reads the workload's clock (``w.now``): their findings may
    change from one minute to the next."""
    import importlib

    found = set()
    for rid, rule in options.rules.items():
        for spec in _python_checks(rule.check):
            module, _, name = spec.partition(":")
            fn = getattr(importlib.import_module(module), name, None)
            if fn is not None and "now" in getattr(getattr(fn, "__code__", None), "co_names", ()):
                found.add(rid)
    return frozenset(found)


def _python_checks(spec: object) -> Iterable[str]:
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key == "python" and isinstance(value, str) and ":" in value:
                yield value
            else:
                yield from _python_checks(value)
    elif isinstance(spec, list):
        for item in spec:
            yield from _python_checks(item)


def current_minute() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M")


@dataclass(frozen=True)
class Probe:
    """A file about to be linted: its entry's key, and its state when the key was taken."""

    key: str
    state: tuple[int, int, int]  # size, mtime, inode: the file must still be so when its result is stored


def _state(info: os.stat_result) -> tuple[int, int, int]:
    return (info.st_size, info.st_mtime_ns, info.st_ino)


class Cache:
    """The entries in ``directory``; created on the first entry written. A directory that cannot
    be written leaves the run uncached, never failed."""

    def __init__(self, directory: str) -> None:
        self.directory = directory
        self.entries = os.path.join(directory, str(FORMAT))
        self.writable: bool | None = None  # unknown until the first store
        self._settings: dict[int, tuple[LintOptions, str]] = {}
        self._clock: dict[int, frozenset[str]] = {}
        self.minute = current_minute()  # one clock per run, as the rules have (reference_minute)

    def __getstate__(self) -> dict:  # sent to --jobs workers under spawn: each digests its own options
        state = self.__dict__.copy()
        state["_settings"], state["_clock"] = {}, {}
        return state

    def _digest_of(self, options: LintOptions) -> str:
        known = self._settings.get(id(options))
        if known is None:  # the options are kept with their digest: their id is not reused meanwhile
            known = self._settings[id(options)] = (options, settings_digest(options))
        return known[1]

    def _clock_of(self, options: LintOptions) -> frozenset[str]:
        self._digest_of(options)  # keeps the options alive under their id
        known = self._clock.get(id(options))
        if known is None:  # only when storing: a run that only reads entries imports no check
            known = self._clock[id(options)] = clock_rules(options)
        return known

    def probe(self, path: str, name: str, partial: bool, options: LintOptions) -> Probe | None:
        """The key of ``path``'s entry, from its bytes (read in chunks, never held whole); None
        when it is not a regular file or cannot be read (linting it will say why)."""
        settings = self._digest_of(options)
        digest = hashlib.blake2b(digest_size=20)
        digest.update(f"{settings}\0{int(partial)}\0{name}\0".encode("utf-8", "surrogatepass"))
        try:
            if not stat.S_ISREG(os.stat(path).st_mode):
                return None  # a FIFO or a device is read once, by the linter (opening it here would block)
            with open(path, "rb") as handle:
                info = os.fstat(handle.fileno())
                while chunk := handle.read(_CHUNK):
                    digest.update(chunk)
        except OSError:
            return None
        return Probe(digest.hexdigest(), _state(info))

    def _entry_path(self, key: str) -> str:
        return os.path.join(self.entries, key + ".json")  # one flat directory: no mkdir per entry

    def load(self, probe: Probe, options: LintOptions) -> FileResult | None:
        """The stored result of ``probe``'s file, or None: no entry, or one that does not read back."""
        try:
            with open(self._entry_path(probe.key), "rb") as handle:
                data = handle.read()
        except OSError:
            return None
        try:
            entry = json.loads(data)
        except ValueError:  # truncated or not JSON: a miss, written again
            return None
        return self._result(entry, probe.key, options.fix_hints)

    def _result(self, entry: object, key: str, hints: dict[str, str | None]) -> FileResult | None:
        """The result an entry holds, when it is one of this format and key, whole and well typed."""
        if not isinstance(entry, dict) or entry.get("format") != FORMAT or entry.get("key") != key:
            return None
        day, minute = entry.get("day"), entry.get("minute")
        if (day is not None and day != self.minute[:10]) or (minute is not None and minute != self.minute):
            return None
        counts = [entry.get(name) for name in ("documents", "jobs", "cronjobs", "skipped", "linted")]
        skips, columns, texts, name = entry.get("skips"), entry.get("findings"), entry.get("texts"), entry.get("file")
        if not all(type(n) is int for n in counts) or not isinstance(name, str):
            return None
        if not isinstance(skips, list) or not set(map(type, skips)) <= _STR:
            return None
        if not isinstance(texts, list) or not set(map(type, texts)) <= _STR:
            return None
        if not isinstance(columns, list) or len(columns) != len(_FIELDS) or not all(
                isinstance(c, list) and len(c) == len(columns[0]) for c in columns):
            return None
        decoded = []
        table = texts + [None, None]  # -1: null, -2: the rule's hint (below)
        for k, column in enumerate(columns):
            if not column:
                decoded.append(column)
            elif not set(map(type, column)) <= _INT:
                return None
            elif k == 6:  # the severity
                if not set(column) <= _SEVERITY.keys():
                    return None
                decoded.append(list(map(_SEVERITY.__getitem__, column)))
            elif k not in _TEXTS:
                decoded.append(column)
            elif min(column) < (_RULE_HINT if k == 13 else _NULL if k == 14 else 0) or max(column) >= len(texts):
                return None
            else:
                decoded.append(list(map(table.__getitem__, column)))
        if columns[13] and min(columns[13]) == _RULE_HINT:
            decoded[13] = [hints.get(rule) if v == _RULE_HINT else fix
                           for v, fix, rule in zip(columns[13], decoded[13], decoded[2], strict=True)]
        findings = list(map(Finding, repeat(name, len(columns[0])), *decoded))
        documents, jobs, cronjobs, skipped, linted = counts
        return FileResult(findings=findings, documents=documents, jobs=jobs, cronjobs=cronjobs, skipped=skipped,
                          skips=skips, linted=linted)

    def store(self, probe: Probe, path: str, name: str, options: LintOptions, result: FileResult,
              findings: list[Finding]) -> None:
        """Keep ``result`` (with ``findings``, all of the file's, in report order) under ``probe``'s
        key, unless it met an internal error (a bug is not kept) or the file changed meanwhile."""
        if result.internal_error_count or self.writable is False:
            return
        try:
            if _state(os.stat(path)) != probe.state:
                return  # changed while it was linted: its findings may be of other bytes
        except OSError:
            return
        clock = self._clock_of(options) & options.active if options.now is None and result.cronjobs else ()
        dated = bool(clock) and any(f.rule in clock and _DATE.search(f.message) for f in findings)
        minute = current_minute() if clock else None  # when it was linted (a run may have begun a minute before)
        entry = {
            "format": FORMAT, "key": probe.key, "file": name,
            "day": minute[:10] if minute else None, "minute": minute if dated else None,
            "documents": result.documents, "jobs": result.jobs, "cronjobs": result.cronjobs,
            "skipped": result.skipped, "linted": result.linted, "skips": result.skips,
        }
        entry["findings"], entry["texts"] = _stored(findings, options.fix_hints)
        self._write(self._entry_path(probe.key), json.dumps(entry, separators=(",", ":")))

    def _write(self, target: str, text: str) -> None:
        if self.writable is None:
            self.writable = self._prepare()
        if self.writable and not _atomic_write(target, text):
            self.writable = False  # full, or made read-only meanwhile: the rest of the run is not cached

    def _prepare(self) -> bool:
        """Create the directory with a ``.gitignore`` of ``*``, so the cache is never committed."""
        try:
            os.makedirs(self.entries, exist_ok=True)
        except OSError:
            return False
        ignore = os.path.join(self.directory, ".gitignore")
        return os.path.exists(ignore) or _atomic_write(ignore, "# Created by jobcheck: its result cache.\n*\n")


def _atomic_write(target: str, text: str) -> bool:
    """Write ``text`` to ``target`` atomically: to a temporary file of this process (two runs never
    share one), renamed into place. False when it cannot be written."""
    temp = f"{target}.{os.getpid()}.tmp"
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            data = memoryview(text.encode("ascii"))  # JSON escapes the rest
            while data:
                data = data[os.write(fd, data):]
        finally:
            os.close(fd)
        os.replace(temp, target)
    except OSError:
        _remove(temp)
        return False
    return True


_row = attrgetter(*_FIELDS)


def _stored(findings: list[Finding], hints: dict[str, str | None]) -> tuple[list[list], list[str]]:
    """``findings`` as columns of numbers, and the table of the texts they index."""
    index: dict[str, int] = {}
    columns = [list(column) for column in zip(*map(_row, findings), strict=True)] if findings else [
        [] for _ in _FIELDS]
    rules = columns[2][:]
    for k in sorted(_TEXTS):
        column = columns[k]
        for n, text in enumerate(column):
            if text is None:
                column[n] = _NULL
            elif k == 13 and text == hints.get(rules[n]):
                column[n] = _RULE_HINT
            else:
                column[n] = index.setdefault(text, len(index))
    columns[6] = list(map(int, columns[6]))
    return columns, list(index)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
