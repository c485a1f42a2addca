"""Re-lint latency of ``jobcheck lsp``: a 300-line document edited, diagnostics back.

    python bench/lsp_latency.py [--edits 40] [--lines 300]

The real server over stdio (``python -m jobcheck lsp`` from this checkout) and a small client
(``scripts/lsp_transcript.StdioClient``): the document is opened once, then each edit is one
``didChange`` (a value changed on one line, as a keystroke would) followed by a wait for the
``publishDiagnostics`` of that version. The time between the two is the latency an editor user
sees, the server's debounce included. Edits are sent one at a time (no overlap). Prints the
median, min, max and 90th percentile in ms; the target is a median under 50 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from lsp_transcript import StdioClient, initialize  # noqa: E402

TARGET_MS = 50.0

CRONJOB = """\
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: job-{i}
  labels: {{team: data, tier: batch}}
spec:
  schedule: "{m} 2 * * *"
  timeZone: Europe/Berlin
  concurrencyPolicy: Forbid
  jobTemplate:
    spec:
      backoffLimit: 3
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: main
            image: registry.example.com/job-{i}:1.{i}
            args: ["--day", "today"]
"""


def document(lines: int) -> str:
    """A stream of CronJobs at least ``lines`` long, cut to whole documents."""
    out, i = [], 0
    while sum(part.count("\n") for part in out) < lines:
        out.append(CRONJOB.format(i=i, m=i % 60))
        i += 1
    return "".join(out)


def measure(edits: int = 40, lines: int = 300) -> dict:
    text = document(lines)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        client = StdioClient(cwd=tmp)
        try:
            initialize(client, root)
            path = root / "stream.yaml"
            path.write_text(text, encoding="utf-8")
            uri = path.as_uri()
            client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml",
                                                                    "version": 1, "text": text}})
            first = client.diagnostics(uri, 1)
            findings = len(first["params"]["diagnostics"])
            target = text.split("\n").index("  schedule: \"0 2 * * *\"")
            times = []
            for n in range(edits):
                version = n + 2
                minute = str(n % 60).rjust(2)
                change = {"range": {"start": {"line": target, "character": 13},
                                    "end": {"line": target, "character": 15}}, "text": minute}
                if n == 0:  # the line starts as "0 2": make it two characters wide first
                    change = {"range": {"start": {"line": target, "character": 13},
                                        "end": {"line": target, "character": 14}}, "text": minute}
                start = time.perf_counter()
                client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                         "contentChanges": [change]})
                client.diagnostics(uri, version)
                times.append((time.perf_counter() - start) * 1000)
            code = client.close()
        except BaseException:
            client.proc.kill()
            raise
    ordered = sorted(times)
    return {
        "lines": text.count("\n"), "documents": text.count("---\n"), "findings": findings, "edits": edits,
        "median_ms": round(statistics.median(times), 1), "min_ms": round(ordered[0], 1),
        "p90_ms": round(ordered[int(0.9 * (len(ordered) - 1))], 1), "max_ms": round(ordered[-1], 1),
        "target_ms": TARGET_MS, "ok": statistics.median(times) < TARGET_MS, "server_exit_code": code,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--edits", type=int, default=40)
    parser.add_argument("--lines", type=int, default=300)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    res = measure(args.edits, args.lines)
    if args.json:
        print(json.dumps(res))
    else:
        print(f"lsp re-lint ({res['lines']} lines, {res['documents']} CronJobs, {res['findings']} findings), "
              f"median of {res['edits']} edits: {res['median_ms']} ms (min {res['min_ms']}, p90 {res['p90_ms']}, "
              f"max {res['max_ms']}); target < {TARGET_MS:.0f} ms: {'OK' if res['ok'] else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
