"""Secret sweep: no credential from a manifest is ever printed, in any format or mode.

Each case is a manifest that carries distinctive secret strings; every output format (and
``--show-source``, ``--verbose``, ``--diff``, ``--diff --unsafe-fixes``, ``--fix``, ``explain``)
runs over all of them, and neither a secret nor any 6-character piece of one may appear.
"""

from __future__ import annotations

import base64
import hashlib
import re
import shutil

import pytest
from click.testing import CliRunner

from jobcheck.cli import main

FORMATS = ("text", "json", "sarif", "github", "gitlab", "junit")


def job(env: str = "", extra: str = "", meta: str = "", kind_spec: str = "") -> str:
    return f"""apiVersion: batch/v1
kind: Job
metadata:
  name: sweep
{meta}spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: main
          image: busybox:1.36
{env}{extra}"""


CASES: dict[str, tuple[str, tuple[str, ...]]] = {
    "env-value": (job("          env:\n            - name: DB_PASSWORD\n              value: JVVCNwQbNzx8\n"),
                  ("JVVCNwQbNzx8",)),
    "numeric-password": (job("          env:\n            - name: DB_PASSWORD\n              value: 84736251977\n"),
                         ("84736251977",)),
    "octal-password": (job("          env:\n            - name: ADMIN_PASSWD\n              value: 0o7654321017\n"),
                       ("7654321017", str(0o7654321017))),
    "args-flag": (job(extra='          args: ["--password=wbCDGn6Dcw6z", "--verbose"]\n'), ("wbCDGn6Dcw6z",)),
    "args-separate": (job(extra="          args:\n            - --token\n            - cn68cRR68CwD\n"),
                      ("cn68cRR68CwD",)),
    "command-mysql": (job(extra='          command: ["sh", "-c", "mysql -pJzNhHWPZ9q4C db < /x.sql"]\n'),
                      ("JzNhHWPZ9q4C",)),
    "command-curl": (job(extra="          command:\n            - curl\n            - -u\n            - bob:5dChbZJxWnDD\n"),
                     ("5dChbZJxWnDD",)),
    "annotation-token": (job(meta="  annotations:\n    api-token: FRRgpVbQWbVk\n"
                             "    ci/gh: ghp_Gh0Tq8ZbcdVfghXjklmnWpqrstuvwxyz0123\n"),
                         ("FRRgpVbQWbVk", "Gh0Tq8ZbcdVfghXjklmnWpqrstuvwxyz0123")),
    "label-url": (job(meta="  labels:\n    repo: https://bob:R7hW9cnwMJd2@git.example.com/x\n"), ("R7hW9cnwMJd2",)),
    "label-secret-key": (job(meta="  labels:\n    db-password: LK8bq Vx9z!\n"), ("LK8bq Vx9z!", "LK8bq Vx9z")),
    "name-url": (job().replace("name: sweep", "name: https://alice:d9M6FVX9gwFj@db.example.com"), ("d9M6FVX9gwFj",)),
    "comment-next-to-flagged": (
        job("          env:\n            # old password: h2kxbM8dkfMn\n            - name: DB_PASSWORD\n"
            "              value: 8zxq5bxZxkj9  # was nBKNdMRRRzdf\n"),
        ("8zxq5bxZxkj9", "h2kxbM8dkfMn", "nBKNdMRRRzdf")),
    "value-and-valueFrom": (
        job("          env:\n            - name: API_KEY\n              value: crPzXKjvkN8j\n"
            "              valueFrom:\n                secretKeyRef: {name: db, key: k}\n"),
        ("crPzXKjvkN8j",)),
    "cronjob": ("""apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  schedule: "0 2 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: main
              image: busybox:1.36
              args: ["--api-key", "CkRPnMxmmMPX"]
              env:
                - name: SERVICE_TOKEN
                  value: wMqJWqNvPcWD
                - name: COUNT
                  value: 3
""", ("wMqJWqNvPcWD", "CkRPnMxmmMPX")),
    "cronjob-url-name": ("""apiVersion: batch/v1
kind: CronJob
metadata:
  name: https://ops:Kx8vQm2Rz7Wd@cron.example.com
spec:
  schedule: "0 2 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: main
              image: busybox:1.36
              args: ["--api-key", "$(KEY)"]
              env:
                - name: SERVICE_TOKEN
                  value: $(TOKEN_FROM_ELSEWHERE)
                - name: COUNT
                  value: 3
""", ("Kx8vQm2Rz7Wd",)),
    "init-container": (job(extra="      initContainers:\n        - name: init\n          image: busybox:1.36\n"
                                 "          env:\n            - name: INIT_TOKEN\n              value: 4CkgDWx29Vv5\n"),
                       ("4CkgDWx29Vv5",)),
    "block-scalar": (job("          env:\n            - name: MULTI_SECRET\n              value: |\n"
                         "                QXmW3h8jFfRh\n                WfXG2pjJMCMg\n"),
                     ("QXmW3h8jFfRh", "WfXG2pjJMCMg")),
    "flow-style": (job("          env: [{name: SVC_SECRET, value: wrRvb8bwGM67}, {name: N, value: 5}]\n"),
                   ("wrRvb8bwGM67",)),
    "binary-tag": (job("          env:\n            - name: BIN_TOKEN\n              value: !!binary "
                       + base64.b64encode(b"Bq8nZx4Wvd7K").decode() + "\n"),
                   ("Bq8nZx4Wvd7K", base64.b64encode(b"Bq8nZx4Wvd7K").decode())),
    "int-tag-error": (job("          env:\n            - name: DB_PASSWORD\n              value: !!int vfB8cK8fn2wv\n"),
                      ("vfB8cK8fn2wv",)),
    "type-error-list": (job("          env:\n            - name: DB_PASSWORD\n              value: [X828BXc77XvV]\n"),
                        ("X828BXc77XvV",)),
    "schema-error-same-line": (job("          env:\n            - {name: DB_PASSWORD, value: 5VHmRqjrchJC, bogus: 1}\n"),
                               ("5VHmRqjrchJC",)),
    "misspelt-key": (job("          env:\n            - name: DB_PASSWORD\n              valeu: 99jndq7kwHv4\n"),
                     ("99jndq7kwHv4",)),
    "url-in-neutral-env": (job("          env:\n            - name: DATABASE_URL\n"
                               "              value: postgres://app:PhqhRhd4nnpv@db/app\n"), ("PhqhRhd4nnpv",)),
    "jwt": (job("          env:\n            - name: CONFIG\n              value: "
                "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJKd3RTd2VlcCJ9.Jw7Sg9XqPzKd4hVb\n"),
            ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJKd3RTd2VlcCJ9.Jw7Sg9XqPzKd4hVb", "Jw7Sg9XqPzKd4hVb")),
    "private-key": (job("          env:\n            - name: CONFIG\n              value: |\n"
                        "                -----BEGIN RSA PRIVATE KEY-----\n                NdHkMNzk7K6r\n"
                        "                -----END RSA PRIVATE KEY-----\n"), ("NdHkMNzk7K6r",)),
    "name-after-value": (job("          env:\n            - value: HQJPcHrhvKNf\n              name: API_TOKEN\n"),
                         ("HQJPcHrhvKNf",)),
    "dsn-pair": (job("          env:\n            - name: DSN\n              value: host=db password=5vN3GdZMHc9n\n"),
                 ("5vN3GdZMHc9n",)),
}
JSON_CASE = ('{"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "sweep-json"}, "spec": {"template": '
             '{"spec": {"restartPolicy": "Never", "containers": [{"name": "main", "image": "busybox:1.36", '
             '"env": [{"name": "DB_PASSWORD", "value": "NxFpMfKdM8Q9"}, {"name": "X", "value": 5}]}]}}}}\n',
             ("NxFpMfKdM8Q9",))


def _pieces(secret: str) -> set[str]:
    return {secret[i : i + 6] for i in range(len(secret) - 5)} | {secret}


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    root = tmp_path_factory.mktemp("sweep")
    for name, (text, _) in CASES.items():
        (root / f"{name}.yaml").write_text(text, encoding="utf-8")
    (root / "json-input.json").write_text(JSON_CASE[0], encoding="utf-8")
    return root


# SARIF and GitLab fingerprints are SHA-256 digests of a path under pytest's temporary
# directory, which changes from run to run: a digest can hold a digit run such as "543210"
# by chance. A digest carries no secret, so it is taken out before the search.
DIGEST = re.compile(r"\b[0-9a-f]{64}\b")


def _run(args, cwd) -> str:
    result = CliRunner().invoke(main, args, catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return DIGEST.sub("<digest>", result.output + (result.stderr if result.stderr_bytes is not None else ""))


def _runs(tree, tmp_path):
    paths = [str(p) for p in sorted(tree.iterdir())]
    for fmt in FORMATS:
        for extra in ((), ("--show-source",), ("--verbose",), ("--show-source", "--verbose")):
            yield f"lint {fmt} {extra}", ["lint", "--format", fmt, "--no-config", *extra, *paths]
    yield "diff", ["lint", "--diff", "--no-config", *paths]
    yield "diff unsafe", ["lint", "--diff", "--unsafe-fixes", "--no-config", *paths]
    for unsafe in ((), ("--unsafe-fixes",)):
        copy = tmp_path / f"fix{len(unsafe)}"
        shutil.copytree(tree, copy)
        copied = [str(p) for p in sorted(copy.iterdir())]
        yield f"fix {unsafe}", ["lint", "--fix", "--show-source", "--no-config", *unsafe, *copied]
    crons = [str(tree / "cronjob.yaml"), str(tree / "cronjob-url-name.yaml")]
    yield "explain", ["explain", *crons]
    yield "explain json", ["explain", "--format", "json", *crons]


def test_no_secret_is_printed_in_any_format_or_mode(tree, tmp_path):
    secrets = {s: name for name, (_, found) in CASES.items() for s in found}
    secrets.update({s: "json-input" for s in JSON_CASE[1]})
    assert len(CASES) + 1 >= 20
    leaks = []
    ran = 0
    for label, args in _runs(tree, tmp_path):
        output = _run(args, tree)
        ran += 1
        assert output.strip(), label  # every mode says something
        for secret, case in secrets.items():
            piece = next((p for p in sorted(_pieces(secret)) if p in output), None)
            if piece is not None:
                leaks.append((label, case, piece))
    assert ran == 6 * 4 + 6
    assert not leaks, sorted({(case, label, piece) for label, case, piece in leaks})


def test_the_sweep_can_see_a_leak(tree):
    # The same run with the value planted in a field jobcheck echoes (an enum) must be caught.
    path = tree.parent / "plant.yaml"
    path.write_text(job().replace("restartPolicy: Never", "restartPolicy: dnbpr5C75Ncf"), encoding="utf-8")
    assert "dnbpr5C75Ncf" in _run(["lint", "--no-config", str(path)], tree.parent)


def test_only_digests_are_taken_out():
    digest = hashlib.sha256(b"x").hexdigest()
    assert DIGEST.sub("<digest>", f"{digest} 7654321017 {digest[:40]}") == f"<digest> 7654321017 {digest[:40]}"

