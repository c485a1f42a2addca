"""The three YAML parsers behind the loader give the same documents, positions and problems.

PyYAML's libyaml binding is the fast path; ruamel.yaml's C parser and its pure-Python parser are the
reference and the fallback. Each parser is forced in turn here, so the pure path stays tested
wherever the C ones are installed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from jobcheck.yaml import loader
from jobcheck.yaml.loader import PURE, PYYAML, RUAMEL_C, load_file, load_text

ROOT = Path(__file__).resolve().parents[1]
PUBLIC = ROOT.parent / "shared" / "corpus" / "public"


def _need(parser: str) -> None:
    if parser not in loader.parser_names():
        pytest.skip(f"YAML parser {parser} is not installed")


def _view(docs) -> list:
    """Everything the engine reads from a document, problems with their full messages."""
    return [(d.index, d.line, d.part, d.source, repr(d.data), sorted(map(repr, d.positions.tables.values())),
             d.positions.root, [(p.kind, p.message, p.line, p.column, p.end_line, p.end_column) for p in d.problems])
            for d in docs]


# Inputs where PyYAML's libyaml (0.2.x) and ruamel.yaml.clib's libyaml (0.1.x) disagree, or that
# stop a parser: each must come out as the ruamel parsers read it.
DISAGREE = [
    "a: [12:30]\n",  # a ":" in a plain scalar in a flow collection: ruamel's C parser refuses it
    "a: {b:1}\n",
    "a: [x?y]\n",  # a "?" in one: ruamel's parsers refuse it, libyaml 0.2.5+ reads a scalar
    '{"kind": "Job", "spec": {"a": [1, 2:3]}}\n',  # a JSON document is one flow collection
    "a: 1\n---\nb: [c, {d: e:f}]\n---\nc: 3\n",  # after a document already handed on
    "a: " + "[" * 1100 + "]" * 1100 + "\n",  # deeper than PyYAML's libyaml allows
    "a: 'x\n y' \n b: c\n",
    'a: "\\\'"\n',  # an escaped single quote in double quotes: libyaml 0.2 refuses it
    "a: [b, c]]\n",
    "%YAML 1.2\n---\na: 1\n",
    "%YAML 1.1\n---\na: 1\n",
    "a: b\n...\n%YAML 1.1\n---\nc: d\n",
    "a: *unknown\n",
    "a:\tb\n",
    "\ta: b\n",
    "a: [b\n c]\n",
    "a: @x\n",
    "? [x]\n: y\n",
    "a: &x {b: 1}\nc: *x\nd:\n  <<: *x\n  e: 1\n",
    "a: !!str 1\nb: !!int '2'\nc: !foo x\nd: ! y\ne: !!binary aGVsbG8=\n",
    "[a, [b, {c: d}]]\n",
    "a: [12:30]\nb: " + "[" * 1100 + "\n",
]


@pytest.mark.parametrize("parser", [PYYAML, RUAMEL_C])
@pytest.mark.parametrize("text", DISAGREE)
def test_every_parser_reads_as_the_ruamel_parsers(text: str, parser: str) -> None:
    _need(parser)
    reference = _view(load_text(text, parser=loader._ruamel()))
    assert _view(load_text(text, parser=parser)) == reference



@pytest.mark.parametrize("text", ["%YAML 1.2\n---\na: 1\n", "a: b\n...\n%YAML 1.1\n---\nc: d\n",
                                  "%TAG !e! tag:example.com,2000:\n---\na: !e!x y\n"])
def test_the_pure_parser_reads_directives(text: str) -> None:
    """ruamel.yaml's pure parser, made as jobcheck makes it, reads %YAML and %TAG directives (ruamel
    0.19 notes them in a list only its YAML() object had: an AttributeError, a JC006 on the file)."""
    assert _view(load_text(text, parser=PURE)) == _view(load_text(text, parser=loader._ruamel()))
    assert _view(load_text(text, parser=PURE))[-1][4] in ("{'a': 1}", "{'c': 'd'}", "{'a': 'y'}")

@pytest.mark.parametrize("parser", [PYYAML, RUAMEL_C, PURE])
@pytest.mark.parametrize("text", [*DISAGREE, "\ufeffa: 1\n---\nb: [1, 2\n", "a: \x01\n"])
def test_bytes_read_already_parse_as_the_file_itself(tmp_path: Path, text: str, parser: str) -> None:
    """The pre-scan's bytes of a small file (load_file's ``data``) give what the file gives, errors
    and their positions included (which are looked up in the file)."""
    _need(parser)
    path = tmp_path / "s.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    with path.open("rb") as handle:
        from_file = _outcome(lambda: load_file(handle, None, parser=parser))
        handle.seek(0)
        from_bytes = _outcome(lambda: load_file(handle, None, parser=parser, data=path.read_bytes()))
    assert from_bytes == from_file


def _outcome(load) -> list | str:
    """The view of what ``load`` yields, or the name of what it raises."""
    try:
        return _view(load())
    except Exception as exc:
        return type(exc).__name__


def test_a_flow_colon_after_list_items_were_handed_on(tmp_path: Path) -> None:
    """A List streamed item by item that PyYAML's libyaml cannot be trusted with after some items
    were handed on: the items are read again and none is handed on twice."""
    _need(PYYAML)
    items = "".join(f"- apiVersion: batch/v1\n  kind: Job\n  metadata: {{name: j{i}}}\n" for i in range(3))
    text = f"apiVersion: v1\nkind: List\nitems:\n{items}- kind: Job\n  x: [1:2]\n"
    path = tmp_path / "list.yaml"
    path.write_text(text)
    views = {}
    for parser in (PYYAML, loader._ruamel(), PURE):
        with path.open("rb") as handle:
            views[parser] = _view(load_file(handle, None, parser=parser))
    assert views[PYYAML] == views[loader._ruamel()]
    assert len(views[PYYAML]) == 5  # four items and the rest of the List


def test_an_unknown_parser_name_is_refused() -> None:
    with pytest.raises(ValueError):
        list(load_text("a: 1\n", parser="nope"))


def _report(paths: list[str], parser: str) -> bytes:
    env = dict(os.environ, JOBCHECK_YAML_PARSER=parser, PYTHONPATH=str(ROOT))
    env.pop("JOBCHECK_PURE_YAML", None)
    proc = subprocess.run(
        [sys.executable, "-m", "jobcheck", "lint", *paths, "--format", "json", "--no-cache", "--jobs", "1"],
        cwd=ROOT, env=env, capture_output=True, check=False,
    )
    assert proc.returncode in (0, 1), proc.stderr.decode()
    assert b"Traceback" not in proc.stderr
    return proc.stdout


def test_reports_are_the_same_bytes_with_every_parser() -> None:
    """The engine end to end, on the examples, the realistic repository and (when present) the
    public corpus: the JSON report does not depend on which C parser read the files, and the
    pure-Python parser finds the same things at the same places."""
    paths = ["examples", "tests/data/realistic-repo"] + ([str(PUBLIC)] if PUBLIC.is_dir() else [])
    reports = {parser: _report(paths, parser) for parser in loader.parser_names()}
    assert PURE in reports
    if PYYAML in reports and RUAMEL_C in reports:
        assert reports[PYYAML] == reports[RUAMEL_C]

    def starts(report: bytes) -> list:
        # The C parsers end a block collection where the next line starts, ruamel's pure parser
        # where its last value ends: end positions of findings on collections differ, nothing else.
        data = json.loads(report)
        return [({k: v for k, v in f.items() if k not in ("end_line", "end_column")}) for f in data["findings"]]

    reference = json.loads(reports[PURE])
    assert reference["summary"]["files"] > 10 and reference["findings"]
    for parser, report in reports.items():
        assert starts(report) == starts(reports[PURE]), parser
        assert json.loads(report)["summary"] == reference["summary"], parser


def test_without_the_c_parsers_the_next_one_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """PyYAML without libyaml (or absent), ruamel.yaml.clib absent: what `pip install .` gives
    where no wheel and no C compiler are at hand. The loader falls back parser by parser."""
    monkeypatch.delenv("JOBCHECK_YAML_PARSER", raising=False)
    monkeypatch.delenv("JOBCHECK_PURE_YAML", raising=False)
    monkeypatch.setattr(loader, "_asked", None)  # the environment is read again
    monkeypatch.setitem(loader._parsers, PYYAML, None)
    assert loader._default_parser() == loader._ruamel()
    monkeypatch.setitem(loader._parsers, RUAMEL_C, None)
    assert loader._default_parser() == PURE and loader.parser_names() == [PURE]
    assert not loader.use_c_parser()
    docs = list(load_text("a: [1, 2]\nb: [12:30]\n"))
    assert docs[0].data == {"a": [1, 2], "b": ["12:30"]} and not docs[0].problems


def test_a_stream_pyyaml_stops_on_is_read_again_by_the_pure_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    _need(PYYAML)
    monkeypatch.setitem(loader._parsers, RUAMEL_C, None)
    text = "a: 1\n---\nb: [12:30]\n---\nc: [x\n"
    assert _view(load_text(text, parser=PYYAML)) == _view(load_text(text, pure=True))
