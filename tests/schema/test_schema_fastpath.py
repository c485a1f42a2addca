"""The compiled fast validator and jsonschema agree on valid and invalid documents."""

from __future__ import annotations

import copy
import random

import pytest
from schema_samples import cronjob_doc, field_version_hits, job_doc, validate_schema, workload

from jobcheck.kube import schema
from jobcheck.kube.fastschema import compile_schema

REPLACEMENTS = [
    None,
    True,
    False,
    0,
    -1,
    7,
    2**31,
    -(2**31) - 1,
    2**63,
    1.5,
    2.0,
    "",
    "abc",
    "8080",
    "yes",
    [],
    [1],
    ["a"],
    [{}],
    {},
    {"x": 1},
    {"name": "n"},
]
TYPO_KEYS = ["nmae", "Image", "ttlSecondAfterFinished", "extra", "value", "name", "image", "cpu"]


def _places(node, path=()):
    """Every (container, key) pair in the document, so a mutation can target it."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield node, key, path + (key,)
            yield from _places(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield node, i, path + (i,)
            yield from _places(value, path + (i,))


def mutate(doc: dict, rng: random.Random) -> dict:
    doc = copy.deepcopy(doc)
    for _ in range(rng.choice((1, 1, 2, 3))):
        places = [p for p in _places(doc) if p[2][:1] != ("kind",)]  # keep the kind: it selects the schema
        parent, key, _ = rng.choice(places)
        action = rng.random()
        if action < 0.5:
            parent[key] = copy.deepcopy(rng.choice(REPLACEMENTS))
        elif action < 0.65 and isinstance(parent, dict):
            del parent[key]
        elif action < 0.85 and isinstance(parent, dict):
            parent[rng.choice(TYPO_KEYS)] = copy.deepcopy(rng.choice(REPLACEMENTS))
        elif isinstance(parent, list):
            parent.append(copy.deepcopy(rng.choice(parent) if parent else rng.choice(REPLACEMENTS)))
        else:
            parent[key] = copy.deepcopy(rng.choice(REPLACEMENTS))
    return doc


def jsonschema_ok(w, version: str, strict: bool) -> bool:
    validator = schema.load_schema(version, w.kind).validator
    return not any(
        strict or error.validator != "additionalProperties" for error in validator.iter_errors(w.data)
    )


@pytest.mark.parametrize("version", ["1.27", "1.28", "1.30", "1.33", "1.37"])
@pytest.mark.parametrize("make", [cronjob_doc, job_doc], ids=["cronjob", "job"])
def test_fast_path_agrees_with_jsonschema(version, make):
    rng = random.Random(f"{version}-{make.__name__}")
    base = make()
    outcomes = {True: 0, False: 0}
    for _ in range(300):
        w = workload(mutate(base, rng))
        for strict in (True, False):
            fast = schema.is_valid(w, version, strict)
            assert fast == jsonschema_ok(w, version, strict), (strict, w.data)
            outcomes[fast] += 1
            # The fast path decides whether any JC101/JC102 is reported at all.
            if fast:
                assert list(validate_schema(w, version, strict)) == []
    # The mutations must exercise both answers, or the test proves little.
    assert outcomes[True] > 50 and outcomes[False] > 50


def test_invalid_documents_always_get_a_finding():
    """When the fast path says "invalid", the explanation is never empty (JC101, JC102 or JC104)."""
    rng = random.Random(7)
    for make in (cronjob_doc, job_doc):
        base = make()
        for _ in range(300):
            w = workload(mutate(base, rng))
            if not schema.is_valid(w, "1.30"):
                found = list(validate_schema(w, "1.30")) + list(field_version_hits(w, "1.30"))
                assert found, w.data


@pytest.mark.parametrize(
    "value", [True, 1, 1.0, 1.5, "1", None, [], {}, 2**31, 2**31 - 1, -(2**31), -(2**31) - 1]
)
def test_scalar_edge_cases_agree(value):
    for make, path in ((job_doc, ("spec", "completions")), (cronjob_doc, ("spec", "schedule"))):
        doc = make()
        doc[path[0]][path[1]] = value
        w = workload(doc)
        for version in ("1.27", "1.37"):
            assert schema.is_valid(w, version) == jsonschema_ok(w, version, True), (path, value)


def test_unsupported_keyword_is_refused():
    with pytest.raises(ValueError, match="does not support"):
        compile_schema({"type": "string", "pattern": "^a"}, strict=True)


def test_fast_path_is_much_faster_than_jsonschema():
    """Relative, so it holds on slow machines too; absolute figures are in the commit log/report."""
    import timeit

    w = workload(cronjob_doc())
    loaded = schema.load_schema("1.37", "CronJob")
    fast = min(timeit.repeat(lambda: loaded.fast[True](w.data), number=200, repeat=5))
    slow = min(timeit.repeat(lambda: list(loaded.validator.iter_errors(w.data)), number=20, repeat=5)) * 10
    assert fast * 5 < slow


def _as_seen(error) -> tuple:
    """What jobcheck reads of an error, jsonschema's or fastschema's."""
    return (tuple(error.absolute_path), error.validator, repr(error.validator_value), id(error.schema),
            id(error.instance))


@pytest.mark.parametrize("version", ["1.27", "1.33", "1.37"])
@pytest.mark.parametrize("make", [cronjob_doc, job_doc], ids=["cronjob", "job"])
def test_errors_are_jsonschemas(version, make, monkeypatch):
    """fastschema.iter_errors lists what jsonschema lists, in its order (the extra keys of an
    ``additionalProperties`` schema aside: jsonschema walks them as a set), and the verdict built
    from them is the one jsonschema's errors and best_match give."""
    from jsonschema.exceptions import best_match

    rng = random.Random(f"errors-{version}-{make.__name__}")
    base = make()
    explained = 0
    for _ in range(300):
        w = workload(mutate(base, rng))
        loaded = schema.load_schema(version, w.kind)
        ours = loaded.errors(w.data)
        theirs = list(loaded.validator.iter_errors(w.data))
        assert sorted(map(_as_seen, ours)) == sorted(map(_as_seen, theirs)), w.data
        by_place: dict[tuple, list] = {}
        for error in theirs:
            if error.validator not in ("additionalProperties", "required"):
                by_place.setdefault(tuple(error.absolute_path), []).append(error)
        for place, errors in by_place.items():
            mine = [e for e in ours if tuple(e.absolute_path) == place and e.validator not in
                    ("additionalProperties", "required")]
            assert _as_seen(mine[0]) == _as_seen(best_match(errors)), (place, w.data)
        explained += bool(ours)
        for strict in (True, False):
            verdict = schema.check_schema(w, version, strict)
            with monkeypatch.context() as m:
                m.setattr(type(loaded), "errors", lambda self, data: list(self.validator.iter_errors(data)))
                reference = schema.check_schema(w, version, strict)
            for kind in ("unknown", "invalid", "unserved"):
                assert sorted(map(repr, getattr(verdict, kind))) == sorted(map(repr, getattr(reference, kind)))
    assert explained > 50


def test_errors_without_jsonschema_match_on_edge_values():
    """Booleans, floats that are integers, out-of-range numbers and wrong types, one field each."""
    for value in (True, 1.0, 1.5, 2**31, -(2**63) - 1, "1", None, [], {}, float("inf")):
        for make, path in ((job_doc, ("spec", "completions")), (cronjob_doc, ("spec", "schedule")),
                           (job_doc, ("apiVersion",)), (cronjob_doc, ("spec", "concurrencyPolicy"))):
            doc = make()
            doc[path[0]] = value if len(path) == 1 else doc[path[0]]
            if len(path) == 2:
                doc[path[0]][path[1]] = value
            w = workload(doc)
            loaded = schema.load_schema("1.37", w.kind)
            theirs = list(loaded.validator.iter_errors(w.data))
            assert list(map(_as_seen, loaded.errors(w.data))) == list(map(_as_seen, theirs)), (path, value)


WATCH_SCHEMA = {
    "type": "object",
    "properties": {"spec": {"$ref": "#/$defs/Spec"}, "other": {"$ref": "#/$defs/Spec"}},
    "additionalProperties": False,
    "$defs": {"Spec": {"type": "object", "additionalProperties": False,
                       "properties": {"plain": {"type": "string"}, "gated": {"type": "integer"}}}},
}


@pytest.mark.parametrize("data, accepted, met", [
    ({"spec": {"plain": "x"}}, True, False),
    ({}, True, False),
    ({"spec": {"plain": "x", "gated": 1}}, True, True),
    ({"other": {"gated": 2}}, True, True),  # wherever the schema gives the object that definition
    ({"spec": {"gated": "no"}}, False, True),  # a rejected object proves nothing
    ({"spec": {"plain": 1}, "other": {"plain": "x"}}, False, True),  # stopped before the rest
])
def test_watched_tells_whether_an_accepted_object_holds_a_watched_property(data, accepted, met) -> None:
    from jobcheck.kube.fastschema import Watched

    watched = Watched(WATCH_SCHEMA, True, {"Spec": frozenset({"gated"})})
    assert watched({"spec": {"gated": 1}})  # the answer of one call does not leak into the next
    assert watched(data) is accepted
    assert watched.met() is met


def test_watched_is_unsure_when_a_watched_property_is_not_in_the_schema() -> None:
    from jobcheck.kube.fastschema import Watched

    watched = Watched(WATCH_SCHEMA, True, {"Spec": frozenset({"gated", "later"})})
    assert watched({"spec": {"plain": "x"}}) and watched.met()
