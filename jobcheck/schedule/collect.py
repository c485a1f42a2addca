"""The CronJobs of the paths given to ``jobcheck schedule``, found as ``jobcheck lint`` finds files.

The same discovery (``discover.expand``: walks, default excludes, .gitignore, ``--exclude``),
the same configuration (the run's config file, found from the first path unless given or
refused, and the ``exclude`` of the config file nearest each file) and the same skips: a Helm
template is not read (it is not YAML until rendered), a kustomize patch is a partial object (its
base holds the CronJob), a file that is not UTF-8 or UTF-16 is an input error, and a document
that does not parse ends what is read of its file (the documents before it count).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jobcheck.config import Config, find_config, load_config
from jobcheck.discover import STDIN, Target, excluded, expand, read_bytes
from jobcheck.kube.objects import iter_workloads
from jobcheck.yaml.loader import decode, load_text
from jobcheck.yaml.prescan import prescan_text


@dataclass(frozen=True)
class Source:
    """One CronJob as written: where it is and its object (plain data)."""

    file: str
    line: int
    data: dict


@dataclass
class Collected:
    cronjobs: list[Source] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (path, why it could not be read)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why it was left out)


def run_config(paths: Iterable[str], config_path: str | None = None, no_config: bool = False) -> Config:
    """The run's configuration, as ``jobcheck lint`` finds it (raises config.ConfigError)."""
    if config_path:
        return load_config(Path(config_path))
    if no_config:
        return Config()
    first = next((p for p in paths if p != STDIN), ".")
    found = find_config(Path(first))
    return load_config(found) if found is not None else Config()


def targets(paths: Iterable[str], config: Config, exclude: Iterable[str] = (), *, per_file_config: bool = True,
            respect_gitignore: bool = True, default_excludes: bool = True,
            skipped: Callable[[str, str], None] | None = None) -> list[Target]:
    """The files to read: ``discover.expand`` under the run's excludes, then each file's nearer config."""
    paths = list(paths)
    config_dir = os.path.dirname(os.path.abspath(config.path)) if config.path else "."
    found = list(expand(paths, tuple(exclude), respect_gitignore=respect_gitignore,
                        default_excludes=default_excludes, exclude_from=(config_dir, config.exclude),
                        skipped=skipped, notice=skipped))
    if not per_file_config:
        return found
    run_path = os.path.realpath(config.path) if config.path else None
    walked: dict = {}
    excludes: dict[str, tuple[str, tuple[str, ...]] | None] = {}  # directory -> (config dir, its exclude)
    kept = []
    for target in found:
        if target.path == STDIN or target.error:
            kept.append(target)
            continue
        directory = os.path.dirname(os.path.abspath(target.path))
        if directory not in excludes:
            near = find_config(Path(directory), walked)
            own = None
            if near is not None and os.path.realpath(near) != run_path:
                own = (os.path.dirname(str(near)), load_config(near).exclude)
            excludes[directory] = own
        own = excludes[directory]
        if own and own[1] and excluded(os.path.relpath(os.path.abspath(target.path), own[0]), own[1]):
            continue
        kept.append(target)
    return kept


def read_cronjobs(found: Iterable[Target], stdin_name: str = "<stdin>") -> Collected:
    """Every CronJob of the targets (List items included), in input order."""
    out = Collected()
    for target in found:
        name = stdin_name if target.path == STDIN else target.path
        if target.error:
            out.errors.append((name, target.error))
            continue
        if target.partial:
            out.skipped.append((name, "a kustomize patch (its base holds the CronJob)"))
            continue
        try:
            raw = read_bytes(target.path)
        except IsADirectoryError:
            out.errors.append((name, "is a directory"))
            continue
        except OSError as exc:
            out.errors.append((name, exc.strerror or str(exc)))
            continue
        text, problem = decode(raw)
        if text is None:
            out.errors.append((name, problem.message if problem else "cannot decode file"))
            continue
        if "{{" in text and prescan_text(text).template is not None:
            out.skipped.append((name, "a Helm template (render it first, e.g. helm template ... | jobcheck schedule -)"))
            continue
        out.cronjobs.extend(_cronjobs(text, name))
    return out


def _cronjobs(text: str, name: str) -> list[Source]:
    found = []
    for doc in load_text(text):
        if doc.data is None:
            continue
        for workload in iter_workloads(doc.data):
            if workload.kind != "CronJob":
                continue
            span, _ = doc.positions.locate(doc.data, workload.path)
            line = span.line if workload.path else _first_line(doc, workload.data)
            found.append(Source(name, line, workload.data))
    return found


def _first_line(doc: Any, data: dict) -> int:
    """The line of the object's first key (the document's own start may be a ``---`` or a comment)."""
    if data:
        span, _ = doc.positions.locate(data, (next(iter(data)),), on_key=True)
        return span.line
    return doc.line
