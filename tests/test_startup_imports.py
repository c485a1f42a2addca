"""Start-up (issue 13): a plain ``jobcheck lint`` loads only what the run needs.

Each case runs the CLI in a fresh interpreter and lists ``sys.modules`` afterwards: the
explain and fix packages, the other subcommands, difflib (unknown-field suggestions), jsonschema
(only the tests use it: fastschema explains rejected objects) and, for a file without a CronJob, the
cron package must stay unimported; a plain ``jobcheck lint FILES`` command line does not load click
(jobcheck.cli.fast), nor shutil, nor OpenSSL's hashlib (the result cache and JC312 hash with
CPython's own BLAKE2, jobcheck.blake2), nor the standard modules a run can do without: dataclasses
and inspect (jobcheck.record), typing, pathlib with urllib.parse and ipaddress (paths are strings;
pathlib comes with a configuration file or a report that prints URIs), heapq (spilled reports only),
zoneinfo (a CronJob naming a zone).
The collector's thresholds go back to the interpreter's for the commands click runs.
Speed itself is measured by bench/, not here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

JOB = textwrap.dedent(
    """\
    apiVersion: batch/v1
    kind: Job
    metadata:
      name: report
    spec:
      backoffLimit: 2
      ttlSecondsAfterFinished: 600
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: report
              image: registry.example.com/report:1.2.3
    """
)

CRONJOB = textwrap.dedent(
    """\
    apiVersion: batch/v1
    kind: CronJob
    metadata:
      name: nightly
    spec:
      schedule: "0 2 * * *"
      timeZone: Europe/Berlin
      jobTemplate:
        spec:
          template:
            spec:
              restartPolicy: Never
              containers:
                - name: backup
                  image: registry.example.com/backup:1.2.3
    """
)

# A Job with a misspelt field: jsonschema explains it and difflib suggests the name.
JOB_TYPO = JOB.replace("backoffLimit", "backofLimit")

# The program as the ``jobcheck`` script and ``python -m jobcheck`` run it (jobcheck.cli.console_main).
PROBE = """\
import json, sys
from jobcheck.cli import console_main
try:
    console_main()
except SystemExit as exc:
    code = exc.code
sys.stdout.flush()
import gc
sys.stderr.write("\\nGC " + json.dumps(gc.get_threshold()) + "\\n")
sys.stderr.write("\\nMODULES " + json.dumps(sorted(sys.modules)) + " " + json.dumps(code) + "\\n")
"""

NEVER = ("jobcheck.explain", "jobcheck.fix", "jobcheck.cli.explain", "jobcheck.cli.dump", "jobcheck.cli.rules",
         "click", "jobcheck.cli.group", "jobcheck.cli.lintcmd")
NOT_FOR_A_VALID_JOB = ("jobcheck.cron", "difflib", "jsonschema", "jobcheck.report.json", "jobcheck.report.sarif",
                       "shutil")
# What no plain lint run needs (issue 13: each costs 1-7 ms at start-up), CronJobs without a zone included.
NOT_AT_ALL = ("dataclasses", "inspect", "typing", "pathlib", "urllib", "ipaddress", "heapq", "zoneinfo",
              "_hashlib")


def _modules(tmp_path, text: str, *args: str) -> tuple[set[str], int, str]:
    path = tmp_path / "manifest.yaml"
    path.write_text(text, encoding="utf-8")
    env = dict(os.environ, JOBCHECK_CACHE_DIR=str(tmp_path / "cache"))
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, "lint", str(path), *args],
        capture_output=True, text=True, env=env, cwd=tmp_path, check=False,
    )
    line = [ln for ln in proc.stderr.splitlines() if ln.startswith("MODULES ")]
    assert line, proc.stderr
    names, _, code = line[-1].removeprefix("MODULES ").rpartition(" ")
    return set(json.loads(names)), json.loads(code), proc.stdout


def _loaded(modules: set[str], package: str) -> bool:
    return any(m == package or m.startswith(package + ".") for m in modules)


@pytest.mark.parametrize("args", [(), ("--no-cache",)], ids=["cache", "no-cache"])
def test_lint_of_a_valid_job_loads_no_cron_explain_fix_difflib_or_jsonschema(tmp_path, args):
    modules, code, out = _modules(tmp_path, JOB, *args)
    assert code == 0 and "JC202" in out  # the rules ran (an info finding, exit 0)
    assert "jobcheck.cli.lint" in modules and "jobcheck.lint.checks.lifecycle" in modules
    loaded = [p for p in NEVER + NOT_FOR_A_VALID_JOB + NOT_AT_ALL if _loaded(modules, p)]
    assert loaded == []


def test_lint_of_a_cronjob_without_a_zone_loads_no_standard_module_it_can_do_without(tmp_path):
    modules, code, out = _modules(tmp_path, CRONJOB.replace("  timeZone: Europe/Berlin\n", ""), "--no-cache")
    assert "JC306" in out and _loaded(modules, "jobcheck.cron")
    assert [p for p in NOT_AT_ALL if _loaded(modules, p)] == []


def test_a_zone_a_configuration_file_or_sarif_bring_what_they_need(tmp_path):
    modules, code, out = _modules(tmp_path, CRONJOB, "--no-cache")
    assert "zoneinfo" in modules and "JC306" in out  # the zone read from tzdata (importlib.resources)
    (tmp_path / ".jobcheck.yaml").write_text("ignore: [JC202]\n", encoding="utf-8")
    modules, code, out = _modules(tmp_path, JOB, "--no-cache", "--format", "sarif")
    assert "pathlib" in modules and "JC202" not in out and json.loads(out)["runs"][0]["results"]


def test_click_commands_get_the_interpreters_collector_thresholds(tmp_path):
    proc = subprocess.run([sys.executable, "-c", PROBE, "rules"], capture_output=True, text=True, cwd=tmp_path,
                          check=False)
    (line,) = [ln for ln in proc.stderr.splitlines() if ln.startswith("GC ")]
    default = subprocess.run([sys.executable, "-c", "import gc; print(list(gc.get_threshold()))"],
                             capture_output=True, text=True, check=True).stdout
    assert json.loads(line[3:]) == json.loads(default) and "JC306" in proc.stdout


def test_lint_of_a_cronjob_loads_the_cron_package_and_reports_schedule_rules(tmp_path):
    modules, code, out = _modules(tmp_path, CRONJOB, "--no-cache")
    assert _loaded(modules, "jobcheck.cron")
    assert "JC306" in out  # concurrencyPolicy unset: a schedule-module check ran
    assert not [p for p in NEVER if _loaded(modules, p)]


def test_an_unknown_field_gets_a_suggestion_without_jsonschema(tmp_path):
    modules, code, out = _modules(tmp_path, JOB_TYPO, "--no-cache")
    assert code == 1
    assert 'did you mean "backoffLimit"?' in out
    # jobcheck.kube.fastschema lists the errors (tests/schema holds them to jsonschema's).
    assert "difflib" in modules and not _loaded(modules, "jsonschema")
    assert not _loaded(modules, "jobcheck.cron") and not [p for p in NEVER if _loaded(modules, p)]


def test_json_format_loads_only_its_reporter(tmp_path):
    modules, code, out = _modules(tmp_path, JOB, "--no-cache", "--format", "json")
    assert json.loads(out)["findings"]
    assert "jobcheck.report.json" in modules and "jobcheck.report.sarif" not in modules


def test_a_command_line_the_fast_path_leaves_to_click_still_lints(tmp_path):
    # -qv (joined short options) is click's to parse: the same run, with click loaded.
    modules, code, out = _modules(tmp_path, JOB, "--no-cache", "-qv")
    assert code == 0 and "JC202" in out
    assert "click" in modules and "jobcheck.cli.lintcmd" in modules


def test_pyyaml_is_imported_with_its_patterns_left_to_first_use():
    """PyYAML's own patterns (unused by its C parser's events) are compiled when first used: its
    pure loader still resolves plain scalars and checks printable characters as it does, and
    ``re.compile`` is the standard one again."""
    program = textwrap.dedent(
        """\
        import datetime, json, re
        from jobcheck.yaml.loader import PYYAML, _parser
        assert _parser(PYYAML) is not None
        import yaml
        print(json.dumps([type(yaml.reader.Reader.NON_PRINTABLE).__name__, re.compile is re._compile or
                          re.compile.__module__ == "re"]))
        assert yaml.safe_load("a: yes\\nb: 2001-12-14\\nc: 1.5e+3\\nd: ~\\ne: 0x1F") == {
            "a": True, "b": datetime.date(2001, 12, 14), "c": 1500.0, "d": None, "e": 31}
        try:
            yaml.safe_load("a: \\x07")
        except yaml.reader.ReaderError as exc:
            print(json.dumps(["unprintable", str(exc).splitlines()[0]]))
        """
    )
    proc = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    first, second = map(json.loads, proc.stdout.splitlines())
    assert first == ["LazyPattern", True]
    assert second == ["unprintable", "unacceptable character #x0007: special characters are not allowed"]
