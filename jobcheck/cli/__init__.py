"""The command line: parse options, call the library, choose the exit code. Nothing imports it.

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or I/O errors
(jobcheck.cli.common). Each command that is more than a call lives in its own module.
"""

from __future__ import annotations

import sys

import click

from jobcheck import __version__
from jobcheck.cli.lint import lint


class _Group(click.Group):
    def main(self, *args, **kwargs):  # usage errors exit 2 (click's default too), never a traceback
        kwargs.setdefault("standalone_mode", True)
        return super().main(*args, **kwargs)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="jobcheck")
def main() -> None:
    """Lint and validate Kubernetes Job and CronJob manifests; explain cron schedules."""


main.add_command(lint)


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
    from jobcheck.explain import explain_command_impl

    output, code = explain_command_impl(list(args), timezone=timezone, start=start, count=count, lang=lang, fmt=fmt)
    stream_err = code == 2
    click.echo(output, nl=False, err=stream_err)
    sys.exit(code)
