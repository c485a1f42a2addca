"""Schedule checks (JC301-JC311, JC313): the CronJob's schedule, time zone and run policy read together.

Every check reads ``spec.schedule`` through :mod:`jobcheck.cron`, which reproduces the
parser and ``Next`` Kubernetes uses, so what is reported is what the API server and the
CronJob controller would do. The facts (intervals, DST effects, next runs) come from
:mod:`jobcheck.cron.analysis`; this module only takes them out of the Workload and words
them. Values of unexpected types are left to the schema layer. The cron package is imported
inside the checks, past their CronJob guards: a run over Jobs only never loads it (start-up).

Checks that look into the future start from the workload's ``now`` (the current minute
unless the run fixes it), so results are reproducible in tests.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from datetime import datetime, tzinfo

from jobcheck.finding import Hit
from jobcheck.kube.objects import Workload
from jobcheck.lint.checks import as_int, as_map, as_str

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up, issue 13)
if TYPE_CHECKING:
    from types import ModuleType

    from jobcheck.cron.schedule import Schedule


def _q(value: str) -> str:
    """Quote a value for a message the way Kubernetes does (double quotes, escapes)."""
    return json.dumps(value, ensure_ascii=False)


def _schedule_text(w: Workload) -> str | None:
    spec = w.cronjob_spec
    return as_str(spec.get("schedule")) if spec is not None else None


_modules: dict[str, ModuleType] = {}


def _cron(name: str = "analysis") -> ModuleType:
    """``jobcheck.cron.<name>``, imported on the first CronJob. Kept here rather than imported
    in each check: a dozen checks ask for every CronJob, and an import statement costs more
    than the cached answer it fetches (issue 13)."""
    module = _modules.get(name)
    if module is None:
        module = _modules[name] = importlib.import_module(f"jobcheck.cron.{name}")
    return module


def workload_schedule(w: Workload) -> Schedule | None:
    """The schedule when the API server would accept it (no TZ, parses), else None; kept in the
    workload's memo, since every schedule check asks."""
    memo = w.memo
    if "schedule" in memo:
        return memo["schedule"]
    text = _schedule_text(w)
    # A Job has no schedule: accepted_schedule is not asked, and the cron package not imported.
    sched = memo["schedule"] = _cron().accepted_schedule(text) if text else None
    return sched


def workload_zone(w: Workload) -> tuple[tzinfo, str | None]:
    """The zone the controller uses and its name (UTC and None when timeZone is unset or invalid)."""
    memo = w.memo
    if "zone" in memo:
        return memo["zone"]
    zone = memo["zone"] = _cron().controller_zone(as_str(as_map(w.cronjob_spec).get("timeZone")))
    return zone


def _schedule_path(w: Workload) -> tuple:
    return w.cronjob_spec_path + ("schedule",)


def _fact_codes(w: Workload, sched: Schedule, now: datetime | None) -> set[str]:
    """The codes of ``cron.analysis.schedule_facts``: the source explain shares with these rules.

    Callers pass ``w.now`` themselves: the result cache finds the rules that read the clock
    by that name in their check's code (``cache.clock_rules``).
    """
    cron = _cron()
    zone, name = workload_zone(w)
    return {fact.code for fact in cron.schedule_facts(sched, zone, name, cron.reference_minute(now))}


def invalid_schedule(w: Workload, params: dict) -> Iterator[Hit]:
    """JC301: the parser Kubernetes uses rejects spec.schedule (span: the offending field)."""
    text = _schedule_text(w)
    if text is None:
        return
    if text == "":
        yield Hit(_schedule_path(w), "schedule is empty: the API server requires a cron expression")
        return
    parse = _cron("parse")
    for err in parse.k8s_schedule_errors(text):
        if err.message == parse.TZ_IN_SCHEDULE:
            continue  # JC302
        yield Hit(
            _schedule_path(w),
            f"schedule {_q(text)} is rejected: {err.message}",
            span=(err.start, err.end),
        )


def tz_in_schedule(w: Workload, params: dict) -> Iterator[Hit]:
    """JC302: TZ=/CRON_TZ= (any ``TZ``) inside spec.schedule, rejected on create since 1.27."""
    text = _schedule_text(w)
    if not text:
        return
    parse = _cron("parse")
    for err in parse.k8s_schedule_errors(text):
        if err.message == parse.TZ_IN_SCHEDULE:
            yield Hit(
                _schedule_path(w),
                f"schedule {_q(text)} contains TZ: {parse.TZ_IN_SCHEDULE}",
                span=(err.start, err.end),
                fix="Move the zone into spec.timeZone and keep only the five cron fields in spec.schedule.",
            )


def invalid_timezone(w: Workload, params: dict) -> Iterator[Hit]:
    """JC303: spec.timeZone that the API server rejects."""
    spec = w.cronjob_spec
    if spec is None or "timeZone" not in spec:
        return
    name = as_str(spec.get("timeZone"))
    if name is None:
        return  # null is allowed; other types are schema errors
    message = _cron("timezone").timezone_error(name)
    if message:
        yield Hit(w.cronjob_spec_path + ("timeZone",), f"timeZone {_q(name)} is rejected: {message}")


def schedule_never_fires(w: Workload, params: dict) -> Iterator[Hit]:
    """JC304: no fire time within the 5 years robfig searches; the controller reports InvalidSchedule."""
    sched = workload_schedule(w)
    if sched is None:
        return
    if "never-fires" in _fact_codes(w, sched, w.now):
        yield Hit(
            _schedule_path(w),
            f"schedule {_q(sched.expression)} never fires: no matching time within five years, so the "
            f"controller reports InvalidSchedule and never creates a Job",
        )


def missing_timezone(w: Workload, params: dict) -> Iterator[Hit]:
    """JC305: no spec.timeZone, so the schedule follows kube-controller-manager's local zone."""
    spec = w.cronjob_spec
    if spec is None or spec.get("timeZone") is not None:
        return
    sched = workload_schedule(w)
    if sched is not None and _cron().zone_independent(sched):
        return
    yield Hit(
        w.cronjob_spec_path + ("timeZone",),
        "timeZone is not set, so the schedule is read in kube-controller-manager's local time zone",
    )


def concurrency_allow(w: Workload, params: dict) -> Iterator[Hit]:
    """JC306: concurrencyPolicy Allow (or unset, defaulted to Allow): runs may overlap."""
    spec = w.cronjob_spec
    if spec is None:
        return
    path = w.cronjob_spec_path + ("concurrencyPolicy",)
    if "concurrencyPolicy" not in spec or spec.get("concurrencyPolicy") is None:
        yield Hit(
            path,
            "concurrencyPolicy is not set and defaults to Allow: a new run starts even while "
            "the previous one is still running",
        )
    elif spec.get("concurrencyPolicy") == "Allow":
        yield Hit(
            path, "concurrencyPolicy Allow starts a new run even while the previous one is still running"
        )


def missing_starting_deadline(w: Workload, params: dict) -> Iterator[Hit]:
    """JC307: no startingDeadlineSeconds: a missed run starts however late."""
    spec = w.cronjob_spec
    if spec is None or spec.get("startingDeadlineSeconds") is not None:
        return
    yield Hit(
        w.cronjob_spec_path + ("startingDeadlineSeconds",),
        "startingDeadlineSeconds is not set: after a controller outage or a suspension the most recent "
        "missed run starts immediately, however late it is",
    )


def starting_deadline_too_short(w: Workload, params: dict) -> Iterator[Hit]:
    """JC308: startingDeadlineSeconds below the ``min`` parameter; 0 practically never runs."""
    spec = w.cronjob_spec
    if spec is None:
        return
    value = as_int(spec.get("startingDeadlineSeconds"))
    minimum = as_int(params["min"])  # None: a configured min that is not a number compares with nothing
    if value is None or value < 0:
        return
    path = w.cronjob_spec_path + ("startingDeadlineSeconds",)
    if value == 0:
        yield Hit(
            path,
            "startingDeadlineSeconds 0 means every run is already too late: the CronJob "
            "practically never starts a Job",
        )
    elif minimum is not None and value < minimum:
        yield Hit(
            path,
            f"startingDeadlineSeconds {value} is below {minimum}: any controller delay longer "
            f"than that skips the run",
        )


_POLICY_EFFECT = {
    "Allow": "with concurrencyPolicy Allow a run that long overlaps the next one",
    "Forbid": "with concurrencyPolicy Forbid the next run is skipped while one is still active",
    "Replace": "with concurrencyPolicy Replace a long run is stopped when the next one starts, before its deadline",
}


def overlapping_runs(w: Workload, params: dict) -> Iterator[Hit]:
    """JC309: jobTemplate activeDeadlineSeconds longer than the shortest interval between runs.

    Without activeDeadlineSeconds nothing is reported here (JC202 asks for a deadline):
    the run time is then unknown.
    """
    deadline = as_int(w.job_spec.get("activeDeadlineSeconds"))
    sched = workload_schedule(w)
    if deadline is None or deadline <= 0 or sched is None:
        return
    cron = _cron()
    zone, _ = workload_zone(w)
    if deadline <= cron.interval_floor(sched, zone):
        return  # cannot overlap: no need to walk the next runs
    interval = cron.shortest_interval(sched, zone, cron.reference_minute(w.now))
    if interval is None or deadline <= interval:
        return
    from jobcheck.cron.describe import describe_duration

    policy = as_map(w.cronjob_spec).get("concurrencyPolicy")
    effect = _POLICY_EFFECT.get(policy if isinstance(policy, str) else "Allow", _POLICY_EFFECT["Allow"])
    if policy is None:
        effect = "concurrencyPolicy defaults to Allow, so a run that long overlaps the next one"
    yield Hit(
        w.job_spec_path + ("activeDeadlineSeconds",),
        f"activeDeadlineSeconds {deadline} is longer than the {describe_duration(interval)} between runs of "
        f"{_q(sched.expression)}: {effect}",
    )


def day_or_semantics(w: Workload, params: dict) -> Iterator[Hit]:
    """JC310: day-of-month and day-of-week both restricted, so a day matching EITHER fires."""
    sched = workload_schedule(w)
    if sched is None or not sched.day_or or "day-or" not in _fact_codes(w, sched, w.now):
        return
    dom, dow = sched.field("dom"), sched.field("dow")
    cron = _cron()
    zone, _ = workload_zone(w)
    runs = cron.first_runs(sched, zone, cron.reference_minute(w.now), 4)
    dates = ", ".join(t.strftime("%a %Y-%m-%d") for t in runs.times)
    yield Hit(
        _schedule_path(w),
        f"schedule {_q(sched.expression)} fires on day-of-month {_q(dom.text)} OR day-of-week {_q(dow.text)}, "
        f"not only when both match" + (f" (next: {dates})" if dates else ""),
        span=(dom.start, dow.end),
        fix="To run on days matching both, keep one day field as * and filter the other in the job; "
        "to run on either, keep the schedule and say so in a comment.",
        holds_until=runs.times[0] if runs.times else None,  # the next runs read the same until the first
    )


def dst_skipped_or_repeated(w: Workload, params: dict) -> Iterator[Hit]:
    """JC311: with a DST zone in spec.timeZone, a named wall-clock time falls in a gap or an overlap.

    Schedules that fire every hour are not reported (losing or repeating one hourly run
    is what the user asked for); only schedules aimed at particular hours are.
    """
    sched = workload_schedule(w)
    if sched is None:
        return
    zone, name = workload_zone(w)
    cron = _cron()
    if not cron.dst_reportable(sched, name):
        return
    notes = []
    start = cron.reference_minute(w.now)
    for fact in cron.schedule_facts(sched, zone, name, start):
        values = dict(fact.values)
        if fact.code == "dst-skip":
            notes.append(
                f"{values['times']} does not exist on {values['date']} (clocks spring forward), "
                f"so that run is skipped"
            )
        elif fact.code == "dst-repeat":
            notes.append(f"{values['times']} happens twice on {values['date']} (clocks fall back), so it runs twice")
    if not notes:
        return
    hour = sched.field("hour")
    yield Hit(
        _schedule_path(w),
        f"schedule {_q(sched.expression)} in {name}: " + "; ".join(notes),
        span=(hour.start, hour.end),
        holds_until=cron.dst_effects_hold(sched, zone, start),
    )


def every_sub_minute(w: Workload, params: dict) -> Iterator[Hit]:
    """JC313: ``@every`` shorter than a minute: runs within one minute share a Job name and are lost."""
    sched = workload_schedule(w)
    if sched is None or sched.every is None:
        return
    if not _cron().every_sub_minute(sched):  # the fact schedule_facts reports
        return
    yield Hit(
        _schedule_path(w),
        f"schedule {_q(sched.expression)} is shorter than a minute, but Job names carry the scheduled minute: "
        f"a second run within the same minute is refused as AlreadyExists, so at most one Job a minute starts",
        fix="Use @every 1m or longer; if the work must repeat more often, loop inside one Job.",
    )
