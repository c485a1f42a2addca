"""Python checks that rules/*.yaml name, grouped by theme.

Each check has the signature ``check(workload, params) -> Iterable[Hit]``. Checks read
manifests written by people, so every value may have any type: the helpers below turn
an unexpected type into "absent" instead of an exception. Schema problems are reported
by the schema layer; a check that meets a wrong type simply says nothing
(``jobcheck.kube.values``).
"""

from __future__ import annotations

from jobcheck.kube.values import as_int, as_list, as_map, as_str

__all__ = ["as_int", "as_list", "as_map", "as_str", "container_label"]


def container_label(name: str, init: bool) -> str:
    """Return how messages name a container: ``container "app"`` or ``init container "setup"``."""
    kind = "init container" if init else "container"
    return f'{kind} "{name}"' if name else f"unnamed {kind}"
