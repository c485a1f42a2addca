"""Expand command-line paths into the files to lint."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
STDIN = "-"


@dataclass(frozen=True)
class Target:
    path: str  # what the user sees in findings
    error: str | None = None  # why it cannot be linted (an I/O or usage error)


def excluded(path: str, patterns: Iterable[str]) -> bool:
    """Match a glob against the whole path, its normalised form and its last component."""
    norm = os.path.normpath(path)
    base = os.path.basename(norm)
    for pattern in patterns:
        pat = pattern.rstrip("/")
        if fnmatch.fnmatch(norm, pat) or fnmatch.fnmatch(base, pat) or fnmatch.fnmatch(norm, f"*/{pat}"):
            return True
        if fnmatch.fnmatch(norm, f"{pat}/*") or fnmatch.fnmatch(norm, f"*/{pat}/*"):
            return True
    return False


def expand(paths: Iterable[str], exclude: Iterable[str] = ()) -> Iterator[Target]:
    """Yield files to lint in a stable order: explicit files as given, directories recursively.

    Directory walks take only *.yaml, *.yml and *.json, skip hidden directories and
    files, and do not follow symlinked directories (so symlink loops cannot trap them).
    """
    exclude = tuple(exclude)
    for raw in paths:
        if raw == STDIN:
            yield Target(STDIN)
            continue
        if excluded(raw, exclude):
            continue
        try:
            os.stat(raw)
        except OSError as exc:
            yield Target(raw, _os_reason(exc))
            continue
        if os.path.isdir(raw):
            yield from _walk(raw, exclude)
        else:
            yield Target(raw)


def _walk(root: str, exclude: tuple[str, ...]) -> Iterator[Target]:
    errors: list[OSError] = []
    for directory, dirnames, filenames in os.walk(root, onerror=errors.append):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                             and not excluded(os.path.join(directory, d), exclude))
        for name in sorted(filenames):
            if name.startswith(".") or not name.lower().endswith(MANIFEST_SUFFIXES):
                continue
            full = os.path.join(directory, name)
            if excluded(full, exclude):
                continue
            yield Target(full)
        while errors:
            exc = errors.pop()
            yield Target(exc.filename or directory, _os_reason(exc))


def _os_reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def read_bytes(target: str) -> bytes:
    """Read a file, or standard input for ``-``."""
    if target == STDIN:
        import sys

        return sys.stdin.buffer.read()
    with open(target, "rb") as handle:
        return handle.read()
