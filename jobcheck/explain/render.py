"""Render explanations as text: the labelled layout ``jobcheck explain`` prints.

Every string that comes from a manifest or the command line (expression, zone, names,
messages quoting them) goes through ``safe.visible``: control and bidirectional characters
are shown escaped, never written to the terminal.
"""

from __future__ import annotations

import unicodedata

from jobcheck.cron.describe import FIELD_NAMES
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
        lines.append(f"{lab['invalid']}: {visible(err['message'])}")
        lines.append(f"  {expr}")
        lines.append(f"  {caret_line(raw, err['start'], err['end'])}")
    if result.get("timezone_error"):
        lines.append(f"{lab['tz_invalid']}: {visible(result['timezone_error'])}")
    if result["description"] is None:
        return "\n".join(lines) + "\n"
    if not result["errors"]:
        lines.append(f"{lab['expression']}: {expr}")
    lines.append(f"{lab['timezone']}: {visible(result['timezone'])}")
    lines.append(f"{lab['meaning']}: {result['description']}")
    if result["fields"]:
        lines.append(f"{lab['fields']}:")
        texts = [visible(f["text"]) for f in result["fields"]]
        width = max(len(t) for t in texts)
        for f, text in zip(result["fields"], texts, strict=True):
            name = FIELD_NAMES[lang][f["field"]]
            name += " " * (13 - _display_width(name))
            lines.append(f"  {name} {text:<{width}}  {f['description']}")
    lines.append(f"{lab['next']}:")
    for t in result["next"]:
        lines.append(f"  {t['local']}  ({t['utc']})")
    if result["never"]:
        lines.append(f"  {lab['never']}")
    if result["stopped"]:
        lines.append(f"  {lab['stopped']}")
    if result.get("beyond"):
        lines.append(f"  {lab['beyond']}")
    if result["warnings"]:
        lines.append(f"{lab['warnings']}:")
        for w in result["warnings"]:
            lines.append(f"  [{w['code']}] {visible(w['message'])}")
    return "\n".join(lines) + "\n"


def _render_workload(result: dict, lang: str) -> str:
    lab = LABELS[lang]
    ns = f"{visible(result['namespace'])}/" if result["namespace"] else ""
    lines = [f"{lab['name']} {ns}{visible(result['name']) if result['name'] else '?'}"]
    if result["timezone_note"]:
        lines.append(f"  {visible(result['timezone_note'])}")
    body = render_text(result["schedule_explanation"], lang)
    lines.extend("  " + line for line in body.rstrip("\n").split("\n"))
    if result["notes"]:
        lines.append(f"  {lab['policy']}:")
        lines.extend(f"    {visible(note)}" for note in result["notes"])
    return "\n".join(lines) + "\n"
