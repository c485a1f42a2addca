"""The command line: parse options, call the library, choose the exit code. Nothing imports it.

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or I/O errors
(jobcheck.cli.common). Each command that is more than a call lives in its own module.
"""

from __future__ import annotations

import click

from jobcheck import __version__
from jobcheck.cli.dump import dump
from jobcheck.cli.explain import explain
from jobcheck.cli.lint import lint
from jobcheck.cli.rules import list_rules, show_rule


class _Group(click.Group):
    def main(self, *args, **kwargs):  # usage errors exit 2 (click's default too), never a traceback
        kwargs.setdefault("standalone_mode", True)
        return super().main(*args, **kwargs)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="jobcheck")
def main() -> None:
    """Lint and validate Kubernetes Job and CronJob manifests; explain cron schedules."""


for command in (lint, explain, dump, list_rules, show_rule):
    main.add_command(command)
