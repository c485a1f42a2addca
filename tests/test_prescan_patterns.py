"""Patterns of the pre-scan rewritten for speed (issue 13) answer exactly as the ones they replace."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jobcheck.yaml.prescan import names_batch

# The pattern names_batch used before: one search with an optional leading quote.
OLD_BATCH = re.compile(r"""["']?\b(?:kind["']?\s*:\s*["']?(?:Cron)?Job\b|apiVersion["']?\s*:\s*["']?batch/)""")

# Pieces that make near misses likely: the words, quotes, separators, word characters either side
# (ASCII and not), Unicode spaces that \s matches.
PIECES = ["kind", "Kind", "apiVersion", "apiversion", "Job", "CronJob", "Cron", "Jobs", "job", "batch/", "batch",
          ":", '"', "'", " ", "\t", "\n", "\u00a0", "\u2003", "x", "_", "1", "-", ".", "/", "é", "Ж", "{", ",",
          "kindkind", "apiVersionapiVersion"]


@pytest.mark.parametrize("text", [
    "kind: Job", "kind: CronJob", '"kind": "Job"', "'kind' : 'CronJob'", "kind:Job", "kind:\n  Job",
    "kind: Jobs", "kind: JobX", "kind: Job_", "kind: Job-x", "xkind: Job", "_kind: Job", "ékind: Job",
    "-kind: Job", ".kind: Job", "kindkind: Job", "kind : \u00a0Job", "kind: \"\"Job", "kind: CronCronJob",
    "apiVersion: batch/v1", '"apiVersion":"batch/v1"', "apiVersion: batchx/v1", "xapiVersion: batch/v1",
    "apiVersion:\tbatch/", "apiVersionapiVersion: batch/", "apiVersion: 'batch/", "apiVersion: ''batch/",
    "", "kind", "apiVersion", "Job", "batch/", "kind: ConfigMap\napiVersion: v1", "kind: Job\u0301",
])
def test_names_batch_answers_as_the_old_pattern(text: str) -> None:
    assert names_batch(text) == (OLD_BATCH.search(text) is not None)


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=14).map("".join))
def test_names_batch_answers_as_the_old_pattern_on_generated_text(text: str) -> None:
    assert names_batch(text) == (OLD_BATCH.search(text) is not None)
