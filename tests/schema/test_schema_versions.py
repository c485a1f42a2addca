"""Version selection and loading."""

from __future__ import annotations

import pytest

from jobcheck.kube import schema
from jobcheck.kube.schema import DEFAULT_VERSION, SUPPORTED_VERSIONS, parse_version


def test_supported_versions():
    assert SUPPORTED_VERSIONS == tuple(f"1.{n}" for n in range(27, 38))
    assert DEFAULT_VERSION == "1.37"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1.30", (1, 30)), ("v1.27", (1, 27)), ("1.37.2", (1, 37)), (" 1.31 ", (1, 31))],
)
def test_parse_version(text, expected):
    assert parse_version(text) == expected


@pytest.mark.parametrize("text", ["1.26", "1.38", "2.0", "0.30"])
def test_parse_version_unsupported(text):
    with pytest.raises(ValueError, match=r"unsupported Kubernetes version .*1\.27 to 1\.37"):
        parse_version(text)


@pytest.mark.parametrize("text", ["", "latest", "1", "1.x", "1.30-rc"])
def test_parse_version_invalid(text):
    with pytest.raises(ValueError, match=r"invalid Kubernetes version .*MAJOR\.MINOR"):
        parse_version(text)


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
@pytest.mark.parametrize("kind", ["Job", "CronJob"])
def test_every_version_loads_and_compiles(version, kind):
    loaded = schema.load_schema(version, kind)
    assert loaded.version == version
    assert loaded.fast[True] is not None and loaded.fast[False] is not None
    assert loaded.validator is loaded.validator  # built once
    assert schema.load_schema(version, kind) is loaded  # cached
    assert schema.load_schema(f"v{version}.0", kind) is loaded  # one cache entry per version


def test_validate_rejects_unsupported_version():
    from schema_samples import job_doc, workload

    with pytest.raises(ValueError, match="unsupported"):
        schema.check_schema(workload(job_doc()), "1.20")
