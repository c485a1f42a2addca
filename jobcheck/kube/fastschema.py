"""The fast schema validator: a bundled JSON Schema compiled into closures that answer
"valid or not", about forty times faster than jsonschema.

The bundled schemas use a handful of keywords (``_KNOWN_KEYWORDS``); any other keyword makes
compilation fail, so a schema refresh that needs more cannot slip through unnoticed.
``tests/schema`` checks that this validator and jsonschema agree on mutated documents.

``iter_errors`` explains a rejected object: jsonschema's errors for the same keywords, in its
order, without importing it (the import and the validator cost ~55 ms, and jsonschema about a
millisecond per object).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache

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
    def __init__(self, defs: dict, strict: bool, watch: dict[str, frozenset[str]] | None = None):
        self.defs = defs
        self.strict = strict
        self.done: dict[str, Callable[[Any], bool] | None] = {}
        self.busy: set[str] = set()
        self.watch = watch or {}  # definition -> properties whose presence ``seen`` notes (Watched)
        self.watched: set[tuple[str, str]] = set()  # the (definition, property) pairs noted
        self.seen = [False]

    def ref(self, ref: str) -> Callable[[Any], bool] | None:
        name = ref.removeprefix("#/$defs/")
        if name in self.done:
            return self.done[name]
        if name in self.busy:  # a cycle: look the closure up when called
            return lambda v: self.done[name] is None or self.done[name](v)
        self.busy.add(name)
        self.done[name] = self.compile(self.defs[name], name)
        self.busy.discard(name)
        return self.done[name]

    def compile(self, node: dict, definition: str = "") -> Callable[[Any], bool] | None:
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
            return self._object(node, nullable="null" in types or not types, typed=bool(types), definition=definition)
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

    def _object(self, node: dict, nullable: bool, typed: bool, definition: str) -> Callable[[Any], bool] | None:
        # A field that is only a string (or a string or null), two in three, is checked inline
        # rather than by a closure call: _STRING and _STRING_OR_NULL stand for those closures.
        props = {name: _leaf(sub) or self.compile(sub) for name, sub in node.get("properties", {}).items()}
        for name in self.watch.get(definition, ()):
            if name in props:
                props[name] = self._noting(props[name])
                self.watched.add((definition, name))
        extra_schema = node.get("additionalProperties", True)
        closed = extra_schema is False and self.strict
        extra = self.compile(extra_schema) if isinstance(extra_schema, dict) else None
        required = tuple(node.get("required", ()))
        missing = object()
        string, string_or_null = _STRING, _STRING_OR_NULL

        def check(v: Any) -> bool:
            if not isinstance(v, dict):
                return not typed or (nullable and v is None)
            for key, value in v.items():
                sub = props.get(key, missing)
                if sub is string_or_null:
                    if value is not None and not isinstance(value, str):
                        return False
                elif sub is string:
                    if not isinstance(value, str):
                        return False
                elif sub is missing:
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

    def _noting(self, sub: Callable[[Any], bool] | None) -> Callable[[Any], bool]:
        """``sub``, noting in ``seen`` that it was asked (its property is present)."""
        seen = self.seen

        def check(v: Any) -> bool:
            seen[0] = True
            return sub is None or sub(v)

        return check


def _is_string(v: Any) -> bool:
    return isinstance(v, str)


def _is_string_or_null(v: Any) -> bool:
    return v is None or isinstance(v, str)


_STRING, _STRING_OR_NULL = _is_string, _is_string_or_null


def _leaf(node: dict) -> Callable[[Any], bool] | None:
    """_STRING or _STRING_OR_NULL for a schema that is exactly ``type: string`` (or string and
    null, in either order), else None."""
    if len(node) != 1 or "type" not in node:
        return None
    types = node["type"]
    if types == "string" or types == ["string"]:
        return _STRING
    if isinstance(types, list) and sorted(types) == ["null", "string"]:
        return _STRING_OR_NULL
    return None


def compile_schema(schema: dict, strict: bool) -> Callable[[Any], bool] | None:
    """The validator of ``schema`` (with its ``$defs``); None when it accepts everything.

    Not ``strict``: keys a closed object does not define are accepted (lax field validation).
    """
    return _Compiler(schema.get("$defs", {}), strict).compile(schema)


class Watched:
    """A validator that also tells whether an object it accepted holds any of some properties, so
    that a caller looking for them can skip its own walk of the object (``check_schema``: the
    fields JC104 looks for in a pod template). ``watch`` names them by definition (a ``$defs``
    name): a property counts where the schema gives its object that definition.

    ``met()`` after a call that accepted: False only if none is present. After one that rejected
    (the walk stops early), or when some watched property is not in the schema, it says True.
    One object at a time: the answer is kept on the instance until the next call.
    """

    __slots__ = ("_check", "_seen", "_complete", "_accepted")

    def __init__(self, schema: dict, strict: bool, watch: dict[str, frozenset[str]]) -> None:
        compiler = _Compiler(schema.get("$defs", {}), strict, watch)
        self._check = compiler.compile(schema)
        self._seen = compiler.seen
        wanted = {(definition, name) for definition, names in watch.items() for name in names}
        self._complete = self._check is not None and wanted <= compiler.watched
        self._accepted = False

    def __call__(self, data: Any) -> bool:
        self._seen[0] = False
        self._accepted = self._check is None or self._check(data)
        return self._accepted

    def met(self) -> bool:
        return self._seen[0] or not (self._complete and self._accepted)


class SchemaError:
    """One violation, as jsonschema's ValidationError describes it (the attributes jobcheck reads):
    the keyword that failed, its value in the schema, the instance, the schema node holding the
    keyword and the instance's path from the root."""

    __slots__ = ("validator", "validator_value", "instance", "schema", "absolute_path")

    def __init__(self, validator: str, validator_value: Any, instance: Any, schema: dict, path: tuple) -> None:
        self.validator = validator
        self.validator_value = validator_value
        self.instance = instance
        self.schema = schema
        self.absolute_path = path

    @property
    def message(self) -> str:  # never quotes the instance (it may be a credential)
        return f"does not satisfy the schema's {self.validator}"

    def __repr__(self) -> str:
        return f"SchemaError({self.validator!r}, at {list(self.absolute_path)!r})"


@lru_cache(maxsize=64)
def _type_of(types: str | tuple[str, ...]) -> Callable[[Any], bool]:
    return _type_check((types,) if isinstance(types, str) else types)


def iter_errors(schema: dict, data: Any) -> Iterator[SchemaError]:
    """Every violation of ``schema`` (strict: additionalProperties false included) in ``data``, as
    jsonschema's Draft 2020-12 validator yields them: keywords in the schema node's order,
    ``properties`` in the schema's order, ``items`` by index. Only ``additionalProperties`` with
    a schema differs: the extra keys in the instance's order (jsonschema walks a set).

    Only the keywords the compiler accepts can occur (it has compiled this schema before any
    object is explained), so this interprets them directly."""
    defs = schema.get("$defs", {})

    def walk(node: dict, value: Any, path: tuple) -> Iterator[SchemaError]:
        for keyword, arg in node.items():
            if keyword == "$ref":
                yield from walk(defs[arg.removeprefix("#/$defs/")], value, path)
            elif keyword == "type":
                if not _type_of(arg if isinstance(arg, str) else tuple(arg))(value):
                    yield SchemaError(keyword, arg, value, node, path)
            elif keyword == "enum":
                if not (isinstance(value, str) and value in arg):  # string enums only (see _scalar)
                    yield SchemaError(keyword, arg, value, node, path)
            elif keyword == "format":
                check = FORMATS.get(arg)
                if check is not None and not check(value):
                    yield SchemaError(keyword, arg, value, node, path)
            elif not isinstance(value, (dict, list)):
                continue  # the keywords below apply to objects and arrays only
            elif keyword == "properties":
                if isinstance(value, dict):
                    for name, sub in arg.items():
                        if name in value:
                            yield from walk(sub, value[name], path + (name,))
            elif keyword == "additionalProperties":
                if isinstance(value, dict):
                    defined = node.get("properties", {})
                    extras = [key for key in value if key not in defined]
                    if arg is False:
                        if extras:
                            yield SchemaError(keyword, arg, value, node, path)
                    elif isinstance(arg, dict):
                        for key in extras:
                            yield from walk(arg, value[key], path + (key,))
            elif keyword == "required":
                if isinstance(value, dict):
                    for name in arg:
                        if name not in value:
                            yield SchemaError(keyword, arg, value, node, path)
            elif keyword == "items":
                if isinstance(value, list):
                    for i, item in enumerate(value):
                        yield from walk(arg, item, path + (i,))

    return walk(schema, data, ())
