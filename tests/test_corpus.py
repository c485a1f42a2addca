"""Regression check on real manifests from public projects (../shared/corpus/public).

The corpus is not copied into the project: these tests skip when ../shared is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jobcheck.lint.engine import default_options, lint_stream
from jobcheck.yaml.loader import decode


def _lint(path: Path):
    text, problem = decode(path.read_bytes())
    assert problem is None, f"{path}: {problem}"
    return lint_stream(text, str(path), default_options())


@pytest.fixture(scope="module")
def corpus() -> dict[str, object]:
    root = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "public"
    if not root.is_dir():
        pytest.skip("../shared/corpus/public is not present")
    results = {}
    for path in sorted(root.rglob("*")):
        if path.suffix in (".yaml", ".yml", ".json"):
            results[str(path.relative_to(root))] = _lint(path)  # JOBCHECK_DEBUG: a failing check raises
    return results


def test_whole_corpus_lints_without_internal_errors(corpus) -> None:
    assert len(corpus) > 200
    assert all(not r.internal_errors for r in corpus.values())
    assert sum(r.jobs + r.cronjobs for r in corpus.values()) > 300


def _found(corpus, name: str) -> set[tuple[int, int, str]]:
    return {(f.line, f.column, f.rule) for f in corpus[name].findings}


def test_removed_batch_v1beta1_cronjob(corpus) -> None:
    assert (1, 13, "JC003") in _found(corpus, "luksa__kubernetes-in-action/Chapter04__cronjob.yaml")


def test_missing_restart_policy_is_what_the_server_rejects(corpus) -> None:
    found = _found(corpus, "zegl__kube-score/score__testdata__cronjob-batchv1beta1-restartpolicy-not-set.yaml")
    assert (10, 9, "JC103") in found


def test_misspelled_field_gets_a_suggestion(corpus) -> None:
    result = corpus["zegl__kube-score/score__testdata__cronjob-batchv1-restartpolicy-invalid.yaml"]
    [unknown] = [f for f in result.findings if f.rule == "JC101"]
    assert (unknown.line, unknown.column) == (26, 11) and 'did you mean "restartPolicy"' in unknown.message


def test_custom_resource_named_cronjob_is_not_linted(corpus) -> None:
    result = corpus["kubernetes-sigs__kubectl-validate/pkg__validator__testdata__cronjob.yaml"]
    assert result.findings == [] and result.cronjobs == 0 and result.skipped == 1


def test_helm_values_file_with_a_kind_key_is_skipped(corpus) -> None:
    # kind: CronJob without apiVersion is a chart setting, not a Kubernetes object
    result = corpus["kubernetes-sigs__descheduler/charts__descheduler__values.yaml"]
    assert result.findings == [] and result.cronjobs == 0 and result.linted == 0


def test_well_formed_examples_raise_no_errors(corpus) -> None:
    for name in ("ContainerSolutions__kubernetes-examples/Job__simple.yaml",
                 "ContainerSolutions__kubernetes-examples/CronJob__simple.yaml"):
        assert not [f for f in corpus[name].findings if f.rule.startswith(("JC0", "JC1"))], name
