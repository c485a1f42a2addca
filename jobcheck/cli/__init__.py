"""The command line: parse options, call the library, choose the exit code.

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or I/O errors.
"""

from __future__ import annotations

import os
import sys

import click

from jobcheck import __version__
from jobcheck.report import REPORTERS

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class _Group(click.Group):
    def main(self, *args, **kwargs):  # usage errors exit 2 (click's default too), never a traceback
        kwargs.setdefault("standalone_mode", True)
        return super().main(*args, **kwargs)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="jobcheck")
def main() -> None:
    """Lint and validate Kubernetes Job and CronJob manifests; explain cron schedules."""


def _split(values: tuple[str, ...]) -> tuple[str, ...] | None:
    if not values:
        return None
    return tuple(token.strip() for value in values for token in value.split(",") if token.strip())


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-f", "--format", "fmt", type=click.Choice(list(REPORTERS)), default="text", show_default=True,
              help="Report format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Write the report to this file; the terminal still gets the summary.")
@click.option("-k", "--kubernetes-version", metavar="1.N", help="Validate for this Kubernetes minor version (default: newest).")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]),
              help="Lowest severity that makes the exit code 1 (default: warning).")
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
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True, help="Lint files in N processes.")
@click.option("--stdin-filename", default="<stdin>", help="The name to report for standard input.")
@click.option("-q", "--quiet", is_flag=True, help="Print no summary line.")
@click.option("--fix", is_flag=True, help="Apply safe fixes in place (comments and layout are kept).")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff, also apply fixes marked unsafe.")
@click.option("--diff", "show_diff", is_flag=True, help="Print the fixes as a unified diff; change nothing.")
def lint(paths, fmt, output, kubernetes_version, fail_on, select, extend_select, ignore, exclude, rules_dir,
         config_path, no_config, strict, show_source, color, jobs, stdin_filename, quiet, fix, unsafe_fixes,
         show_diff) -> None:
    """Lint Job and CronJob manifests in PATHS (files, directories, or - for stdin)."""
    from jobcheck.run import LintRequest, run_lint

    request = LintRequest(
        paths=tuple(paths), fmt=fmt, output=output, kubernetes_version=kubernetes_version, fail_on=fail_on,
        select=_split(select), extend_select=_split(extend_select) or (), ignore=_split(ignore) or (),
        exclude=tuple(exclude), rules_dirs=tuple(rules_dir), config_path=config_path, no_config=no_config,
        strict=strict, show_source=show_source, color=_want_color(color, output), jobs=jobs,
        stdin_filename=stdin_filename, quiet=quiet, fix=fix, unsafe_fixes=unsafe_fixes, diff=show_diff,
    )
    sys.exit(run_lint(request))


def _want_color(flag: bool | None, output: str | None) -> bool:
    if flag is not None:
        return flag
    if output or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


@main.command("rules")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--rules-dir", multiple=True, type=click.Path(file_okay=False), help="Include custom rules from this directory.")
def list_rules(fmt: str, rules_dir: tuple[str, ...]) -> None:
    """List every rule: id, name, severity, whether it is on by default, summary."""
    from jobcheck.lint.registry import RuleError, load_rules
    from jobcheck.lint.ruledocs import rules_json, rules_table

    try:
        rules = load_rules(rules_dir)
    except RuleError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(rules_json(rules) if fmt == "json" else rules_table(rules), nl=False)


@main.command("rule")
@click.argument("code")
@click.option("--rules-dir", multiple=True, type=click.Path(file_okay=False))
def show_rule(code: str, rules_dir: tuple[str, ...]) -> None:
    """Print the full documentation of one rule (by id or name)."""
    from jobcheck.lint.registry import RuleError, load_rules
    from jobcheck.lint.ruledocs import rule_text

    try:
        rules = load_rules(rules_dir)
    except RuleError as exc:
        raise click.UsageError(str(exc)) from None
    found = [r for r in rules.values() if code in (r.id, r.name) or code.upper() == r.id]
    if not found:
        raise click.UsageError(f"no rule {code!r}; `jobcheck rules` lists them")
    click.echo(rule_text(found[0]), nl=False)


@main.command()
@click.argument("args", nargs=-1, required=True)
@click.option("-n", "--count", type=click.IntRange(1, 1000), default=5, show_default=True, help="How many next runs.")
@click.option("--from", "start", metavar="TIMESTAMP", help="ISO 8601 instant; runs strictly after it (default: now).")
@click.option("-z", "--timezone", help="IANA zone for an expression (default UTC), or for CronJobs without timeZone.")
@click.option("--lang", type=click.Choice(["en", "ko"]), default="en", show_default=True, help="Language of descriptions.")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def explain(args: tuple[str, ...], count: int, start: str | None, timezone: str | None, lang: str, fmt: str) -> None:
    """Explain a cron EXPRESSION, or every CronJob in manifest FILES, with Kubernetes' semantics.

    \b
    jobcheck explain "0 2 * * 1-5" --timezone Europe/Berlin
    jobcheck explain deploy/cronjobs.yaml
    """
    from jobcheck.explain import Status, run_explain

    output, status = run_explain(list(args), timezone=timezone, start=start, count=count, lang=lang, fmt=fmt)
    code = {Status.OK: EXIT_CLEAN, Status.INVALID: EXIT_FINDINGS, Status.USAGE: EXIT_USAGE}[status]
    click.echo(output, nl=False, err=status is Status.USAGE)  # a usage error is a message, not the output
    sys.exit(code)
