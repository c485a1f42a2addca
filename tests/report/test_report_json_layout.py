"""The hand-laid JSON of a finding is byte-identical to json.dumps(indent=2) of the same object."""

from __future__ import annotations

import json

import pytest

from jobcheck.finding import Finding, Severity
from jobcheck.report.json import finding_dict, finding_json, findings_json

FINDINGS = [
    Finding('dir with space/a "b".yaml', 1, 2, "JC101", 1, 3, "unknown-field", Severity.ERROR,
            'quote " backslash \\ newline \n unicode é \u2028 control \x1b <&>', "spec.x", 3, "Job", "ns", "o",
            "Fix it.", "chart/templates/job.yaml"),
    Finding("b.yaml", 2, 2, "JC2"),
]


@pytest.mark.parametrize("finding", FINDINGS)
def test_finding_json_matches_json_dumps(finding: Finding) -> None:
    expected = "    " + json.dumps(finding_dict(finding), indent=2).replace("\n", "\n    ")
    assert finding_json(finding) == expected


def test_finding_json_shared_parts_stay_per_finding() -> None:
    """The rule's and the object's lines are kept between findings: findings that share one but
    not the other (severity overridden per hit, another object, a fix hint or not) still get
    their own values, at the report's indent and at any other."""
    base = FINDINGS[0]
    variants = [
        base,
        Finding("a.yaml", 7, 1, "JC101", 7, 9, "unknown-field", Severity.INFO, "m", "spec.y", 0, "Job", "ns", "o"),
        Finding("a.yaml", 8, 1, "JC101", 8, 9, "unknown-field", Severity.WARNING, "m", "spec.y", 1, "CronJob", "", "p",
                "Fix it.", None),
        Finding("a.yaml", 9, 1, "JC102", 0, 0, "other", Severity.ERROR, "m", "", 1, "CronJob", "", "p", "Fix it.", None),
        base,
    ]
    for finding in variants + variants:
        for prefix in ("    ", "  "):
            expected = prefix + json.dumps(finding_dict(finding), indent=2).replace("\n", "\n" + prefix)
            assert finding_json(finding, prefix) == expected


def _columns(findings: list[Finding], name: str, shared: list[str] | None = None):
    """``findings`` as the result cache stores and reads them back (jobcheck.cache): columns
    indexing the file's own table of texts, or ``shared``, a pack's table other files use too
    (its texts as JSON strings, as a pack holds them)."""
    from jobcheck import cache
    from jobcheck.finding import Columns, Texts

    start = len(cache._COUNTS)
    numbers, table = cache._stored(findings, [0] * start)
    if shared is not None:  # numbered into the pack's table, which grows by the texts it lacked
        entry = cache._renumbered({"findings": numbers}, table, {t: n for n, t in enumerate(shared)}, shared)
        numbers, table = entry["findings"], shared
    found = cache._columns(cache._unpack_ints(numbers), start, Texts(table), name)
    assert isinstance(found, Columns) and found.count == len(findings)
    return found


MIXED = [
    FINDINGS[0],
    Finding('dir with space/a "b".yaml', 7, 1, "JC101", 7, 9, "unknown-field", Severity.INFO, "m", "spec.y", 0,
            "Job", "ns", "o"),
    Finding('dir with space/a "b".yaml', 8, 1, "JC101", 8, 9, "unknown-field", Severity.WARNING, "m", "spec.y", 1,
            "CronJob", "", "p", "Fix it.", None),
    Finding('dir with space/a "b".yaml', 9, 1, "JC102", 0, 0, "other", Severity.ERROR, "m", "", 1, "CronJob", "",
            "p", None, "chart/templates/job.yaml"),
    Finding('dir with space/a "b".yaml', 123456, 70000, "JC102", 123457, 0, "other", Severity.ERROR, "m2", "",
            4, "CronJob", "", "p", "Fix it.", "chart/templates/job.yaml"),
]


@pytest.mark.parametrize("shared", [False, True])
def test_columns_json_matches_findings_json(shared: bool) -> None:
    """A warm run writes a cached file's findings from the columns the cache holds; the bytes are
    those of the findings themselves, whether the table is the file's own or a pack's, shared."""
    from jobcheck.report.json import Quoted, columns_json, findings_json

    texts = ['"unrelated"', '"Fix it."', '"zzz"'] if shared else None
    found = _columns(MIXED * 3, MIXED[0].file, texts)
    table = Quoted(found.texts)
    assert found.findings() == MIXED * 3
    assert columns_json(found, table) == ",\n" + findings_json(MIXED * 3)
    assert columns_json(found, table) == ",\n" + findings_json(MIXED * 3)  # with the pieces kept from the first


@pytest.mark.parametrize(("file", "message"), [("s.yaml", "bad \ud800 text"), ("s\udcff.yaml", "fine")])
def test_columns_json_escapes_a_lone_surrogate_as_findings_json_does(file: str, message: str) -> None:
    """In a text of the table or in the file's name (an undecodable byte of it)."""
    from jobcheck.report.json import Quoted, columns_json, findings_json

    odd = [Finding(file, 1, 1, "JC1", 1, 2, "n", Severity.ERROR, message, "f", 0, "Job", "", "o")]
    found = _columns(odd, file)
    text = columns_json(found, Quoted(found.texts))
    assert text == ",\n" + findings_json(odd)
    [back] = json.loads("[" + text[2:] + "]")
    assert all(value.isprintable() for value in (back["message"], back["file"]))


def test_a_stream_writes_stored_columns_as_it_writes_findings() -> None:
    """Stream.add_columns and Stream.add give the same report, file after file, and the summary
    counts the same severities (Summary.add_columns)."""
    import io

    from jobcheck.finding import Summary
    from jobcheck.report.base import ReportContext
    from jobcheck.report.json import Stream

    table = ['"shared"', '"Fix it."']
    files = [("a.yaml", MIXED[:2]), ("b.yaml", []), ("c.yaml", MIXED[2:])]
    files = [(name, [Finding(name, *_rest(f)) for f in found]) for name, found in files]
    by_findings, by_columns = io.StringIO(), io.StringIO()
    plain, stored = Stream(by_findings, ReportContext(cwd="/")), Stream(by_columns, ReportContext(cwd="/"))
    counted, added = Summary(), Summary()
    stored_columns = [_columns(found, name, table) for name, found in files]  # a pack's table: whole once read
    for (name, found), columns in zip(files, stored_columns, strict=True):
        plain.add(name, found)
        for f in found:
            counted.add(f)
        stored.add_columns(name, columns)
        added.add_columns(columns)
    plain.close(counted)
    stored.close(added)
    assert counted.by_severity == added.by_severity == {"error": 3, "warning": 1, "info": 1}
    assert by_columns.getvalue() == by_findings.getvalue()
    json.loads(by_columns.getvalue())


def test_a_stream_writes_back_what_it_recorded_of_each_file() -> None:
    """What Stream.take gives of each file (its findings as written, by add or add_columns, in
    chunks or not) makes, through Stream.add_json, the same report, the first file included."""
    import io

    from jobcheck.finding import Summary
    from jobcheck.report.base import ReportContext
    from jobcheck.report.json import Stream

    files = [("a.yaml", MIXED[:2]), ("b.yaml", []), ("c.yaml", MIXED[2:])]
    files = [(name, [Finding(name, *_rest(f)) for f in found]) for name, found in files]
    first, again = io.StringIO(), io.StringIO()
    writer, reader = Stream(first, ReportContext(cwd="/")), Stream(again, ReportContext(cwd="/"))
    writer.record()
    taken = []
    for name, found in files:
        if name == "c.yaml":  # in two chunks, as a long file's findings come
            writer.add(name, found[:1])
            writer.add(name, found[1:])
        else:
            writer.add_columns(name, _columns(found, name, ['"shared"']))
        taken.append(writer.take())
    assert taken[1] == "" and all(text.startswith(",\n    {") for text in (taken[0], taken[2]))
    for (name, _), text in zip(files, taken, strict=True):
        reader.add_json(name, text)
    assert reader.taken is None  # recording is asked for, never on by itself
    writer.close(Summary())
    reader.close(Summary())
    assert again.getvalue() == first.getvalue()
    json.loads(again.getvalue())


def test_a_recording_stream_holds_no_long_file(monkeypatch) -> None:
    """A file's findings past MAX_TAKEN characters are not held (a long stream's memory stays
    flat): take gives nothing for it, and records the next file again."""
    import io

    from jobcheck.report import json as report_json
    from jobcheck.report.base import ReportContext

    found = [Finding("a.yaml", *_rest(f)) for f in MIXED]
    one = len(",\n" + findings_json(found[:1]))
    monkeypatch.setattr(report_json, "MAX_TAKEN", 2 * one)
    stream = report_json.Stream(io.StringIO(), ReportContext(cwd="/"))
    stream.record()
    for f in found[:3]:
        stream.add("a.yaml", [f])
    assert stream.take() == "" and stream.taken == []
    stream.add("b.yaml", found[:1])
    assert stream.take() == ",\n" + findings_json(found[:1])


def test_a_chunks_table_is_let_go_and_a_packs_is_kept() -> None:
    """Stream keeps the pieces of a table only while its texts live: a pack's (held by the cache
    for the run, shared by its files) are built once; a stream file's chunk's go with the chunk, so
    a long stream's warm run holds one chunk's, not every chunk's (issue 13, flat memory)."""
    import gc
    import io

    from jobcheck.finding import Summary
    from jobcheck.report.base import ReportContext
    from jobcheck.report.json import Stream

    found = [Finding("a.yaml", *_rest(f)) for f in MIXED]
    out = io.StringIO()
    stream = Stream(out, ReportContext(cwd="/"))
    pack = ['"shared"']
    first = _columns(found[:2], "a.yaml", pack)
    stream.add_columns("a.yaml", first)
    kept = stream.tables[first.texts]
    second = _columns(found[2:], "b.yaml", pack)
    second.texts = first.texts  # both files index the pack's one table, as read
    stream.add_columns("b.yaml", second)
    assert stream.tables[first.texts] is kept and len(stream.tables) == 1
    for chunk in (found[:1], found[1:3], found[3:]):  # a stream file's chunks, each with its own table
        stream.add_columns("c.yaml", _columns(chunk, "c.yaml"))
        gc.collect()
        assert len(stream.tables) == 1  # the pack's only: the chunk's table went with it
    stream.close(Summary())
    expected = io.StringIO()
    plain = Stream(expected, ReportContext(cwd="/"))
    plain.add("a.yaml", found[:2])
    plain.add("b.yaml", [Finding("b.yaml", *_rest(f)) for f in found[2:]])
    plain.add("c.yaml", [Finding("c.yaml", *_rest(f)) for f in found])
    plain.close(Summary())
    assert out.getvalue() == expected.getvalue()


def test_recording_stops_when_asked() -> None:
    """The run stops recording before the cross-object findings, which belong to no file's entry:
    nothing of them is held (up to MAX_TAKEN characters would be, for nothing)."""
    import io

    from jobcheck.report.base import ReportContext
    from jobcheck.report.json import Stream

    found = [Finding("a.yaml", *_rest(f)) for f in MIXED]
    stream = Stream(io.StringIO(), ReportContext(cwd="/"))
    stream.record()
    stream.add("a.yaml", found[:1])
    assert stream.take() == ",\n" + findings_json(found[:1])
    stream.record(False)
    stream.add("a.yaml", found[1:])
    assert stream.taken is None and stream.taken_size == 0


def _rest(f: Finding) -> tuple:
    from jobcheck.finding import FIELD_ORDER

    return tuple(getattr(f, name) for name in FIELD_ORDER[1:])
