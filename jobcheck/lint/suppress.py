"""Inline and annotation suppressions, and reporting the ones that match nothing.

Grammar (in a YAML comment):
    # jobcheck: ignore                 every rule, on this line (or the next line when alone)
    # jobcheck: ignore[JC306, missing-ttl]
    # jobcheck: ignore-file[JC201]      the whole file (``ignore-file`` alone: every rule)
Object annotation: ``jobcheck.dev/ignore: "JC201,JC305"`` exempts that object.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from jobcheck.finding import Finding

ANNOTATION = "jobcheck.dev/ignore"
_DIRECTIVE = re.compile(r"#\s*jobcheck:\s*(ignore-file|ignore)\b(?:\[([^\]]*)\])?")


@dataclass
class Directive:
    line: int  # 1-based line of the comment
    column: int
    end_column: int
    codes: frozenset[str] | None  # None = every rule
    file_wide: bool
    applies_to: int  # the line whose findings it silences (0 for file-wide)
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
        out.append(Directive(number, match.start() + 1, match.end() + 1, codes, file_wide, applies_to))
    return out


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
    for d in directives:
        (file_wide if d.file_wide else by_line.setdefault(d.applies_to, [])).append(d)
    kept = []
    for f in findings:
        suppressed = False
        for d in file_wide + by_line.get(f.line, []):
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
