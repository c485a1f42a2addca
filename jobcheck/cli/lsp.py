"""``jobcheck lsp``: the language server over standard input and output (the ``lsp`` extra)."""

from __future__ import annotations

import sys

import click

from jobcheck.cli.common import EXIT_USAGE, error

INSTALL_HINT = "jobcheck lsp needs the lsp extra: pip install 'jobcheck[lsp]'"


@click.command()
def lsp() -> None:
    """Run the language server on standard input and output (for editors)."""
    try:
        import lsprotocol  # noqa: F401
        import pygls  # noqa: F401
    except ImportError:
        error(INSTALL_HINT)
        sys.exit(EXIT_USAGE)
    from jobcheck.lsp.server import main

    main()
