"""Records: the part of :mod:`dataclasses` jobcheck uses, without its start-up cost (issue 13).

``import dataclasses`` loads ``inspect`` (and with it ``ast``, ``dis``, ``tokenize``), and each
``@dataclass`` compiles every method it adds with a separate ``exec``: together about a fifth of
a one-file ``jobcheck lint``. ``@dataclass`` here writes the same methods (``__init__`` with its
defaults and factories, ``__post_init__`` called last, ``__repr__``, ``__eq__``, ordering,
``__hash__`` by the same rules, frozen ``__setattr__``/``__delattr__``, ``__slots__``,
``__match_args__``) in one ``exec`` per class, as the same code, so instances cost what a
dataclass's do. ``field``, ``fields`` and ``replace`` work as their namesakes; ``values`` is a
shallow ``astuple``. Supported: the options listed in ``dataclass``'s signature and ``field``'s
``default``, ``default_factory``, ``init``, ``repr`` and ``compare``; no inheritance between
records, no ``ClassVar``/``InitVar`` fields (a class that needs them uses :mod:`dataclasses`).
tests/test_record.py holds the behaviour to the standard module's, case by case.
"""

from __future__ import annotations

__all__ = ["FrozenInstanceError", "dataclass", "field", "fields", "replace", "values"]

_FIELDS = "__record_fields__"


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()
_FACTORY = _Missing()  # the __init__ default of a field with a default_factory


class FrozenInstanceError(AttributeError):
    """Assigning to a field of a frozen record (as ``dataclasses.FrozenInstanceError``)."""


class Field:
    """One field: its name, default or factory, and whether ``__init__``, ``__repr__`` and
    comparisons include it."""

    __slots__ = ("name", "default", "default_factory", "init", "repr", "compare")

    def __init__(self, default=MISSING, default_factory=MISSING, init=True, repr=True, compare=True):
        if default is not MISSING and default_factory is not MISSING:
            raise ValueError("cannot specify both default and default_factory")
        self.name = ""
        self.default, self.default_factory = default, default_factory
        self.init, self.repr, self.compare = init, repr, compare

    def __repr__(self) -> str:
        return f"Field(name={self.name!r}, default={self.default!r}, default_factory={self.default_factory!r})"


def field(*, default=MISSING, default_factory=MISSING, init: bool = True, repr: bool = True,
          compare: bool = True):
    return Field(default, default_factory, init, repr, compare)


def fields(class_or_instance) -> tuple[Field, ...]:
    try:
        return tuple(getattr(class_or_instance, _FIELDS).values())
    except AttributeError:
        raise TypeError("must be called with a record type or instance") from None


def replace(obj, /, **changes):
    """A copy of ``obj`` with ``changes``, made through ``__init__`` (``__post_init__`` runs)."""
    for f in getattr(obj, _FIELDS).values():
        if not f.init:
            if f.name in changes:
                raise ValueError(f"field {f.name} is declared with init=False, it cannot be specified with replace()")
        elif f.name not in changes:
            changes[f.name] = getattr(obj, f.name)
    return obj.__class__(**changes)


def values(obj) -> tuple:
    """The field values in order (``dataclasses.astuple`` without its deep copy)."""
    return tuple(getattr(obj, name) for name in getattr(obj, _FIELDS))


def dataclass(cls=None, /, *, eq: bool = True, order: bool = False, frozen: bool = False,
              unsafe_hash: bool = False, slots: bool = False):
    def wrap(cls):
        return _process(cls, eq, order, frozen, unsafe_hash, slots)

    return wrap if cls is None else wrap(cls)


def _own_fields(cls) -> dict[str, Field]:
    if any(hasattr(base, _FIELDS) for base in cls.__mro__[1:]):
        raise TypeError(f"{cls.__name__}: a record cannot inherit from a record")
    out: dict[str, Field] = {}
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():
        text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "")
        if text.startswith(("ClassVar", "typing.ClassVar", "InitVar", "dataclasses.InitVar")):
            raise TypeError(f"{cls.__name__}.{name}: ClassVar and InitVar need the dataclasses module")
        value = cls.__dict__.get(name, MISSING)
        f = value if isinstance(value, Field) else Field(default=value)
        f.name = name
        out[name] = f
    return out


def _tuple(names: list[str], var: str) -> str:
    return "(" + "".join(f"{var}.{n}," for n in names) + ")"


def _process(cls, eq: bool, order: bool, frozen: bool, unsafe_hash: bool, slots: bool):
    own = _own_fields(cls)
    if order and not eq:
        raise ValueError("eq must be true if order is true")
    for name, f in own.items():  # class attributes as dataclasses leaves them
        if isinstance(cls.__dict__.get(name), Field):
            if f.default is MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, f.default)
    if slots:
        body = dict(cls.__dict__)
        for name in (*own, "__dict__", "__weakref__"):
            body.pop(name, None)
        body["__slots__"] = tuple(own)
        qualname = cls.__qualname__
        cls = type(cls)(cls.__name__, cls.__bases__, body)
        cls.__qualname__ = qualname

    names = list(own)
    compared = [n for n in names if own[n].compare]
    scope: dict = {"_FACTORY": _FACTORY, "_setattr": object.__setattr__, "_Frozen": FrozenInstanceError,
                   "_cls": cls, "_names": frozenset(names)}
    params, lines = ["self"], []
    for name, f in own.items():
        if f.default_factory is not MISSING:
            scope[f"_dflt_{name}"] = f.default_factory
            value = f"_dflt_{name}() if {name} is _FACTORY else {name}" if f.init else f"_dflt_{name}()"
        elif f.default is not MISSING:
            scope[f"_dflt_{name}"] = f.default
            value = name if f.init else f"_dflt_{name}"
        elif f.init:
            value = name
        else:
            continue  # init=False without a default: __post_init__ sets it
        if f.init:
            if f.default_factory is not MISSING:
                params.append(f"{name}=_FACTORY")
            elif f.default is not MISSING:
                params.append(f"{name}=_dflt_{name}")
            else:
                params.append(name)
        lines.append(f"_setattr(self, {name!r}, {value})" if frozen else f"self.{name} = {value}")
    if hasattr(cls, "__post_init__"):
        lines.append("self.__post_init__()")
    methods = [f"def __init__({', '.join(params)}):\n" + "".join(f"  {ln}\n" for ln in lines or ["pass"])]

    shown = ", ".join(f"{n}={{self.{n}!r}}" for n in names if own[n].repr)
    methods.append(f"def __repr__(self):\n  return self.__class__.__qualname__ + f'({shown})'\n")
    if eq:
        mine, theirs = _tuple(compared, "self"), _tuple(compared, "other")
        ops = [("__eq__", "==")] + ([("__lt__", "<"), ("__le__", "<="), ("__gt__", ">"), ("__ge__", ">=")]
                                    if order else [])
        for method, op in ops:
            methods.append(f"def {method}(self, other):\n  if other.__class__ is self.__class__:\n"
                           f"    return {mine} {op} {theirs}\n  return NotImplemented\n")
    # __hash__: the same table as dataclasses (_hash_action)
    explicit = "__hash__" in cls.__dict__ and not (cls.__dict__["__hash__"] is None and "__eq__" in cls.__dict__)
    if unsafe_hash and explicit:
        raise TypeError(f"Cannot overwrite attribute __hash__ in class {cls.__name__}")
    add_hash = unsafe_hash or (eq and frozen and not explicit)
    if add_hash:
        methods.append(f"def __hash__(self):\n  return hash({_tuple(compared, 'self')})\n")
    if frozen:
        for method, sig, call in (("__setattr__", "self, name, value", "__setattr__(name, value)"),
                                  ("__delattr__", "self, name", "__delattr__(name)")):
            verb = "assign to" if method == "__setattr__" else "delete"
            methods.append(f"def {method}({sig}):\n  if type(self) is _cls or name in _names:\n"
                           f"    raise _Frozen(f'cannot {verb} field {{name!r}}')\n"
                           f"  super(_cls, self).{call}\n")
    if frozen and slots:  # pickling: the state goes in past the frozen __setattr__
        methods.append("def __getstate__(self):\n  return [getattr(self, n) for n in _order]\n"
                       "def __setstate__(self, state):\n"
                       "  for n, v in zip(_order, state):\n    _setattr(self, n, v)\n")
        scope["_order"] = tuple(names)
    exec(compile("".join(methods), f"<record {cls.__qualname__}>", "exec"), scope)  # noqa: S102 (written above)
    for name in ("__init__", "__repr__", "__eq__"):  # a method the class defines itself wins
        if name in scope and name not in cls.__dict__:
            _attach(cls, name, scope[name])
    for name in ("__getstate__", "__setstate__"):
        if name in scope:
            _attach(cls, name, scope[name])
    for name in ("__lt__", "__le__", "__gt__", "__ge__", "__setattr__", "__delattr__"):
        if name in scope:
            if name in cls.__dict__:
                raise TypeError(f"Cannot overwrite attribute {name} in class {cls.__name__}")
            _attach(cls, name, scope[name])
    if add_hash:
        _attach(cls, "__hash__", scope["__hash__"])
    elif eq and not frozen and not explicit:
        cls.__hash__ = None  # mutable and comparable: unhashable, as with dataclasses
    setattr(cls, _FIELDS, own)
    cls.__match_args__ = tuple(n for n in names if own[n].init)
    return cls


def _attach(cls, name: str, fn) -> None:
    fn.__qualname__ = f"{cls.__qualname__}.{name}"
    setattr(cls, name, fn)
