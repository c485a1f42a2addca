"""Fuzz inputs: the seeds (examples, test fixtures, the shared public corpus when present) and the
structure-aware mutators (scalars, tags, anchors and aliases, keys, indentation, flow and JSON,
documents, kind: List, schedules, control characters), line endings and encodings, and the cron
expressions and options for ``jobcheck explain``. A Mutation is a replayable recipe.
"""

from __future__ import annotations

import json
import random
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED_CORPUS = REPO.parent / "shared" / "corpus" / "public"
MAX_SEED_BYTES = 16_000
# The most leaves an alias bomb expands to if nothing caps it (the loader's own cap is far lower).
BOMB_BOUND = 300_000

# A credential planted in the secret seeds: it must never appear in any output.
CANARY = "Zq8vN3rXk2Lw9TfB7hPsQ4"
CANARY_NUMBER = "84736251977"


# --------------------------------------------------------------------------------------------- seeds


def _seed_files() -> list[Path]:
    roots = [REPO / "examples", REPO / "tests" / "rules", REPO / "tests" / "fix", REPO / "tests" / "data" / "live"]
    if SHARED_CORPUS.is_dir():
        roots.append(SHARED_CORPUS)
    files: list[Path] = []
    for root in roots:
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.suffix in (".yaml", ".yml", ".json") and path.is_file() and not path.is_symlink():
                if path.stat().st_size <= MAX_SEED_BYTES:
                    files.append(path)
    return files


SECRET_SEED = f"""\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: db-backup
  annotations:
    note: plain
spec:
  schedule: "15 3 * * *"
  timeZone: Europe/Berlin
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: backup
              image: postgres:16
              args: ["pg_dump", "--password={CANARY}"]
              env:
                - name: DB_PASSWORD
                  value: {CANARY}
                - name: API_TOKEN
                  value: {CANARY_NUMBER}
                - name: PLAIN
                  value: "hello"
"""

CRONJOB_SEED = """\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
  labels: {app: nightly}
spec:
  schedule: "30 2 * * 1-5"
  timeZone: America/New_York
  concurrencyPolicy: Forbid
  startingDeadlineSeconds: 200
  jobTemplate:
    spec:
      backoffLimit: 3
      ttlSecondsAfterFinished: 86400
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: main
              image: busybox:1.36
              command: ["sh", "-c", "echo $(GREETING)"]
              env:
                - name: GREETING
                  value: hi
              resources:
                requests: {cpu: 100m, memory: 64Mi, ephemeral-storage: 1Gi}
                limits: {memory: 128Mi, nvidia.com/gpu: 1}
"""


@dataclass(frozen=True)
class Seed:
    name: str
    text: str


def load_seeds() -> list[Seed]:
    """The examples, the test fixtures and the shared public corpus (when present), plus two built-in
    manifests: a CronJob that touches schedules, zones and quantities, and one that carries secrets."""
    seeds = [Seed("builtin/cronjob.yaml", CRONJOB_SEED), Seed("builtin/secret.yaml", SECRET_SEED)]
    for path in _seed_files():
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        try:
            name = str(path.relative_to(REPO))
        except ValueError:
            name = str(path.relative_to(SHARED_CORPUS.parent.parent))
        seeds.append(Seed(name, text))
    return seeds


# ------------------------------------------------------------------------------------------ mutators

BIG_INT = "9" * 5000
SCALARS = [
    # numbers Python or Go may choke on
    BIG_INT, "-" + BIG_INT, "0x" + "f" * 4400, "1" + "0" * 4301, "9223372036854775807", "9223372036854775808",
    "-9223372036854775809", "18446744073709551616", "0x_", "0b_", "+0b_", "0x__", "-0x_", "0o", "0o_", "0b2",
    "0644", "0o644", "08", "1_000", "1__0", "+1", "-0", "1e400", "-1e400", "1e-400", ".inf", "-.inf", "+.inf",
    ".nan", ".NaN", "1.5e9223372036854775807", "0.", ".5", "1:20", "190:20:30", "1e", "0x8000000000000000",
    # quantities
    "8Ei", "9Ei", "1e9223372036854775806", "'1e9223372036854775806'", "1E-9223372036854775808", "100m",
    "0.0000000001", "1.5Gi", "1Ki1", "-1", "+.5", "1e3e3", "1" + "0" * 5000 + "Ki", "123456789012345678901234567890Ei",
    "'9" * 1 + "9" * 5000 + "'", "1n", "1u", "0.1m", "1e-9", "1E18", "1P", "1Pi", "1EB",
    # YAML 1.1 oddities and plain scalars
    "yes", "No", "on", "OFF", "~", "null", "Null", "", "''", '""', "true", "y", "n", "2001-12-14t21:59:43.10-05:00",
    "2024-02-30", "[]", "{}", "[1, [2, [3]]]", "{a: {b: {c: d}}}", "-", "?", ":", "- x", "@x", "`x", "%x", "|", ">",
    "'unterminated", '"unterminated', "a: b: c", "#notcomment", "x #comment",
    # strings with control characters, bidi controls and escapes
    '"\\x00nul"', '"\\e[31mred\\e[0m"', '"\\ud800"', '"\\udc00x"', '"\\U0010FFFF"', '"\\u202eevil"', '"\\N\\_\\L\\P"',
    '"a\\tb\\rc"', "\u202etxt.exe", "a\u2066b\u2069c", "\x7fdel", "x\u0085y", "x\u2028y", "\ufeffbom",
    '"\\x1b]8;;http://e/\\x07link\\x1b]8;;\\x07"', "a" * 5000, "é" * 300, "\U0001f600",
]
TAGS = ["!!int", "!!str", "!!float", "!!bool", "!!null", "!!binary", "!!timestamp", "!!map", "!!seq", "!!set",
        "!!omap", "!!pairs", "!!merge", "!custom", "!<tag:yaml.org,2002:int>", "!<!>", "!!python/object", "!e!x"]
KEYS = ["null", "~", "1", "0x1", "1.5", "true", "? [a, b]", "? {a: 1}", '""', "<<", "'apiVersion'", "kind kind",
        "\"\\u0000\"", "? |\n  block", "*undefined", "&k key", "!!str 1", "!!binary aGk="]
SCHEDULES = ["@every 0s", "@every 1h", "@hourly", "@yearly", "@reboot", "* * * * * *", "0 0 30 2 *", "0 0 31 4,6,9,11 *",
             "*/0 * * * *", "60 * * * *", "0-59/61 * * * *", "5-1 * * * *", "0 0 ? * MON-FRI", "0 0 L * *",
             "TZ=Europe/Berlin 0 1 * * *", "CRON_TZ=Mars/Olympus 0 1 * * *", "TZ= 0 1 * * *", "", " ", "0 2 * * 7",
             "0 2 * * SUN-SAT", "0 2 1-31/2 1-12/3 *", "0\t2 * * *", "0 2 * * *\n", "0 2 * * *\x00", "0 2 * * \u202e",
             "0 2 29 2 *", "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20 * * * *", "* * * * * * * *", "0 0 * * 8",
             "0 0 * * 1#2", "0 0 * * 0-0", "0 0 1 1 *", "0 " + "1," * 2000 + "2 * * *"]
ZONES = ["UTC", "Europe/Berlin", "America/Sao_Paulo", "Australia/Lord_Howe", "Pacific/Chatham", "Asia/Kathmandu",
         "Etc/GMT+14", "Etc/GMT-14", "Mars/Olympus", "", "../../etc/passwd", "Local", "EST5EDT", "right/UTC", "posix/UTC",
         "America/New_York\x00", "Europe/Dublin", "Antarctica/Troll", "Factory", "utc", "A" * 300]

_KEYVAL = re.compile(r"^(?P<indent>\s*(?:-\s+)?)(?P<key>[^\s#:'\"{}\[\],&*!|>-][^:#]*?):(?P<sep>[ \t]+)(?P<value>\S.*)$")
_KEYLINE = re.compile(r"^(?P<indent>\s*(?:-\s+)?)(?P<key>[^\s#:'\"{}\[\],&*!|>-][^:#]*?):(?P<rest>(?:[ \t].*)?)$")
_ITEM = re.compile(r"^(?P<indent>\s*-\s+)(?P<value>[^\s:{\[#][^:]*)$")


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _pick(rng: random.Random, lines: list[str], pattern: re.Pattern[str]) -> int | None:
    candidates = [i for i, line in enumerate(lines) if pattern.match(line)]
    return rng.choice(candidates) if candidates else None


def m_scalar(rng: random.Random, text: str) -> str:
    """Replace a mapping value or a sequence item with an odd scalar."""
    lines = _lines(text)
    i = _pick(rng, lines, _KEYVAL)
    if i is None:
        return text
    m = _KEYVAL.match(lines[i])
    assert m is not None
    lines[i] = f"{m['indent']}{m['key']}:{m['sep']}{rng.choice(SCALARS)}"
    return "\n".join(lines)


def m_item(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    i = _pick(rng, lines, _ITEM)
    if i is None:
        return m_scalar(rng, text)
    m = _ITEM.match(lines[i])
    assert m is not None
    lines[i] = f"{m['indent']}{rng.choice(SCALARS)}"
    return "\n".join(lines)


def m_tag(rng: random.Random, text: str) -> str:
    """Put a tag (standard, custom, verbatim) in front of a value."""
    lines = _lines(text)
    i = _pick(rng, lines, _KEYVAL)
    if i is None:
        return text
    m = _KEYVAL.match(lines[i])
    assert m is not None
    value = m["value"] if rng.random() < 0.7 else rng.choice(SCALARS)
    lines[i] = f"{m['indent']}{m['key']}:{m['sep']}{rng.choice(TAGS)} {value}"
    return "\n".join(lines)


def m_anchor(rng: random.Random, text: str) -> str:
    """Anchor one value and alias it from another place (or an undefined anchor, or a merge key)."""
    lines = _lines(text)
    kv = [i for i, line in enumerate(lines) if _KEYVAL.match(line) or _KEYLINE.match(line)]
    if len(kv) < 2:
        return text
    a, b = sorted(rng.sample(kv, 2))
    name = rng.choice(["a", "x", "anchor_" + "z" * 50])
    ma = _KEYLINE.match(lines[a]) or _KEYVAL.match(lines[a])
    mb = _KEYLINE.match(lines[b]) or _KEYVAL.match(lines[b])
    if ma is None or mb is None:
        return text
    rest = lines[a][ma.end("key") + 1:]
    lines[a] = f"{ma['indent']}{ma['key']}: &{name}{rest if rest.strip() else ''}"
    choice = rng.random()
    if choice < 0.6:
        lines[b] = f"{mb['indent']}{mb['key']}: *{name}"
    elif choice < 0.8:
        lines[b] = f"{mb['indent']}{mb['key']}: *undefined"
    else:
        lines.insert(b, f"{mb['indent']}<<: *{name}")
    return "\n".join(lines)


def m_alias_bomb(rng: random.Random, text: str) -> str:
    """A billion-laughs bomb of bounded size under an annotation (the loader must cap it)."""
    width = rng.randint(2, 9)
    depth = rng.randint(3, 9)
    while width ** (depth - 1) > BOMB_BOUND:  # bounded: a fuzz run must not itself exhaust the machine
        depth -= 1
    rows = ['  l0: &l0 "lol"']
    for d in range(1, depth):
        rows.append(f"  l{d}: &l{d} [" + ", ".join([f"*l{d - 1}"] * width) + "]")
    bomb = "bomb:\n" + "\n".join(rows) + "\n"
    return bomb + text if rng.random() < 0.5 else text.rstrip("\n") + "\n---\n" + bomb


def m_key(rng: random.Random, text: str) -> str:
    """Duplicate a key, or replace one with a null, int, complex or merge key."""
    lines = _lines(text)
    i = _pick(rng, lines, _KEYLINE)
    if i is None:
        return text
    m = _KEYLINE.match(lines[i])
    assert m is not None
    if rng.random() < 0.4:
        lines.insert(i + 1, " " * len(m["indent"]) + lines[i][len(m["indent"]):])
    else:
        lines[i] = f"{m['indent']}{rng.choice(KEYS)}:{m['rest']}"
    return "\n".join(lines)


def m_indent(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    if not lines:
        return text
    i = rng.randrange(len(lines))
    op = rng.randrange(4)
    if op == 0:
        lines[i] = " " * rng.randint(1, 3) + lines[i]
    elif op == 1:
        lines[i] = lines[i][min(len(lines[i]) - len(lines[i].lstrip(" ")), rng.randint(1, 3)):]
    elif op == 2:
        lines[i] = "\t" + lines[i]
    else:
        lines[i] = lines[i].replace(": ", ":\t", 1)
    return "\n".join(lines)


def m_lines(rng: random.Random, text: str) -> str:
    """Delete, duplicate, swap lines, or truncate the text anywhere."""
    lines = _lines(text)
    if len(lines) < 2:
        return text
    i = rng.randrange(len(lines) - 1)
    op = rng.randrange(4)
    if op == 0:
        del lines[i]
    elif op == 1:
        lines.insert(i, lines[i])
    elif op == 2:
        lines[i], lines[i + 1] = lines[i + 1], lines[i]
    else:
        return text[: rng.randrange(len(text))]
    return "\n".join(lines)


def m_documents(rng: random.Random, text: str) -> str:
    """Split, end or repeat documents: a multi-document stream."""
    lines = _lines(text)
    op = rng.randrange(4)
    if op == 0:
        lines.insert(rng.randrange(len(lines) + 1), "---")
    elif op == 1:
        lines.insert(rng.randrange(len(lines) + 1), "...")
    elif op == 2:
        return "---\n" + text.rstrip("\n") + "\n---\n---\n" + text
    else:
        return "%YAML 1.1\n---\n" + text + "\n--- !!str\nplain\n---\n- a\n- b\n"
    return "\n".join(lines)


def m_list(rng: random.Random, text: str) -> str:
    """Wrap the documents in a kind: List (its items are linted as objects)."""
    docs = [d for d in re.split(r"(?m)^---[^\n]*\n", text) if d.strip()]
    items = []
    for doc in docs:
        body = [line for line in doc.rstrip("\n").split("\n")]
        items.append("\n".join(["  - " + body[0]] + ["    " + line for line in body[1:]]))
    kind = rng.choice(["List", "JobList", "CronJobList", "List"])
    return f"apiVersion: v1\nkind: {kind}\nitems:\n" + "\n".join(items) + "\n"


def m_flow(rng: random.Random, text: str) -> str:
    """Rewrite the stream as JSON, or as one flow mapping per document."""
    from ruamel.yaml import YAML

    try:
        with warnings.catch_warnings():  # ruamel warns about reused anchors: the mutant may have them
            warnings.simplefilter("ignore")
            docs = list(YAML(typ="safe", pure=True).load_all(text))
    except Exception:  # a mutant that is no longer YAML stays as it is
        return text
    try:
        if rng.random() < 0.5:
            out = "\n".join(json.dumps(d, default=str, indent=rng.choice([None, 2])) for d in docs)
        else:
            out = "\n---\n".join(json.dumps(d, default=str) for d in docs)
    except (ValueError, TypeError, RecursionError):
        return text
    # Expanding an alias bomb into JSON would turn a mutant into megabytes of plain data: keep it YAML.
    return out if len(out) <= 20 * len(text) + 10_000 else text


def m_schedule(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    for i, line in enumerate(lines):
        m = _KEYVAL.match(line)
        if m and m["key"] in ("schedule", "timeZone"):
            value = rng.choice(SCHEDULES if m["key"] == "schedule" else ZONES)
            lines[i] = f"{m['indent']}{m['key']}: {json.dumps(value) if rng.random() < 0.8 else value}"
            return "\n".join(lines)
    return m_scalar(rng, text)


def m_control(rng: random.Random, text: str) -> str:
    """Insert a control character, a bidi override or a raw escape sequence into a value."""
    chars = ["\x00", "\x1b[2J", "\x07", "\x08", "\r", "\x0b", "\x0c", "\x7f", "\x85", "\u202e", "\u2066", "\u200f",
             "\u2028", "\ufeff", "\udcff"]
    lines = _lines(text)
    i = _pick(rng, lines, _KEYVAL)
    if i is None:
        return text
    pos = rng.randint(len(lines[i]) - len(_KEYVAL.match(lines[i])["value"]), len(lines[i]))  # type: ignore[index]
    lines[i] = lines[i][:pos] + rng.choice(chars) + lines[i][pos:]
    return "\n".join(lines)


def m_splice(rng: random.Random, text: str) -> str:
    """Graft a line range of the text into another place, at another indentation."""
    lines = _lines(text)
    if len(lines) < 4:
        return text
    a = rng.randrange(len(lines) - 1)
    b = min(len(lines), a + rng.randint(1, 6))
    chunk = lines[a:b]
    shift = " " * rng.choice([0, 2, 4])
    at = rng.randrange(len(lines))
    return "\n".join(lines[:at] + [shift + c for c in chunk] + lines[at:])


def m_huge(rng: random.Random, text: str) -> str:
    """Size, where work could grow faster than the input: a long value shaped for the secret
    patterns, a long ``# Source:`` comment, a chain of $(VAR) references, many documents, deep
    nesting (20-60 KB, so the time bound, linear in size, tells quadratic work from linear)."""
    n = rng.randint(20_000, 60_000)
    op = rng.randrange(5)
    if op == 0:
        lines = _lines(text)
        i = _pick(rng, lines, _KEYVAL)
        if i is not None:
            m = _KEYVAL.match(lines[i])
            assert m is not None
            lines[i] = f"{m['indent']}{m['key']}: " + rng.choice(["a" * n + "://x", "eyJ" + "A" * n + ".x", "x" * n])
        return "\n".join(lines)
    if op == 1:
        return "# Source: " + rng.choice(["x/", "a", "# Source: "]) * (n // 4) + "\n" + text
    if op == 2:
        envs = "".join(f"            - name: V{i}\n              value: \"$(V{i - 1})\"\n" for i in range(n // 60))
        return text.rstrip("\n") + "\n---\n" + _CHAIN_JOB + envs
    if op == 3:
        return "\n---\n".join([text] * max(2, n // max(1, len(text))))
    depth = n // 20
    return text.rstrip("\n") + "\n---\nx: " + "[" * depth + "]" * depth + "\n"


_CHAIN_JOB = """apiVersion: batch/v1
kind: Job
metadata:
  name: chain
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: c
          image: busybox:1.36
          env:
"""


MUTATORS: dict[str, Callable[[random.Random, str], str]] = {
    "scalar": m_scalar, "item": m_item, "tag": m_tag, "anchor": m_anchor, "alias-bomb": m_alias_bomb,
    "key": m_key, "indent": m_indent, "lines": m_lines, "documents": m_documents, "list": m_list,
    "flow": m_flow, "schedule": m_schedule, "control": m_control, "splice": m_splice, "huge": m_huge,
}


def _mixed_endings(text: str) -> str:
    """An LF document followed by a CRLF document (the layout --fix once broke)."""
    head, sep, tail = text.partition("\n---")
    return head + sep + tail.replace("\n", "\r\n") if sep else text.replace("\n", "\r\n", 3)


ENDINGS: dict[str, Callable[[str], str]] = {
    "lf": lambda t: t, "crlf": lambda t: t.replace("\n", "\r\n"), "cr": lambda t: t.replace("\n", "\r"),
    "mixed": _mixed_endings,
}


def _invalid_utf8(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.choice([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xc0\xaf"]) + data[at:]


def _bom_mid(data: bytes, rng: random.Random) -> bytes:
    at = data.find(b"\n", rng.randrange(len(data) + 1))
    at = len(data) if at < 0 else at + 1
    return data[:at] + b"\xef\xbb\xbf" + data[at:]


def _encode(text: str, codec: str) -> bytes:
    return text.encode(codec, "surrogatepass")


ENCODINGS: dict[str, Callable[[str, random.Random], bytes]] = {
    "utf-8": lambda t, r: _encode(t, "utf-8"),
    "utf-8-bom": lambda t, r: b"\xef\xbb\xbf" + _encode(t, "utf-8"),
    "utf-16-le": lambda t, r: b"\xff\xfe" + _encode(t, "utf-16-le"),
    "utf-16-be": lambda t, r: b"\xfe\xff" + _encode(t, "utf-16-be"),
    "utf-16-nobom": lambda t, r: _encode(t, "utf-16-le"),
    "utf-32-le": lambda t, r: b"\xff\xfe\x00\x00" + _encode(t, "utf-32-le"),
    "utf-32-be": lambda t, r: b"\x00\x00\xfe\xff" + _encode(t, "utf-32-be"),
    "invalid-utf-8": lambda t, r: _invalid_utf8(_encode(t, "utf-8"), r),
    "bom-mid-file": lambda t, r: _bom_mid(_encode(t, "utf-8"), r),
}


@dataclass(frozen=True)
class Mutation:
    """A recipe: which seed, which mutators with which random seeds, which line endings and encoding.
    Replaying a recipe gives the same bytes, so a crash is reproducible from its description."""

    seed: Seed
    steps: tuple[tuple[str, int], ...]
    ending: str = "lf"
    encoding: str = "utf-8"

    def build(self) -> bytes:
        text = self.seed.text
        for name, n in self.steps:
            text = MUTATORS[name](random.Random(n), text)
        text = ENDINGS[self.ending](text)
        return ENCODINGS[self.encoding](text, random.Random(len(text)))

    def describe(self) -> str:
        steps = ", ".join(f"{name}#{n}" for name, n in self.steps)
        return f"{self.seed.name} [{steps}] {self.ending} {self.encoding}"


def random_mutation(rng: random.Random, seeds: list[Seed]) -> Mutation:
    # "huge" is rare: a large input costs a hundred small ones.
    names = [name for name in MUTATORS if name != "huge"]
    steps = tuple((rng.choice(names) if rng.random() > 0.02 else "huge", rng.randrange(2**32))
                  for _ in range(rng.choice([1, 1, 2, 2, 3])))
    ending = rng.choices(list(ENDINGS), weights=[14, 3, 2, 1])[0]
    encoding = rng.choices(list(ENCODINGS), weights=[40, 2, 2, 1, 1, 1, 1, 2, 2])[0]
    return Mutation(rng.choice(seeds), steps, ending, encoding)


# ------------------------------------------------------------------------------------- cron strings

CRON_TOKENS = ["*", "?", "0", "1", "5", "7", "12", "23", "24", "31", "32", "59", "60", "99999999999999999999", "-1",
               "*/0", "*/1", "*/15", "*/61", "1-5", "5-1", "1-5/2", "0-59/0", "1,2,3", ",", "1,,2", "MON-FRI", "SUN",
               "sun-mon", "JAN", "DEC-JAN", "L", "W", "1#2", "a", "", "٣", "\x00", "\u202e", "1" * 5000]
CRON_PREFIXES = ["", "", "", "TZ=UTC ", "CRON_TZ=Europe/Berlin ", "TZ=Mars/Olympus ", "TZ= ", "@every 1m ", "@"]
INSTANTS = ["2024-03-31T00:30:00Z", "9999-12-31T23:59:00Z", "9999-12-31T23:59:59+14:00", "0001-01-01T00:00:00Z",
            "0001-01-01T00:00:00-14:00", "2024-02-29T12:00:00+05:45", "1970-01-01T00:00:00Z", "2038-01-19T03:14:08Z",
            "not-a-time", "2024-13-01T00:00:00Z", "2024-10-27T01:30:00+01:00", "+275760-09-13T00:00:00Z", "", "9" * 50]


def random_cron(rng: random.Random) -> str:
    if rng.random() < 0.15:
        return rng.choice(SCHEDULES)
    fields = [rng.choice(CRON_TOKENS) if rng.random() < 0.6 else str(rng.randint(0, 70))
              for _ in range(rng.choice([5, 5, 5, 4, 6]))]
    return rng.choice(CRON_PREFIXES) + " ".join(fields)


def random_explain_args(rng: random.Random) -> tuple[str, list[str]]:
    """A cron expression and explain options (zone, start instant, count, language)."""
    extra: list[str] = []
    if rng.random() < 0.5:
        extra += ["--timezone", rng.choice(ZONES)]
    if rng.random() < 0.5:
        extra += ["--from", rng.choice(INSTANTS)]
    if rng.random() < 0.3:
        extra += ["--count", str(rng.choice([1, 50, 1000]))]
    if rng.random() < 0.3:
        extra += ["--lang", "ko"]
    return random_cron(rng), extra
