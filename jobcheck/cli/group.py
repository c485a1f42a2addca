"""The click group of every command (``jobcheck.cli.main``)."""

from __future__ import annotations

import importlib

import click

from jobcheck import __version__
from jobcheck.cli import _COMMANDS


class _Group(click.Group):
    def main(self, *args, **kwargs):  # usage errors exit 2 (click's default too), never a traceback
        kwargs.setdefault("standalone_mode", True)
        return super().main(*args, **kwargs)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*_COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in _COMMANDS:
            module, attr = _COMMANDS[cmd_name]
            self.add_command(getattr(importlib.import_module(module), attr), cmd_name)
        return self.commands.get(cmd_name)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="jobcheck")
def main() -> None:
    """Lint and validate Kubernetes Job and CronJob manifests; explain cron schedules."""
