"""Inline and annotation suppressions, and reporting the ones that match nothing.

Grammar (in a YAML comment):
    # jobcheck: ignore                 every rule, on this line (or the next line when alone)
    # jobcheck: ignore[JC306, missing-ttl]
    # jobcheck: ignore-file[JC201]      the whole file (``ignore-file`` alone: every rule)
Object annotation: ``jobcheck.dev/ignore: "JC201,JC305"`` exempts that object.

A directive alone on its line applies to the next line (directly stacked directives share the
line after the stack) and also to the key that opens the block it is written in: the nearest
key or list item above it that is indented less than the comment and holds a mapping or a list.
That is where a missing field is reported (JC307 on the CronJob's ``spec:``), so a comment
inside ``spec:`` silences what is reported for ``spec:``.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from jobcheck.finding import Finding
from jobcheck.record import dataclass, field
from jobcheck.redact import LazyPattern
from jobcheck.yaml.positions import Positions

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up, issue 13)
if TYPE_CHECKING:
    from typing import Any

ANNOTATION = "jobcheck.dev/ignore"
_DIRECTIVE = LazyPattern(r"#\s*jobcheck:\s*(ignore-file|ignore)\b(?:\[([^\]]*)\])?")


@dataclass
class Directive:
    line: int  # 1-based line of the comment
    column: int
    end_column: int
    codes: frozenset[str] | None  # None = every rule
    file_wide: bool
    applies_to: int  # the line whose findings it silences (0 for file-wide)
    alone: bool = False  # the comment is alone on its line
    blocks: set = field(default_factory=set)  # lines of the keys opening the block it is in (see block_keys)
    used: set = field(default_factory=set)


def parse_directive_lines(lines: Iterable[tuple[int, str]]) -> list[Directive]:
    """Directives from (1-based line number, line text) pairs, such as the pre-scan collects."""
    out = []
    for number, line in lines:
        match = _DIRECTIVE.search(line)
        if not match or not _is_comment(line, match.start()):
            continue
        codes = None
        if match.group(2) is not None:
            codes = frozenset(c.strip() for c in match.group(2).split(",") if c.strip())
        file_wide = match.group(1) == "ignore-file"
        alone = not line[: match.start()].strip()
        applies_to = 0 if file_wide else (number + 1 if alone else number)
        out.append(Directive(number, match.start() + 1, match.end() + 1, codes, file_wide, applies_to, alone))
    # A stack of directives, each alone on its line, applies to the line after the stack.
    target: dict[int, int] = {}
    for d in reversed(out):
        if d.alone and not d.file_wide:
            d.applies_to = target.get(d.applies_to, d.applies_to)
            target[d.line] = d.applies_to
    return out


def block_keys(directives: list[Directive], data: Any, positions: Positions) -> None:
    """Record, for each directive alone on its line inside this document, the key opening its block.

    The block is found by indentation, as a reader sees it: from the document's top, the last
    key (or list item) above the comment that is indented less than it (a list item: not more,
    as its content starts after the dash) and holds a mapping or a list, then the same within it.
    """
    top, _, bottom, _ = positions.root
    # Directives are in line order: look only at this document's lines (a long stream has many).
    first = bisect.bisect_left(directives, top + 1, key=lambda d: d.line)
    for d in directives[first:]:
        if d.line - 1 > bottom:
            break
        if d.alone and not d.file_wide:
            line = _block_key_line(data, positions, d.line - 1, d.column - 1)
            if line is not None:
                d.blocks.add(line + 1)


def _block_key_line(node: Any, positions: Positions, line: int, column: int) -> int | None:
    found = None
    while isinstance(node, (dict, list)):
        table = positions.tables.get(id(node))
        if table is None:
            break
        last = None  # (start line, child) of the last entry starting above the comment, less indented
        for key, marks in (table.items() if isinstance(node, dict) else enumerate(table)):
            start_line, start_col = marks[0], marks[1]
            inside = start_col <= column if isinstance(node, list) else start_col < column
            if start_line < line and inside and (last is None or start_line >= last[0]):
                last = (start_line, node[key])
        if last is None or not isinstance(last[1], (dict, list)):
            break
        found, node = last
    return found


def _is_comment(line: str, hash_index: int) -> bool:
    """A ``#`` starts a comment at line start or after whitespace, outside quotes (good enough for YAML)."""
    before = line[:hash_index]
    if before and not before[-1].isspace():
        return False
    return before.count('"') % 2 == 0 and before.count("'") % 2 == 0


def _matches(codes: frozenset[str] | None, finding: Finding) -> str | None:
    """Return which code matched (``*`` for a blanket directive), or None."""
    if codes is None:
        return "*"
    for code in codes:
        if code in (finding.rule, finding.name) or code.lower() == "all":
            return code
    return None


def annotation_codes(value: object) -> frozenset[str] | None:
    """Codes listed in a ``jobcheck.dev/ignore`` annotation value ("all" or empty = every rule)."""
    if not isinstance(value, str):
        return frozenset()
    codes = frozenset(c.strip() for c in value.split(",") if c.strip())
    return None if not codes or "all" in {c.lower() for c in codes} else codes


def apply(findings: list[Finding], directives: list[Directive]) -> list[Finding]:
    """Drop suppressed findings; mark which directive codes were used."""
    if not directives:
        return findings
    by_line: dict[int, list[Directive]] = {}
    file_wide = []
    by_block: dict[int, list[Directive]] = {}
    for d in directives:
        (file_wide if d.file_wide else by_line.setdefault(d.applies_to, [])).append(d)
        for line in d.blocks:
            if line != d.applies_to:
                by_block.setdefault(line, []).append(d)
    kept = []
    for f in findings:
        suppressed = False
        for d in file_wide + by_line.get(f.line, []) + by_block.get(f.line, []):
            code = _matches(d.codes, f)
            if code is not None:
                d.used.add(code)
                suppressed = True
        if not suppressed:
            kept.append(f)
    return kept


def unused(directives: list[Directive], inactive: frozenset[str] = frozenset()) -> list[tuple[Directive, str]]:
    """(directive, description) for each directive or listed code that matched nothing.

    A code in ``inactive`` (a rule this run does not select) is never stale: the rule did not
    look, so the comment may well be needed in a run that selects it.
    """
    out = []
    for d in directives:
        if d.codes is None:
            if not d.used:
                out.append((d, "suppression comment matches no finding"))
            continue
        stale = sorted(c for c in d.codes if c not in d.used and c not in inactive)
        if stale:
            out.append((d, f"suppression of {', '.join(stale)} matches no finding"))
    return out
