"""Build the explanations: plain dicts, the JSON output, that ``render`` turns into text."""

from __future__ import annotations

import json
from datetime import datetime, timezone, tzinfo
from typing import Any

from jobcheck.cron import TZ_IN_SCHEDULE, CronError, k8s_schedule_errors, parse, timezone_error
from jobcheck.cron.analysis import (
    controller_zone,
    first_runs,
    schedule_facts,
    shortest_interval,
    uneven_steps,
)
from jobcheck.cron.describe import (
    FIELD_NAMES,
    LANGS,
    describe,
    describe_duration,
    describe_fields,
    field_phrase,
)
from jobcheck.cron.schedule import MAX_INSTANT, MIN_INSTANT, Schedule
from jobcheck.explain.hints import syntax_hints
from jobcheck.explain.messages import LABELS, MONTH_NOTE, POLICY_NOTES, message
from jobcheck.kube.objects import Workload
from jobcheck.kube.values import as_int


def parse_start(start: datetime | str | None) -> datetime:
    """Return the instant to look ahead from (``--from``).

    ``start`` is ISO 8601 text or a datetime, naive meaning UTC; None is the current second.
    Raises ValueError for text that is not ISO 8601, and for an instant outside
    ``[MIN_INSTANT, MAX_INSTANT]`` (0001-01-02 to 9999-12-30 UTC), the instants whose fire
    times can be shown in every zone.
    """
    if start is None:
        return datetime.now(timezone.utc).replace(microsecond=0)
    if isinstance(start, str):
        start = datetime.fromisoformat(start.strip().replace("Z", "+00:00"))
    start = start if start.tzinfo else start.replace(tzinfo=timezone.utc)
    if not MIN_INSTANT <= start <= MAX_INSTANT:
        raise ValueError(f"the start must lie between {_utc(MIN_INSTANT)} and {_utc(MAX_INSTANT)}")
    return start


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _int64(value: object) -> tuple[int | None, bool]:
    """(the integer, whether it is out of the int64 range the API server decodes); (None, False) if not an integer."""
    number = as_int(value)
    if number is None:
        return None, False
    if -(1 << 63) <= number < 1 << 63:
        return number, False
    return None, True


def _iso(dt: datetime) -> str:
    return dt.isoformat()


def _utc(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


_UNITS = {"minute": ("minute", "분", "hour", "시간"), "hour": ("hour", "시간", "day", "하루"),
          "dom": ("day", "일", "month", "달"),
          "month": ("month", "개월", "year", "해"), "dow": ("day", "일", "week", "주")}


def _warnings(sched: Schedule, zone: tzinfo, zone_name: str, named: str | None, start: datetime,
              lang: str) -> list[dict]:
    """The warnings about ``sched``: the facts lint reports too (``rule`` set), then explain's own notes.

    ``named`` is the zone name lint would see (a CronJob's timeZone or the schedule's prefix),
    None for the controller's unnamed zone: DST warnings follow JC311 and need it.
    """
    out: list[dict] = []
    for fact in schedule_facts(sched, zone, named, start):
        out.append(message(fact.code, lang, fact.rule, zone=zone_name, **dict(fact.values)))
    if sched.every is not None:
        out.append(message("every-relative", lang))
        return out
    if sched.fires_every_minute:
        out.append(message("every-minute", lang))
    if sched.empty_items:
        out.append(message("empty-items", lang))
    for f in sched.fields:
        for item in f.text.split(","):
            if "/" in item and len(f.values) == 1 and sched.descriptor is None:
                out.append(message("step-single", lang, item=item, value=f.values[0]))
                break
    for step in uneven_steps(sched):
        unit, unit_ko, cycle, cycle_ko = _UNITS[step.field]
        out.append(message(
            "uneven-step", lang, item=step.item, field=FIELD_NAMES[lang][step.field],
            values=_values_text(step.field, step.values, lang), step=step.step, wrap=step.wrap_gap,
            step_unit=unit + ("s" if step.step != 1 else ""), wrap_unit=unit + ("s" if step.wrap_gap != 1 else ""),
            unit_ko=unit_ko, cycle=cycle, cycle_ko=cycle_ko,
            note=MONTH_NOTE[lang] if step.field == "dom" else ""))
    return out


def _values_text(field: str, values: tuple[int, ...], lang: str) -> str:
    """The values a step matches, named ("January, June and November"), or elided when many."""
    if len(values) <= 6:
        return field_phrase(field, list(values), lang)
    return f"{values[0]}, {values[1]}, {values[2]}, ..., {values[-1]}"


def _go_quote(value: str) -> str:
    """A string as Go's %q shows it in the API server's messages."""
    return json.dumps(value, ensure_ascii=False)


def _run(t: datetime, previous: datetime | None) -> dict:
    gap = None if previous is None else int((t - previous).total_seconds())
    return {"local": _iso(t), "utc": _utc(t), "weekday": t.strftime("%a"), "gap_seconds": gap}


def explain_expression(
    expr: str,
    tz_name: str | None = "UTC",
    start: datetime | str | None = None,
    count: int = 5,
    lang: str = "en",
    zone_source: str = "option",
) -> dict:
    """Explain one schedule: validity, description, per-field breakdown, next runs and warnings.

    Keys: expression, valid, error ({message, start, end} or None; a time zone the API
    server refuses sets it too, with ``field`` "timeZone"), errors (all of the schedule's),
    api_errors (every refusal worded as the API server reports it), hints (what another
    cron's syntax means in Kubernetes), timezone (the zone the runs are computed and shown
    in), timezone_source ("schedule": a TZ=/CRON_TZ= prefix; "timeZone": the CronJob's
    field; "option": --timezone; "controller": no zone given, the controller's default UTC),
    timezone_error, description, normalized, fields, next ([{local, utc, weekday,
    gap_seconds}]), never, stopped, beyond (the next run falls after MAX_INSTANT: not shown),
    warnings ([{code, message, rule}]: ``rule`` is the lint rule reporting the same fact).
    ``tz_name`` None means the controller's default, UTC. Raises ValueError for a language
    or start instant it cannot use.
    """
    if lang not in LANGS:
        raise ValueError(f"unsupported language {lang!r}; choose one of {', '.join(LANGS)}")
    if tz_name is None:
        tz_name, zone_source = "UTC", "controller"
    begin = parse_start(start)
    if isinstance(expr, str):
        errors = k8s_schedule_errors(expr)
    else:  # a manifest's schedule of another type: the API server cannot decode it into a string
        errors = [CronError(f"schedule must be a string, not {_kind(expr)}", 0, 0)]
        expr = ""
    tz_err = timezone_error(tz_name)
    api_errors = [f"spec.schedule: Invalid value: {_go_quote(expr)}: {e.message}" for e in errors]
    if tz_err is not None:
        where = "--timezone" if zone_source == "option" else "spec.timeZone"
        api_errors.append(f"{where}: Invalid value: {_go_quote(tz_name)}: {tz_err}")
    error = errors[0].as_dict() if errors else None
    if error is None and tz_err is not None:
        error = {"message": tz_err, "start": 0, "end": 0, "field": "timeZone"}
    result: dict[str, Any] = {
        "expression": expr,
        "valid": not errors and tz_err is None,
        "error": error,
        "errors": [e.as_dict() for e in errors],
        "api_errors": api_errors,
        "hints": [],
        "timezone": tz_name,
        "timezone_source": zone_source,
        "timezone_error": tz_err,
        "start": begin.isoformat(),
        "description": None,
        "normalized": None,
        "fields": [],
        "next": [],
        "never": False,
        "stopped": False,
        "beyond": False,
        "warnings": [],
    }
    if errors and errors[0].message != TZ_IN_SCHEDULE:
        result["hints"] = syntax_hints(expr, lang)
        return result  # it does not parse
    sched = parse(expr)
    if sched.location_name is not None:
        # robfig reads a TZ= prefix before anything else (and the controller passes such a
        # schedule through untouched): its zone is the one the runs follow and are shown in.
        tz_name, zone_source = sched.location_name, "schedule"
        result["timezone"], result["timezone_source"] = tz_name, zone_source
        zone = sched.location or timezone.utc
        named: str | None = tz_name
    elif tz_err is not None:
        return result  # no zone to compute the runs in
    else:
        zone, _ = controller_zone(tz_name)
        named = None if zone_source == "controller" else tz_name
    result["description"] = describe(sched, lang)
    result["normalized"] = sched.normalized
    result["fields"] = describe_fields(sched, lang)
    runs = first_runs(sched, zone, begin, max(0, count))
    previous = None
    for t in runs.times:
        result["next"].append(_run(t, previous))
        previous = t
    result["never"] = runs.never
    result["stopped"] = runs.stopped
    result["beyond"] = runs.beyond
    warnings = _warnings(sched, zone, tz_name, named, begin, lang)
    if runs.beyond:
        warnings.insert(0, message("beyond-range", lang, limit=_utc(MAX_INSTANT)))
    if runs.stopped:
        warnings.insert(0, message("hang-stop", lang, zone=tz_name))
    result["warnings"] = warnings
    return result


def explain_workload(
    workload: Workload,
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
    if tz_name is not None:
        source = "timeZone"  # an empty one is refused, as the API server refuses it
    elif default_timezone is not None:
        source = "option"
    else:
        source = "controller"
    shown_zone = tz_name if tz_name is not None else (default_timezone if default_timezone is not None else "UTC")
    begin = parse_start(start)
    expr = "" if schedule is None else schedule
    explanation = explain_expression(expr, shown_zone, begin, count, lang, source)
    policy_value = spec.get("concurrencyPolicy")
    policy = policy_value if policy_value in ("Allow", "Forbid", "Replace") else "Allow"
    sds, sds_range = _int64(spec.get("startingDeadlineSeconds"))
    deadline, deadline_range = _int64(workload.job_spec.get("activeDeadlineSeconds"))
    notes: list[str] = []
    for field, bad in (("startingDeadlineSeconds", sds_range), ("activeDeadlineSeconds", deadline_range)):
        if bad:
            notes.append(POLICY_NOTES["out-of-range"][lang].format(field=field))
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
        if not sds_range:
            notes.append(POLICY_NOTES["no-starting-deadline"][lang])
    elif sds == 0:
        notes.append(POLICY_NOTES["starting-deadline-zero"][lang])
    elif sds > 0:
        notes.append(POLICY_NOTES["starting-deadline"][lang].format(seconds=sds))
    if spec.get("suspend") is True:
        notes.append(POLICY_NOTES["suspended"][lang])
    return {
        "kind": workload.kind,
        "name": workload.shown_name,
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
