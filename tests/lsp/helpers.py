"""Opening documents and waiting for their diagnostics through the test client."""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsprotocol import types


async def open_doc(client, path: Path, text: str, language: str = "yaml", version: int = 1) -> list:
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    client.diagnostics.pop(uri, None)
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id=language, version=version, text=text)))
    return await diagnostics_of(client, uri)


async def diagnostics_of(client, uri: str, timeout: float = 20.0) -> list:
    """Wait until the server has published for ``uri`` (the client stores the last list)."""
    async def wait():
        while uri not in client.diagnostics:
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        return client.diagnostics[uri]
    return await asyncio.wait_for(wait(), timeout)


def replace_all(client, uri: str, text: str, version: int) -> None:
    client.diagnostics.pop(uri, None)
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))
