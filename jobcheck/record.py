"""Records: the part of :mod:`dataclasses` jobcheck uses, without its start-up cost (issue 13).

``import dataclasses`` loads ``inspect`` (and with it ``ast``, ``dis``, ``tokenize``), and each
``@dataclass`` compiles every method it adds with a separate ``exec``: together about a fifth of
a one-file ``jobcheck lint``. ``@dataclass`` here writes the same methods (``__init__`` with its
defaults and factories, ``__post_init__`` called last, ``__repr__``, ``__eq__``, ordering,
``__hash__`` by the same rules, frozen ``__setattr__``/``__delattr__``, ``__slots__``,
``__match_args__``) without compiling anything at class creation: the comparisons, hash, repr and
frozen guards are shared closures over ``attrgetter``; ``__init__`` is a generic one for a class's
first ``COMPILE_AFTER`` instances, then the same code dataclasses writes, compiled once, so the
records made per document or finding cost what a dataclass's do. ``field``, ``fields`` and
``replace`` work as their namesakes; ``values`` is a
shallow ``astuple``. Supported: the options listed in ``dataclass``'s signature and ``field``'s
``default``, ``default_factory``, ``init``, ``repr`` and ``compare``; no inheritance between
records, no ``ClassVar``/``InitVar`` fields (a class that needs them uses :mod:`dataclasses`).
tests/test_record.py holds the behaviour to the standard module's, case by case.
"""

from __future__ import annotations

import operator
from operator import attrgetter

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


def _key(names: list[str]):
    """obj -> the tuple of its ``names`` values, as the generated comparisons of dataclasses build it."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return lambda obj: ()


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
    methods = {"__init__": _first_init(cls, own, frozen)}
    shown = [n for n in names if own[n].repr]

    def __repr__(self):
        return self.__class__.__qualname__ + "(" + ", ".join(f"{n}={getattr(self, n)!r}" for n in shown) + ")"

    methods["__repr__"] = __repr__
    key = _key([n for n in names if own[n].compare])
    if eq:
        ops = [("__eq__", operator.eq)]
        if order:
            ops += [("__lt__", operator.lt), ("__le__", operator.le), ("__gt__", operator.gt), ("__ge__", operator.ge)]
        for method, op in ops:
            methods[method] = _compare(op, key)
    # __hash__: the same table as dataclasses (_hash_action)
    explicit = "__hash__" in cls.__dict__ and not (cls.__dict__["__hash__"] is None and "__eq__" in cls.__dict__)
    if unsafe_hash and explicit:
        raise TypeError(f"Cannot overwrite attribute __hash__ in class {cls.__name__}")
    add_hash = unsafe_hash or (eq and frozen and not explicit)
    if add_hash:

        def __hash__(self):
            return hash(key(self))

        methods["__hash__"] = __hash__
    if frozen:
        methods.update(_frozen(cls, frozenset(names)))
        if slots:  # pickling: the state goes in past the frozen __setattr__
            state = _key(names)

            def __getstate__(self):
                return list(state(self))

            def __setstate__(self, values):
                for n, v in zip(names, values, strict=True):
                    object.__setattr__(self, n, v)

            methods.update(__getstate__=__getstate__, __setstate__=__setstate__)
    for name in ("__init__", "__repr__", "__eq__"):  # a method the class defines itself wins
        if name in methods and name not in cls.__dict__:
            _attach(cls, name, methods[name])
    for name in ("__getstate__", "__setstate__"):
        if name in methods:
            _attach(cls, name, methods[name])
    for name in ("__lt__", "__le__", "__gt__", "__ge__", "__setattr__", "__delattr__"):
        if name in methods:
            if name in cls.__dict__:
                raise TypeError(f"Cannot overwrite attribute {name} in class {cls.__name__}")
            _attach(cls, name, methods[name])
    if add_hash:
        _attach(cls, "__hash__", methods["__hash__"])
    elif eq and not frozen and not explicit:
        cls.__hash__ = None  # mutable and comparable: unhashable, as with dataclasses
    setattr(cls, _FIELDS, own)
    cls.__match_args__ = tuple(n for n in names if own[n].init)
    return cls


# Instances a record makes through the generic __init__ before its own is compiled: most records
# of a run are made a few times (options, rules, the report's context), and compiling each one's
# __init__ cost ~0.12 ms; the few made per document or finding get theirs after these.
COMPILE_AFTER = 32


def _first_init(cls, own: dict[str, Field], frozen: bool):
    """``__init__`` for the first ``COMPILE_AFTER`` instances: it binds the arguments as the
    written one does (anything it does not bind plainly, such as a missing or repeated argument,
    goes to the written one, which raises as dataclasses' does), then the written ``__init__`` is
    compiled and put on the class."""
    fields_ = [(f.name, f.init, f.default, f.default_factory) for f in own.values()
               if f.init or f.default is not MISSING or f.default_factory is not MISSING]
    names = frozenset(f.name for f in own.values() if f.init)
    setter = object.__setattr__ if frozen else setattr
    post_init = hasattr(cls, "__post_init__")
    made = [0]

    def written(self, args, kwargs):
        real = _init(cls, own, frozen)
        if made[0] > COMPILE_AFTER:
            _attach(cls, "__init__", real)
        return real(self, *args, **kwargs)

    def __init__(self, *args, **kwargs):
        made[0] += 1
        if made[0] > COMPILE_AFTER or len(args) > len(names) or (kwargs and not names.issuperset(kwargs)):
            made[0] = COMPILE_AFTER + 1
            return written(self, args, kwargs)
        i = 0
        for name, init, default, factory in fields_:  # in declaration order, as the written one
            if not init:
                value = factory() if factory is not MISSING else default
            elif i < len(args):
                if name in kwargs:  # given twice: the written __init__ raises as dataclasses' does
                    return written(self, args, kwargs)
                value = args[i]
                i += 1
            else:
                i += 1
                if name in kwargs:
                    value = kwargs[name]
                elif factory is not MISSING:
                    value = factory()
                elif default is not MISSING:
                    value = default
                else:  # missing: the written __init__ raises as dataclasses' does
                    return written(self, args, kwargs)
            setter(self, name, value)
        if post_init:
            self.__post_init__()

    return __init__


def _init(cls, own: dict[str, Field], frozen: bool):
    """``__init__``, written as dataclasses writes it: the one method compiled (it runs per instance)."""
    scope: dict = {"_FACTORY": _FACTORY, "_setattr": object.__setattr__}
    params, lines = ["self"], []
    for name, f in own.items():
        if f.default_factory is not MISSING:
            scope[f"_dflt_{name}"] = f.default_factory
            value = f"_dflt_{name}() if {name} is _FACTORY else {name}" if f.init else f"_dflt_{name}()"
            param = f"{name}=_FACTORY"
        elif f.default is not MISSING:
            scope[f"_dflt_{name}"] = f.default
            value = name if f.init else f"_dflt_{name}"
            param = f"{name}=_dflt_{name}"
        elif f.init:
            value = param = name
        else:
            continue  # init=False without a default: __post_init__ sets it
        if f.init:
            params.append(param)
        lines.append(f"_setattr(self, {name!r}, {value})" if frozen else f"self.{name} = {value}")
    if hasattr(cls, "__post_init__"):
        lines.append("self.__post_init__()")
    source = f"def __init__({', '.join(params)}):\n" + "".join(f" {ln}\n" for ln in lines or ["pass"])
    exec(compile(source, f"<record {cls.__qualname__}>", "exec"), scope)  # noqa: S102 (written above)
    return scope["__init__"]


def _compare(op, key):
    def method(self, other):
        if other.__class__ is self.__class__:
            return op(key(self), key(other))
        return NotImplemented

    return method


def _frozen(cls, names: frozenset) -> dict:
    def __setattr__(self, name, value):
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self, name):
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    return {"__setattr__": __setattr__, "__delattr__": __delattr__}


def _attach(cls, name: str, fn) -> None:
    fn.__qualname__ = f"{cls.__qualname__}.{name}"
    setattr(cls, name, fn)
