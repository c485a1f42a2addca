"""Render explanations as text: the labelled layout ``jobcheck explain`` prints.

Every string that comes from a manifest or the command line (expression, zone, names,
messages quoting them) goes through ``safe.visible``: control and bidirectional characters
are shown escaped, never written to the terminal.
"""

from __future__ import annotations

import unicodedata

from jobcheck.cron.describe import FIELD_NAMES
from jobcheck.cron.parse import TZ_IN_SCHEDULE
from jobcheck.explain.messages import LABELS
from jobcheck.explain.safe import visible


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def caret_line(expr: str, start: int, end: int) -> str:
    """Spaces then carets under expr[start:end] as ``visible`` shows it (at least one caret).

    Wide characters count twice; an escaped character counts as many columns as its escape.
    """
    pad = " " * _display_width(visible(expr[:start]))
    return pad + "^" * max(1, _display_width(visible(expr[start:end])))


def render_text(result: dict, lang: str = "en") -> str:
    """Human-readable rendering of ``explain_expression`` or ``explain_workload`` output."""
    if "schedule_explanation" in result:
        return _render_workload(result, lang)
    lab = LABELS[lang]
    raw = result["expression"]
    expr = visible(raw)
    lines = []
    for err in result["errors"]:
        # robfig's message stays on one line, verbatim (it is what people search for), above
        # the expression and the caret: the only lines that may pass 80 columns.
        lines.append(f"{lab['invalid']}: {visible(err['message'])}")
        lines.append(f"  {expr}")
        lines.append(f"  {caret_line(raw, err['start'], err['end'])}")
    if result.get("timezone_error"):
        lines.append(_wrapped(f"{lab['tz_invalid']}: {visible(result['timezone_error'])}", "", "  "))
    # The API server words robfig's errors as robfig does (shown above with a caret); its own
    # refusals (TZ in the schedule, the time zone) are quoted as it reports them.
    own = result.get("timezone_error") or any(e["message"] == TZ_IN_SCHEDULE for e in result["errors"])
    if own and result.get("api_errors"):
        lines.append(f"{lab['api']}:")
        lines.extend(_wrapped(visible(e), "  ", "    ") for e in result["api_errors"])
    if result.get("hints"):
        lines.append(f"{lab['hints']}:")
        lines.extend(_wrapped(visible(h["message"]), "  ", "    ") for h in result["hints"])
    if result["description"] is None:
        return "\n".join(lines) + "\n"
    if not result["errors"]:
        lines.append(f"{lab['expression']}: {expr}")
    lines.append(_wrapped(f"{lab['timezone']}: {_zone_line(result, lab)}", "", "  ", WIDTH - 2))
    lines.append(_wrapped(f"{lab['meaning']}: {result['description']}", "", "  ", WIDTH - 2))
    if result["fields"]:
        lines.append(f"{lab['fields']}:")
        texts = [visible(f["text"]) for f in result["fields"]]
        width = max(len(t) for t in texts)
        for f, text in zip(result["fields"], texts, strict=True):
            name = FIELD_NAMES[lang][f["field"]]
            name += " " * (13 - _display_width(name))
            lines.append(f"  {name} {text:<{width}}  {f['description']}")
    lines.append(f"{lab['next']}:")
    lines.extend(_run_lines(result["next"], lang))
    if result["never"]:
        lines.append(f"  {lab['never']}")
    if result["stopped"]:
        lines.append(f"  {lab['stopped']}")
    if result.get("beyond"):
        lines.append(f"  {lab['beyond']}")
    if result["warnings"]:
        lines.append(f"{lab['warnings']}:")
        for w in result["warnings"]:
            rule = f" {w['rule']}" if w.get("rule") else ""
            lines.append(_wrapped(f"[{w['code']}{rule}] {visible(w['message'])}", "  ", "    "))
    return "\n".join(lines) + "\n"


WIDTH = 80


def _wrapped(text: str, first: str, rest: str, width: int = WIDTH) -> str:
    """``text`` broken at spaces into lines of at most ``width`` columns (a longer word stays whole)."""
    lines: list[str] = []
    line = first
    for word in text.split(" "):
        candidate = word if line in (first, rest) and not line.strip() else f"{line.rstrip(' ')} {word}"
        if line.strip() and _display_width(candidate) > width:
            lines.append(line)
            line = rest + word
        else:
            line = candidate if line.strip() else line + word
    lines.append(line)
    return "\n".join(lines)


def _zone_line(result: dict, lab: dict) -> str:
    zone = visible(result["timezone"])
    source = result.get("timezone_source")
    if source in ("controller", "option"):
        return f"{zone} ({lab[source]})"
    if source == "schedule":
        prefix = "CRON_TZ=" if result["expression"].startswith("CRON_TZ=") else "TZ="
        return f"{zone} ({lab['from_schedule'].format(prefix=prefix)})"
    return zone


_COMPACT = {"en": ((86400, "d"), (3600, "h"), (60, "m"), (1, "s")),
            "ko": ((86400, "일"), (3600, "시간"), (60, "분"), (1, "초"))}


def _compact(seconds: int, lang: str) -> str:
    """A gap in at most two units: "1d", "2h 30m", "45s" / "1일", "2시간 30분"."""
    parts = []
    for size, unit in _COMPACT[lang]:
        if seconds >= size:
            n, seconds = divmod(seconds, size)
            parts.append(f"{n}{unit}")
    return " ".join(parts[:2]) or "0s"


_WEEKDAYS = {"en": "Mon Tue Wed Thu Fri Sat Sun".split(), "ko": "월 화 수 목 금 토 일".split()}  # date.weekday()


def _run_lines(runs: list[dict], lang: str) -> list[str]:
    """One line per run: weekday, local time, the UTC instant and the gap since the run before.

    ``Mon 2027-01-11T02:00:00+09:00 = Sun 2027-01-10T17:00:00Z  +1d``; the instants are the
    JSON's own strings (ISO 8601, four-digit years), the UTC part left out when the offset is 0.
    """
    from datetime import datetime

    days = _WEEKDAYS[lang]
    out = []
    for t in runs:
        local = datetime.fromisoformat(t["local"])
        text = f"  {days[local.weekday()]} {t['local']}"
        if local.utcoffset():
            utc = datetime.fromisoformat(t["utc"].replace("Z", "+00:00"))
            text += f" = {days[utc.weekday()]} {t['utc']}"
        if t.get("gap_seconds") is not None:
            text += f"  +{_compact(t['gap_seconds'], lang)}"
        out.append(text)
    return out


def _render_workload(result: dict, lang: str) -> str:
    lab = LABELS[lang]
    ns = f"{visible(result['namespace'])}/" if result["namespace"] else ""
    where = f"  ({visible(result['file'])}:{result['line']})" if result.get("file") and result.get("line") else ""
    lines = [f"{lab['name']} {ns}{visible(result['name']) if result['name'] else '?'}{where}"]
    if result["timezone_note"]:
        lines.append(_wrapped(visible(result["timezone_note"]), "  ", "    "))
    body = render_text(result["schedule_explanation"], lang)
    lines.extend("  " + line for line in body.rstrip("\n").split("\n"))
    if result["notes"]:
        lines.append(f"  {lab['policy']}:")
        lines.extend(_wrapped(visible(note), "    ", "      ") for note in result["notes"])
    return "\n".join(lines) + "\n"
