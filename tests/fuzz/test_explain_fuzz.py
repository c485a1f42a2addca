"""``jobcheck explain EXPR`` with odd expressions, zones, instants, counts and languages."""

from __future__ import annotations

import random

import harness
import mutators
from hypothesis import given
from hypothesis import strategies as st
from profiles import scaled

harness.environment()

fields = st.one_of(st.sampled_from(mutators.CRON_TOKENS), st.integers(-5, 100).map(str),
                   st.text(st.sampled_from(list("0123456789*/,-?LW#")), min_size=1, max_size=8))
expressions = st.one_of(
    st.sampled_from(mutators.SCHEDULES),
    st.tuples(st.sampled_from(mutators.CRON_PREFIXES), st.lists(fields, min_size=4, max_size=7))
    .map(lambda t: t[0] + " ".join(t[1])),
)
options = st.tuples(
    st.one_of(st.none(), st.sampled_from(mutators.ZONES)),
    st.one_of(st.none(), st.sampled_from(mutators.INSTANTS)),
    st.sampled_from([None, "1", "1000"]),
    st.sampled_from([None, "ko"]),
)


def _args(zone: str | None, start: str | None, count: str | None, lang: str | None) -> list[str]:
    extra: list[str] = []
    for flag, value in (("--timezone", zone), ("--from", start), ("--count", count), ("--lang", lang)):
        if value is not None:
            extra += [flag, value]
    return extra


def test_normal_expression_is_clean() -> None:
    outcome = harness.explain_expression("30 2 * * 1-5", ["--timezone", "Europe/Berlin"])
    assert outcome.problems == []


@scaled(150)
@given(expr=expressions, opts=options)
def test_explain_expression(expr: str, opts: tuple) -> None:
    outcome = harness.explain_expression(expr, _args(*opts))
    assert not outcome.problems, [p.cls + " — " + p.detail for p in outcome.problems]


def test_runner_arguments_are_reproducible() -> None:
    """scripts/fuzz.py draws explain arguments from a seeded generator: the same seed, the same run."""
    assert mutators.random_explain_args(random.Random(3)) == mutators.random_explain_args(random.Random(3))
