"""scripts/lsp_transcript.py: the exchange the README and the issue quote, from a real server."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytest.importorskip("pygls")

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "lsp_transcript.py"


def load():
    spec = importlib.util.spec_from_file_location("lsp_transcript", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_transcript_exchange_and_clean_exit(tmp_path):
    messages, code = load().transcript(tmp_path)
    assert code == 0  # shutdown then exit: the server ends cleanly
    sent = [m["message"].get("method") for m in messages if m["dir"] == "->"]
    assert sent == ["initialize", "initialized", "textDocument/didOpen", "textDocument/hover",
                    "textDocument/codeAction", "shutdown", "exit"]
    received = {m["message"].get("method") or m["message"].get("id"): m["message"] for m in messages if m["dir"] == "<-"}
    diagnostics = received["textDocument/publishDiagnostics"]["params"]["diagnostics"]
    assert {"JC307", "JC306"} <= {d["code"] for d in diagnostics}
    assert all(d["source"] == "jobcheck" and d["codeDescription"]["href"].startswith("https://") for d in diagnostics)
    hover = received[2]["result"]["contents"]["value"]
    assert "Europe/Berlin" in hover and "09:00" in hover
    actions = received[3]["result"]
    assert any(a["title"].startswith("Fix JC307") and a["isPreferred"] for a in actions)


def frame(body: bytes) -> bytes:
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def test_garbage_frames_are_survived_without_traceback(tmp_path):
    module = load()
    # as an editor starts it: without the suite's JOBCHECK_DEBUG (tests/conftest.py), which keeps tracebacks
    client = module.StdioClient(cwd=str(tmp_path), env={"JOBCHECK_DEBUG": ""})
    try:
        for raw in (b"garbage\r\n\r\n", frame(b"{{{{{"), frame(b"[1]"), frame(b"\xff\xfe\x00"),
                    frame(b'{"jsonrpc":"2.0","id":99,"method":"textDocument/hover","params":7}')):
            client.proc.stdin.write(raw)
            client.proc.stdin.flush()
        module.initialize(client, tmp_path)
        assert client.close() == 0
    finally:
        if client.proc.poll() is None:
            client.proc.kill()
    assert "Unable to handle message" in client.stderr  # the garbage was read, and told
    assert "Traceback" not in client.stderr
