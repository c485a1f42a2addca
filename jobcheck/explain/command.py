"""What ``jobcheck explain`` does with its arguments: the output and how the request went.

The command line turns the status into an exit code; nothing here exits or prints.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Sequence
from datetime import datetime

from jobcheck.cron.describe import LANGS
from jobcheck.explain.build import explain_expression, explain_workload, parse_start
from jobcheck.explain.manifests import expand_paths, names_manifests, read_cronjobs, run_excludes
from jobcheck.explain.render import render_text
from jobcheck.explain.safe import json_safe, visible

FORMATS = ("text", "json")


class Status(enum.Enum):
    """How an explain request went."""

    OK = "ok"  # every schedule and time zone explained is valid
    INVALID = "invalid"  # a schedule or time zone the API server would reject
    USAGE = "usage"  # nothing explained: bad --from, language or format, no arguments, unreadable file


def _json(data: object) -> str:
    """The JSON document: always valid (no NaN or Infinity, no lone surrogate, no endless integer)."""
    return json.dumps(json_safe(data), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def run_explain(
    args: Sequence[str],
    timezone: str | None = None,  # noqa: A002 - mirrors the --timezone option
    start: str | datetime | None = None,
    count: int = 5,
    lang: str = "en",
    fmt: str = "text",
) -> tuple[str, Status]:
    """Explain ``args``; return the output and the status (for USAGE, the output is the error message).

    ``args`` are either paths (files, directories walked as ``lint`` walks them, ``-`` for
    stdin: every CronJob in them is explained, with its file and line) or the words of one
    expression (joined with spaces, so an unquoted ``0 2 * * 1-5`` works). A path that does
    not exist is a usage error, never read as an expression (``manifests.names_manifests``).
    """
    if lang not in LANGS or fmt not in FORMATS:
        return f"error: unsupported language {lang!r} or format {fmt!r}\n", Status.USAGE
    try:
        begin = parse_start(start)
    except ValueError as exc:
        reason = str(exc) if "must lie between" in str(exc) else "it is not an ISO 8601 time"
        return f"error: --from {visible(str(start))}: {reason}\n", Status.USAGE
    if not args:
        return "error: give a cron expression or a manifest file\n", Status.USAGE
    if names_manifests(args):
        return _explain_files(args, timezone, begin, count, lang, fmt)
    result = explain_expression(" ".join(args), timezone, begin, count, lang)
    status = Status.OK if result["valid"] else Status.INVALID
    if fmt == "json":
        return _json(result), status
    return render_text(result, lang), status


def _explain_files(
    args: Sequence[str], timezone: str | None, begin: datetime, count: int, lang: str, fmt: str
) -> tuple[str, Status]:
    from jobcheck.config import ConfigError

    try:
        excludes = run_excludes(args)
    except ConfigError as exc:
        return f"error: {visible(str(exc))}\n", Status.USAGE
    targets = expand_paths(args, excludes)
    missing = [t for t in targets if t.error]
    if missing:
        return "".join(f"error: {visible(t.path)}: {visible(t.error or '')}\n" for t in missing), Status.USAGE
    results = []
    for target in targets:
        try:
            found = read_cronjobs(target.path)
        except OSError as exc:
            return f"error: cannot read {visible(target.path)}: {visible(str(exc))}\n", Status.USAGE
        for w, line in found:
            item = explain_workload(w, default_timezone=timezone, start=begin, count=count, lang=lang)
            item["file"] = target.path
            item["line"] = line
            results.append(item)
    status = Status.OK if all(r["schedule_explanation"]["valid"] for r in results) else Status.INVALID
    if fmt == "json":
        return _json(results), status
    text = "\n".join(render_text(r, lang) for r in results)
    return text or "no CronJob found\n", status
