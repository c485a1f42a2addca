"""A ``kind: List`` is linted item by item (issue 16, scale): the loader hands each item on as it
is built, so a List of 100,000 Jobs (``kubectl get jobs -A -o yaml``) takes no more memory than
one Job, and its report is the one the whole List gives, position for position.

The byte-identity half compares the engine on the streamed parts with the engine on the List
loaded whole (``load_text`` without ``stream_lists``, as ``jobcheck dump`` still loads it)."""

from __future__ import annotations

import importlib.util
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from jobcheck.lint.engine import _lint_documents, lint_file, lint_stream
from jobcheck.lint.options import default_options
from jobcheck.yaml.loader import END, ITEM, SYNTAX, WHOLE, load_text
from jobcheck.yaml.prescan import prescan_file, prescan_text, sources_by_line

REPO = Path(__file__).resolve().parents[2]


def _bigstream():
    spec = importlib.util.spec_from_file_location("bigstream", REPO / "bench" / "bigstream.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _list(count: int, kubectl: bool = True) -> str:
    out = io.StringIO()
    _bigstream().item_list(count, out, kubectl=kubectl)
    return out.getvalue()


# --- memory -----------------------------------------------------------------------------------

JOBS = 5_000  # 2.6 MB; held whole it took about 100 MB (27 times its size plus the interpreter)
BOUND_MB = 70

_MEASURE = """\
import resource, subprocess, sys
with open(sys.argv[1], "rb") as stdin:
    subprocess.run(sys.argv[2:], stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def _peak_mb(path: Path, *args: str) -> float:
    env = {k: v for k, v in os.environ.items() if k != "JOBCHECK_DEBUG"}
    result = subprocess.run([sys.executable, "-c", _MEASURE, str(path), sys.executable, "-m", "jobcheck", *args],
                            capture_output=True, text=True, env=env, timeout=300, check=True)
    kilobytes = int(result.stdout.strip())
    return kilobytes / (1024 * 1024 if sys.platform == "darwin" else 1024)  # bytes on macOS


@pytest.mark.skipif(sys.platform == "win32", reason="resource.getrusage is POSIX")
@pytest.mark.parametrize(("kubectl", "stdin"), [(True, False), (True, True), (False, False)],
                         ids=["items-before-kind", "standard-input", "kind-before-items"])
def test_a_list_of_thousands_of_jobs_stays_bounded(tmp_path: Path, kubectl: bool, stdin: bool) -> None:
    path = tmp_path / "list.yaml"
    path.write_text(_list(JOBS, kubectl=kubectl), encoding="utf-8")
    target = "-" if stdin else str(path)
    peak = _peak_mb(path, "lint", "--no-config", "-q", "--format", "json", target)
    assert peak < BOUND_MB, f"{peak:.0f} MB for a List of {JOBS} Jobs ({path.stat().st_size / 1e6:.1f} MB)"


# --- the same report as the List loaded whole ----------------------------------------------------

def _whole(text: str, partial: bool = False):
    scan = prescan_text(text)
    options = default_options()
    return _lint_documents(load_text(text, sources=sources_by_line(scan)), scan, "m.yaml", options, None, partial)


def _same(text: str, partial: bool = False, parts: bool = True) -> None:
    whole = _whole(text, partial)
    streamed = lint_stream(text, "m.yaml", default_options(), partial=partial)
    assert streamed.findings == whole.findings
    for name in ("documents", "jobs", "cronjobs", "skipped", "skips", "linted"):
        assert getattr(streamed, name) == getattr(whole, name), name
    kinds = {d.part for d in load_text(text, stream_lists=True)}
    assert (ITEM in kinds) is parts  # the case really went through the streamed path (or not)
    assert whole.findings  # something to compare


def _mistaken(count: int = 12) -> str:
    """A List with the mistakes whose handling depends on the whole document."""
    text = _list(count)
    lines = text.split("\n")
    out: list[str] = []
    job = -1
    for line in lines:
        if line.startswith("  - apiVersion"):
            job += 1
            if job == 4:
                out.append("  # jobcheck: ignore[JC101, JC203]")  # alone, between two items
        out.append(line)
        if job == 2 and line.strip().startswith("name: job-"):
            out.append("      name: again")  # JC002 inside an item
        if job == 3 and line == "    spec:":
            out.append("      # jobcheck: ignore[all]")  # alone, inside an item's block
        if job == 5 and line.strip().startswith("labels:"):
            out[-1:] = ["      annotations:", "        jobcheck.dev/ignore: JC203, JC999", line]
        if job == 6 and line == "    spec:":
            out.append("      activeDeadlineSeconds: !!int nope")  # a tag error: JC001
        if job == 7 and line.strip().startswith("app:"):
            out.append("        null: refused")  # a key Kubernetes' converter refuses
        if job == 8 and line.strip().startswith("namespace:"):
            out.append("      annotations: &shared {team: a}")  # an anchor, used by a later item
        if job == 10 and line.strip().startswith("namespace:"):
            out.append("      annotations: *shared")
    return "\n".join(out)


def test_a_kubectl_list_reports_as_when_loaded_whole() -> None:
    _same(_list(20))


def test_a_list_with_kind_first_reports_as_when_loaded_whole() -> None:
    _same(_list(20, kubectl=False))


def test_the_mistakes_that_need_the_whole_list_report_the_same() -> None:
    text = _mistaken()
    _same(text)
    rules = {f.rule for f in lint_stream(text, "m.yaml", default_options()).findings}
    assert {"JC001", "JC002"} <= rules


def test_header_and_trailer_problems_and_comments() -> None:
    text = _list(3).replace("apiVersion: v1\n", "apiVersion: v1\napiVersion: v1\n# jobcheck: ignore[JC101]\n", 1)
    text += "metadata:\n  resourceVersion: again\n"  # a duplicate key after the items
    _same(text)


def test_a_json_list_reports_as_when_loaded_whole() -> None:
    import json

    data = next(load_text(_mistaken().replace("*shared", "{team: a}").replace("&shared", ""))).data
    data["items"][2]["metadata"].pop("null", None)
    _same(json.dumps(data, indent=4, sort_keys=True))


def test_helm_sources_partial_lists_and_nested_lists() -> None:
    helm = "---\n# Source: chart/templates/jobs.yaml\n" + _list(3)
    _same("apiVersion: batch/v1\nkind: Job\nmetadata: {name: a}\n" + helm)
    _same(_list(3), partial=True)
    nested = _list(2).replace("items:\n", "items:\n  - apiVersion: v1\n    kind: ConfigMap\n"
                              "  - apiVersion: v1\n    kind: JobList\n    items:\n"
                              "      - apiVersion: batch/v1\n        kind: Job\n        metadata: {name: inner}\n", 1)
    _same(nested)


def test_a_file_is_streamed_as_text_is(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(_mistaken(), encoding="utf-8")
    with open(path, "rb") as handle:
        scan = prescan_file(handle)
        handle.seek(0)
        parts = [d.part for d in load_text(path.read_text(), stream_lists=True)]
        from_file = lint_file(handle, scan, "m.yaml", default_options())
    assert parts.count(ITEM) == 12 and parts[-1] == END
    assert from_file.findings == _whole(_mistaken()).findings


def test_what_is_not_a_list_is_loaded_whole() -> None:
    # items before a kind that is no List; items without apiVersion; kind after items in another document
    for text in ("apiVersion: v1\nitems:\n- {a: 1}\nkind: Job\n",
                 "items:\n- {a: 1}\nkind: List\n",
                 "apiVersion: v1\nitems:\n- {a: 1}\n---\nkind: List\n"):
        assert {d.part for d in load_text(text, stream_lists=True)} == {WHOLE}


def test_a_list_that_changes_its_mind_after_its_items_says_so() -> None:
    # A "kind: ...List" line that is the continuation of a quoted string, not the document's kind.
    text = 'apiVersion: v1\nitems:\n- apiVersion: batch/v1\n  kind: Job\n  note: "a\nkind: FakeList"\nkind: Job\n'
    docs = list(load_text(text, stream_lists=True))
    assert [d.part for d in docs] == [ITEM, END]
    assert [p.kind for p in docs[-1].problems] == [SYNTAX]
    assert (docs[-1].problems[0].line, docs[-1].problems[0].column) == (2, 1)  # the items key


def test_a_flow_scalar_only_the_c_parser_refuses_reads_the_same() -> None:
    # "[12:30]" makes the C parser fail in the fourth item: the pure parser reads the file again
    # and the items handed on already are skipped, not linted twice.
    text = _list(6)
    at = text.index("args: [", text.index("name: job-9")) + len("args: [")  # the fourth item
    text = text[:at] + "12:30, " + text[at:]
    assert [d.part for d in load_text(text, stream_lists=True, pure=False)][:4] == [ITEM] * 4
    _same(text)


def test_a_list_that_breaks_off_keeps_the_items_before() -> None:
    # A syntax error (or an alias to nothing) in an item ends the List there: the items before
    # it were linted and stay reported, as the documents before a broken one in a stream.
    for broken in ("      bad: [unclosed\n", "      bad: *nowhere\n"):
        text = _list(4)
        at = text.index("    spec:\n", text.index("name: job-6")) + len("    spec:\n")  # the third item
        text = text[:at] + broken + text[at:]
        result = lint_stream(text, "m.yaml", default_options())
        lines = sorted({f.line for f in result.findings if f.rule != "JC001"})
        assert lines and max(lines) < text.count("\n", 0, text.index(broken))
        assert [f.rule for f in result.findings].count("JC001") == 1
        assert result.documents == 1 and result.jobs == 2


def test_merge_keys_and_aliases_reach_anchors_outside_the_item() -> None:
    # An anchor in the List's header and one in an earlier item, merged (<<) and aliased by later
    # items: their data and positions are kept for the items that come after.
    text = _list(4).replace("apiVersion: v1\n", "apiVersion: v1\ndefaults: &defaults {backoffLimit: 1}\n", 1)
    at = text.index("    spec:\n", text.index("name: job-3")) + len("    spec:\n")
    text = text[:at] + "      <<: *defaults\n" + text[at:]
    at = text.index("      labels:\n", text.index("name: job-6"))
    text = text[:at] + "      annotations: &notes {team: a}\n" + text[at:]
    at = text.index("    spec:\n", text.index("name: job-9")) + len("    spec:\n")
    text = text[:at] + "      <<: *defaults\n      template:\n        metadata: {annotations: *notes}\n" + text[at:]
    _same(text)
