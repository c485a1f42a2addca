"""``jobcheck lint``'s options, for click (``jobcheck lint --help``, and every command line the fast
path of ``jobcheck.cli.fast`` leaves to click). What the command does is in ``jobcheck.cli.lint``."""

from __future__ import annotations

import sys

import click

from jobcheck.cli.lint import lint_command, make_request, parse_jobs
from jobcheck.report import REPORTERS


def _jobs(ctx, param, value: str) -> int:
    jobs = parse_jobs(value)
    if isinstance(jobs, str):
        raise click.BadParameter(jobs)
    return jobs


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-f", "--format", "fmt", type=click.Choice(list(REPORTERS)), default="text", show_default=True,
              help="Report format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Write the report to this file; the terminal still gets the summary.")
@click.option("-k", "--kubernetes-version", metavar="1.N", help="Validate for this Kubernetes minor version (default: newest).")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]),
              help="Lowest severity that makes the exit code 1 (default: error; warnings and info only inform).")
@click.option("--select", multiple=True, help="Only these rules (ids, id prefixes, names, categories; comma-separated).")
@click.option("--extend-select", multiple=True, help="Add rules to the selection (e.g. rules off by default).")
@click.option("--ignore", multiple=True, help="Skip these rules.")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Skip paths matching this glob (repeatable).")
@click.option("--rules-dir", multiple=True, type=click.Path(file_okay=False), help="Load custom rules from this directory.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Use this config file instead of searching.")
@click.option("--no-config", is_flag=True, help="Ignore configuration files.")
@click.option("--strict/--no-strict", default=None, help="Report unknown fields (default: strict).")
@click.option("--show-source", is_flag=True, help="Show the offending line with a caret under the column.")
@click.option("--color/--no-color", default=None, help="Color the text report (default: on a terminal, unless NO_COLOR).")
@click.option("-j", "--jobs", default="1", show_default=True, callback=_jobs, metavar="N",
              help="Lint files in N processes (0 or auto: one per available CPU).")
@click.option("--stdin-filename", default="<stdin>", help="The name to report for standard input.")
@click.option("-q", "--quiet", is_flag=True, help="Print no summary line.")
@click.option("--fix", is_flag=True, help="Apply safe fixes in place (comments and layout are kept).")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff, also apply fixes marked unsafe.")
@click.option("--diff", "show_diff", is_flag=True, help="Print the fixes as a unified diff; change nothing.")
@click.option("--respect-gitignore/--no-respect-gitignore", default=True, show_default=True,
              help="Leave out of directory walks what .gitignore files ignore.")
@click.option("--default-excludes/--no-default-excludes", default=True, show_default=True,
              help="Leave out of directory walks node_modules, vendor, build, dist and virtualenvs.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache (.jobcheck_cache at the "
              "project root, or $JOBCHECK_CACHE_DIR).")
@click.option("-v", "--verbose", is_flag=True, help="List what was skipped (files that are not Job or CronJob "
              "manifests, directories left out of walks), and why.")
def lint(**values) -> None:
    """Lint Job and CronJob manifests in PATHS (files, directories, or - for stdin)."""
    sys.exit(lint_command(make_request(**values)))
