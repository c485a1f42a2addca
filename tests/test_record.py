"""jobcheck.record behaves as dataclasses for every option jobcheck uses (issue 13: start-up).

Each case defines the same class body twice, once under ``dataclasses.dataclass`` and once under
``jobcheck.record.dataclass``, and compares what a caller can observe: construction with and
without defaults, factories (a fresh value per instance), ``__post_init__``, repr, equality,
ordering, hashing (or being unhashable), frozen assignment and deletion, slots, pickling,
``replace`` and ``fields``.
"""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from jobcheck import record

OPTIONS = [
    {},
    {"frozen": True},
    {"eq": False},
    {"frozen": True, "eq": False},
    {"slots": True},
    {"slots": True, "unsafe_hash": True},
    {"order": True, "slots": True, "unsafe_hash": True},
    {"frozen": True, "slots": True},
    {"order": True},
    {"order": True, "frozen": True},
]


def _pair(options: dict, with_post_init: bool = False):
    made = []
    for module in (dataclasses, record):

        class Point:
            x: int
            label: str = "p"
            tags: list = module.field(default_factory=list, compare=False)
            note: str = module.field(default="", compare=False, repr=False)
            weight: float = module.field(default=1.0, compare=False)

            def norm(self) -> int:
                return abs(self.x)

        if with_post_init:
            def __post_init__(self):  # noqa: N807
                object.__setattr__(self, "derived", self.x * 2)

            Point.__post_init__ = __post_init__
            Point.__annotations__["derived"] = "int"
            Point.derived = module.field(init=False, default=0, compare=False)
        Point.__qualname__ = "Point"  # pickled by name: the test puts it in this module's globals
        made.append(module.dataclass(**options)(Point))
    return made


def _observe(cls) -> dict:
    a, b, c = cls(1), cls(1, "q", [1], note="n", weight=2.0), cls(-1)
    out: dict = {
        "defaults": (a.x, a.label, a.tags, a.note, a.weight),
        "given": (b.x, b.label, b.tags, b.note, b.weight),
        "fresh factory": a.tags is not c.tags,
        "repr": repr(b).split("(", 1)[1],
        "eq": (a == cls(1), a == b, a == cls(1, note="other"), a == object()),
        "match_args": cls.__match_args__,
        "method": c.norm(),
        "has dict": hasattr(a, "__dict__"),
        "slots": getattr(cls, "__slots__", None),
    }
    out["hashable"] = cls.__hash__ is not None
    if out["hashable"]:
        out["hash equal"] = (hash(a) == hash(cls(1)), hash(a) == hash(cls(1, note="other")))
    try:
        out["order"] = (a < b, b > a, a <= cls(1), c >= a)
    except TypeError as exc:
        out["order"] = type(exc)
    try:
        a.x = 5
        out["assign"] = a.x
    except AttributeError as exc:
        out["assign"] = (AttributeError, str(exc))
    try:
        del a.label
        out["delete"] = "deleted"
    except AttributeError as exc:
        out["delete"] = (AttributeError, str(exc).split(" field ")[0])
    d = cls(3, "r", [2])
    back = pickle.loads(pickle.dumps(d))
    out["pickle"] = (back.x, back.label, back.tags, back == d if cls.__eq__ is not object.__eq__ else None)
    return out


@pytest.fixture(params=[0, 1000], ids=["written-init", "generic-init"])
def compile_after(request, monkeypatch):
    """Both __init__ paths: the written one (compiled at once) and the generic one (the first
    COMPILE_AFTER instances of a record)."""
    monkeypatch.setattr(record, "COMPILE_AFTER", request.param)
    return request.param


@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: ",".join(o) or "plain")
def test_a_record_behaves_as_the_same_dataclass(options, compile_after):
    std, mine = _pair(options)
    globals()["Point"] = std  # pickle finds the class by its qualified name
    try:
        seen_std = _observe(std)
        globals()["Point"] = mine
        seen_mine = _observe(mine)
    finally:
        del globals()["Point"]
    assert seen_mine == seen_std


@pytest.mark.parametrize("options", [{}, {"frozen": True}], ids=["plain", "frozen"])
def test_post_init_replace_and_fields(options, compile_after):
    std, mine = _pair(options, with_post_init=True)
    for cls, module in ((std, dataclasses), (mine, record)):
        p = cls(4, "a")
        assert p.derived == 8
        q = module.replace(p, x=5)
        assert (q.x, q.label, q.derived) == (5, "a", 10)
        with pytest.raises(ValueError):
            module.replace(p, derived=1)
    assert [f.name for f in record.fields(mine)] == [f.name for f in dataclasses.fields(std)]
    assert record.values(mine(2, "b")) == (2, "b", [], "", 1.0, 4)
    with pytest.raises(TypeError):
        record.fields(object())


def test_what_a_record_does_not_support_is_refused():
    class Base:
        x: int

    base = record.dataclass(Base)
    with pytest.raises(TypeError):
        record.dataclass(type("Child", (base,), {"__annotations__": {"y": "int"}}))
    with pytest.raises(ValueError):
        record.dataclass(order=True, eq=False)(type("NoEq", (), {"__annotations__": {"x": "int"}}))
    with pytest.raises(TypeError):
        record.dataclass(type("Cv", (), {"__annotations__": {"x": "ClassVar[int]"}}))


def test_init_is_written_after_the_first_instances_and_errors_read_as_dataclasses(monkeypatch):
    monkeypatch.setattr(record, "COMPILE_AFTER", 2)

    @record.dataclass
    class Lazy:
        a: int
        b: int = 2

    assert [(Lazy(1).b, Lazy(a=1, b=3).b)] == [(2, 3)]
    assert Lazy.__init__.__code__.co_filename.endswith("record.py")  # the generic one, twice
    assert Lazy(4, 5).b == 5
    assert Lazy.__init__.__code__.co_filename == "<record " + Lazy.__qualname__ + ">"

    @dataclasses.dataclass
    class Std:
        a: int
        b: int = 0

    @record.dataclass
    class Mine:
        a: int
        b: int = 0

    for call in (lambda c: c(), lambda c: c(1, a=2), lambda c: c(1, 2, 3), lambda c: c(1, c=3)):
        errors = []
        for cls in (Std, Mine):
            with pytest.raises(TypeError) as info:
                call(cls)
            errors.append(str(info.value).split("__init__() ", 1)[1])
        assert errors[0] == errors[1]
    assert Mine(1).b == 0  # an error does not spoil the next instance
