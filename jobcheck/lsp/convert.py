"""Positions, findings and edits in the shapes LSP wants, as plain dicts (the server turns them
into lsprotocol types).

jobcheck's positions are 1-based lines and 1-based columns counted in code points; LSP's are
0-based, and its characters are counted in the encoding negotiated at initialize: UTF-16 code
units unless the client offered another (an astral character such as an emoji is two UTF-16
units, four UTF-8 bytes, one code point).
"""

from __future__ import annotations

from jobcheck.finding import Finding, Severity
from jobcheck.report.escape import printable

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"

# LSP's DiagnosticSeverity: 1 error, 2 warning, 3 information.
SEVERITY = {Severity.ERROR: 1, Severity.WARNING: 2, Severity.INFO: 3}


def units(text: str, encoding: str = UTF16) -> int:
    """The length of ``text`` in the code units of ``encoding``."""
    if encoding == UTF32:
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def character(line: str, column: int, encoding: str = UTF16) -> int:
    """The LSP character of 1-based code-point ``column`` on ``line`` (clamped to the line)."""
    return units(line[: max(column - 1, 0)], encoding)


def column(line: str, char: int, encoding: str = UTF16) -> int:
    """The 1-based code-point column of LSP character ``char`` on ``line`` (inverse of ``character``;
    a position inside a character counts as that character, past the end as the end)."""
    if encoding == UTF32:
        return min(max(char, 0), len(line)) + 1
    count = 0
    for index, ch in enumerate(line):
        width = units(ch, encoding)
        if count + width > char:
            return index + 1
        count += width
    return len(line) + 1


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` as LSP counts them (LF, CRLF or CR end a line), without their ends."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def position(lines: list[str], line: int, col: int, encoding: str = UTF16) -> dict:
    """The LSP position of 1-based (``line``, ``col``) in a document of ``lines``."""
    index = min(max(line - 1, 0), max(len(lines) - 1, 0))
    text = lines[index] if lines else ""
    return {"line": index, "character": character(text, col, encoding)}


def finding_range(f: Finding, lines: list[str], encoding: str = UTF16) -> dict:
    """The range of a finding: from its column to its end (one character when it has none)."""
    start = position(lines, f.line, f.column, encoding)
    if f.end_line > f.line or (f.end_line == f.line and f.end_column > f.column):
        end = position(lines, f.end_line, f.end_column, encoding)
    else:
        end = position(lines, f.line, f.column + 1, encoding)
    return {"start": start, "end": end}


def message_text(text: str) -> str:
    """``text`` as the text report prints it: escaped line by line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(printable(line) for line in text.split("\n"))


def message(f: Finding) -> str:
    """A finding's message as the text report prints it (rule messages never hold a secret's value)."""
    return message_text(f.message)


def diagnostic(f: Finding, lines: list[str], help_uri: str | None, encoding: str = UTF16) -> dict:
    """The LSP Diagnostic of one finding."""
    out = {
        "range": finding_range(f, lines, encoding),
        "severity": SEVERITY[f.severity],
        "code": f.rule,
        "source": "jobcheck",
        "message": message(f) + (f" ({f.name})" if f.name else ""),
        "data": {"rule": f.rule, "line": f.line, "column": f.column, "document": f.document, "field": f.field},
    }
    if help_uri:
        out["codeDescription"] = {"href": help_uri}
    return out


def text_edit(old: str, new: str, encoding: str = UTF16) -> dict | None:
    """One LSP TextEdit turning ``old`` into ``new``: the span between their common prefix and
    suffix (whole lines, so the edit reads as the lines --fix changed), None when equal."""
    if old == new:
        return None
    old_lines = old.split("\n")
    new_lines = new.split("\n")
    head = 0
    while head < min(len(old_lines), len(new_lines)) - 1 and old_lines[head] == new_lines[head]:
        head += 1
    tail = 0
    while (tail < min(len(old_lines), len(new_lines)) - head - 1
           and old_lines[-1 - tail] == new_lines[-1 - tail]):
        tail += 1
    # Lines [head, len - tail) of old become the same lines of new. With lines kept after them,
    # the range ends at the start of the first kept line, so a CRLF line end is replaced whole.
    if tail:
        old_end = len(old_lines) - tail
        new_text = "".join(line + "\n" for line in new_lines[head: len(new_lines) - tail])
        end = {"line": old_end, "character": 0}
    else:
        new_text = "\n".join(new_lines[head:])
        end = {"line": len(old_lines) - 1, "character": units(old_lines[-1], encoding)}
    return {"range": {"start": {"line": head, "character": 0}, "end": end}, "newText": new_text}


def apply_text_edit(text: str, edit: dict, encoding: str = UTF16) -> str:
    """``text`` with one LSP TextEdit applied (the tests check edits byte for byte with it)."""
    lines = text.split("\n")

    def offset(pos: dict) -> int:
        line = pos["line"]
        before = sum(len(x) + 1 for x in lines[:line])
        return before + column(lines[line], pos["character"], encoding) - 1

    start, end = offset(edit["range"]["start"]), offset(edit["range"]["end"])
    return text[:start] + edit["newText"] + text[end:]
