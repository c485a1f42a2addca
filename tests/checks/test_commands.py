from __future__ import annotations

import pytest

from jobcheck.lint.checks import commands
from tests.checks._build import container, hits, job


def c_job(command=None, args=None, env=None, env_from=None, **spec) -> dict:
    fields: dict = {}
    for key, value in (("command", command), ("args", args), ("env", env), ("envFrom", env_from)):
        if value is not None:
            fields[key] = value
    return job([container(**fields)], **spec)


def test_scan_refs_follows_kubelet_expansion() -> None:
    refs = list(commands.scan_refs("a$(X)b$$(Y)c$(date +%F)$(unterminated"))
    assert [(r.start, r.end, r.content) for r in refs] == [(1, 5, "X"), (12, 23, "date +%F")]


@pytest.mark.parametrize(
    "words, shell",
    [
        (["/bin/sh", "-c"], True),
        (["bash"], True),
        (["/usr/bin/env", "-i", "bash", "-c", "x"], True),
        (["tini", "--", "sh", "-c", "x"], True),
        (["/usr/local/bin/export"], False),
        (["python", "-c", "x"], False),
        ([], False),
    ],
)
def test_is_shell(words: list, shell: bool) -> None:
    assert commands.is_shell(words) is shell


@pytest.mark.parametrize(
    "command, args, index, fragment",  # index into command + args
    [
        (["app"], ["--since=$(date +%F)"], 1, "$(date +%F)"),
        (["app"], ["--out=$HOME/x"], 1, "$HOME"),
        (["app"], ["--out=${OUT}"], 1, "${OUT}"),
        (["app"], ["run-`hostname`"], 1, "`hostname`"),
        (["app"], ["|"], 1, "|"),
        (["app", "a && b"], None, 1, "&&"),
        (["app", "x", "2>&1"], None, 2, "2>&1"),
        (None, ["--day=$(date +%u)"], 0, "$(date +%u)"),
        (None, ["tag-`date`"], 0, "`date`"),
    ],
)
def test_shell_syntax_without_shell(command, args, index, fragment) -> None:
    [hit] = hits(commands.shell_syntax_without_shell, c_job(command, args))
    text = (command or []) + (args or [])
    field = "command" if command and index < len(command) else "args"
    assert hit.path[-2:] == (field, index if field == "command" else index - len(command or []))
    start, end = hit.span
    assert text[index][start:end] == fragment
    assert f'"{fragment}"' in hit.message


@pytest.mark.parametrize(
    "command, args",
    [
        (["/bin/sh", "-c"], ["echo $(date) | gzip > $HOME/x"]),
        (None, ["sh", "-c", "echo `date`"]),
        (None, ["--out=$HOME/x", "a | b", "${X}"]),  # entrypoint unknown: only substitution is certain
        (["app"], ["--host=$(DB_HOST)", "--x=$$(date)", "--filter=a|b", "--sql=select 1;", "--cmp=a>b"]),
        (["app"], ["$(Undefined_Var)"]),
    ],
)
def test_shell_syntax_not_reported(command, args) -> None:
    assert (
        hits(
            commands.shell_syntax_without_shell, c_job(command, args, env=[{"name": "DB_HOST", "value": "x"}])
        )
        == []
    )


def test_declared_lower_case_env_is_a_reference_not_a_command() -> None:
    data = c_job(["app"], ["--x=$(date)"], env=[{"name": "date", "value": "today"}])
    assert hits(commands.shell_syntax_without_shell, data) == []


def test_undefined_reference_in_args_with_span() -> None:
    data = c_job(["app"], ["--host=$(DB_HOST)"], env=[{"name": "DB_HOSTNAME", "value": "x"}])
    [hit] = hits(commands.undefined_env_reference, data)
    assert hit.path[-2:] == ("args", 0) and hit.span == (7, 17)


def test_env_values_see_only_earlier_entries() -> None:
    env = [{"name": "A", "value": "$(B)-$(C)"}, {"name": "B", "value": "b"}, {"name": "D", "value": "$(B)"}]
    found = hits(commands.undefined_env_reference, c_job(env=env))
    assert [(h.path[-3:], h.span) for h in found] == [
        (("env", 0, "value"), (0, 4)),
        (("env", 0, "value"), (5, 9)),
    ]
    assert "only later" in found[0].message and "not defined" in found[1].message


@pytest.mark.parametrize(
    "data",
    [
        c_job(["app", "$$(NOT_A_REF)"]),
        c_job(["app", "$(KUBERNETES_SERVICE_HOST)", "$(REDIS_PORT_6379_TCP_ADDR)"]),
        c_job(["app", "$(ANYTHING)"], env_from=[{"configMapRef": {"name": "cfg"}}]),
        c_job(["sh", "-c", "echo $(date) $(hostname)"]),
        c_job(["app", "--i=$(JOB_COMPLETION_INDEX)"], completionMode="Indexed", completions=3),
    ],
)
def test_undefined_reference_near_misses(data) -> None:
    assert hits(commands.undefined_env_reference, data) == []


def test_job_completion_index_needs_an_indexed_job() -> None:
    [hit] = hits(
        commands.undefined_env_reference, c_job(["app", "--i=$(JOB_COMPLETION_INDEX)"], completions=3)
    )
    assert "JOB_COMPLETION_INDEX" in hit.message


def test_command_checks_survive_odd_types() -> None:
    data = c_job(command="app --x=$(date)", args=[1, None, {"a": 1}], env=[{"name": 3, "value": 4}, "junk"])
    assert hits(commands.shell_syntax_without_shell, data) == []
    assert hits(commands.undefined_env_reference, data) == []
