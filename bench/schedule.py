"""Time ``jobcheck schedule`` (the 7-day map, JSON and text) next to ``jobcheck lint`` on the same files.

Issue 14's target: a repository of 500 CronJobs maps its 7 days in under 2 s on a 2-core machine.

    python bench/schedule.py                 # generate 500 CronJobs in a temporary directory, time
    python bench/schedule.py --cronjobs 2000 --reps 7 --keep /tmp/sched-repo

The repository is seeded and reproducible: 50 files of 10 CronJobs, schedules drawn from what
real repositories hold (every few minutes to monthly, a share in other zones, a few suspended),
so the window holds tens of thousands of runs. Every command is a fresh process, interpreter
start included; the table gives the median and the range of ``--reps`` interleaved runs.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCHEDULES = [  # (expression, weight)
    ("*/5 * * * *", 6), ("*/15 * * * *", 8), ("*/30 * * * *", 6), ("0 * * * *", 14), ("{m} * * * *", 10),
    ("{m} {h} * * *", 30), ("0 {h} * * *", 20), ("{m} {h} * * 1-5", 10), ("0 {h} * * 0", 6), ("0 {h} 1 * *", 4),
    ("@daily", 4), ("@hourly", 3), ("*/10 8-18 * * 1-5", 5),
]
ZONES = [None] * 12 + ["Europe/Berlin", "America/New_York", "Asia/Seoul", "Asia/Tokyo", "America/Los_Angeles"]


def generate(root: str, count: int, seed: int = 14) -> None:
    rng = random.Random(seed)
    exprs = [e for e, w in SCHEDULES for _ in range(w)]
    per_file = 10
    for f in range(0, count, per_file):
        docs = []
        for i in range(f, min(f + per_file, count)):
            expr = rng.choice(exprs).format(m=rng.randrange(60), h=rng.randrange(24))
            zone = rng.choice(ZONES)
            docs.append("\n".join([
                "apiVersion: batch/v1",
                "kind: CronJob",
                f"metadata: {{name: job-{i:04d}, namespace: team-{i % 17}}}",
                "spec:",
                f"  schedule: \"{expr}\"",
                *([f"  timeZone: {zone}"] if zone else []),
                *(["  suspend: true"] if rng.random() < 0.04 else []),
                f"  concurrencyPolicy: {rng.choice(['Allow', 'Forbid', 'Replace'])}",
                "  jobTemplate:",
                "    spec:",
                f"      activeDeadlineSeconds: {rng.choice([300, 600, 1800, 3600])}",
                "      template:",
                "        spec:",
                "          restartPolicy: Never",
                "          containers:",
                f"            - name: main\n              image: registry.example.com/job-{i}:1.{i % 9}",
                f"              resources: {{requests: {{cpu: {rng.choice(['100m', '250m', '500m', '1'])}, "
                f"memory: {rng.choice(['128Mi', '256Mi', '1Gi'])}}}}}",
            ]))
        with open(os.path.join(root, f"cronjobs-{f // per_file:03d}.yaml"), "w", encoding="utf-8") as fh:
            fh.write("\n---\n".join(docs) + "\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cronjobs", type=int, default=500)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--keep", help="generate into this directory (kept) instead of a temporary one")
    ap.add_argument("--target", type=float, default=2.0, help="seconds the 7-day map must stay under (2)")
    args = ap.parse_args(argv)
    tmp = tempfile.TemporaryDirectory()
    root = args.keep or tmp.name
    os.makedirs(root, exist_ok=True)
    generate(root, args.cronjobs)
    env = dict(os.environ, PYTHONPATH=REPO)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed CLI runs from byte code
    env["PYTHONPYCACHEPREFIX"] = os.path.join(tempfile.gettempdir(), "jobcheck-bench-pycache")
    base = [sys.executable, "-m", "jobcheck"]
    window = ["--from", "2027-03-13T00:00:00Z", "--window", "7d", "--no-config"]
    rows = {
        "schedule json": base + ["schedule", root, *window, "--format", "json"],
        "schedule text": base + ["schedule", root, *window, "--format", "text", "--timezone", "Asia/Seoul"],
        "lint json": base + ["lint", root, "--format", "json", "-q", "--no-cache", "--no-config"],
    }
    for name, cmd in rows.items():  # untimed first run: fills the byte-code cache, checks the command
        done = subprocess.run(cmd, env=env, cwd=REPO, capture_output=True)
        if done.returncode not in (0, 1) or b"Traceback" in done.stderr:
            print(f"{name}: failed ({done.returncode}): {done.stderr.decode()[-500:]}", file=sys.stderr)
            return 2
    times: dict[str, list[float]] = {name: [] for name in rows}
    cpu: dict[str, list[float]] = {name: [] for name in rows}
    for _ in range(args.reps):
        for name, cmd in rows.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            subprocess.run(cmd, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[name].append(time.perf_counter() - started)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[name].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    runs = subprocess.run(rows["schedule json"], env=env, cwd=REPO, capture_output=True).stdout
    import json

    doc = json.loads(runs)
    total = sum(len(e["runs"]) for e in doc["cronjobs"])
    print(f"{args.cronjobs} CronJobs, 7-day window: {total} runs, {len(doc['pileups'])} pile-up minutes; "
          f"load {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(f"{'row':<16} {'median s':>9}  {'range':<13} {'CPU s':>6}")
    for name, values in times.items():
        print(f"{name:<16} {statistics.median(values):>9.3f}  {min(values):.3f}-{max(values):.3f}"
              f"   {statistics.median(cpu[name]):>6.3f}")
    worst = max(statistics.median(times["schedule json"]), statistics.median(times["schedule text"]))
    worst_cpu = max(statistics.median(cpu["schedule json"]), statistics.median(cpu["schedule text"]))
    verdict = "met" if worst < args.target else "MISSED"
    print(f"target: the 7-day map under {args.target:g} s: {verdict} ({worst:.3f} s wall, {worst_cpu:.3f} s CPU)")
    if os.getloadavg()[0] > (os.cpu_count() or 1) / 2:
        print("the machine was busy (load above half the CPUs): read the CPU column")
    return 0 if worst < args.target else 1


if __name__ == "__main__":
    sys.exit(main())
