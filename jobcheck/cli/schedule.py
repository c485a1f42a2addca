"""``jobcheck schedule``: when every CronJob runs over a window, as text, JSON or HTML.

Exit codes: 0 the map is written, 1 some CronJob has a schedule or time zone the API server
refuses (listed with its error), 2 usage or I/O errors (an unreadable input included).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile

import click

from jobcheck.cli.common import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, error


def _write(output: str | None, text: str) -> None:
    """To standard output, or atomically to ``output`` (a reader never sees half a file)."""
    if output is None or output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    directory = os.path.dirname(os.path.abspath(output))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(output)}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, output)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _is_an_input(output: str, found: list) -> bool:
    """Whether the output file is one of the files read, under any name (same device and inode)."""
    try:
        info = os.stat(output)
    except OSError:
        return False
    for target in found:
        try:
            other = os.stat(target.path) if target.path != "-" else os.fstat(sys.stdin.fileno())
        except (OSError, ValueError, AttributeError):
            continue
        if (other.st_dev, other.st_ino) == (info.st_dev, info.st_ino):
            return True
    return False


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def schedule_command(paths, *, start, window, timezone, controller_timezone, fmt, output, pileup, duration,
                     config_path, no_config, exclude, respect_gitignore, default_excludes, stdin_filename,
                     verbose) -> int:
    from jobcheck.config import ConfigError
    from jobcheck.schedule.build import build_map
    from jobcheck.schedule.collect import read_cronjobs, run_config, targets
    from jobcheck.schedule.options import OptionError, check_zone, parse_from, parse_span, parse_window

    try:
        display = check_zone(timezone, "--timezone")
        controller = check_zone(controller_timezone, "--controller-timezone")
        span = parse_window(window)
        first = parse_from(start, display)
        length = parse_span(duration, "--duration")
    except OptionError as exc:
        error(str(exc))
        return EXIT_USAGE
    render = None
    if fmt == "html":
        try:
            from jobcheck.schedule.html import render
        except ImportError:
            error("--format html: the HTML report is not available in this version of jobcheck")
            return EXIT_USAGE
    try:
        config = run_config(paths, config_path, no_config)
        skipped = (lambda p, why: click.echo(f"{p}: skipped: {why}", err=True)) if verbose else None
        found = targets(paths, config, exclude, per_file_config=not (config_path or no_config),
                        respect_gitignore=respect_gitignore, default_excludes=default_excludes, skipped=skipped)
    except (ConfigError, ValueError) as exc:
        error(str(exc))
        return EXIT_USAGE
    if output and _is_an_input(output, found):
        error(f"{output}: is one of the inputs; the map would overwrite it (choose another --output)")
        return EXIT_USAGE
    collected = read_cronjobs(found, stdin_filename)
    for path, why in collected.errors:
        error(f"{path}: {why}")
    if verbose:
        for path, why in collected.skipped:
            click.echo(f"{path}: skipped: {why}", err=True)
    doc = build_map(collected.cronjobs, first, first + span, display_zone=display, controller_zone=controller,
                    pileup_threshold=pileup, default_duration=length)
    if fmt == "json":
        text = json.dumps(doc, separators=(",", ":")) + "\n"
    elif fmt == "html":
        text = render(doc)
    else:
        from jobcheck.schedule.text import render as render_text

        text = render_text(doc)
    try:
        _write(output, text)
    except OSError as exc:
        error(f"{output}: cannot write: {exc.strerror or exc}")
        return EXIT_USAGE
    if collected.errors:
        return EXIT_USAGE
    return EXIT_FINDINGS if any(e["error"] for e in doc["cronjobs"]) else EXIT_CLEAN


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--from", "start", metavar="TIME", help="Start of the window: RFC 3339 instant or YYYY-MM-DD "
              "(midnight in --timezone). Default: now, rounded down to the minute.")
@click.option("--window", default="7d", show_default=True, help="Length of the window (1d, 12h, 1d12h; at most 31d).")
@click.option("-z", "--timezone", default="UTC", show_default=True, help="IANA zone to show times in (display only).")
@click.option("--controller-timezone", default="UTC", show_default=True,
              help="Zone of kube-controller-manager: the zone of CronJobs without spec.timeZone.")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the map to this file (atomically).")
@click.option("--pileup", type=click.IntRange(1, 10_000), default=3, show_default=True, metavar="N",
              help="A pile-up is a minute in which at least N CronJobs start.")
@click.option("--duration", default="10m", show_default=True,
              help="How long a run lasts when its job has no activeDeadlineSeconds (for the overlaps).")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Skip paths matching this glob (repeatable).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Use this config file instead of searching.")
@click.option("--no-config", is_flag=True, help="Ignore configuration files.")
@click.option("--respect-gitignore/--no-respect-gitignore", default=True, show_default=True,
              help="Leave out of directory walks what .gitignore files ignore.")
@click.option("--default-excludes/--no-default-excludes", default=True, show_default=True,
              help="Leave out of directory walks node_modules, vendor, build, dist and virtualenvs.")
@click.option("--stdin-filename", default="<stdin>", help="The name to show for standard input.")
@click.option("-v", "--verbose", is_flag=True, help="List what was skipped, and why.")
def schedule(paths, start, window, timezone, controller_timezone, fmt, output, pileup, duration, exclude,
             config_path, no_config, respect_gitignore, default_excludes, stdin_filename, verbose) -> None:
    """Map when the CronJobs in PATHS (files, directories, or - for stdin) run over a window.

    \b
    jobcheck schedule deploy/ --timezone Asia/Seoul
    jobcheck schedule deploy/ --from 2027-03-13 --window 7d --format json -o map.json
    """
    sys.exit(schedule_command(
        paths, start=start, window=window, timezone=timezone, controller_timezone=controller_timezone, fmt=fmt,
        output=output, pileup=pileup, duration=duration, config_path=config_path, no_config=no_config,
        exclude=tuple(exclude), respect_gitignore=respect_gitignore, default_excludes=default_excludes,
        stdin_filename=stdin_filename, verbose=verbose))
