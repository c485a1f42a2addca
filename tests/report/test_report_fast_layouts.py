"""The whole-run formats write each finding straight from its fields (SARIF, GitLab, GitHub) or
without building elements (JUnit), with what depends on the file, the rule or the object laid out
once. These tests hold each writer to the plain construction it replaces, byte for byte, on many
generated findings with every awkward value the reporters meet: surrogates, non-ASCII, controls,
bidirectional controls, XML noncharacters, quotes and markup, paths outside the root, Windows-like
names, helm sources, missing ends, missing objects and fields, rules without metadata."""

from __future__ import annotations

import io
import itertools
import random
import xml.etree.ElementTree as ET

import pytest
from report_samples import CONTROL, NASTY, ROOT

from jobcheck.finding import Finding, Severity, Summary, finding_order
from jobcheck.record import replace
from jobcheck.report import gitlab, junit, open_report, render, sarif
from jobcheck.report.base import Fingerprints, SortedRun, helm_note, json_text, object_label
from jobcheck.report.github import _Commands, format_command

TEXTS = ["", "plain", NASTY, CONTROL, "lone \ud800 surrogate", "byte \udcff kept", "bidi \u202e evil",
         "xml \ufffe \uffff", 'a "quoted" <tag> & \'x\'', "tab\there", "back\\slash \\ud83d not one",
         "日本語 ünï", "percent %25 %0A, colon: comma,", "line1\nline2\r\n", "\u2028 sep"]
FILES = ["deploy/job.yaml", "deploy dir/job #1.yaml", "x%y/ü:v,w.yaml", "../outside.yaml", "/elsewhere/a b.yaml",
         f"{ROOT}/in/root.yaml", "C:\\jobs\\win.yaml", "c:rel.yaml", "bad\udcffname.yaml", "日本/ジョブ.yaml",
         "./dot/./x.yaml", "a\nb.yaml", "chart/templates/job.yaml"]
NAMES = {"JC101": "restart-policy-missing", "JC306": "concurrency-allow", "JC501": "", "JC001": "yaml-syntax",
         "JC999": NASTY}  # a rule's name is the rule's: the whole-run formats name each fired rule once


def _findings(n: int, seed: int) -> list[Finding]:
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        line = rnd.choice([0, 1, 2, 3, 7, 40])
        column = rnd.choice([0, 1, 5, 12])
        rule = rnd.choice(sorted(NAMES))
        out.append(Finding(
            file=rnd.choice(FILES),
            line=line,
            column=column,
            rule=rule,
            end_line=rnd.choice([0, line, line + 1, max(line - 1, 0)]),
            end_column=rnd.choice([0, column, column + 3, 1]),
            name=NAMES[rule],
            severity=rnd.choice(list(Severity)),
            message=rnd.choice(TEXTS),
            field=rnd.choice(["", "spec.template.spec", "metadata.labels[a\"b]", NASTY, CONTROL, "k\udcfe"]),
            document=rnd.choice([0, 1, 12]),
            kind=rnd.choice(["", "Job", "CronJob"]),
            namespace=rnd.choice(["", "batch", "ns\u202e"]),
            object=rnd.choice(["", "migrate", "o<b>j&", "dup \udc80"]),  # only surrogateescape bytes hash
            fix=rnd.choice([None, "", "Set it.", NASTY, CONTROL]),
            source=rnd.choice([None, "", "chart/templates/job.yaml", "tpl \udcff.yaml"]),
        ))
    return out


def _orders(findings: list[Finding]) -> list[list[Finding]]:
    """The findings in report order (what the writers see) and shuffled (every memo missed and hit)."""
    ordered = sorted(findings, key=finding_order)
    shuffled = list(findings)
    random.Random(5).shuffle(shuffled)
    return [ordered, shuffled]


CWDS = [ROOT, "/"]


@pytest.mark.parametrize("cwd", CWDS)
@pytest.mark.parametrize("seed", range(3))
def test_sarif_results_equal_the_laid_out_dict(rules, cwd: str, seed: int) -> None:
    for run in _orders(_findings(400, seed)):
        index = {r: i for i, r in enumerate(sorted({f.rule for f in run}))}
        prints = Fingerprints(cwd, SortedRun.of(run, cwd).per_object)
        text = sarif._ResultText(cwd, index)
        for f in run:
            fingerprint = prints(f)
            expected = json_text(sarif._result(f, index[f.rule], fingerprint, cwd), sarif._INDENT)
            assert text(f, fingerprint) == expected, f


@pytest.mark.parametrize("cwd", CWDS)
@pytest.mark.parametrize("seed", range(3))
def test_gitlab_issues_equal_the_laid_out_dict(rules, cwd: str, seed: int) -> None:
    for run in _orders(_findings(400, seed)):
        prints = Fingerprints(cwd, SortedRun.of(run, cwd).per_object)
        text = gitlab._IssueText(cwd, rules)
        for f in run:
            fingerprint = prints(f)
            assert text(f, fingerprint) == json_text(gitlab._issue(f, fingerprint, rules.get(f.rule), cwd), "  "), f


@pytest.mark.parametrize("cwd", CWDS)
@pytest.mark.parametrize("seed", range(3))
def test_github_commands_equal_format_command(cwd: str, seed: int) -> None:
    for run in _orders(_findings(400, seed)):
        command = _Commands(cwd)
        for f in run:
            assert command(f) == format_command(f, cwd), f


def _junit_with_elements(findings: list[Finding], files: tuple[str, ...]) -> str:
    """The JUnit document built as ElementTree elements, indented and serialised by ElementTree."""
    root = ET.Element("testsuites")
    suite = ET.SubElement(root, "testsuite")
    key, case, failures = None, None, 0
    with_findings = set()
    for f in findings:  # a testcase per stretch of findings of one object of a file
        here = (f.file, object_label(f) or f.file)
        if here != key:
            key, failures = here, failures + 1
            case = ET.SubElement(suite, "testcase", {"classname": junit.xml_text(f.file),
                                                     "name": junit.xml_text(here[1])})
            with_findings.add(f.file)
        failure = ET.SubElement(case, "failure", {"type": junit.xml_text(f.rule),
                                                  "message": junit.xml_text(f"{f.rule} {f.message}{helm_note(f)}")})
        failure.text = junit.xml_text(junit._failure_body(f))
    for file in files:
        if file not in with_findings:
            ET.SubElement(suite, "testcase", {"classname": junit.xml_text(file), "name": junit.xml_text(file)})
    counts = {"tests": str(len(suite)), "failures": str(failures), "errors": "0", "skipped": "0"}
    root.attrib.update({"name": "jobcheck", **counts})
    suite.attrib.update(root.attrib)
    ET.indent(root)
    text = ET.tostring(root, encoding="unicode")
    # The testcases pass through a text-mode temporary file, whose universal newlines read a CR
    # (alone or before a LF) as a line break, as an XML parser does (XML 1.0, section 2.11): in
    # attributes ElementTree writes them as references, so only element text has raw ones.
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text.replace("\r\n", "\n").replace("\r", "\n") + "\n"


@pytest.mark.parametrize("seed", range(3))
def test_junit_equals_the_element_tree_document(ctx, seed: int) -> None:
    run = sorted(_findings(400, seed), key=finding_order)
    files = (*FILES, "clean.yaml", "clean \ufffe <&>.yaml")
    ctx = replace(ctx, files=files)
    assert junit.render(run, Summary(), {}, ctx) == _junit_with_elements(run, files)


def test_a_junit_suite_of_clean_files_only(ctx) -> None:
    ctx = replace(ctx, files=("a.yaml", "b \"q\".yaml"))
    assert junit.render([], Summary(), {}, ctx) == _junit_with_elements([], ctx.files)


@pytest.mark.parametrize("fmt", ["sarif", "gitlab", "github", "junit"])
def test_spilled_runs_longer_than_what_is_held_back(monkeypatch, rules, ctx, fmt: str) -> None:
    """Batches of one file that continue its sorted run are held back and pickled together:
    with a small limit, runs cross it, files interleave and runs restart out of order, and the
    report still equals ``render`` over the sorted whole."""
    import jobcheck.report as report

    monkeypatch.setattr(report, "_PENDING", 5)
    found = _findings(300, 7)
    batches: list[tuple[str, list[Finding]]] = []
    by_file: dict[str, list[Finding]] = {}
    for f in found:
        by_file.setdefault(f.file, []).append(f)
    rnd = random.Random(3)
    streams = {file: iter(sorted(fs, key=finding_order)) for file, fs in by_file.items()}
    while streams:  # files interleaved, each file's batches in order but for a late out-of-order one
        file = rnd.choice(sorted(streams))
        batch = list(itertools.islice(streams[file], rnd.randint(1, 4)))
        if not batch:
            del streams[file]
            continue
        batches.append((file, batch))
    late = [f for f in by_file[FILES[0]] if f.line <= 2][:2]
    late = [replace(f, rule="JC000", name="unused-suppression") for f in late]  # reported after the file's last document, e.g. unused suppressions
    if late:
        batches.append((FILES[0], late))
    out = io.StringIO()
    files = tuple(dict.fromkeys(file for file, _ in batches))
    ctx = replace(ctx, files=files)
    r = open_report(fmt, out, ctx, rules)
    everything = []
    for file, batch in batches:
        r.add(file, batch)
        everything += batch
    r.close(Summary())
    assert out.getvalue() == render(fmt, sorted(everything, key=finding_order), Summary(), rules, ctx)


@pytest.mark.parametrize("cwd", [ROOT, "/", "/work", "relative/dir"])
def test_relative_paths_as_pathlib_writes_them(cwd: str) -> None:
    """relative_to_root returns relpath's result as is on POSIX: it equals PurePath's as_posix."""
    import os
    from pathlib import PurePath

    from jobcheck.report.base import relative_to_root

    names = [*FILES, ".", "a//b.yaml", "./x.yaml", "a/../b.yaml", "dir/", "x/./y/", "back\\slash.yaml",
             f"{ROOT}", f"{ROOT}/", f"{ROOT}/../checkout/z.yaml", "/work/checkout2/a.yaml"]
    for name in names:
        root = os.path.abspath(cwd)
        rel = os.path.relpath(os.path.normpath(os.path.join(root, name)), root)
        inside = not (rel == os.pardir or rel.startswith(os.pardir + os.sep))
        assert relative_to_root(name, cwd) == (PurePath(rel).as_posix() if inside else None), name


def test_the_spill_reads_each_record_once_per_run(monkeypatch, rules, ctx) -> None:
    """Each file's findings come back from its own records, each read once per run: files with a
    late out-of-order run (unused suppressions) do not make the merge unpickle records again."""
    import jobcheck.report as report

    monkeypatch.setattr(report, "_PENDING", 100)
    out = io.StringIO()
    r = open_report("github", out, ctx, rules)
    loads, unpickled = 0, 0
    load = r._load

    def counting(spill):
        nonlocal loads, unpickled
        record = load(spill)
        loads, unpickled = loads + 1, unpickled + len(record)
        return record

    r._load = counting
    runs = 0
    for i in random.Random(2).sample(range(60), 60):  # files arrive out of name order, as discovered
        file = f"f{i:02}.yaml"
        found = sorted(_findings(30, i), key=finding_order)
        found = [replace(f, file=file, line=f.line + 10) for f in found]
        r.add(file, found[:15])
        r.add(file, found[15:])
        r.add(file, [replace(found[0], line=1, rule="JC000", name="unused-suppression")])  # a second run
        runs += 2
    r.close(Summary())
    assert loads <= runs
    assert unpickled <= 2 * 60 * 31  # each finding at most once per run of its file
    assert out.getvalue().count("\n") == 60 * 31
