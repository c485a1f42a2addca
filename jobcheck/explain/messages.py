"""Every sentence ``jobcheck explain`` prints, in English and Korean.

``MESSAGES`` are the warnings about a schedule (each with a stable code), ``LABELS`` the
headings of the text rendering, ``POLICY_NOTES`` what a CronJob's run policy does with
its schedule.
"""

from __future__ import annotations

from typing import Any

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
    "beyond-range": {
        "en": "The next run falls after {limit}, the last instant jobcheck computes (Python's calendar ends "
              "in year 9999): no later runs are listed.",
        "ko": "다음 실행 시각이 jobcheck가 계산하는 마지막 시각 {limit} 이후입니다(Python 달력은 9999년에 끝남). "
              "그 뒤의 실행은 표시하지 않습니다.",
    },
    "uneven-step": {
        "en": "\"{item}\" in {field} matches {values}: runs are {step} {step_unit} apart, then {wrap} {wrap_unit} from the "
              "last to the first of the next {cycle}{note} (the step restarts every {cycle}, it does not carry over).",
        "ko": "{field} 필드의 \"{item}\"은(는) {values}에 일치합니다. 실행 간격은 {step}{unit_ko}이지만 마지막 값에서 "
              "다음 {cycle_ko}의 첫 값까지는 {wrap}{unit_ko}입니다(간격은 {cycle_ko}마다 처음부터 다시 셉니다).{note}",
    },
    "step-single": {
        "en": "\"{item}\" matches only {value}: the step is larger than the field's range.",
        "ko": "\"{item}\"은(는) {value}에만 일치합니다. 간격이 필드 범위보다 큽니다.",
    },
}

# The day-of-month gap across the month's end depends on the month: uneven-step counts 31 days.
MONTH_NOTE = {"en": " in a 31-day month, less in shorter ones", "ko": " 31일인 달 기준이며 짧은 달에서는 더 짧습니다."}

LABELS = {
    "en": {"expression": "Expression", "timezone": "Time zone", "meaning": "Meaning", "fields": "Fields",
           "next": "Next runs", "warnings": "Warnings", "invalid": "Invalid schedule", "none": "(none)",
           "never": "never (no fire time within five years)", "stopped": "(stopped: see warnings)",
           "beyond": "(further runs fall after year 9999: see warnings)", "name": "CronJob", "policy": "Run policy", "tz_invalid": "Invalid time zone",
           "zone_note": "timeZone is not set: the schedule follows kube-controller-manager's local time "
                        "zone (shown here in {zone})",
           "controller": "kube-controller-manager's zone; --timezone sets it",
           "option": "kube-controller-manager's zone, from --timezone",
           "from_schedule": "from the schedule's {prefix} prefix",
           "hints": "Hints", "api": "The API server says", "file": "File", "gap": "after"},
    "ko": {"expression": "표현식", "timezone": "시간대", "meaning": "의미", "fields": "필드",
           "next": "다음 실행", "warnings": "경고", "invalid": "잘못된 스케줄", "none": "(없음)",
           "never": "실행 안 됨(5년 안에 실행 시각 없음)", "stopped": "(계산 중단: 경고 참고)",
           "beyond": "(이후 실행은 9999년 이후: 경고 참고)", "name": "CronJob", "policy": "실행 정책", "tz_invalid": "잘못된 시간대",
           "zone_note": "timeZone이 설정되지 않아 스케줄은 kube-controller-manager의 로컬 시간대를 "
                        "따릅니다(여기서는 {zone} 기준으로 표시)",
           "controller": "kube-controller-manager의 시간대, --timezone으로 지정",
           "option": "--timezone으로 지정한 kube-controller-manager의 시간대",
           "from_schedule": "스케줄의 {prefix} 접두사",
           "hints": "도움말", "api": "API 서버 메시지", "file": "파일", "gap": "간격"},
}


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
    "out-of-range": {
        "en": "{field} is outside the 64-bit integer range: the API server rejects the CronJob.",
        "ko": "{field}가 64비트 정수 범위를 벗어나 API 서버가 CronJob을 거부합니다.",
    },
    "suspended": {
        "en": "Suspended: no Jobs are created until spec.suspend is false.",
        "ko": "일시 중지됨: spec.suspend가 false가 될 때까지 Job을 만들지 않습니다.",
    },
}


def message(code: str, lang: str, rule: str | None = None, **values: Any) -> dict:
    """Return the warning ``code`` in ``lang`` as ``{"code", "message", "rule"}``.

    ``rule`` is the lint rule that reports the same fact (None: explain alone says it).
    """
    return {"code": code, "message": MESSAGES[code][lang].format(**values), "rule": rule}


# What other crons' syntax means, and what Kubernetes (robfig/cron's five fields) takes instead.
HINTS: dict[str, dict[str, str]] = {
    "quartz-seconds": {
        "en": "This looks like a Quartz/Spring expression ({count} fields, seconds first). Kubernetes takes "
              "five fields (minute hour day-of-month month day-of-week) and no seconds: try \"{five}\".",
        "ko": "Quartz/Spring 표현식으로 보입니다({count}개 필드, 첫 필드가 초). Kubernetes는 초 없이 다섯 필드"
              "(분 시 일 월 요일)만 받습니다. \"{five}\"을(를) 써 보세요.",
    },
    "quartz-seconds-year": {
        "en": "This looks like a Quartz expression ({count} fields: seconds first, year last). Kubernetes takes "
              "five fields (minute hour day-of-month month day-of-week), no seconds and no year: try \"{five}\".",
        "ko": "Quartz 표현식으로 보입니다({count}개 필드: 첫 필드가 초, 마지막이 연도). Kubernetes는 초와 연도 없이 "
              "다섯 필드(분 시 일 월 요일)만 받습니다. \"{five}\"을(를) 써 보세요.",
    },
    "year-last": {
        "en": "This looks like an expression with a year field last ({count} fields, as AWS EventBridge "
              "writes them). Kubernetes takes five fields and no year: try \"{five}\".",
        "ko": "마지막에 연도 필드가 있는 표현식으로 보입니다({count}개 필드, AWS EventBridge 형식). Kubernetes는 "
              "연도 없이 다섯 필드만 받습니다. \"{five}\"을(를) 써 보세요.",
    },
    "last-dom": {
        "en": "\"{text}\": Kubernetes has no L (last day of the month). Use 28-31 in day-of-month and let the "
              "job exit early unless tomorrow is the 1st (the schedule alone cannot say it).",
        "ko": "\"{text}\": Kubernetes에는 L(그달의 마지막 날)이 없습니다. 일 필드에 28-31을 쓰고, 다음 날이 1일이 "
              "아니면 Job이 바로 끝나게 하세요(스케줄만으로는 표현할 수 없습니다).",
    },
    "last-dow": {
        "en": "\"{text}\": Kubernetes has no L (last weekday of the month). Schedule that weekday alone and let the "
              "job exit early unless the date is in the month's last seven days; do not add 25-31 in "
              "day-of-month: with both day fields set, either one matching fires.",
        "ko": "\"{text}\": Kubernetes에는 L(그달의 마지막 요일)이 없습니다. 그 요일만 스케줄하고 날짜가 그달 마지막 "
              "7일 안이 아니면 Job이 바로 끝나게 하세요. 일 필드에 25-31을 함께 쓰지 마세요. 두 날짜 필드를 모두 쓰면 "
              "둘 중 하나만 맞아도 실행됩니다.",
    },
    "nearest-weekday": {
        "en": "\"{text}\": Kubernetes has no W (nearest weekday). Schedule the candidate days (for example 1-3 with "
              "day-of-week *) and let the job check the weekday.",
        "ko": "\"{text}\": Kubernetes에는 W(가장 가까운 평일)가 없습니다. 후보 날짜(예: 요일은 *, 일은 1-3)를 "
              "스케줄하고 Job에서 요일을 확인하세요.",
    },
    "nth-weekday": {
        "en": "\"{text}\": Kubernetes has no # (nth weekday of the month). For the 2nd Monday, schedule days 8-14 "
              "with day-of-week * and let the job exit unless it is Monday; \"8-14 * 1\" would fire on days 8-14 "
              "OR on every Monday.",
        "ko": "\"{text}\": Kubernetes에는 #(그달의 n번째 요일)이 없습니다. 둘째 월요일이라면 요일은 *, 일은 8-14로 "
              "스케줄하고 월요일이 아니면 Job이 바로 끝나게 하세요. \"8-14 * 1\"은 8-14일 또는 모든 월요일에 실행됩니다.",
    },
    "question-mark": {
        "en": "\"{text}\": ? only stands alone as a whole list item; Kubernetes reads it exactly like *.",
        "ko": "\"{text}\": ?는 목록 항목 하나로만 쓸 수 있고 Kubernetes는 이를 *와 똑같이 읽습니다.",
    },
    "dow-seven": {
        "en": "\"{text}\": day-of-week runs from 0 (Sunday) to 6 (Saturday); 7 is not accepted. Use 0 or SUN "
              "for Sunday (a range such as 5-7 becomes 5-6,0).",
        "ko": "\"{text}\": 요일은 0(일요일)부터 6(토요일)까지이며 7은 받지 않습니다. 일요일은 0 또는 SUN을 쓰세요"
              "(5-7 같은 범위는 5-6,0).",
    },
}
