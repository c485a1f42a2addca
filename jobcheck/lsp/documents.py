"""Linting an editor's document: which documents are linted, with which options, and what the
hover and code actions need of the result.

A document is linted as ``jobcheck lint`` lints the file at its path: with the configuration
nearest above it (``jobcheck.run.options_for``) and the same skipping rules (a document that is
not a Job or CronJob manifest gives nothing). The text goes through ``jobcheck.run.lint_text``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from urllib.parse import unquote, urlparse

from jobcheck.config import ConfigError
from jobcheck.discover import MANIFEST_SUFFIXES, kustomize_patches
from jobcheck.finding import Finding
from jobcheck.lint.options import LintOptions, SelectionError
from jobcheck.lint.registry import RuleError
from jobcheck.lsp import convert
from jobcheck.run import lint_text, options_for

LANGUAGES = ("yaml", "json", "jsonc")
CONFIG_NAMES = (".jobcheck.yaml", ".jobcheck.yml", "pyproject.toml")


def uri_path(uri: str) -> str | None:
    """The file system path of a ``file:`` URI, None for others (an unsaved buffer)."""
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    path = unquote(parsed.path)
    if os.name == "nt" and path.startswith("/") and len(path) > 2 and path[2] == ":":
        path = path[1:]
    return path


def is_manifest_document(uri: str, language_id: str | None) -> bool:
    """Whether a document is one ``lint`` would read: YAML or JSON by language or by suffix."""
    if language_id and language_id.lower() in LANGUAGES:
        return True
    path = uri_path(uri) or urlparse(uri).path
    return path.lower().endswith(MANIFEST_SUFFIXES)


def is_config_file(uri: str) -> bool:
    path = uri_path(uri) or ""
    return os.path.basename(path) in CONFIG_NAMES


@dataclass
class Linted:
    """One version of a document and what linting it gave."""

    text: str
    path: str  # the name findings carry (the file's path, or the URI of an unsaved buffer)
    findings: list[Finding] = field(default_factory=list)
    options: LintOptions | None = None  # None: not linted (excluded, or the configuration is broken)
    config_error: str | None = None

    @property
    def lines(self) -> list[str]:
        return convert.split_lines(self.text)


class Linter:
    """Lints documents; keeps each configuration's options until a configuration file changes."""

    def __init__(self, root: str | None = None) -> None:
        self.root = root
        self.memo: dict = {}

    def forget_config(self) -> None:
        self.memo.clear()
        kustomize_patches.cache_clear()

    def options(self, path: str) -> LintOptions | None:
        return options_for(path, self.memo)

    def lint(self, uri: str, text: str) -> Linted:
        path = uri_path(uri)
        # An unsaved buffer takes the configuration of the workspace root, as standard input
        # takes the working directory's.
        lookup = path or os.path.join(self.root or os.getcwd(), "untitled.yaml")
        linted = Linted(text, path or uri)
        try:
            linted.options = self.options(lookup)
        except (ConfigError, RuleError, SelectionError, ValueError) as exc:
            linted.config_error = str(exc)
            return linted
        if linted.options is None:
            return linted
        # A strategic-merge patch its directory's kustomization names is a partial object, as
        # ``lint`` reads it when the file is named on the command line.
        partial = path is not None and os.path.realpath(path) in kustomize_patches(os.path.dirname(path) or ".")
        linted.findings = lint_text(text, linted.path, linted.options, partial).findings
        return linted

    def diagnostics(self, linted: Linted, encoding: str = convert.UTF16) -> list[dict]:
        """The document's diagnostics; a broken configuration is one error on the first line."""
        if linted.config_error is not None:
            return [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                     "severity": 1, "source": "jobcheck",
                     "message": "jobcheck configuration error: " + convert.message_text(linted.config_error)}]
        lines = linted.lines
        rules = linted.options.rules if linted.options else {}
        out = []
        for f in linted.findings:
            rule = rules.get(f.rule)
            out.append(convert.diagnostic(f, lines, rule.help_uri if rule else None, encoding))
        return out
