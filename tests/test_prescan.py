"""The pre-scan pass and linting straight from files give what linting the text in memory gives."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from jobcheck.lint.engine import default_options, lint_file, lint_stream
from jobcheck.yaml import prescan
from jobcheck.yaml.prescan import prescan_file, prescan_text

STREAM = """\
---
# Source: chart/templates/a.yaml
apiVersion: batch/v1
kind: Job
metadata:
  name: caf\u00e9-job
spec:
  template:
    spec:
      containers: [{name: c, image: busybox}]   # jobcheck: ignore[JC401]
---
# Source: chart/templates/b.yaml
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  schedule: "0 3 * * 7"
  jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: b}]}}}}
"""


@pytest.mark.parametrize("chunk", [7, 64, 1 << 20])
def test_prescan_of_a_file_equals_that_of_the_text(monkeypatch, chunk: int) -> None:
    monkeypatch.setattr(prescan, "CHUNK", chunk)
    data = ("\ufeff" + STREAM).encode("utf-8").replace(b"\n", b"\r\n")
    from_file = prescan_file(io.BytesIO(data))
    from_text = prescan_text(data.decode("utf-8-sig"))
    assert from_file == from_text
    assert [line for line, _ in from_file.source_lines] == [2, 12]
    assert [line for line, _ in from_file.directive_lines] == [10]


@pytest.mark.parametrize("chunk", [5, 1 << 20])
def test_bad_utf8_is_located_across_chunks(monkeypatch, chunk: int) -> None:
    monkeypatch.setattr(prescan, "CHUNK", chunk)
    scan = prescan_file(io.BytesIO(b"a: 1\nbb: caf\xe9 au lait\n"))
    assert (scan.problem.line, scan.problem.column) == (2, 8)


def test_utf16_is_left_to_the_whole_file_path() -> None:
    assert prescan_file(io.BytesIO("a: 1\n".encode("utf-16"))) is None


@pytest.mark.parametrize("chunk", [64, 1 << 20])  # read again from the file, or parsed from the scan's bytes
def test_linting_a_file_equals_linting_its_text(monkeypatch, tmp_path: Path, chunk: int) -> None:
    monkeypatch.setattr(prescan, "CHUNK", chunk)
    path = tmp_path / "s.yaml"
    path.write_text(STREAM, encoding="utf-8")
    options = default_options()
    with open(path, "rb") as handle:
        scan = prescan_file(handle)
        assert (scan.whole is not None) == (chunk > len(STREAM.encode()))
        handle.seek(0)
        from_file = lint_file(handle, scan, str(path), options).findings
    from_text = lint_stream(STREAM, str(path), options).findings
    assert from_file == from_text
    assert {f.source for f in from_file} == {"chart/templates/a.yaml", "chart/templates/b.yaml"}
    assert not [f for f in from_file if f.rule == "JC401" and f.line == 10]
    bad_dow = [f for f in from_file if f.rule == "JC301"]
    assert [(f.line, f.column) for f in bad_dow] == [(17, 22)]  # the caret sits on the "7"
