#!/usr/bin/env python3
"""Generate the bundled Job/CronJob JSON Schemas and the field-availability table.

Input: the strict JSON Schemas that the ``kubernetes-validate`` package ships
(a dev-only dependency; jobcheck never imports it at run time), one directory
per Kubernetes minor, each with ``job-batch-v1.json``, ``cronjob-batch-v1.json``
and a shared ``_definitions.json`` of ~600 definitions with full descriptions.

Output (``schemas/`` by default):

* ``v1.N/job.json`` and ``v1.N/cronjob.json``: one self-contained document per
  kind, with every ``$ref`` pointing into its own ``$defs``, which holds only
  the definitions the kind reaches. Descriptions and ``x-kubernetes-*``
  annotations are dropped (they do not constrain anything). The Quantity and
  IntOrString ``oneOf`` of two nullable types becomes one type list: it accepts
  the same non-null values, no longer rejects ``null`` (which matches both
  branches of the original ``oneOf``), and leaves nothing but plain keywords
  for the validators to handle.
* ``fields.json``: for every definition property that is not present in all
  the versions where its definition exists, the versions whose schema has it.
  Rule JC104 uses it to tell "unknown field" from "field of a newer (or older)
  Kubernetes".

Output is sorted and compact, so rerunning gives byte-identical files.

Which versions: by default the ones ``schemas/`` already holds (its ``v1.N`` folders
are jobcheck's list of supported versions); ``--versions 1.27-1.38`` picks a range,
to add or drop a version.

Usage: ``python scripts/gen_schemas.py [--source DIR] [--out DIR] [--versions FIRST-LAST]``
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
KINDS = {"job": "job-batch-v1.json", "cronjob": "cronjob-batch-v1.json"}
ROOT_NAMES = {"job": "Job", "cronjob": "CronJob"}  # how fields.json names each kind's root object
DEFS_FILE = "_definitions.json"
DEF_PREFIXES = ("/api/_definitions.json#/$defs/", "#/$defs/")
DRAFT = "https://json-schema.org/draft/2020-12/schema"

# Properties the OpenAPI documents mark required although the API server accepts
# them missing. JSON decoding never enforces "required"; validation does, after
# defaulting, so a schema-only "required" here would be a false positive.
NOT_REQUIRED = {
    # Defaulted to "True" before validation (facts reference A.0, SetDefaults_Job);
    # the 1.37 schema no longer lists it as required.
    "io.k8s.api.batch.v1.PodFailurePolicyOnPodConditionsPattern": {"status"},
    # Only the 1.27 schema requires it; validation wants onExitCodes *or*
    # onPodConditions, which is API validation's business, not the schema's.
    "io.k8s.api.batch.v1.PodFailurePolicyRule": {"onPodConditions"},
}


def bundled_versions(directory: Path = SCHEMAS) -> tuple[str, ...]:
    """The versions ``directory`` has a ``v1.N`` folder for, oldest first: what to regenerate by default."""
    found = sorted(
        (int(m.group(1)), int(m.group(2)))
        for entry in directory.iterdir()
        if entry.is_dir() and (m := re.fullmatch(r"v(\d+)\.(\d+)", entry.name))
    )
    return tuple(f"{major}.{minor}" for major, minor in found)


def version_range(text: str) -> tuple[str, ...]:
    """``1.27-1.38`` -> ("1.27", ..., "1.38"); a single ``1.30`` is a range of one."""
    match = re.fullmatch(r"(\d+)\.(\d+)(?:-(\d+)\.(\d+))?", text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"expected FIRST-LAST such as 1.27-1.38, got {text!r}")
    major, first = int(match.group(1)), int(match.group(2))
    last_major, last = (int(match.group(3)), int(match.group(4))) if match.group(3) else (major, first)
    if last_major != major or last < first:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ascending range within one major version")
    return tuple(f"{major}.{minor}" for minor in range(first, last + 1))


def default_source() -> Path:
    import kubernetes_validate  # dev-only dependency, imported here and nowhere else

    return Path(kubernetes_validate.__file__).resolve().parent / "kubernetes-json-schema"


def source_version() -> str:
    try:
        from kubernetes_validate.version import __version__
    except ImportError:
        return "unknown"
    return __version__


def ref_name(ref: str) -> str:
    for prefix in DEF_PREFIXES:
        if ref.startswith(prefix):
            return ref[len(prefix) :]
    raise ValueError(f"unexpected $ref {ref!r}")


def simplify(node: Any) -> Any:
    """Return a copy of a schema node without documentation, with local $refs."""
    if isinstance(node, list):
        return [simplify(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("description", "$id", "$schema") or key.startswith("x-kubernetes-"):
            continue
        if key == "$ref":
            out[key] = "#/$defs/" + ref_name(value)
        elif key == "properties":
            out[key] = {name: simplify(sub) for name, sub in value.items()}
        else:
            out[key] = simplify(value)
    one_of = out.get("oneOf")
    if one_of and all(set(branch) == {"type"} for branch in one_of):
        # oneOf [{"type": [string, null]}, {"type": [integer, null]}] -> {"type": [integer, string, null]}
        types: set[str] = set()
        for branch in one_of:
            t = branch["type"]
            types.update([t] if isinstance(t, str) else t)
        del out["oneOf"]
        out["type"] = sorted(types - {"null"}) + (["null"] if "null" in types else [])
    return out


def refs_in(node: Any) -> set[str]:
    found: set[str] = set()
    stack = [node]
    while stack:
        cur = stack.pop()
        if isinstance(cur, dict):
            for key, value in cur.items():
                if key == "$ref" and isinstance(value, str):
                    found.add(ref_name(value))
                else:
                    stack.append(value)
        elif isinstance(cur, list):
            stack.extend(cur)
    return found


def bundle(root: dict, definitions: dict) -> dict:
    """Return ``root`` as one document whose ``$defs`` hold exactly the reachable definitions."""
    schema = simplify(root)
    defs: dict[str, Any] = {}
    todo = sorted(refs_in(schema))
    while todo:
        name = todo.pop()
        if name in defs:
            continue
        defs[name] = simplify(definitions[name])
        relaxed = NOT_REQUIRED.get(name)
        if relaxed and "required" in defs[name]:
            kept = [prop for prop in defs[name]["required"] if prop not in relaxed]
            if kept:
                defs[name]["required"] = kept
            else:
                del defs[name]["required"]
        todo.extend(sorted(refs_in(defs[name]) - defs.keys()))
    schema["$schema"] = DRAFT
    schema["$defs"] = defs
    return schema


def field_table(bundles: dict[str, dict[str, dict]]) -> dict:
    """Return which versions have each property whose presence varies between versions.

    ``bundles`` maps each version, oldest first, to its schema per kind.
    """
    present: dict[tuple[str, str], list[str]] = {}
    def_versions: dict[str, list[str]] = {}
    for version in bundles:
        seen: dict[str, dict] = {}
        for kind, schema in bundles[version].items():
            seen[ROOT_NAMES[kind]] = schema
            seen.update(schema["$defs"])
        for def_name, node in seen.items():
            def_versions.setdefault(def_name, []).append(version)
            for prop in node.get("properties", {}):
                present.setdefault((def_name, prop), []).append(version)
    fields: dict[str, dict[str, list[str]]] = {}
    for (def_name, prop), versions in present.items():
        if versions != def_versions[def_name]:
            fields.setdefault(def_name, {})[prop] = versions
    return {"versions": list(bundles), "fields": fields}


def dump(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"


def generate(source: Path, out: Path, versions: tuple[str, ...] | None = None) -> list[Path]:
    """Write every generated file under ``out`` for ``versions`` (default: those in ``schemas/``);
    return their paths."""
    written: list[Path] = []
    bundles: dict[str, dict[str, dict]] = {}
    versions = versions or bundled_versions()
    for version in versions:
        src = source / f"v{version}.0-local-strict"
        definitions = json.loads((src / DEFS_FILE).read_text(encoding="utf-8"))["$defs"]
        bundles[version] = {}
        for kind, filename in KINDS.items():
            root = json.loads((src / filename).read_text(encoding="utf-8"))
            schema = bundle(root, definitions)
            bundles[version][kind] = schema
            target = out / f"v{version}" / f"{kind}.json"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(dump(schema), encoding="utf-8")
            written.append(target)
    # A version left out is no longer supported: its folder goes, since the folders are the list.
    for stale in sorted(set(bundled_versions(out)) - set(versions)):
        for kind in KINDS:
            (out / f"v{stale}" / f"{kind}.json").unlink(missing_ok=True)
        (out / f"v{stale}").rmdir()
    table = field_table(bundles)
    table["source"] = f"kubernetes-validate {source_version()}"
    target = out / "fields.json"
    target.write_text(dump(table), encoding="utf-8")
    written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--source", type=Path, help="kubernetes-json-schema directory (default: kubernetes-validate's)"
    )
    parser.add_argument("--out", type=Path, default=SCHEMAS)
    parser.add_argument(
        "--versions", type=version_range, help="FIRST-LAST, such as 1.27-1.38 (default: the versions in schemas/)"
    )
    args = parser.parse_args(argv)
    try:
        source = args.source or default_source()
    except ImportError:
        print(
            "kubernetes-validate is not installed: pip install -e '.[dev]' (or pass --source)",
            file=sys.stderr,
        )
        return 2
    written = generate(source, args.out, args.versions)
    total = sum(path.stat().st_size for path in written)
    print(f"wrote {len(written)} files, {total} bytes, to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
