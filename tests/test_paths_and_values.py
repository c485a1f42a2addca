"""One path formatter and one Go value formatter, and where the schema messages differ on purpose."""

from __future__ import annotations

import pytest

from jobcheck.finding import Key, format_path, render_path
from jobcheck.kube import schema
from jobcheck.kube.apiserver import messages


def test_paths_in_kubernetes_notation():
    path = ("spec", "template", "spec", "containers", 0, "resources", "limits", "cpu")
    assert render_path(path) == format_path(path) == "spec.template.spec.containers[0].resources.limits.cpu"
    assert render_path((0, "name")) == "[0].name"
    assert render_path(()) == ""


def test_a_key_prints_in_brackets_as_the_api_server_prints_it():
    path = ("spec", "containers", 0, "resources", "limits", Key("cpu"))
    assert render_path(path) == "spec.containers[0].resources.limits[cpu]"
    assert messages.message(path, "Required value") == "spec.containers[0].resources.limits[cpu]: Required value"


def test_the_cached_formatter_is_not_confused_by_a_key_twin():
    plain = ("metadata", "labels", "job-name")
    assert format_path(plain) == "metadata.labels.job-name"
    assert render_path(plain[:-1] + (Key("job-name"),)) == "metadata.labels[job-name]"
    assert format_path(plain) == "metadata.labels.job-name"


@pytest.mark.parametrize("value", [None, True, False, 0, -7, 2**70, 1.5, 1e100, float("inf")])
def test_schema_messages_print_scalars_as_the_api_server(value):
    assert schema._schema_value(value) == messages.go_value(value)


def test_schema_messages_quote_strings_as_json_and_cut_them():
    assert schema._schema_value("a\x01b") == '"a\\u0001b"'
    assert messages.go_value("a\x01b") == '"a\\x01b"'
    assert schema._schema_value("x" * 61) == '"' + "x" * 57 + '..."'
    assert schema._schema_value({"a": 1}) == "object"
    assert schema._schema_value([1]) == "array"
    assert messages.go_value({"a": 1}) == '{"a":1}'
