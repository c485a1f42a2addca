"""A real LSP exchange with ``jobcheck lsp``, written as JSON-RPC messages.

    python scripts/lsp_transcript.py [--out transcript.json]

Starts ``python -m jobcheck lsp`` (from this checkout), then: initialize, initialized, didOpen of
a CronJob with findings, waits for publishDiagnostics, hover on the schedule, codeAction on one
finding, shutdown, exit. Every message in both directions is kept in order (``dir`` is ``->``
for client to server). ``StdioClient`` is the small client the bench uses too: standard
library only, framing by Content-Length, one reader thread.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

DOCUMENT = """\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
spec:
  schedule: "0 9 * * 1-5"
  timeZone: Europe/Berlin
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: report
            image: example.com/report:1.4
"""


class StdioClient:
    """A minimal LSP client over a subprocess's standard input and output."""

    def __init__(self, cmd: list[str] | None = None, env: dict | None = None, cwd: str | None = None) -> None:
        cmd = cmd or [sys.executable, "-m", "jobcheck", "lsp"]
        env = {**os.environ, **(env or {})}
        env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env=env, cwd=cwd or str(REPO))
        self.messages: list[dict] = []  # {"dir": "->" or "<-", "t": seconds, "message": ...}
        self.inbox: queue.Queue = queue.Queue()
        self.next_id = 0
        self.stderr = ""  # what the server wrote there, read at close
        self.start = time.perf_counter()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.inbox.put(None)
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip())
            body = json.loads(out.read(length))
            self.messages.append({"dir": "<-", "t": round(time.perf_counter() - self.start, 4), "message": body})
            self.inbox.put(body)

    def _send(self, message: dict) -> None:
        message = {"jsonrpc": "2.0", **message}
        self.messages.append({"dir": "->", "t": round(time.perf_counter() - self.start, 4), "message": message})
        data = json.dumps(message).encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
        self.proc.stdin.flush()

    def notify(self, method: str, params: dict | None = None) -> None:
        self._send({"method": method, "params": params} if params is not None else {"method": method})

    def request(self, method: str, params: dict | None = None, timeout: float = 30.0) -> dict:
        """Send a request and return its response (answering the server's own requests meanwhile)."""
        self.next_id += 1
        ident = self.next_id
        self._send({"id": ident, "method": method, **({"params": params} if params is not None else {})})
        return self.wait(lambda m: m.get("id") == ident and "method" not in m, timeout)

    def wait(self, match, timeout: float = 30.0) -> dict:
        """The next message from the server that ``match`` accepts (others are dropped)."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no answer from the server")
            message = self.inbox.get(timeout=left)
            if message is None:
                raise EOFError("the server closed its output")
            if "method" in message and "id" in message:  # a request of the server's: accept it
                self._send({"id": message["id"], "result": None})
                continue
            if match(message):
                return message

    def diagnostics(self, uri: str, version: int | None = None, timeout: float = 30.0) -> dict:
        return self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                         and m["params"]["uri"] == uri
                         and (version is None or m["params"].get("version") == version), timeout)

    def close(self, timeout: float = 10.0) -> int:
        """shutdown, exit; returns the server's exit code."""
        self.request("shutdown")
        self.notify("exit")
        try:
            code = self.proc.wait(timeout)
            self.stderr = self.proc.stderr.read().decode("utf-8", "replace")
            return code
        finally:
            for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
                stream.close()


def initialize(client: StdioClient, root: Path) -> dict:
    result = client.request("initialize", {
        "processId": os.getpid(), "rootUri": root.as_uri(),
        "capabilities": {"general": {"positionEncodings": ["utf-16"]},
                         "textDocument": {"hover": {"contentFormat": ["markdown"]}, "codeAction": {}}},
    })
    client.notify("initialized", {})
    return result


def transcript(root: Path) -> tuple[list[dict], int]:
    """Run the exchange in ``root`` (a directory for the document); returns the messages and the exit code."""
    client = StdioClient(cwd=str(root))
    try:
        initialize(client, root)
        path = root / "report.yaml"
        path.write_text(DOCUMENT, encoding="utf-8")
        uri = path.as_uri()
        client.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "yaml", "version": 1, "text": DOCUMENT}})
        published = client.diagnostics(uri)
        client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 5, "character": 14}})
        first = next(d for d in published["params"]["diagnostics"] if d["code"] == "JC307")
        client.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": first["range"],
                                                   "context": {"diagnostics": [first]}})
        code = client.close()
    except BaseException:
        client.proc.kill()
        raise
    return client.messages, code


def main(argv: list[str] | None = None) -> int:
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", help="write the JSON here (default: standard output)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        messages, code = transcript(Path(tmp))
    text = json.dumps({"server_exit_code": code, "messages": messages}, indent=2, ensure_ascii=False) + "\n"
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0 if code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
