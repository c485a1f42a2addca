"""The bundled schemas are fresh, deterministic, self-contained and small."""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

import jsonschema
import pytest

from jobcheck.data import data_dir
from jobcheck.kube.versions import SUPPORTED_VERSIONS

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = data_dir("schemas")


def _gen_module():
    spec = importlib.util.spec_from_file_location("gen_schemas", ROOT / "scripts" / "gen_schemas.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("gen_schemas", module)
    spec.loader.exec_module(module)
    return module


def _files(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*.json"))}


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    pytest.importorskip("kubernetes_validate", reason="kubernetes-validate is a dev-only dependency")
    gen = _gen_module()
    first = tmp_path_factory.mktemp("first")
    second = tmp_path_factory.mktemp("second")
    gen.generate(gen.default_source(), first)
    gen.generate(gen.default_source(), second)
    return first, second


def test_generation_is_deterministic(regenerated):
    first, second = regenerated
    assert _files(first) == _files(second)


def test_committed_schemas_are_fresh(regenerated):
    first, _ = regenerated
    assert _files(first) == _files(SCHEMAS), "schemas/ is stale: rerun scripts/gen_schemas.py"


def test_generator_regenerates_the_versions_schemas_holds():
    folders = {p.name for p in SCHEMAS.iterdir() if p.is_dir() and p.name.startswith("v")}
    assert {f"v{v}" for v in _gen_module().bundled_versions(SCHEMAS)} == folders
    assert _gen_module().bundled_versions(SCHEMAS) == SUPPORTED_VERSIONS


def test_generator_version_range():
    gen = _gen_module()
    assert gen.version_range("1.9-1.11") == ("1.9", "1.10", "1.11")
    assert gen.version_range("1.30") == ("1.30",)
    for bad in ("1.30-1.29", "1.30-2.1", "latest", "1.30-"):
        with pytest.raises(argparse.ArgumentTypeError):
            gen.version_range(bad)


def test_generator_drops_the_folders_of_versions_left_out(tmp_path):
    gen = _gen_module()
    source = tmp_path / "source" / "v1.30.0-local-strict"
    source.mkdir(parents=True)
    (source / gen.DEFS_FILE).write_text('{"$defs": {}}')
    for filename in gen.KINDS.values():
        (source / filename).write_text('{"type": "object", "properties": {}}')
    out = tmp_path / "out"
    for kind in gen.KINDS:
        (out / "v1.29").mkdir(parents=True, exist_ok=True)
        (out / "v1.29" / f"{kind}.json").write_text("{}")
    gen.generate(source.parent, out, ("1.30",))
    assert gen.bundled_versions(out) == ("1.30",)
    assert json.loads((out / "fields.json").read_text())["versions"] == ["1.30"]


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
@pytest.mark.parametrize("kind", ["job", "cronjob"])
def test_bundle_is_self_contained_and_minimal(version, kind):
    path = SCHEMAS / f"v{version}" / f"{kind}.json"
    text = path.read_text(encoding="utf-8")
    schema = json.loads(text)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert '"description"' not in text
    assert "x-kubernetes-" not in text
    assert "oneOf" not in text
    refs = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "$ref":
                    refs.add(value)
                else:
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)
    assert all(ref.startswith("#/$defs/") for ref in refs)
    # Exactly the reachable definitions: every ref resolves, every definition is referenced.
    assert {ref.removeprefix("#/$defs/") for ref in refs} == set(schema["$defs"])
    # Compact, sorted output, byte-identical to a re-dump.
    assert text == json.dumps(schema, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"
    assert len(text) < 60_000


def test_total_size_is_small():
    total = sum(p.stat().st_size for p in SCHEMAS.rglob("*.json"))
    assert total < 1_200_000


def test_int_or_string_and_quantity_are_type_lists():
    defs = json.loads((SCHEMAS / "v1.37" / "job.json").read_text())["$defs"]
    assert defs["io.k8s.apimachinery.pkg.util.intstr.IntOrString"] == {"type": ["integer", "string", "null"]}
    assert defs["io.k8s.apimachinery.pkg.api.resource.Quantity"] == {"type": ["number", "string", "null"]}


def test_strictness_is_kept():
    defs = json.loads((SCHEMAS / "v1.30" / "cronjob.json").read_text())["$defs"]
    for name in ("io.k8s.api.batch.v1.JobSpec", "io.k8s.api.core.v1.Container", "io.k8s.api.core.v1.EnvVar"):
        assert defs[name]["additionalProperties"] is False
