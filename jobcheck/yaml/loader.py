"""Bytes to documents: plain Python data plus a position index.

Three parsers can feed the same event-driven builder, the fastest available first:
PyYAML's libyaml binding (``yaml._yaml``, when PyYAML was built with libyaml), ruamel.yaml's C
parser (ruamel.yaml.clib) and ruamel.yaml's pure-Python parser. Reports are those of the ruamel
parsers: whenever the first one stops on an error, or meets what it reads otherwise than the
older libyaml inside ruamel.yaml.clib (a ":" or "?" inside a plain scalar in a flow collection),
the stream is read again by the ruamel parsers and the documents already handed on are skipped.
Round-trip mode is never used here (it is ten times slower and belongs to --fix).
"""

from __future__ import annotations

import bisect
import collections
import io
import itertools
import math
import os
import re
import struct
import sys
import warnings
from collections.abc import Iterator

from jobcheck.record import dataclass, field
from jobcheck.yaml.positions import Positions
from jobcheck.yaml.scalars import MAYBE_NOT_STRING, NUMERIC_START, resolve_plain, resolve_tagged

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up, issue 13)
if TYPE_CHECKING:
    from typing import Any, BinaryIO

MAX_DEPTH = 256  # far deeper than any manifest; keeps the builder and rules off the recursion limit
ALIAS_BUDGET = 100_000  # expanded nodes allowed beyond 10x the nodes actually written
# The rest of the line is taken whole and stripped in Python: ``(.+?)\s*$`` retried the
# trailing-space match at every character, quadratic on a long line of spaces.
_SOURCE_RE = re.compile(r"^# Source: ([^\n]+)", re.MULTILINE)


SYNTAX = "syntax"  # not YAML/JSON, not text, or beyond the nesting and alias limits
DUPLICATE_KEY = "duplicate-key"
HELM_TEMPLATE = "helm-template"  # a chart template ({{ ... }}), not YAML until helm renders it (prescan)
# Loads, but Kubernetes' converter refuses it (a null or uint64 map key): `jobcheck dump` says so.
REFUSED = "refused"


@dataclass(frozen=True)
class Problem:
    """A loading problem with its own position (1-based).

    ``kind`` names the class of problem (SYNTAX, DUPLICATE_KEY); the rule that reports each
    kind is declared in its rule file (``check: {problems: [...]}``), not here.
    """

    kind: str
    message: str
    line: int
    column: int
    end_line: int = 0
    end_column: int = 0
    severity: str | None = None  # overrides the rule's severity when set
    report: str | None = None  # the message for lint reports, when ``message`` shows a value


@dataclass
class Document:
    index: int  # position in the stream, 0-based
    data: Any
    positions: Positions
    line: int  # 1-based line where the document starts
    source: str | None = None  # helm "# Source:" template path
    problems: list[Problem] = field(default_factory=list)
    # A ``*List`` read with ``stream_lists``: its items come one by one, as documents of their own
    # (``ITEM``: ``data`` is ``{"items": <a list whose only entry is the item, at its index>}``),
    # then the rest of it (``END``: the List without its items, or None if it broke off).
    part: int = 0
    # What suppression comments are placed in (data, positions whose root spans the lines),
    # when that is not the document itself (a part of a List).
    scopes: list[tuple[Any, Positions]] | None = None


WHOLE, ITEM, END = 0, 1, 2  # Document.part


class _Abort(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


# The parsers, fastest first (JOBCHECK_YAML_PARSER names one; JOBCHECK_PURE_YAML=1 means "pure").
PYYAML, RUAMEL_C, PURE = "pyyaml", "ruamel", "pure"


class _Parser:
    """One parser: how to start it on a source, its event classes, the errors it raises."""

    def __init__(self, name: str, make, events, errors: tuple) -> None:
        self.name = name
        self.make = make  # source -> get_event
        self.scalar, self.alias = events.ScalarEvent, events.AliasEvent
        self.sequence_start, self.sequence_end = events.SequenceStartEvent, events.SequenceEndEvent
        self.mapping_start, self.mapping_end = events.MappingStartEvent, events.MappingEndEvent
        self.document_end, self.stream_end = events.DocumentEndEvent, events.StreamEndEvent
        self.errors = errors


_parsers: dict[str, _Parser | None] = {}


def _parser(name: str) -> _Parser | None:
    """The named parser, or None when it is not installed (imported on first use: each costs
    20-30 ms, and a run needs one of them)."""
    if name not in _parsers:
        _parsers[name] = _import_parser(name)
    return _parsers[name]


def _compile_pyyaml_later(compile_now):
    """``re.compile`` while PyYAML is imported: its own patterns are compiled when first used.
    Importing it compiles a dozen (its pure reader's test of printable characters, its resolver's
    plain scalars: about 6 ms, a tenth of a pre-commit run's start-up) that the events of its C
    parser, all jobcheck reads, never use. Any other module's pattern is compiled by ``compile_now``."""

    def compile_(pattern: str, flags: int = 0):
        if sys._getframe(1).f_globals.get("__name__", "").startswith("yaml."):
            from jobcheck.redact import LazyPattern

            return LazyPattern(pattern, flags)
        return compile_now(pattern, flags)

    return compile_


def _import_parser(name: str) -> _Parser | None:
    if name == PYYAML:
        compile_now = re.compile
        re.compile = _compile_pyyaml_later(compile_now)
        try:  # PyYAML's libyaml binding; absent where PyYAML was installed without libyaml
            from yaml import events
            from yaml._yaml import CParser
            from yaml.error import YAMLError as PyYAMLError
        except ImportError:
            return None
        finally:
            re.compile = compile_now
        # A str with lone surrogates cannot be encoded for libyaml: the ruamel parsers report it.
        return _Parser(name, lambda source: CParser(source).get_event, events, (PyYAMLError, UnicodeError))
    from ruamel.yaml import events as ruamel_events
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    errors = (MarkedYAMLError, YAMLError)
    if name == RUAMEL_C:
        try:  # the C extension; absent on PyPy or where ruamel.yaml.clib is not installed
            from _ruamel_yaml import CParser as RuamelCParser
        except ImportError:
            return None
        return _Parser(name, lambda source: RuamelCParser(source).get_event, ruamel_events, errors)

    if name != PURE:
        return None

    def pure(source):  # its reader checks the first characters as it is made: inside _load's try
        from ruamel.yaml.loader import BaseLoader

        loader = BaseLoader(source)
        try:  # ruamel.yaml 0.18+ notes %YAML and %TAG directives in doc_infos, which only YAML() makes
            from ruamel.yaml.docinfo import DocInfo
        except ImportError:  # an older one notes nothing
            pass
        else:
            loader.doc_infos = [DocInfo()]
        return loader.parser.get_event

    return _Parser(PURE, pure, ruamel_events, errors)


def parser_names() -> list[str]:
    """The parsers installed here, fastest first."""
    return [name for name in (PYYAML, RUAMEL_C, PURE) if _parser(name) is not None]


# What the environment asks for, read once: an os.environ lookup runs Python (~1 us), and
# _choose asks for every file.
_asked: tuple[str | None, bool] | None = None


def _default_parser() -> str:
    global _asked
    if _asked is None:
        _asked = (os.environ.get("JOBCHECK_YAML_PARSER"), bool(os.environ.get("JOBCHECK_PURE_YAML")))
    forced, pure = _asked
    if forced in (PYYAML, RUAMEL_C, PURE) and _parser(forced) is not None:
        return forced
    if pure:
        return PURE
    return PYYAML if _parser(PYYAML) is not None else _ruamel()


def _ruamel() -> str:
    return RUAMEL_C if _parser(RUAMEL_C) is not None else PURE


def use_c_parser() -> bool:
    return _default_parser() != PURE


class _Reread(Exception):
    """PyYAML's libyaml may read this stream otherwise than the ruamel parsers: read it with them."""


def decode(raw: bytes) -> tuple[str | None, Problem | None]:
    """Decode file bytes as Kubernetes tooling does (UTF-8, BOMs accepted)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), None
        except UnicodeDecodeError:
            pass
    if b"\x00" in raw[:8192]:
        return None, Problem(SYNTAX, "file is binary (contains NUL bytes), not YAML or JSON", 1, 1)
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before.rsplit(b"\n", 1)[-1].decode("utf-8", "replace")) + 1
        msg = f"file is not valid UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded"
        return None, Problem(SYNTAX, msg, line, col, line, col + 1)


def load_text(text: str, pure: bool | None = None,
              sources: list[tuple[int, str]] | None = None, stream_lists: bool = False,
              parser: str | None = None) -> Iterator[Document]:
    """Yield the documents of a YAML/JSON stream one at a time.

    A syntax error ends the stream (the parser cannot resynchronise): the
    document it occurs in is yielded with a SYNTAX problem and no data.
    ``stream_lists``: the items of a ``*List`` document come one by one (``Document.part``),
    so that a List of 100,000 Jobs is never held whole.
    ``pure`` forces ruamel.yaml's pure-Python parser, ``parser`` names one (PYYAML, RUAMEL_C, PURE).
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    if sources is None and "# Source:" in text:  # callers with a pre-scan pass them in
        sources = _source_comments(text)
    return _load(text, sources, lambda line, col: char_at(text, line, col), _choose(pure, parser), lambda: text,
                 stream_lists, lambda: _kind_lines(text[i: i + _CHUNK] for i in range(0, len(text), _CHUNK)))


def load_file(handle: BinaryIO, sources: list[tuple[int, str]] | None,
              pure: bool | None = None, stream_lists: bool = True, parser: str | None = None,
              data: bytes | None = None) -> Iterator[Document]:
    """Like load_text, parsing straight from a binary UTF-8 file as it is read, and for the engine:
    the items of a List come one by one unless ``stream_lists`` is False.

    The caller has checked the encoding and collected the helm Source comments (jobcheck.yaml.prescan),
    so the file's text is never held in memory whole. ``data``: the file's bytes, when the caller
    read them all already (a small file): they are parsed instead, and the handle is read again
    only to place a syntax error or for a second parser.
    """

    def char_at_in_file(line: int, column: int) -> str:
        lines = handle if data is None else io.BytesIO(data)  # a handle given with its data may be unbuffered
        lines.seek(0)
        for number, raw in enumerate(lines):
            if number == line:
                return raw.decode("utf-8-sig" if number == 0 else "utf-8", "replace")[column: column + 1]
        return ""

    def rewind() -> BinaryIO:
        handle.seek(0)
        return handle

    return _load(handle if data is None else data, sources, char_at_in_file, _choose(pure, parser), rewind,
                 stream_lists, lambda: _kind_lines(_chunks(handle)))


def _choose(pure: bool | None, parser: str | None) -> str:
    if pure:
        return PURE
    if parser is not None:
        if _parser(parser) is None:
            raise ValueError(f"YAML parser {parser!r} is not installed")
        return parser
    return _default_parser()


# The C parser (an older libyaml) refuses a ":" inside a plain scalar in flow context ("[12:30]",
# "{a:1}"); go-yaml and ruamel's pure-Python parser read it as part of the scalar, as Kubernetes does.
_C_PARSER_ONLY = "found unexpected ':'"


def _load(source, sources, char_at_fn, parser_name: str, restart, stream_lists: bool = False,
          kind_lines=None) -> Iterator[Document]:
    parser = _parser(parser_name)
    builder = _Builder(parser, kind_lines if stream_lists else None)
    index = 0
    last_line = 0
    yielded = 0  # documents and parts of Lists
    reread = None  # the ruamel parser that reads the stream again, and why
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            get_event = parser.make(source)
            get_event()  # StreamStart
            stream_end = parser.stream_end
            while True:
                event = get_event()
                if type(event) is stream_end:
                    break
                start = event.start_mark.line + 1
                helm = None
                for doc in builder.documents(get_event, index, start):
                    if sources:
                        if helm is None:  # the parts of a List share the List's line
                            helm = (_source_for(sources, last_line, doc.line),)
                        doc.source = helm[0]
                    line = doc.line
                    yield doc
                    yielded += 1
                last_line = line
                index += 1
        except _Reread:
            reread = _ruamel()
        except parser.errors as exc:
            if parser_name == PYYAML:  # errors are reported as the ruamel parsers word and place them
                reread = _ruamel()
            elif parser_name == RUAMEL_C and getattr(exc, "problem", None) == _C_PARSER_ONLY:
                reread = PURE
            else:
                yield Document(index, None, Positions(), last_line + 1, problems=[_syntax_problem(exc, char_at_fn)],
                               part=END if builder.streaming else WHOLE)
                return
    if reread is not None:
        # The documents before were yielded already: read again, skip them.
        again = _load(restart(), sources, char_at_fn, reread, restart, stream_lists, kind_lines)
        yield from itertools.islice(again, yielded, None)


# Plain mapping keys as resolve_plain reads them, by text: the same few hundred field names make
# up nearly every key, and one lookup costs less than the two tests that tell a key needs
# resolving (issue 13). Bounded: emptied when full, and only short texts are kept.
_PLAIN_KEYS: dict[str, Any] = {}
_NOT_SEEN = object()


def _plain_key(text: str) -> Any:
    key = resolve_plain(text) if text[:1] in NUMERIC_START or text in MAYBE_NOT_STRING else text
    if len(text) <= 64:
        if len(_PLAIN_KEYS) >= 1024:
            _PLAIN_KEYS.clear()
        _PLAIN_KEYS[text] = key
    return key


class _Builder:
    """Turn one document's events into plain data and a position index."""

    def __init__(self, parser: _Parser, kind_lines=None) -> None:
        self.parser = parser
        # PyYAML's libyaml reads a ":" or "?" inside a plain scalar in a flow collection as part of
        # the scalar; the older libyaml in ruamel.yaml.clib refuses it or reads an indicator.
        self.check_flow = parser.name == PYYAML
        self.kind_lines = kind_lines  # set: stream the items of Lists (see _stream_here)
        self.kind_index: list[tuple[int, int, bool]] | None = None
        self.streaming = False  # parts of the current document were handed on
        # Counted over the whole stream, not per document: a file of many small alias bombs would
        # otherwise expand (for `dump`, which writes the expansion out) far beyond its size.
        self.physical = 0
        self.expanded = 0

    def documents(self, get_event, index: int, line: int) -> Iterator[Document]:
        """Yield the document, or the parts of a List whose items are handed on one by one."""
        positions = Positions()
        self.tables = positions.tables
        self.anchors: dict[str, tuple[Any, tuple, int]] = {}
        self.problems: list[Problem] = []
        self.streaming = False
        self.outside: tuple[dict, ...] = ()  # while a List item is built: the tables outside it
        event = get_event()
        parser = self.parser
        if isinstance(event, parser.document_end):  # an empty document
            yield Document(index, None, positions, line)
            return
        flow = self.check_flow and getattr(event, "flow_style", False)
        if flow:  # a JSON document: a flow collection (see _node)
            get_event = self._checked(get_event)
            self.check_flow = False
        try:
            if self.kind_lines is not None and type(event) is parser.mapping_start:
                value, marks, scopes = yield from self._root(event, get_event, index)
            else:
                (value, marks, _), scopes = self._node(event, get_event, 1), None
        except _Abort as abort:
            _skip_to_document_end(get_event, parser.document_end)
            yield Document(index, None, positions, line, problems=[abort.problem],
                           part=END if self.streaming else WHOLE)
            return
        finally:
            if flow:
                self.check_flow = True
        get_event()  # DocumentEnd
        positions.root = marks
        # The content's first line, not the "---" line: helm writes "# Source:" between the two.
        yield Document(index, value, positions, marks[0] + 1, problems=self.problems,
                       part=END if self.streaming else WHOLE, scopes=scopes)

    def _root(self, start, get_event, index: int):
        """The document's top mapping, as _mapping builds it, but for the items of a List, which it
        hands on as they are built (a generator: returns what _mapping returns, with the scopes
        of the List's own lines)."""
        mapping: dict[Any, Any] = {}
        table: dict[Any, tuple] = {}
        merged: set | None = None
        streamed = None  # (items key event, the empty list left in the data, first item line, end line)
        scalar, mapping_end, sequence_start = self.parser.scalar, self.parser.mapping_end, self.parser.sequence_start
        while True:
            key_event = get_event()
            if type(key_event) is mapping_end:
                break
            if type(key_event) is scalar and key_event.tag is None and key_event.anchor is None:
                key = key_event.value  # read inline as _mapping does (not counted: see below)
                if key_event.implicit[0] and (key[:1] in NUMERIC_START or key in MAYBE_NOT_STRING):
                    key = resolve_plain(key)
                key_marks = _marks(key_event)
            else:
                key, key_marks, _ = self._node(key_event, get_event, 2)
            event = get_event()
            if (key == "items" and type(event) is sequence_start and event.anchor is None
                    and event.tag is None and "items" not in mapping and self._stream_here(mapping, key_event)):
                value, value_marks, first, end = yield from self._items(event, get_event, index, key_marks,
                                                                        start.start_mark.line + 1)
                if first is not None:
                    streamed = (key_event, value, first, end)
            elif type(event) is scalar and event.tag is None and event.anchor is None:
                value = event.value
                if event.implicit[0] and (value[:1] in NUMERIC_START or value in MAYBE_NOT_STRING):
                    value = resolve_plain(value)
                value_marks = _marks(event)
            else:
                value, value_marks, _ = self._node(event, get_event, 2)
            merged = self._store(mapping, table, merged, key, key_event, value, key_marks + value_marks)
        self.tables[id(mapping)] = table
        self.physical += 2 * len(table)
        marks = _span(start, key_event)
        if streamed is None:
            return mapping, marks, None
        key_event, stub, first, end = streamed
        kind = mapping.get("kind")
        if not (mapping.get("items") is stub and isinstance(mapping.get("apiVersion"), str)
                and isinstance(kind, str) and kind.endswith("List")):
            # Only a document that changes its mind after its items (a repeated key, a
            # "kind: ...List" line inside a multi-line string) gets here.
            self.problems.append(_problem_at(
                SYNTAX, "this document's items were linted one by one as a List's, but after them it "
                "is not a List (a key repeated after the items?): its items were linted as objects", key_event))
        top, bottom = marks[0], marks[2]
        scopes = [(mapping, Positions(self.tables, (top, 0, first - 1, 0))),
                  (mapping, Positions(self.tables, (end, 0, bottom, 0)))]
        return mapping, marks, scopes

    def _stream_here(self, mapping: dict, key_event) -> bool:
        """Whether the items that start here are a List's: apiVersion is set, and kind is a
        ``...List``, or comes after the items (as kubectl writes it) and is one, by the first key
        line at the items' indentation that follows (verified when the kind is read)."""
        if not isinstance(mapping.get("apiVersion"), str):
            return False
        kind = mapping.get("kind", None)
        if "kind" in mapping:
            return isinstance(kind, str) and kind.endswith("List")
        if self.kind_index is None:
            self.kind_index = self.kind_lines()
        lines = self.kind_index
        line, column = key_event.start_mark.line, key_event.start_mark.column
        for _, col, is_list in itertools.islice(lines, bisect.bisect_right(lines, (line, 1 << 62, True)), None):
            if col <= column:
                return col == column and is_list
        return False

    def _items(self, start, get_event, index: int, key_marks: tuple, line: int):
        """Build a List's items one by one and hand each on as an ITEM part; return the empty
        list left in the List's data, the sequence's marks, the first item's line and the line
        the items end on (None, None when there is no item: nothing was streamed)."""
        self.physical += 1  # the sequence, as _node counts it
        stub: list = []
        self.tables[id(stub)] = []
        entry = key_marks + _marks(start)
        kept: dict = {}  # the tables of items that define anchors: a later alias reaches into them
        outer = self.tables
        self.outside = (kept, outer)
        first = None
        event = get_event()
        i = 0
        sequence_end = self.parser.sequence_end
        while type(event) is not sequence_end:
            tables: dict = {}
            self.tables = tables
            anchors = len(self.anchors)
            try:
                value, marks, _ = self._node(event, get_event, 3)
            finally:
                self.tables = outer
            self.physical += 1 - self._plain(event)  # as _sequence counts
            event = get_event()
            if len(self.anchors) != anchors:
                kept.update(tables)
            if first is None:
                first = marks[0]
            items = _Slot(i, value)
            root = {"items": items}
            lookup = collections.ChainMap(tables, kept, outer) if self.anchors else tables
            tables[id(root)] = {"items": entry}
            tables[id(items)] = _Slot(i, marks)
            whole = [value]  # for the suppression comments' blocks: the item where it stands
            scope_root = {"items": whole}
            tables[id(scope_root)] = {"items": entry}
            tables[id(whole)] = [marks]
            scope = Positions(lookup, (marks[0], 0, event.start_mark.line - 1, 0))
            problems, self.problems = self.problems, []
            self.streaming = True
            yield Document(index, root, Positions(lookup, marks), line,
                           problems=problems, part=ITEM, scopes=[(scope_root, scope)])
            i += 1
        if first is None:
            return stub, _span(start, event), None, None
        return stub, _span(start, event), first, event.start_mark.line

    def _store(self, mapping: dict, table: dict, merged: set | None, key: Any, key_event, value: Any,
               entry: tuple) -> set | None:
        """One mapping entry that needs more than a store: a merge key (go-yaml v2 merges where the
        << stands, over keys already set; earlier sources win), a key that is not a string, a
        duplicate. _mapping and _root call it; it returns the keys merges set (which a later
        explicit key may replace), made on the first merge."""
        if key == "<<" and type(key_event) is self.parser.scalar and key_event.implicit[0]:
            for source, source_table in reversed(self._merge_sources(value, key_event)):
                mapping.update(source)
                table.update(source_table)
                merged = set(source) if merged is None else merged | set(source)
            return merged
        if type(key) is not str:
            if isinstance(key, (dict, list)):
                self.problems.append(_problem_at(SYNTAX, "a mapping key must be a scalar", key_event))
                return merged
            refusal = _key_refusal(key, value)
            if refusal:
                # The converter's words go on with the value, which may be a credential.
                report = "Kubernetes cannot read this document: " + refusal.split(", value: ", 1)[0]
                self.problems.append(_problem_at(REFUSED, refusal, key_event, report))
            key = key_text(key)
        if merged is not None and key in merged:
            merged.discard(key)
        elif key in mapping:
            first = table[key]
            self.problems.append(_problem_at(
                DUPLICATE_KEY, f"duplicate key {key!r} (first defined on line {first[0] + 1}); the last value wins",
                key_event,
            ))
        mapping[key] = value
        table[key] = entry
        return merged

    def _node(self, event, get_event, depth: int) -> tuple[Any, tuple, int]:
        """Return (value, marks, expanded size) of the node that starts with ``event``."""
        self.physical += 1
        cls = type(event)
        parser = self.parser
        if cls is parser.scalar:
            value = self._scalar(event)
            marks = _marks(event)
            if event.anchor is not None:
                self.anchors[event.anchor] = (value, marks, 1)
            return value, marks, 1
        if cls is parser.alias:
            return self._alias(event)
        if depth > MAX_DEPTH:
            raise _Abort(_problem_at(SYNTAX, f"nesting deeper than {MAX_DEPTH} levels", event))
        flow = self.check_flow and event.flow_style
        if flow:  # the collections inside a flow collection are flow collections: checked once, here
            get_event = self._checked(get_event)
            self.check_flow = False
        try:
            if cls is parser.sequence_start:
                value, marks, size = self._sequence(event, get_event, depth)
            elif cls is parser.mapping_start:
                value, marks, size = self._mapping(event, get_event, depth)
            else:  # pragma: no cover - the parser guarantees node events here
                raise _Abort(_problem_at(SYNTAX, f"unexpected {cls.__name__}", event))
        finally:
            if flow:
                self.check_flow = True
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, marks, size)
        return value, marks, size

    def _scalar(self, event) -> Any:
        text = event.value
        if event.tag is None:
            return resolve_plain(text) if event.implicit[0] else text
        if event.tag == "!":  # the non-specific tag: always a string
            return text
        value, error = resolve_tagged(event.tag, text)
        if error:
            # go-yaml's message quotes the text, which may be a credential: say where, not what.
            self.problems.append(_problem_at(SYNTAX, error.replace(f" `{text}` ", " value "), event))
        return value

    def _alias(self, event) -> tuple[Any, tuple, int]:
        entry = self.anchors.get(event.anchor)
        if entry is None:
            raise _Abort(_problem_at(SYNTAX, f"alias *{event.anchor} refers to no anchor defined before it", event))
        value, _, size = entry
        self.expanded += size
        if self.expanded > 10 * self.physical + ALIAS_BUDGET:
            raise _Abort(_problem_at(
                SYNTAX,
                "aliases expand this file beyond jobcheck's limit (an alias bomb?); this document is not linted",
                event,
            ))
        return value, _marks(event), size

    def _checked(self, get_event):
        """``get_event`` for the inside of a flow collection, under PyYAML's libyaml: a plain scalar
        holding ":" or "?" sends the stream to the ruamel parsers (see check_flow)."""
        scalar = self.parser.scalar

        def checked_event():
            event = get_event()
            if type(event) is scalar and not event.style and ("?" in event.value or ":" in event.value):
                raise _Reread
            return event

        return checked_event

    # The two loops below inline the untagged, unanchored scalar (nine events in ten):
    # going through _node for each would cost a third of the loading time.
    def _sequence(self, start, get_event, depth: int) -> tuple[list, tuple, int]:
        items: list[Any] = []
        item_marks: list[tuple] = []
        size = 1
        parser = self.parser
        scalar, sequence_end = parser.scalar, parser.sequence_end
        mapping_start, sequence_start = parser.mapping_start, parser.sequence_start
        inline = depth < MAX_DEPTH  # the nested block collections below are built without _node
        add_item, add_marks = items.append, item_marks.append
        while True:
            event = get_event()
            cls = type(event)
            if cls is sequence_end:
                break
            if cls is scalar and event.tag is None and event.anchor is None:
                s, e = event.start_mark, event.end_mark
                text = event.value
                if event.implicit[0] and (text[:1] in NUMERIC_START or text in MAYBE_NOT_STRING):
                    text = resolve_plain(text)
                add_item(text)
                add_marks((s.line, s.column, e.line, e.column))
                size += 1
                continue
            # What _node does for an unanchored block collection, without its frame.
            if cls is mapping_start and inline and event.anchor is None and not (
                    self.check_flow and event.flow_style):
                self.physical += 1
                value, marks, n = self._mapping(event, get_event, depth + 1)
            elif cls is sequence_start and inline and event.anchor is None and not (
                    self.check_flow and event.flow_style):
                self.physical += 1
                value, marks, n = self._sequence(event, get_event, depth + 1)
            else:
                value, marks, n = self._node(event, get_event, depth + 1)
            items.append(value)
            item_marks.append(marks)
            size += n
        self.tables[id(items)] = item_marks
        self.physical += len(items)  # counted here rather than per item: it only bounds alias expansion
        s, e = start.start_mark, event.end_mark  # _span, inline: once per sequence
        return items, (s.line, s.column, e.line, e.column), size

    def _mapping(self, start, get_event, depth: int) -> tuple[dict, tuple, int]:
        mapping: dict[Any, Any] = {}
        table: dict[Any, tuple] = {}
        merged: set | None = None  # keys a merge (<<) set, which a later explicit key may replace
        size = 1
        parser = self.parser
        scalar, mapping_end = parser.scalar, parser.mapping_end
        mapping_start, sequence_start = parser.mapping_start, parser.sequence_start
        inline = depth < MAX_DEPTH  # the nested block collections below are built without _node
        plain_keys = _PLAIN_KEYS
        while True:
            key_event = get_event()
            cls = type(key_event)
            if cls is mapping_end:
                break
            if cls is scalar and key_event.tag is None and key_event.anchor is None:
                ks, ke = key_event.start_mark, key_event.end_mark
                key = key_event.value
                if key_event.implicit[0]:
                    plain = plain_keys.get(key, _NOT_SEEN)
                    if plain is _NOT_SEEN:
                        plain = _plain_key(key)
                    key = plain
                key_marks = None
            else:
                key, key_marks, _ = self._node(key_event, get_event, depth + 1)
            event = get_event()
            if type(event) is scalar and event.tag is None and event.anchor is None:
                s, e = event.start_mark, event.end_mark
                value = event.value
                if event.implicit[0] and (value[:1] in NUMERIC_START or value in MAYBE_NOT_STRING):
                    value = resolve_plain(value)
                if key_marks is None:  # the common case: one tuple, built once
                    entry = (ks.line, ks.column, ke.line, ke.column, s.line, s.column, e.line, e.column)
                else:
                    entry = key_marks + (s.line, s.column, e.line, e.column)
                size += 2
            else:
                cls = type(event)
                # What _node does for an unanchored block collection, without its frame.
                if cls is mapping_start and inline and event.anchor is None and not (
                        self.check_flow and event.flow_style):
                    self.physical += 1
                    value, value_marks, n = self._mapping(event, get_event, depth + 1)
                elif cls is sequence_start and inline and event.anchor is None and not (
                        self.check_flow and event.flow_style):
                    self.physical += 1
                    value, value_marks, n = self._sequence(event, get_event, depth + 1)
                else:
                    value, value_marks, n = self._node(event, get_event, depth + 1)
                if key_marks is None:
                    key_marks = (ks.line, ks.column, ke.line, ke.column)
                entry = key_marks + value_marks
                size += n + 1
            if type(key) is str and key not in mapping and key != "<<":  # the common case, inline
                mapping[key] = value
                table[key] = entry
            else:  # merge keys, keys that are not strings, duplicates
                merged = self._store(mapping, table, merged, key, key_event, value, entry)
        self.tables[id(mapping)] = table
        self.physical += 2 * len(table)
        s, e = start.start_mark, key_event.end_mark  # _span, inline: once per mapping
        return mapping, (s.line, s.column, e.line, e.column), size

    def _plain(self, event) -> int:
        """1 for the untagged, unanchored scalar that _mapping and _sequence read inline (not counted)."""
        return int(type(event) is self.parser.scalar and event.tag is None and event.anchor is None)

    def _merge_sources(self, value: Any, event) -> list[tuple[dict, dict]]:
        sources = value if isinstance(value, list) else [value]
        out = []
        for source in sources:
            if not isinstance(source, dict):
                self.problems.append(_problem_at(SYNTAX, "a merge key (<<) needs a mapping or a list of mappings", event))
                continue
            table = self.tables.get(id(source))
            if table is None:  # an anchor outside the List item being built (see _items)
                table = next(t[id(source)] for t in self.outside if id(source) in t)
            out.append((source, table))
        return out


class _Slot(list):
    """The items of a List as one ITEM part shows them: as long as the List so far, holding only
    the item at ``index`` (paths and positions stay ``items[i]...``; nothing else is kept)."""

    __slots__ = ("index", "value")

    def __init__(self, index: int, value: Any) -> None:
        super().__init__()
        self.index = index
        self.value = value

    def __len__(self) -> int:
        return self.index + 1

    def __getitem__(self, i):  # type: ignore[override]
        return self.value if i == self.index else None


# A key line of "kind" (YAML or JSON) and a document marker: where a List's kind comes after its items.
_KIND_LINE_RE = re.compile(rb'\n(?:([ \t]*)"?kind"?[ \t]*:[ \t]*([^\n]*)|(?:---|\.\.\.)(?=[ \t\r\n]|\Z))')
_CHUNK = 1 << 20


def _chunks(handle: BinaryIO) -> Iterator[bytes]:
    """The file's bytes, read without moving the handle the parser reads from (none if it cannot)."""
    try:
        fd = handle.fileno()
        offset = 0
        while chunk := os.pread(fd, _CHUNK, offset):
            yield chunk
            offset += len(chunk)
    except (AttributeError, OSError, ValueError):  # a pipe, or no pread: Lists are then read whole
        return


def _kind_lines(chunks: Iterator[str | bytes]) -> list[tuple[int, int, bool]]:
    """(0-based line, column, names a ...List) of every "kind:" key line, and (line, -1, False) of
    every document marker: one linear pass, made the first time a List's items precede its kind."""
    out: list[tuple[int, int, bool]] = []
    line, carry = -1, b"\n"  # a line break before the first line, for the pattern
    for chunk in itertools.chain(chunks, (b"\n",)):
        data = carry + (chunk.encode("utf-8", "surrogatepass") if isinstance(chunk, str) else chunk)
        cut = data.rfind(b"\n")
        body, carry = data[:cut], data[cut:]
        pos = 0
        for match in _KIND_LINE_RE.finditer(body):
            line += body.count(b"\n", pos, match.start() + 1)
            pos = match.start() + 1
            indent, value = match.group(1), match.group(2)
            if indent is None:
                out.append((line, -1, False))
            else:
                word = value.split(b"#", 1)[0].strip().rstrip(b",").strip(b"\"' \t\r")
                out.append((line, len(indent), word.endswith(b"List")))
        line += body.count(b"\n", pos)
    return out


def key_text(key: Any) -> str:
    """The JSON key Kubernetes makes of a YAML key: true -> "true", 1 -> "1", 1e3 -> "1000".

    sigs.k8s.io/yaml formats a float key as a float32 (``strconv.FormatFloat(f, 'g', -1, 32)``).
    It refuses null and uint64 keys (see ``_key_refusal``); they keep a readable text here.
    """
    if key is None:
        return "null"
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, float):
        return float32_text(key)
    return str(key)


def _key_refusal(key: Any, value: Any) -> str | None:
    """sigs.k8s.io/yaml's error for a key it cannot turn into a JSON string, or None."""
    if key is None:
        kind, shown = "%!s(<nil>)", "<nil>"
    elif type(key) is int and key > 0x7FFF_FFFF_FFFF_FFFF:  # go-yaml reads it as a uint64
        kind, shown = "uint64", f"{key:#x}"
    else:
        return None
    return f"Unsupported map key of type: {kind}, key: {shown}, value: {_go_value(value)}"


def _go_value(value: Any) -> str:
    """Go's %+#v for the simple values; others as Python shows them (the text is only a message)."""
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if value is None or isinstance(value, bool):
        return {None: "<nil>", True: "true", False: "false"}[value]
    return repr(value)


def float32_text(number: float) -> str:
    """Go's ``strconv.FormatFloat(number, 'g', -1, 32)``, with go-yaml's names for infinities and NaN."""
    try:
        single = struct.unpack("<f", struct.pack("<f", number))[0]
    except OverflowError:
        single = math.copysign(math.inf, number)
    if math.isnan(single):
        return ".nan"
    if math.isinf(single):
        return ".inf" if single > 0 else "-.inf"
    if single == 0:
        return "-0" if math.copysign(1, single) < 0 else "0"
    for precision in range(1, 10):  # the shortest decimal that reads back as the same float32
        text = f"{single:.{precision - 1}e}"
        if struct.unpack("<f", struct.pack("<f", float(text)))[0] == single:
            break
    mantissa, exponent = text.split("e")
    sign = "-" if mantissa.startswith("-") else ""
    digits = mantissa.lstrip("-").replace(".", "")
    exp = int(exponent)
    if exp < -4 or exp >= 6:
        body = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{body}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    point = exp + 1
    if point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return sign + digits + "0" * (point - len(digits))
    return f"{sign}{digits[:point]}.{digits[point:]}"




def _marks(event) -> tuple:
    s, e = event.start_mark, event.end_mark
    return (s.line, s.column, e.line, e.column)


def _span(start, end) -> tuple:
    s, e = start.start_mark, end.end_mark
    return (s.line, s.column, e.line, e.column)


def _problem_at(kind: str, message: str, event, report: str | None = None) -> Problem:
    s, e = event.start_mark, event.end_mark
    return Problem(kind, message, s.line + 1, s.column + 1, e.line + 1, e.column + 1, report=report)


def _skip_to_document_end(get_event, document_end) -> None:
    while not isinstance(get_event(), document_end):
        pass


def _syntax_problem(exc: Exception, char_at_fn) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    if mark is not None and char_at_fn(mark.line, mark.column) == "\t":
        problem = "a tab character where YAML allows only spaces for indentation"
        context = None
    message = f"{context}, {problem}" if context and mark is getattr(exc, "problem_mark", None) else problem
    if mark is None:
        line = column = 1
        index = getattr(exc, "position", None)
        if isinstance(index, int):
            column = index + 1
    else:
        line, column = mark.line + 1, mark.column + 1
    return Problem(SYNTAX, f"YAML syntax error: {message}", line, column, line, column + 1)


def char_at(text: str, line: int, column: int) -> str:
    """The character at 0-based (line, column) of ``text``, or "" past its end (one-off lookups)."""
    start = 0
    for _ in range(line):
        start = text.find("\n", start) + 1
        if start == 0:
            return ""
    return text[start + column: start + column + 1]


def _source_comments(text: str) -> list[tuple[int, str]]:
    """Return (line, template path) of every helm ``# Source:`` comment, in line order."""
    out = []
    line, pos = 1, 0
    for match in _SOURCE_RE.finditer(text):
        line += text.count("\n", pos, match.start())  # counted from the previous match: linear
        pos = match.start()
        rest = match.group(1)
        out.append((line, rest.rstrip() or rest[:1]))
    return out


def _source_for(sources: list[tuple[int, str]], after: int, line: int) -> str | None:
    """The last Source comment above ``line`` that belongs to this document, not the previous one."""
    i = bisect.bisect_right(sources, (line, "\uffff")) - 1
    if i >= 0 and sources[i][0] >= after:
        return sources[i][1]
    return None
