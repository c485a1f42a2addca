"""What each fixable rule changes, and how one change is written into the text.

A fixer turns a finding into ``Edit``s: "this mapping should hold this key with this value".
A rule file names its fixer (``fixer: jobcheck.fix.edits:fix_missing_ttl``) next to its
``fix_safety``; a fixer reads the rule's parameters by the names the rule file declares, and
the engine has already merged the rule file's defaults into them.
A fixer returns None when it does not apply, and raises ``FixError`` to skip a finding it
would make worse; --fix then prints the reason.
``apply_edit`` writes one edit as a targeted text change (replace a scalar on its line, or insert
new key lines at the mapping's indentation: a splice of whole lines), then reloads the text (the
fix transform passes one document's) and accepts the result only if the data is exactly the old
data plus the edit. ``apply_edits`` does the same for all of a document's edits at once, with one
reload. So a fix can be refused (anchors, merge keys, odd layouts) but never corrupts a file.
"""

from __future__ import annotations

import copy
import difflib
import importlib
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from jobcheck.cron.describe import describe_duration
from jobcheck.finding import Finding, Path, format_path
from jobcheck.kube.objects import BATCH_KINDS, Workload, get_in
from jobcheck.lint.checks.lifecycle import schedule_interval
from jobcheck.lint.registry import parse_field
from jobcheck.rulemeta import Rule
from jobcheck.yaml.loader import SYNTAX, Document, load_text
from jobcheck.yaml.scalars import resolve_plain

CONTAINER_GROUPS = ("containers", "initContainers", "ephemeralContainers")


@dataclass(frozen=True)
class Edit:
    """Set ``key`` to ``value`` in the mapping at ``mapping`` (an absolute path) of one document."""

    document: int
    mapping: Path
    key: str
    value: Any  # str, int, bool, or a dict of those for a new nested mapping
    after: tuple[str, ...] = ()  # keys to place a new key after, when they hold a one-line scalar


class FixError(Exception):
    """An edit that cannot be written safely; the message says why."""


# --- fixers: finding -> edits ------------------------------------------------------------------

FixerFn = Callable[[Finding, Workload, dict], "list[Edit] | None"]


def workload_of(finding: Finding, data: Any) -> Workload | None:
    """The Job or CronJob a finding is about: the document, or the ``items[i]`` its field names."""
    path = parse_field(finding.field) if finding.field else ()
    prefix: Path = ()
    while (len(path) > len(prefix) + 1 and path[len(prefix)] == "items" and isinstance(path[len(prefix) + 1], int)
           and isinstance(get_in(data, prefix), dict) and str(get_in(data, prefix).get("kind", "")).endswith("List")):
        prefix = path[: len(prefix) + 2]
    obj = get_in(data, prefix)
    if not isinstance(obj, dict) or obj.get("kind") not in BATCH_KINDS:
        return None
    return Workload(obj["kind"], obj, prefix)


def _ensure(finding: Finding, w: Workload, mapping: Path, key: str, value: Any,
            after: tuple[str, ...] = ()) -> list[Edit] | None:
    target = w.get(mapping)
    if not isinstance(target, dict):
        return None
    if key in target and target[key] == value and type(target[key]) is type(value):
        return []
    if key not in target:
        typo = misspelling_of(key, target)
        if typo is not None:
            # Adding the right key next to the wrong one leaves the manifest with both, and the
            # server rejects (or silently drops) the wrong one: the author should rename it.
            raise FixError(f'{format_path(mapping) or "the object"} has "{typo}", a misspelling of "{key}": '
                           f'rename it rather than add a second field')
    return [Edit(finding.document, mapping, key, value, after)]


def misspelling_of(key: str, mapping: dict) -> str | None:
    """A key of ``mapping`` that is ``key`` misspelt (another case, or a letter or two off), or None."""
    others = [k for k in mapping if isinstance(k, str) and k != key]
    for other in others:
        if other.lower() == key.lower():
            return other
    close = difflib.get_close_matches(key, others, n=1, cutoff=0.85)
    return close[0] if close else None


def fix_missing_ttl(f: Finding, w: Workload, params: dict) -> list[Edit] | None:
    """JC201: add ``ttlSecondsAfterFinished`` (param ``default_ttl``) to the Job spec."""
    return _ensure(f, w, w.job_spec_path, "ttlSecondsAfterFinished", params["default_ttl"])


def fix_concurrency_allow(f: Finding, w: Workload, params: dict) -> list[Edit] | None:
    """JC306: ``concurrencyPolicy: Forbid`` (unsafe: a run is skipped while the last one is active)."""
    if w.kind != "CronJob":
        return None
    return _ensure(f, w, w.cronjob_spec_path, "concurrencyPolicy", "Forbid")


def fix_starting_deadline(f: Finding, w: Workload, params: dict) -> list[Edit] | None:
    """JC307: add ``startingDeadlineSeconds`` (param ``default_starting_deadline``)."""
    if w.kind != "CronJob":
        return None
    deadline = params["default_starting_deadline"]
    interval = schedule_interval(w)
    if interval is not None and isinstance(deadline, (int, float)) and deadline >= interval:
        # The rule's advice is a deadline below the interval; the default would break it.
        raise FixError(f"the schedule runs every {describe_duration(interval)}, and the default deadline of "
                       f"{deadline}s is not below that: choose a shorter startingDeadlineSeconds by hand")
    return _ensure(f, w, w.cronjob_spec_path, "startingDeadlineSeconds", deadline,
                   ("concurrencyPolicy", "schedule"))


def fix_missing_timezone(f: Finding, w: Workload, params: dict) -> list[Edit] | None:
    """JC305: ``timeZone: Etc/UTC`` (unsafe: the schedule was running in the controller's zone)."""
    if w.kind != "CronJob":
        return None
    return _ensure(f, w, w.cronjob_spec_path, "timeZone", "Etc/UTC", ("schedule",))


def fix_removed_api(f: Finding, w: Workload, params: dict) -> list[Edit] | None:
    """JC003: ``apiVersion: batch/v1``; the Job and CronJob specs did not change between versions."""
    return _ensure(f, w, w.path, "apiVersion", "batch/v1")


def fix_restart_policy(f: Finding, w: Workload, params: dict) -> list[Edit] | None:
    """JC103, only the restartPolicy rejection: ``restartPolicy: Never`` in the pod template.

    Never is the one value the server accepts for every Job (podFailurePolicy requires it).
    """
    path = parse_field(f.field) if f.field else ()
    if path != w.pod_spec_path + ("restartPolicy",):
        return None
    return _ensure(f, w, w.pod_spec_path, "restartPolicy", "Never")


def fix_privilege_escalation(f: Finding, w: Workload, params: dict) -> list[Edit] | None:
    """JC602: ``allowPrivilegeEscalation: false`` in the container's securityContext."""
    path = parse_field(f.field) if f.field else ()
    cut = next((i for i in range(len(path) - 1, -1, -1)
                if path[i] in CONTAINER_GROUPS and i + 1 < len(path) and isinstance(path[i + 1], int)), None)
    if cut is None:
        return None
    container_path = path[: cut + 2]
    container = w.get(container_path)
    if not isinstance(container, dict):
        return None
    if "securityContext" not in container:
        return [Edit(f.document, container_path, "securityContext", {"allowPrivilegeEscalation": False},
                     ("image", "name"))]
    return _ensure(f, w, container_path + ("securityContext",), "allowPrivilegeEscalation", False)


@cache
def fixer_function(ref: str) -> FixerFn:
    """Import a rule file's ``fixer: module:function`` once."""
    module, _, name = ref.partition(":")
    return getattr(importlib.import_module(module), name)


def plan(finding: Finding, rule: Rule, data: Any, params: dict) -> list[Edit] | None:
    """The edits that fix ``finding`` of ``rule`` ([] if already fixed), or None when no fixer applies."""
    w = workload_of(finding, data) if rule.fixer else None
    if rule.fixer is None or w is None:
        return None
    return fixer_function(rule.fixer)(finding, w, params)


# --- writing one edit into the text ---------------------------------------------------------------

class _Layout:
    """The text as lines (each keeps its "\\r" before "\\n") and where each line starts, computed
    once however many edits are planned against the same text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.split("\n")
        self._starts: list[int] | None = None

    def offset(self, line: int, column: int) -> int:
        if self._starts is None:
            starts, at = [], 0
            for x in self.lines:
                starts.append(at)
                at += len(x) + 1
            self._starts = starts
        return self._starts[line] + column


def render_scalar(value: Any, quote: str = "") -> str:
    """YAML text for a scalar: plain when Kubernetes reads it back as the same value, else quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if quote == "'" and "'" not in text:
        return f"'{text}'"
    if quote == '"' or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_./-]*", text) or resolve_plain(text) != text:
        return json.dumps(text)
    return text


def indent_step(text: str) -> int:
    """The file's mapping indentation: the commonest step from a ``key:`` line to its first child key."""
    steps: Counter[int] = Counter()
    lines = [ln for ln in text.split("\n") if ln.strip() and not ln.lstrip().startswith("#")]
    for line, nxt in zip(lines, lines[1:], strict=False):
        m = re.match(r"( *)(- +)?[^\s#:-][^:#]*:\s*$", line.rstrip("\r"))
        if not m:
            continue
        col = len(m.group(1)) + len(m.group(2) or "")
        child = len(nxt) - len(nxt.lstrip(" "))
        if child > col and not nxt.lstrip().startswith("-"):
            steps[child - col] += 1
    return steps.most_common(1)[0][0] if steps else 2


def _first_key_column(doc: Document, mapping: Any) -> int | None:
    if not isinstance(mapping, dict) or not mapping:
        return None
    return doc.positions.tables[id(mapping)][next(iter(mapping))][1]


def local_step(doc: Document, path: Path) -> int | None:
    """The indentation step around ``path``: from its own nested mappings, else from its ancestors."""
    mapping = get_in(doc.data, path)
    base = _first_key_column(doc, mapping)
    if base is not None:
        for value in mapping.values():
            child = _first_key_column(doc, value)
            if child is not None and child > base:
                return child - base
    for i in range(len(path), 0, -1):
        parent, child = get_in(doc.data, path[: i - 1]), get_in(doc.data, path[:i])
        if isinstance(parent, dict) and isinstance(child, dict):
            a, b = _first_key_column(doc, parent), _first_key_column(doc, child)
            if a is not None and b is not None and b > a:
                return b - a
    return None


def _block_lines(key: str, value: Any, indent: int, step: int) -> list[str]:
    if isinstance(value, dict):
        out = [" " * indent + f"{key}:"]
        for k, v in value.items():
            out.extend(_block_lines(k, v, indent + step, step))
        return out
    return [" " * indent + f"{key}: {render_scalar(value)}"]


def _flow_text(key: str, value: Any, json_style: bool) -> str:
    def render(v: Any) -> str:
        if isinstance(v, dict):
            return "{" + ", ".join(_flow_text(k, x, json_style) for k, x in v.items()) + "}"
        return json.dumps(v) if json_style else render_scalar(v)
    return f"{json.dumps(key) if json_style else key}: {render(value)}"


def _marks_of(doc: Document, path: Path) -> tuple[tuple, tuple | None]:
    """(marks of the node at ``path``, marks of its key or None for the root or a list item)."""
    if not path:
        return doc.positions.root, None
    parent = get_in(doc.data, path[:-1])
    entry = doc.positions.tables[id(parent)][path[-1]]
    if isinstance(parent, list):
        return entry, None
    return entry[4:], entry[:4]


def _is_flow(layout: _Layout, marks: tuple, first_key: tuple | None) -> bool:
    end = (first_key[0], first_key[1]) if first_key else (marks[2], marks[3])
    lines = layout.lines
    if marks[0] == end[0]:
        between = lines[marks[0]][marks[1]: end[1]]
    else:
        between = "\n".join([lines[marks[0]][marks[1]:], *lines[marks[0] + 1: end[0]], lines[end[0]][: end[1]]])
    return "{" in re.sub(r"#[^\n]*", "", between)


def _text_edit(layout: _Layout, doc: Document, edit: Edit, step: int) -> tuple[int, int, list[str]]:
    """The splice that writes one edit: (first line, how many lines it replaces, the new lines)."""
    mapping = get_in(doc.data, edit.mapping)
    if not isinstance(mapping, dict):
        raise FixError(f"{'.'.join(map(str, edit.mapping)) or 'the document'} is not a mapping")
    table = doc.positions.tables[id(mapping)]
    lines = layout.lines
    if edit.key in mapping:
        if isinstance(edit.value, dict):
            raise FixError(f"{edit.key} exists but is not a mapping")
        vl, vc, el, ec = table[edit.key][4:]
        if vl != el:
            raise FixError(f"the value of {edit.key} spans several lines")
        old = lines[vl][vc:ec]
        if not old and lines[vl][vc - 1: vc] == ":":  # "key:" with no value (null)
            return vl, 1, [lines[vl][:vc] + " " + render_scalar(edit.value) + lines[vl][vc:]]
        if not old or old[0] in "&!|>":
            raise FixError(f"the value of {edit.key} has an anchor, a tag or a block style")
        quote = old[0] if old[0] in "'\"" and isinstance(edit.value, str) else ""
        return vl, 1, [lines[vl][:vc] + render_scalar(edit.value, quote) + lines[vl][ec:]]
    marks, key_marks = _marks_of(doc, edit.mapping)
    first_key = table[next(iter(mapping))][:4] if mapping else None
    if _is_flow(layout, marks, first_key):
        quoted_key = key_marks is not None and lines[key_marks[0]][key_marks[1]: key_marks[1] + 1] == '"'
        text, first, old_count, new_count = _flow_insert(layout, mapping, table, marks, edit, quoted_key)
        return first, old_count, text.split("\n")[first: first + new_count]
    assert first_key is not None  # a block mapping has at least one key
    # The mapping starts at its first key unless an anchor or tag comes first; merged-in keys
    # (<<) sit elsewhere in the file, so the start is the better guide to the indentation.
    own_start = lines[marks[0]][marks[1]: marks[1] + 1] not in ("&", "!")
    indent = marks[1] if own_start else first_key[1]
    new = _block_lines(edit.key, edit.value, indent, step)
    at = _after_line(mapping, table, edit.after, indent)
    if at is None and key_marks is not None and (marks[0] if own_start else first_key[0]) > key_marks[2]:
        at = key_marks[2] + 1  # the line after "key:": the new key becomes the mapping's first
    if at is None:  # a list item ("- name: x"): after the first entry with a one-line scalar value
        at = _after_line(mapping, table, tuple(mapping), indent)
    if at is None or at >= len(lines):
        raise FixError("no line to insert after in this mapping")
    cr = "\r" if lines[at - 1].endswith("\r") else ""  # the line ending of the line above (CRLF or LF)
    return at, 0, [x + cr for x in new]


def _after_line(mapping: dict, table: dict, keys: tuple[str, ...], indent: int) -> int | None:
    """The line after the first of ``keys`` whose value is a scalar on the key's own line."""
    for k in keys:
        if k not in mapping or isinstance(mapping[k], (dict, list)):
            continue
        kl, kc, _, _, vl, _, el, _ = table[k]
        if kl == vl == el and kc == indent:
            return kl + 1
    return None


def _flow_insert(layout: _Layout, mapping: dict, table: dict, marks: tuple, edit: Edit,
                 json_style: bool) -> tuple[str, int, int, int]:
    """Add the entry to a flow mapping, JSON-style when its keys (or its own key) are double-quoted."""
    text, lines = layout.text, layout.lines
    keys = list(mapping)
    first_line = marks[0]
    if not keys:
        close = layout.offset(marks[2], marks[3]) - 1
        if text[close] != "}":
            raise FixError("cannot find the end of the flow mapping")
        new = text[:close] + _flow_text(edit.key, edit.value, json_style) + text[close:]
        return new, first_line, marks[2] - first_line + 1, marks[2] - first_line + 1
    first = table[keys[0]][:4]
    json_style = lines[first[0]][first[1]: first[1] + 1] == '"'
    last = table[keys[-1]]
    last_end = layout.offset(last[6], last[7])
    entry = _flow_text(edit.key, edit.value, json_style)
    if last[0] > table[keys[0]][0] or (last[6] < marks[2] and lines[last[0]][: last[1]].strip() == ""):
        # One entry per line: the new one goes on its own line at the same indentation.
        eol = "\r\n" if lines[last[6]].endswith("\r") else "\n"
        insert = "," + eol + " " * last[1] + entry
        added = 1
    else:
        insert = ", " + entry
        added = 0
    new = text[:last_end] + insert + text[last_end:]
    span = marks[2] - first_line + 1
    return new, first_line, span, span + added


def _narrow(doc: Document, edit: Edit) -> Edit | None:
    """The edit against the current data: None if already done; a nested mapping that now exists
    gets its keys one by one (only single-key nested values are produced by the fixers)."""
    mapping = get_in(doc.data, edit.mapping)
    if not isinstance(mapping, dict) or edit.key not in mapping:
        return edit
    current = mapping[edit.key]
    if isinstance(edit.value, dict) and isinstance(current, dict) and len(edit.value) == 1:
        (key, value), = edit.value.items()
        return _narrow(doc, Edit(edit.document, edit.mapping + (edit.key,), key, value))
    if current == edit.value and type(current) is type(edit.value):
        return None
    return edit


def _expected(docs: list[Document], edit: Edit) -> list[Any]:
    data = [copy.deepcopy(d.data) for d in docs]
    mapping = get_in(data[edit.document], edit.mapping)
    mapping[edit.key] = copy.deepcopy(edit.value)
    return data


def apply_edit(text: str, edit: Edit, default_step: int | None = None) -> str:
    """Return ``text`` with ``edit`` written in; raise FixError when that cannot be done exactly.

    ``default_step`` is the indentation step for a mapping whose surroundings show none (by
    default, the commonest step in ``text``)."""
    docs = list(load_text(text))
    if any(p.kind == SYNTAX for d in docs for p in d.problems):
        raise FixError("the stream has YAML errors")
    if edit.document >= len(docs):
        raise FixError("the document is gone")
    doc = docs[edit.document]
    edit = _narrow(doc, edit)
    if edit is None:
        return text  # an earlier edit (through an anchor, say) already did it
    step = local_step(doc, edit.mapping) or default_step or indent_step(text)
    layout = _Layout(text)
    first, old_count, lines = _text_edit(layout, doc, edit, step)
    new = "\n".join(layout.lines[:first] + lines + layout.lines[first + old_count:])
    after = list(load_text(new))
    if any(p.kind == SYNTAX for d in after for p in d.problems):
        raise FixError("the edited text would not parse")
    expected = _expected(docs, edit)
    if [d.data for d in after] != expected or not same_types([d.data for d in after], expected):
        raise FixError("the edit would change more than the one field (an anchor or merge key?)")
    return new


def same_types(a: Any, b: Any) -> bool:
    """Whether two equal values also agree in the type of every scalar (True is not 1)."""
    return _types(a) == _types(b)


def _types(value: Any) -> Any:
    """The value with every scalar replaced by its type, so True and 1 do not compare equal."""
    if isinstance(value, dict):
        return {k: _types(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_types(v) for v in value]
    return type(value)


def apply_edits(text: str, batch: list[Edit], default_step: int | None = None) -> str | None:
    """Return ``text`` with every edit of ``batch`` written in, planned against ``text`` itself
    and verified by one re-reading; None when they cannot be written together (an edit refused,
    two edits on the same lines, or a result that is not exactly the data plus the edits): then
    the caller writes them one at a time with ``apply_edit``."""
    docs = list(load_text(text))
    if any(p.kind == SYNTAX for d in docs for p in d.problems):
        return None
    layout = _Layout(text)
    expected = [copy.deepcopy(d.data) for d in docs]
    splices = []
    for n, edit in enumerate(batch):
        if edit.document >= len(docs):
            return None
        doc = docs[edit.document]
        narrowed = _narrow(doc, edit)
        if narrowed is None:
            continue
        step = local_step(doc, narrowed.mapping) or default_step or indent_step(text)
        try:
            first, old_count, lines = _text_edit(layout, doc, narrowed, step)
        except FixError:
            return None
        mapping = get_in(expected[narrowed.document], narrowed.mapping)
        if not isinstance(mapping, dict):
            return None
        mapping[narrowed.key] = copy.deepcopy(narrowed.value)
        # At one line, a later insertion goes above an earlier one, as when written one by one.
        splices.append((first, -n, old_count, lines))
    out: list[str] = []
    at = 0
    for first, _, old_count, lines in sorted(splices, key=lambda s: (s[0], s[1])):
        if first < at:
            return None  # two edits on the same lines
        out += layout.lines[at:first]
        out += lines
        at = first + old_count
    new = "\n".join(out + layout.lines[at:])
    after = list(load_text(new))
    if any(p.kind == SYNTAX for d in after for p in d.problems):
        return None
    if [d.data for d in after] != expected or not same_types([d.data for d in after], expected):
        return None
    return new
