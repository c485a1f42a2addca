"""The language server (pygls 2, lsprotocol): documents in, diagnostics, hovers and code actions out.

Edits are debounced per document: an edit to a document that has been idle is linted at once
(the latency a user feels); an edit that arrives while a lint of that document waits, or within
``debounce`` seconds of the last one, cancels the waiting lint and schedules a new one
``debounce`` seconds later. So a burst of keystrokes costs a lint at its start and one at its
last version, never one per keystroke. A result is published only if the document is still at the version that was
linted; a stale one is dropped. Whatever a handler raises is contained to that request (logged
to the client), never the server's end.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from dataclasses import dataclass

from lsprotocol import types
from lsprotocol.converters import get_converter
from pygls.lsp.server import LanguageServer

from jobcheck import __version__
from jobcheck.lsp import convert
from jobcheck.lsp.actions import fix_action, suppress_actions
from jobcheck.lsp.documents import Linted, Linter, is_config_file, is_manifest_document, uri_path
from jobcheck.lsp.hover import cronjob_field_at, findings_hover, schedule_hover, timezone_hover

DEBOUNCE_SECONDS = 0.01
_converter = get_converter()
log = logging.getLogger(__name__)


@dataclass
class _State:
    version: int | None
    linted: Linted | None = None
    task: asyncio.Task | None = None
    linted_at: float = -1e9  # time.monotonic() at the end of the last lint


class JobcheckServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("jobcheck", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.linter = Linter()
        self.states: dict[str, _State] = {}
        self.debounce = DEBOUNCE_SECONDS
        self.published = 0  # publishDiagnostics sent (the bench and tests read it)

    # --- helpers ---------------------------------------------------------------------------------

    @property
    def encoding(self) -> str:
        value = getattr(self.workspace, "position_encoding", None)
        return str(getattr(value, "value", value) or convert.UTF16)

    def lint_now(self, uri: str) -> Linted | None:
        """Lint the document's current text, store and publish the result (when still current)."""
        doc = self.workspace.get_text_document(uri)
        state = self.states.setdefault(uri, _State(doc.version))
        version, text = doc.version, doc.source
        if not is_manifest_document(uri, doc.language_id):
            return None
        try:
            linted = self.linter.lint(uri, text)
        finally:
            state.linted_at = time.monotonic()
        current = self.workspace.get_text_document(uri)
        if current.version != version or current.source != text:
            return None  # stale: a newer version is on its way
        state.version, state.linted = version, linted
        diagnostics = [_converter.structure(d, types.Diagnostic)
                       for d in self.linter.diagnostics(linted, self.encoding)]
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version))
        self.published += 1
        return linted

    def schedule(self, uri: str) -> None:
        state = self.states.setdefault(uri, _State(None))
        waiting = state.task is not None and not state.task.done()
        if waiting:
            state.task.cancel()  # a newer edit: the waiting lint is dropped, not queued
        idle = time.monotonic() - state.linted_at >= self.debounce
        state.task = asyncio.ensure_future(self._later(uri, 0.0 if idle and not waiting else self.debounce))

    async def _later(self, uri: str, delay: float) -> None:
        await asyncio.sleep(delay)
        if uri in self.states:
            self.safely(self.lint_now, uri)

    def current(self, uri: str) -> Linted | None:
        """The result for the document's current version, linted now if the last one is older."""
        doc = self.workspace.get_text_document(uri)
        state = self.states.get(uri)
        if state is not None and state.linted is not None and state.version == doc.version \
                and state.linted.text == doc.source:
            return state.linted
        return self.lint_now(uri)

    def safely(self, fn, *args, default=None):
        try:
            return fn(*args)
        except Exception as exc:  # a bug of jobcheck: told to the client, the server goes on
            if os.environ.get("JOBCHECK_DEBUG"):
                raise
            log.exception("internal error")
            self.window_log_message(types.LogMessageParams(
                type=types.MessageType.Error,
                message=f"jobcheck: internal error (a bug of jobcheck: please report it): {type(exc).__name__}"))
            return default

    def relint_open(self) -> None:
        self.linter.forget_config()
        for uri in list(self.states):
            if uri in self.workspace.text_documents:
                self.safely(self.lint_now, uri)


server = JobcheckServer()


@server.feature(types.INITIALIZE)
def _initialize(ls: JobcheckServer, params: types.InitializeParams) -> None:
    root = params.root_uri or (params.workspace_folders[0].uri if params.workspace_folders else None)
    ls.linter.root = uri_path(root) if root else None
    options = params.initialization_options
    if isinstance(options, dict) and isinstance(options.get("debounceMs"), (int, float)):
        ls.debounce = max(0.0, min(float(options["debounceMs"]), 2000.0)) / 1000


@server.feature(types.INITIALIZED)
def _initialized(ls: JobcheckServer, params: types.InitializedParams) -> None:
    caps = ls.client_capabilities.workspace
    watched = caps.did_change_watched_files if caps else None
    if watched is not None and watched.dynamic_registration:
        watchers = [types.FileSystemWatcher(glob_pattern=f"**/{name}")
                    for name in (".jobcheck.yaml", ".jobcheck.yml", "pyproject.toml")]
        ls.client_register_capability(types.RegistrationParams(registrations=[types.Registration(
            id="jobcheck-config", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers))]))


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def _did_open(ls: JobcheckServer, params: types.DidOpenTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls.states[uri] = _State(params.text_document.version)
    ls.safely(ls.lint_now, uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def _did_change(ls: JobcheckServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def _did_save(ls: JobcheckServer, params: types.DidSaveTextDocumentParams) -> None:
    uri = params.text_document.uri
    if is_config_file(uri):
        ls.relint_open()
    elif uri in ls.states:
        ls.schedule(uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def _did_close(ls: JobcheckServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    state = ls.states.pop(uri, None)
    if state is not None and state.task is not None:
        state.task.cancel()
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def _watched(ls: JobcheckServer, params: types.DidChangeWatchedFilesParams) -> None:
    if any(is_config_file(change.uri) for change in params.changes):
        ls.relint_open()


def _cursor(ls: JobcheckServer, uri: str, pos: types.Position) -> tuple[int, int]:
    """0-based line and 0-based code-point column of an LSP position."""
    lines = convert.split_lines(ls.workspace.get_text_document(uri).source)
    line = lines[pos.line] if 0 <= pos.line < len(lines) else ""
    return pos.line, convert.column(line, pos.character, ls.encoding) - 1


def _hover(ls: JobcheckServer, params: types.HoverParams) -> types.Hover | None:
    uri = params.text_document.uri
    linted = ls.current(uri)
    if linted is None or linted.options is None:
        return None
    line, col = _cursor(ls, uri, params.position)
    found = cronjob_field_at(linted.text, line, col)
    if found is not None:
        workload, name = found
        text = schedule_hover(workload) if name == "schedule" else timezone_hover(workload.data["spec"].get("timeZone"))
    else:
        here = [f for f in linted.findings if _covers(f, line + 1, col + 1)]
        text = findings_hover(here, linted.options.rules)
    if text is None:
        return None
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text))


def _covers(f, line: int, col: int) -> bool:
    end = (f.end_line, f.end_column) if (f.end_line, f.end_column) > (f.line, f.column) else (f.line, f.column + 1)
    return (f.line, f.column) <= (line, col) <= end


@server.feature(types.TEXT_DOCUMENT_HOVER)
def _hover_feature(ls: JobcheckServer, params: types.HoverParams) -> types.Hover | None:
    return ls.safely(_hover, ls, params)


def _actions(ls: JobcheckServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    uri = params.text_document.uri
    only = params.context.only
    if only and not any(str(getattr(k, "value", k)).split(".")[0] == "quickfix" for k in only):
        return []  # the client asks for other kinds (source actions, refactorings)
    linted = ls.current(uri)
    if linted is None or linted.options is None:
        return []
    lines, enc = linted.lines, ls.encoding
    lo = (params.range.start.line, params.range.start.character)
    hi = (params.range.end.line, params.range.end.character)
    out = []
    for f in linted.findings:
        diag = convert.diagnostic(f, lines, linted.options.rules[f.rule].help_uri if f.rule in linted.options.rules
                                  else None, enc)
        start = (diag["range"]["start"]["line"], diag["range"]["start"]["character"])
        end = (diag["range"]["end"]["line"], diag["range"]["end"]["character"])
        if end < lo or start > hi:
            continue
        found = []
        fix = fix_action(linted.text, f, linted.options, diag, enc)
        if fix is not None:
            found.append(fix)
        found += suppress_actions(linted.text, f, linted.findings, linted.path, linted.options, diag, enc)
        for action in found:
            edit = action.pop("edit")
            action["edit"] = {"changes": {uri: [edit]}}
            out.append(_converter.structure(action, types.CodeAction))
    return out


@server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
def _code_action(ls: JobcheckServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    return ls.safely(_actions, ls, params, default=[])


class _NoTraceback(logging.Formatter):
    """One line per record, without tracebacks (an editor shows stderr as the server's log; bad
    input there is a message, not a traceback, and pygls puts some tracebacks in the message
    text itself). JOBCHECK_DEBUG=1 keeps them."""

    def formatException(self, ei) -> str:  # noqa: N802 - logging's name
        return ""

    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).split("\n", 1)[0]


def main() -> None:
    """Serve over standard input and output until the client says exit."""
    handler = logging.StreamHandler()
    debug = bool(os.environ.get("JOBCHECK_DEBUG"))
    handler.setFormatter((logging.Formatter if debug else _NoTraceback)("jobcheck-lsp %(levelname)s %(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[handler])
    server.start_io()
