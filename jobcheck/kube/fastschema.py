"""The fast schema validator: a bundled JSON Schema compiled into closures that answer
"valid or not", about forty times faster than jsonschema.

The bundled schemas use a handful of keywords (``_KNOWN_KEYWORDS``); any other keyword makes
compilation fail, so a schema refresh that needs more cannot slip through unnoticed.
``tests/schema`` checks that this validator and jsonschema agree on mutated documents.
"""

from __future__ import annotations

from collections.abc import Callable

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up, issue 13)
if TYPE_CHECKING:
    from typing import Any


def int_range(bits: int) -> Callable[[Any], bool]:
    low, high = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1

    def check(value: Any) -> bool:
        if isinstance(value, float):
            # 1e20 is an integer to the schema (2.0 is), and Go refuses it for an int32 field just
            # the same; inf and NaN fail the type instead.
            return not value.is_integer() or low <= value <= high
        if isinstance(value, bool) or not isinstance(value, int):
            return True  # a format applies only to values of its type
        return low <= value <= high

    return check


FORMATS: dict[str, Callable[[Any], bool]] = {"int32": int_range(32), "int64": int_range(64)}


_ACCEPT_ALL = None  # a compiled node that accepts everything is represented by None
_SIMPLE_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "object": (dict,),
    "array": (list,),
    "boolean": (bool,),
    "null": (type(None),),
}
_KNOWN_KEYWORDS = {
    "$ref",
    "type",
    "properties",
    "additionalProperties",
    "required",
    "enum",
    "items",
    "format",
}


def _type_check(types: tuple[str, ...]) -> Callable[[Any], bool]:
    """Return a predicate with jsonschema's meaning of ``type`` (bool is not a number; 2.0 is an integer)."""
    simple = tuple(t for name in types for t in _SIMPLE_TYPES.get(name, ()))
    integer, number, boolean = "integer" in types, "number" in types, "boolean" in types
    if not integer and not number:
        if boolean:
            return lambda v: isinstance(v, simple)
        return lambda v: isinstance(v, simple) and not isinstance(v, bool)

    def check(v: Any) -> bool:
        if isinstance(v, bool):
            return boolean
        if isinstance(v, int):
            return True
        if isinstance(v, float):
            return number or v.is_integer()
        return isinstance(v, simple)

    return check


class _Compiler:
    def __init__(self, defs: dict, strict: bool):
        self.defs = defs
        self.strict = strict
        self.done: dict[str, Callable[[Any], bool] | None] = {}
        self.busy: set[str] = set()

    def ref(self, ref: str) -> Callable[[Any], bool] | None:
        name = ref.removeprefix("#/$defs/")
        if name in self.done:
            return self.done[name]
        if name in self.busy:  # a cycle: look the closure up when called
            return lambda v: self.done[name] is None or self.done[name](v)
        self.busy.add(name)
        self.done[name] = self.compile(self.defs[name])
        self.busy.discard(name)
        return self.done[name]

    def compile(self, node: dict) -> Callable[[Any], bool] | None:
        unknown = set(node) - _KNOWN_KEYWORDS - {"$schema", "$defs"}
        if unknown:
            raise ValueError(f"fast validator does not support schema keywords {sorted(unknown)}")
        if "$ref" in node:
            if len(node) > 1:
                raise ValueError("fast validator does not support $ref with sibling keywords")
            return self.ref(node["$ref"])
        types = node.get("type")
        types = (types,) if isinstance(types, str) else tuple(types or ())
        if "properties" in node or "additionalProperties" in node or "required" in node:
            if set(types) - {"object", "null"} or "enum" in node or "format" in node:
                raise ValueError("fast validator supports object schemas of type object/null only")
            return self._object(node, nullable="null" in types or not types, typed=bool(types))
        if "items" in node:
            if set(types) - {"array", "null"} or "enum" in node or "format" in node:
                raise ValueError("fast validator supports array schemas of type array/null only")
            return self._array(node, nullable="null" in types or not types, typed=bool(types))
        return self._scalar(node, types)

    def _scalar(self, node: dict, types: tuple[str, ...]) -> Callable[[Any], bool] | None:
        checks: list[Callable[[Any], bool]] = []
        if types:
            checks.append(_type_check(types))
        fmt = FORMATS.get(node.get("format", ""))
        if fmt is not None:
            checks.append(fmt)
        if "enum" in node:
            allowed = node["enum"]
            if not all(isinstance(a, str) for a in allowed):
                raise ValueError("fast validator supports string enums only")
            allowed_set = frozenset(allowed)
            checks.append(lambda v: isinstance(v, str) and v in allowed_set)
        if not checks:
            return _ACCEPT_ALL
        if len(checks) == 1:
            return checks[0]
        if len(checks) == 2:  # type + format or type + enum: the common pairs, without a loop
            first, second = checks
            return lambda v: first(v) and second(v)
        return lambda v: all(check(v) for check in checks)

    def _array(self, node: dict, nullable: bool, typed: bool) -> Callable[[Any], bool] | None:
        item = self.compile(node["items"])

        def check(v: Any) -> bool:
            if not isinstance(v, list):
                return not typed or (nullable and v is None)
            if item is None:
                return True
            for x in v:
                if not item(x):
                    return False
            return True

        return check

    def _object(self, node: dict, nullable: bool, typed: bool) -> Callable[[Any], bool] | None:
        props = {name: self.compile(sub) for name, sub in node.get("properties", {}).items()}
        extra_schema = node.get("additionalProperties", True)
        closed = extra_schema is False and self.strict
        extra = self.compile(extra_schema) if isinstance(extra_schema, dict) else None
        required = tuple(node.get("required", ()))
        missing = object()

        def check(v: Any) -> bool:
            if not isinstance(v, dict):
                return not typed or (nullable and v is None)
            for key, value in v.items():
                sub = props.get(key, missing)
                if sub is missing:
                    if closed:
                        return False
                    if extra is not None and not extra(value):
                        return False
                elif sub is not None and not sub(value):
                    return False
            for name in required:
                if name not in v:
                    return False
            return True

        return check


def compile_schema(schema: dict, strict: bool) -> Callable[[Any], bool] | None:
    """The validator of ``schema`` (with its ``$defs``); None when it accepts everything.

    Not ``strict``: keys a closed object does not define are accepted (lax field validation).
    """
    return _Compiler(schema.get("$defs", {}), strict).compile(schema)
