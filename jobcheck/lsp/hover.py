"""What a hover shows: a CronJob's schedule explained, its time zone's offset and next change,
or the documentation of the rules reported where the cursor is. Markdown text, or None."""

from __future__ import annotations

from datetime import datetime, timezone

from jobcheck.cron.dst import offset_changes
from jobcheck.cron.timezone import timezone_error, zone_for
from jobcheck.explain.build import explain_workload
from jobcheck.explain.render import render_text
from jobcheck.explain.safe import visible
from jobcheck.finding import Finding
from jobcheck.kube.objects import Workload, iter_objects
from jobcheck.lint.ruledocs import rule_text
from jobcheck.rulemeta import Rule
from jobcheck.yaml.loader import load_text

DST_LOOKAHEAD_DAYS = 400  # a year and a bit: every zone that observes DST changes within it


def _fence(text: str) -> str:
    return "```text\n" + text.rstrip("\n").replace("```", "`\u200b``") + "\n```"


def _inside(marks: tuple, line: int, col: int) -> bool:
    """Whether 0-based (line, code-point col) lies in the 0-based span ``marks`` (end included)."""
    start, end = (marks[0], marks[1]), (marks[2], marks[3])
    return start <= (line, col) <= end


def cronjob_field_at(text: str, line: int, col: int) -> tuple[Workload, str] | None:
    """The CronJob and the field (``schedule`` or ``timeZone``) whose key or value is at 0-based
    (``line``, ``col``), col in code points."""
    for doc in load_text(text):
        for obj, prefix in iter_objects(doc.data):
            if obj.get("kind") != "CronJob" or not isinstance(obj.get("spec"), dict):
                continue
            spec = obj["spec"]
            table = doc.positions.tables.get(id(spec))
            if not table:
                continue
            for name in ("schedule", "timeZone"):
                marks = table.get(name)
                if marks and (_inside(marks[:4], line, col) or _inside(marks[4:], line, col)):
                    return Workload("CronJob", obj, prefix), name
    return None


def schedule_hover(workload: Workload, now: datetime | None = None) -> str:
    """The schedule explained as ``jobcheck explain`` explains the CronJob (in its timeZone)."""
    result = explain_workload(workload, start=now)
    return "**jobcheck: schedule**\n\n" + _fence(render_text(result))


def timezone_hover(name: object, now: datetime | None = None) -> str:
    """The zone's current UTC offset and its next offset change (DST), from the bundled database."""
    if not isinstance(name, str):
        return "**jobcheck: timeZone**\n\ntimeZone must be a string"
    error = timezone_error(name)
    if error:
        return f"**jobcheck: timeZone** `{visible(name)}`\n\n{visible(error)}"
    zone = zone_for(name)
    now = (now or datetime.now(timezone.utc)).replace(microsecond=0)
    offset = now.astimezone(zone).utcoffset()
    lines = [f"**jobcheck: timeZone** `{visible(name)}`", "",
             f"- now: {now.astimezone(zone).isoformat()} (UTC{_offset(offset)})"]
    changes = offset_changes(zone, now, DST_LOOKAHEAD_DAYS)
    if changes:
        instant, before, after = changes[0]
        lines.append(f"- next change: {instant.astimezone(zone).isoformat()} "
                     f"({instant.isoformat().replace('+00:00', 'Z')}): UTC{_offset(before)} → UTC{_offset(after)}")
    else:
        lines.append(f"- no offset change in the next {DST_LOOKAHEAD_DAYS} days")
    return "\n".join(lines)


def _offset(delta) -> str:
    seconds = int(delta.total_seconds())
    sign = "-" if seconds < 0 else "+"
    seconds = abs(seconds)
    text = f"{sign}{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"
    return text + (f":{seconds % 60:02d}" if seconds % 60 else "")


def findings_hover(findings: list[Finding], rules: dict[str, Rule]) -> str | None:
    """The documentation of each rule among ``findings`` (once per rule)."""
    parts, seen = [], set()
    for f in findings:
        if f.rule in seen:
            continue
        seen.add(f.rule)
        rule = rules.get(f.rule)
        if rule is None:
            continue
        parts.append(f"**{rule.id} {rule.name}**: {visible(f.message)}\n\n" + _fence(rule_text(rule))
                     + f"\n\n[{rule.id} documentation]({rule.help_uri})")
    return "\n\n---\n\n".join(parts) or None
