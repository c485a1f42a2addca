"""A first, cheap pass over a file: is it text, which lines carry directives or helm sources.

It reads in chunks, so a long stream can then be parsed straight from the file and never be
held in memory whole.
"""

from __future__ import annotations

import codecs
import re

from jobcheck.record import dataclass, field
from jobcheck.yaml.loader import SYNTAX, Problem

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up, issue 13)
if TYPE_CHECKING:
    from typing import BinaryIO

# Under malloc's mmap threshold (128 KiB): a read of 1 MiB allocated its buffer with mmap, then
# shrank and freed it with mremap and munmap, three system calls for every small file.
CHUNK = 1 << 16
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# A Go template action as Helm charts write them: `{{ .Values.x }}`, `{{- include ... }}`,
# `{{ if ... }}`, `{{/* comment */}}`. Plain `{{` in a value (an Argo or shell placeholder) is not one.
_TEMPLATE = re.compile(
    r"\{\{-?\s*(?:[.$]|/\*|(?:if|else|end|range|with|include|template|define|block|toYaml|tpl|required|"
    r"default|quote|printf|nindent|indent|fail|lookup)\b)")
# What a file meant as a Job or CronJob manifest says somewhere, in YAML or JSON spelling: it
# decides whether a file that does not parse is reported (JC001) or skipped as not ours.
# Two searches that each start with their literal word, so that the regex engine looks for the word
# before trying the rest; the word boundary before it is checked behind the word. One pattern
# (an optional quote, then ``\b(?:kind...|apiVersion...)``) was tried at every position: 9 ms of a
# run over ../shared/corpus/public, now under 0.5 ms (issue 13).
_BATCH_KIND = re.compile(r"""kind(?<=\bkind)["']?\s*:\s*["']?(?:Cron)?Job\b""")
_BATCH_API = re.compile(r"""apiVersion(?<=\bapiVersion)["']?\s*:\s*["']?batch/""")


@dataclass
class Prescan:
    directive_lines: list[tuple[int, str]] = field(default_factory=list)  # (1-based line, text) with "jobcheck:"
    source_lines: list[tuple[int, str]] = field(default_factory=list)  # (1-based line, text) with "# Source: "
    blank: bool = True  # nothing but whitespace (or nothing at all)
    names_batch: bool = False  # says kind: Job/CronJob or apiVersion: batch/... somewhere
    problem: Problem | None = None  # not text: binary, or not valid UTF-8
    template: tuple[int, int] | None = None  # (line, column) of the first Helm template action outside a comment
    # The file's bytes, when its first read held them all (most files): the loader parses them
    # from memory instead of reading the file a second time.
    whole: bytes | None = field(default=None, compare=False, repr=False)


class _Lines:
    """Feeds decoded chunks and collects the marked lines, counting lines as it goes."""

    def __init__(self, result: Prescan) -> None:
        self.result = result
        self.line = 1  # number of the first line of ``self.rest``
        self.rest = ""

    def feed(self, text: str, final: bool = False) -> None:
        text = self.rest + text
        cut = len(text) if final else text.rfind("\n") + 1
        complete, self.rest = text[:cut], text[cut:]
        if self.result.blank and complete and not complete.isspace():  # strip() would copy the text
            self.result.blank = False
        if not self.result.names_batch and ("Job" in complete or "batch/" in complete):
            self.result.names_batch = names_batch(complete)
        if self.result.template is None and "{{" in complete:
            self.result.template = _template_at(complete, self.line)
        directive, source = "jobcheck:" in complete, "# Source: " in complete
        if directive or source:
            line, pos, end = self.line, 0, 0
            # Find the markers, then widen each to its line: a pattern spanning whole lines
            # (^.*marker.*$) would try every position of every line. str.find, not a pattern of the
            # two words: the regex engine tried the pattern at every position (19 us on a 3 kB
            # file holding one "# Source:", against 1 us; issue 13).
            while True:
                at_directive = complete.find("jobcheck:", end) if directive else -1
                at_source = complete.find("# Source: ", end) if source else -1
                directive, source = at_directive >= 0, at_source >= 0
                if directive and (not source or at_directive < at_source):
                    found, after = at_directive, at_directive + len("jobcheck:")
                elif source:
                    found, after = at_source, at_source + len("# Source: ")
                else:
                    break
                start = complete.rfind("\n", 0, found) + 1
                end = complete.find("\n", after)
                if end < 0:
                    end = len(complete)
                line += complete.count("\n", pos, start)
                pos = start
                entry = (line, complete[start:end].rstrip("\r"))
                if "jobcheck:" in entry[1]:
                    self.result.directive_lines.append(entry)
                if entry[1].startswith("# Source: "):
                    self.result.source_lines.append(entry)
        self.line += complete.count("\n")


def _template_at(text: str, first_line: int) -> tuple[int, int] | None:
    """(line, column) of the first template action in ``text`` on a line that is not a comment."""
    for match in _TEMPLATE.finditer(text):
        start = text.rfind("\n", 0, match.start()) + 1
        if text[start:match.start()].lstrip().startswith("#"):
            continue
        return first_line + text.count("\n", 0, start), match.start() - start + 1
    return None


def names_batch(text: str) -> bool:
    """Whether the text names kind Job or CronJob, or a batch/ apiVersion (YAML or JSON spelling)."""
    return _BATCH_KIND.search(text) is not None or _BATCH_API.search(text) is not None


def prescan_text(text: str) -> Prescan:
    """The pre-pass over text already in memory."""
    result = Prescan()
    _Lines(result).feed(text, final=True)
    return result


def prescan_file(handle: BinaryIO) -> Prescan | None:
    """The pre-pass over a binary file, chunk by chunk; None when it should be read whole (UTF-16)."""
    result = Prescan()
    head = handle.read(CHUNK)
    if head.startswith(_UTF16_BOMS):
        return None
    if b"\x00" in head[:8192]:
        result.names_batch = names_batch(head.decode("utf-8", "replace"))
        result.problem = Problem(SYNTAX, "file is binary (contains NUL bytes), not YAML or JSON", 1, 1)
        return result
    decoder = codecs.getincrementaldecoder("utf-8-sig")("strict")
    lines = _Lines(result)
    consumed = b""  # bytes of the current unfinished line, to place a decoding error exactly
    chunk = head
    while True:
        final = len(chunk) < CHUNK
        try:
            lines.feed(decoder.decode(chunk, final=final), final=final)
        except UnicodeDecodeError as exc:
            result.problem = _decode_problem(lines, consumed, chunk, exc)
            result.names_batch = result.names_batch or names_batch(chunk.decode("utf-8", "replace"))
            return result
        if final:
            if chunk is head:
                result.whole = head
            return result
        consumed = chunk[chunk.rfind(b"\n") + 1:] if b"\n" in chunk else consumed + chunk
        chunk = handle.read(CHUNK)


def _decode_problem(lines: _Lines, consumed: bytes, chunk: bytes, exc: UnicodeDecodeError) -> Problem:
    before = chunk[: exc.start]
    line = lines.line + before.count(b"\n")
    tail = before.rsplit(b"\n", 1)[-1] if b"\n" in before else consumed + before
    if line == 1 and tail.startswith(codecs.BOM_UTF8):
        tail = tail[len(codecs.BOM_UTF8):]
    col = len(tail.decode("utf-8", "replace")) + 1
    bad = chunk[exc.start]
    return Problem(SYNTAX, f"file is not valid UTF-8: byte 0x{bad:02x} cannot be decoded", line, col, line, col + 1)


def sources_by_line(prescan: Prescan) -> list[tuple[int, str]]:
    """(line, template path) of the helm ``# Source:`` comments."""
    return [(line, text[len("# Source: "):].strip()) for line, text in prescan.source_lines]
