"""Version selection and loading."""

from __future__ import annotations

import re

import pytest

from jobcheck.data import data_dir
from jobcheck.kube import schema
from jobcheck.kube.versions import DEFAULT_VERSION, SUPPORTED_VERSIONS, bundled_versions, parse_version

FIRST_MINOR = int(SUPPORTED_VERSIONS[0].split(".")[1])
LAST_MINOR = int(SUPPORTED_VERSIONS[-1].split(".")[1])


def test_supported_versions_are_the_schema_folders():
    folders = {p.name for p in data_dir("schemas").iterdir() if p.is_dir() and p.name.startswith("v1.")}
    assert {f"v{v}" for v in SUPPORTED_VERSIONS} == folders
    assert [int(v.split(".")[1]) for v in SUPPORTED_VERSIONS] == list(range(FIRST_MINOR, LAST_MINOR + 1))
    assert DEFAULT_VERSION == SUPPORTED_VERSIONS[-1]


def test_bundled_versions_sort_numerically_and_skip_other_entries(tmp_path):
    for name in ("v1.10", "v1.9", "v2.0", "v1.100", "v1.x", "1.11", "fields.json"):
        (tmp_path / name).mkdir()
    (tmp_path / "v1.12").write_text("a file, not a folder")
    assert bundled_versions(tmp_path) == ("1.9", "1.10", "1.100", "2.0")
    assert bundled_versions(tmp_path / "missing") == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1.30", (1, 30)), ("v1.27", (1, 27)), ("1.37.2", (1, 37)), (" 1.31 ", (1, 31))],
)
def test_parse_version(text, expected):
    assert parse_version(text) == expected


@pytest.mark.parametrize("text", [f"1.{FIRST_MINOR - 1}", f"1.{LAST_MINOR + 1}", "2.0", "0.30"])
def test_parse_version_unsupported(text):
    span = re.escape(f"{SUPPORTED_VERSIONS[0]} to {SUPPORTED_VERSIONS[-1]}")
    with pytest.raises(ValueError, match=f"unsupported Kubernetes version .*{span}"):
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
