from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import pytest
from report_samples import ROOT, finding, shifted

from jobcheck.finding import Summary
from jobcheck.report import ReportContext, render

SCHEMA = Path(__file__).parents[2] / ".." / "shared" / "schemas-external" / "sarif-schema-2.1.0.json"
# RFC 3986 unreserved characters, "/" and percent escapes: nothing else may appear in a relative uri.
URI_REF = re.compile(r"^(?:[A-Za-z0-9\-._~/]|%[0-9A-F]{2})+$")


def sarif(findings, summary, rules, ctx) -> dict:
    return json.loads(render("sarif", findings, summary, rules, ctx))


def results(log: dict) -> list[dict]:
    return log["runs"][0]["results"]


def test_validates_against_the_official_schema(findings, summary, rules, ctx):
    if not SCHEMA.is_file():
        pytest.skip(f"SARIF schema not found at {SCHEMA}")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator_cls = jsonschema.validators.validator_for(schema)
    validator_cls.check_schema(schema)
    validator = validator_cls(schema, format_checker=validator_cls.FORMAT_CHECKER)
    log = sarif(findings, summary, rules, ctx)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)
    empty = sarif([], Summary(), rules, ctx)
    assert not list(validator.iter_errors(empty))


def test_run_header(findings, summary, rules, ctx):
    log = sarif(findings, summary, rules, ctx)
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-schema-2.1.0.json")
    run = log["runs"][0]
    assert run["tool"]["driver"]["name"] == "jobcheck"
    assert run["tool"]["driver"]["version"] == "9.9.9"
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["invocations"] == [{"executionSuccessful": True}]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file:///work/checkout/"


def test_unreadable_files_mark_the_run_unsuccessful(findings, rules, ctx):
    log = sarif(findings, Summary(files=2, io_errors=1), rules, ctx)
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is False


def test_rules_are_those_that_fired_and_indexes_point_at_them(findings, summary, rules, ctx):
    log = sarif(findings, summary, rules, ctx)
    descriptors = log["runs"][0]["tool"]["driver"]["rules"]
    assert [d["id"] for d in descriptors] == sorted({f.rule for f in findings})
    for result in results(log):
        assert descriptors[result["ruleIndex"]]["id"] == result["ruleId"]
    by_id = {d["id"]: d for d in descriptors}
    jc101 = by_id["JC101"]
    assert jc101["name"] == "restart-policy-missing"
    assert jc101["shortDescription"]["text"] == rules["JC101"].summary
    assert "rejects" in jc101["fullDescription"]["text"]
    assert "Set restartPolicy to Never" in jc101["help"]["markdown"]
    assert "```yaml\nkind: Job\n```" in jc101["help"]["markdown"]
    assert jc101["helpUri"] == rules["JC101"].help_uri
    assert jc101["defaultConfiguration"] == {"enabled": True, "level": "error"}
    assert jc101["properties"]["tags"] == ["api"]
    # An example containing ``` gets a longer fence, so the markdown stays well formed.
    assert "````yaml\nx: ```\n````" in by_id["JC306"]["help"]["markdown"]
    assert by_id["JC501"]["defaultConfiguration"] == {"enabled": False, "level": "note"}
    # No metadata: a bare descriptor, still valid.
    assert by_id["JC001"] == {"id": "JC001", "name": "yaml-syntax"}


def test_levels(findings, summary, rules, ctx):
    levels = {r["ruleId"]: r["level"] for r in results(sarif(findings, summary, rules, ctx))}
    assert levels == {"JC001": "error", "JC101": "error", "JC306": "warning", "JC501": "note"}


def test_uris_are_relative_to_the_root_and_percent_encoded(findings, summary, rules, ctx):
    log = sarif(findings, summary, rules, ctx)
    uris = []
    for result in results(log):
        artifact = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert artifact["uriBaseId"] == "%SRCROOT%"
        assert URI_REF.match(artifact["uri"]), artifact["uri"]
        uris.append(artifact["uri"])
    assert "deploy%20dir/job%20%231.yaml" in uris
    assert "x%25y/%C3%BC%3Av%2Cw.yaml" in uris  # ":" in the first segment would read as a scheme
    assert {unquote(u) for u in uris} == {f.file for f in findings}


def test_absolute_paths_inside_and_outside_the_root(summary, rules, ctx):
    inside = finding(file=f"{ROOT}/a b.yaml")
    outside = finding(file="/elsewhere/ü b.yaml")
    log = sarif([inside, outside], summary, rules, ctx)
    first, second = (r["locations"][0]["physicalLocation"]["artifactLocation"] for r in results(log))
    assert first == {"uri": "a%20b.yaml", "uriBaseId": "%SRCROOT%"}
    assert second == {"uri": "file:///elsewhere/%C3%BC%20b.yaml"}


def test_regions_use_one_based_columns_and_an_exclusive_end(findings, summary, rules, ctx):
    by_message = {}
    for f, result in zip(findings, results(sarif(findings, summary, rules, ctx)), strict=True):
        by_message[f.message] = (f, result["locations"][0]["physicalLocation"].get("region"))
    f, region = by_message["restartPolicy is not set"]
    # Finding.end_column is already the column after the last character, as SARIF's endColumn.
    assert region == {"startLine": 3, "startColumn": 5, "endLine": 3, "endColumn": 9}
    _, region = by_message["second"]
    assert region == {"startLine": 9, "startColumn": 1}  # end unknown: no endLine/endColumn
    f, region = next(v for k, v in by_message.items() if k.startswith("bell"))
    assert region == {"startLine": 2, "startColumn": 3, "endLine": 4, "endColumn": 2}


def test_a_finding_without_a_line_has_no_region(summary, rules, ctx):
    log = sarif([finding(line=0, column=0, end_line=0, end_column=0)], summary, rules, ctx)
    assert "region" not in results(log)[0]["locations"][0]["physicalLocation"]


def test_logical_locations_name_the_object_and_the_field(findings, summary, rules, ctx):
    for f, result in zip(findings, results(sarif(findings, summary, rules, ctx)), strict=True):
        logical = result["locations"][0].get("logicalLocations", [])
        if f.rule == "JC001":
            assert logical == []
        if f.rule == "JC306":
            assert logical == [
                {
                    "name": "spec.concurrencyPolicy",
                    "fullyQualifiedName": "CronJob/ops/backup:spec.concurrencyPolicy",
                    "kind": "property",
                },
                {"name": "backup", "fullyQualifiedName": "CronJob/ops/backup", "kind": "object"},
            ]


def test_messages_keep_every_character(findings, summary, rules, ctx):
    texts = [r["message"]["text"] for r in results(sarif(findings, summary, rules, ctx))]
    for f, text in zip(findings, texts, strict=True):
        assert text.startswith(f.message)
    assert any(t.endswith(" [from chart/templates/job.yaml]") for t in texts)


def fingerprints(findings, summary, rules, ctx) -> list[str]:
    return [r["partialFingerprints"]["jobcheck/v1"] for r in results(sarif(findings, summary, rules, ctx))]


def test_fingerprints_are_unique_and_stable_across_runs_and_line_shifts(findings, summary, rules, ctx):
    first = fingerprints(findings, summary, rules, ctx)
    assert len(set(first)) == len(first)
    assert fingerprints(findings, summary, rules, ctx) == first
    assert fingerprints(shifted(findings, 10), summary, rules, ctx) == first
    # Another checkout location: same relative paths, same fingerprints.
    elsewhere = ReportContext(cwd="/tmp/other", tool_version="9.9.9")
    assert fingerprints(findings, summary, rules, elsewhere) == first


def test_fingerprints_change_with_the_identity(summary, rules, ctx):
    base = fingerprints([finding()], summary, rules, ctx)
    for change in ({"rule": "JC102"}, {"file": "other.yaml"}, {"object": "other"}, {"field": "spec"}):
        assert fingerprints([finding(**change)], summary, rules, ctx) != base
