from __future__ import annotations

import pytest

from jobcheck.lint.checks import placement
from tests.checks._build import cronjob, hits, job


def test_no_placement_is_reported_on_the_pod_spec() -> None:
    [hit] = hits(placement.no_node_placement, job())
    assert hit.path == ("spec", "template", "spec", "nodeSelector")
    [hit] = hits(placement.no_node_placement, cronjob())
    assert hit.path == ("spec", "jobTemplate", "spec", "template", "spec", "nodeSelector")


@pytest.mark.parametrize(
    "pod",
    [
        {"nodeSelector": {"pool": "batch"}},
        {"tolerations": [{"key": "spot", "operator": "Exists"}]},
        {"affinity": {"nodeAffinity": {}}},
    ],
)
def test_any_placement_field_is_enough(pod: dict) -> None:
    assert hits(placement.no_node_placement, job(pod=pod)) == []


def test_empty_placement_fields_count_as_none() -> None:
    assert len(hits(placement.no_node_placement, job(pod={"nodeSelector": {}, "tolerations": []}))) == 1
