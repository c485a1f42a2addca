"""What every command shares: exit codes and how messages reach the terminal.

Nothing here imports click: ``jobcheck lint`` on a plain command line runs without it
(``jobcheck.cli.fast``), and its messages must still read as click prints them (``echo``).
"""

from __future__ import annotations

import codecs
import io
import sys

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def echo(message: str, err: bool = False) -> None:
    """``click.echo(message, err=err)``: the line written and flushed. click is imported only for what
    it handles differently from a plain write: colour codes (stripped when the stream is not a
    terminal), and streams that are not the interpreter's own or whose encoding is ASCII (rewrapped)."""
    stream = sys.stderr if err else sys.stdout
    if "\x1b" in message or type(stream) is not io.TextIOWrapper or _ascii(stream.encoding):
        import click

        click.echo(message, err=err)
        return
    stream.write(message + "\n")
    stream.flush()


def _ascii(encoding: str | None) -> bool:
    try:
        return codecs.lookup(encoding or "ascii").name == "ascii"
    except LookupError:
        return False


def error(message: str) -> None:
    """Print a message for the user on standard error, prefixed with the program's name."""
    echo(f"jobcheck: {message}", err=True)


def split_tokens(values: tuple[str, ...]) -> tuple[str, ...] | None:
    """Repeated, comma-separated options as one tuple of tokens (None when not given)."""
    if not values:
        return None
    return tuple(token.strip() for value in values for token in value.split(",") if token.strip())
