"""The schema layer as rules: unknown fields, schema violations, fields the version does not serve.

The three rules read one verdict per object (``jobcheck.kube.schema.check_schema``), computed
on first use and kept in the object's memo, so the schema is walked once whichever of them run.
"""

from __future__ import annotations

from jobcheck.finding import Hit
from jobcheck.kube.objects import Workload
from jobcheck.kube.schema import SchemaVerdict, check_schema
from jobcheck.kube.versions import DEFAULT_VERSION


def verdict(w: Workload) -> SchemaVerdict:
    """The schema verdict on ``w`` for the run's version and strictness (computed once)."""
    found = w.memo.get("schema")
    if found is None:
        found = w.memo["schema"] = check_schema(w, w.kubernetes_version or DEFAULT_VERSION, w.strict)
    return found


def unknown_field(w: Workload, params: dict) -> list[Hit]:
    return verdict(w).unknown


def schema_violation(w: Workload, params: dict) -> list[Hit]:
    return verdict(w).invalid


def field_not_in_version(w: Workload, params: dict) -> list[Hit]:
    return verdict(w).unserved
