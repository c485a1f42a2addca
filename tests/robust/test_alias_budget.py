"""The alias budget covers the whole file: many documents, each a bomb just under a document's
share, must not make `dump` write out an expansion far larger than the file (fuzz run, seed 3003)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from jobcheck.cli import main

DOC = """\
a: &a [x, x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
"""


def test_many_small_bombs_are_refused_once_the_file_is_over_budget(tmp_path) -> None:
    path = tmp_path / "bombs.yaml"
    path.write_text("---\n".join([DOC] * 40))  # each about 10,000 expanded nodes; 40 of them
    result = CliRunner().invoke(main, ["dump", str(path)])
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 40
    refused = [entry for entry in lines if entry["error"]]
    assert refused and "alias bomb" in refused[0]["error"]
    assert lines[0]["json"] is not None  # the first documents fit the budget
    assert len(result.stdout) < 200 * len(path.read_text())


def test_one_document_with_a_few_aliases_is_untouched(tmp_path) -> None:
    path = tmp_path / "anchors.yaml"
    path.write_text("base: &b {image: busybox}\nuse: *b\n")
    result = CliRunner().invoke(main, ["dump", str(path)])
    assert json.loads(result.stdout)["json"] == {"base": {"image": "busybox"}, "use": {"image": "busybox"}}
