"""Plain-language descriptions of schedules, in English and Korean.

Descriptions are built from the expanded value sets (what robfig actually matches), not
from the text, so ``*/1``, ``0-59`` and ``*`` read the same, and ``*/60`` reads "at minute
0". The day part follows robfig's rule: with a star in either day field both must match;
otherwise day-of-month OR day-of-week.
"""

from __future__ import annotations

from jobcheck.cron.schedule import Schedule

LANGS = ("en", "ko")

_RANGES = {"minute": (0, 59), "hour": (0, 23), "dom": (1, 31), "month": (1, 12), "dow": (0, 6)}
_MONTHS_EN = "January February March April May June July August September October November December".split()
_DOWS_EN = "Sunday Monday Tuesday Wednesday Thursday Friday Saturday".split()
_DOWS_KO = "일요일 월요일 화요일 수요일 목요일 금요일 토요일".split()
FIELD_NAMES = {
    "en": {"minute": "minute", "hour": "hour", "dom": "day-of-month", "month": "month", "dow": "day-of-week"},
    "ko": {"minute": "분", "hour": "시", "dom": "일", "month": "월", "dow": "요일"},
}


def _join(items: list[str], lang: str, word: str | None = None) -> str:
    if lang == "ko":
        return ", ".join(items)
    word = word or "and"
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def _progression(vals: list[int]) -> tuple[int, int] | None:
    """(start, step) when vals is start, start+step, ... to the field's end with step > 1."""
    if len(vals) < 2:
        return None
    step = vals[1] - vals[0]
    if step < 2 or any(b - a != step for a, b in zip(vals, vals[1:], strict=False)):
        return None
    return vals[0], step


def _cycle_progression(kind: str, vals: list[int]) -> tuple[int, int] | None:
    """(start, step) when vals step evenly to the field's end *and* across into the next cycle.

    ``*/15`` minutes (0, 15, 30, 45) does; ``*/45`` (0, 45: then 15 minutes to the next 0) and
    ``*/5`` months (January, June, November: then 2 months to January) do not, so they are
    named value by value rather than as "every 45 minutes". Day-of-month keeps its step phrase
    (months differ in length anyway; explain warns about the short last gap).
    """
    prog = _progression(vals)
    if prog is None:
        return None
    lo, hi = _RANGES[kind]
    start, step = prog
    if vals[-1] + step <= hi:
        return None
    if kind != "dom" and (hi + 1 - vals[-1]) + (start - lo) != step:
        return None
    return prog


def _is_range(vals: list[int]) -> bool:
    return len(vals) >= 3 and vals == list(range(vals[0], vals[-1] + 1))


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _name(kind: str, v: int, lang: str) -> str:
    if kind == "month":
        return _MONTHS_EN[v - 1] if lang == "en" else f"{v}월"
    if kind == "dow":
        return _DOWS_EN[v] if lang == "en" else _DOWS_KO[v]
    if kind == "dom":
        return str(v) if lang == "en" else f"{v}일"
    if kind == "hour":
        return f"{v:02d}" if lang == "en" else f"{v}시"
    return str(v) if lang == "en" else f"{v}분"


def _full(s: Schedule, kind: str) -> bool:
    lo, hi = _RANGES[kind]
    return s.values(kind) == list(range(lo, hi + 1))


def field_phrase(kind: str, vals: list[int], lang: str) -> str:
    """A phrase for one field's value set: "every 5 minutes", "Monday through Friday", ..."""
    lo, hi = _RANGES[kind]
    unit_en = {"minute": "minute", "hour": "hour", "dom": "day-of-month", "month": "month", "dow": "day-of-week"}[kind]
    if not vals:
        return "no value (never matches)" if lang == "en" else "해당 값 없음(일치하지 않음)"
    if vals == list(range(lo, hi + 1)):
        return f"every {unit_en}" if lang == "en" else {"minute": "매분", "hour": "매시", "dom": "매일",
                                                      "month": "매월", "dow": "모든 요일"}[kind]
    prog = _cycle_progression(kind, vals) if kind != "dow" else None
    if prog:
        start, step = prog
        if kind == "dom":
            if lang == "en":
                return f"every {_ordinal(step)} day-of-month starting on the {_ordinal(start)}"
            return f"{start}일부터 {step}일 간격으로"
        if kind == "hour" and lang == "en":
            return f"every {_ordinal(step)} hour" + ("" if start == 0 else f" starting at {start:02d}:00")
        if kind == "minute" and lang == "en" and start != lo:
            return f"every {step} minutes starting at minute {start}"
        if kind == "month" and lang == "en":
            return f"every {step} months" + ("" if start == 1 else f" starting in {_name(kind, start, lang)}")
        if lang == "en":
            plural = {"dom": "days", "dow": "days", "month": "months", "hour": "hours", "minute": "minutes"}[kind]
            base = f"every {step} {plural}"
            return base if start == lo else f"{base} from {_name(kind, start, lang)} through {_name(kind, hi, lang)}"
        unit_ko = {"minute": "분", "hour": "시간", "dom": "일", "month": "개월", "dow": "일"}[kind]
        base = f"{step}{unit_ko}마다"
        if start == lo:
            return base
        return f"{'매시 ' if kind == 'minute' else ''}{_name(kind, start, lang)}부터 {base}"
    if _is_range(vals):
        a, b = _name(kind, vals[0], lang), _name(kind, vals[-1], lang)
        return f"{a} through {b}" if lang == "en" else f"{a}부터 {b}까지"
    return _join([_name(kind, v, lang) for v in vals], lang)


def _time_phrase(s: Schedule, lang: str) -> tuple[str, bool]:
    """The time-of-day part and whether it names fixed clock times (so "every day" fits)."""
    mins, hours = s.values("minute"), s.values("hour")
    all_m, all_h = _full(s, "minute"), _full(s, "hour")
    if len(mins) * len(hours) <= 6 and not all_h:
        times = [f"{h:02d}:{m:02d}" for h in hours for m in mins]
        return (f"at {_join(times, lang)}" if lang == "en" else f"{_join(times, lang)}에"), True
    if all_m and all_h:
        return ("every minute" if lang == "en" else "매분"), False
    if len(mins) == 1:
        m = mins[0]
        if all_h:
            return (f"at minute {m} past every hour" if lang == "en" else f"매시 {m}분에"), False
        hp = field_phrase("hour", hours, lang)
        if lang == "en":
            return (f"at minute {m} past {hp}" if _cycle_progression("hour", hours)
                    else f"at minute {m} past hours {hp}"), False
        return f"{hp} {m}분에", False
    mp = field_phrase("minute", mins, lang)
    if lang == "en" and not all_m and not _cycle_progression("minute", mins) and not _is_range(mins):
        mp = f"at minutes {mp}"
    elif lang == "en" and _is_range(mins):
        mp = f"every minute from {mins[0]} through {mins[-1]}"
    elif lang == "ko" and not _cycle_progression("minute", mins) and not all_m:
        mp = f"{mp}에"
    if all_h:
        return mp, False
    if _is_range(hours) or len(hours) == 1:
        a, b = hours[0], hours[-1]
        if lang == "en":
            return f"{mp}, between {a:02d}:00 and {b:02d}:59", False
        return f"{a:02d}:00부터 {b:02d}:59까지 {mp}", False
    hp = field_phrase("hour", hours, lang)
    return (f"{mp}, during hours {hp}" if lang == "en" else f"{hp}에 {mp}"), False


def _day_phrase(s: Schedule, lang: str, fixed_time: bool) -> str:
    dom, dow, months = s.values("dom"), s.values("dow"), s.values("month")
    full_dom, full_dow = _full(s, "dom"), _full(s, "dow")
    if s.day_or and (full_dom or full_dow):
        full_dom = full_dow = True  # OR with a full side: every day
    parts_en: list[str] = []
    ko = ""
    if full_dom and full_dow:
        ko = "매일" if fixed_time else ""
    elif s.day_or:
        a = field_phrase("dom", dom, lang)
        b = field_phrase("dow", dow, lang)
        parts_en.append(f"on day-of-month {a} or on {b}")
        ko = f"매월 {a} 또는 매주 {b}" if not _is_range(dow) else f"매월 {a} 또는 {b}"
    elif not full_dow:
        p = field_phrase("dow", dow, lang)
        if _is_range(dow):
            parts_en.append(f"on every day-of-week from {p.replace(' through ', ' through ')}")
            ko = f"{p} 매일" if fixed_time else p
        else:
            parts_en.append(f"on {p}")
            ko = f"매주 {p}"
    else:
        p = field_phrase("dom", dom, lang)
        if _is_range(dom):
            parts_en.append(f"on every day-of-month from {p}")
            ko = f"매월 {p} 매일" if fixed_time else f"매월 {p}"
        elif p.startswith("every") or p.endswith("간격으로"):
            parts_en.append(f"on {p}")
            ko = f"매월 {p}"
        else:
            parts_en.append(f"on day-of-month {p}")
            ko = f"매월 {p}"
    if not _full(s, "month"):
        mp = field_phrase("month", months, lang)
        if lang == "en":
            parts_en.append(mp if mp.startswith("every") else f"in {'every month from ' + mp if _is_range(months) else mp}")
        else:
            ko = f"{mp} {ko.replace('매월 ', '')}".strip()
    if lang == "en":
        return " ".join(parts_en)
    return ko.strip()


def describe(schedule: Schedule, lang: str = "en") -> str:
    """One sentence saying when the schedule fires, e.g. "At 02:00 on every day-of-week from Monday through Friday"."""
    if lang not in LANGS:
        raise ValueError(f"unsupported language {lang!r}; choose one of {', '.join(LANGS)}")
    if schedule.every is not None:
        return _describe_every(schedule.every, lang)
    if schedule.impossible_by_bits:
        return "Never (a field has no values)" if lang == "en" else "실행되지 않음(값이 없는 필드가 있음)"
    time_part, fixed = _time_phrase(schedule, lang)
    day_part = _day_phrase(schedule, lang, fixed)
    if lang == "en":
        text = time_part + (" " + day_part if day_part else "")
        return text[0].upper() + text[1:]
    return f"{day_part} {time_part}".strip()


def _describe_every(seconds: int, lang: str) -> str:
    h, rem = divmod(seconds, 3600)
    m, s = divmod(rem, 60)
    if lang == "en":
        parts = [f"{v} {u}{'s' if v != 1 else ''}" for v, u in ((h, "hour"), (m, "minute"), (s, "second")) if v]
        return f"Every {' '.join(parts)}, counted from the previous run (not aligned to the clock)"
    parts = [f"{v}{u}" for v, u in ((h, "시간"), (m, "분"), (s, "초")) if v]
    return f"이전 실행 시점부터 {' '.join(parts)}마다(시계 정각에 맞춰지지 않음)"


_DURATION_UNITS = ((86400, "day", "일"), (3600, "hour", "시간"), (60, "minute", "분"), (1, "second", "초"))


def describe_duration(seconds: int, lang: str = "en") -> str:
    """Return a span of time in words: "1 hour 30 minutes", "1 day" / "1시간 30분"."""
    parts = []
    for size, en, ko in _DURATION_UNITS:
        if seconds >= size:
            n, seconds = divmod(seconds, size)
            parts.append(f"{n} {en}{'s' if n != 1 else ''}" if lang == "en" else f"{n}{ko}")
    return " ".join(parts) or ("0 seconds" if lang == "en" else "0초")


def describe_fields(schedule: Schedule, lang: str = "en") -> list[dict]:
    """Per-field breakdown: name, text, span, expanded values and a phrase for each field."""
    out = []
    for f in schedule.fields:
        out.append({
            "field": f.name,
            "label": FIELD_NAMES[lang][f.name],
            "text": f.text,
            "start": f.start,
            "end": f.end,
            "values": f.values,
            "star": f.star,
            "description": field_phrase(f.name, f.values, lang),
        })
    return out
