"""What every command shares: exit codes and how messages reach the terminal."""

from __future__ import annotations

import click

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def error(message: str) -> None:
    """Print a message for the user on standard error, prefixed with the program's name."""
    click.echo(f"jobcheck: {message}", err=True)


def split_tokens(values: tuple[str, ...]) -> tuple[str, ...] | None:
    """Repeated, comma-separated options as one tuple of tokens (None when not given)."""
    if not values:
        return None
    return tuple(token.strip() for value in values for token in value.split(",") if token.strip())
