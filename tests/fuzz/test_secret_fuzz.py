"""A planted credential is never printed, whatever else about the manifest is mutated, in every
format and mode (lint in six formats, --show-source, --diff, --fix messages, explain, dump)."""

from __future__ import annotations

import random

import harness
import mutators
from hypothesis import given
from hypothesis import strategies as st
from profiles import scaled

harness.environment()
SECRETS = (mutators.CANARY, mutators.CANARY_NUMBER)
# What may be mutated: anything but the lines that carry or name the secrets.
_PROTECTED = (mutators.CANARY, mutators.CANARY_NUMBER, "DB_PASSWORD", "API_TOKEN", "env:", "args:")
# dump prints the document as Kubernetes reads it: the value itself, on purpose (it is the user's
# own command to see the data). Every other path must not print it.
PATHS = [label for label in harness.PATH_LABELS if label != "dump"]


def _mutate_around_secrets(rng: random.Random, text: str, steps: int) -> str:
    lines = text.split("\n")
    for _ in range(steps):
        free = [i for i, line in enumerate(lines) if not any(p in line for p in _PROTECTED)]
        i = rng.choice(free)
        mutated = mutators.MUTATORS[rng.choice(["scalar", "tag", "control", "schedule"])](rng, lines[i]).split("\n")
        lines[i:i + 1] = mutated
    return "\n".join(lines)


@scaled(25)
@given(n=st.integers(0, 2**32 - 1), steps=st.integers(0, 3), ending=st.sampled_from(["lf", "crlf"]),
       encoding=st.sampled_from(["utf-8", "utf-8-bom", "utf-16-le"]))
def test_secret_never_printed(n: int, steps: int, ending: str, encoding: str) -> None:
    text = _mutate_around_secrets(random.Random(n), mutators.SECRET_SEED, steps)
    data = mutators.ENCODINGS[encoding](mutators.ENDINGS[ending](text), random.Random(n))
    outcome = harness.run_paths(data, secrets=SECRETS, paths=PATHS)
    leaks = [p.where for p in outcome.problems if p.kind == "secret"]
    assert leaks == []
