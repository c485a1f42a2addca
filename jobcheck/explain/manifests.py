"""Read the CronJobs to explain from manifest files (or standard input)."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from jobcheck.kube.objects import Workload, iter_workloads
from jobcheck.yaml.loader import decode, load_text


def names_manifests(args: Sequence[str]) -> bool:
    """Whether ``args`` name manifests (every one an existing file, or ``-``) rather than an expression."""
    return all(a == "-" or os.path.isfile(a) for a in args)


def read_cronjobs(path: str) -> list[Workload]:
    """Return every CronJob in the file at ``path`` (``-``: standard input), List items included.

    Raises OSError when the file cannot be read or decoded.
    """
    if path == "-":
        raw = sys.stdin.buffer.read()
    else:
        with open(path, "rb") as fh:
            raw = fh.read()
    text, problem = decode(raw)
    if text is None:
        raise OSError(problem.message if problem else "cannot decode file")
    found = []
    for doc in load_text(text):
        found.extend(w for w in iter_workloads(doc.data) if w.kind == "CronJob")
    return found
