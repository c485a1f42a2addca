"""Hints for cron syntax that other crons accept and Kubernetes does not.

People bring expressions from Quartz (Spring, Jenkins), from Vixie cron's crontab or from
cloud schedulers. robfig/cron, the parser the API server runs, rejects their extensions
with a message about the symptom (a field count, a number it cannot read); a hint says what
was probably meant and what Kubernetes accepts instead. Hints only read the text: the error
itself stays robfig's, exactly as the API server reports it.
"""

from __future__ import annotations

import re

from jobcheck.explain.messages import HINTS

_FIELDS = ("minute", "hour", "dom", "month", "dow")
_NTH = re.compile(r"^[A-Za-z0-9]+#[0-9]+$")
_DOW_SEVEN = re.compile(r"(?:^|[,\-])7(?:$|[,\-/])")


def _hint(code: str, lang: str, **values: str) -> dict:
    return {"code": code, "message": HINTS[code][lang].format(**values)}


def syntax_hints(expr: str, lang: str = "en") -> list[dict]:
    """Return ``[{code, message}]`` hints for what ``expr`` seems to bring from another cron.

    Call it for an expression robfig rejected; an expression it accepts gets none.
    """
    words = expr.split()
    if words and words[0].startswith(("TZ=", "CRON_TZ=")):
        words = words[1:]
    if not words or words[0].startswith("@"):
        return []
    out: list[dict] = []
    if len(words) == 6 and _year_last(words):
        # AWS EventBridge: the five fields, then a year.
        out.append(_hint("year-last", lang, count="6", five=" ".join(words[:5])))
        words = words[:5]
    elif len(words) in (6, 7):
        # Quartz: seconds first, an optional year last.
        five = " ".join(words[1:6])
        code = "quartz-seconds-year" if len(words) == 7 else "quartz-seconds"
        out.append(_hint(code, lang, count=str(len(words)), five=five))
        words = words[1:6]
    if len(words) != 5:
        return out
    fields = dict(zip(_FIELDS, words, strict=True))
    for name, text in fields.items():
        upper = text.upper()
        if name in ("dom", "dow") and _quartz_l(upper):
            out.append(_hint("last-dom" if name == "dom" else "last-dow", lang, text=text))
        if name == "dom" and re.search(r"[0-9]W$|^LW$", upper):
            out.append(_hint("nearest-weekday", lang, text=text))
        if "#" in text:
            out.append(_hint("nth-weekday", lang, text=text))
        if "?" in text and not all(item in ("?",) or item.startswith("?/") for item in text.split(",")):
            out.append(_hint("question-mark", lang, text=text))
    if _DOW_SEVEN.search(fields["dow"]):
        out.append(_hint("dow-seven", lang, text=fields["dow"]))
    return out


_YEARS = re.compile(r"[0-9]{4}(?:[-,/][0-9]{1,4})*")


def _year_last(words: list[str]) -> bool:
    """Six words read as minute..day-of-week then year (AWS) rather than seconds first (Quartz).

    Both want ``?`` in one day field: Quartz's day fields are the 4th and 6th words, AWS's the
    3rd and 5th. Without a ``?``, a last word that is a year (or ``*``) decides.
    """
    if "?" in (words[3], words[5]):
        return False
    if "?" in (words[2], words[4]):
        return True
    if words[5] == "*":
        return words[0] != "0"  # Quartz's seconds field is nearly always 0
    return bool(_YEARS.fullmatch(words[5]))


def _quartz_l(text: str) -> bool:
    """``L``, ``L-3``, ``15L``... in Quartz's last-day sense (not a letter of a month or day name)."""
    return bool(re.fullmatch(r"L(?:-[0-9]+)?|[0-9]+L|[A-Z]{3}L", text))
