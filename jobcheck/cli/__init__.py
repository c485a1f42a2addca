"""The command line: parse options, call the library, choose the exit code. Nothing imports it.

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or I/O errors
(jobcheck.cli.common). Each command that is more than a call lives in its own module.
"""

from __future__ import annotations

import importlib

import click

from jobcheck import __version__

# name -> (module, attribute): a command's module is imported when the command is asked for, so
# ``jobcheck lint`` never loads what ``explain`` or ``dump`` need.
_COMMANDS = {
    "dump": ("jobcheck.cli.dump", "dump"),
    "explain": ("jobcheck.cli.explain", "explain"),
    "lint": ("jobcheck.cli.lint", "lint"),
    "lsp": ("jobcheck.cli.lsp", "lsp"),
    "rule": ("jobcheck.cli.rules", "show_rule"),
    "rules": ("jobcheck.cli.rules", "list_rules"),
}


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
