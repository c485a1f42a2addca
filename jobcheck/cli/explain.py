"""``jobcheck explain``: a cron expression or the CronJobs in files, in plain words."""

from __future__ import annotations

import sys

import click

from jobcheck.cli.common import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE


@click.command()
@click.argument("args", nargs=-1, required=True)
@click.option("-n", "--count", type=click.IntRange(1, 1000), default=5, show_default=True, help="How many next runs.")
@click.option("--from", "start", metavar="TIMESTAMP", help="ISO 8601 instant; runs strictly after it (default: now).")
@click.option("-z", "--timezone", help="kube-controller-manager's IANA zone: for an expression (default UTC) and CronJobs without timeZone.")
@click.option("--lang", type=click.Choice(["en", "ko"]), default="en", show_default=True, help="Language of descriptions.")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def explain(args: tuple[str, ...], count: int, start: str | None, timezone: str | None, lang: str, fmt: str) -> None:
    """Explain a cron EXPRESSION, or every CronJob in manifest FILES and DIRECTORIES, with Kubernetes' semantics.

    A path that does not exist is an error, not an expression; without --timezone an expression
    runs in kube-controller-manager's zone (UTC).

    \b
    jobcheck explain "0 2 * * 1-5" --timezone Europe/Berlin
    jobcheck explain deploy/
    """
    from jobcheck.explain import Status, run_explain

    output, status = run_explain(list(args), timezone=timezone, start=start, count=count, lang=lang, fmt=fmt)
    code = {Status.OK: EXIT_CLEAN, Status.INVALID: EXIT_FINDINGS, Status.USAGE: EXIT_USAGE}[status]
    click.echo(output, nl=False, err=status is Status.USAGE)  # a usage error is a message, not the output
    sys.exit(code)
