"""Validate Jobs and CronJobs against the bundled schema of a Kubernetes version.

Validation runs in two stages. A validator compiled from the bundled schema into
closures (``jobcheck.kube.fastschema``) answers "valid or not"; only when it says "not
valid" are the errors listed, as jsonschema lists them, by ``fastschema.iter_errors``
(jsonschema itself is not imported by a run: the import alone costs ~55 ms; the tests
hold the two to the same answers).

``check_schema`` sorts what it finds into unknown fields (strict mode only), other
violations, and fields the selected version does not serve or serves only behind an
alpha gate that is off by default; the lint layer's rules report each kind.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from functools import cache, cached_property, lru_cache

from jobcheck.data import data_path
from jobcheck.finding import Hit, Path, format_path
from jobcheck.kube import fieldversions
from jobcheck.kube.fastschema import FORMATS, SchemaError, Watched, compile_schema, iter_errors
from jobcheck.kube.objects import Workload
from jobcheck.kube.versions import parse_version
from jobcheck.record import dataclass, field
from jobcheck.redact import LazyPattern
from jobcheck.yaml.scalars import resolve_plain

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up, issue 13)
if TYPE_CHECKING:
    from typing import Any

    import jsonschema

ROOT_NAMES = {"Job": "Job", "CronJob": "CronJob"}  # how fields.json names the root objects


@lru_cache(maxsize=64)
def _version_key(version: str) -> str:
    major, minor = parse_version(version)
    return f"{major}.{minor}"


# ---------------------------------------------------------------------------
# Loading


def _format_checker() -> jsonschema.FormatChecker:
    import jsonschema

    # Only the integer ranges: date-time and byte stay unchecked, manifests hardly use them.
    checker = jsonschema.FormatChecker(formats=())
    for name, check in FORMATS.items():
        checker.checks(name)(check)
    return checker


class _Fast(dict):
    """The fast validators of one schema by strictness, each compiled when first asked for (a run
    uses one of the two, and compiling one costs a few milliseconds of start-up). The strict one,
    which every object meets, also notes the pod-template fields JC104 looks for (``Watched``)."""

    def __init__(self, schema: dict, version: str) -> None:
        super().__init__()
        self.schema, self.version = schema, version

    def __missing__(self, strict: bool) -> Callable[[Any], bool] | None:
        if strict:
            compiled = self[strict] = Watched(self.schema, True, fieldversions.pod_gated_fields(self.version))
        else:
            compiled = self[strict] = compile_schema(self.schema, strict)
        return compiled


@dataclass
class _Schema:
    version: str
    kind: str
    schema: dict
    def_names: dict[int, str] = field(default_factory=dict)  # id(node) -> definition name
    fast: _Fast = field(init=False)  # by strictness, compiled lazily

    def __post_init__(self) -> None:
        self.fast = _Fast(self.schema, self.version)

    @cached_property
    def validator(self) -> jsonschema.Draft202012Validator:
        """jsonschema's validator of this schema: the reference the tests hold ``errors`` to."""
        import jsonschema

        return jsonschema.Draft202012Validator(self.schema, format_checker=_format_checker())

    def errors(self, data: Any) -> list[SchemaError]:
        """The schema's errors for ``data``, as jsonschema gives them (asked only of objects the
        fast validator rejects)."""
        return list(iter_errors(self.schema, data))


def load_schema(version: str, kind: str) -> _Schema:
    """Return the bundled schema of ``kind`` (Job or CronJob) for ``version``, compiled (cached)."""
    return _load(_version_key(version), kind)


@cache
def _load(key: str, kind: str) -> _Schema:
    path = os.path.join(data_path("schemas"), f"v{key}", f"{kind.lower()}.json")
    with open(path, encoding="utf-8") as fh:
        schema = json.load(fh)
    loaded = _Schema(key, kind, schema)
    loaded.def_names[id(schema)] = ROOT_NAMES[kind]
    for name, node in schema.get("$defs", {}).items():
        loaded.def_names[id(node)] = name
    return loaded


def is_valid(w: Workload, version: str, strict: bool = True) -> bool:
    """Return whether the object conforms to the schema of ``version`` (fast path only)."""
    fast = load_schema(version, w.kind).fast[strict]
    return fast is None or fast(w.data)


# ---------------------------------------------------------------------------
# Findings


@dataclass(slots=True)
class SchemaVerdict:
    """What the bundled schema of one version says about one object, by kind of problem.

    Each list is in jsonschema's error order with at most one hit per place. Paths are
    absolute in the document.
    """

    unknown: list[Hit] = field(default_factory=list)  # keys the schema does not define (strict only)
    invalid: list[Hit] = field(default_factory=list)  # missing required fields, wrong types, values
    unserved: list[Hit] = field(default_factory=list)  # keys a newer version serves; alpha-gated fields


def check_schema(w: Workload, version: str, strict: bool = True) -> SchemaVerdict:
    """Validate the object against the schema of ``version``.

    One strict walk of the fast validator serves all three answers; jsonschema runs only for
    an object that walk rejects. A field that ``version`` lacks but a newer version serves is
    ``unserved``, never ``unknown``.
    """
    key = _version_key(version)
    loaded = load_schema(key, w.kind)
    strict_fast = loaded.fast[True]
    strict_valid = strict_fast(w.data)
    verdict = SchemaVerdict()
    fast = loaded.fast[strict]
    valid = strict_valid if strict else (fast is None or fast(w.data))
    errors = [] if strict_valid else loaded.errors(w.data)  # the strict walk's errors serve every answer
    if not valid:
        _explain(loaded, w, strict, errors, verdict)
    if not strict_valid:
        for error in errors:
            if error.validator == "additionalProperties":
                verdict.unserved.extend(_unknown_field_hits(loaded, w, error, newer=True))
    verdict.unserved.extend(fieldversions.gated_hits(w, key, walk_pod=strict_fast.met()))
    return verdict


def _explain(loaded: _Schema, w: Workload, strict: bool, errors: list[SchemaError],
             verdict: SchemaVerdict) -> None:
    unknown: dict[Path, Hit] = {}
    invalid: dict[Path, Hit] = {}
    by_place: dict[tuple, list[SchemaError]] = {}
    for error in errors:
        if error.validator == "additionalProperties":
            if strict:
                for hit in _unknown_field_hits(loaded, w, error, newer=False):
                    unknown.setdefault(hit.path, hit)
        elif error.validator == "required":
            for hit in _required_hits(loaded, w, error):
                invalid.setdefault(hit.path, hit)
        else:
            by_place.setdefault(tuple(error.absolute_path), []).append(error)
    for place, errors in by_place.items():
        # One finding per place: enum+type (a number where a string enum is expected) gives two
        # errors for one value. jsonschema's best_match would pick the first: the errors of one
        # place come from one schema node (no anyOf/oneOf in these schemas), so they rank equal.
        error = errors[0]
        invalid.setdefault(w.path + place, _violation_hit(w, error))
    verdict.unknown.extend(unknown.values())
    verdict.invalid.extend(invalid.values())


def _unknown_field_hits(loaded: _Schema, w: Workload, error: SchemaError, newer: bool) -> Iterator[Hit]:
    """Hits for the keys an ``additionalProperties: false`` error is about.

    With ``newer``, only keys a newer version serves; otherwise only the others.
    """
    node = error.schema
    allowed = node.get("properties", {}) if isinstance(node, dict) else {}
    definition = loaded.def_names.get(id(node), "")
    place = w.path + tuple(error.absolute_path)
    for key in error.instance:
        if key in allowed:
            continue
        path = place + (key,)
        since = fieldversions.first_newer(definition, str(key), loaded.version)
        if newer and since:
            gate = fieldversions.gate_for(definition, str(key))
            note = f" ({fieldversions.gate_note(gate)})" if gate else ""
            yield Hit(
                path,
                f"{_rel_field(w, path)} is not served by Kubernetes {loaded.version}; it first appears in "
                f"{since}{note}. The API server rejects or silently drops it, depending on field validation.",
                on_key=True,
            )
        elif not newer and not since:
            yield _unknown_hit(loaded, w, path, definition, str(key), allowed)


def _unknown_hit(
    loaded: _Schema, w: Workload, path: Path, definition: str, key: str, allowed: Iterable[str]
) -> Hit:
    owner = _short(definition) or "this object"
    message = f'unknown field "{_rel_field(w, path)}" ({owner} has no field "{key}")'
    until = fieldversions.last_older(definition, key, loaded.version)
    if until:
        message += f"; it was served up to Kubernetes {until}"
    suggestion = _suggest(key, allowed)
    fix = None
    if suggestion:
        message += f'; did you mean "{suggestion}"?'
        fix = f'Rename "{key}" to "{suggestion}".'
    return Hit(path, message, fix=fix, on_key=True)


def _suggest(key: str, allowed: Iterable[str]) -> str | None:
    names = sorted(allowed)
    by_lower = {name.lower(): name for name in names}
    if key.lower() in by_lower:
        return by_lower[key.lower()]
    import difflib  # only an unknown field gets here

    close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    return close[0] if close else None


def _required_hits(loaded: _Schema, w: Workload, error: SchemaError) -> Iterator[Hit]:
    # A required error sits on the parent; point at the missing field instead.
    owner = _short(loaded.def_names.get(id(error.schema), "")) or "this object"
    for name in error.validator_value:
        if isinstance(error.instance, dict) and name not in error.instance:
            path = w.path + tuple(error.absolute_path) + (name,)
            yield Hit(
                path, f'{_rel_field(w, path)}: Required value ({owner} must have "{name}")', absent=True
            )


def _violation_hit(w: Workload, error: SchemaError) -> Hit:
    path = w.path + tuple(error.absolute_path)
    name = _rel_field(w, path)
    value = error.instance
    fix = None
    if error.validator == "type":
        expected = error.validator_value
        expected = [expected] if isinstance(expected, str) else [t for t in expected if t != "null"]
        hint, fix = _type_hint(expected, value)
        # A string field may hold a credential: say what came, never the value. Int-or-string
        # fields (ports, quantities, percentages) cannot, and keep the value.
        got = _kind_of(value) if expected == ["string"] else _describe(value)
        message = f"{name}: expected {' or '.join(expected)}, got {got}{hint}"
    elif error.validator == "enum":
        supported = ", ".join(json.dumps(v) for v in error.validator_value)
        message = f"{name}: Unsupported value: {_schema_value(value)}: supported values: {supported}"
    elif error.validator == "format" and error.validator_value in FORMATS:
        bits = int(error.validator_value[3:])
        message = (
            f"{name}: Invalid value: {value}: out of range for {error.validator_value} "
            f"({-(2 ** (bits - 1))} to {2 ** (bits - 1) - 1})"
        )
    elif isinstance(value, (dict, list, str)):
        # jsonschema's own message quotes the instance (a whole subtree, or a string that may be a
        # credential): name the keyword that failed instead.
        message = f"{name}: Invalid value: {_schema_value(value)}: does not satisfy the schema's {error.validator}"
    else:
        message = f"{name}: {error.message}"
    return Hit(path, message, fix=fix)


def _type_hint(expected: list[str], value: Any) -> tuple[str, str | None]:
    if "string" in expected and isinstance(value, bool):
        return (
            " (yes/no/on/off are booleans in YAML 1.1; quote it)",
            "Quote the value so that it stays a string.",
        )
    if "string" in expected and isinstance(value, (int, float)):
        return " (quote it)", "Quote the value so that it stays a string."
    if (
        {"integer", "number"} & set(expected)
        and isinstance(value, str)
        and _NUMBER_RE.fullmatch(value.strip())
    ):
        if isinstance(resolve_plain(value.strip()), str):  # beyond float64: unquoting does not help
            return " (a number this large is read as a string)", "Use a number within the field's range."
        return " (a quoted number is a string; remove the quotes)", "Remove the quotes around the number."
    if "boolean" in expected and isinstance(value, str) and value.lower() in ("true", "false"):
        return " (a quoted boolean is a string; remove the quotes)", "Remove the quotes around the boolean."
    return "", None


_NUMBER_RE = LazyPattern(r"[-+]?\d+(\.\d*)?([eE][-+]?\d+)?")


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {'true' if value else 'false'}"
    if isinstance(value, int):
        return f"integer {value}"
    if isinstance(value, float):
        return f"number {value!r}"
    if isinstance(value, str):
        return f"string {_schema_value(value)}"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    return type(value).__name__


def _kind_of(value: Any) -> str:
    """What a value is, without the value (for fields that may hold a credential)."""
    if isinstance(value, bool):
        return "an unquoted boolean"
    if isinstance(value, (int, float)):
        return "an unquoted number"
    return _describe(value) if not isinstance(value, str) else "a string"


def _schema_value(value: Any) -> str:
    """A bad value in a JC102 message. Numbers, booleans and null print as the API server prints
    them (``go_value``). Strings differ on purpose: JSON-quoted, not Go-quoted, and cut at 60
    characters; maps and lists are named, not printed, since a schema error can be about a whole
    subtree."""
    if isinstance(value, str):
        from jobcheck.redact import looks_secret

        if looks_secret(value):
            return "<value not shown: it may be a credential>"
        text = value if len(value) <= 60 else value[:57] + "..."
        return json.dumps(text, ensure_ascii=False)
    if isinstance(value, (bool, int, float)) or value is None:
        # Imported here: the apiserver package costs ~30 ms, and only an invalid object gets here.
        from jobcheck.kube.apiserver.messages import go_value

        return go_value(value)
    return _describe(value)


def _rel_field(w: Workload, path: Path) -> str:
    """Return ``path`` in Kubernetes notation, relative to the object (as the API server writes it)."""
    return format_path(tuple(str(p) if not isinstance(p, int) else p for p in path[len(w.path) :])) or w.kind


def _short(definition: str) -> str:
    return definition.rsplit(".", 1)[-1]
