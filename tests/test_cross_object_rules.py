"""Cross-object rules (jobcheck.lint.cross), through JC312 schedule-pile-up: collected per file,
judged once after the last file, suppressed as any rule, the same with --jobs, the cache and stdin."""

from __future__ import annotations

import json
import os
import pickle
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from jobcheck.cli import main
from jobcheck.config import Config
from jobcheck.lint.cross import AT, BLOCK, DATA, SUPPRESSED, Records, valid_deferred
from jobcheck.lint.engine import lint_stream, lint_text
from jobcheck.lint.options import build_options


def cronjob(name: str, schedule: str, namespace: str | None = None, extra: str = "", comment: str = "",
            annotation: str | None = None) -> str:
    meta = f"  name: {name}\n" + (f"  namespace: {namespace}\n" if namespace else "")
    if annotation is not None:
        meta += f"  annotations:\n    jobcheck.dev/ignore: {annotation}\n"
    return (f"apiVersion: batch/v1\nkind: CronJob\nmetadata:\n{meta}spec:\n"
            f'  schedule: "{schedule}"{comment}\n{extra}'
            "  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n"
            f"          containers:\n            - name: main\n              image: registry.example.com/{name}:1.0.0\n")


def stream(*docs: str) -> str:
    return "---\n".join(docs)


def schedule_line(text: str, name: str) -> int:
    """The line of ``name``'s schedule in ``text``."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line == f"  name: {name}")
    return next(i for i in range(start, len(lines)) if lines[i].startswith("  schedule:")) + 1


def invoke(args: list[str], cwd: Path, env: dict | None = None, input: str | None = None):
    old = os.getcwd()
    try:
        os.chdir(cwd)
        result = CliRunner().invoke(main, ["lint", "--no-color", *args], env=env, input=input,
                                    catch_exceptions=False)
    finally:
        os.chdir(old)
    return result


def findings_of(args: list[str], cwd: Path, **kw) -> list[dict]:
    result = invoke(["--format", "json", *args], cwd, **kw)
    return json.loads(result.stdout)["findings"]


def pile(found: list[dict]) -> list[tuple[str, int]]:
    return sorted((f["file"], f["line"]) for f in found if f["rule"] == "JC312")


# --- one stream ------------------------------------------------------------------------------------

THREE = stream(cronjob("a", "0 2 * * *"), cronjob("b", "0 2 * * *", "ns"),
               cronjob("c", "0 11 * * *", extra="  timeZone: Asia/Seoul\n"))
FIXED = datetime(2027, 3, 13, tzinfo=timezone.utc)


def options(**params):
    opts = build_options(Config(select=("ALL",), params={"JC312": params} if params else {}))
    opts.now = FIXED
    return opts


def test_each_cronjob_of_a_pile_up_is_reported_at_its_schedule_naming_the_others() -> None:
    found = [f for f in lint_text(THREE, "x.yaml", options()) if f.rule == "JC312"]
    assert [(f.line, f.column, f.end_column) for f in found] == [
        (schedule_line(THREE, n), 13, 24 + (n == "c")) for n in "abc"]
    first = found[0].message
    assert "ns/b (line" in first and "default/c (line" in first and "default/a" not in first
    assert "at 2027-03-13 02:00 UTC" in first
    assert "(Sat 11:00 Asia/Seoul)" in found[2].message  # the minute in the CronJob's own zone
    assert "6 more such minutes in the next 7 days" in first
    assert "`" in found[0].fix and "2 * * *`" in found[0].fix


def test_the_threshold_and_window_are_parameters() -> None:
    assert not [f for f in lint_text(THREE, "x.yaml", options(threshold=4)) if f.rule == "JC312"]
    one_day = [f for f in lint_text(THREE, "x.yaml", options(window_days=1)) if f.rule == "JC312"]
    assert len(one_day) == 3 and "more such" not in one_day[0].message


def test_a_weekly_pile_up_outside_the_window_is_not_reported() -> None:
    # 13 March 2027 is a Saturday: three Monday jobs pile up on the 15th, inside a 7-day window only.
    text = stream(*(cronjob(n, "0 3 * * 1") for n in "xyz"))
    assert len([f for f in lint_text(text, "x.yaml", options()) if f.rule == "JC312"]) == 3
    assert not [f for f in lint_text(text, "x.yaml", options(window_days=1)) if f.rule == "JC312"]


def test_a_repeated_object_counts_once() -> None:
    text = stream(cronjob("a", "0 2 * * *"), cronjob("a", "0 2 * * *"), cronjob("b", "0 2 * * *"))
    assert not [f for f in lint_text(text, "x.yaml", options()) if f.rule == "JC312"]


def test_a_cronjob_repeated_with_another_schedule_starts_at_the_minutes_of_both() -> None:
    # a at 02:00 and 03:00; b at 02:00; c and d at 03:00: only 03:00 has three CronJobs.
    text = stream(cronjob("a", "0 2 * * *"), cronjob("a", "0 3 * * *"), cronjob("b", "0 2 * * *"),
                  cronjob("c", "0 3 * * *"), cronjob("d", "0 3 * * *"))
    found = [f for f in lint_text(text, "x.yaml", options()) if f.rule == "JC312"]
    assert sorted(f.object for f in found) == ["a", "a", "c", "d"]
    assert all("at 2027-03-13 03:00 UTC" in f.message and "as 2 other CronJobs" in f.message for f in found)
    # Two schedules of one CronJob that start in the same minute count it once there.
    same = stream(cronjob("a", "0 2 * * *"), cronjob("a", "0 2 * * 1-5"), cronjob("b", "0 2 * * *"))
    assert not [f for f in lint_text(same, "x.yaml", options()) if f.rule == "JC312"]


def test_the_others_named_are_the_first_in_the_stream_whatever_their_schedule() -> None:
    # Eight CronJobs start at 02:00 on 15 March under two schedules, and one (x3) under both.
    docs = [cronjob(f"x{k}", "0 2 * * *" if k % 2 else "0 2 * * 1") for k in range(8)]
    docs.append(cronjob("x3", "0 2 * * 1"))
    text = stream(*docs)
    found = {f.object: f.message for f in lint_text(text, "x.yaml", options()) if f.rule == "JC312"}
    assert set(found) == {f"x{k}" for k in range(8)}
    monday = found["x6"]
    assert "at 2027-03-15 02:00 UTC" in monday and "as 7 other CronJobs" in monday
    named = [f"default/x{k} (line" for k in range(6) if k != 6]
    assert all(n in monday for n in named[:5]) and "default/x5 (line" not in monday
    assert monday.endswith("and 2 more, at 2027-03-15 02:00 UTC")
    # The daily ones pile up first on Saturday the 13th with the other daily ones only (x1 x3 x5 x7).
    assert "at 2027-03-13 02:00 UTC" in found["x1"] and "as 3 other CronJobs" in found["x1"]


def test_many_cronjobs_in_many_scopes_are_each_counted_once(tmp_path: Path) -> None:
    # Three directories, each with two files holding the same 200 CronJobs of one namespace: the
    # two files of a directory are one scope, each CronJob counts once, the directories stay apart.
    for d in range(3):
        body = "".join(f"---\n{cronjob(f'job-{k}', '0 4 * * *', f'ns{d}')}" for k in range(200))
        (tmp_path / f"d{d}").mkdir()
        (tmp_path / f"d{d}" / "a.yaml").write_text(body, encoding="utf-8")
        (tmp_path / f"d{d}" / "b.yaml").write_text(body, encoding="utf-8")
    found = findings_of(["--no-cache", "--select", "JC312", "."], tmp_path)
    assert len(found) == 1200
    assert all("as 199 other CronJobs" in f["message"] for f in found)


def test_nothing_is_collected_when_no_cross_object_rule_is_selected() -> None:
    result = lint_stream(THREE, "x.yaml", build_options(Config(ignore=("JC312",))))
    assert not result.cross and len(result.cross) == 0 and result.deferred == []
    assert build_options(Config(ignore=("JC312",))).cross_checks == ()


# --- suppressions ----------------------------------------------------------------------------------


def test_a_comment_on_the_schedule_silences_that_finding_and_is_used() -> None:
    text = stream(cronjob("a", "0 2 * * *", comment="  # jobcheck: ignore[JC312]"),
                  cronjob("b", "0 2 * * *"), cronjob("c", "0 2 * * *"))
    found = lint_text(text, "x.yaml", options())
    assert [f.line for f in found if f.rule == "JC312"] == [schedule_line(text, "b"), schedule_line(text, "c")]
    assert "default/a" in next(f for f in found if f.rule == "JC312").message  # it still counts
    assert not [f for f in found if f.rule == "JC000"]


def test_a_comment_that_silences_no_pile_up_is_reported_unused() -> None:
    text = stream(cronjob("a", "0 2 * * *", comment="  # jobcheck: ignore[JC312, JC201]"),
                  cronjob("b", "0 3 * * *"))
    unused = [f for f in lint_text(text, "x.yaml", options()) if f.rule == "JC000"]
    assert [(f.line, f.message) for f in unused] == [
        (schedule_line(text, "a"), "suppression of JC201, JC312 matches no finding")]
    # Off a CronJob's schedule, it is judged in the per-file pass as before.
    text = "# jobcheck: ignore-file[schedule-pile-up]\n" + stream(cronjob("a", "0 2 * * *"))
    assert [f.line for f in lint_text(text, "x.yaml", options()) if f.rule == "JC000"] == [1]


def test_a_blanket_comment_used_only_by_a_pile_up_is_not_reported() -> None:
    text = stream(cronjob("a", "0 2 * * *", comment="  # jobcheck: ignore"),
                  cronjob("b", "0 2 * * *"), cronjob("c", "0 2 * * *"))
    found = lint_text(text, "x.yaml", options())
    assert not [f for f in found if f.rule == "JC000"]
    assert schedule_line(text, "a") not in [f.line for f in found]


def test_a_file_wide_comment_and_an_annotation_silence_it() -> None:
    text = "# jobcheck: ignore-file[JC312]\n" + THREE
    found = lint_text(text, "x.yaml", options())
    assert not [f for f in found if f.rule in ("JC312", "JC000")]
    text = stream(cronjob("a", "0 2 * * *", annotation="JC312"), cronjob("b", "0 2 * * *"), cronjob("c", "0 2 * * *"))
    found = lint_text(text, "x.yaml", options())
    assert len([f for f in found if f.rule == "JC312"]) == 2 and not [f for f in found if f.rule == "JC000"]


def test_an_annotation_that_silences_no_pile_up_is_reported_unused() -> None:
    text = stream(cronjob("a", "0 2 * * *", annotation="schedule-pile-up"), cronjob("b", "0 3 * * *"))
    unused = [f for f in lint_text(text, "x.yaml", options()) if f.rule == "JC000"]
    assert len(unused) == 1 and "suppresses schedule-pile-up, which matches no finding" in unused[0].message
    assert unused[0].line == 6 and unused[0].object == "a"


def test_records_from_a_damaged_cache_entry_are_refused() -> None:
    records = lint_stream(THREE, "x.yaml", options()).cross
    stored = json.loads(json.dumps(records.to_json()))
    assert Records.from_json(stored) == records and Records.from_json([]) == Records()
    raw = list(records)
    for damage in (lambda r: r[0][AT].__setitem__(0, "7"), lambda r: r[0][AT].__setitem__(0, True),
                   lambda r: r[0][AT].__setitem__(6, 9), lambda r: r[0][AT].pop(), lambda r: r[0].pop(),
                   lambda r: r.append("x"),
                   lambda r: r[1][SUPPRESSED].append([1])):
        broken = json.loads(json.dumps(raw))
        damage(broken)
        assert Records.from_json(Records(broken).to_json()) is None
    assert Records.from_json({}) is None and Records.from_json(["not base64!"]) is None
    assert Records.from_json([stored[0][:-1], stored[0][-1:]]) is None  # open records only at the end
    assert valid_deferred([]) and not valid_deferred([{"line": 1}]) and not valid_deferred({})


def test_records_are_packed_by_blocks_and_read_back_whole() -> None:
    one = lint_stream(THREE, "x.yaml", options()).cross[0]
    many = Records([*one[:DATA], {**one[DATA], "id": f"default/c{n}"}, *one[DATA + 1:]] for n in range(BLOCK * 2 + 3))
    assert len(many) == BLOCK * 2 + 3 and len(many._blocks) == 2 and len(many._tail) == 3
    assert [r[DATA]["id"] for r in many] == [f"default/c{n}" for n in range(BLOCK * 2 + 3)]
    assert many[BLOCK + 5][DATA]["id"] == f"default/c{BLOCK + 5}" and many[BLOCK * 2 + 1] == list(many)[BLOCK * 2 + 1]
    assert pickle.loads(pickle.dumps(many)) == many
    stored = many.to_json()
    assert len(stored) == 3 and Records.from_json(stored) == many
    assert type(stored[2]) is list and stored[2] == many._tail  # the open block as it is: no unpacking
    assert Records.from_json([stored[2], stored[0]]) is None  # a short block before a whole one
    assert Records.from_json([stored[0][:-4], stored[2]]) is None  # cut short
    assert Records.from_json([stored[0], list(many)[:BLOCK]]) is None  # a whole block is packed
    assert Records.from_json([stored[0], []]) is None


# --- a run over files ------------------------------------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "prod").mkdir()
    (tmp_path / "prod" / "a.yaml").write_text(stream(cronjob("a", "0 2 * * *", "batch"),
                                                     cronjob("b", "0 2 * * *", "batch")))
    (tmp_path / "prod" / "c.yaml").write_text(cronjob("c", "0 2 * * *", "batch"))
    (tmp_path / "prod" / "other-ns.yaml").write_text(cronjob("d", "0 2 * * *", "web"))
    (tmp_path / "fixtures").mkdir()  # files that name no namespace: each alone
    for n in "xyz":
        (tmp_path / "fixtures" / f"{n}.yaml").write_text(cronjob(n, "0 2 * * *"))
    return tmp_path


def test_files_of_one_directory_naming_one_namespace_count_together(repo: Path) -> None:
    found = findings_of(["--no-cache", "--select", "JC312", "."], repo)
    text = (repo / "prod" / "a.yaml").read_text()
    a, b, c = schedule_line(text, "a"), schedule_line(text, "b"), 7
    assert pile(found) == [("./prod/a.yaml", a), ("./prod/a.yaml", b), ("./prod/c.yaml", c)]
    on_c = next(f for f in found if f["file"] == "./prod/c.yaml")
    assert f"batch/a (./prod/a.yaml:{a})" in on_c["message"] and f"batch/b (./prod/a.yaml:{b})" in on_c["message"]
    on_a = next(f for f in found if f["file"] == "./prod/a.yaml")
    assert f"batch/b (line {b})" in on_a["message"] and f"batch/c (./prod/c.yaml:{c})" in on_a["message"]


def test_scope_run_counts_every_file(repo: Path) -> None:
    (repo / ".jobcheck.yaml").write_text("params:\n  JC312: {scope: run}\n")
    found = findings_of(["--no-cache", "--select", "JC312", "."], repo)
    assert len(pile(found)) == 7
    assert "and 1 more" in found[0]["message"]  # six others: five named


def test_jobs_2_gives_the_bytes_of_jobs_1(repo: Path) -> None:
    (repo / ".jobcheck.yaml").write_text("params:\n  JC312: {scope: run}\n")
    for fmt in ("text", "json", "sarif"):
        one = invoke(["--no-cache", "--format", fmt, "--jobs", "1", "."], repo).stdout
        two = invoke(["--no-cache", "--format", fmt, "--jobs", "2", "."], repo).stdout
        assert one == two and "JC312" in one


def test_a_warm_cache_gives_the_same_cross_object_findings(repo: Path, tmp_path_factory) -> None:
    env = {"JOBCHECK_CACHE_DIR": str(tmp_path_factory.mktemp("cache"))}
    cold = findings_of(["."], repo, env=env)
    assert len(pile(cold)) == 3
    packs = [p.read_text() for p in Path(env["JOBCHECK_CACHE_DIR"]).rglob("pack-*.json")]
    # A pack's first line holds its entries (its table of texts follows, a text a line).
    entries = [e for text in packs for e in json.loads(text.partition("\n")[0])["entries"].values() if "cross" in e]
    assert sum(len(Records.from_json(e["cross"])) for e in entries) == 7  # every CronJob's summary
    memo = list(Path(env["JOBCHECK_CACHE_DIR"]).rglob("memo-*.json"))
    assert len(memo) == 1 and '"runs ' in memo[0].read_text()  # the runs of the day, for the next run
    for jobs in ("1", "2"):
        assert findings_of(["--jobs", jobs, "."], repo, env=env) == cold
    # One file changed: the others' summaries come from the cache, the pile-up follows the change.
    (repo / "prod" / "c.yaml").write_text(cronjob("c", "5 2 * * *", "batch"))
    assert not pile(findings_of(["."], repo, env=env))
    (repo / "prod" / "c.yaml").write_text(cronjob("c", "0 2 * * *", "batch"))
    assert findings_of(["--jobs", "2", "."], repo, env=env) == cold
    assert findings_of(["--no-cache", "."], repo) == cold


def test_select_ignore_and_a_nearer_config_apply(repo: Path) -> None:
    assert not pile(findings_of(["--no-cache", "--ignore", "JC312", "."], repo))
    assert not pile(findings_of(["--no-cache", "--select", "JC201", "."], repo))
    (repo / "prod" / ".jobcheck.yaml").write_text("ignore: [schedule-pile-up]\n")
    assert not pile(findings_of(["--no-cache", "."], repo))


def test_standard_input_is_one_file() -> None:
    found = findings_of(["--no-cache", "--stdin-filename", "in.yaml", "-"], Path.cwd(), input=THREE)
    assert [f["file"] for f in found if f["rule"] == "JC312"] == ["in.yaml"] * 3


def test_fix_and_diff_leave_it_alone(repo: Path) -> None:
    before = (repo / "prod" / "a.yaml").read_text()
    with_it = invoke(["--diff", "."], repo).stdout
    assert "+++" in with_it and with_it == invoke(["--diff", "--ignore", "JC312", "."], repo).stdout
    fixed = findings_of(["--fix", "--select", "JC312", "."], repo)
    assert len(pile(fixed)) == 3 and (repo / "prod" / "a.yaml").read_text() == before


def test_the_cache_entry_holds_the_files_summaries(tmp_path: Path) -> None:
    from jobcheck.cache import Cache
    from jobcheck.discover import Target
    from jobcheck.run import lint_cached

    path = tmp_path / "a.yaml"
    path.write_text("# jobcheck: ignore[JC312]\n" + stream(cronjob("a", "0 2 * * *", comment="  # jobcheck: ignore[JC312]"),
                                                          cronjob("b", "0 3 * * *")))
    opts = options()
    cache = Cache(str(tmp_path / "cache"))
    cold = lint_cached(Target(str(path)), opts, cache).result
    cache.save()
    assert len(cold.cross) == 2 and len(cold.deferred) == 1
    warm_cache = Cache(str(tmp_path / "cache"))
    probe = warm_cache.probe(str(path), str(path), False, opts)
    assert probe is not None and probe.entry is not None
    warm = warm_cache.load(probe, opts)
    assert warm is not None and (warm.result.cross, warm.result.deferred) == (cold.cross, cold.deferred)


def test_a_bug_in_a_finish_is_contained(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import jobcheck.lint.cross

    def broken(files, options, memo=None):
        raise RuntimeError("a bug")

    monkeypatch.delenv("JOBCHECK_DEBUG", raising=False)
    monkeypatch.setattr(jobcheck.lint.cross, "finish", broken)
    result = invoke(["--no-cache", "--format", "json", "."], repo)
    assert result.exit_code == 2
    found = json.loads(result.stdout)["findings"]
    assert [f["file"] for f in found if f["rule"] == "JC006"] == ["./fixtures/x.yaml"]
    assert "RuntimeError in the rules that see every object" in next(f["message"] for f in found if f["rule"] == "JC006")
    assert not pile(found)


@pytest.mark.parametrize("scope", ["file", "folder"])
def test_scope_file_and_an_unknown_scope_count_one_file(repo: Path, scope: str) -> None:
    (repo / ".jobcheck.yaml").write_text(f"params:\n  JC312: {{scope: {scope}}}\n")
    assert not pile(findings_of(["--no-cache", "."], repo))  # no file holds three
    (repo / "prod" / "a.yaml").write_text(stream(*(cronjob(n, "0 2 * * *", "batch") for n in "abc")))
    assert [f for f, _ in pile(findings_of(["--no-cache", "."], repo))] == ["./prod/a.yaml"] * 3


def test_a_bug_in_a_collect_costs_only_that_objects_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    import jobcheck.lint.checks.fleet as fleet

    real = fleet.collect_schedule

    def flaky(w, params):
        if w.name == "b":
            raise KeyError("a bug")
        return real(w, params)

    monkeypatch.delenv("JOBCHECK_DEBUG", raising=False)
    opts = options()
    opts.cross_checks = tuple((rid, flaky, finish, params) for rid, _, finish, params in opts.cross_checks)
    text = stream(cronjob("a", "0 2 * * *"), cronjob("b", "0 2 * * *"), cronjob("c", "0 2 * * *"),
                  cronjob("d", "0 2 * * *"))
    result = lint_stream(text, "x.yaml", opts)
    assert [r[DATA]["id"] for r in result.cross] == ["default/a", "default/c", "default/d"]
    assert result.internal_error_count == 1
    assert [f.line for f in result.findings if f.rule == "JC006"] == [text.splitlines().index("  name: b") - 2]
