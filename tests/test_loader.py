"""The loader: data, positions, YAML 1.1 scalars, and C/pure-Python parity."""

from __future__ import annotations

import pytest

from jobcheck.yaml import loader
from jobcheck.yaml.loader import decode, load_text

JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: hello
spec:
  template:
    spec:
      containers:
        - name: c
          image: "busybox:1.36"
          env:
            - {name: A, value: yes}
      restartPolicy: Never
"""


def _docs(text: str, pure: bool = False):
    return list(load_text(text, pure=pure))


@pytest.mark.parametrize(
    "plain, value",
    [("yes", True), ("No", False), ("on", True), ("OFF", False), ("y", True), ("0644", 420), ("0o644", 420),
     ("644", 644), ("0x1F", 31), ("1_000", 1000), ("1.5", 1.5), ("~", None), ("null", None), ("", None),
     ("2024-01-01", "2024-01-01"), ("+5", 5), ("-3", -3), ("1:30", "1:30"), ("08", 8.0),
     ("0x_", "0x_"), ("0b_", "0b_"), ("+0b_", "+0b_"), ("-0b_", "-0b_"), ("0x__", "0x__"), ("0o", "0o"),
     ("0o_", "0o_"), ("0x__1", 1), ("+0b1", 1), ("1e400", "1e400"), ("9223372036854775808", 1 << 63),
     ("100000000000000000000", 1e20), ("0x10000000000000000", "0x10000000000000000"), (".5_5", 0.55)],
)
def test_plain_scalars_resolve_like_kubernetes(plain: str, value) -> None:
    assert _docs(f"v: {plain}\n")[0].data == {"v": value}


def test_quoted_and_tagged_scalars_stay_strings() -> None:
    data = _docs("a: 'yes'\nb: \"0644\"\nc: !!str on\nd: !!int '12'\ne: ! 5\n")[0].data
    assert data == {"a": "yes", "b": "0644", "c": "on", "d": 12, "e": "5"}


def test_unknown_tags_never_construct_objects() -> None:
    data = _docs("a: !!python/object:os.system echo\nb: !custom 3\n")[0].data
    assert data == {"a": "echo", "b": "3"}  # go-yaml: a tag it does not know leaves a string


def test_positions_are_one_based_and_exact() -> None:
    doc = _docs(JOB)[0]
    span, found = doc.positions.locate(doc.data, ("spec", "template", "spec", "containers", 0, "image"))
    assert (span.line, span.column, span.end_line, span.end_column) == (10, 18, 10, 32)
    span, _ = doc.positions.locate(doc.data, ("spec", "template", "spec", "containers", 0, "env", 0, "value"))
    assert (span.line, span.column) == (12, 32)
    span, _ = doc.positions.locate(doc.data, ("metadata", "name"), on_key=True)
    assert (span.line, span.column) == (4, 3)


def test_missing_field_points_at_nearest_existing_key() -> None:
    doc = _docs(JOB)[0]
    span, found = doc.positions.locate(doc.data, ("spec", "ttlSecondsAfterFinished"))
    assert (span.line, span.column, found) == (5, 1, 1)


def test_bom_and_crlf() -> None:
    text, problem = decode(("\ufeff" + JOB.replace("\n", "\r\n")).encode())
    assert problem is None
    doc = _docs(text)[0]
    assert doc.data["metadata"]["name"] == "hello"
    span, _ = doc.positions.locate(doc.data, ("metadata", "name"))
    assert (span.line, span.column) == (4, 9)


def test_json_documents_have_positions() -> None:
    doc = _docs('{\n  "kind": "Job",\n\t"spec": {"parallelism": 2}\n}\n')[0]
    assert doc.data == {"kind": "Job", "spec": {"parallelism": 2}}
    span, _ = doc.positions.locate(doc.data, ("spec", "parallelism"))
    assert (span.line, span.column) == (3, 26)


def test_duplicate_key_is_reported_and_last_wins() -> None:
    doc = _docs("a: 1\nb: 2\na: 3\n")[0]
    assert doc.data == {"a": 3, "b": 2}
    [problem] = doc.problems
    assert (problem.kind, problem.line, problem.column) == ("duplicate-key", 3, 1)


def test_merge_keys_follow_yaml_1_1() -> None:
    data = _docs("base: &b {x: 1, z: 2}\nm:\n  <<: *b\n  z: 3\n")[0].data
    assert data["m"] == {"x": 1, "z": 3}


@pytest.mark.parametrize("parser", loader.parser_names())
@pytest.mark.parametrize("indent", ["", "  "], ids=["top-level", "nested"])
def test_keys_set_by_merges_may_be_replaced_once(parser, indent) -> None:
    """The keys two merge keys set may each be given once more without a duplicate-key problem
    (the set of merged keys is made on the first merge); a second explicit key is a duplicate."""
    head = "a: &a {p: 1}\nb: &b {q: 2}\n" + ("m:\n" if indent else "")
    body = ["<<: *a", "<<: *b", "p: 3", "q: 4", "r: 5", "q: 6"]
    text = head + "".join(f"{indent}{line}\n" for line in body)
    [doc] = list(load_text(text, parser=parser))
    data = doc.data["m"] if indent else {k: v for k, v in doc.data.items() if k not in ("a", "b")}
    assert data == {"p": 3, "q": 6, "r": 5}
    assert [(p.kind, p.line) for p in doc.problems] == [("duplicate-key", 9 if indent else 8)]


def test_nested_block_collections_keep_the_depth_limit() -> None:
    """Block mappings and sequences nested below the limit load; one level past it is refused
    at the node that crosses it (the builder nests them without _node's frame)."""
    def nested(depth: int) -> str:
        return "".join(" " * i + ("k:\n" if i % 2 == 0 else "- \n") for i in range(depth)) + " " * depth + "v\n"

    ok = _docs(nested(loader.MAX_DEPTH - 1))[0]
    assert ok.data is not None and not ok.problems
    deep = _docs(nested(loader.MAX_DEPTH + 1))[0]
    assert deep.data is None and "nesting deeper" in deep.problems[0].message


def test_keys_resolve_like_kubernetes_too() -> None:
    # sigs.k8s.io/yaml turns the boolean key `on` into the JSON key "true".
    assert _docs("on: 1\n5: 2\n")[0].data == {"true": 1, "5": 2}


def test_alias_bomb_is_refused_not_expanded() -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i-1}"] * 9) + "]")
    doc = _docs("\n".join(lines) + "\n")[0]
    assert doc.data is None
    assert doc.problems[0].kind == "syntax" and "alias" in doc.problems[0].message


@pytest.mark.parametrize("pure", [False, True])
def test_deep_nesting_is_a_finding(pure: bool) -> None:
    doc = _docs("[" * 10000 + "]" * 10000, pure=pure)[0]
    assert doc.data is None
    assert "nesting deeper" in doc.problems[0].message
    assert (doc.problems[0].line, doc.problems[0].column) == (1, loader.MAX_DEPTH + 1)


def test_syntax_error_has_position_and_earlier_documents_survive() -> None:
    docs = _docs("a: 1\n---\nb: [1, 2\nc: d\n")
    assert docs[0].data == {"a": 1}
    assert docs[1].problems[0].kind == "syntax"
    assert docs[1].problems[0].line == 4


def test_tab_indentation_message() -> None:
    doc = _docs("a:\n\tb: 1\n")[-1]
    assert "tab" in doc.problems[0].message
    assert (doc.problems[0].line, doc.problems[0].column) == (2, 1)


def test_helm_source_comments_follow_their_document() -> None:
    text = "---\n# Source: chart/templates/a.yaml\nkind: Job\n---\n# Source: chart/templates/b.yaml\nkind: CronJob\n---\nkind: Job\n"
    docs = _docs(text)
    assert [d.source for d in docs] == ["chart/templates/a.yaml", "chart/templates/b.yaml", None]


def test_non_utf8_is_located() -> None:
    text, problem = decode(b"a: 1\nb: caf\xe9\n")
    assert text is None and (problem.line, problem.column) == (2, 7)


def test_binary_is_refused() -> None:
    text, problem = decode(b"\x00\x01\x02binary")
    assert text is None and "binary" in problem.message


PARITY_INPUTS = [
    JOB,
    "a: 1\n---\nb: [1, 2\n",
    "x: &a {k: 1}\ny: *a\nz:\n  <<: *a\n  k: 2\n",
    "a:\n\tb: 1\n",
    "- 1\n- two\n",
    "'just a string'\n",
    "a: 1\na: 2\n",
    "k: |\n  multi\n  line\nl: >-\n  folded\n  text\n",
    "[" * 300 + "]" * 300,
    '{"kind": "List", "items": [{"kind": "Job"}, {"kind": "CronJob"}]}',
    "a: *undefined\n",
]


@pytest.mark.parametrize("parser", [loader.PYYAML, loader.RUAMEL_C])
@pytest.mark.parametrize("text", PARITY_INPUTS)
def test_c_and_pure_parsers_agree(text: str, parser: str) -> None:
    if parser not in loader.parser_names():
        pytest.skip(f"{parser} not installed")
    fast, pure = list(load_text(text, parser=parser)), _docs(text, pure=True)
    assert [d.data for d in fast] == [d.data for d in pure]
    assert [d.positions.tables and sorted(map(str, d.positions.tables.values())) for d in fast] == \
        [d.positions.tables and sorted(map(str, d.positions.tables.values())) for d in pure]
    # Messages come from two parsers and may be worded differently; where they are is the same.
    assert [[(p.kind, p.line, p.column) for p in d.problems] for d in fast] == \
        [[(p.kind, p.line, p.column) for p in d.problems] for d in pure]
