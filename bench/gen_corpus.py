#!/usr/bin/env python3
"""Generate a deterministic corpus of realistic Kubernetes Job and CronJob manifests.

The corpus looks like what a repository of batch workloads holds: about half Jobs and half
CronJobs, one to three containers and sometimes initContainers, env (literals, secretKeyRef,
configMapKeyRef, fieldRef), envFrom, resources, configMap/secret/emptyDir volumes, labels and
annotations, security contexts, sometimes tolerations/affinity, comments, helm-style
``# Source:`` lines, and a few deliberately flawed documents (missing restartPolicy, a bad cron
schedule, a misspelt field).

The YAML text is written by a small emitter in this file (not by a YAML library), so the output
is byte-identical for the same arguments on any machine and any library version.

    python bench/gen_corpus.py --out /tmp/corpus                       # 5000 docs over 500 files
    python bench/gen_corpus.py --out /tmp/one --docs 1000 --single-stream

Besides the manifests, the output directory gets ``.corpus.json`` (hidden, so linters skip it):
the arguments, and per file its document count and the number of flawed documents.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
from dataclasses import dataclass, field

MANIFEST_NAME = ".corpus.json"
STREAM_NAME = "stream.yaml"
SHAPES = ("bench", "repo")
# --shape repo: how many large streams, and the environments its nested folders are named after.
REPO_STREAMS = 4
REPO_DEFAULTS = {"docs": 6000, "files": 5000}
REPO_ENVS = ["dev", "staging", "prod", "eu-prod", "us-prod"]
FLAW_RATE = 0.03  # share of documents with a deliberate mistake

# ---------------------------------------------------------------------------------------------
# A minimal YAML emitter (block style, two-space indent, optional indented sequences)


class Block(str):
    """A string written as a literal block scalar (``|``)."""


class Quoted(str):
    """A string written double-quoted even where plain would do (as people often write)."""


class Flow(list):
    """A short list of scalars written in flow style: ``["a", "b"]``."""


@dataclass(frozen=True)
class Commented:
    """A scalar with a trailing ``# comment``."""

    value: object
    comment: str


class Comment(str):
    """A whole-line comment; used as a dict *key* whose value is ignored."""


_PLAIN_OK = re.compile(
    r"^(?:[A-Za-z0-9_/.$]|-(?=[^\s-]|-[^\s-]))[A-Za-z0-9_./@=+$()-]*(?::[A-Za-z0-9_./@=+-]+)*$"
)
# Plain scalars a YAML 1.1 reader would take for a number, a sexagesimal or a timestamp.
_NUMBER_LIKE = re.compile(
    r"^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|0[xob][0-9a-fA-F_]+"
    r"|[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?|\.[0-9_]+)$|^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
)
_YAML11_SPECIAL = re.compile(
    r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"
    r"|null|Null|NULL|~|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if value is None:
        return "null"
    text = str(value)
    if isinstance(value, Quoted) or not _PLAIN_OK.match(text) or _YAML11_SPECIAL.match(text):
        return json.dumps(text, ensure_ascii=True)
    if _NUMBER_LIKE.match(text):
        return json.dumps(text)
    return text


def _is_scalar(value: object) -> bool:
    return not isinstance(value, (dict, list, Block)) or isinstance(value, Commented)


def _inline(value: object) -> str:
    """The text after ``key:`` / ``-`` for a scalar-like value (including flow lists)."""
    if isinstance(value, Commented):
        return f"{_inline(value.value)}  # {value.comment}"
    if isinstance(value, Flow):
        return "[" + ", ".join(json.dumps(v) if isinstance(v, str) else _scalar(v) for v in value) + "]"
    return _scalar(value)


def emit(node: object, indent: int, out: list[str], seq_indent: int) -> None:
    pad = " " * indent
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, Comment):
                out.append(f"{pad}# {key}")
                continue
            _emit_entry(f"{pad}{key}:", value, indent, out, seq_indent)
    elif isinstance(node, list):
        for item in node:
            if isinstance(item, dict) and item:
                first = len(out)
                emit(item, indent + 2, out, seq_indent)
                out[first] = f"{pad}- " + out[first][indent + 2 :]
            elif isinstance(item, list) and not isinstance(item, Flow):
                raise ValueError("nested block lists are not needed here")
            else:
                _emit_entry(f"{pad}-", item, indent, out, seq_indent)
    else:
        raise TypeError(type(node))


def _emit_entry(head: str, value: object, indent: int, out: list[str], seq_indent: int) -> None:
    if isinstance(value, Block):
        out.append(f"{head} |")
        body = " " * (indent + 2)
        out.extend(f"{body}{line}" if line else "" for line in value.rstrip("\n").split("\n"))
    elif isinstance(value, Flow) or _is_scalar(value):
        out.append(f"{head} {_inline(value)}")
    elif isinstance(value, dict):
        if not value:
            out.append(f"{head} {{}}")
        else:
            out.append(head)
            emit(value, indent + 2, out, seq_indent)
    elif isinstance(value, list):
        if not value:
            out.append(f"{head} []")
        else:
            out.append(head)
            emit(value, indent + seq_indent, out, seq_indent)
    else:
        raise TypeError(type(value))


def to_yaml(doc: dict, seq_indent: int) -> str:
    out: list[str] = []
    emit(doc, 0, out, seq_indent)
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------
# Vocabulary

TEAMS = ["billing", "search", "data", "platform", "growth", "payments", "identity", "ml", "reporting", "ops"]
APPS = [
    "invoice",
    "ledger",
    "catalog",
    "orders",
    "users",
    "events",
    "metrics",
    "reports",
    "inventory",
    "shipping",
    "notifications",
    "recommendations",
    "audit",
    "warehouse",
    "crm",
    "feeds",
    "media",
]
TASKS = [
    "backup",
    "migrate",
    "sync",
    "cleanup",
    "export",
    "import",
    "reindex",
    "compact",
    "rollup",
    "report",
    "prune",
    "refresh",
    "snapshot",
    "vacuum",
    "digest",
    "reconcile",
    "archive",
    "etl",
]
IMAGES = [
    ("postgres", ["15.6", "16.2-alpine", "16.4"]),
    ("busybox", ["1.36", "1.36.1"]),
    ("alpine", ["3.19", "3.20"]),
    ("python", ["3.11-slim", "3.12-slim-bookworm"]),
    ("bitnami/kubectl", ["1.29.3", "1.30"]),
    ("amazon/aws-cli", ["2.15.30"]),
    ("curlimages/curl", ["8.6.0"]),
    ("ghcr.io/example/{app}-worker", ["v1.4.2", "v2.0.0", "sha-3f9c2ab", "latest"]),
    ("registry.example.com/{team}/{app}", ["1.8.0", "2024.05.1", "main-7d1e0c4"]),
    ("123456789012.dkr.ecr.eu-west-1.amazonaws.com/{app}-jobs", ["v3.2.1"]),
]
SCHEDULES = [
    "0 2 * * *",
    "*/15 * * * *",
    "30 3 * * 0",
    "0 */6 * * *",
    "5 4 1 * *",
    "@daily",
    "@hourly",
    "0 0 * * 1-5",
    "15,45 * * * *",
    "0 9-17 * * MON-FRI",
    "@weekly",
    "0 1 1 1 *",
    "*/5 * * * *",
    "45 23 * * 6",
    "0 12 */2 * *",
]
BAD_SCHEDULES = ["*/5 * * *", "0 25 * * *", "60 * * * *", "0 0 * * 8", "every 5 minutes", "0 0 32 * *"]
TIMEZONES = ["Europe/Berlin", "America/New_York", "UTC", "Asia/Tokyo", "Etc/UTC"]
ENV_LITERALS = [
    ("LOG_LEVEL", ["info", "debug", "warn"]),
    ("BATCH_SIZE", ["500", "1000", "250"]),
    ("TZ", ["UTC", "Europe/Berlin"]),
    ("DRY_RUN", ["false", "true"]),
    ("RETENTION_DAYS", ["7", "30", "90"]),
    ("S3_BUCKET", ["backups-prod", "exports-{team}"]),
    ("PGHOST", ["postgres.{team}.svc.cluster.local"]),
    ("PGPORT", ["5432"]),
    ("HTTP_TIMEOUT", ["30s", "2m"]),
    ("FEATURE_FLAGS", ["a=1,b=0", ""]),
    ("PYTHONUNBUFFERED", ["1"]),
    ("ENVIRONMENT", ["production", "staging"]),
]
FIELD_REFS = [
    ("POD_NAME", "metadata.name"),
    ("POD_NAMESPACE", "metadata.namespace"),
    ("NODE_NAME", "spec.nodeName"),
    ("POD_IP", "status.podIP"),
]
SECRET_KEYS = [
    ("DATABASE_PASSWORD", "password"),
    ("DATABASE_URL", "url"),
    ("API_TOKEN", "token"),
    ("AWS_SECRET_ACCESS_KEY", "aws-secret-access-key"),
    ("SLACK_WEBHOOK", "webhook-url"),
]
SCRIPTS = [
    'set -euo pipefail\npg_dump --format=custom "$DATABASE_URL" > /work/dump.pgc\n'
    'aws s3 cp /work/dump.pgc "s3://$S3_BUCKET/$(date +%F)/dump.pgc"\n',
    'set -e\necho "starting {task} for {app}"\npython -m {app}.jobs.{task} --batch-size "$BATCH_SIZE"\n',
    "until nc -z postgres 5432; do\n  echo waiting for postgres\n  sleep 2\ndone\n",
    "kubectl -n {team} delete pods --field-selector=status.phase==Succeeded\n"
    "kubectl -n {team} delete pods --field-selector=status.phase==Failed\n",
    'find /data -type f -mtime +"$RETENTION_DAYS" -print -delete\n',
]
UNKNOWN_FIELDS = [  # (where, misspelt key, value)
    ("jobspec", "backofLimit", 3),
    ("container", "imagePullPolice", "IfNotPresent"),
    ("podspec", "restartpolicy", "Never"),
    ("container", "resource", {"limits": {"memory": "256Mi"}}),
    ("metadata", "label", {"app": "oops"}),
    ("cronspec", "concurrentPolicy", "Forbid"),
]


# ---------------------------------------------------------------------------------------------
# Documents


@dataclass
class Doc:
    text: str
    kind: str
    flaw: str | None


@dataclass
class Ctx:
    team: str
    app: str
    task: str
    name: str
    helm_chart: str | None
    mounts: list = field(default_factory=list)  # (volume name, kind, ref)

    def fmt(self, s: str) -> str:
        return s.format(team=self.team, app=self.app, task=self.task, name=self.name)


def _image(rng: random.Random, c: Ctx) -> str:
    repo, tags = rng.choice(IMAGES)
    return c.fmt(repo) + ":" + rng.choice(tags)


def _resources(rng: random.Random) -> dict:
    cpu = rng.choice(["50m", "100m", "250m", "500m", "1", "2"])
    mem = rng.choice(["64Mi", "128Mi", "256Mi", "512Mi", "1Gi", "2Gi"])
    res: dict = {"requests": {"cpu": cpu, "memory": mem}}
    if rng.random() < 0.75:
        limits: dict = {"memory": mem if rng.random() < 0.6 else rng.choice(["1Gi", "2Gi", "4Gi"])}
        if rng.random() < 0.5:
            limits = {"cpu": rng.choice(["500m", "1", "2"]), **limits}
        res["limits"] = limits
    if rng.random() < 0.1:
        res["requests"]["ephemeral-storage"] = rng.choice(["1Gi", "5Gi"])
    if rng.random() < 0.4:  # many repositories quote every quantity
        res = {k: {q: Quoted(v) for q, v in group.items()} for k, group in res.items()}
    return res


def _env(rng: random.Random, c: Ctx) -> list:
    env: list = []
    for var, values in rng.sample(ENV_LITERALS, rng.randint(1, 5)):
        value = c.fmt(rng.choice(values))
        env.append({"name": var, "value": Quoted(value) if rng.random() < 0.3 else value})
    if rng.random() < 0.7:
        for var, key in rng.sample(SECRET_KEYS, rng.randint(1, 2)):
            ref: dict = {"name": f"{c.app}-secrets", "key": key}
            if rng.random() < 0.15:
                ref["optional"] = True
            env.append({"name": var, "valueFrom": {"secretKeyRef": ref}})
    if rng.random() < 0.4:
        for var, path in rng.sample(FIELD_REFS, rng.randint(1, 2)):
            ref = {"fieldPath": path}
            if rng.random() < 0.3:
                ref = {"apiVersion": "v1", **ref}
            env.append({"name": var, "valueFrom": {"fieldRef": ref}})
    if rng.random() < 0.2:
        env.append(
            {
                "name": "APP_CONFIG_PROFILE",
                "valueFrom": {"configMapKeyRef": {"name": f"{c.app}-config", "key": "profile"}},
            }
        )
    if rng.random() < 0.15:
        env.append(
            {
                "name": "MEMORY_LIMIT",
                "valueFrom": {"resourceFieldRef": {"resource": "limits.memory", "divisor": "1Mi"}},
            }
        )
    rng.shuffle(env)
    return env


def _container(rng: random.Random, c: Ctx, name: str, init: bool, flaw: str | None) -> dict:
    ctr: dict = {"name": name, "image": _image(rng, c)}
    if rng.random() < 0.5:
        ctr["imagePullPolicy"] = rng.choice(["IfNotPresent", "Always", "IfNotPresent"])
    r = rng.random()
    if r < 0.35:
        ctr["command"] = Flow(["/bin/sh", "-c"])
        ctr["args"] = [Block(c.fmt(rng.choice(SCRIPTS)))]
    elif r < 0.6:
        ctr["command"] = ["python", "-m", f"{c.app}.jobs.{c.task}"]
        if rng.random() < 0.6:
            ctr["args"] = [f"--since={rng.choice(['1h', '24h', '7d'])}", Quoted("--verbose")]
    elif r < 0.75:
        ctr["args"] = Flow([c.task, "--all"])
    if not init and rng.random() < 0.05:
        ctr["workingDir"] = "/app"
    if rng.random() < (0.4 if init else 0.85):
        ctr["env"] = _env(rng, c)
    if rng.random() < 0.3:
        ef: list = []
        if rng.random() < 0.7:
            ef.append({"configMapRef": {"name": f"{c.app}-env"}})
        if rng.random() < 0.5 or not ef:
            item: dict = {"secretRef": {"name": f"{c.app}-env-secrets"}}
            if rng.random() < 0.2:
                item = {"prefix": "APP_", **item}
            ef.append(item)
        ctr["envFrom"] = ef
    if rng.random() < (0.5 if init else 0.8):
        ctr["resources"] = _resources(rng)
    if c.mounts and rng.random() < 0.85:
        mounts = []
        for vol, kind, _ in c.mounts:
            if rng.random() < 0.8:
                path = {"configMap": "/etc/{app}", "secret": "/var/run/secrets/{app}", "emptyDir": "/work"}[
                    kind
                ].format(app=c.app)
                m: dict = {"name": vol, "mountPath": path}
                if kind != "emptyDir" and rng.random() < 0.6:
                    m["readOnly"] = True
                if kind == "configMap" and rng.random() < 0.2:
                    m["mountPath"] = path + "/settings.yaml"
                    m["subPath"] = "settings.yaml"
                mounts.append(m)
        if mounts:
            ctr["volumeMounts"] = mounts
    if rng.random() < 0.5:
        sc: dict = {"allowPrivilegeEscalation": False}
        if rng.random() < 0.7:
            sc["readOnlyRootFilesystem"] = True
        if rng.random() < 0.6:
            sc["capabilities"] = {"drop": Flow(["ALL"]) if rng.random() < 0.5 else ["ALL"]}
        if rng.random() < 0.3:
            sc["runAsNonRoot"] = True
        ctr["securityContext"] = sc
    if not init and rng.random() < 0.04:
        ctr["ports"] = [{"name": "metrics", "containerPort": 9102, "protocol": "TCP"}]
    if not init and rng.random() < 0.03:
        ctr["terminationMessagePolicy"] = "FallbackToLogsOnError"
    if flaw == "unknown-field:container":
        if "resources" in ctr:
            ctr["imagePullPolice"] = "IfNotPresent"
        else:
            ctr["resource"] = {"limits": {"memory": "256Mi"}}
    return ctr


def _pod_spec(rng: random.Random, c: Ctx, flaw: str | None) -> dict:
    c.mounts = []
    if rng.random() < 0.5:
        c.mounts.append(("config", "configMap", f"{c.app}-config"))
    if rng.random() < 0.35:
        c.mounts.append(("credentials", "secret", f"{c.app}-credentials"))
    if rng.random() < 0.4:
        c.mounts.append(("scratch", "emptyDir", None))
    spec: dict = {}
    if rng.random() < 0.55:
        spec["serviceAccountName"] = f"{c.app}-{rng.choice(['jobs', 'runner', 'batch'])}"
    if flaw != "missing-restartPolicy":
        spec["restartPolicy"] = rng.choice(["Never", "Never", "OnFailure"])
    if flaw == "unknown-field:podspec":
        spec["restartpolicy"] = "Never"
    if rng.random() < 0.45:
        psc: dict = {"runAsNonRoot": True, "runAsUser": rng.choice([1000, 1001, 65532])}
        if rng.random() < 0.6:
            psc["runAsGroup"] = psc["runAsUser"]
        if rng.random() < 0.5:
            psc["fsGroup"] = 2000
        if rng.random() < 0.5:
            psc["seccompProfile"] = {"type": "RuntimeDefault"}
        spec["securityContext"] = psc
    if rng.random() < 0.2:
        spec["imagePullSecrets"] = [{"name": rng.choice(["regcred", "ghcr-pull", "ecr-creds"])}]
    if rng.random() < 0.25:
        names = ["wait-for-db", "fetch-config", "migrate-schema"]
        spec["initContainers"] = [
            _container(rng, c, n, True, None) for n in rng.sample(names, 1 if rng.random() < 0.8 else 2)
        ]
    n = rng.choices([1, 2, 3], weights=[70, 22, 8])[0]
    names = [c.task] + rng.sample(["sidecar-proxy", "log-shipper", "metrics-pusher", "uploader"], n - 1)
    ctrs = [_container(rng, c, nm, False, flaw if i == 0 else None) for i, nm in enumerate(names)]
    spec["containers"] = ctrs
    if c.mounts:
        vols = []
        for vol, kind, ref in c.mounts:
            if kind == "configMap":
                v: dict = {"name": vol, "configMap": {"name": ref}}
                if rng.random() < 0.3:
                    v["configMap"]["defaultMode"] = 420
                if rng.random() < 0.2:
                    v["configMap"]["items"] = [{"key": "settings.yaml", "path": "settings.yaml"}]
            elif kind == "secret":
                v = {"name": vol, "secret": {"secretName": ref}}
                if rng.random() < 0.3:
                    v["secret"]["defaultMode"] = 256
            else:
                v = {
                    "name": vol,
                    "emptyDir": {} if rng.random() < 0.6 else {"sizeLimit": rng.choice(["1Gi", "500Mi"])},
                }
            vols.append(v)
        spec["volumes"] = vols
    if rng.random() < 0.2:
        spec["nodeSelector"] = {
            "kubernetes.io/os": "linux",
            "node.kubernetes.io/pool": rng.choice(["batch", "spot"]),
        }
    if rng.random() < 0.2:
        spec["tolerations"] = [
            {"key": "dedicated", "operator": "Equal", "value": "batch", "effect": "NoSchedule"}
        ]
        if rng.random() < 0.4:
            spec["tolerations"].append(
                {
                    "key": "node.kubernetes.io/not-ready",
                    "operator": "Exists",
                    "effect": "NoExecute",
                    "tolerationSeconds": 300,
                }
            )
    if rng.random() < 0.1:
        spec["affinity"] = {
            "nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {
                    "nodeSelectorTerms": [
                        {
                            "matchExpressions": [
                                {
                                    "key": "node.kubernetes.io/pool",
                                    "operator": "In",
                                    "values": ["batch", "spot"],
                                }
                            ]
                        }
                    ]
                }
            }
        }
        if rng.random() < 0.5:
            spec["affinity"]["podAntiAffinity"] = {
                "preferredDuringSchedulingIgnoredDuringExecution": [
                    {
                        "weight": 100,
                        "podAffinityTerm": {
                            "topologyKey": "kubernetes.io/hostname",
                            "labelSelector": {"matchLabels": {"app.kubernetes.io/name": c.app}},
                        },
                    }
                ]
            }
    if rng.random() < 0.1:
        spec["priorityClassName"] = "batch-low"
    if rng.random() < 0.08:
        spec["terminationGracePeriodSeconds"] = 60
    return spec


def _labels(rng: random.Random, c: Ctx) -> dict:
    labels: dict = {"app.kubernetes.io/name": c.app, "app.kubernetes.io/component": c.task}
    if rng.random() < 0.6:
        labels["team"] = c.team
    if c.helm_chart:
        labels["app.kubernetes.io/managed-by"] = "Helm"
        labels["helm.sh/chart"] = f"{c.helm_chart}-{rng.choice(['0.3.1', '1.2.0', '2.0.4'])}"
        labels["app.kubernetes.io/instance"] = c.app
    if rng.random() < 0.2:
        labels["version"] = Quoted(rng.choice(["1.0", "2", "3.1"]))
    return labels


def _job_spec(rng: random.Random, c: Ctx, flaw: str | None) -> dict:
    spec: dict = {}
    if rng.random() < 0.7:
        spec["backoffLimit"] = (
            Commented(rng.choice([0, 1, 2, 3, 6]), "retries before the Job fails")
            if rng.random() < 0.15
            else rng.choice([0, 1, 2, 3, 4, 6])
        )
    if flaw == "unknown-field:jobspec":
        spec["backofLimit"] = 3
    if rng.random() < 0.5:
        spec["activeDeadlineSeconds"] = rng.choice([600, 1800, 3600, 7200, 86400])
    if rng.random() < 0.5:
        spec["ttlSecondsAfterFinished"] = rng.choice([300, 3600, 86400])
    if rng.random() < 0.12:
        spec["completions"] = rng.choice([3, 5, 10])
        spec["parallelism"] = rng.choice([1, 2, 3])
        if rng.random() < 0.4:
            spec["completionMode"] = "Indexed"
    if rng.random() < 0.05:
        spec["podFailurePolicy"] = {
            "rules": [
                {
                    "action": "FailJob",
                    "onExitCodes": {"containerName": c.task, "operator": "In", "values": Flow([42])},
                }
            ]
        }
    template: dict = {}
    if rng.random() < 0.8:
        tmeta: dict = {"labels": {"app.kubernetes.io/name": c.app, "app.kubernetes.io/component": c.task}}
        if rng.random() < 0.25:
            tmeta["annotations"] = {"sidecar.istio.io/inject": Quoted("false")}
        template["metadata"] = tmeta
    template["spec"] = _pod_spec(rng, c, flaw)
    spec["template"] = template
    if rng.random() < 0.1:
        spec = {Comment("pods are cleaned up by the TTL controller"): None, **spec}
    return spec


def make_doc(rng: random.Random, index: int, kind: str, flaw: str | None, helm_chart: str | None) -> Doc:
    team = rng.choice(TEAMS)
    app = rng.choice(APPS)
    task = rng.choice(TASKS)
    name = f"{app}-{task}" + (f"-{rng.randint(2, 9)}" if rng.random() < 0.2 else "")
    c = Ctx(team, app, task, name, helm_chart)
    meta: dict = {"name": name}
    if rng.random() < 0.7:
        meta["namespace"] = team
    meta["labels"] = _labels(rng, c)
    if rng.random() < 0.35:
        ann: dict = {}
        if rng.random() < 0.6:
            ann["description"] = f"{task} for the {app} service, owned by team {team}"
        if rng.random() < 0.4:
            ann["argocd.argoproj.io/sync-wave"] = Quoted(str(rng.randint(-1, 5)))
        if rng.random() < 0.3:
            ann["owner"] = f"{team}@example.com"
        if not ann:
            ann["kubernetes.io/change-cause"] = f"deploy {app} {rng.randint(100, 999)}"
        meta["annotations"] = ann
    if flaw == "unknown-field:metadata":
        meta["label"] = {"app": "oops"}

    if kind == "Job":
        doc: dict = {
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": meta,
            "spec": _job_spec(rng, c, flaw),
        }
    else:
        cspec: dict = {}
        if flaw == "bad-schedule":
            cspec["schedule"] = Quoted(rng.choice(BAD_SCHEDULES))
        else:
            sched = rng.choice(SCHEDULES)
            cspec["schedule"] = (
                Commented(sched, rng.choice(["nightly", "see runbook", "UTC"]))
                if rng.random() < 0.2
                else sched
            )
        if rng.random() < 0.2:
            cspec["timeZone"] = rng.choice(TIMEZONES)
        if rng.random() < 0.7:
            cspec["concurrencyPolicy"] = rng.choice(["Forbid", "Forbid", "Replace", "Allow"])
        if flaw == "unknown-field:cronspec":
            cspec["concurrentPolicy"] = "Forbid"
        if rng.random() < 0.3:
            cspec["startingDeadlineSeconds"] = rng.choice([60, 200, 300, 3600])
        if rng.random() < 0.6:
            cspec["successfulJobsHistoryLimit"] = rng.choice([1, 3, 5])
            cspec["failedJobsHistoryLimit"] = rng.choice([1, 3, 5])
        if rng.random() < 0.08:
            cspec["suspend"] = rng.random() < 0.3
        jt: dict = {}
        if rng.random() < 0.3:
            jt["metadata"] = {"labels": {"app.kubernetes.io/name": app}}
        jt["spec"] = _job_spec(rng, c, flaw)
        cspec["jobTemplate"] = jt
        api = "batch/v1"
        doc = {"apiVersion": api, "kind": "CronJob", "metadata": meta, "spec": cspec}

    seq_indent = 2 if rng.random() < 0.6 else 0  # `- item` indented under its key, or not
    text = to_yaml(doc, seq_indent)
    r = rng.random()
    if r < 0.12:
        text = f"# {kind} {name}: {task} for {app} (team {team})\n" + text
    elif r < 0.16:
        text = "# yaml-language-server: $schema=https://example.com/schemas/batch.json\n" + text
    return Doc(text, kind, flaw)


def _pick_flaw(rng: random.Random, kind: str) -> tuple[str, str | None]:
    """(kind, flaw) for one document; a bad schedule needs a CronJob."""
    if rng.random() >= FLAW_RATE:
        return kind, None
    flaw = rng.choice(["missing-restartPolicy", "bad-schedule", "unknown-field"])
    if flaw == "bad-schedule":
        return "CronJob", flaw
    if flaw == "unknown-field":
        where = rng.choice([u[0] for u in UNKNOWN_FIELDS if kind == "CronJob" or u[0] != "cronspec"])
        return kind, f"unknown-field:{where}"
    return kind, flaw


# ---------------------------------------------------------------------------------------------
# Files


@dataclass
class File:
    path: str  # relative, with forward slashes
    text: str
    docs: int
    flawed: int
    kinds: dict


def _doc_counts(rng: random.Random, docs: int, files: int) -> list[int]:
    """Spread ``docs`` over ``files``, each at least one, as repositories do: about half the files
    hold one document, the others a long tail (Zipf-like) of multi-document streams."""
    counts = [1] * files
    multi = max(1, files // 2)
    weights = [0.0] * (files - multi) + [1.0 / (rank**0.5) for rank in range(1, multi + 1)]
    rng.shuffle(weights)
    for i in rng.choices(range(files), weights=weights, k=docs - files):
        counts[i] += 1
    return counts


def _render_stream(docs: list[Doc], helm_chart: str | None, lead_sep: bool) -> str:
    parts: list[str] = []
    for i, d in enumerate(docs):
        head = ""
        if helm_chart:
            tmpl = d.kind.lower()
            head = f"---\n# Source: {helm_chart}/templates/{tmpl}-{i}.yaml\n"
        elif i > 0 or lead_sep:
            head = "---\n"
        parts.append(head + d.text)
    return "".join(parts)


def _repo_doc_counts(rng: random.Random, docs: int, files: int) -> list[int]:
    """The repository shape: ``files`` files, all but a few holding one document, and a few large
    streams (rendered charts, generated bundles) holding the rest, in shuffled walk order."""
    streams = max(1, min(REPO_STREAMS, files - 1)) if files > 1 else 1
    singles = files - streams if files > 1 else 0
    rest = docs - singles
    if rest < streams:
        raise ValueError("--shape repo needs more documents than files (the large streams hold the rest)")
    cuts = sorted(rng.sample(range(1, rest), streams - 1)) if streams > 1 else []
    sizes = [b - a for a, b in zip([0, *cuts], [*cuts, rest], strict=True)]
    counts = [1] * singles + sizes
    rng.shuffle(counts)
    return counts


def _repo_path(rng: random.Random, stem: str, n: int, helm_chart: str | None) -> str:
    """A nested path as a monorepo lays manifests out: service, component, environment."""
    team, app = rng.choice(TEAMS), rng.choice(APPS)
    if n > 1:
        return f"deploy/{team}/{app}/bundles/{stem}-{rng.choice(REPO_ENVS)}-all"
    if helm_chart:
        return f"charts/{helm_chart}/rendered/{rng.choice(REPO_ENVS)}/{stem}"
    return f"services/{team}/{app}/k8s/{rng.choice(REPO_ENVS)}/{rng.choice(['jobs', 'cronjobs', 'batch'])}/{stem}"


def generate(
    docs: int = 5000, files: int = 500, seed: int = 1, single_stream: bool = False, shape: str = "bench"
) -> list[File]:
    """The corpus as (relative path, text, counts); the same arguments give the same bytes.

    ``shape`` is ``bench`` (about half the files with one document, a long tail of streams) or
    ``repo`` (thousands of one-document files in nested folders plus a few large streams)."""
    if docs < 1:
        raise ValueError("--docs must be at least 1")
    if shape not in SHAPES:
        raise ValueError(f"--shape must be one of {', '.join(SHAPES)}")
    repo = shape == "repo" and not single_stream
    rng = random.Random(f"jobcheck-bench:{seed}" if not repo else f"jobcheck-bench:{seed}:repo")
    if single_stream:
        files = 1
    files = max(1, min(files, docs))
    counts = _repo_doc_counts(rng, docs, files) if repo else _doc_counts(rng, docs, files)
    out: list[File] = []
    used: set[str] = set()
    index = 0
    for n in counts:
        helm_chart = None if single_stream or rng.random() >= 0.2 else rng.choice(APPS) + "-jobs"
        dlist: list[Doc] = []
        for _ in range(n):
            kind = "Job" if rng.random() < 0.5 else "CronJob"
            kind, flaw = _pick_flaw(rng, kind)
            dlist.append(make_doc(rng, index, kind, flaw, helm_chart))
            index += 1
        text = _render_stream(dlist, helm_chart, lead_sep=rng.random() < 0.25)
        if single_stream:
            path = STREAM_NAME
        else:
            team = rng.choice(TEAMS)
            first = dlist[0]
            stem = re.sub(r"^# .*\n", "", first.text).split("name: ", 1)[1].split("\n", 1)[0].strip('"')
            if repo:
                base = _repo_path(rng, stem, n, helm_chart)
            elif helm_chart:
                base = f"charts/{helm_chart}/rendered/{stem}"
            elif n > 1:
                base = f"{team}/batch/{stem}-all"
            else:
                base = f"{team}/{rng.choice(['jobs', 'cronjobs', 'manifests'])}/{stem}"
            ext = ".yml" if rng.random() < 0.15 else ".yaml"
            path, k = base + ext, 2
            while path in used:
                path, k = f"{base}-{k}{ext}", k + 1
        used.add(path)
        kinds: dict = {}
        for d in dlist:
            kinds[d.kind] = kinds.get(d.kind, 0) + 1
        out.append(File(path, text, n, sum(1 for d in dlist if d.flaw), kinds))
    return out


def write(out_dir: str, corpus: list[File], args: dict) -> dict:
    """Write the corpus under ``out_dir`` (replacing a corpus written there before)."""
    os.makedirs(out_dir, exist_ok=True)
    manifest_path = os.path.join(out_dir, MANIFEST_NAME)
    existing = [e for e in os.listdir(out_dir)]
    if existing:
        if MANIFEST_NAME not in existing:
            raise SystemExit(
                f"gen_corpus: {out_dir} is not empty and holds no {MANIFEST_NAME}; refusing to write there"
            )
        with open(manifest_path, encoding="utf-8") as fh:
            old = json.load(fh)
        for entry in old.get("files", []):
            try:
                os.remove(os.path.join(out_dir, entry["path"]))
            except FileNotFoundError:
                pass
        for directory, _, _ in sorted(os.walk(out_dir), key=lambda t: -len(t[0])):
            if directory != out_dir and not os.listdir(directory):
                os.rmdir(directory)
    for f in corpus:
        full = os.path.join(out_dir, *f.path.split("/"))
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as fh:
            fh.write(f.text.encode("utf-8"))
    manifest = {
        "generator": "bench/gen_corpus.py",
        "args": args,
        "documents": sum(f.docs for f in corpus),
        "flawed": sum(f.flawed for f in corpus),
        "jobs": sum(f.kinds.get("Job", 0) for f in corpus),
        "cronjobs": sum(f.kinds.get("CronJob", 0) for f in corpus),
        "bytes": sum(len(f.text.encode("utf-8")) for f in corpus),
        "files": [{"path": f.path, "docs": f.docs, "flawed": f.flawed} for f in corpus],
    }
    with open(manifest_path, "w", encoding="utf-8", newline="\n") as fh:
        json.dump(manifest, fh, indent=1, sort_keys=True)
        fh.write("\n")
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, help="number of documents (default 5000; 6000 with --shape repo)")
    ap.add_argument(
        "--files", type=int, help="spread over this many files (default 500; 5000 with --shape repo)"
    )
    ap.add_argument(
        "--shape",
        choices=SHAPES,
        default="bench",
        help="bench: half the files one document, a long tail of streams (default); "
        "repo: thousands of one-document files in nested folders plus a few large streams",
    )
    ap.add_argument(
        "--single-stream", action="store_true", help=f"write all documents to one file, {STREAM_NAME}"
    )
    ap.add_argument(
        "--out", required=True, help="output directory (created; a previous corpus there is replaced)"
    )
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ns = ap.parse_args(argv)
    repo = ns.shape == "repo"
    ns.docs = ns.docs or (REPO_DEFAULTS["docs"] if repo else 5000)
    ns.files = ns.files or (REPO_DEFAULTS["files"] if repo else 500)
    try:
        corpus = generate(ns.docs, ns.files, ns.seed, ns.single_stream, ns.shape)
    except ValueError as exc:
        ap.error(str(exc))
    args = {"docs": ns.docs, "files": len(corpus), "seed": ns.seed, "single_stream": ns.single_stream}
    if repo:
        args["shape"] = ns.shape
    m = write(ns.out, corpus, args)
    print(
        f"wrote {m['documents']} documents ({m['jobs']} Jobs, {m['cronjobs']} CronJobs, {m['flawed']} flawed) "
        f"in {len(corpus)} file(s), {m['bytes'] / 1e6:.1f} MB, to {ns.out}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
