"""End to end: the server in a subprocess, driven by a real LSP client."""

from __future__ import annotations

import asyncio

import pytest
from lsprotocol import types

from jobcheck.lsp.convert import apply_text_edit
from tests.lsp.helpers import diagnostics_of, open_doc, replace_all

pytestmark = pytest.mark.asyncio

CRONJOB = """\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  schedule: "30 2 * * *"
  timeZone: America/New_York
  concurrencyPolicy: Forbid
  startingDeadlineSeconds: 300
  jobTemplate:
    spec:
      backoffLimit: 2
      activeDeadlineSeconds: 600
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: app
            image: busybox:1.36
"""


async def test_initialize_capabilities(client):
    caps = client.init_result.capabilities
    assert caps.hover_provider
    assert caps.code_action_provider
    sync = caps.text_document_sync
    assert sync.open_close and sync.change == types.TextDocumentSyncKind.Incremental
    assert caps.position_encoding == types.PositionEncodingKind.Utf16
    assert client.init_result.server_info.name == "jobcheck"


async def test_diagnostics_codes_ranges(client):
    text = CRONJOB.replace("restartPolicy: Never", "restartPolicy: Always")
    diags = await open_doc(client, client.root / "cj.yaml", text)
    by_code = {d.code: d for d in diags}
    d = by_code["JC103"]
    assert d.source == "jobcheck"
    assert d.severity == types.DiagnosticSeverity.Error
    # line 16 (1-based) "          restartPolicy: Always": the value starts at character 25
    assert (d.range.start.line, d.range.start.character) == (15, 25)
    assert (d.range.end.line, d.range.end.character) == (15, 31)
    assert d.code_description.href.endswith("#jc103-api-server-rejects")
    assert d.message.startswith("spec.jobTemplate.spec.template.spec.restartPolicy: Required value")
    assert d.message.endswith("(api-server-rejects)")


async def test_astral_characters_before_the_finding(client):
    # An emoji is one code point, two UTF-16 units: the name's range comes after it.
    text = CRONJOB.replace("  name: nightly", '  labels: {x: "😀é"}\n  name: Bad_Name')
    diags = await open_doc(client, client.root / "emoji.yaml", text)
    d = next(d for d in diags if d.code == "JC103" and "metadata.name" in d.message)
    line = text.split("\n")[d.range.start.line]
    assert line == "  name: Bad_Name"
    text2 = CRONJOB.replace("  name: nightly", '  name: job1\n  labels: {x: "😀😀", y: "a b"}')
    diags = await open_doc(client, client.root / "emoji2.yaml", text2)
    d = next(d for d in diags if d.code == "JC103" and '"a b"' in d.message)
    row = text2.split("\n")[d.range.start.line]
    # the finding is on "a b" (code-point column of the quote), after two emoji (4 UTF-16 units)
    cp = row.index('"a b"')
    assert d.range.start.character == cp + 2
    assert d.range.end.character == cp + 2 + len('"a b"')


async def test_refresh_after_edit(client):
    path = client.root / "edit.yaml"
    diags = await open_doc(client, path, CRONJOB)
    assert not [d for d in diags if d.severity == types.DiagnosticSeverity.Error]
    uri = path.as_uri()
    replace_all(client, uri, CRONJOB.replace('"30 2 * * *"', '"61 2 * * *"'), 2)
    diags = await diagnostics_of(client, uri)
    assert [d.code for d in diags if d.severity == types.DiagnosticSeverity.Error] == ["JC301"]


async def test_rapid_edits_publish_only_the_latest(client):
    path = client.root / "rapid.yaml"
    await open_doc(client, path, CRONJOB)
    uri = path.as_uri()
    published = []
    original = client.protocol.fm.features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS]

    def record(params):
        published.append(params.version)
        client.diagnostics[params.uri] = params.diagnostics

    client.protocol.fm.features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = record
    try:
        for version in range(2, 12):
            replace_all(client, uri, CRONJOB.replace("600", str(600 + version)), version)

        async def latest():
            while not published or published[-1] != 11:
                await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

        await asyncio.wait_for(latest(), 20)
        await asyncio.sleep(0.3)  # nothing may follow the latest version
        diags = client.diagnostics[uri]
    finally:
        client.protocol.fm.features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = original
    assert published and published[-1] == 11
    assert len(published) < 10  # coalesced, not one lint per keystroke
    assert published == sorted(published)  # never a stale version after a newer one
    assert {d.code for d in diags} >= {"JC311"}


async def test_non_manifest_gives_nothing(client):
    diags = await open_doc(client, client.root / "values.yaml", "replicaCount: 3\nimage: {tag: latest}\n")
    assert list(diags) == []
    diags = await open_doc(client, client.root / "broken.yaml", "foo: [\n")
    assert list(diags) == []


async def test_syntax_error_and_garbage_never_crash(client):
    diags = await open_doc(client, client.root / "bad.yaml", "apiVersion: batch/v1\nkind: Job\nmetadata: {name: a\n")
    assert [d.code for d in diags] == ["JC001"]
    for name, text in [("bin.yaml", "\x00\x01\ufffe\x7f" * 50), ("huge.yaml", "kind: Job\nx: " + "a" * 2_000_000),
                       ("deep.yaml", "kind: Job\nx: " + "[" * 5000)]:
        await open_doc(client, client.root / name, text)
    # still serving
    diags = await open_doc(client, client.root / "after.yaml", CRONJOB.replace("Never", "Always"))
    assert "JC103" in {d.code for d in diags}


async def test_hover_schedule(client):
    path = client.root / "hover.yaml"
    await open_doc(client, path, CRONJOB)
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=path.as_uri()), position=types.Position(line=5, character=15)))
    value = hover.contents.value
    assert "At 02:30" in value or "02:30" in value
    assert "America/New_York" in value
    # next runs shown in the CronJob's zone: New York offsets
    assert "T02:30:00-05:00" in value or "T02:30:00-04:00" in value


async def test_hover_timezone(client):
    from datetime import datetime, timezone
    from zoneinfo import ZoneInfo

    path = client.root / "tz.yaml"
    await open_doc(client, path, CRONJOB)
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=path.as_uri()), position=types.Position(line=6, character=4)))
    value = hover.contents.value
    zone = ZoneInfo("America/New_York")
    now = datetime.now(timezone.utc)
    offset = now.astimezone(zone).utcoffset().total_seconds() // 3600
    assert f"UTC-0{int(-offset)}:00" in value
    # the next change, found independently by walking the zone hour by hour
    t = now.replace(minute=0, second=0, microsecond=0)
    base = now.astimezone(zone).utcoffset()
    from datetime import timedelta
    while (t + timedelta(hours=1)).astimezone(zone).utcoffset() == base:
        t += timedelta(hours=1)
    assert "next change: " + (t + timedelta(hours=1)).astimezone(zone).date().isoformat() in value


async def test_hover_finding_shows_rule_docs(client):
    text = CRONJOB.replace("restartPolicy: Never", "restartPolicy: Always")
    path = client.root / "hf.yaml"
    await open_doc(client, path, text)
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=path.as_uri()), position=types.Position(line=15, character=27)))
    assert "JC103 api-server-rejects" in hover.contents.value
    assert "## What it does" in hover.contents.value


async def _actions(client, uri, diag):
    return await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=diag.range,
        context=types.CodeActionContext(diagnostics=[diag])))


async def test_code_action_safe_fix_applies_byte_for_byte(client):
    text = CRONJOB.replace("  startingDeadlineSeconds: 300\n", "")  # JC307, a safe fix
    path = client.root / "fix.yaml"
    diags = await open_doc(client, path, text)
    d = next(d for d in diags if d.code == "JC307")
    actions = await _actions(client, path.as_uri(), d)
    fix = next(a for a in actions if a.title.startswith("Fix JC307"))
    assert fix.is_preferred and fix.kind == types.CodeActionKind.QuickFix
    (edit,) = fix.edit.changes[path.as_uri()]
    as_dict = {"range": {"start": {"line": edit.range.start.line, "character": edit.range.start.character},
                         "end": {"line": edit.range.end.line, "character": edit.range.end.character}},
               "newText": edit.new_text}
    fixed = apply_text_edit(text, as_dict)
    # exactly what --fix writes
    from jobcheck.fix.transform import fix_stream
    from jobcheck.lint.options import build_options
    expected = fix_stream(text, "fix.yaml", build_options()).text
    assert fixed == expected and fixed != text
    assert "  startingDeadlineSeconds: 200\n  jobTemplate:" in fixed


async def test_code_action_unsafe_is_marked(client):
    text = CRONJOB.replace("  concurrencyPolicy: Forbid\n", "")  # JC306, an unsafe fix
    path = client.root / "unsafe.yaml"
    diags = await open_doc(client, path, text)
    d = next(d for d in diags if d.code == "JC306")
    actions = await _actions(client, path.as_uri(), d)
    fix = next(a for a in actions if a.title.startswith("Fix JC306"))
    assert "unsafe" in fix.title and not fix.is_preferred


async def test_suppression_actions(client):
    text = CRONJOB.replace("busybox:1.36", "busybox")  # JC701 on the image value
    path = client.root / "sup.yaml"
    diags = await open_doc(client, path, text)
    d = next(d for d in diags if d.code == "JC701")
    actions = await _actions(client, path.as_uri(), d)
    titles = [a.title for a in actions]
    assert "Suppress JC701 on this line" in titles and "Suppress JC701 for this file" in titles
    line_action = next(a for a in actions if a.title == "Suppress JC701 on this line")
    (edit,) = line_action.edit.changes[path.as_uri()]
    new = apply_text_edit(text, {"range": {"start": {"line": edit.range.start.line, "character": edit.range.start.character},
                                           "end": {"line": edit.range.end.line, "character": edit.range.end.character}},
                                 "newText": edit.new_text})
    assert new == text.replace("image: busybox\n", "image: busybox  # jobcheck: ignore[JC701]\n")
    file_action = next(a for a in actions if a.title == "Suppress JC701 for this file")
    (edit,) = file_action.edit.changes[path.as_uri()]
    assert edit.range.start.line == 0 and edit.new_text.startswith("# jobcheck: ignore-file[JC701]\n")


async def test_config_change_relints(client):
    path = client.root / "cfg.yaml"
    diags = await open_doc(client, path, CRONJOB.replace("busybox:1.36", "busybox"))
    assert "JC701" in {d.code for d in diags}
    config = client.root / ".jobcheck.yaml"
    config.write_text("ignore: [JC701]\n", encoding="utf-8")
    client.diagnostics.pop(path.as_uri(), None)
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Created)]))
    diags = await diagnostics_of(client, path.as_uri())
    assert "JC701" not in {d.code for d in diags}


async def test_saving_the_config_relints(client):
    path = client.root / "sub" / "saved.yaml"
    path.parent.mkdir()
    diags = await open_doc(client, path, CRONJOB)
    assert "JC311" in {d.code for d in diags}
    config = path.parent / ".jobcheck.yaml"
    config.write_text("ignore: [JC311]\n", encoding="utf-8")
    client.diagnostics.pop(path.as_uri(), None)
    client.text_document_did_save(types.DidSaveTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=config.as_uri())))
    diags = await diagnostics_of(client, path.as_uri())
    assert "JC311" not in {d.code for d in diags}


async def test_hover_after_astral_characters(client):
    # One line of JSON: twenty emoji (forty UTF-16 units) before the schedule. Read as code points,
    # the cursor's character would land far past the value.
    import json

    doc = {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "x", "labels": {"e": "😀" * 20}},
           "spec": {"schedule": "30 2 * * *", "timeZone": "UTC", "jobTemplate": {"spec": {"template": {"spec": {
               "restartPolicy": "Never", "containers": [{"name": "a", "image": "busybox:1"}]}}}}}}
    text = json.dumps(doc, ensure_ascii=False) + "\n"
    path = client.root / "one-line.json"
    await open_doc(client, path, text, language="json")
    at = text.index('"30 2 * * *"') + 3  # code points
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=path.as_uri()), position=types.Position(line=0, character=at + 20)))
    assert hover is not None and "02:30" in hover.contents.value and "jobcheck: schedule" in hover.contents.value


async def test_code_actions_of_other_kinds_are_none(client):
    text = CRONJOB.replace("busybox:1.36", "busybox")
    path = client.root / "only.yaml"
    diags = await open_doc(client, path, text)
    d = next(d for d in diags if d.code == "JC701")
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=path.as_uri()), range=d.range,
        context=types.CodeActionContext(diagnostics=[d], only=[types.CodeActionKind.SourceOrganizeImports])))
    assert not actions
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=path.as_uri()), range=d.range,
        context=types.CodeActionContext(diagnostics=[d], only=[types.CodeActionKind.QuickFix])))
    assert actions
