"""Code actions: each fixable finding's fix (the edits ``--fix`` writes), and suppression comments
in the project's own syntax (``jobcheck.lint.suppress``) for the line and for the file.

Every action is one LSP TextEdit computed from the new text, so everything else in the document
stays byte for byte. A suppression is offered only when linting the new text shows it silences
the finding and breaks nothing (a comment cannot go everywhere: inside a block scalar it would be
text).
"""

from __future__ import annotations

import re

from jobcheck.finding import Finding
from jobcheck.fix.transform import fix_findings
from jobcheck.lint.options import LintOptions
from jobcheck.lsp import convert
from jobcheck.run import lint_text

QUICKFIX = "quickfix"


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def fix_action(text: str, finding: Finding, options: LintOptions, diagnostic: dict,
               encoding: str = convert.UTF16) -> dict | None:
    """The fix of ``finding`` as a code action, or None when its rule has no fixer or the fixer
    declines here. Safe fixes are preferred; unsafe ones say so in their title."""
    rule = options.rules.get(finding.rule)
    if rule is None or rule.fixer is None or rule.fix_safety not in ("safe", "unsafe"):
        return None
    outcome = fix_findings(text, [finding], options)
    if not outcome.fixed or outcome.text == text:
        return None
    edit = convert.text_edit(text, outcome.text, encoding)
    safe = rule.fix_safety == "safe"
    title = f"Fix {rule.id} ({rule.name})" + ("" if safe else " [unsafe fix: review the change]")
    return {"title": title, "kind": QUICKFIX, "diagnostics": [diagnostic], "isPreferred": safe, "edit": edit}


def suppress_line_text(text: str, finding: Finding) -> str | None:
    """``text`` with ``# jobcheck: ignore[ID]`` for the finding's line: at the end of the line when
    it has no comment, else alone on a line above it, at its indentation."""
    lines = text.split("\n")
    index = finding.line - 1
    if not 0 <= index < len(lines):
        return None
    line = lines[index]
    body, cr = (line[:-1], "\r") if line.endswith("\r") else (line, "")
    directive = f"# jobcheck: ignore[{finding.rule}]"
    if "#" not in body and body.strip():
        lines[index] = f"{body.rstrip()}  {directive}{cr}"
    else:
        indent = re.match(r"[ \t]*", body).group(0)  # type: ignore[union-attr]
        lines.insert(index, f"{indent}{directive}{cr}")
    return "\n".join(lines)


def suppress_file_text(text: str, finding: Finding) -> str:
    """``text`` with ``# jobcheck: ignore-file[ID]`` as its first line (after a BOM)."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    return f"{bom}# jobcheck: ignore-file[{finding.rule}]{_newline(text)}{text[len(bom):]}"


def _silences(new: str, finding: Finding, before: list[Finding], name: str, options: LintOptions) -> bool:
    """Whether linting ``new`` drops the finding's rule once and adds nothing else of any rule."""
    after = lint_text(new, name, options).findings

    def count(findings: list[Finding]) -> dict[str, int]:
        out: dict[str, int] = {}
        for f in findings:
            out[f.rule] = out.get(f.rule, 0) + 1
        return out

    old, now = count(before), count(after)
    if now.get(finding.rule, 0) >= old.get(finding.rule, 0):
        return False
    return all(now.get(rule, 0) <= n for rule, n in old.items()) and set(now) <= set(old)


def suppress_actions(text: str, finding: Finding, findings: list[Finding], name: str, options: LintOptions,
                     diagnostic: dict, encoding: str = convert.UTF16) -> list[dict]:
    """"Suppress on this line" and "for this file", each when it works; none for JSON, which has
    no comments."""
    if name.lower().endswith(".json") or text.lstrip("\ufeff \t\r\n").startswith(("{", "[")):
        return []
    out = []
    for title, new in ((f"Suppress {finding.rule} on this line", suppress_line_text(text, finding)),
                       (f"Suppress {finding.rule} for this file", suppress_file_text(text, finding))):
        if new is None or not _silences(new, finding, findings, name, options):
            continue
        edit = convert.text_edit(text, new, encoding)
        out.append({"title": title, "kind": QUICKFIX, "diagnostics": [diagnostic], "edit": edit})
    return out
