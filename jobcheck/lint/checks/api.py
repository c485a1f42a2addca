"""The API server's own validation as a rule: what it rejects on create beyond the schema."""

from __future__ import annotations

from collections.abc import Iterator

from jobcheck.finding import Hit
from jobcheck.kube.apiserver import validate_api
from jobcheck.kube.objects import Workload
from jobcheck.kube.versions import DEFAULT_VERSION, parse_version


def api_server_rejects(w: Workload, params: dict) -> Iterator[Hit]:
    return validate_api(w, parse_version(w.kubernetes_version or DEFAULT_VERSION))
