"""Read values of any type from manifests written by people.

Every value may have any type; these helpers turn an unexpected type into "absent" instead
of an exception. Schema problems are reported by the schema layer, so a reader that meets a
wrong type simply sees nothing.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up, issue 13)
if TYPE_CHECKING:
    from typing import Any



def as_int(value: Any) -> int | None:
    """Return ``value`` if it is an integer (bool excluded), else None."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def as_str(value: Any) -> str | None:
    """Return ``value`` if it is a string, else None."""
    return value if isinstance(value, str) else None


def as_list(value: Any) -> list:
    """Return ``value`` if it is a list, else an empty list."""
    return value if isinstance(value, list) else []


def as_map(value: Any) -> dict:
    """Return ``value`` if it is a mapping, else an empty dict."""
    return value if isinstance(value, dict) else {}
