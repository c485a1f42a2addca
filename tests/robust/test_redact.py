"""jobcheck.redact: what may be a credential, masked in source lines, in linear time."""

from __future__ import annotations

import time

import pytest

from jobcheck.kube.apiserver import messages as m
from jobcheck.redact import MASK, credential_shape, looks_secret, mask_lines, unified_diff

# Each of these took seconds to minutes before the patterns were made linear (issue 16): a
# 200 KB value shaped like a...a://x took 33 s in the URL-password pattern.
HOSTILE = {
    "scheme run": "a" * 200_000 + "://x",
    "jwt-like": "-eyJ" * 50_000 + ".",
    "slack-like": "xoxb-" * 40_000,
    "eyJ run": ("eyJ" + "a" * 8 + ".") * 16_000,
    "colons": "a:" * 100_000 + "//",
    "user info": "://" + "a:" * 100_000,
    "pairs": "password" * 25_000 + "=",
}


def _seconds(fn, arg) -> float:
    start = time.perf_counter()
    fn(arg)
    return time.perf_counter() - start


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_secret_patterns_are_linear(name):
    value = HOSTILE[name]
    # A normal value of the same length (random-looking text) is the yardstick.
    for fn in (credential_shape, looks_secret, lambda v: mask_lines(["  value: " + v])):
        assert _seconds(fn, value) < 2.0, name  # ~0.1 s when linear


def test_known_shapes_and_placeholders():
    assert credential_shape("postgres://app:Pg7UrlPass@db/app") == "a URL with an embedded password"
    assert credential_shape("postgres://app:changeme@db/app") is None
    assert credential_shape("x ghp_" + "a1" * 18 + " y") == "a GitHub token"
    assert credential_shape("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig12345") == "a JSON Web Token"
    assert credential_shape("my-job-name") is None
    assert looks_secret("https://token@host/x") and looks_secret("host=db password=s3cr3t")
    assert looks_secret("/u:pass@host/y") and not looks_secret("My_Job") and not looks_secret("a b")


def test_api_server_messages_hide_credential_values_only():
    assert m.invalid("My_Job", "bad") == 'Invalid value: "My_Job": bad'
    assert m.invalid("https://bob:Pw1@h", "bad") == f"Invalid value: {m.HIDDEN}: bad"
    assert m.invalid(m.Hidden("plain"), "bad") == f"Invalid value: {m.HIDDEN}: bad"
    assert m.invalid(8080, "bad") == "Invalid value: 8080: bad"  # numbers of numeric fields stay


def _masked(text: str) -> list[str]:
    return mask_lines(text.splitlines(True))


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("- name: DB_PASSWORD\n  value: Hx7pQ\n", "Hx7pQ"),
        ("- value: Hx7pQ\n  name: API_TOKEN\n", "Hx7pQ"),
        ("- name: DB_PASSWORD\n  valeu: Hx7pQ\n", "Hx7pQ"),
        ("- {name: SVC_SECRET, value: Hx7pQ}\n", "Hx7pQ"),
        ('{"name": "DB_PASSWORD", "value": "Hx7pQ"}\n', "Hx7pQ"),
        ("- name: S_TOKEN\n  value: |\n    Hx7pQ\n    Zr4mW\n", "Zr4mW"),
        ("api-token: Hx7pQ\n", "Hx7pQ"),
        ("args: [--password=Hx7pQ]\n", "Hx7pQ"),
        ("- --token\n- Hx7pQ\n", "Hx7pQ"),
        ("- mysql -pHx7pQ db\n", "Hx7pQ"),
        ("- curl -u bob:Hx7pQ x\n", "Hx7pQ"),
        ("note: see https://bob:Hx7pQ@h/x\n", "Hx7pQ"),
        ("name: x  # password was Hx7pQ\n", "Hx7pQ"),
        ("value: |\n  -----BEGIN RSA PRIVATE KEY-----\n  Hx7pQ\n  -----END RSA PRIVATE KEY-----\n", "Hx7pQ"),
        ("- name: DSN\n  value: host=db password=Hx7pQ\n", "Hx7pQ"),
    ],
)
def test_mask_lines_hides_the_value(text, secret):
    masked = "".join(_masked(text))
    assert secret not in masked and MASK in masked
    assert masked.count("\n") == text.count("\n")  # line for line, endings kept


def test_mask_lines_keeps_ordinary_lines():
    text = "- name: main\n  image: busybox:1.36\n  env:\n    - name: MODE\n      value: fast\n" \
           "  valueFrom:\n    secretKeyRef: {name: db, key: password}\n"
    assert "".join(_masked(text)) == text


def test_diff_compares_real_lines_and_prints_masked_ones():
    old = ["- name: DB_PASSWORD\n", "  value: 12345678\n"]
    new = ["- name: DB_PASSWORD\n", '  value: "12345678"\n']
    diff = "".join(unified_diff(old, new, "a/x", "b/x"))
    assert "-  value: ***\n" in diff and "+  value: ***\n" in diff and "1234" not in diff
