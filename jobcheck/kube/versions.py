"""The Kubernetes versions jobcheck supports: exactly those with a bundled schema.

The ``v1.NN`` folders under ``schemas/`` are the one list; adding a version means
generating its folder (``scripts/gen_schemas.py --versions``), nothing else.
"""

from __future__ import annotations

import contextlib
import os
from functools import lru_cache

from jobcheck.data import data_path
from jobcheck.redact import LazyPattern

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up, issue 13)
if TYPE_CHECKING:
    from pathlib import Path

_FOLDER_RE = LazyPattern(r"v(\d+)\.(\d+)")
_VERSION_RE = LazyPattern(r"v?(\d+)\.(\d+)(?:\.\d+)?")


def bundled_versions(directory: Path | None = None) -> tuple[str, ...]:
    """Return ``MAJOR.MINOR`` for every ``vMAJOR.MINOR`` folder in ``directory``, oldest first.

    ``directory`` defaults to the bundled ``schemas/``. Versions sort numerically (1.9 before 1.10).
    """
    directory = data_path("schemas") if directory is None else os.fspath(directory)
    found = []
    with os.scandir(directory) if os.path.isdir(directory) else contextlib.nullcontext(()) as entries:
        for entry in entries:
            match = _FOLDER_RE.fullmatch(entry.name)
            if match and entry.is_dir():
                found.append((int(match.group(1)), int(match.group(2))))
    return tuple(f"{major}.{minor}" for major, minor in sorted(found))


SUPPORTED_VERSIONS: tuple[str, ...] = bundled_versions()
if not SUPPORTED_VERSIONS:  # a broken install: say so rather than fail later on an empty tuple
    raise ImportError(f"jobcheck: no bundled schemas in {data_path('schemas')}")
DEFAULT_VERSION = SUPPORTED_VERSIONS[-1]


@lru_cache(maxsize=64)  # every API check asks once per object, almost always for the same text
def parse_version(text: str) -> tuple[int, int]:
    """Return ``(major, minor)`` for a supported version such as ``1.30`` (``v1.30.2`` works too).

    Raises ValueError with a message for the user when the text is not a version
    or the version has no bundled schema.
    """
    match = _VERSION_RE.fullmatch(str(text).strip())
    if not match:
        raise ValueError(
            f'invalid Kubernetes version "{text}": expected MAJOR.MINOR, such as {DEFAULT_VERSION}'
        )
    major, minor = int(match.group(1)), int(match.group(2))
    if f"{major}.{minor}" not in SUPPORTED_VERSIONS:
        raise ValueError(
            f'unsupported Kubernetes version "{text}": jobcheck has schemas for '
            f"{SUPPORTED_VERSIONS[0]} to {SUPPORTED_VERSIONS[-1]}"
        )
    return major, minor
