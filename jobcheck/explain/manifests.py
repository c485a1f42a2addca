"""Read the CronJobs to explain from manifest files, directories (or standard input).

``explain`` takes either the words of one cron expression or paths; ``names_manifests``
tells them apart (an expression may contain ``/``: ``*/5 * * * *``), and ``expand_paths``
walks directories exactly as ``lint`` does (``jobcheck.discover``).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence

from jobcheck.cron import parse
from jobcheck.cron.parse import CronError
from jobcheck.discover import MANIFEST_SUFFIXES, STDIN, Target, expand
from jobcheck.kube.objects import Workload, iter_workloads
from jobcheck.yaml.loader import decode, load_text

# A word made only of what numeric cron fields are written with: "*/5", "1-5", "0,30", "?".
_CRON_WORD = re.compile(r"[0-9*?,/\-]+")


def looks_like_path(arg: str) -> bool:
    """Whether ``arg`` names a file or directory rather than a word of a cron expression.

    ``-`` and existing paths do; so does a word with a YAML/JSON suffix, or with a path
    separator unless it is made only of cron field characters (``*/5``, ``0-30/10``).
    """
    if arg == STDIN or os.path.exists(arg):  # False for a name with a NUL, which no file has
        return True
    if not arg or any(ch.isspace() for ch in arg):
        return False
    if arg.lower().endswith(MANIFEST_SUFFIXES):
        return True
    separators = {"/", os.sep} | ({os.altsep} if os.altsep else set())
    return any(sep in arg for sep in separators) and not _CRON_WORD.fullmatch(arg)


def names_manifests(args: Sequence[str]) -> bool:
    """Whether ``args`` name manifests (files, directories, ``-``) rather than one expression.

    Every argument an existing path (or ``-``): manifests. Otherwise the words joined are an
    expression when robfig parses them (a ``TZ=`` prefix included), and paths when one of
    them looks like a path (``deploy/cron.yaml`` that does not exist is reported as such,
    not parsed as a schedule).
    """
    if args and all(a == STDIN or os.path.exists(a) for a in args):
        return True
    try:
        parse(" ".join(args))
    except CronError:
        return any(looks_like_path(a) for a in args)
    return False


def run_excludes(args: Sequence[str]) -> tuple[str, tuple[str, ...]] | None:
    """The ``exclude`` of the configuration nearest the first path, as ``lint`` finds it.

    Returns (the config file's directory, its patterns), or None without a config file.
    Raises ``jobcheck.config.ConfigError`` for a config file that cannot be read.
    """
    from pathlib import Path

    from jobcheck.config import find_config, load_config

    first = next((a for a in args if a != STDIN and "\x00" not in a), ".")
    found = find_config(Path(first))
    if found is None:
        return None
    config = load_config(found)
    return os.path.dirname(os.path.abspath(found)), config.exclude


def expand_paths(args: Sequence[str], exclude_from: tuple[str, tuple[str, ...]] | None = None) -> list[Target]:
    """The files to read: explicit files as given, directories walked as ``lint`` walks them.

    ``exclude_from`` is a config file's (directory, exclude patterns) (``run_excludes``).
    A path that cannot be read (it does not exist) comes back with ``Target.error`` set.
    """
    out: list[Target] = []
    for arg in args:
        if "\x00" in arg:  # no file has such a name (os.stat refuses it): say so, as for any missing path
            out.append(Target(arg, "No such file or directory"))
        elif not looks_like_path(arg):
            out.append(Target(arg, "No such file or directory (give one cron expression, or paths)"))
        else:
            out.extend(expand([arg], exclude_from=exclude_from))
    return out


def read_cronjobs(path: str) -> list[tuple[Workload, int]]:
    """Return every CronJob in the file at ``path`` (``-``: standard input), List items included.

    Each with the 1-based line where it starts. Raises OSError when the file cannot be read
    or decoded.
    """
    if path == STDIN:
        raw = sys.stdin.buffer.read()
    else:
        with open(path, "rb") as fh:
            raw = fh.read()
    text, problem = decode(raw)
    if text is None:
        raise OSError(problem.message if problem else "cannot decode file")
    found = []
    for doc in load_text(text):
        for w in iter_workloads(doc.data):
            if w.kind == "CronJob":
                span, _ = doc.positions.locate(doc.data, w.path)
                found.append((w, span.line if w.path else doc.line))
    return found
