"""Python checks that rules/*.yaml name, grouped by theme.

Each check has the signature ``check(workload, params) -> Iterable[Hit]``. Checks read
manifests written by people, so every value may have any type: the helpers below turn
an unexpected type into "absent" instead of an exception. Schema problems are reported
by the schema layer; a check that meets a wrong type simply says nothing.
"""

from __future__ import annotations

from typing import Any


def as_int(value: Any) -> int | None:
    """Return ``value`` if it is an integer (bool excluded), else None."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def as_str(value: Any) -> str | None:
    """Return ``value`` if it is a string, else None."""
    return value if isinstance(value, str) else None


def as_list(value: Any) -> list:
    """Return ``value`` if it is a list, else an empty list."""
    return value if isinstance(value, list) else []


def as_map(value: Any) -> dict:
    """Return ``value`` if it is a mapping, else an empty dict."""
    return value if isinstance(value, dict) else {}


def container_label(name: str, init: bool) -> str:
    """Return how messages name a container: ``container "app"`` or ``init container "setup"``."""
    kind = "init container" if init else "container"
    return f'{kind} "{name}"' if name else f"unnamed {kind}"
