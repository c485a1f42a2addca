from __future__ import annotations

import shlex

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jobcheck.lint.checks import secrets
from jobcheck.lint.registry import load_rules
from tests.checks._build import container, hits, job

PARAMS = load_rules()["JC501"].params  # the shipped defaults


def env_job(*pairs: tuple[str, object]) -> dict:
    return job([container(env=[{"name": n, "value": v} for n, v in pairs])])


SECRET_VALUES = [
    "s3cr3t-Pa55",
    "AKIAZ7QK3MXN4PLW2RTB",
    "ghp_R8x2kLm4Qz7Tn1Vb6Yw3Hc9Jd5Fs0Pa2Ue4G",
    "xoxb-123456789012-abcdefABCDEF",
    "-----BEGIN RSA PRIVATE KEY-----\nMIIE",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    "postgres://app:Tr0ub4dor@db:5432/app",
    "Zq8vN3kR7tW1xY5bM9cL2fH6jD4gS0pQaE",
]


@pytest.mark.parametrize("value", SECRET_VALUES)
def test_secret_literal_is_reported_without_the_value(value: str) -> None:
    [hit] = hits(secrets.secret_literal_in_env, env_job(("DB_PASSWORD", value)), **PARAMS)
    assert hit.path == ("spec", "template", "spec", "containers", 0, "env", 0, "value")
    assert value not in hit.message and value[:6] not in hit.message


@pytest.mark.parametrize("value", SECRET_VALUES[1:])
def test_shapes_are_found_whatever_the_name(value: str) -> None:
    assert len(hits(secrets.secret_literal_in_env, env_job(("CONFIG", value)), **PARAMS)) == 1


@pytest.mark.parametrize(
    "name, value",
    [
        ("DB_PASSWORD", ""),
        ("DB_PASSWORD", "$(FROM_SECRET)"),
        ("DB_PASSWORD", "changeme"),
        ("DB_PASSWORD", "<password>"),
        ("DB_PASSWORD", "{{ .Values.password }}"),
        ("DB_PASSWORD", "xxxxxx"),
        ("DB_PASSWORD_FILE", "/run/secrets/pw"),
        ("TOKEN_URL", "https://auth.example.com/token"),
        ("PASSWORD_MIN_LENGTH", "12"),
        ("LOG_LEVEL", "debug"),
        ("BUILD_SHA", "3f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39"),
        ("DSN", "postgres://app:$(DB_PW)@db/app"),
        ("MAIN_CLASS", "com.example.export.ExportApplication"),
        ("DB_PASSWORD", 1234),
    ],
)
def test_non_secrets_are_not_reported(name: str, value) -> None:
    assert hits(secrets.secret_literal_in_env, env_job((name, value)), **PARAMS) == []


def test_secret_via_env_reports_secret_key_refs_and_env_from() -> None:
    c = container(
        env=[
            {"name": "PW", "valueFrom": {"secretKeyRef": {"name": "db", "key": "pw"}}},
            {"name": "MODE", "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": "mode"}}},
        ],
        envFrom=[{"configMapRef": {"name": "cfg"}}, {"secretRef": {"name": "creds"}}],
    )
    found = hits(secrets.secret_via_env, job([c]))
    assert [h.path[-3:] for h in found] == [(0, "valueFrom", "secretKeyRef"), ("envFrom", 1, "secretRef")]
    assert 'Secret "db"' in found[0].message and 'Secret "creds"' in found[1].message


def args_job(command=None, args=None) -> dict:
    fields = {}
    if command is not None:
        fields["command"] = command
    if args is not None:
        fields["args"] = args
    return job([container(**fields)])


@pytest.mark.parametrize(
    "command, args, where",
    [
        (["app", "--password=hunter2"], None, ("command", 1)),
        (["app"], ["--api-key", "k3y-value"], ("args", 1)),
        (["app"], ["-client_secret=abc123"], ("args", 0)),
        (["mysql", "-uroot", "-pHunter2x"], None, ("command", 2)),
        (["redis-cli", "-a", "s3cret"], None, ("command", 2)),
        (["sshpass", "-p", "s3cret", "ssh", "host"], None, ("command", 2)),
        (["curl", "-u", "user:pa55word", "https://x"], None, ("command", 2)),
        (["/bin/sh", "-c"], ["pg_dump postgres://app:Tr0ub4dor@db/app > /x"], ("args", 0)),
        (["/bin/sh", "-c", "exec app --token abc123def"], None, ("command", 2)),
    ],
)
def test_secret_in_args_is_reported_at_the_element_without_the_value(command, args, where) -> None:
    [hit] = hits(secrets.secret_in_args, args_job(command, args))
    assert hit.path[-2:] == where
    for secret in ("hunter2", "k3y-value", "abc123", "Hunter2x", "s3cret", "pa55word", "Tr0ub4dor"):
        assert secret not in hit.message


@pytest.mark.parametrize(
    "command, args",
    [
        (["app", "--password-file=/run/secrets/pw"], None),
        (["app", "--password=$(DB_PASSWORD)"], None),
        (["app", "--no-password", "mydb"], None),
        (["app", "--secret-name", "db"], None),
        (["redis-cli", "-p", "6379"], None),
        (["mysql", "-u", "app", "-p"], None),
        (["/bin/sh", "-c", 'curl -u "deploy:$PW" https://x'], None),
        (["ssh", "-p", "22", "host"], None),
        (["app", "--token", "--verbose"], None),
        (["app", "--password="], None),
    ],
)
def test_secret_in_args_near_misses(command, args) -> None:
    assert hits(secrets.secret_in_args, args_job(command, args)) == []


def test_unbalanced_quotes_in_a_script_fall_back_to_plain_words() -> None:
    [hit] = hits(secrets.secret_in_args, args_job(["/bin/sh", "-c", "echo 'oops --password=s3cret"]))
    assert hit.path[-2:] == ("command", 2)


# shell_words replaces shlex.split (a character-at-a-time lexer, the slowest part of JC503);
# it must split, unquote and fail exactly as shlex does.
@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=" \t\r\n\x0b'\"\\abc-=$/é", max_size=24))
def test_shell_words_agree_with_shlex(text: str) -> None:
    try:
        expected: list[str] | None = shlex.split(text)
    except ValueError:
        expected = None
    try:
        got: list[str] | None = list(secrets.shell_words(text))
    except ValueError:
        got = None
    assert got == expected


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("mysql -p'pa ss' db", ["mysql", "-ppa ss", "db"]),
        ('echo "a \\" b" \\$x', ["echo", 'a " b', "$x"]),
        ('say "keep \\n"', ["say", "keep \\n"]),
        ("a '' b", ["a", "", "b"]),
    ],
)
def test_shell_words_unquote(text: str, words: list[str]) -> None:
    assert list(secrets.shell_words(text)) == words


@pytest.mark.parametrize("text", ["echo 'open", 'echo "open', "trailing \\"])
def test_shell_words_refuse_what_shlex_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        secrets.shell_words(text)


@pytest.mark.parametrize(
    ("script", "flag"),
    [("deploy --pa'ss'word=hunter2Xy9", "--password"), ("deploy --credent\u0131al=hunter2Xy9", "--credent\u0131al")],
)
def test_secret_flag_spelt_oddly_in_a_script_is_still_found(script: str, flag: str) -> None:
    # The check skips containers whose command/args cannot carry a secret; that test must look
    # through shell quoting as the word splitting does, and match letters as IGNORECASE does.
    manifest = job([container(command=["sh", "-c"], args=[script])])
    [hit] = hits(secrets.secret_in_args, manifest)
    assert flag in hit.message and "hunter2" not in hit.message
