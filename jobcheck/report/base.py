"""What every reporter shares: the report context and the few formatting helpers
that several formats need identically (paths relative to the run's root,
object labels, stable fingerprints)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from urllib.parse import quote

from jobcheck import __version__
from jobcheck.finding import Finding, Summary
from jobcheck.rulemeta import Rule

# Bidirectional overrides and isolates can make a quoted value display as
# something else; shown escaped, like other invisible controls.
BIDI_CONTROLS = {0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}


def printable(text: str, keep: str = "\t") -> str:
    """Return ``text`` with control characters (other than those in ``keep``) escaped,
    so a manifest's value cannot drive the terminal (colors, cursor moves, hidden text)."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch in keep or (code >= 0x20 and not 0x7F <= code <= 0x9F and code not in BIDI_CONTROLS):
            if 0xD800 <= code <= 0xDFFF:  # undecodable byte kept by surrogateescape
                out.append(f"\\x{code - 0xDC00:02x}" if code >= 0xDC80 else "\ufffd")
            else:
                out.append(ch)
        elif code <= 0xFF:
            out.append(f"\\x{code:02x}")
        else:
            out.append(f"\\u{code:04x}")
    return "".join(out)


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
    return PurePath(rel).as_posix()


def display_path(file: str, cwd: str) -> str:
    """Return the path CI systems expect: relative to ``cwd`` when under it, else as given."""
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
    rel = relative_to_root(file, cwd)
    if rel is not None:
        return quote(rel, safe="/"), True
    return Path(_absolute(file, cwd)).as_uri(), False


def root_uri(cwd: str) -> str:
    """Return the ``file:`` URI of ``cwd`` with the trailing slash SARIF requires of a base."""
    uri = Path(os.path.abspath(cwd)).as_uri()
    return uri if uri.endswith("/") else uri + "/"


def object_label(finding: Finding) -> str:
    """Return ``Kind namespace/name`` (or ``Kind name``), or "" for findings outside any object."""
    if not finding.kind and not finding.object:
        return ""
    name = f"{finding.namespace}/{finding.object}" if finding.namespace else finding.object
    return f"{finding.kind} {name}".strip()


def fingerprints(findings: Sequence[Finding], cwd: str) -> list[str]:
    """Return one fingerprint per finding, stable across runs and line shifts, unique in the report.

    The identity is the rule, the path relative to ``cwd`` (so it does not
    depend on the checkout location), the object and the field: never a line
    or column, so an edit elsewhere in the file keeps the fingerprint. Findings
    sharing that identity get an occurrence number in report order.
    """
    seen: dict[str, int] = {}
    out: list[str] = []
    for f in findings:
        identity = "\0".join((f.rule, display_path(f.file, cwd), f.kind, f.namespace, f.object, f.field))
        n = seen.get(identity, 0)
        seen[identity] = n + 1
        if n:
            identity += f"\0{n}"
        out.append(hashlib.sha256(identity.encode("utf-8", "surrogateescape")).hexdigest())
    return out


def helm_note(finding: Finding) -> str:
    """Return `` [from chart/templates/x.yaml]`` for findings in helm output, else ""."""
    return f" [from {finding.source}]" if finding.source else ""
