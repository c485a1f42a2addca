"""Super-linear work found by the issue 16 fuzz campaign, each with its minimal trigger.

Each bound is generous (a shared CI machine) yet far below what the quadratic code took:
the figures before the fix are in the comments.
"""

from __future__ import annotations

import re
import time
from datetime import datetime, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from jobcheck.cron import load_location, parse
from jobcheck.cron.analysis import shortest_interval
from jobcheck.kube.objects import iter_workloads
from jobcheck.lint.checks.commands import SHELL_VAR, shell_variable, undefined_env_reference
from jobcheck.yaml.loader import _source_comments


def _job(env: list[dict], args: list[str] | None = None) -> dict:
    container = {"name": "a", "image": "busybox:1.36", "env": env}
    if args is not None:
        container.update(command=["/app"], args=args)
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "x"},
            "spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [container]}}}}


def test_chained_env_references_are_linear():
    """30,000 env vars each referring to the previous one (before: ~70 s; 100,000 took over 300 s)."""
    n = 30_000
    env = [{"name": "V0", "value": "a"}] + [{"name": f"V{i}", "value": f"$(V{i - 1})"} for i in range(1, n)]
    env.append({"name": "LAST", "value": "$(LATER)"})
    env.append({"name": "LATER", "value": "b"})
    (w,) = list(iter_workloads(_job(env)))
    began = time.perf_counter()
    hits = list(undefined_env_reference(w, {}))
    assert time.perf_counter() - began < 10
    # Every chained reference is to an earlier entry: only the forward one is reported.
    assert [h.message for h in hits] == [
        'env LAST references "$(LATER)", which is defined only later in the env of container "a" '
        "(a value sees earlier entries only); Kubernetes passes it on literally"
    ]


def test_shell_variable_scan_is_linear():
    """200 KB of '${' without a closing brace (before: about 45 s in SHELL_VAR.search)."""
    text = "${" * 100_000
    began = time.perf_counter()
    assert shell_variable(text) is None
    assert shell_variable(text + "}") == (0, len(text) + 1)
    assert time.perf_counter() - began < 2


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="${}a_1 \n\0", max_size=16))
def test_shell_variable_finds_what_the_regex_finds(text):
    m = SHELL_VAR.search(text)
    assert shell_variable(text) == (m and (m.start(), m.end()))


def test_source_comment_scan_is_linear():
    """A 200 KB '# Source:' line of spaces (before: explain took over 200 s on it)."""
    text = "# Source: " + " " * 200_000 + "x\n# Source: chart/templates/cj.yaml  \n"
    began = time.perf_counter()
    assert _source_comments(text) == [(1, " " * 200_000 + "x"), (2, "chart/templates/cj.yaml")]
    assert time.perf_counter() - began < 2


_OLD_SOURCE = re.compile(r"^# Source: (.+?)\s*$", re.MULTILINE)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["# Source: ", "a", " ", "\n", "\t", "\r", "x/y", "\u3000", "#"]), max_size=12))
def test_source_comments_match_the_old_expression(parts):
    text = "".join(parts)
    expected, line, pos = [], 1, 0
    for m in _OLD_SOURCE.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        expected.append((line, m.group(1)))
    assert _source_comments(text) == expected


def test_shortest_interval_of_a_rare_schedule_stops_at_the_horizon():
    """29 February in every zone sampled 60 runs (about 75 years of search each; 53 s for all zones)."""
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    began = time.perf_counter()
    for name in ("Europe/Berlin", "America/New_York", "Australia/Sydney", "UTC"):
        assert shortest_interval(parse("0 0 29 2 *"), load_location(name), start) == 4 * 365 * 86400 + 86400
    assert time.perf_counter() - began < 2
    # A frequent schedule still samples its 60 runs: the leap-day month gives the shortest gap.
    assert shortest_interval(parse("0 0 29 * *"), load_location("UTC"), start) == 29 * 86400
