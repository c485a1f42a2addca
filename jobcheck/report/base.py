"""What every reporter shares: the report context and the few formatting helpers
that several formats need identically (paths relative to the run's root,
object labels, stable fingerprints)."""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from json.encoder import encode_basestring_ascii as _quote

from jobcheck import __version__
from jobcheck.finding import Finding, Summary
from jobcheck.record import dataclass, field
from jobcheck.report.escape import BIDI_CONTROLS, json_safe, printable  # noqa: F401 (first defined here)
from jobcheck.rulemeta import Rule


def json_text(value: object, indent: str = "") -> str:
    """``json.dumps(value, indent=2)`` (as if nested at ``indent``), always valid JSON and valid
    Unicode: strings with surrogates escaped visibly and non-finite numbers as null
    (``escape.json_safe``). ASCII only, so any output encoding can carry it. Several times
    faster than json.dumps with indent, whose encoder is pure Python: strings go through the
    C string encoder, and a report writes one of these per finding."""
    text = _pretty(value, indent)
    return _pretty(json_safe(value), indent) if "\\ud" in text else text


def _pretty(value: object, indent: str) -> str:
    if isinstance(value, str):
        return _quote(value)
    if value is None or value is True or value is False:
        return _CONSTANTS[value]
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return float.__repr__(value) if math.isfinite(value) else "null"
    inner = indent + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = ",\n".join(f"{inner}{_quote(str(k))}: {_pretty(v, inner)}" for k, v in value.items())
        return "{\n" + items + "\n" + indent + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(inner + _pretty(v, inner) for v in value) + "\n" + indent + "]"
    raise TypeError(f"not JSON data: {type(value).__name__}")


_CONSTANTS = {None: "null", True: "true", False: "false"}


def _no_source(_file: str) -> list[str] | None:
    return None


@dataclass(frozen=True)
class ReportContext:
    """Everything a reporter needs besides the findings, the summary and the rules.

    ``source_lines(file)`` returns the file's lines (without line endings) for
    code frames, or None when they are not available. ``cwd`` is the root that
    SARIF, GitLab and GitHub paths are made relative to. ``files`` lists every
    linted file so that reports with a per-file shape (JUnit) also show the
    clean ones.
    """

    color: bool = False
    show_source: bool = False
    source_lines: Callable[[str], list[str] | None] = _no_source
    tool_version: str = __version__
    cwd: str = field(default_factory=os.getcwd)
    files: Sequence[str] = ()


# The signature every format implements.
RenderFn = Callable[[list[Finding], Summary, Mapping[str, Rule], ReportContext], str]


def _absolute(file: str, cwd: str) -> str:
    return os.path.normpath(os.path.join(os.path.abspath(cwd), file))


@lru_cache(maxsize=256)  # a file's findings come together, and several formats' parts ask in turn
def relative_to_root(file: str, cwd: str) -> str | None:
    """Return ``file`` as a POSIX path relative to ``cwd``, or None when it lies outside it."""
    absolute = _absolute(file, cwd)
    root = os.path.abspath(cwd)
    try:
        rel = os.path.relpath(absolute, root)
    except ValueError:  # another drive on Windows
        return None
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return None
    if os.sep == "/":  # relpath's parts are normalised already: as_posix would return rel itself
        return rel
    from pathlib import PurePath  # SARIF, GitLab, GitHub and JUnit only: text and JSON do not pay ~4 ms

    return PurePath(rel).as_posix()


@lru_cache(maxsize=256)  # as relative_to_root
def display_path(file: str, cwd: str) -> str:
    """Return the path CI systems expect: relative to ``cwd`` when under it, else as given."""
    from pathlib import PurePath

    rel = relative_to_root(file, cwd)
    return rel if rel is not None else PurePath(file).as_posix()


def artifact_uri(file: str, cwd: str) -> tuple[str, bool]:
    """Return (URI, relative) for ``file``.

    Under ``cwd`` the URI is a percent-encoded relative reference (meant to be
    resolved against the root); elsewhere it is an absolute ``file:`` URI.
    Every character outside RFC 3986's unreserved set and ``/`` is encoded as
    UTF-8 percent escapes, which also keeps a ``:`` in the first segment from
    being read as a scheme.
    """
    from pathlib import Path
    from urllib.parse import quote

    rel = relative_to_root(file, cwd)
    if rel is not None:
        return quote(rel, safe="/", errors="surrogateescape"), True  # an undecodable byte: its %XX
    return Path(_absolute(file, cwd)).as_uri(), False


def root_uri(cwd: str) -> str:
    """Return the ``file:`` URI of ``cwd`` with the trailing slash SARIF requires of a base."""
    from pathlib import Path

    uri = Path(os.path.abspath(cwd)).as_uri()
    return uri if uri.endswith("/") else uri + "/"


def object_label(finding: Finding) -> str:
    """Return ``Kind namespace/name`` (or ``Kind name``), or "" for findings outside any object."""
    if not finding.kind and not finding.object:
        return ""
    name = f"{finding.namespace}/{finding.object}" if finding.namespace else finding.object
    return f"{finding.kind} {name}".strip()


ObjectKey = tuple  # (display path, kind, namespace, object name): what a fingerprint's identity is per object


@dataclass
class SortedRun:
    """A run's findings as the whole-run formats (SARIF, GitLab, GitHub, JUnit) write them.

    ``findings`` is iterated once, in report order; it may be read back from disk, so a long
    run is never held in memory. ``fired`` maps the id of each rule with a finding to its name,
    ``per_object`` counts the findings of each object (``object_key``), which lets
    ``Fingerprints`` forget an object once its last finding is written.
    """

    findings: Iterable[Finding]
    fired: dict[str, str] = field(default_factory=dict)
    per_object: dict[ObjectKey, int] = field(default_factory=dict)

    @classmethod
    def of(cls, findings: Sequence[Finding], cwd: str) -> SortedRun:
        """The run of findings held in a list, in the list's order."""
        run = cls(findings)
        paths = DisplayPaths(cwd)
        for f in findings:
            run.count(f, paths)
        return run

    def count(self, f: Finding, paths: DisplayPaths) -> None:
        self.fired[f.rule] = f.name
        key = (paths(f.file), f.kind, f.namespace, f.object)
        self.per_object[key] = self.per_object.get(key, 0) + 1


class DisplayPaths:
    """``display_path`` for one root, remembered per file (findings of a file come together)."""

    def __init__(self, cwd: str) -> None:
        self.cwd, self.file, self.path = cwd, None, ""

    def __call__(self, file: str) -> str:
        if file != self.file:
            self.file, self.path = file, display_path(file, self.cwd)
        return self.path


class Fingerprints:
    """One fingerprint per finding, stable across runs and line shifts, unique in the report.

    The identity is the rule, the path relative to ``cwd`` (so it does not depend on the
    checkout location), the object and the field: never a line or column, so an edit elsewhere
    in the file keeps the fingerprint. Findings sharing that identity get an occurrence number
    in report order. Occurrences are counted per object and forgotten after the object's last
    finding (``per_object``), so memory follows the objects open at once, not the findings.
    """

    def __init__(self, cwd: str, per_object: dict[ObjectKey, int]) -> None:
        from hashlib import sha256  # only the formats with fingerprints need it (start-up time)

        self.paths = DisplayPaths(cwd)
        self.left = dict(per_object)
        self.seen: dict[ObjectKey, dict[tuple[str, str], int]] = {}
        self.sha256 = sha256

    def __call__(self, f: Finding) -> str:
        paths = self.paths
        path = paths.path if f.file == paths.file else paths(f.file)
        key = (path, f.kind, f.namespace, f.object)
        counts = self.seen.get(key)
        if counts is None:
            counts = self.seen[key] = {}
        identity = (f.rule, f.field)
        n = counts.get(identity, 0)
        counts[identity] = n + 1
        left = self.left.get(key, 1) - 1
        if left > 0:
            self.left[key] = left
        else:
            self.left.pop(key, None)
            del self.seen[key]
        text = f"{f.rule}\0{path}\0{f.kind}\0{f.namespace}\0{f.object}\0{f.field}\0{n}" if n else (
            f"{f.rule}\0{path}\0{f.kind}\0{f.namespace}\0{f.object}\0{f.field}"
        )
        return self.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def fingerprints(findings: Sequence[Finding], cwd: str) -> list[str]:
    """Return one fingerprint per finding of ``findings``, in order (see ``Fingerprints``)."""
    prints = Fingerprints(cwd, SortedRun.of(findings, cwd).per_object)
    return [prints(f) for f in findings]


def helm_note(finding: Finding) -> str:
    """Return `` [from chart/templates/x.yaml]`` for findings in helm output, else ""."""
    return f" [from {finding.source}]" if finding.source else ""
