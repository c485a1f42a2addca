"""``jobcheck lsp``: findings, schedule explanations and fixes served over the Language Server Protocol.

Nothing here lints, explains or fixes by itself: documents go through ``jobcheck.run.lint_text``
(what ``jobcheck lint -`` does), hovers through ``jobcheck.explain.build``, code actions through
``jobcheck.fix.transform.fix_findings`` (what ``--fix`` writes). This package converts: 1-based
code-point columns to LSP positions, findings to diagnostics, new texts to text edits. Only
``server`` imports pygls; the rest is plain data and tested without a client.
"""
