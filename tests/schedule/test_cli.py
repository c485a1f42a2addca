"""``jobcheck schedule`` on the command line: inputs, options, outputs and exit codes."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from jobcheck.cli import main

HERE = Path(__file__).parent
FLEET = str(HERE / "fleet.yaml")
INVALID = str(HERE / "invalid.yaml")
WINDOW = ["--from", "2027-03-13T00:00:00Z", "--window", "7d"]


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(main, ["schedule", *args], input=stdin)


def test_json_of_a_file() -> None:
    result = run(FLEET, *WINDOW, "--format", "json", "--no-config")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["window"] == {"from": "2027-03-13T00:00:00Z", "to": "2027-03-20T00:00:00Z"}
    assert len(doc["cronjobs"]) == 7 and doc["cronjobs"][0]["file"] == FLEET


def test_text_fits_80_columns_and_marks_dst() -> None:
    result = run(FLEET, INVALID, *WINDOW, "--timezone", "America/New_York", "--no-config")
    assert result.exit_code == 1  # invalid.yaml holds CronJobs the API server refuses
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "\x1b" not in result.stdout
    # The local date of the spring-forward (the 14th in New York) is marked on its row.
    (row,) = [line for line in lines if line.startswith("Sun 03-14")]
    assert "DST New_York +1h" in row
    # The 13th, New York time, starts at 19:00 EST of the 12th: that row has the 12th's evening only.
    assert any(line.startswith("Fri 03-12") for line in lines)
    assert "Pile-ups (13):" in result.stdout
    assert "cpu 3500m, memory 1.6Gi" in result.stdout  # 500m + 1 + 2 cpu; 512Mi + 1Gi + 128Mi
    assert "Invalid (3):" in result.stdout and "Suspended (1):" in result.stdout
    assert "Most runs at once: 7" in result.stdout


def test_heat_map_counts_by_display_hour() -> None:
    manifest = "".join(
        f"---\napiVersion: batch/v1\nkind: CronJob\nmetadata: {{name: c{i}}}\nspec: {{schedule: '{s}'{z}}}\n"
        for i, (s, z) in enumerate([("0 * * * *", ""), ("*/20 * * * *", ""), ("0 3 * * *", ", timeZone: Asia/Seoul"),
                                    ("0 3 * * *", "")]))
    result = run("-", "--from", "2027-03-13", "--window", "1d", "--timezone", "Asia/Seoul", "--no-config",
                 stdin=manifest)
    rows = [line for line in result.stdout.splitlines() if line[:3] in ("Fri", "Sat", "Sun")]
    assert [r[:9] for r in rows] == ["Sat 03-13"]  # Seoul's midnight to midnight: one row
    cells = rows[0][10:].split(" ")
    # 4 starts every hour; 03:00 KST adds c2; 03:00 UTC (c3, no timeZone) is 12:00 KST.
    assert cells == ["4"] * 3 + ["5"] + ["4"] * 8 + ["5"] + ["4"] * 11


def test_stdin_and_its_name() -> None:
    text = Path(FLEET).read_text()
    result = run("-", *WINDOW, "--format", "json", "--stdin-filename", "in.yaml", "--no-config", stdin=text)
    assert result.exit_code == 0
    assert {e["file"] for e in json.loads(result.stdout)["cronjobs"]} == {"in.yaml"}


def test_directory_walk_and_config_excludes(tmp_path: Path) -> None:
    shutil.copy(FLEET, tmp_path / "fleet.yaml")
    (tmp_path / "skip").mkdir()
    shutil.copy(INVALID, tmp_path / "skip" / "invalid.yaml")
    (tmp_path / "notes.txt").write_text("kind: CronJob\n")
    (tmp_path / "chart.yaml").write_text("kind: CronJob\nmetadata: {name: {{ .Values.name }}}\n")
    result = run(str(tmp_path), *WINDOW, "--format", "json")
    assert result.exit_code == 1  # the invalid ones are read
    assert len(json.loads(result.stdout)["cronjobs"]) == 10
    (tmp_path / ".jobcheck.yaml").write_text("exclude: [skip]\n")
    result = run(str(tmp_path), *WINDOW, "--format", "json")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["cronjobs"]) == 7
    result = run(str(tmp_path), *WINDOW, "--format", "json", "--no-config", "--exclude", "fleet.yaml")
    assert {Path(e["file"]).name for e in json.loads(result.stdout)["cronjobs"]} == {"invalid.yaml"}


def test_lists_in_a_list_and_lines(tmp_path: Path) -> None:
    (tmp_path / "l.yaml").write_text(
        "# a comment\n---\napiVersion: v1\nkind: List\nitems:\n"
        "- apiVersion: batch/v1\n  kind: CronJob\n  metadata: {name: a}\n  spec: {schedule: '0 1 * * *'}\n"
        "- apiVersion: batch/v1\n  kind: CronJob\n  metadata: {name: b}\n  spec: {schedule: '0 2 * * *'}\n")
    doc = json.loads(run(str(tmp_path / "l.yaml"), *WINDOW, "-f", "json", "--no-config").stdout)
    assert [(e["name"], e["line"]) for e in doc["cronjobs"]] == [("a", 6), ("b", 10)]


def test_output_file(tmp_path: Path) -> None:
    out = tmp_path / "map.json"
    result = run(FLEET, *WINDOW, "-f", "json", "-o", str(out), "--no-config")
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(out.read_text())["version"] == 1
    assert [p.name for p in tmp_path.iterdir()] == ["map.json"]  # no temporary file left


@pytest.mark.parametrize("args, message", [
    (["--window", "32d"], "longer than 31d"),
    (["--window", "0h"], "longer than zero"),
    (["--window", "week"], "not a span"),
    (["--timezone", ""], "timeZone must be nil or non-empty string"),
    (["--timezone", "Mars/Olympus"], "unknown time zone Mars/Olympus"),
    (["--controller-timezone", "Local"], "explicit time zone"),
    (["--from", "yesterday"], "neither an RFC 3339 instant"),
    (["--from", "2027-02-30"], "not a date"),
    (["--duration", "-5m"], "not a span"),
])
def test_usage_errors_exit_2(args, message) -> None:
    result = run(FLEET, *args, "--no-config")
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output


def test_window_of_31_days_is_accepted() -> None:
    assert run(FLEET, "--window", "31d", "--from", "2027-03-13", "--no-config", "-f", "json").exit_code == 0


def test_from_date_is_midnight_in_display_zone() -> None:
    doc = json.loads(run(FLEET, "--from", "2027-03-13", "--timezone", "Asia/Seoul", "-f", "json", "--no-config").stdout)
    assert doc["window"]["from"] == "2027-03-12T15:00:00Z"
    doc = json.loads(run(FLEET, "--from", "2027-03-13T09:30:45+09:00", "-f", "json", "--no-config").stdout)
    assert doc["window"]["from"] == "2027-03-13T00:30:00Z"  # rounded down to the minute


def test_missing_input_exit_2() -> None:
    result = run(FLEET, "does-not-exist.yaml", *WINDOW, "--no-config")
    assert result.exit_code == 2 and "does-not-exist.yaml" in result.stderr


def test_binary_and_broken_files_never_crash(tmp_path: Path) -> None:
    (tmp_path / "bin.yaml").write_bytes(b"\xff\xfe\x00\x00garbage\x00")
    (tmp_path / "broken.yaml").write_text("kind: CronJob\nspec: {schedule: [\n")
    (tmp_path / "deep.yaml").write_text("[" * 5000 + "]" * 5000)
    result = run(str(tmp_path), *WINDOW, "--no-config")
    assert "Traceback" not in result.output and result.exit_code in (0, 2)


def test_html_without_its_module_is_a_clear_error(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "jobcheck.schedule.html", None)  # an install without the page
    result = run(FLEET, *WINDOW, "-f", "html", "--no-config")
    assert result.exit_code == 2 and "HTML report is not available" in result.stderr


def test_output_that_is_an_input_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "fleet.yaml"
    shutil.copy(FLEET, target)
    result = run(str(tmp_path), *WINDOW, "-o", str(target), "--no-config")
    assert result.exit_code == 2 and "is one of the inputs" in result.stderr
    assert target.read_text() == Path(FLEET).read_text()


def test_output_in_a_missing_directory_exit_2(tmp_path: Path) -> None:
    result = run(FLEET, *WINDOW, "-o", str(tmp_path / "no" / "map.txt"), "--no-config")
    assert result.exit_code == 2 and "cannot write" in result.stderr and "Traceback" not in result.output


def test_nearer_config_excludes_apply(tmp_path: Path) -> None:
    (tmp_path / "team").mkdir()
    shutil.copy(FLEET, tmp_path / "fleet.yaml")
    shutil.copy(INVALID, tmp_path / "team" / "invalid.yaml")
    (tmp_path / "team" / ".jobcheck.yaml").write_text("exclude: [invalid.yaml]\n")
    result = run(str(tmp_path), *WINDOW, "-f", "json")
    assert result.exit_code == 0, result.output
    assert {Path(e["file"]).name for e in json.loads(result.stdout)["cronjobs"]} == {"fleet.yaml"}


def test_no_cronjobs_is_an_empty_map(tmp_path: Path) -> None:
    (tmp_path / "job.yaml").write_text("apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\n")
    result = run(str(tmp_path / "job.yaml"), *WINDOW, "--no-config")
    assert result.exit_code == 0
    assert "0 CronJobs" in result.stdout and "Most runs at once: 0" in result.stdout
    doc = json.loads(run(str(tmp_path / "job.yaml"), *WINDOW, "--no-config", "-f", "json").stdout)
    assert doc["cronjobs"] == [] and doc["pileups"] == [] and doc["overlap"]["at"] is None


def test_undecodable_names_make_valid_json(tmp_path: Path) -> None:
    (tmp_path / "n.yaml").write_bytes(
        b"apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: \"caf\\xe9-\\udcff\"}\nspec: {schedule: '0 1 * * *'}\n")
    result = run(str(tmp_path / "n.yaml"), *WINDOW, "--no-config", "-f", "json")
    assert result.exit_code == 0
    json.loads(result.stdout.encode("ascii"))  # ASCII only, strictly parseable


def test_truncated_runs_are_said(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text("apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: busy}\n"
                                     "spec: {schedule: '@every 10s'}\n")
    result = run(str(tmp_path / "s.yaml"), *WINDOW, "--no-config")
    assert result.exit_code == 0
    assert "More than 20,000 runs (only the first 20,000 are mapped): default/busy" in " ".join(
        result.stdout.split())


def test_80_columns_with_long_names_and_zones(tmp_path: Path) -> None:
    docs = []
    for i in range(30):
        name = f"a-very-long-cronjob-name-that-goes-on-and-on-{i:02d}-" + "x" * 20
        docs.append(f"apiVersion: batch/v1\nkind: CronJob\nmetadata: {{name: {name}, namespace: {'n' * 60}}}\n"
                    f"spec: {{schedule: '0 3 * * *', timeZone: America/Argentina/ComodRivadavia}}\n")
    docs.append("apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: bad}\nspec: {schedule: '" + "1," * 200 + "1 * * * * *'}\n")
    (tmp_path / "long.yaml").write_text("---\n".join(docs))
    result = run(str(tmp_path / "long.yaml"), *WINDOW, "--timezone", "America/Argentina/ComodRivadavia",
                 "--controller-timezone", "Australia/Lord_Howe", "--no-config")
    assert result.exit_code == 1
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert "and 18 more" in result.stdout
