"""The result cache: a file linted before, unchanged, under the same settings, is not linted again.

As ruff does, kept under ``.jobcheck_cache/`` at the project root (see ``cache_dir``), one entry
per file, in ``SHARDS`` *packs* per settings digest (``<FORMAT>/pack-<settings>-<shard>.json``, the
shard a CRC of the file's slot: a run over a few files reads and rewrites only their packs). What an entry's
findings depend on:

- the settings it is linted with (``settings_digest``, the pack's name): every known rule's
  definition, the selection, severities, parameters, the Kubernetes version, strictness and a fixed
  clock, and the code (``code_digest``): jobcheck's version and the size and modification time of
  each of its source, rule and schema files, so editing a dev checkout invalidates every entry;
- the file's name as reported and whether it is a kustomize patch (the entry's slot in the pack);
- the file's bytes: the entry's key is a digest of them (with the settings, name and patch flag).

Looking a file up costs one ``stat`` when it is unchanged: an entry keeps the file's (size, mtime,
inode, ctime) and a file whose stat is the same is taken as unchanged without being read. Any other
stat has its bytes hashed, and the same digest is still a hit (the entry is kept with the new stat).
Why these four: an edit that keeps the size and sets the modification time back (``touch -d``,
``cp -p``, ``rsync -t``, a tool restoring it) still moves the ctime, which no user call can set, and
an editor or ``git checkout`` that writes a new file and renames it over the old changes the inode.
What remains is an edit within one tick of the file system's clock after the stat was taken (the
"racy" case git knows): a stat younger than ``RACY_NS`` (2 s) when probed is not kept, so such a file
is hashed on every run until it is older. A file system that fakes inodes and ctimes could fool it;
``--no-cache`` is the way out there.

A pack is read once, when the first file of its settings is looked up, and written once, at the
end of the run (``save``), only when an entry was added or refreshed (a new stat, the first use of a
day): to a temporary file of this process, renamed into place, so runs sharing the directory see
whole packs. Before writing, the pack on disk is read again and this run's entries put over it: two
runs at once lose nothing but each other's entries for the same file (the last writer wins, entry
by entry). Entries no run used for ``MAX_AGE_DAYS`` are dropped then, and packs no run wrote for as
long are removed. A pack that does not read back (truncated, not JSON, another format or settings)
counts no entries and is written again whole; an entry that does not (wrong types, an index out of
its table, another file) is a miss and is written again. Entries and packs are JSON, never pickle:
a cache directory is data, it must not run code.

A warm run reads every entry of its packs, so an entry is shaped to be parsed and checked fast
(format 5): the counts and all the findings' numbers are one string per entry, an unsigned array
of the smallest type code that holds them, little-endian, in base64 (``_pack_ints``), decoded at C
speed, its texts checked by one ``max`` per kind of column (``_count``: every number is an index
in range, never negative by construction); keys that would hold a default (no day, no minute, no
skips, no cross-object records) are left out. The nearest-config lookup of each file's folder is
told what the directory walk listed (``jobcheck.config.note_listing``), and the walk takes the
types of entries from ``os.scandir``'s listing: an unchanged file costs its one ``stat``. A hit's
findings stay columns (``finding.Columns``, ``Stored``) on their way to the report: the JSON one
writes them as they are, picking each text from the pack's table (a warm run of tens of thousands
of findings builds no Finding); the other formats build them. The table is the pack's last part
(format 7), a JSON string a line after the line of everything else, so the JSON report writes
its texts as they were stored, never quoting them again; it is checked whole, in C, when read.
A JSON run also keeps what it wrote of each file's findings (format 8: ``Cache.keep_json``), in a
file beside the pack that the pack names (``json-<settings>-<name>.txt``, a new name each time the
pack is written, so a pack and its JSON file are always of one write): the next JSON run writes each
hit's text as it is (``Cache.json_text``), a third of a warm run of tens of thousands of findings.

An entry holds what every report format needs of the file: its counts and findings (already
redacted, the same fields the JSON report prints, as columns of numbers indexing the pack's one
table of texts: a rule's messages recur in every file, so a pack holds and parses each once), the
reasons documents were skipped, and what the cross-object rules collected of its objects (``cross``,
``deferred``: jobcheck.lint.cross, the records of its open block as plain JSON; their
findings are judged anew by every run, so these hold no clock-dependent verdict; what their finish
computes that holds for a UTC day, the runs of each schedule, is kept in ``memo-<code>.json``: ``Memo``). Code
frames (``--show-source``) read the file again, as they do without the cache. A file with more
findings than ``run.MAX_CACHED_FINDINGS`` is not held until its end: its findings go, chunk by
chunk as they are reported, to a stream file (``Spill``, JSON lines) named after the digest of its
bytes, which the entry names; a hit checks that digest before reporting any of it, then reads it
back chunk by chunk. Under ``--jobs`` workers send their entries back with their outcomes, and
the parent writes the packs.

Four schedule rules look ahead from the current minute (JC304, JC309, JC310, JC311: their check
functions read the workload's ``now``; ``clock_rules`` finds them). Their verdicts slide with the
clock: the next four runs named by JC310, the DST changes within a year named by JC311, the
shortest gap among the next 60 runs (JC309), a fire time within five years (JC304). When one of
them is selected, the entry of a file holding a CronJob is valid on the UTC day it was written
only, and one of their findings that names a date (an upcoming run, a DST change) may read
otherwise from one minute to the next: the entry is kept until the earliest instant its rules
gave for them (``Hit.holds_until``, the ``until`` minute: the next run passes, a DST change
leaves or enters the window), or, when a rule gave none, for the minute it was written. Verdicts that
change with a sliding window and name no date (a DST change entering JC309's 60 runs) are
reported at most a day late. A fixed clock (``LintOptions.now``) is part of the key instead.
"""

from __future__ import annotations

import json
import os
import stat
import sys
import time
import zlib
from array import array
from binascii import a2b_base64, b2a_base64
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from json.encoder import encode_basestring_ascii as _quote
from operator import attrgetter

from jobcheck.blake2 import blake2b
from jobcheck.finding import COLUMNS, LEVELS, Columns, Finding, Texts
from jobcheck.lint.cross import Records, valid_deferred
from jobcheck.lint.engine import FileResult
from jobcheck.lint.options import LintOptions
from jobcheck.record import dataclass
from jobcheck.redact import LazyPattern

FORMAT = 8  # the packs' layout; a new layout gets a new directory, and old packs are never read
DIRNAME = ".jobcheck_cache"
ENV = "JOBCHECK_CACHE_DIR"
ROOT_MARKERS = (".jobcheck.yaml", ".jobcheck.yml", "pyproject.toml", ".git")
_CHUNK = 1 << 20
MAX_AGE_DAYS = 30  # an entry no run used for this long is dropped when its pack is written again
RACY_NS = 2_000_000_000  # a stat younger than this when probed is not trusted (coarse file system clocks)

# An entry's numbers are one string: a type code of Python's ``array`` (B, H, I or Q: the smallest
# unsigned one that holds them all) and the array's bytes, little-endian, in base64 (``_pack_ints``):
# still JSON, parsed as one string, decoded and checked at C speed. First the file's counts
# (``_COUNTS``), then its findings as columns, one per field but the file (the entry's slot holds the
# name), in ``_COLUMNS`` order: the texts first (indexes in the pack's table of texts; a stream
# file's chunk has a table of its own; a rule's name and messages recur across findings and files:
# stored once, read once; new texts are added at the table's end, see ``_pack_text``), those never
# null, then ``fix`` and ``source`` (0: null, else the index plus one). No number is negative, so
# one ``max`` per kind of column checks an entry (a warm run checks every file).
_COUNTS = ("documents", "jobs", "cronjobs", "skipped", "linted")
_COLUMNS = COLUMNS  # texts never null, then texts or null, then numbers
_STRINGS, _NULLABLE, _WIDTH = 7, 9, len(_COLUMNS)  # the columns [0, 7) and [7, 9) are texts
_STR = {str}
_TYPECODES = {"B": 1 << 8, "H": 1 << 16, "I": 1 << 32, "Q": 1 << 64}  # the bound of what each holds
_SWAP = sys.byteorder == "big"  # the stored arrays are little-endian
_STREAM = LazyPattern(r"[0-9a-f]{40}")  # a stream file's name: the digest of its bytes
_DATE = LazyPattern(r"\d{4}-\d{2}-\d{2}")  # a date in a message: it names upcoming runs or DST changes
_INT = {int}

# A JSON run keeps the text it wrote of each file's findings (``Cache.keep_json``): the next JSON run
# writes it as it is, without building it again from the columns (a third of a warm run of tens of
# thousands of findings). They are in one file a pack, beside it (``json-<settings>-<name>.txt``, a
# new name each time the pack is written, which names it), read an entry at a time; each text is
# the findings as ``report.json.columns_json`` writes them, the file's name included (a slot is of
# one name), so a text is checked by its ends. A run writes the texts it keeps to a file of its own
# a pack as they come (its memory stays flat), and ``save`` makes the pack's JSON file of it.
_JSON_START = ',\n    {\n      "rule": '
_JSON_END = "\n    }"
_PREAD = getattr(os, "pread", None)  # not on Windows


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
    from jobcheck.data import data_path

    digest = blake2b(jobcheck.__version__.encode(), digest_size=16)
    package = os.path.dirname(os.path.abspath(jobcheck.__file__))
    parts: list[str] = []
    for top in (package, data_path("rules"), data_path("schemas")):
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
    return blake2b(text.encode(), digest_size=16).hexdigest()


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
    """A file about to be linted: its slot in the pack of its settings, its entry's key (None when
    its stat was trusted and its bytes not read), its state when it was probed, and the entry the
    pack holds for it when that entry is of these bytes (a hit, unless it does not read back)."""

    settings: str  # the pack: its settings digest and the slot's shard ("<digest>-<shard>")
    slot: str
    key: str | None
    state: tuple[int, int, int, int]  # size, mtime, inode, ctime: the file must still be so when stored
    entry: dict | None = None


@dataclass(frozen=True)
class Stored:
    """A hit: the file's stored result, its findings left out, and its findings as columns, chunk
    by chunk as they are reported (``Columns``: the JSON report writes them as they are): one chunk,
    none, or those of the entry's stream file, read one at a time (``Spill``). ``probe`` found it;
    ``json`` is where the JSON report's text of its findings is in its pack's JSON file (offset,
    length), when a JSON run kept it (``Cache.json_text``, ``Cache.keep_json``)."""

    result: FileResult
    chunks: Iterable[Columns]
    probe: Probe | None = None
    json: tuple[int, int] | None = None


def _state(info: os.stat_result) -> tuple[int, int, int, int]:
    return (info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns)


def _today() -> int:
    return int(time.time() // 86400)


class Cache:
    """The packs in ``directory``, read once each, written once at the end of a run (``save``); the
    directory is created then. A directory that cannot be written leaves the run uncached, never
    failed."""

    def __init__(self, directory: str) -> None:
        self.directory = directory
        self.entries = os.path.join(directory, str(FORMAT))
        self.writable: bool | None = None  # unknown until the first save
        self._settings: dict[int, tuple[LintOptions, str]] = {}
        self._clock: dict[int, frozenset[str]] = {}
        self._packs: dict[str, dict] = {}  # settings digest -> slot -> entry, as read
        self._tables: dict[str, list] = {}  # settings digest -> the pack's texts as read (quoted)
        self._texts: dict[str, Texts] = {}  # settings digest -> those texts, for ``_columns``
        self._fresh: dict[str, dict] = {}  # settings digest -> slot -> entry this run wrote or refreshed
        self._json_names: dict[str, str | None] = {}  # settings digest -> its JSON file's name, as read
        self._json_files: dict[str, _Window | None] = {}  # settings digest -> that file, open (None: unreadable)
        self._json_kept: dict[str, list] = {}  # settings digest -> [file, size]: the texts this run keeps
        self._memo: Memo | None = None
        self.minute = current_minute()  # one clock per run, as the rules have (reference_minute)
        self.today = _today()
        # A stat this recent is not trusted (the file may change again within its clock's tick).
        self.trusted_before = time.time_ns() - RACY_NS

    def __getstate__(self) -> dict:  # sent to --jobs workers under spawn: each digests its own options
        state = self.__dict__.copy()
        state["_settings"], state["_clock"], state["_packs"], state["_fresh"] = {}, {}, {}, {}
        state["_tables"], state["_texts"], state["_memo"] = {}, {}, None
        state["_json_names"], state["_json_files"], state["_json_kept"] = {}, {}, {}
        return state

    def memo(self) -> Memo:
        """The cross-object rules' memo of the day (jobcheck.lint.cross), read on first use."""
        if self._memo is None:
            self._memo = Memo(os.path.join(self.entries, f"memo-{code_digest()}.json"), self.minute[:10])
        return self._memo

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

    def pack_path(self, settings: str) -> str:
        return os.path.join(self.entries, f"pack-{settings}.json")

    def _pack(self, settings: str) -> dict:
        pack = self._packs.get(settings)
        if pack is None:
            pack, table, _, self._json_names[settings] = _read_pack(self.pack_path(settings), settings)
            self._packs[settings], self._tables[settings], self._texts[settings] = pack, table.quoted, table
        return pack

    def probe(self, path: str, name: str, partial: bool, options: LintOptions) -> Probe | None:
        """``path``'s slot and state, and the entry the pack holds for its bytes. Its bytes are read
        (in chunks, never held whole) and hashed only when its stat differs from the one its entry
        was stored with. None when it is not a regular file or cannot be read (linting it will say why)."""
        settings = self._digest_of(options)
        slot = f"{int(partial)}{name}"
        shard = f"{settings}-{_shard(slot)}"  # the pack holding the slot: the probe's ``settings`` from here
        try:
            info = os.stat(path)
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode):
            return None  # a FIFO or a device is read once, by the linter (opening it here would block)
        state = _state(info)
        entry = self._pack(shard).get(slot)
        if type(entry) is dict and entry.get("stat") == list(state) and type(entry.get("key")) is str:
            return Probe(shard, slot, entry.get("key"), state, entry)
        digest = blake2b(digest_size=20)
        digest.update(f"{settings}\0{int(partial)}\0{name}\0".encode("utf-8", "surrogatepass"))
        try:
            with open(path, "rb") as handle:
                info = os.fstat(handle.fileno())
                while chunk := handle.read(_CHUNK):
                    digest.update(chunk)
        except OSError:
            return None
        key = digest.hexdigest()
        state = _state(info)
        if type(entry) is dict and entry.get("key") == key:
            return Probe(shard, slot, key, state, entry)  # same bytes, a new stat: kept with it
        return Probe(shard, slot, key, state)

    def load(self, probe: Probe, options: LintOptions) -> Stored | None:
        """The stored result of ``probe``'s file, or None: no entry, or one that does not read back."""
        entry = probe.entry
        if entry is None:
            return None
        table = self._tables.get(probe.settings)  # read with the pack by this cache's probe
        if table is None:  # a probe of another process (a --jobs worker's miss): not one to trust here
            return None
        name = probe.slot[1:]
        stored = self._result(entry, name, self._texts[probe.settings])
        if stored is None:
            return None
        result, columns = stored
        spilled = entry.get("stream")
        if spilled is None:
            chunks: Iterable[Columns] = (columns,) if columns.count else ()
        elif type(spilled) is not str or not _STREAM.fullmatch(spilled):
            return None
        else:
            path = self._stream_path(probe.settings, spilled)
            if _file_digest(path) != spilled:
                return None  # its stream file is missing or not the one written for it: a miss
            chunks = _chunks(path, name)  # its findings are all there, read as they are reported
        trusted = self._trusted(probe.state)
        if entry.get("stat") != trusted or entry.get("used") != self.today:
            # Its columns index the pack's table as read: ``save`` maps them onto the table it writes.
            self.keep(probe.settings, probe.slot, {**entry, "stat": trusted, "used": self.today, "texts": table})
        span = _span(entry.get("json")) if spilled is None else None
        return Stored(result, chunks, probe, tuple(span) if span is not None else None)

    def json_text(self, stored: Stored) -> str | None:
        """The JSON report's text of ``stored``'s findings as a JSON run wrote it (``keep_json``),
        or None when none was kept or it does not read back: its pack's JSON file is gone (another
        run wrote the pack since) or is not what the entry says."""
        if stored.json is None or stored.probe is None:
            return None
        settings = stored.probe.settings
        window = self._json_files.get(settings, False)
        if window is False:
            name = self._json_names.get(settings)
            window = None
            if name is not None:
                try:
                    window = _Window(open(self._json_path(settings, name), "rb", buffering=0))  # noqa: SIM115 (closed by save)
                except OSError:
                    pass  # gone: another run wrote the pack since
            self._json_files[settings] = window
        if window is None:
            return None
        offset, length = stored.json
        if not 0 <= offset <= window.size - length or length <= 0:
            return None
        try:
            data = window.read(offset, length)
        except (OSError, ValueError):
            return None
        if len(data) != length or not data.isascii():
            return None
        text = data.decode("ascii")
        return text if text.startswith(_JSON_START) and text.endswith(_JSON_END) else None

    def keep_json(self, stored: Stored, text: str) -> None:
        """Keep ``text``, what the JSON report wrote for ``stored`` (a hit that had none), with its
        entry: the next JSON run writes it as it is."""
        probe = stored.probe
        if probe is None or probe.entry is None:
            return
        # A spilled entry's findings are read from its stream file (load): a text kept for it would
        # never be used, and keeping it would write the pack again on every run.
        if probe.entry.get("stream") is not None:
            return
        fresh = self._fresh.get(probe.settings, {}).get(probe.slot)
        if fresh is None:
            fresh = {**probe.entry, "texts": self._tables[probe.settings]}
        self.keep(probe.settings, probe.slot, fresh, text)

    def _json_kept_at(self, settings: str, text: str) -> list[int] | None:
        """Write ``text`` (a JSON text) to this run's file of kept texts of ``settings``; where it is
        there, or None when it cannot be written (it is then not kept)."""
        if not (text.startswith(_JSON_START) and text.endswith(_JSON_END)) or self.writable is False:
            return None
        kept = self._json_kept.get(settings)
        if kept is not None and kept[1] < 0:
            return None
        try:
            if kept is None:
                if self.writable is None:
                    self.writable = self._prepare()  # the .gitignore first
                    if not self.writable:
                        return None
                kept = self._json_kept[settings] = [open(self._json_run_path(settings), "wb"), 0]  # noqa: SIM115 (save)
            kept[0].write(text.encode("ascii"))
        except (OSError, UnicodeEncodeError, ValueError):
            if kept is not None:
                kept[1] = -1  # what it holds so far stays good; nothing more is kept this run
            return None
        kept[1] += len(text)
        return [kept[1] - len(text), len(text)]

    def _json_run_path(self, settings: str) -> str:
        return os.path.join(self.entries, f"json-{settings}-{os.getpid()}.{id(self)}.tmp")

    def _trusted(self, state: tuple[int, int, int, int]) -> list[int] | None:
        """The stat an entry is kept with: None (its bytes are hashed next time) when it is recent."""
        return list(state) if state[1] < self.trusted_before and state[3] < self.trusted_before else None

    def _result(self, entry: object, name: str, table: Texts) -> tuple[FileResult, Columns] | None:
        """The result an entry holds (its findings left out) and its findings, when it is whole and
        well typed and still valid (its numbers index ``table``, the pack's texts)."""
        if not isinstance(entry, dict) or type(entry.get("key")) is not str:
            return None
        day, minute, until = entry.get("day"), entry.get("minute"), entry.get("until")
        if (day is not None and day != self.minute[:10]) or (minute is not None and minute != self.minute) \
                or (until is not None and not (type(until) is str and self.minute < until)):
            return None
        skips = entry.get("skips", [])
        if not isinstance(skips, list) or not set(map(type, skips)) <= _STR:
            return None
        numbers = _unpack_ints(entry.get("findings"))
        columns = _columns(numbers, len(_COUNTS), table, name) if numbers is not None else None
        if columns is None:
            return None
        # Most files have no cross-object records: then the entry has neither key (a null is damage).
        cross = Records.from_json(entry["cross"]) if "cross" in entry else Records()
        deferred = entry["deferred"] if "deferred" in entry else []
        if cross is None or not (deferred == [] or valid_deferred(deferred)):
            return None
        documents, jobs, cronjobs, skipped, linted = numbers[:len(_COUNTS)]
        return FileResult(documents=documents, jobs=jobs, cronjobs=cronjobs, skipped=skipped, skips=skips,
                          linted=linted, cross=cross, deferred=deferred), columns

    def _stream_path(self, settings: str, name: str) -> str:
        return os.path.join(self.entries, f"streams-{settings}", f"{name}.jsonl")

    def spill(self, probe: Probe, options: LintOptions) -> Spill | None:
        """A stream file for the findings of ``probe``'s file (a long stream: they are not held),
        or None when it cannot be written (the file is then not kept)."""
        if self.writable is None:
            self.writable = self._prepare()  # the .gitignore first
        if not self.writable:
            return None
        directory = os.path.dirname(self._stream_path(probe.settings, "x"))
        try:
            os.makedirs(directory, exist_ok=True)
            return Spill(directory)
        except OSError:
            return None


    def store(self, probe: Probe, path: str, name: str, options: LintOptions, result: FileResult,
              findings: list[Finding], spill: Spill | None = None) -> tuple[str, str, dict] | None:
        """The entry of ``result`` (with ``findings``, all of the file's, in report order) for
        ``probe``'s slot, kept for ``save``, and returned as (settings, slot, entry) (a ``--jobs``
        worker sends it to the parent, ``keep``); None when it met an internal error (a bug is not
        kept) or the file changed meanwhile. With ``spill``, the findings before ``findings`` went
        to its stream file, which the entry names."""
        try:
            changed = _state(os.stat(path)) != probe.state  # its findings may be of other bytes
        except OSError:
            changed = True
        if result.internal_error_count or self.writable is False or probe.key is None or changed:
            if spill is not None:
                spill.discard()
            return None
        clock = self._clock_of(options) & options.active if options.now is None and result.cronjobs else ()
        dated = {f.rule for f in findings if f.rule in clock and _DATE.search(f.message)} if clock else set()
        if clock and spill is not None:
            dated |= spill.dated & clock
        minute = current_minute() if clock else None  # when it was linted (a run may have begun a minute before)
        # Only what is not the default: every key costs a warm run the parse of its name, file after file.
        entry = {"key": probe.key, "stat": self._trusted(probe.state), "used": self.today}
        if minute:
            entry["day"] = minute[:10]
            if dated and dated <= result.horizons.keys():
                entry["until"] = min(result.horizons[rule] for rule in dated)  # valid in the minutes before it
            elif dated:
                entry["minute"] = minute
        if result.skips:
            entry["skips"] = result.skips
        if result.cross or result.deferred:  # the cross-object rules' summaries: judged anew every run
            entry["cross"], entry["deferred"] = result.cross.to_json(), result.deferred
        if spill is not None:
            spilled = spill.finish() if spill.add(findings) else None
            if spilled is None:
                return None
            entry["stream"], findings = spilled, []
        entry["findings"], entry["texts"] = _stored(findings, [getattr(result, n) for n in _COUNTS])
        if entry["findings"] is None:  # a negative number (no finding has one): not kept
            return None
        self.keep(probe.settings, probe.slot, entry)
        return probe.settings, probe.slot, entry

    def keep(self, settings: str, slot: str, entry: dict, written: str | None = None) -> None:
        """Keep an entry for ``save`` (one a worker stored), with ``written``, the JSON report's text
        of its findings (``keep_json``), unless its findings are in a stream file."""
        if written and "stream" not in entry and (at := self._json_kept_at(settings, written)) is not None:
            entry = {**entry, "json_run": at}
        self._fresh.setdefault(settings, {})[slot] = entry

    def save(self) -> None:
        """Write each pack this run added to or refreshed entries of, once, atomically: the pack as
        it is on disk now (another run may have written it since it was read), without the entries
        unused for ``MAX_AGE_DAYS``, with this run's entries over it (the last writer wins, entry by
        entry)."""
        for window in self._json_files.values():
            if window is not None:
                window.handle.close()
        self._json_files = {}
        kept, self._json_kept = self._json_kept, {}
        for handle, _ in kept.values():
            try:
                handle.close()
            except OSError:
                pass
        try:
            self._save(kept)
        finally:
            for settings in kept:
                _remove(self._json_run_path(settings))

    def _save(self, kept: dict) -> None:
        fresh, self._fresh = self._fresh, {}
        memo = self._memo if self._memo is not None and self._memo.changed else None
        if (not fresh and memo is None) or self.writable is False:
            return
        if self.writable is None:
            self.writable = self._prepare()
        if memo is not None and self.writable:
            memo.save()
        for settings, entries in fresh.items():
            if not self.writable:
                return
            path = self.pack_path(settings)
            oldest = self.today - MAX_AGE_DAYS
            on_disk, texts, built, on_disk_json = _read_pack(path, settings)
            table = texts.quoted
            pack = {slot: entry for slot, entry in on_disk.items()
                    if type(entry) is dict and type(entry.get("used")) is int and entry["used"] >= oldest}
            read = self._tables.get(settings)
            # Entries refreshed by this run index the table as it was read: the one on disk still, unless
            # another run wrote the pack meanwhile (then they are renumbered like new ones).
            same = read is not None and read == table
            ours = kept[settings][1] if settings in kept else 0  # -1: it failed midway (see _json_kept_at)
            json_name = self._write_json(settings, pack, on_disk_json, entries, ours)
            text, pack = _pack_text(settings, pack, table, built, entries, read if same else None,
                                    compact=len(pack) < len(on_disk), json_name=json_name)
            if not _atomic_write(path, text):
                self.writable = False  # full, or made read-only meanwhile: the run is not cached
                if json_name is not None:
                    _remove(self._json_path(settings, json_name))
            else:
                self._prune_streams(settings, {e.get("stream") for e in pack.values() if type(e) is dict})
                self._prune_json(settings, json_name)
        self._prune_packs()

    def _json_path(self, settings: str, name: str) -> str:
        return os.path.join(self.entries, f"json-{settings}-{name}.txt")

    def _write_json(self, settings: str, pack: dict, on_disk: str | None, fresh: dict, kept: int) -> str | None:
        """Write the JSON file of the pack about to be written: the JSON texts of its entries (those
        of ``pack``, as on disk, whose file is ``on_disk``, with ``fresh`` over them: texts this run
        kept, ``kept`` characters in its own file, or entries it refreshed, whose file is the one it
        read), under a new name, returned; each entry's ``json`` is set to where its text is (the
        dicts are changed in place: they are about to be written). None when there is no text to
        keep, or it cannot be written. One pack's texts are held at a time."""
        where: dict[str, tuple[str | None, list]] = {}  # slot -> (its file: "" for this run's, its span)
        read = self._json_names.get(settings)
        for slot in {**pack, **fresh}:  # in the order the pack will have (``_pack_text``): the order they are read in
            entry = fresh.get(slot)
            if entry is None:
                name, span = on_disk, pack[slot].pop("json", None)
            else:
                entry = fresh[slot] = dict(entry)  # kept by a --jobs worker's outcome too: not changed there
                ours, span = entry.pop("json_run", None), entry.pop("json", None)
                name, span = ("", ours) if ours is not None else (read, span)
                if "stream" in entry:
                    continue
            if _span(span) is not None:
                where[slot] = (name, span)
        if not where:
            return None
        new = os.urandom(6).hex()  # a new name each time: a reader of the pack before never reads this file
        target = self._json_path(settings, new)
        if kept and _contiguous(where.values(), kept):
            # This run's file holds the pack's texts, in its order (a first run, the first JSON run
            # after one of another format): it becomes the pack's as it is.
            try:
                os.replace(self._json_run_path(settings), target)
            except OSError:
                return None
            for slot, (_, span) in where.items():
                (fresh.get(slot) or pack[slot])["json"] = span
            return new
        files: dict[str | None, str | None] = {None: None}
        found: dict[str, str] = {}
        for slot, (name, span) in where.items():
            if name not in files:
                files[name] = _read_json_file(self._json_run_path(settings) if name == "" else
                                              self._json_path(settings, name))
            whole = files[name]
            text = whole[span[0]:span[0] + span[1]] if whole is not None else ""
            if len(text) == span[1] and text.startswith(_JSON_START) and text.endswith(_JSON_END):
                found[slot] = text
        offset = 0
        for slot, text in found.items():
            (fresh.get(slot) or pack[slot])["json"] = [offset, len(text)]
            offset += len(text)
        if found and _atomic_write(target, "".join(found.values())):
            return new
        for slot in found:
            (fresh.get(slot) or pack[slot]).pop("json", None)
        return None

    def _prune_json(self, settings: str, keep: str | None) -> None:
        """Remove the JSON files of ``settings`` but ``keep``, the one its pack now names (a run that
        read the pack before and opens its file after finds none: it writes the findings as columns)."""
        prefix = f"json-{settings}-"
        try:
            with os.scandir(self.entries) as found:
                for item in found:
                    if item.name.startswith(prefix) and item.name.endswith(".txt") and item.name != f"{prefix}{keep}.txt":
                        _remove(item.path)
        except OSError:
            pass

    def _prune_streams(self, settings: str, used: set) -> None:
        """Remove the stream files no entry of the pack names, once they are an hour old (a run
        writing the pack meanwhile may name one it just wrote), and temporary ones left a day."""
        now = time.time()
        try:
            with os.scandir(os.path.dirname(self._stream_path(settings, "x"))) as found:
                for item in found:
                    age = now - item.stat().st_mtime
                    stem = item.name.removesuffix(".jsonl")
                    if (item.name.endswith(".jsonl") and stem not in used and age > 3600) or (
                            item.name.endswith(".tmp") and age > 86400):
                        _remove(item.path)
        except OSError:
            pass

    def _prune_packs(self) -> None:
        """Remove the packs no run wrote for ``MAX_AGE_DAYS`` (of settings no longer used)."""
        limit = time.time() - MAX_AGE_DAYS * 86400
        try:
            with os.scandir(self.entries) as found:
                for item in found:
                    if item.name.startswith("memo-") and item.stat().st_mtime < time.time() - 2 * 86400:
                        _remove(item.path)  # of another day, or of another version of jobcheck
                    elif item.name.startswith("json-") and item.stat().st_mtime < (
                            limit if item.name.endswith(".txt") else time.time() - 86400):
                        _remove(item.path)  # its pack's (written with it), or a run's that did not end
                    elif item.name.startswith("pack-") and item.stat().st_mtime < limit:
                        import shutil  # rarely needed (it loads the compression modules)

                        _remove(item.path)
                        shutil.rmtree(os.path.join(self.entries, "streams-" + item.name[5:-5]), ignore_errors=True)
        except OSError:
            pass

    def _prepare(self) -> bool:
        """Create the directory with a ``.gitignore`` of ``*``, so the cache is never committed."""
        try:
            os.makedirs(self.entries, exist_ok=True)
        except OSError:
            return False
        ignore = os.path.join(self.directory, ".gitignore")
        return os.path.exists(ignore) or _atomic_write(ignore, "# Created by jobcheck: its result cache.\n*\n")


class Memo(dict):
    """Results of pure computations that hold for a UTC ``day`` (the runs of a schedule over the
    pile-up rule's window), kept from one run to the next: a run a minute later does not lay out
    every CronJob's week again. JSON values by string keys; a file of another day, or that does not
    read back, starts empty; written atomically by ``Cache.save`` when a run added to it (the last
    writer wins)."""

    MAX_ENTRIES = 4096  # distinct schedules and zones of a day: a bound on the file

    def __init__(self, path: str, day: str) -> None:
        super().__init__()
        self.path, self.day, self.changed = path, day, False
        try:
            with open(path, encoding="utf-8") as f:
                stored = json.load(f)
        except (OSError, ValueError, RecursionError):
            return
        if isinstance(stored, dict) and stored.get("day") == day and isinstance(stored.get("values"), dict):
            self.update(stored["values"])

    def __setitem__(self, key: str, value: object) -> None:
        if len(self) < self.MAX_ENTRIES or key in self:
            super().__setitem__(key, value)
            self.changed = True

    def save(self) -> bool:
        return _atomic_write(self.path, json.dumps({"day": self.day, "values": self}, separators=(",", ":")))


def _pack_ints(numbers: list[int]) -> str | None:
    """``numbers`` as one string: the type code of the smallest unsigned array that holds them,
    then the array's bytes, little-endian, in base64; None for a negative number (never stored)."""
    low, high = (min(numbers), max(numbers)) if numbers else (0, 0)
    code = next((c for c, bound in _TYPECODES.items() if high < bound), None)
    if code is None or low < 0:
        return None
    packed = array(code, numbers)
    if _SWAP:
        packed.byteswap()
    return code + b2a_base64(packed.tobytes(), newline=False).decode("ascii")


def _unpack_ints(text: object) -> array | None:
    """The numbers ``_pack_ints`` wrote as ``text``, or None when it is not such a string."""
    if type(text) is not str or text[:1] not in _TYPECODES or not text.isascii():
        return None
    try:
        data = a2b_base64(text[1:])
    except ValueError:  # binascii.Error: bad padding
        return None
    numbers = array(text[0])
    if len(data) % numbers.itemsize:
        return None
    numbers.frombytes(data)
    if _SWAP:
        numbers.byteswap()
    return numbers


def _count(numbers: array, start: int, top: int) -> int | None:
    """How many findings ``numbers`` hold from ``start`` as ``_stored`` writes them, their texts
    indexing a table of ``top``; None when they are not such columns. One ``max`` a kind of column."""
    count, rest = divmod(len(numbers) - start, _WIDTH)
    if rest or count < 0:
        return None
    if count and (max(numbers[start:start + _STRINGS * count]) >= top
                  or max(numbers[start + _STRINGS * count:start + _NULLABLE * count]) > top
                  or max(numbers[start + _NULLABLE * count:start + (_NULLABLE + 1) * count]) >= len(LEVELS)):
        return None
    return count


def _columns(numbers: array, start: int, table: Texts, name: str) -> Columns | None:
    """The findings stored in ``numbers`` from ``start``, their texts indexing ``table``; None
    when they do not read back."""
    count = _count(numbers, start, len(table))
    if count is None:
        return None
    return Columns(name, count, [numbers[start + k * count:start + (k + 1) * count] for k in range(_WIDTH)],
                   table)


def _texts(texts: object) -> list | None:
    """``texts`` when it is a list of strings (a table of texts), else None."""
    return texts if type(texts) is list and set(map(type, texts)) <= _STR else None


def _file_digest(path: str) -> str | None:
    digest = blake2b(digest_size=20)
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def _chunks(path: str, name: str) -> Iterator[Columns]:
    """The findings of a stream file whose digest was checked: whole lines this process wrote."""
    with open(path, "rb") as handle:
        for line in handle:
            chunk = json.loads(line)
            table = _texts(chunk["texts"])
            numbers = _unpack_ints(chunk["findings"])
            columns = (_columns(numbers, 0, Texts(table), name)
                       if table is not None and numbers is not None else None)
            if columns is None:  # the file is the one written (its digest): a bug, not damage
                raise ValueError(f"{path}: a chunk that does not read back")
            yield columns


class Spill:
    """The findings of a long stream on their way to the report, written to a stream file of the
    cache as they come (JSON lines, one a chunk, in the entry's columns) instead of being held: a
    temporary file of this process, named after its digest when complete (``Cache.store``), so a
    stream file's name checks its bytes."""

    def __init__(self, directory: str) -> None:
        self.directory = directory
        self.temp = os.path.join(directory, f"spill.{os.getpid()}.{id(self)}.tmp")
        self.handle = open(self.temp, "wb")  # noqa: SIM115 (closed by finish or discard)
        self.digest = blake2b(digest_size=20)
        self.dated: set[str] = set()  # the rules of the findings written that name a date

    def add(self, findings: list[Finding]) -> bool:
        """Write ``findings`` as one chunk; False when it cannot be written (nothing is kept)."""
        if not findings:
            return True
        self.dated.update(f.rule for f in findings if _DATE.search(f.message))
        numbers, texts = _stored(findings)
        if numbers is None:
            self.discard()
            return False
        data = (json.dumps({"findings": numbers, "texts": texts}, separators=(",", ":")) + "\n").encode("ascii")
        try:
            self.handle.write(data)
        except (OSError, ValueError):
            self.discard()
            return False
        self.digest.update(data)
        return True

    def finish(self) -> str | None:
        """Close the file and name it after its digest: that name, or None when it failed."""
        name = self.digest.hexdigest()
        try:
            self.handle.close()
            os.replace(self.temp, os.path.join(self.directory, f"{name}.jsonl"))
        except OSError:
            self.discard()
            return None
        return name

    def discard(self) -> None:
        try:
            self.handle.close()
        except OSError:
            pass
        _remove(self.temp)


SHARDS = 16  # packs per settings digest: a run over a few files reads (and rewrites) a few of them


def _shard(slot: str) -> str:
    """Which of its settings' ``SHARDS`` packs holds ``slot`` (the same in every process)."""
    return f"{zlib.crc32(slot.encode('utf-8', 'surrogatepass')) % SHARDS:x}"


def _read_pack(path: str, settings: str) -> tuple[dict, Texts, int, str | None]:
    """The entries of the pack at ``path``, by slot, the table of texts their columns index (each a
    JSON string, as ``_pack_text`` writes them), the size that table had when it was last built
    whole, and the name of its JSON file (``Cache._write_json``); none when it is missing or does not
    read back (truncated, not JSON, another format or settings): it is written again whole by
    ``save``. Entries are checked one by one when used (``Cache._result``)."""
    empty = {}, Texts([], []), 0, None
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return empty
    head, _, rest = data.partition(b"\n")
    try:
        pack = json.loads(head)
    except ValueError:
        return empty
    if not isinstance(pack, dict) or pack.get("format") != FORMAT or pack.get("settings") != settings:
        return empty
    entries, count, built = pack.get("entries"), pack.get("count"), pack.get("built")
    table = _table(rest, count)
    if not isinstance(entries, dict) or table is None:
        return empty
    name = pack.get("json")
    name = name if type(name) is str and len(name) == 12 and name.isascii() and name.isalnum() else None
    return entries, table, built if type(built) is int else len(table), name


def _table(data: bytes, count: object) -> Texts | None:
    """The ``count`` texts of a pack, one JSON string a line (ASCII: none holds a line break), or
    None when ``data`` is not so (truncated, another count, a line not one JSON string). Every line
    begins and ends with a quote and all of them parse, in C, as ``count`` strings."""
    if type(count) is not int or count < 0 or not data.isascii():
        return None
    if count == 0:
        return Texts([], []) if not data else None
    if data[:1] != b'"' or data[-1:] != b'"' or data.count(b"\n") != count - 1 or data.count(b'"\n"') != count - 1:
        return None
    text = data.decode("ascii")
    try:
        plain = json.loads("[" + text.replace("\n", ",") + "]")
    except (ValueError, RecursionError):
        return None
    if len(plain) != count or not set(map(type, plain)) <= _STR:
        return None
    return Texts(text.split("\n"), plain)


# New texts are added at the end of a pack's table (the entries on disk keep their numbers) while it
# stays within this many times its size when it was last built whole; past that (or when entries
# were dropped) it is built again from the entries in use, which are renumbered.
_TABLE_SLACK = 2
_TABLE_FLOOR = 1024  # texts a table may hold, whatever its size when it was built


def _pack_text(settings: str, pack: dict, table: list, built: int, fresh: dict, read: list | None,
               compact: bool, json_name: str | None = None) -> tuple[str, dict]:
    """The pack as JSON, and its entries: ``pack``'s entries, whose texts index ``table`` (as on
    disk), with ``fresh`` over them, whose texts index their own ``texts``: the texts of a result
    this run stored, or the table the run read (``read``, given when it is still ``table``: such
    entries are kept as they are). A pack holds each text once (a rule's messages recur across
    files) and is parsed once."""
    out = list(table)
    index = {text: n for n, text in enumerate(out)}
    written = dict(pack)
    merged = set()  # the slots whose entry now indexes ``out``
    for slot, entry in fresh.items():
        texts = entry.get("texts")
        entry = {k: v for k, v in entry.items() if k != "texts"}
        if read is None or texts is not read:
            entry = _renumbered(entry, texts, index, out)
        if entry is not None:
            written[slot] = entry
            merged.add(slot)
    if compact or len(out) > _TABLE_SLACK * max(built, _TABLE_FLOOR):
        tables = (table, out)
        index, rebuilt = {}, []
        renumbered = ((slot, _renumbered(entry, tables[slot in merged], index, rebuilt))
                      for slot, entry in written.items())
        written = {slot: entry for slot, entry in renumbered if entry is not None}
        out, built = rebuilt, len(rebuilt)
    # The texts after the rest, one JSON string a line (no line break is left unescaped): read back by a
    # split and written by the JSON report as they are, never parsed as part of the pack.
    head = {"format": FORMAT, "settings": settings, "built": built, "count": len(out), "entries": written}
    if json_name is not None:
        head["json"] = json_name
    text = json.dumps(head, separators=(",", ":")) + "\n" + "\n".join(out)
    return text, written


def _renumbered(entry: object, texts: object, index: dict[str, int], out: list[str]) -> dict | None:
    """``entry`` with its texts indexing ``out`` (texts added to it and to ``index`` as needed)
    instead of ``texts``; None when it does not read back."""
    if type(entry) is not dict or type(texts) is not list:
        return None
    numbers = _unpack_ints(entry.get("findings"))
    start = len(_COUNTS)
    count = _count(numbers, start, len(texts)) if numbers is not None else None
    if count is None:
        return None
    strings = numbers[start:start + _STRINGS * count]
    nullable = numbers[start + _STRINGS * count:start + _NULLABLE * count]
    renumber = {}  # the number in ``out`` of each text the entry uses
    for n in sorted(set(strings).union(n - 1 for n in set(nullable) if n)):
        text = texts[n]
        found = index.get(text)
        if found is None:
            found = index[text] = len(out)
            out.append(text)
        renumber[n] = found
    shifted = {0: 0, **{n + 1: found + 1 for n, found in renumber.items()}}  # a nullable text's number
    renumbered = _pack_ints([*numbers[:start], *map(renumber.__getitem__, strings), *map(shifted.__getitem__, nullable),
                             *numbers[start + _NULLABLE * count:]])
    return {**entry, "findings": renumbered} if renumbered is not None else None


class _Window:
    """An open file read at offsets, a window at a time: a pack's JSON texts are asked for in the
    order they were written (the order of the walk), so a few reads serve a pack."""

    SIZE = 1 << 18

    def __init__(self, handle: object) -> None:
        self.handle, self.start, self.data = handle, 0, b""
        self.size = os.fstat(handle.fileno()).st_size

    def read(self, offset: int, length: int) -> bytes:
        """``length`` bytes from ``offset`` (fewer at the file's end)."""
        at = offset - self.start
        if at < 0 or at + length > len(self.data):
            size = max(length, self.SIZE)
            if _PREAD is not None:
                self.data = _PREAD(self.handle.fileno(), size, offset)
            else:
                self.handle.seek(offset)
                self.data = self.handle.read(size)
            self.start, at = offset, 0
        return self.data[at:at + length]


def _span(value: object) -> list[int] | None:
    """``value`` when it is where a JSON text is (offset, length), else None."""
    ok = type(value) is list and len(value) == 2 and set(map(type, value)) <= _INT and value[0] >= 0 < value[1]
    return value if ok else None


def _contiguous(spans: Iterable[tuple[str | None, list]], size: int) -> bool:
    """Whether ``spans`` are all of this run's file of kept texts (``size`` characters), each after
    the one before, from its start to its end."""
    offset = 0
    for name, (start, length) in spans:
        if name != "" or start != offset:
            return False
        offset += length
    return offset == size


def _read_json_file(path: str) -> str | None:
    """A pack's JSON file (ASCII, as the JSON report writes), or None when it is gone or is not so."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    return data.decode("ascii") if data.isascii() else None


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


_row = attrgetter(*_COLUMNS)


def _stored(findings: list[Finding], counts: Iterable[int] = ()) -> tuple[str | None, list[str]]:
    """``counts`` and ``findings`` as one string of numbers (``_pack_ints``; None when one is
    negative: not kept), and the table of the texts they index."""
    index: dict[str, int] = {}
    numbers = list(counts)
    columns = list(zip(*map(_row, findings), strict=True)) if findings else ()
    add = index.setdefault
    for k, column in enumerate(columns[:_NULLABLE]):
        numbers += ([add(text, len(index)) for text in column] if k < _STRINGS else
                    [0 if text is None else add(text, len(index)) + 1 for text in column])
    for column in columns[_NULLABLE:]:
        numbers += map(int, column)  # a severity is an IntEnum
    return _pack_ints(numbers), list(map(_quote, index))  # as JSON strings: see _pack_text


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
