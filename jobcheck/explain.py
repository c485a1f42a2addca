"""``jobcheck explain``: say in plain words what a cron schedule (or a CronJob) does in Kubernetes.

Library functions build plain dicts (the JSON output) and ``render_text`` formats them;
``explain_command_impl`` is what the click command calls. Every user-visible string is
available in English and Korean (``MESSAGES``).
"""

from __future__ import annotations

import json
import os
import unicodedata
from datetime import datetime, timezone, tzinfo
from typing import Any

from jobcheck.cron import k8s_schedule_errors, parse, timezone_error
from jobcheck.cron.analysis import controller_zone, dst_effects, first_runs, shortest_interval
from jobcheck.cron.describe import FIELD_NAMES, LANGS, describe, describe_duration, describe_fields
from jobcheck.cron.schedule import Schedule

MESSAGES: dict[str, dict[str, str]] = {
    "day-or": {
        "en": "Day-of-month ({dom}) and day-of-week ({dow}) are both restricted, so a day matching EITHER "
              "fires (OR), not only days matching both.",
        "ko": "일({dom})과 요일({dow})이 모두 지정되어 있어 둘 중 하나만 맞아도(OR) 실행됩니다. "
              "둘 다 맞는 날에만 실행되는 것이 아닙니다.",
    },
    "dst-skip": {
        "en": "On {date} clocks spring forward in {zone}: {times} does not exist, so that run is skipped.",
        "ko": "{date}에 {zone}에서 서머타임이 시작되어 {times}이(가) 존재하지 않으므로 그 실행은 건너뜁니다.",
    },
    "dst-repeat": {
        "en": "On {date} clocks fall back in {zone}: {times} happens twice, so the schedule runs twice.",
        "ko": "{date}에 {zone}에서 서머타임이 끝나 {times}이(가) 두 번 오므로 두 번 실행됩니다.",
    },
    "never-fires": {
        "en": "No fire time within five years: the CronJob controller reports InvalidSchedule and never "
              "creates a Job.",
        "ko": "5년 안에 실행 시각이 없습니다. CronJob 컨트롤러는 InvalidSchedule을 보고하고 Job을 만들지 않습니다.",
    },
    "every-minute": {
        "en": "Fires every minute, the most often a CronJob can run.",
        "ko": "매분 실행됩니다. CronJob이 실행될 수 있는 가장 잦은 주기입니다.",
    },
    "empty-items": {
        "en": "A field has an empty list item (\"1,,2\" or a lone \",\"); Kubernetes silently ignores it.",
        "ko": "필드에 빈 목록 항목(\"1,,2\" 또는 \",\"만 있음)이 있습니다. Kubernetes는 이를 조용히 무시합니다.",
    },
    "every-sub-minute": {
        "en": "@every {every} is shorter than a minute, but Job names carry the scheduled minute: runs within "
              "the same minute collide (AlreadyExists) and are lost.",
        "ko": "@every {every}는 1분보다 짧지만 Job 이름에는 예정된 분이 들어가므로 같은 분 안의 실행은 "
              "이름이 충돌(AlreadyExists)하여 사라집니다.",
    },
    "every-relative": {
        "en": "@every counts from the previous scheduled time, not from the clock: runs are not aligned to "
              "whole minutes or hours.",
        "ko": "@every는 시계가 아니라 직전 예정 시각부터 셉니다. 실행이 정각이나 정분에 맞춰지지 않습니다.",
    },
    "hang-stop": {
        "en": "Stopped computing: Kubernetes' cron library never returns here (a whole day is missing from "
              "{zone}), so the controller would hang on this schedule.",
        "ko": "계산을 중단했습니다. 이 시점에서 Kubernetes의 cron 라이브러리는 끝나지 않습니다({zone}에서 하루가 "
              "통째로 없음). 컨트롤러가 이 스케줄에서 멈춥니다.",
    },
    "step-single": {
        "en": "\"{item}\" matches only {value}: the step is larger than the field's range.",
        "ko": "\"{item}\"은(는) {value}에만 일치합니다. 간격이 필드 범위보다 큽니다.",
    },
}

LABELS = {
    "en": {"expression": "Expression", "timezone": "Time zone", "meaning": "Meaning", "fields": "Fields",
           "next": "Next runs", "warnings": "Warnings", "invalid": "Invalid schedule", "none": "(none)",
           "never": "never (no fire time within five years)", "stopped": "(stopped: see warnings)",
           "name": "CronJob", "policy": "Run policy", "tz_invalid": "Invalid time zone",
           "zone_note": "timeZone is not set: the schedule follows kube-controller-manager's local time "
                        "zone (shown here in {zone})"},
    "ko": {"expression": "표현식", "timezone": "시간대", "meaning": "의미", "fields": "필드",
           "next": "다음 실행", "warnings": "경고", "invalid": "잘못된 스케줄", "none": "(없음)",
           "never": "실행 안 됨(5년 안에 실행 시각 없음)", "stopped": "(계산 중단: 경고 참고)",
           "name": "CronJob", "policy": "실행 정책", "tz_invalid": "잘못된 시간대",
           "zone_note": "timeZone이 설정되지 않아 스케줄은 kube-controller-manager의 로컬 시간대를 "
                        "따릅니다(여기서는 {zone} 기준으로 표시)"},
}


def _msg(code: str, lang: str, **values: Any) -> dict:
    return {"code": code, "message": MESSAGES[code][lang].format(**values)}


def _parse_start(start: datetime | str | None) -> datetime:
    if start is None:
        return datetime.now(timezone.utc).replace(microsecond=0)
    if isinstance(start, str):
        start = datetime.fromisoformat(start.strip().replace("Z", "+00:00"))
    return start if start.tzinfo else start.replace(tzinfo=timezone.utc)


def _iso(dt: datetime) -> str:
    return dt.isoformat()


def _utc(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def _warnings(sched: Schedule, zone: tzinfo, zone_name: str, start: datetime, lang: str) -> list[dict]:
    out: list[dict] = []
    if sched.every is not None:
        if sched.every < 60:
            out.append(_msg("every-sub-minute", lang, every=sched.expression.split(" ", 1)[1]))
        out.append(_msg("every-relative", lang))
        return out
    if sched.day_or:
        out.append(_msg("day-or", lang, dom=sched.field("dom").text, dow=sched.field("dow").text))
    if sched.fires_every_minute:
        out.append(_msg("every-minute", lang))
    if sched.empty_items:
        out.append(_msg("empty-items", lang))
    for f in sched.fields:
        for item in f.text.split(","):
            if "/" in item and len(f.values) == 1 and sched.descriptor is None:
                out.append(_msg("step-single", lang, item=item, value=f.values[0]))
                break
    for effect in dst_effects(sched, zone, start):
        code = "dst-skip" if effect.kind == "skipped" else "dst-repeat"
        out.append(_msg(code, lang, date=effect.local_date, zone=zone_name, times=effect.times))
    return out


def explain_expression(
    expr: str,
    tz_name: str | None = "UTC",
    start: datetime | str | None = None,
    count: int = 5,
    lang: str = "en",
) -> dict:
    """Explain one schedule: validity, description, per-field breakdown, next runs and warnings.

    Keys: expression, valid, error ({message, start, end} or None), errors (all of them),
    timezone, timezone_error, description, normalized, fields, next ([{local, utc}]),
    never, stopped, warnings ([{code, message}]).
    """
    if lang not in LANGS:
        raise ValueError(f"unsupported language {lang!r}; choose one of {', '.join(LANGS)}")
    tz_name = tz_name or "UTC"
    begin = _parse_start(start)
    errors = k8s_schedule_errors(expr)
    tz_err = timezone_error(tz_name)
    result: dict[str, Any] = {
        "expression": expr,
        "valid": not errors and tz_err is None,
        "error": errors[0].as_dict() if errors else None,
        "errors": [e.as_dict() for e in errors],
        "timezone": tz_name,
        "timezone_error": tz_err,
        "start": begin.isoformat(),
        "description": None,
        "normalized": None,
        "fields": [],
        "next": [],
        "never": False,
        "stopped": False,
        "warnings": [],
    }
    try:
        sched = parse(expr)
    except ValueError:
        return result
    zone, _ = controller_zone(tz_name)
    result["description"] = describe(sched, lang)
    result["normalized"] = sched.normalized
    result["fields"] = describe_fields(sched, lang)
    runs = first_runs(sched, zone, begin, max(0, count))
    result["next"] = [{"local": _iso(t), "utc": _utc(t)} for t in runs.times]
    result["never"] = runs.never
    result["stopped"] = runs.stopped
    warnings = _warnings(sched, zone, tz_name, begin, lang)
    if runs.never:
        warnings.insert(0, _msg("never-fires", lang))
    if runs.stopped:
        warnings.insert(0, _msg("hang-stop", lang, zone=tz_name))
    result["warnings"] = warnings
    return result


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def caret_line(expr: str, start: int, end: int) -> str:
    """Spaces then carets under expr[start:end] (at least one caret), wide characters counted twice."""
    pad = " " * _display_width(expr[:start].replace("\t", " "))
    return pad + "^" * max(1, _display_width(expr[start:end]))


def render_text(result: dict, lang: str = "en") -> str:
    """Human-readable rendering of ``explain_expression`` or ``explain_workload`` output."""
    if "schedule_explanation" in result:
        return _render_workload(result, lang)
    lab = LABELS[lang]
    expr = result["expression"]
    lines = []
    for err in result["errors"]:
        lines.append(f"{lab['invalid']}: {err['message']}")
        lines.append(f"  {expr}")
        lines.append(f"  {caret_line(expr, err['start'], err['end'])}")
    if result.get("timezone_error"):
        lines.append(f"{lab['tz_invalid']}: {result['timezone_error']}")
    if result["description"] is None:
        return "\n".join(lines) + "\n"
    if not result["errors"]:
        lines.append(f"{lab['expression']}: {expr}")
    lines.append(f"{lab['timezone']}: {result['timezone']}")
    lines.append(f"{lab['meaning']}: {result['description']}")
    if result["fields"]:
        lines.append(f"{lab['fields']}:")
        width = max(len(f["text"]) for f in result["fields"])
        for f in result["fields"]:
            name = FIELD_NAMES[lang][f["field"]]
            name += " " * (13 - _display_width(name))
            lines.append(f"  {name} {f['text']:<{width}}  {f['description']}")
    lines.append(f"{lab['next']}:")
    for t in result["next"]:
        lines.append(f"  {t['local']}  ({t['utc']})")
    if result["never"]:
        lines.append(f"  {lab['never']}")
    if result["stopped"]:
        lines.append(f"  {lab['stopped']}")
    if result["warnings"]:
        lines.append(f"{lab['warnings']}:")
        for w in result["warnings"]:
            lines.append(f"  [{w['code']}] {w['message']}")
    return "\n".join(lines) + "\n"


POLICY_NOTES: dict[str, dict[str, str]] = {
    "interval": {"en": "Runs at most every {interval}.", "ko": "실행 간격은 최소 {interval}입니다."},
    "Allow": {
        "en": "With concurrencyPolicy Allow{default}, a run longer than {interval} overlaps the next one.",
        "ko": "concurrencyPolicy가 Allow{default}이므로 {interval}보다 오래 걸리는 실행은 다음 실행과 겹칩니다.",
    },
    "Forbid": {
        "en": "With concurrencyPolicy Forbid, while a run is still active the next one is skipped "
              "(a run longer than {interval} makes the next run be skipped).",
        "ko": "concurrencyPolicy가 Forbid이므로 실행 중인 Job이 있으면 다음 실행은 건너뜁니다"
              "({interval}보다 오래 걸리면 다음 실행이 빠집니다).",
    },
    "Replace": {
        "en": "With concurrencyPolicy Replace, a run longer than {interval} is stopped when the next one starts.",
        "ko": "concurrencyPolicy가 Replace이므로 {interval}보다 오래 걸리는 실행은 다음 실행이 시작될 때 중단됩니다.",
    },
    "deadline": {
        "en": "Each run is stopped after {deadline} (activeDeadlineSeconds).",
        "ko": "각 실행은 {deadline} 후에 중단됩니다(activeDeadlineSeconds).",
    },
    "deadline-overlap": {
        "en": "activeDeadlineSeconds ({deadline}) is longer than the {interval} between runs, so runs can "
              "still be active when the next one is due.",
        "ko": "activeDeadlineSeconds({deadline})가 실행 간격 {interval}보다 길어 다음 실행 시각에도 이전 실행이 "
              "남아 있을 수 있습니다.",
    },
    "no-starting-deadline": {
        "en": "No startingDeadlineSeconds: after a controller outage or a suspension, the most recent missed "
              "run starts immediately, however late.",
        "ko": "startingDeadlineSeconds가 없어 컨트롤러 장애나 일시 중지 뒤에는 가장 최근에 놓친 실행이 "
              "얼마나 늦었든 즉시 시작됩니다.",
    },
    "starting-deadline": {
        "en": "A run that cannot start within {seconds} seconds of its scheduled time is skipped.",
        "ko": "예정 시각부터 {seconds}초 안에 시작하지 못한 실행은 건너뜁니다.",
    },
    "starting-deadline-zero": {
        "en": "startingDeadlineSeconds is 0: every run is already late, so the CronJob practically never runs.",
        "ko": "startingDeadlineSeconds가 0이므로 모든 실행이 이미 늦은 것으로 처리되어 사실상 실행되지 않습니다.",
    },
    "suspended": {
        "en": "Suspended: no Jobs are created until spec.suspend is false.",
        "ko": "일시 중지됨: spec.suspend가 false가 될 때까지 Job을 만들지 않습니다.",
    },
}


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def explain_workload(
    workload: Any,
    default_timezone: str | None = None,
    start: datetime | str | None = None,
    count: int = 5,
    lang: str = "en",
) -> dict:
    """Explain a CronJob (``jobcheck.kube.objects.Workload``): its schedule read together with its run policy.

    Without spec.timeZone the schedule follows kube-controller-manager's zone, which is not
    in the manifest; times are then shown in ``default_timezone`` (UTC by default) with a note.
    """
    spec = workload.cronjob_spec or {}
    schedule = spec.get("schedule")
    tz_value = spec.get("timeZone")
    tz_name = tz_value if isinstance(tz_value, str) else None
    shown_zone = tz_name if tz_name is not None else (default_timezone or "UTC")
    begin = _parse_start(start)
    expr = schedule if isinstance(schedule, str) else ("" if schedule is None else str(schedule))
    explanation = explain_expression(expr, shown_zone, begin, count, lang)
    policy_value = spec.get("concurrencyPolicy")
    policy = policy_value if policy_value in ("Allow", "Forbid", "Replace") else "Allow"
    sds = _int(spec.get("startingDeadlineSeconds"))
    deadline = _int(workload.job_spec.get("activeDeadlineSeconds"))
    notes: list[str] = []
    interval = None
    if explanation["valid"] and explanation["description"] is not None:
        sched = parse(expr)
        interval = shortest_interval(sched, controller_zone(shown_zone)[0], begin)
    if interval:
        span = describe_duration(interval, lang)
        notes.append(POLICY_NOTES["interval"][lang].format(interval=span))
        default = "" if policy_value == "Allow" else (" (default)" if lang == "en" else "(기본값)")
        notes.append(POLICY_NOTES[policy][lang].format(interval=span, default=default if policy == "Allow" else ""))
        if deadline is not None:
            notes.append(POLICY_NOTES["deadline"][lang].format(deadline=describe_duration(deadline, lang)))
            if deadline > interval:
                notes.append(POLICY_NOTES["deadline-overlap"][lang].format(
                    deadline=describe_duration(deadline, lang), interval=span))
    if sds is None:
        notes.append(POLICY_NOTES["no-starting-deadline"][lang])
    elif sds == 0:
        notes.append(POLICY_NOTES["starting-deadline-zero"][lang])
    elif sds > 0:
        notes.append(POLICY_NOTES["starting-deadline"][lang].format(seconds=sds))
    if spec.get("suspend") is True:
        notes.append(POLICY_NOTES["suspended"][lang])
    return {
        "kind": workload.kind,
        "name": workload.name,
        "namespace": workload.namespace,
        "schedule": schedule,
        "timeZone": tz_value,
        "timezone_note": None if tz_name is not None else LABELS[lang]["zone_note"].format(zone=shown_zone),
        "policy": {
            "concurrencyPolicy": policy_value,
            "effectiveConcurrencyPolicy": policy,
            "startingDeadlineSeconds": spec.get("startingDeadlineSeconds"),
            "activeDeadlineSeconds": workload.job_spec.get("activeDeadlineSeconds"),
            "suspend": spec.get("suspend"),
        },
        "shortest_interval_seconds": interval,
        "notes": notes,
        "schedule_explanation": explanation,
    }


def _render_workload(result: dict, lang: str) -> str:
    lab = LABELS[lang]
    ns = f"{result['namespace']}/" if result["namespace"] else ""
    lines = [f"{lab['name']} {ns}{result['name'] or '?'}"]
    if result["timezone_note"]:
        lines.append(f"  {result['timezone_note']}")
    body = render_text(result["schedule_explanation"], lang)
    lines.extend("  " + line for line in body.rstrip("\n").split("\n"))
    if result["notes"]:
        lines.append(f"  {lab['policy']}:")
        lines.extend(f"    {note}" for note in result["notes"])
    return "\n".join(lines) + "\n"


def _load_workloads(path: str) -> list:
    from jobcheck.kube.objects import iter_workloads
    from jobcheck.yaml.loader import decode, load_text

    raw = open(path, "rb").read() if path != "-" else __import__("sys").stdin.buffer.read()
    text, problem = decode(raw)
    if text is None:
        raise OSError(problem.message if problem else "cannot decode file")
    found = []
    for doc in load_text(text):
        found.extend(w for w in iter_workloads(doc.data) if w.kind == "CronJob")
    return found


def explain_command_impl(
    args: list[str],
    timezone: str | None = None,  # noqa: A002 - mirrors the --timezone option
    start: str | datetime | None = None,
    count: int = 5,
    lang: str = "en",
    fmt: str = "text",
) -> tuple[str, int]:
    """Run ``jobcheck explain``; return (output, exit code).

    ``args`` are either files (all existing paths, or ``-`` for stdin: every CronJob in them is
    explained) or the words of one expression (joined with spaces, so an unquoted
    ``0 2 * * 1-5`` works). Exit codes: 0 all valid, 1 an invalid schedule or time zone,
    2 usage or I/O errors (bad --start, unknown language or format, unreadable file).
    """
    if lang not in LANGS or fmt not in ("text", "json"):
        return f"error: unsupported language {lang!r} or format {fmt!r}\n", 2
    try:
        begin = _parse_start(start)
    except ValueError:
        return f"error: --start {start!r} is not an ISO 8601 time\n", 2
    if not args:
        return "error: give a cron expression or a manifest file\n", 2
    if all(a == "-" or os.path.isfile(a) for a in args):
        results = []
        for path in args:
            try:
                workloads = _load_workloads(path)
            except OSError as exc:
                return f"error: cannot read {path}: {exc}\n", 2
            for w in workloads:
                item = explain_workload(w, default_timezone=timezone, start=begin, count=count, lang=lang)
                item["file"] = path
                results.append(item)
        ok = all(r["schedule_explanation"]["valid"] for r in results)
        if fmt == "json":
            return json.dumps(results, ensure_ascii=False, indent=2) + "\n", 0 if ok else 1
        text = "\n".join(render_text(r, lang) for r in results)
        return text or "no CronJob found\n", 0 if ok else 1
    result = explain_expression(" ".join(args), timezone or "UTC", begin, count, lang)
    code = 0 if result["valid"] else 1
    if fmt == "json":
        return json.dumps(result, ensure_ascii=False, indent=2) + "\n", code
    return render_text(result, lang), code


__all__ = [
    "MESSAGES",
    "caret_line",
    "explain_command_impl",
    "explain_expression",
    "explain_workload",
    "render_text",
]
