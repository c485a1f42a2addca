"""Kubernetes-exact cron: robfig/cron v3 ParseStandard and Next, time zones, descriptions.

Public API::

    parse(expr) -> Schedule                      # raises CronError(message, start, end)
    k8s_schedule_error(expr) -> CronError | None # create-time verdict on spec.schedule
    k8s_schedule_errors(expr) -> list[CronError]
    timezone_error(name) -> str | None           # create-time verdict on spec.timeZone
    load_location(name) -> tzinfo                # Go time.LoadLocation over the bundled tzdata
    Schedule.next(after, tz) / Schedule.next_n(after, tz, n) -> NextRuns
    describe(schedule, lang) / describe_fields(schedule, lang)
    dst_transitions(schedule, tz, start, days=366)
    describe_duration(seconds, lang)

``jobcheck.cron.analysis`` answers what the rules and ``jobcheck explain`` ask of a schedule:
the accepted-schedule verdict, the controller's zone, first runs, shortest interval, DST effects.
Nothing here imports from jobcheck outside ``jobcheck.cron``.
"""

from __future__ import annotations

from jobcheck.cron.parse import TZ_IN_SCHEDULE, CronError, k8s_schedule_error, k8s_schedule_errors, parse
from jobcheck.cron.schedule import STAR, Field, NextRuns, Schedule
from jobcheck.cron.timezone import LocationError, load_location, timezone_error, timezone_errors, zone_for

__all__ = [
    "STAR",
    "TZ_IN_SCHEDULE",
    "CronError",
    "Field",
    "LocationError",
    "NextRuns",
    "Schedule",
    "k8s_schedule_error",
    "k8s_schedule_errors",
    "load_location",
    "parse",
    "timezone_error",
    "timezone_errors",
    "zone_for",
]
