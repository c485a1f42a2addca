"""Generate large manifest streams for the memory check of every report format.

    python bench/bigstream.py /tmp/big.yaml --mb 50           # a 50 MB stream of Jobs and CronJobs
    python bench/bigstream.py /tmp/list.yaml --list 100000     # one `kind: List` of 100,000 Jobs
    python bench/bigstream.py /tmp/list.yaml --list 100000 --kubectl  # items before kind, as kubectl

Then, for each format, the maximum resident set size (docs/limits.md, "Output and memory"):

    for f in text json sarif github gitlab junit; do
      /usr/bin/time -f "$f %M KB" jobcheck lint --no-config -f $f /tmp/big.yaml > /dev/null
    done

Every format must stay under 200 MB on the 50 MB stream. The documents are varied (names,
schedules, images, env values) so that findings, fingerprints and object names do not repeat;
tests/report/test_output_memory.py runs a smaller stream through each format in CI.
"""

from __future__ import annotations

import argparse
import sys

JOB = """\
apiVersion: batch/v1
kind: {kind}
metadata:
  name: job-{i}
  namespace: team-{ns}
  labels:
    app: app-{i}
spec:
{spec}"""

JOB_SPEC = """\
  backoffLimit: {backoff}
  template:
    spec:
      restartPolicy: {restart}
      containers:
        - name: worker-{i}
          image: registry.example.com/worker:{tag}
          args: ["--shard", "{i}"]
          env:
            - name: SHARD
              value: "{i}"
            - name: MODE
              value: batch-{mode}
"""

CRONJOB_SPEC = """\
  schedule: "{minute} {hour} * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: worker-{i}
              image: registry.example.com/worker:{tag}
"""


def document(i: int) -> str:
    """The i-th document: a Job or a CronJob with findings of a dozen rules."""
    if i % 3 == 2:
        spec = CRONJOB_SPEC.format(i=i, minute=i % 60, hour=i % 24, tag="latest" if i % 5 else f"1.{i % 97}")
        kind = "CronJob"
    else:
        spec = JOB_SPEC.format(i=i, backoff=i % 9, restart="Never" if i % 2 else "OnFailure",
                               tag=f"1.{i % 89}.{i % 7}", mode=i % 13)
        kind = "Job"
    return JOB.format(kind=kind, i=i, ns=i % 17, spec=spec)


def stream(size: int, out) -> int:
    """Write documents separated by ``---`` until ``size`` bytes; return how many."""
    written, i = 0, 0
    while written < size:
        text = ("---\n" if i else "") + document(i)
        out.write(text)
        written += len(text)
        i += 1
    return i


def item_list(count: int, out, kubectl: bool = False) -> None:
    """Write one ``kind: List`` holding ``count`` Jobs; ``kubectl``: with the keys in the order
    ``kubectl get -o yaml`` prints them (sorted: apiVersion, items, kind, metadata)."""
    out.write("apiVersion: v1\nitems:\n" if kubectl else "apiVersion: v1\nkind: List\nitems:\n")
    for i in range(count):
        doc = document(i * 3)  # Jobs only
        out.write("  - " + doc.replace("\n", "\n    ").rstrip() + "\n")
    if kubectl:
        out.write('kind: List\nmetadata:\n  resourceVersion: ""\n')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path")
    parser.add_argument("--mb", type=float, default=50.0, help="size of the stream in MB (default 50)")
    parser.add_argument("--list", type=int, default=0, metavar="N", help="write one kind: List of N Jobs instead")
    parser.add_argument("--kubectl", action="store_true",
                        help="with --list: keys in kubectl's order, items before kind")
    args = parser.parse_args(argv)
    with open(args.path, "w", encoding="utf-8") as out:
        if args.list:
            item_list(args.list, out, args.kubectl)
        else:
            stream(int(args.mb * 1_000_000), out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
