"""Mutants of real manifests through every command-line path: no traceback, exit code 0/1/2, valid
output in every format, bounded time, no file written without --fix (tests/fuzz/harness.py)."""

from __future__ import annotations

import json
import random
from collections import defaultdict

import harness
import mutators
from hypothesis import given
from hypothesis import strategies as st
from profiles import MUTANTS, scaled

harness.environment()
SEEDS = mutators.load_seeds()


def _summary(found: dict[str, list[str]]) -> str:
    lines = [f"{len(found)} problem classes:"]
    for cls, examples in sorted(found.items(), key=lambda kv: -len(kv[1])):
        lines.append(f"  {len(examples):4d}  {cls}\n          e.g. {examples[0]}")
    return "\n".join(lines)


def test_mutation_corpus() -> None:
    """A fixed set of mutants (the same on every run): every problem class is reported at once."""
    rng = random.Random(16)
    found: dict[str, list[str]] = defaultdict(list)
    for _ in range(MUTANTS):
        mutation = mutators.random_mutation(rng, SEEDS)
        outcome = harness.run_paths(mutation.build())
        for problem in outcome.problems:
            found[problem.cls].append(f"{mutation.describe()}: {problem.detail[:120]}")
    assert not found, _summary(found)


mutations = st.builds(
    mutators.Mutation,
    seed=st.sampled_from(SEEDS),
    steps=st.lists(st.tuples(st.sampled_from(sorted(set(mutators.MUTATORS) - {"huge"})), st.integers(0, 2**32 - 1)),
                   min_size=1, max_size=4).map(tuple),
    ending=st.sampled_from(sorted(mutators.ENDINGS)),
    encoding=st.sampled_from(sorted(mutators.ENCODINGS)),
)


@scaled(40)
@given(mutation=mutations)
def test_mutants_every_path(mutation: mutators.Mutation) -> None:
    outcome = harness.run_paths(mutation.build())
    assert not outcome.problems, [p.cls + " — " + p.detail for p in outcome.problems]


# A CronJob built from parts, each field drawn from odd scalars: numbers of any size, non-finite
# floats, tagged values, strings with control and bidi characters, as plain or quoted YAML.
_odd_text = st.text(st.sampled_from(list("ab:#-{}[],&*!|>'\"\\ \t\x00\x1b\x7f\x85\u2028\u202e\ufeff\ud800é")), max_size=12)
scalars = st.one_of(
    st.sampled_from(mutators.SCALARS),
    st.integers(-(10**40), 10**40).map(str),
    st.integers(4290, 4400).map(lambda n: "7" * n),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.tuples(st.sampled_from(mutators.TAGS), st.sampled_from(mutators.SCALARS)).map(" ".join),
    _odd_text.map(lambda s: json.dumps(s, ensure_ascii=False)),
    _odd_text.map(lambda s: json.dumps(s)),
    st.from_regex(r"[0-9]{1,25}(\.[0-9]{0,5})?([eE][+-]?[0-9]{1,22})?(m|k|Ki|Mi|Gi|Ti|Pi|Ei|M|G|T|P|E)?", fullmatch=True),
)
FIELDS = ("schedule", "timeZone", "name", "backoffLimit", "ttl", "deadline", "cpu", "memory", "gpu", "image", "value",
          "restartPolicy", "concurrencyPolicy", "parallelism")
TEMPLATE = """\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: {name}
spec:
  schedule: {schedule}
  timeZone: {timeZone}
  concurrencyPolicy: {concurrencyPolicy}
  startingDeadlineSeconds: {deadline}
  jobTemplate:
    spec:
      backoffLimit: {backoffLimit}
      parallelism: {parallelism}
      ttlSecondsAfterFinished: {ttl}
      template:
        spec:
          restartPolicy: {restartPolicy}
          containers:
            - name: main
              image: {image}
              env:
                - name: GREETING
                  value: {value}
              resources:
                requests: {{cpu: {cpu}, memory: {memory}}}
                limits: {{nvidia.com/gpu: {gpu}}}
"""


@st.composite
def cronjobs(draw: st.DrawFn) -> str:
    values = {f: draw(scalars) if draw(st.booleans()) else _DEFAULTS[f] for f in FIELDS}
    return TEMPLATE.format(**values)


_DEFAULTS = {"schedule": '"0 3 * * *"', "timeZone": "Europe/Berlin", "name": "nightly", "backoffLimit": "3",
             "ttl": "600", "deadline": "100", "cpu": "100m", "memory": "64Mi", "gpu": "1", "image": "busybox:1.36",
             "value": "hi", "restartPolicy": "OnFailure", "concurrencyPolicy": "Forbid", "parallelism": "1"}


def test_template_is_clean_with_defaults() -> None:
    """The generated documents start from a CronJob that every path handles without a problem."""
    outcome = harness.run_paths(TEMPLATE.format(**_DEFAULTS).encode())
    assert outcome.problems == []


@scaled(60)
@given(text=cronjobs(), ending=st.sampled_from(sorted(mutators.ENDINGS)))
def test_generated_cronjobs_every_path(text: str, ending: str) -> None:
    data = mutators.ENDINGS[ending](text).encode("utf-8", "surrogatepass")
    outcome = harness.run_paths(data)
    assert not outcome.problems, [p.cls + " — " + p.detail for p in outcome.problems]
