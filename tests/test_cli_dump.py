"""`jobcheck dump`: documents as Kubernetes reads them, one JSON line each; exit codes; bad input."""

from __future__ import annotations

import json

from click.testing import CliRunner

from jobcheck.cli import main


def _dump(*args: str, stdin: bytes | None = None):
    result = CliRunner().invoke(main, ["dump", *args], input=stdin)
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    return result, lines


def test_each_document_is_one_line_with_its_index_and_kubernetes_values(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("defaultMode: 0o644\nmode: 0644\nok: yes\nat: 12:30\n---\n---\nv: [1e400, 0x_]\n")
    result, lines = _dump(str(path))
    assert result.exit_code == 0
    assert [line["document"] for line in lines] == [0, 1, 2]
    assert lines[0] == {"file": str(path), "document": 0, "error": None,
                        "json": {"defaultMode": 420, "mode": 420, "ok": True, "at": "12:30"}}
    assert lines[1]["json"] is None and lines[1]["error"] is None  # an empty document is null
    assert lines[2]["json"] == {"v": ["1e400", "0x_"]}


def test_lines_are_compact_keys_in_order_and_json_as_go_writes_it(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("b: <x>\na: 1.0\n")
    result = CliRunner().invoke(main, ["dump", str(path)])
    assert result.stdout == f'{{"file":"{path}","document":0,"json":{{"a":1,"b":"\\u003cx\\u003e"}},"error":null}}\n'


def test_refused_documents_have_an_error_and_exit_1(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("v: .inf\n---\n~: 1\n---\nok: 1\n---\nbad: [\n")
    result, lines = _dump(str(path))
    assert result.exit_code == 1
    assert [(line["json"], line["error"]) for line in lines[:3]] == [
        (None, "json: unsupported value: +Inf"),
        (None, "Unsupported map key of type: %!s(<nil>), key: <nil>, value: 1"),
        ({"ok": 1}, None),
    ]
    assert lines[3]["json"] is None and lines[3]["error"].startswith("YAML syntax error")


def test_directories_stdin_and_unreadable_inputs(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "x.yaml").write_text("a: 1\n")
    (tmp_path / "d" / "notes.txt").write_text("not: taken\n")
    result, lines = _dump(str(tmp_path / "d"), str(tmp_path / "missing.yaml"), "-", stdin=b"on: off\n")
    assert result.exit_code == 2  # an input could not be read; the others are still dumped
    assert [(line["file"], line["json"]) for line in lines] == [
        (str(tmp_path / "d" / "x.yaml"), {"a": 1}), ("<stdin>", {"true": False})]
    assert "missing.yaml" in result.stderr


def test_binary_and_undecodable_inputs_are_refused_not_crashes(tmp_path):
    (tmp_path / "bin.yaml").write_bytes(b"a: \x00\x01")
    (tmp_path / "latin.yaml").write_bytes(b"a: \xe9\n")
    result, lines = _dump(str(tmp_path / "bin.yaml"), str(tmp_path / "latin.yaml"))
    assert result.exit_code == 1
    assert [line["document"] for line in lines] == [0, 0]
    assert all(line["json"] is None and line["error"] for line in lines)


def test_the_scalars_that_used_to_crash_every_command(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("version: 0x_\nb: 0b_\nc: +0b_\nd: 0x__\n")
    result, lines = _dump(str(path))
    assert result.exit_code == 0
    assert lines[0]["json"] == {"version": "0x_", "b": "0b_", "c": "+0b_", "d": "0x__"}
    lint = CliRunner().invoke(main, ["lint", str(path), "-q"])
    assert lint.exception is None or isinstance(lint.exception, SystemExit)
